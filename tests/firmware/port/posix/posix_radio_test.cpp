// PosixRadio against a scripted air (docs/virtual-lab.md "The air protocol"): requests and their order, reply
// handling, events, malformed replies, the air going away and coming back, and no air at all.
#include "gagent/posix/posix_radio.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>

#include "scripted_air.h"

using namespace gagent;
using namespace std::chrono_literals;

namespace {

constexpr hal::MacAddress kMac{0x02, 0x47, 0x7F, 0x00, 0x00, 0x4D};
constexpr hal::Ipv4 kModule = hal::ipv4(127, 0, 0, 77);

class PosixRadioTest : public ::testing::Test {
 protected:
  PosixRadioTest() : start_(std::chrono::steady_clock::now()) {
    air.reply = [](const std::string& line) -> std::string {
      if (line == "SCAN") return "OK 2 Home%20Net 72 Other 30";
      if (line == "JOIN Home%20Net password1") return "OK";
      if (line.rfind("JOIN Home%20Net ", 0) == 0) return "ERROR wrong-password";
      if (line.rfind("JOIN ", 0) == 0) return "ERROR no-ap";
      if (line == "SIGNAL") return "OK 64";
      return "OK";
    };
  }

  hal::Millis now() const {
    return static_cast<hal::Millis>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_)
            .count());
  }

  template <typename Done>
  bool runUntil(posix::PosixRadio& radio, Done&& done) {
    for (int i = 0; i < 2000; ++i) {
      radio.service(now());
      air.service();
      radio.service(now());
      if (done()) return true;
      ::poll(nullptr, 0, 5);
    }
    return false;
  }

  std::unique_ptr<posix::PosixRadio> makeRadio() {
    return std::make_unique<posix::PosixRadio>(air.endpoint(), kMac, kModule, logs, now());
  }

  std::chrono::steady_clock::time_point start_;
  core::LogHub logs;
  test::ScriptedAir air;
};

TEST_F(PosixRadioTest, HelloFirstThenAJoinMadeWhileConnecting) {
  auto radio = makeRadio();
  ASSERT_TRUE(radio->joinStation("Home Net", "password1"));
  EXPECT_EQ(radio->stationLink(), hal::LinkState::Joining);
  EXPECT_EQ(radio->stationAddress(), hal::Ipv4{});
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() != hal::LinkState::Joining; }));
  EXPECT_EQ(radio->stationLink(), hal::LinkState::Up);
  EXPECT_EQ(radio->stationAddress(), kModule);
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationSignal() == 64; }));
  ASSERT_GE(air.requests.size(), 3u);
  EXPECT_EQ(air.requests[0], "HELLO 02477f00004d 127.0.0.77");
  EXPECT_EQ(air.requests[1], "JOIN Home%20Net password1");
  EXPECT_EQ(air.requests[2], "SIGNAL");
}

TEST_F(PosixRadioTest, JoinFailuresMapToLinkStates) {
  auto radio = makeRadio();
  radio->joinStation("Home Net", "wrong-one");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() != hal::LinkState::Joining; }));
  EXPECT_EQ(radio->stationLink(), hal::LinkState::WrongPassword);
  radio->joinStation("Nowhere", "");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() != hal::LinkState::Joining; }));
  EXPECT_EQ(radio->stationLink(), hal::LinkState::NoAccessPoint);
  EXPECT_EQ(air.requests.back(), "JOIN Nowhere -");
}

TEST_F(PosixRadioTest, ScanResultsAreDecoded) {
  auto radio = makeRadio();
  ASSERT_TRUE(radio->startScan());
  EXPECT_EQ(radio->scanState(), hal::ScanState::Running);
  EXPECT_FALSE(radio->startScan());  // one at a time
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->scanState() != hal::ScanState::Running; }));
  ASSERT_EQ(radio->scanState(), hal::ScanState::Done);
  std::array<hal::AccessPoint, 4> results{};
  ASSERT_EQ(radio->scanResults(results), 2u);
  EXPECT_EQ(results[0].ssidView(), "Home Net");
  EXPECT_EQ(results[0].signal, 72);
  EXPECT_EQ(results[1].ssidView(), "Other");
  EXPECT_EQ(results[1].signal, 30);
}

TEST_F(PosixRadioTest, MalformedScanReplyIsAFailedScanNotACrash) {
  air.reply = [](const std::string& line) {
    return line == "SCAN" ? std::string("OK 3 a") : std::string("OK");
  };
  auto radio = makeRadio();
  radio->startScan();
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->scanState() != hal::ScanState::Running; }));
  EXPECT_EQ(radio->scanState(), hal::ScanState::Failed);
}

TEST_F(PosixRadioTest, LinkDownEventDropsTheStation) {
  auto radio = makeRadio();
  radio->joinStation("Home Net", "password1");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() == hal::LinkState::Up; }));
  air.push("EVENT link-down Other");  // not ours
  air.push("EVENT link-down Home%20Net");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() == hal::LinkState::Down; }));
  EXPECT_EQ(radio->stationSignal(), 0);
}

TEST_F(PosixRadioTest, OneShotCredentialsArriveAsAnEvent) {
  auto radio = makeRadio();
  ASSERT_TRUE(radio->startOneShot(hal::OneShotKind::AirKiss));
  ASSERT_TRUE(runUntil(*radio, [&] { return air.count("ONESHOT airkiss") == 1; }));
  air.push("EVENT oneshot Home%20Net pass%20word");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->oneShotState() == hal::OneShotState::Received; }));
  hal::WifiCredentials credentials{};
  ASSERT_TRUE(radio->oneShotResult(credentials));
  EXPECT_EQ(std::string_view(credentials.ssid.data(), credentials.ssidLength), "Home Net");
  EXPECT_EQ(std::string_view(credentials.password.data(), credentials.passwordLength), "pass word");
  radio->stopOneShot();
  EXPECT_TRUE(runUntil(*radio, [&] { return air.count("ONESHOT-OFF") == 1; }));
}

TEST_F(PosixRadioTest, AirGoingAwayIsALinkDownThenHelloAndTheSoftApAgain) {
  auto radio = makeRadio();
  ASSERT_TRUE(radio->startSoftAp("XPG-GAgent-004D", "123456789"));
  radio->joinStation("Home Net", "password1");
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() == hal::LinkState::Up; }));
  air.dropModule();
  ASSERT_TRUE(runUntil(*radio, [&] { return radio->stationLink() == hal::LinkState::Down; }));
  ASSERT_TRUE(runUntil(*radio, [&] { return air.connections == 2 && air.count("SOFTAP ") == 2; }));
  EXPECT_EQ(air.count("HELLO "), 2u);
  EXPECT_EQ(air.requests.back(), "SOFTAP XPG-GAgent-004D 123456789");
  // The station is the core's to rejoin.
  radio->joinStation("Home Net", "password1");
  EXPECT_TRUE(runUntil(*radio, [&] { return radio->stationLink() == hal::LinkState::Up; }));
}

TEST_F(PosixRadioTest, WithoutAnAirNothingIsInRange) {
  core::LogHub hub;
  posix::PosixRadio radio(std::nullopt, kMac, kModule, hub, 0);
  EXPECT_TRUE(radio.joinStation("Home Net", "password1"));
  EXPECT_EQ(radio.stationLink(), hal::LinkState::NoAccessPoint);
  EXPECT_TRUE(radio.startScan());
  EXPECT_EQ(radio.scanState(), hal::ScanState::Done);
  std::array<hal::AccessPoint, 2> results{};
  EXPECT_EQ(radio.scanResults(results), 0u);
  EXPECT_TRUE(radio.startSoftAp("XPG-GAgent-004D", "123456789"));
  EXPECT_EQ(radio.fd(), -1);
  EXPECT_EQ(radio.nextDeadline(), hal::kNever);
}

TEST_F(PosixRadioTest, RefusedConnectionRetriesWithoutBlocking) {
  core::LogHub hub;
  posix::PosixRadio radio(hal::Endpoint{hal::ipv4(127, 0, 0, 1), 1}, kMac, kModule, hub, now());
  for (int i = 0; i < 100 && radio.nextDeadline() == hal::kNever; ++i) {
    radio.service(now());
    ::poll(nullptr, 0, 5);
  }
  EXPECT_NE(radio.nextDeadline(), hal::kNever);  // waiting to retry
  radio.joinStation("Home Net", "password1");
  EXPECT_EQ(radio.stationLink(), hal::LinkState::NoAccessPoint);
}

}  // namespace
