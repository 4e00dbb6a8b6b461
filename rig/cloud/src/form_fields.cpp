#include "form_fields.h"

#include "gagent/proto/form.h"

namespace gizrig::cloud::detail {

namespace proto = gagent::proto;

std::optional<std::string> formValue(std::string_view body, std::string_view key) {
  const auto raw = proto::findFormField(body, key);
  if (!raw) return std::nullopt;
  std::string decoded(raw->size(), '\0');
  const auto size = proto::urlDecode(
      *raw, proto::MutableBytes(reinterpret_cast<std::uint8_t*>(decoded.data()), decoded.size()));
  if (!size) return std::nullopt;
  decoded.resize(*size);
  return decoded;
}

QList<QPair<QString, QString>> formFields(std::string_view body) {
  QList<QPair<QString, QString>> fields;
  while (!body.empty()) {
    const std::size_t end = body.find_first_of("&\r\n");
    const std::string_view piece = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string_view key = piece.substr(0, eq);
    if (key.empty()) continue;
    QString value;
    if (eq != std::string_view::npos) {
      const std::string raw(piece.substr(eq + 1));
      value = QString::fromStdString(formValue(piece, key).value_or(raw));
    }
    fields.append({QString::fromStdString(std::string(key)), value});
  }
  return fields;
}

}  // namespace gizrig::cloud::detail
