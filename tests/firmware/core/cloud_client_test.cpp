#include "gagent/core/cloud_client.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cloud_test_support.h"

using namespace gagent;
using namespace gagent::core;
using cloudtest::FakeHttpServer;
using cloudtest::HttpExchange;
using cloudtest::httpReply;

namespace {

constexpr hal::Ipv4 kApiIp = hal::ipv4(203, 0, 113, 1);
constexpr hal::Ipv4 kM2mIp = hal::ipv4(203, 0, 113, 2);
constexpr hal::Endpoint kDownloadServer{hal::ipv4(203, 0, 113, 3), 80};
constexpr std::string_view kDid = "Xy7GdQa0jW4bRvU2mN8pLk";
constexpr std::string_view kNewDid = "NEWDIDaaaaaaaaaaaaaaaa";
constexpr std::string_view kPasscode = "PHHLXAKMEI";
constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
const std::string kProvisionOk =
    httpReply(200, "host=m2m.gizwits.com&port=1883&server_ts=1700000000&log=0\r\n");

std::string image(std::string_view hw = "000LINUX") {
  std::vector<std::uint8_t> payload(3000, 0x5A);
  std::vector<std::uint8_t> out(kFirmwareImageHeaderSize + payload.size());
  out.resize(encodeFirmwareImage(out, hw, "04020007", "24051210", payload));
  return {out.begin(), out.end()};
}

std::string md5Hex(std::string_view bytes) {
  Md5 md5;
  md5.update(proto::asBytes(bytes));
  const auto hex = Md5::toHex(md5.finish());
  return {hex.begin(), hex.end()};
}

struct Events : CloudListener, OtaListener {
  std::vector<std::string> log;
  std::vector<Millis> readyAt;
  hal::Flash* flash = nullptr;
  const DeviceConfig* config = nullptr;
  bool flashHeldImage = false;
  void onRegistered(std::string_view did, Millis) override {
    log.push_back("registered " + std::string(did));
  }
  void onServerTime(std::uint64_t epoch, Millis) override { log.push_back("time " + std::to_string(epoch)); }
  void onThirdPartyCloud(std::string_view name, std::string_view product, Millis) override {
    log.push_back("3rd " + std::string(name) + " " + std::string(product));
  }
  void onM2mServerReady(hal::Endpoint m2m, Millis now) override {
    log.push_back("m2m " + std::to_string(m2m.ip.value & 0xFF) + ":" + std::to_string(m2m.port));
    readyAt.push_back(now);
  }
  void onM2mAddressChanged(hal::Endpoint m2m, Millis) override {
    log.push_back("moved " + std::to_string(m2m.ip.value & 0xFF) + ":" + std::to_string(m2m.port));
  }
  void onUnregistered(bool ok, Millis) override { log.push_back(ok ? "unregistered" : "unregister failed"); }
  void onFirmwareInstalled(std::uint32_t fid, std::string_view sw, std::string_view fw, Millis) override {
    log.push_back("installed " + std::to_string(fid) + " " + std::string(sw) + " " + std::string(fw));
    flashHeldImage = readInstalledImage(*flash).has_value();
  }
  void onOtaFailed(OtaFailure failure, Millis) override {
    log.push_back("ota failed " + std::string(otaFailureName(failure)));
  }
};

struct CloudClientTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  DeviceConfig config;
  ModuleIdentity identity;
  Events events;
  FakeHttpServer api{board.net(), {kApiIp, 80}};
  FakeHttpServer downloads{board.net(), kDownloadServer};
  // Replies per request kind, in turn; the last one repeats. nullopt = never answer.
  std::map<std::string, std::vector<std::optional<std::string>>> replies;
  std::map<std::string, std::size_t> served;
  std::unique_ptr<CloudClient> cloud;

  CloudClientTest() {
    board.net().setModuleAddress(sim::SimNet::kStationAddress);
    board.dns().setHost("api.gizwits.com", kApiIp);
    board.dns().setHost("m2m.gizwits.com", kM2mIp);
    config.passcode = kPasscode;
    config.productKey = kProductKey;
    config.did = kDid;
    identity.wifiHardwareVersion = "000LINUX";
    identity.wifiSoftwareVersion = "04020006";
    events.flash = &board.flash();
    replies["register"] = {httpReply(201, "did=" + std::string(kNewDid))};
    replies["provision"] = {kProvisionOk};
    replies["ota"] = {httpReply(404, R"({"error_code":9027})")};
    replies["unregister"] = {httpReply(200, "")};
    api.onRequest([this](const HttpExchange& request) -> std::optional<std::string> {
      const std::string kind = kindOf(request);
      auto& list = replies[kind];
      if (list.empty()) return httpReply(404, "");
      const std::size_t i = std::min(served[kind]++, list.size() - 1);
      return list[i];
    });
  }

  static std::string kindOf(const HttpExchange& r) {
    if (r.method == "POST" && r.target == "/dev/devices") return "register";
    if (r.method == "GET" && r.target.rfind("/dev/devices/", 0) == 0) return "provision";
    if (r.method == "DELETE") return "unregister";
    if (r.method == "POST" && r.target.rfind("/dev/ota/v4.1/update_and_check/", 0) == 0) return "ota";
    return "other";
  }
  std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const auto& r : api.requests) out.push_back(kindOf(r));
    return out;
  }

  CloudClient& make(CloudSettings settings = {}) {
    cloud = std::make_unique<CloudClient>(board.net(), board.dns(), board.flash(), logs, config, identity,
                                          events, events, settings);
    return *cloud;
  }
  void startAndRun(Millis duration = hal::seconds(10)) {
    if (!cloud) make();
    cloud->start(board.clock().now());
    run(duration);
  }
  void run(Millis duration) {
    cloudtest::runUntil(
        board.clock(), board.clock().now() + duration, [&](Millis now) { cloud->poll(now); },
        [&] { return cloud->nextDeadline(); },
        [&](Millis now) {
          const bool a = api.service(now);
          return downloads.service(now) || a;
        });
  }
};

}  // namespace

TEST_F(CloudClientTest, S8_2_RegistersWhenNoDid) {
  config.did.clear();
  startAndRun();
  ASSERT_GE(api.requests.size(), 2u);
  // §3.2, byte for byte (the MAC is all zeros here).
  EXPECT_EQ(api.requests[0].raw,
            "POST /dev/devices HTTP/1.1\r\nHost: api.gizwits.com\r\nContent-Length: 81\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            "passcode=PHHLXAKMEI&mac=000000000000&product_key=6f3074fe43894547a4f1314bd7e3ae0b");
  EXPECT_EQ(api.requests[1].target, "/dev/devices/" + std::string(kNewDid));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"register", "provision", "ota"}));
  EXPECT_EQ(events.log, (std::vector<std::string>{"registered " + std::string(kNewDid), "time 1700000000",
                                                  "m2m 2:1883"}));
  EXPECT_EQ(cloud->did(), kNewDid);
  EXPECT_EQ(cloud->state(), CloudClient::State::Ready);
}

// A server on a fast LAN answers before the module's send returns (gagent-sim against a lab cloud on an idle
// thread does): the reply to a request started while the previous reply was handled must not be lost.
class InstantReplyNet : public hal::Net {
 public:
  InstantReplyNet(hal::Net& inner, std::function<void()> afterSend)
      : inner_(inner), afterSend_(std::move(afterSend)) {}
  hal::SocketId udpOpen(std::uint16_t port, bool broadcast) override {
    return inner_.udpOpen(port, broadcast);
  }
  hal::IoResult udpSend(hal::SocketId s, hal::Endpoint to, std::span<const std::uint8_t> d) override {
    return inner_.udpSend(s, to, d);
  }
  hal::IoResult udpReceive(hal::SocketId s, std::span<std::uint8_t> out, hal::Endpoint& from) override {
    return inner_.udpReceive(s, out, from);
  }
  hal::SocketId tcpListen(std::uint16_t port, int backlog) override {
    return inner_.tcpListen(port, backlog);
  }
  hal::SocketId tcpAccept(hal::SocketId l, hal::Endpoint& peer) override { return inner_.tcpAccept(l, peer); }
  hal::SocketId tcpConnect(hal::Endpoint remote) override { return inner_.tcpConnect(remote); }
  hal::TcpState tcpState(hal::SocketId s) override { return inner_.tcpState(s); }
  hal::IoResult tcpSend(hal::SocketId s, std::span<const std::uint8_t> data) override {
    const hal::IoResult result = inner_.tcpSend(s, data);
    afterSend_();  // the server reads the request and answers at once
    return result;
  }
  hal::IoResult tcpReceive(hal::SocketId s, std::span<std::uint8_t> out) override {
    return inner_.tcpReceive(s, out);
  }
  void close(hal::SocketId s) override { inner_.close(s); }

 private:
  hal::Net& inner_;
  std::function<void()> afterSend_;
};

TEST_F(CloudClientTest, S8_2_S8_4_RepliesThatArriveInsideTheRequestsOwnStartAreHandledAtOnce) {
  config.did.clear();
  InstantReplyNet instant(board.net(), [this] { api.service(board.clock().now()); });
  cloud = std::make_unique<CloudClient>(instant, board.dns(), board.flash(), logs, config, identity, events,
                                        events, CloudSettings{});
  cloud->start(board.clock().now());
  // One pass at one instant: register, provision and the OTA check each answered inside their start.
  for (int pass = 0; pass < 3 && cloud->state() != CloudClient::State::Ready; ++pass) {
    cloud->poll(board.clock().now());
  }
  EXPECT_EQ(kinds(), (std::vector<std::string>{"register", "provision", "ota"}));
  EXPECT_EQ(events.log, (std::vector<std::string>{"registered " + std::string(kNewDid), "time 1700000000",
                                                  "m2m 2:1883"}));
  EXPECT_EQ(cloud->state(), CloudClient::State::Ready);
}

TEST_F(CloudClientTest, S8_2_RegistrationFailureStopsCloud) {
  config.did.clear();
  replies["register"] = {httpReply(400, R"({"error_code":9002,"error_message":"product_key invalid"})")};
  startAndRun(hal::seconds(9));
  EXPECT_EQ(kinds(), std::vector<std::string>{"register"});  // no provision, no OTA check, no M2M
  EXPECT_TRUE(events.log.empty());
  EXPECT_EQ(cloud->state(), CloudClient::State::RetryWait);
  EXPECT_EQ(cloud->nextDeadline(), CloudClient::kRetryStep);

  // Retried with the backoff: 10 s, then 20 s later.
  run(hal::seconds(1));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"register", "register"}));
  EXPECT_EQ(api.requests[1].time, hal::seconds(10));
  replies["register"] = {httpReply(201, "did=" + std::string(kNewDid))};
  run(hal::seconds(20));
  ASSERT_EQ(api.requests.size(), 5u);
  EXPECT_EQ(api.requests[2].time, hal::seconds(30));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"register", "register", "register", "provision", "ota"}));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
}

TEST_F(CloudClientTest, S8_4_3_S8_4_5_ProvisionsAtEveryStart) {
  replies["provision"] = {httpReply(
      200, "host=m2m.gizwits.com&port=1883&server_ts=1700000000&3rd_cloud=jd&product_uuid=ABC123\r\n")};
  startAndRun();
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota"}));
  EXPECT_EQ(api.requests[0].raw,
            "GET /dev/devices/Xy7GdQa0jW4bRvU2mN8pLk HTTP/1.1\r\nHost: api.gizwits.com\r\n"
            "Cache-Control: no-cache\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n");
  EXPECT_EQ(events.log, (std::vector<std::string>{"time 1700000000", "3rd jd ABC123", "m2m 2:1883"}));

  cloud->stop();
  startAndRun();  // the next start (e.g. after the router came back) provisions again
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota", "provision", "ota"}));
  EXPECT_EQ(events.readyAt.size(), 2u);
}

TEST_F(CloudClientTest, S8_4_4_Error9016ReregistersWithoutUnregister) {
  replies["provision"] = {httpReply(400, R"({"error_code":9016,"error_message":"did or passcode invalid"})"),
                          kProvisionOk};
  startAndRun();
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "register", "provision", "ota"}));  // no DELETE
  EXPECT_EQ(api.requests[2].target, "/dev/devices/" + std::string(kNewDid));
  EXPECT_EQ(events.log, (std::vector<std::string>{"registered " + std::string(kNewDid), "time 1700000000",
                                                  "m2m 2:1883"}));
}

TEST_F(CloudClientTest, S8_4_4_OtherErrorRetriesProvision) {
  replies["provision"] = {httpReply(500, ""), httpReply(404, R"({"error_code":9014})"), std::nullopt,
                          kProvisionOk};
  startAndRun(hal::minutes(2));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "provision", "provision", "provision", "ota"}));
  // 10 s after the first failure, 20 s after the second; the third timed out (5 s) and waited 30 s.
  EXPECT_EQ(api.requests[1].time, hal::seconds(10));
  EXPECT_EQ(api.requests[2].time, hal::seconds(30));
  EXPECT_EQ(api.requests[3].time, hal::seconds(65));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
  EXPECT_EQ(cloud->failures(), 0u);  // backoff reset once provisioned
}

TEST_F(CloudClientTest, S8_4_4_RetryDelayIsCapped) {
  replies["provision"] = {httpReply(503, "")};
  startAndRun(hal::hours(8));  // 10+20+...+600 s is about 5 h
  ASSERT_GT(api.requests.size(), 20u);
  const auto n = api.requests.size();
  EXPECT_EQ(api.requests[n - 1].time - api.requests[n - 2].time, CloudClient::kRetryMax);
  EXPECT_TRUE(events.log.empty());
}

TEST_F(CloudClientTest, S8_4_2_NoM2mAddressMeansNoFurtherCloudOperations) {
  replies["provision"] = {httpReply(200, "server_ts=1700000000&")};
  startAndRun(hal::seconds(9));
  EXPECT_EQ(kinds(), std::vector<std::string>{"provision"});  // no OTA check, no login
  EXPECT_TRUE(events.log.empty());
  EXPECT_EQ(cloud->state(), CloudClient::State::RetryWait);
}

TEST_F(CloudClientTest, S9_2_OtaCheckOneTryThreeSeconds) {
  replies["ota"] = {std::nullopt};  // the server never answers
  startAndRun(hal::minutes(5));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota"}));  // one try, no retry
  ASSERT_EQ(events.readyAt.size(), 1u);
  EXPECT_EQ(events.readyAt[0], api.requests[1].time + hal::seconds(3));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");  // login follows anyway
}

TEST_F(CloudClientTest, S9_2_OtaCheckAfterProvisionBeforeLogin) {
  startAndRun();
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota"}));
  ASSERT_EQ(events.readyAt.size(), 1u);
  EXPECT_GE(events.readyAt[0], api.requests[1].time);
}

TEST_F(CloudClientTest, S9_3_S9_5_OtaCheckCarriesTheSpecFields) {
  config.fid = 5;
  startAndRun();
  ASSERT_EQ(api.requests.size(), 2u);
  const std::string body =
      "passcode=PHHLXAKMEI&type=1&hard_version=000LINUX&soft_version=04020006"
      "&product_key=6f3074fe43894547a4f1314bd7e3ae0b&current_fid=5";
  EXPECT_EQ(api.requests[1].raw,
            "POST /dev/ota/v4.1/update_and_check/Xy7GdQa0jW4bRvU2mN8pLk HTTP/1.1\r\n"
            "Host: api.gizwits.com\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" +
                body);
}

TEST_F(CloudClientTest, S9_4_FidZeroSentAsOneNotStored) {
  config.fid = 0;
  replies["ota"] = {httpReply(200, "soft_ver=04020006&download_url=http://203.0.113.3/fw.bin&fid=1\r\n")};
  startAndRun();
  ASSERT_EQ(api.requests.size(), 2u);
  EXPECT_NE(api.requests[1].body.find("&current_fid=1"), std::string::npos);
  EXPECT_TRUE(downloads.requests.empty());  // FID 1 is what we sent: nothing to download
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
  for (const auto& e : events.log) EXPECT_EQ(e.rfind("installed", 0), std::string::npos);
  EXPECT_EQ(config.fid, 0u);
}

TEST_F(CloudClientTest, S9_6_FidUpdatedOnlyAfterFlashWrite) {
  config.fid = 1;
  const std::string fw = image();
  replies["ota"] = {httpReply(200, "soft_ver=04020007&download_url=http://203.0.113.3/ota/fw.bin&fid=2\r\n")};
  downloads.replyAlways(httpReply(200, fw, "Firmware-MD5: " + md5Hex(fw) + "\r\n"));
  startAndRun();
  ASSERT_EQ(downloads.requests.size(), 1u);
  EXPECT_EQ(downloads.requests[0].target, "/ota/fw.bin");
  EXPECT_EQ(events.log, (std::vector<std::string>{"time 1700000000", "installed 2 04020007 24051210"}));
  EXPECT_TRUE(events.flashHeldImage);
  EXPECT_EQ(cloud->state(), CloudClient::State::Installed);  // the agent reboots; no login first
  EXPECT_TRUE(events.readyAt.empty());
}

TEST_F(CloudClientTest, S9_6_Md5MismatchKeepsFid) {
  config.fid = 1;
  const std::string fw = image();
  replies["ota"] = {httpReply(200, "soft_ver=04020007&download_url=http://203.0.113.3/ota/fw.bin&fid=2\r\n")};
  downloads.replyAlways(httpReply(200, fw, "Firmware-MD5: " + md5Hex("not the image") + "\r\n"));
  startAndRun();
  EXPECT_EQ(events.log,
            (std::vector<std::string>{"time 1700000000", "ota failed MD5 mismatch", "m2m 2:1883"}));
  EXPECT_FALSE(readInstalledImage(board.flash()));
  EXPECT_EQ(cloud->state(), CloudClient::State::Ready);
}

TEST_F(CloudClientTest, S9_6_WithoutFidAGreaterSoftVersionUpdates) {
  const std::string fw = image();
  replies["ota"] = {httpReply(200, "soft_ver=04020007&download_url=http://203.0.113.3/fw.bin\r\n"),
                    httpReply(200, "soft_ver=04020005&download_url=http://203.0.113.3/fw.bin\r\n")};
  downloads.replyAlways(httpReply(200, fw, "Firmware-MD5: " + md5Hex(fw) + "\r\n"));
  startAndRun();
  EXPECT_EQ(events.log.back(), "installed 1 04020007 24051210");
  cloud->start(board.clock().now());
  run(hal::seconds(10));
  EXPECT_EQ(downloads.requests.size(), 1u);  // an older soft_ver is not downloaded
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
}

TEST_F(CloudClientTest, S9_1_ServerPushRunsTheSameCheck) {
  startAndRun();
  ASSERT_EQ(events.readyAt.size(), 1u);
  cloud->checkOtaNow(board.clock().now());
  run(hal::seconds(10));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota", "ota"}));
  EXPECT_EQ(api.requests[2].body, api.requests[1].body);
  EXPECT_EQ(events.readyAt.size(), 1u);  // the running M2M session is not restarted
  EXPECT_EQ(cloud->state(), CloudClient::State::Ready);
}

TEST_F(CloudClientTest, S11_1_ResolvesApiThenM2mHosts) {
  board.dns().setLatency(300);
  startAndRun();
  ASSERT_EQ(board.dns().queries().size(), 2u);
  EXPECT_EQ(board.dns().queries()[0].host, "api.gizwits.com");
  EXPECT_EQ(board.dns().queries()[1].host, "m2m.gizwits.com");
  EXPECT_EQ(api.requests[0].time, 300u);
  EXPECT_EQ(cloud->m2mServer(), (hal::Endpoint{kM2mIp, 1883}));
}

TEST_F(CloudClientTest, S11_3_DnsFailureSkipsServer) {
  board.dns().setFailing(true);
  startAndRun(hal::seconds(9));
  EXPECT_TRUE(api.requests.empty());
  for (const auto& r : board.net().record()) EXPECT_NE(r.kind, sim::NetRecord::Kind::TcpOpen);
  EXPECT_TRUE(events.log.empty());

  board.dns().setFailing(false);
  run(hal::seconds(1));  // the resolution is retried with the backoff
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota"}));
}

TEST_F(CloudClientTest, S11_3_M2mHostThatDoesNotResolveMeansNoLogin) {
  board.dns().removeHost("m2m.gizwits.com");
  startAndRun(hal::seconds(9));
  EXPECT_EQ(kinds(), std::vector<std::string>{"provision"});  // nothing after it: no OTA check, no login
  EXPECT_EQ(events.log, std::vector<std::string>{"time 1700000000"});
  board.dns().setHost("m2m.gizwits.com", kM2mIp);
  run(hal::seconds(2));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
}

TEST_F(CloudClientTest, S11_DottedIpHostsNeedNoDns) {
  FakeHttpServer lab{board.net(), {hal::ipv4(127, 0, 0, 2), 8000}};
  lab.replySequence({httpReply(200, "host=127.0.0.3&port=1883&"), httpReply(404, "")});
  CloudSettings settings;
  settings.apiHost = "127.0.0.2";
  settings.apiPort = 8000;
  make(settings);
  cloud->start(0);
  cloudtest::runUntil(
      board.clock(), hal::seconds(5), [&](Millis now) { cloud->poll(now); },
      [&] { return cloud->nextDeadline(); }, [&](Millis now) { return lab.service(now); });
  EXPECT_TRUE(board.dns().queries().empty());
  ASSERT_EQ(lab.requests.size(), 2u);
  EXPECT_NE(lab.requests[0].raw.find("Host: 127.0.0.2\r\n"), std::string::npos);
  EXPECT_EQ(events.log.back(), "m2m 3:1883");
}

TEST_F(CloudClientTest, S11_4_M2mReResolvedHourly) {
  startAndRun();
  cloud->onM2mLoggedIn(board.clock().now());
  const Millis loggedIn = board.clock().now();
  const std::size_t before = board.dns().queries().size();
  run(hal::hours(1) - 1);
  EXPECT_EQ(board.dns().queries().size(), before);
  run(1);
  ASSERT_EQ(board.dns().queries().size(), before + 1);
  EXPECT_EQ(board.dns().queries().back().host, "m2m.gizwits.com");
  EXPECT_EQ(board.dns().queries().back().time, loggedIn + hal::hours(1));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");  // same address: nothing to report

  board.dns().setHost("m2m.gizwits.com", hal::ipv4(203, 0, 113, 99));
  run(hal::hours(1));
  EXPECT_EQ(board.dns().queries().size(), before + 2);
  EXPECT_EQ(events.log.back(), "moved 99:1883");
  EXPECT_EQ(cloud->m2mServer(), (hal::Endpoint{hal::ipv4(203, 0, 113, 99), 1883}));

  board.dns().setFailing(true);  // a failed re-resolution keeps the working address
  run(hal::hours(1));
  EXPECT_EQ(board.dns().queries().size(), before + 3);
  EXPECT_EQ(cloud->m2mServer().ip, hal::ipv4(203, 0, 113, 99));
  EXPECT_TRUE(api.requests.size() == 2u);  // re-resolution is DNS only
}

TEST_F(CloudClientTest, S8_3_UnregisterSendsDelete) {
  make();
  cloud->unregister("OLDDIDxxxxxxxxxxxxxxxx", "OLDPASSCOD", 0);
  startAndRun();
  ASSERT_GE(api.requests.size(), 1u);
  EXPECT_EQ(api.requests[0].raw,
            "DELETE /dev/devices HTTP/1.1\r\nHost: api.gizwits.com\r\nContent-Length: 46\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            "did=OLDDIDxxxxxxxxxxxxxxxx&passcode=OLDPASSCOD");
  EXPECT_EQ(kinds(), (std::vector<std::string>{"unregister", "provision", "ota"}));
  EXPECT_EQ(events.log.front(), "unregistered");
}

TEST_F(CloudClientTest, S8_3_UnregisterWhileReadyAndItsFailure) {
  replies["unregister"] = {httpReply(400, R"({"error_code":9016})")};
  startAndRun();
  cloud->unregister(kDid, kPasscode, board.clock().now());
  run(hal::seconds(1));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota", "unregister"}));
  EXPECT_EQ(events.log.back(), "unregister failed");
  EXPECT_EQ(cloud->state(), CloudClient::State::Ready);
}

TEST_F(CloudClientTest, S8_8_4_ReprovisionKeepsTheDid) {
  startAndRun();
  cloud->reprovision(board.clock().now());
  run(hal::seconds(10));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota", "provision", "ota"}));
  EXPECT_EQ(events.readyAt.size(), 2u);
  EXPECT_EQ(board.dns().queries().size(), 3u);  // the API address comes from the cache (S11.2)
}

TEST_F(CloudClientTest, S8_9_ReregisterRegistersThenProvisions) {
  startAndRun();
  cloud->reregister(board.clock().now());
  run(hal::seconds(10));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "ota", "register", "provision", "ota"}));
  EXPECT_EQ(cloud->did(), kNewDid);
  EXPECT_EQ(events.readyAt.size(), 2u);
}

TEST_F(CloudClientTest, MalformedRepliesAreFailuresNotCrashes) {
  replies["provision"] = {"HTTP/1.1 2OO OK\r\n\r\n", "\x01\x02\x03garbage", kProvisionOk};
  startAndRun(hal::minutes(1));
  EXPECT_EQ(kinds(), (std::vector<std::string>{"provision", "provision", "provision", "ota"}));
  EXPECT_EQ(events.log.back(), "m2m 2:1883");
}

TEST_F(CloudClientTest, StopDropsEverythingInFlight) {
  replies["provision"] = {std::nullopt};
  make();
  cloud->start(0);
  run(100);
  cloud->stop();
  EXPECT_EQ(cloud->state(), CloudClient::State::Idle);
  EXPECT_EQ(cloud->nextDeadline(), hal::kNever);
  EXPECT_EQ(board.net().openSocketCount(), 0u);
}
