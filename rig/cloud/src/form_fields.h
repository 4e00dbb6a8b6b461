#pragma once
// Reading the module's form bodies (§3.2-3.5): gagent/sim/form_text.h, the same reader as SimCloud's, with
// the request log's fields as Qt strings.

#include <QList>
#include <QPair>
#include <QString>
#include <optional>
#include <string>
#include <string_view>

#include "gagent/sim/form_text.h"

namespace gizrig::cloud::detail {

// The decoded value of the first form field `key`; nullopt when absent or not decodable.
using gagent::sim::formValue;

// Every field of a form body in order, decoded where possible (raw otherwise), for the request log.
[[nodiscard]] QList<QPair<QString, QString>> formFields(std::string_view body);

}  // namespace gizrig::cloud::detail
