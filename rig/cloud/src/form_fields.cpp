#include "form_fields.h"

namespace gizrig::cloud::detail {

QList<QPair<QString, QString>> formFields(std::string_view body) {
  QList<QPair<QString, QString>> fields;
  for (const auto& [key, value] : gagent::sim::formFields(body))
    fields.append({QString::fromStdString(key), QString::fromStdString(value)});
  return fields;
}

}  // namespace gizrig::cloud::detail
