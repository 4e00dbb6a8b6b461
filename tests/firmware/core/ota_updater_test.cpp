#include "gagent/core/ota_updater.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cloud_test_support.h"

using namespace gagent;
using namespace gagent::core;
using cloudtest::FakeHttpServer;

namespace {

constexpr hal::Endpoint kDownloadServer{hal::ipv4(203, 0, 113, 3), 8080};
constexpr std::string_view kUrl = "http://203.0.113.3:8080/ota/GAgent_000LINUX_04020007_24051210.bin";
constexpr std::string_view kHardware = "000LINUX";

std::string firmware(std::string_view hw = kHardware, std::size_t payloadSize = 9000) {
  std::vector<std::uint8_t> payload(payloadSize);
  for (std::size_t i = 0; i < payloadSize; ++i) payload[i] = static_cast<std::uint8_t>(i * 13 + 1);
  std::vector<std::uint8_t> out(kFirmwareImageHeaderSize + payloadSize);
  out.resize(encodeFirmwareImage(out, hw, "04020007", "24051210", payload));
  return {out.begin(), out.end()};
}

std::string md5Hex(std::string_view bytes) {
  Md5 md5;
  md5.update(proto::asBytes(bytes));
  const auto hex = Md5::toHex(md5.finish());
  return {hex.begin(), hex.end()};
}

std::string downloadReply(const std::string& image, std::string md5) {
  return cloudtest::httpReply(200, image,
                              "Firmware-MD5: " + md5 +
                                  "\r\nSoft-Version: 04020007\r\nContent-Disposition: attachment; "
                                  "filename=\"GAgent_000LINUX_04020007_24051210.bin\"\r\n");
}

struct Listener : OtaListener {
  std::vector<std::string> events;
  bool imageInFlashWhenInstalled = false;
  hal::Flash* flash = nullptr;
  void onFirmwareInstalled(std::uint32_t fid, std::string_view sw, std::string_view fw, Millis) override {
    events.push_back("installed " + std::to_string(fid) + " " + std::string(sw) + " " + std::string(fw));
    imageInFlashWhenInstalled = flash != nullptr && readInstalledImage(*flash).has_value();
  }
  void onOtaFailed(OtaFailure failure, Millis) override {
    events.push_back("failed " + std::string(otaFailureName(failure)));
  }
};

struct OtaUpdaterTest : ::testing::Test {
  sim::SimBoard board;
  LogHub logs;
  Listener listener;
  HttpClient http{board.net(), logs};
  OtaUpdater ota{http, board.dns(), board.flash(), logs, listener};
  FakeHttpServer server{board.net(), kDownloadServer};

  OtaUpdaterTest() {
    board.net().setModuleAddress(sim::SimNet::kStationAddress);
    listener.flash = &board.flash();
  }
  void run(Millis duration = hal::seconds(30)) {
    cloudtest::runUntil(
        board.clock(), board.clock().now() + duration, [&](Millis now) { ota.poll(now); },
        [&] { return ota.nextDeadline(); }, [&](Millis now) { return server.service(now); });
  }
};

}  // namespace

TEST_F(OtaUpdaterTest, S9_6_StreamsTheImageIntoFlashThenReportsIt) {
  const std::string image = firmware();
  board.net().setMaxSegmentSize(256);  // the image arrives in many pieces
  server.replyAlways(downloadReply(image, md5Hex(image)));
  ASSERT_TRUE(ota.start(kUrl, 7, kHardware, 0));
  run();
  ASSERT_EQ(listener.events, std::vector<std::string>{"installed 7 04020007 24051210"});
  EXPECT_TRUE(listener.imageInFlashWhenInstalled);  // the FID is reported only once the flash holds the image
  EXPECT_EQ(ota.lastOutcome(), OtaUpdater::Outcome::Installed);
  ASSERT_EQ(server.requests.size(), 1u);
  EXPECT_EQ(server.requests[0].raw,
            "GET /ota/GAgent_000LINUX_04020007_24051210.bin HTTP/1.1\r\nHost: 203.0.113.3:8080\r\n\r\n");
  const FlashRegion region = otaRegion(board.flash());
  const auto& flash = board.flash().contents();
  EXPECT_EQ(std::string(flash.begin() + static_cast<std::ptrdiff_t>(region.offset),
                        flash.begin() + static_cast<std::ptrdiff_t>(region.offset + image.size())),
            image);
  EXPECT_FALSE(ota.busy());
}

TEST_F(OtaUpdaterTest, S9_6_ChunkedDownloadWithTheHostResolvedByDns) {
  board.dns().setHost("ota.gizwits.com", kDownloadServer.ip);
  board.dns().setLatency(100);
  const std::string image = firmware(kHardware, 1000);
  std::string reply =
      "HTTP/1.1 200 OK\r\nFirmware-MD5: " + md5Hex(image) + "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < image.size(); at += 300) {
    const std::string piece = image.substr(at, 300);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    reply += size + piece + "\r\n";
  }
  reply += "0\r\n\r\n";
  server.replyAlways(reply);
  ASSERT_TRUE(ota.start("http://ota.gizwits.com:8080/fw.bin", 3, kHardware, 0));
  EXPECT_EQ(ota.state(), OtaUpdater::State::Resolving);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"installed 3 04020007 24051210"});
  ASSERT_EQ(board.dns().queries().size(), 1u);
  EXPECT_EQ(board.dns().queries()[0].host, "ota.gizwits.com");
}

TEST_F(OtaUpdaterTest, S9_6_Md5MismatchInstallsNothing) {
  const std::string image = firmware();
  server.replyAlways(downloadReply(image, md5Hex("something else")));
  ota.start(kUrl, 7, kHardware, 0);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed MD5 mismatch"});
  EXPECT_FALSE(readInstalledImage(board.flash()));  // the unverified image does not count as installed
  EXPECT_EQ(ota.lastOutcome(), OtaUpdater::Outcome::Failed);
}

TEST_F(OtaUpdaterTest, S9_6_ImageForOtherHardwareIsRejected) {
  const std::string image = firmware("OTHERHW1");
  server.replyAlways(downloadReply(image, md5Hex(image)));
  ota.start(kUrl, 7, kHardware, 0);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed image for another hardware version"});
  EXPECT_FALSE(readInstalledImage(board.flash()));
}

TEST_F(OtaUpdaterTest, S9_6_NotAnImageIsRejected) {
  const std::string junk(2000, 'j');
  server.replyAlways(downloadReply(junk, md5Hex(junk)));
  ota.start(kUrl, 7, kHardware, 0);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed invalid image"});
}

TEST_F(OtaUpdaterTest, DownloadWithoutMd5OrWithA404Fails) {
  const std::string image = firmware();
  server.replySequence(
      {cloudtest::httpReply(200, image), cloudtest::httpReply(404, R"({"error_code":9027})")});
  ota.start(kUrl, 7, kHardware, 0);
  run();
  ota.start(kUrl, 7, kHardware, board.clock().now());
  run();
  EXPECT_EQ(listener.events, (std::vector<std::string>{"failed no usable Firmware-MD5",
                                                       "failed download refused by the server"}));
}

TEST_F(OtaUpdaterTest, ImageLargerThanTheOtaRegionIsRefusedBeforeWriting) {
  const std::size_t region = otaRegion(board.flash()).size;
  const std::string image = firmware(kHardware, region);  // header + region bytes: too large
  server.replyAlways(downloadReply(image, md5Hex(image)));
  ota.start(kUrl, 7, kHardware, 0);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed image larger than the OTA region"});
  EXPECT_EQ(board.flash().byteOperations(), 0u);
}

TEST_F(OtaUpdaterTest, FlashFailureMidWayIsReported) {
  const std::string image = firmware();
  server.replyAlways(downloadReply(image, md5Hex(image)));
  board.flash().cutPowerAfter(5000);
  ota.start(kUrl, 7, kHardware, 0);
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed flash write failed"});
}

TEST_F(OtaUpdaterTest, FailedDownloadInvalidatesAnOlderImage) {
  const std::string image = firmware();
  server.replySequence(
      {downloadReply(image, md5Hex(image)), "HTTP/1.1 200 OK\r\nFirmware-MD5: " + md5Hex(image) +
                                                "\r\nContent-Length: 9037\r\n\r\nGAFW-truncated"});
  ota.start(kUrl, 7, kHardware, 0);
  run();
  ASSERT_TRUE(readInstalledImage(board.flash()));
  ota.start(kUrl, 8, kHardware, board.clock().now());
  run();
  EXPECT_EQ(listener.events.back(), "failed download failed");
  EXPECT_FALSE(readInstalledImage(board.flash()));
}

TEST_F(OtaUpdaterTest, S3_5_OnlyHttpUrlsAreFollowed) {
  EXPECT_FALSE(ota.start("https://203.0.113.3/fw.bin", 7, kHardware, 0));
  EXPECT_FALSE(ota.start("ftp://203.0.113.3/fw.bin", 7, kHardware, 0));
  EXPECT_FALSE(ota.start(std::string(OtaUpdater::kMaxUrlLength + 1, 'h'), 7, kHardware, 0));
  EXPECT_EQ(listener.events, std::vector<std::string>(3, "failed bad download URL"));
  EXPECT_TRUE(board.net().record().empty());
}

TEST_F(OtaUpdaterTest, S11_3_DownloadHostThatDoesNotResolve) {
  board.dns().setFailing(true);
  ASSERT_TRUE(ota.start("http://ota.gizwits.com/fw.bin", 7, kHardware, 0));
  run();
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed download host did not resolve"});
  EXPECT_TRUE(server.requests.empty());
}

TEST_F(OtaUpdaterTest, ServerThatStopsSendingTimesOut) {
  server.onRequest([](const cloudtest::HttpExchange&) { return std::nullopt; });
  ota.start(kUrl, 7, kHardware, 0);
  run(OtaUpdater::kDownloadTimeout - 1);
  EXPECT_TRUE(ota.busy());
  run(1);
  EXPECT_EQ(listener.events, std::vector<std::string>{"failed download failed"});
}
