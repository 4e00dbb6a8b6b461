#include "api_answer.h"

#include <QJsonObject>

#include "gagent/proto/http_parser.h"

namespace gizrig::cloud::detail {

namespace proto = gagent::proto;

ApiAnswer ApiAnswer::error(quint16 status, std::optional<qint32> code) {
  ApiAnswer answer;
  answer.status = status;
  if (code) {
    const auto name = proto::cloudErrorCodeName(static_cast<proto::CloudErrorCode>(*code));
    // Built as text, not QJsonDocument: the field order and "detail_message":null are SimCloud's bytes.
    const std::string json = "{\"error_code\":" + std::to_string(*code) + ",\"error_message\":\"" +
                             std::string(name) + "\",\"detail_message\":null}";
    answer.headers.emplace_back("Content-Type", "application/json");
    answer.body = QByteArray::fromStdString(json);
  }
  return answer;
}

ApiAnswer ApiAnswer::error(quint16 status, proto::CloudErrorCode code) {
  return error(status, static_cast<qint32>(code));
}

ApiAnswer ApiAnswer::form(quint16 status, QByteArray body) {
  ApiAnswer answer;
  answer.status = status;
  answer.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  answer.body = std::move(body);
  return answer;
}

ApiAnswer ApiAnswer::json(quint16 status, const QJsonDocument& document) {
  ApiAnswer answer;
  answer.status = status;
  answer.headers.emplace_back("Content-Type", "application/json");
  answer.body = document.toJson(QJsonDocument::Compact);
  return answer;
}

ApiAnswer ApiAnswer::controlError(quint16 status, const QString& message) {
  return json(status, QJsonDocument(QJsonObject{{QStringLiteral("error"), message}}));
}

ApiAnswer ApiAnswer::withoutAnswer(ApiFault::Kind kind) {
  ApiAnswer answer;
  answer.action = kind == ApiFault::Kind::Stall ? Action::Stall : Action::Close;
  answer.status = 0;
  return answer;
}

QByteArray ApiAnswer::serialize() const {
  std::vector<proto::HttpHeader> list;
  for (const auto& [name, value] : headers) list.push_back({name, value});
  list.push_back({"Connection", "close"});
  QByteArray bytes(static_cast<qsizetype>(proto::kHttpMaxHeaderBytes), '\0');
  const std::size_t head =
      proto::buildHttpResponseHead(proto::MutableBytes(reinterpret_cast<std::uint8_t*>(bytes.data()),
                                                       static_cast<std::size_t>(bytes.size())),
                                   status, list, static_cast<std::uint64_t>(body.size()));
  if (head == 0) return {};
  bytes.resize(static_cast<qsizetype>(head));
  bytes.append(body);
  return bytes;
}

}  // namespace gizrig::cloud::detail
