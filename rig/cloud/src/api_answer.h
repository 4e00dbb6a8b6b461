#pragma once
// An HTTP answer of the stand-in cloud before it becomes bytes, and the builders of the bodies the API and
// the control endpoint send. Bytes come from proto::buildHttpResponseHead, never assembled by hand.

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gagent/proto/cloud_http.h"
#include "gizrig/cloud/api_fault.h"

namespace gizrig::cloud::detail {

struct ApiAnswer {
  enum class Action : quint8 { Respond, Close, Stall };
  Action action = Action::Respond;
  quint16 status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  QByteArray body;
  int delayMs = 0;

  // The §3.6 error body the real cloud sends (OpenAPI JSON); no body without a code.
  static ApiAnswer error(quint16 status, std::optional<qint32> code);
  static ApiAnswer error(quint16 status, gagent::proto::CloudErrorCode code);
  static ApiAnswer form(quint16 status, QByteArray body);
  static ApiAnswer json(quint16 status, const QJsonDocument& document);
  // A control-endpoint refusal: {"error":"<message>"}.
  static ApiAnswer controlError(quint16 status, const QString& message);
  static ApiAnswer withoutAnswer(ApiFault::Kind kind);

  // Status line, headers, Content-Length, "Connection: close" (one request per connection, §3.1), body.
  // Empty only on a bug in the headers (the peer then sees a bare close).
  [[nodiscard]] QByteArray serialize() const;
};

}  // namespace gizrig::cloud::detail
