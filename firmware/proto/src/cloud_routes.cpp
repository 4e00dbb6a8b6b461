#include "gagent/proto/cloud_routes.h"

namespace gagent::proto {
namespace {

// The one path segment after `prefix`; nullopt when the path does not start with it or the rest is not a
// single non-empty segment.
std::optional<std::string_view> segmentAfter(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return std::nullopt;
  const std::string_view rest = path.substr(prefix.size());
  if (rest.empty() || rest.find_first_of("/?") != std::string_view::npos) return std::nullopt;
  return rest;
}

CloudRoute routeWithSegment(CloudEndpoint endpoint, std::optional<std::string_view> segment) {
  if (!segment) return {};
  return {endpoint, *segment};
}

}  // namespace

std::string_view cloudEndpointName(CloudEndpoint endpoint) {
  switch (endpoint) {
    case CloudEndpoint::Register:
      return "register";
    case CloudEndpoint::Provision:
      return "provision";
    case CloudEndpoint::Unregister:
      return "unregister";
    case CloudEndpoint::OtaCheck:
      return "ota-check";
    case CloudEndpoint::Download:
      return "download";
  }
  return "unknown";
}

CloudRoute classifyCloudRequest(std::string_view method, std::string_view path) {
  if (path == kCloudDevicesPath) {
    if (method == "POST") return {CloudEndpoint::Register, {}};
    if (method == "DELETE") return {CloudEndpoint::Unregister, {}};
    return {};
  }
  if (method == "GET") {
    if (path.starts_with(kCloudProvisionPrefix))
      return routeWithSegment(CloudEndpoint::Provision, segmentAfter(path, kCloudProvisionPrefix));
    return routeWithSegment(CloudEndpoint::Download, segmentAfter(path, kCloudDownloadPrefix));
  }
  if (method == "POST")
    return routeWithSegment(CloudEndpoint::OtaCheck, segmentAfter(path, kCloudOtaCheckPrefix));
  return {};
}

}  // namespace gagent::proto
