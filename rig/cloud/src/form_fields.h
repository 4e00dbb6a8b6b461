#pragma once
// Reading the module's form bodies (§3.2-3.5) with proto/form.h: one decoded field, or all of them for the
// request log.

#include <QList>
#include <QPair>
#include <QString>
#include <optional>
#include <string>
#include <string_view>

namespace gizrig::cloud::detail {

// The decoded value of the first form field `key`; nullopt when absent or not decodable.
[[nodiscard]] std::optional<std::string> formValue(std::string_view body, std::string_view key);

// Every field of a form body in order, decoded where possible (raw otherwise), for the request log.
[[nodiscard]] QList<QPair<QString, QString>> formFields(std::string_view body);

}  // namespace gizrig::cloud::detail
