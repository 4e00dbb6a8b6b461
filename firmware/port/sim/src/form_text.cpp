#include "gagent/sim/form_text.h"

#include "gagent/proto/form.h"

namespace gagent::sim {

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

std::vector<std::pair<std::string, std::string>> formFields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  while (!body.empty()) {
    const std::size_t end = body.find_first_of("&\r\n");
    const std::string_view piece = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    const std::string_view key = piece.substr(0, eq);
    if (key.empty()) continue;
    fields.emplace_back(std::string(key), formValue(piece, key).value_or(std::string(piece.substr(eq + 1))));
    if (eq == std::string_view::npos) fields.back().second.clear();
  }
  return fields;
}

}  // namespace gagent::sim
