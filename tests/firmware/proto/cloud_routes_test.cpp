#include "gagent/proto/cloud_routes.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gagent/proto/cloud_http.h"
#include "gagent/proto/http_parser.h"

using namespace gagent::proto;

namespace {

constexpr std::string_view kDid = "WKgkQa4wHqaXyTnqDn2uDM";

struct RouteCase {
  std::string_view method;
  std::string_view path;
  std::optional<CloudEndpoint> endpoint;
  std::string_view segment;
};

constexpr std::array kRoutes{
    // §3.2-3.5, as the module sends them
    RouteCase{"POST", "/dev/devices", CloudEndpoint::Register, ""},
    RouteCase{"DELETE", "/dev/devices", CloudEndpoint::Unregister, ""},
    RouteCase{"GET", "/dev/devices/WKgkQa4wHqaXyTnqDn2uDM", CloudEndpoint::Provision,
              "WKgkQa4wHqaXyTnqDn2uDM"},
    RouteCase{"POST", "/dev/ota/v4.1/update_and_check/abc", CloudEndpoint::OtaCheck, "abc"},
    RouteCase{"GET", "/fw/module-04020006.bin", CloudEndpoint::Download, "module-04020006.bin"},
    // wrong method for a known path
    RouteCase{"GET", "/dev/devices", std::nullopt, ""},
    RouteCase{"PUT", "/dev/devices", std::nullopt, ""},
    RouteCase{"POST", "/dev/devices/abc", std::nullopt, ""},
    RouteCase{"DELETE", "/dev/devices/abc", std::nullopt, ""},
    RouteCase{"GET", "/dev/ota/v4.1/update_and_check/abc", std::nullopt, ""},
    RouteCase{"POST", "/fw/a.bin", std::nullopt, ""},
    // methods are case-sensitive; an empty one is unknown
    RouteCase{"post", "/dev/devices", std::nullopt, ""},
    RouteCase{"get", "/fw/a.bin", std::nullopt, ""},
    RouteCase{"", "/dev/devices", std::nullopt, ""},
    // trailing slash, empty segment, deeper paths
    RouteCase{"POST", "/dev/devices/", std::nullopt, ""},
    RouteCase{"GET", "/dev/devices/", std::nullopt, ""},
    RouteCase{"GET", "/dev/devices/abc/", std::nullopt, ""},
    RouteCase{"GET", "/dev/devices/abc/def", std::nullopt, ""},
    RouteCase{"POST", "/dev/ota/v4.1/update_and_check/", std::nullopt, ""},
    RouteCase{"POST", "/dev/ota/v4.1/update_and_check/abc/", std::nullopt, ""},
    RouteCase{"GET", "/fw/", std::nullopt, ""},
    RouteCase{"GET", "/fw/sub/a.bin", std::nullopt, ""},
    RouteCase{"GET", "/fw", std::nullopt, ""},
    // a query left on the path is not part of a DID or file name
    RouteCase{"GET", "/dev/devices/abc?x=1", std::nullopt, ""},
    RouteCase{"GET", "/fw/a.bin?x=1", std::nullopt, ""},
    RouteCase{"POST", "/dev/devices?x=1", std::nullopt, ""},
    // other paths
    RouteCase{"GET", "/", std::nullopt, ""},
    RouteCase{"GET", "", std::nullopt, ""},
    RouteCase{"POST", "/dev/ota/v4.2/update_and_check/abc", std::nullopt, ""},
    RouteCase{"POST", "dev/devices", std::nullopt, ""},
    RouteCase{"POST", "/dev/devicesX", std::nullopt, ""},
};

std::string describe(const RouteCase& route) {
  return std::string(route.method) + " '" + std::string(route.path) + "'";
}

}  // namespace

TEST(CloudRoutes, Proto3_2to3_5_MethodAndPathPickTheEndpoint) {
  for (const RouteCase& expected : kRoutes) {
    const CloudRoute route = classifyCloudRequest(expected.method, expected.path);
    EXPECT_EQ(route.endpoint, expected.endpoint) << describe(expected);
    EXPECT_EQ(route.segment, expected.segment) << describe(expected);
  }
}

TEST(CloudRoutes, SegmentViewsThePath) {
  const std::string path = "/dev/devices/" + std::string(kDid);
  const CloudRoute route = classifyCloudRequest("GET", path);
  ASSERT_EQ(route.endpoint, CloudEndpoint::Provision);
  EXPECT_EQ(route.segment.data(), path.data() + kCloudProvisionPrefix.size());
  EXPECT_EQ(route.segment.size(), kDid.size());
}

TEST(CloudRoutes, HostileBytesAreUnknownNotACrash) {
  const std::string binary("\0\xff/dev/devices\r\n", 16);
  EXPECT_FALSE(classifyCloudRequest("POST", binary).endpoint);
  EXPECT_FALSE(classifyCloudRequest(binary, "/dev/devices").endpoint);
  EXPECT_FALSE(classifyCloudRequest({}, {}).endpoint);
}

TEST(CloudRoutes, EndpointNames) {
  EXPECT_EQ(cloudEndpointName(CloudEndpoint::Register), "register");
  EXPECT_EQ(cloudEndpointName(CloudEndpoint::Provision), "provision");
  EXPECT_EQ(cloudEndpointName(CloudEndpoint::Unregister), "unregister");
  EXPECT_EQ(cloudEndpointName(CloudEndpoint::OtaCheck), "ota-check");
  EXPECT_EQ(cloudEndpointName(CloudEndpoint::Download), "download");
  EXPECT_EQ(cloudEndpointName(static_cast<CloudEndpoint>(kCloudEndpointCount)), "unknown");
}

// The router answers to what the request builders send: each built request parses and routes back to its
// endpoint and DID.
TEST(CloudRoutes, Proto3_2to3_5_BuiltRequestsRouteToTheirEndpoint) {
  constexpr std::array<std::uint8_t, kCloudMacSize> mac{};
  const auto routed = [](auto&& build) {
    std::array<std::uint8_t, 512> buffer{};
    const std::size_t size = build(MutableBytes(buffer));
    HttpRequestParser parser;
    EXPECT_EQ(parser.feed(Bytes(buffer).first(size)).status, ParseStatus::Ok);
    const CloudRoute route = classifyCloudRequest(parser.method(), parser.path());
    return std::pair{route.endpoint, std::string(route.segment)};
  };
  EXPECT_EQ(routed([&](MutableBytes out) {
              return buildRegisterRequest(out, {.passcode = "p", .mac = mac, .productKey = "k"});
            }),
            std::pair(std::optional(CloudEndpoint::Register), std::string()));
  EXPECT_EQ(routed([&](MutableBytes out) { return buildProvisionRequest(out, kDid); }),
            std::pair(std::optional(CloudEndpoint::Provision), std::string(kDid)));
  EXPECT_EQ(
      routed([&](MutableBytes out) { return buildUnregisterRequest(out, {.did = kDid, .passcode = "p"}); }),
      std::pair(std::optional(CloudEndpoint::Unregister), std::string()));
  EXPECT_EQ(routed([&](MutableBytes out) {
              return buildOtaCheckRequest(
                  out,
                  {.did = kDid, .passcode = "p", .hardVersion = "h", .softVersion = "s", .productKey = "k"});
            }),
            std::pair(std::optional(CloudEndpoint::OtaCheck), std::string(kDid)));
  EXPECT_EQ(routed([&](MutableBytes out) {
              return buildFirmwareDownloadRequest(out, {"h", 80, "/fw/a.bin"});
            }),
            std::pair(std::optional(CloudEndpoint::Download), std::string("a.bin")));
}
