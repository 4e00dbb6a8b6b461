// libFuzzer target for the firmware's WebConfig server (firmware/core web_config.h, S6.3): its HTTP request
// parser and form decoder, through the server as a browser reaches it on the SoftAP (the sim board). The
// input is one request, sent in two pieces at a fuzzer-chosen split. Whatever it is, the server answers with
// a response the firmware's own parser reads (or nothing yet, for an incomplete request) and never reports
// credentials that break S6.3.2 (1-32 bytes of a-z A-Z 0-9 - _ . for the SSID, at most 32 for the password).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/core/web_config.h"
#include "gagent/proto/http_parser.h"
#include "gagent/sim/sim_board.h"

using namespace gagent;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool allowed(std::string_view text) {
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

struct Reports : core::WebConfigListener {
  int count = 0;
  void onWebCredentials(std::string_view ssid, std::string_view password, core::Millis) override {
    ++count;
    check(!ssid.empty() && ssid.size() <= core::WebConfigServer::kMaxSsid && allowed(ssid));
    check(password.size() <= core::WebConfigServer::kMaxPassword && allowed(password));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  constexpr std::uint16_t kPort = 8080;
  sim::SimBoard board;
  core::LogHub logs;
  Reports reports;
  core::WebConfigServer server(board.net(), logs, reports, kPort);
  if (!board.radio().startSoftAp("XPG-GAgent-A1F3", "123456789") || !server.start(0)) __builtin_trap();
  sim::PeerTcpConnection* browser =
      board.net().connectPeer({hal::ipv4(10, 10, 100, 240), 50000}, {sim::SimNet::kSoftApAddress, kPort});
  check(browser != nullptr);

  const proto::Bytes request(data + 1, size - 1);
  const std::size_t split = request.empty() ? 0 : (std::size_t{data[0]} * request.size()) / 255;
  browser->send(request.first(split));
  server.poll(board.clock().now());
  browser->send(request.subspan(split));
  for (int i = 0; i < 3; ++i) server.poll(board.clock().now());  // answer written, then reported

  const std::vector<std::uint8_t> answer = browser->receiveAll();
  check(answer.size() <= core::WebConfigServer::kMaxResponseBytes);
  if (!answer.empty()) {
    proto::HttpSmallResponse<core::WebConfigServer::kMaxResponseBytes> response;
    (void)response.feed(answer);
    (void)response.finishOnClose();
    check(response.done());
    const std::uint16_t code = response.statusCode();
    check(code == 200 || (code >= 400 && code < 500));
    check(reports.count <= 1 && (reports.count == 0 || code == 200));
  } else {
    check(reports.count == 0);
  }
  server.stop();
  return 0;
}
