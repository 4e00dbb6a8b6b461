#include "gizrig/cloud/api_fault.h"

#include <array>
#include <utility>

namespace gizrig::cloud {
namespace {

constexpr std::array kKindNames{
    std::pair{ApiFault::Kind::None, u"none"},       std::pair{ApiFault::Kind::Status, u"status"},
    std::pair{ApiFault::Kind::Garbage, u"garbage"}, std::pair{ApiFault::Kind::Delay, u"delay"},
    std::pair{ApiFault::Kind::Close, u"close"},     std::pair{ApiFault::Kind::Stall, u"stall"},
};

template <typename Table, typename Key>
QString nameOf(const Table& table, Key key) {
  for (const auto& [value, name] : table) {
    if (value == key) return QString::fromUtf16(name);
  }
  return QStringLiteral("?");
}

template <typename Key, typename Table>
std::optional<Key> keyOf(const Table& table, QStringView name) {
  for (const auto& [value, text] : table) {
    if (name == QStringView(text)) return value;
  }
  return std::nullopt;
}

}  // namespace

// The names are proto's (cloudEndpointName), so the lab's control API and SimCloud's records agree.
QString apiEndpointName(ApiEndpoint endpoint) {
  const std::string_view name = gagent::proto::cloudEndpointName(endpoint);
  return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

std::optional<ApiEndpoint> apiEndpointFromName(QStringView name) {
  for (std::size_t i = 0; i < kApiEndpointCount; ++i) {
    const auto endpoint = static_cast<ApiEndpoint>(i);
    if (name == apiEndpointName(endpoint)) return endpoint;
  }
  return std::nullopt;
}

QString apiFaultKindName(ApiFault::Kind kind) {
  return nameOf(kKindNames, kind);
}

std::optional<ApiFault::Kind> apiFaultKindFromName(QStringView name) {
  return keyOf<ApiFault::Kind>(kKindNames, name);
}

}  // namespace gizrig::cloud
