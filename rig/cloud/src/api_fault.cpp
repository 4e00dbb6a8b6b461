#include "gizrig/cloud/api_fault.h"

#include <array>
#include <utility>

namespace gizrig::cloud {
namespace {

constexpr std::array kEndpointNames{
    std::pair{ApiEndpoint::Register, u"register"},     std::pair{ApiEndpoint::Provision, u"provision"},
    std::pair{ApiEndpoint::Unregister, u"unregister"}, std::pair{ApiEndpoint::OtaCheck, u"ota-check"},
    std::pair{ApiEndpoint::Download, u"download"},
};

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

QString apiEndpointName(ApiEndpoint endpoint) {
  return nameOf(kEndpointNames, endpoint);
}

std::optional<ApiEndpoint> apiEndpointFromName(QStringView name) {
  return keyOf<ApiEndpoint>(kEndpointNames, name);
}

QString apiFaultKindName(ApiFault::Kind kind) {
  return nameOf(kKindNames, kind);
}

std::optional<ApiFault::Kind> apiFaultKindFromName(QStringView name) {
  return keyOf<ApiFault::Kind>(kKindNames, name);
}

}  // namespace gizrig::cloud
