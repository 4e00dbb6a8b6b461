#pragma once
// The server's side of the cloud's HTTP API (§3.2-3.5): which endpoint a request's method and path name, and
// the one path segment (a DID or a firmware file name) the endpoint takes. The paths mirror the request
// builders of cloud_http.h. SimCloud (virtual time) and the rig's stand-in cloud both route with it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gagent::proto {

// The API's endpoints; the values index per-endpoint tables (kCloudEndpointCount of them).
enum class CloudEndpoint : std::uint8_t { Register, Provision, Unregister, OtaCheck, Download };
inline constexpr std::size_t kCloudEndpointCount = 5;
// "register", "provision", "unregister", "ota-check", "download"; "unknown" for other values.
[[nodiscard]] std::string_view cloudEndpointName(CloudEndpoint endpoint);

// §3.2-3.5 paths: register / unregister share one, the others end in one segment.
inline constexpr std::string_view kCloudDevicesPath = "/dev/devices";                        // POST, DELETE
inline constexpr std::string_view kCloudProvisionPrefix = "/dev/devices/";                   // GET <did>
inline constexpr std::string_view kCloudOtaCheckPrefix = "/dev/ota/v4.1/update_and_check/";  // POST <did>
inline constexpr std::string_view kCloudDownloadPrefix = "/fw/";  // GET <file name>

struct CloudRoute {
  std::optional<CloudEndpoint> endpoint;  // nullopt: not one of the API's requests (a server answers 404)
  std::string_view segment;  // Provision / OtaCheck: the DID; Download: the file name; else empty
};

// `path` is the request path without the query (HttpRequestParser::path()). Methods are matched exactly
// (HTTP methods are case-sensitive). A segment must be non-empty and hold no '/' or '?': a trailing
// slash, an empty DID, a deeper path or a leftover query give an unknown route. The segment views `path`.
[[nodiscard]] CloudRoute classifyCloudRequest(std::string_view method, std::string_view path);

}  // namespace gagent::proto
