#pragma once
// The endpoints of the stand-in cloud's HTTP API (protocol §3.2-3.5) and what each can be made to do instead
// of answering normally. The names are the ones of SimCloud (cloudEndpointName) and of the control endpoint
// (POST /lab/fault).

#include <QString>
#include <QStringView>
#include <cstddef>
#include <optional>

#include "gagent/proto/cloud_routes.h"

namespace gizrig::cloud {

// proto's endpoints (cloud_routes.h), the ones SimCloud routes to as well.
using ApiEndpoint = gagent::proto::CloudEndpoint;
inline constexpr std::size_t kApiEndpointCount = gagent::proto::kCloudEndpointCount;

// "register", "provision", "unregister", "ota-check", "download".
[[nodiscard]] QString apiEndpointName(ApiEndpoint endpoint);
[[nodiscard]] std::optional<ApiEndpoint> apiEndpointFromName(QStringView name);

struct ApiFault {
  enum class Kind : quint8 {
    None,
    Status,   // answer `status` (with the §3.6 JSON body when errorCode is set); the request has no effect
    Garbage,  // success status with a body the module cannot use; a download gets the image inverted
    Delay,    // the normal answer, `delayMs` later
    Close,    // close the connection without an answer
    Stall,    // keep the connection open and never answer (until the module gives up and closes)
  };
  Kind kind = Kind::None;
  quint16 status = 0;
  std::optional<qint32> errorCode;
  int delayMs = 0;

  static ApiFault withStatus(quint16 status, std::optional<qint32> errorCode = std::nullopt) {
    return {Kind::Status, status, errorCode, 0};
  }
  static ApiFault garbage() { return {Kind::Garbage, 0, std::nullopt, 0}; }
  static ApiFault delayed(int delayMs) { return {Kind::Delay, 0, std::nullopt, delayMs}; }
  static ApiFault closeWithoutAnswer() { return {Kind::Close, 0, std::nullopt, 0}; }
  static ApiFault stall() { return {Kind::Stall, 0, std::nullopt, 0}; }
};

// "none", "status", "garbage", "delay", "close", "stall".
[[nodiscard]] QString apiFaultKindName(ApiFault::Kind kind);
[[nodiscard]] std::optional<ApiFault::Kind> apiFaultKindFromName(QStringView name);

}  // namespace gizrig::cloud
