// gagent-sim under sustained abuse (issue 16; label soak, on demand, never in the default run):
//   GAGENT_SOAK_MINUTES=10 ctest --test-dir build -L soak --output-on-failure
// For N minutes the module faces a UDP and TCP flood of garbage on the LAN, eight squatters that never log
// in (reconnecting whenever they are dropped), a passcode guesser on another address, garbage on its UART
// between the MCU's frames, and a cloud API that only misbehaves. Meanwhile a real app logs in and reads the
// device every 3 s and the MCU asks for the network time every 2 s. It reports, each minute and at the end,
// the module's RSS, open fds, CPU and log growth, and how many app and MCU rounds were served; it fails if
// the module died, leaked fds, or left the app or the MCU unserved.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

#include "air_lab_rt.h"
#include "soak_probes.h"

namespace gagent::test {
namespace {

using proto::LanCmd;
using proto::McuCmd;
using SteadyClock = std::chrono::steady_clock;

constexpr int kSquatters = 8;
constexpr auto kAppEvery = std::chrono::seconds(3);
constexpr auto kMcuEvery = std::chrono::seconds(2);
constexpr auto kCloudFaultPeriod = std::chrono::seconds(30);

struct Tally {
  int tried = 0;
  int served = 0;
};

class GagentSimSoak : public AirLab {
 protected:
  // One app round: connect, passcode, login, read the device (0090 02 -> 0091 03...), close.
  bool appRound() {
    const hal::SocketId session = connectTcp();
    bool ok = app.tcpState(session) == hal::TcpState::Connected && !login(session).empty();
    if (ok) {
      sendTcp(session, LanCmd::P0ToDevice, Bytes{0x02});
      const auto answer = awaitTcp(session, LanCmd::P0FromDevice);
      ok = answer && !answer->payload.empty() && answer->payload[0] == 0x03;
    }
    app.close(session);
    return ok;
  }

  // Garbage without FF: the MCU framer hunts through it and the next real frame is intact.
  Bytes uartGarbage() {
    Bytes junk(64);
    for (auto& b : junk) b = static_cast<std::uint8_t>(random() % 0xFF);
    return junk;
  }

  void flood(posix::PosixNet& attacker, hal::SocketId udp) {
    Bytes junk(200);
    for (auto& b : junk) b = static_cast<std::uint8_t>(random());
    for (int i = 0; i < 20; ++i) (void)attacker.udpSend(udp, {ip, proto::kLanUdpConfigPort}, junk);
    const hal::SocketId tcp = attacker.tcpConnect({ip, proto::kLanTcpPort});
    if (tcp != hal::kNoSocket) {
      (void)attacker.tcpSend(tcp, junk);
      attacker.close(tcp);
    }
  }

  void keepSquatting(posix::PosixNet& squatterNet, std::vector<hal::SocketId>& squatters) {
    for (hal::SocketId& s : squatters) {
      // A read tells a dropped squatter (the module evicted it or its login deadline passed).
      std::uint8_t byte = 0;
      const bool open =
          s != hal::kNoSocket && squatterNet.tcpState(s) != hal::TcpState::Closed &&
          squatterNet.tcpReceive(s, std::span(&byte, 1)).kind == hal::IoResult::Kind::WouldBlock;
      if (open) continue;
      if (s != hal::kNoSocket) squatterNet.close(s);
      s = squatterNet.tcpConnect({ip, proto::kLanTcpPort});
      ++squatterConnects;
    }
  }

  void guessPasscode(posix::PosixNet& guesser) {
    const hal::SocketId s = guesser.tcpConnect({ip, proto::kLanTcpPort});
    if (s == hal::kNoSocket) return;
    const std::string guess = "GUESS" + std::to_string(guesses++);
    const Bytes login =
        lanPacket(LanCmd::Login, lanPayload([&](proto::ByteWriter& w) { proto::buildLanLogin(guess, w); }));
    (void)guesser.tcpSend(s, login);
    guesser.close(s);
  }

  std::mt19937 random{1616};
  int squatterConnects = 0;
  int guesses = 0;
};

TEST_F(GagentSimSoak, S10_2_S12_1_AppAndMcuServedThroughFloodSquattersUartGarbageAndCloudFaults) {
  const char* minutesText = std::getenv("GAGENT_SOAK_MINUTES");
  if (minutesText == nullptr) GTEST_SKIP() << "set GAGENT_SOAK_MINUTES=N to run the soak for N minutes";
  const int minutes = std::atoi(minutesText);
  ASSERT_GT(minutes, 0) << "GAGENT_SOAK_MINUTES must be a positive number of minutes";

  FaultyCloud cloud;
  ASSERT_NE(cloud.port(), 0);
  // Later options win: the faulty cloud as the API, and info logging (a soak at debug measures the disk).
  startAirAndSim({"--api", "127.0.0.1:" + std::to_string(cloud.port()), "--log-level", "info"});
  softApOnboard();  // on the router, the module turns to the cloud: the faulty one
  ASSERT_TRUE(runUntil([&] { return routerConnected(); }));

  posix::PosixNet attacker(hal::ipv4(127, 0, 0, 2));
  posix::PosixNet squatterNet(hal::ipv4(127, 0, 0, 4));
  posix::PosixNet guesser(hal::ipv4(127, 0, 0, 3));
  const hal::SocketId floodUdp = attacker.udpOpen(0, false);
  std::vector<hal::SocketId> squatters(kSquatters, hal::kNoSocket);

  Tally appRounds;
  Tally mcuRounds;
  std::size_t timeAnswers = 0;
  const auto start = SteadyClock::now();
  const auto end = start + std::chrono::minutes(minutes);
  auto nextApp = start;
  auto nextMcu = start;
  auto nextReport = start + std::chrono::minutes(1);
  const ProcessSample first = sampleProcess(sim->pid());
  ProcessSample last = first;
  std::cout << "minute   rss KiB   fds   cpu s   log KiB   app served   mcu served   squatter connects\n";
  while (SteadyClock::now() < end) {
    const auto now = SteadyClock::now();
    cloud.service(now - start, kCloudFaultPeriod);
    flood(attacker, floodUdp);
    keepSquatting(squatterNet, squatters);
    guessPasscode(guesser);
    mcu.sendRaw(uartGarbage());
    if (now >= nextMcu) {
      nextMcu = now + kMcuEvery;
      ++mcuRounds.tried;
      mcu.send(McuCmd::GetNetworkTime);
      const std::size_t before = mcu.count(McuCmd::NetworkTime);
      if (runUntil([&] { return mcu.count(McuCmd::NetworkTime) > before; }, std::chrono::seconds(1)))
        ++mcuRounds.served;
      timeAnswers = mcu.count(McuCmd::NetworkTime);
    }
    if (now >= nextApp) {
      nextApp = now + kAppEvery;
      ++appRounds.tried;
      appRounds.served += appRound() ? 1 : 0;
    }
    if (now >= nextReport) {
      nextReport += std::chrono::minutes(1);
      last = sampleProcess(sim->pid());
      std::cout << std::chrono::duration_cast<std::chrono::minutes>(now - start).count() << "   "
                << last.rssKiB << "   " << last.fds << "   " << last.cpuSeconds << "   "
                << std::filesystem::file_size(dir.file("sim.log")) / 1024 << "   " << appRounds.served << "/"
                << appRounds.tried << "   " << mcuRounds.served << "/" << mcuRounds.tried << "   "
                << squatterConnects << std::endl;
    }
    mcu.service();
    ::poll(nullptr, 0, 10);
  }
  last = sampleProcess(sim->pid());
  const auto logKiB = std::filesystem::file_size(dir.file("sim.log")) / 1024;
  std::cout << "soak " << minutes << " min: rss " << first.rssKiB << " -> " << last.rssKiB << " KiB, fds "
            << first.fds << " -> " << last.fds << ", cpu " << last.cpuSeconds << " s, log " << logKiB
            << " KiB, app " << appRounds.served << "/" << appRounds.tried << ", mcu " << mcuRounds.served
            << "/" << mcuRounds.tried << " (" << timeAnswers << " time answers), cloud connections "
            << cloud.connections() << ", squatter connects " << squatterConnects << ", guesses " << guesses
            << std::endl;
  RecordProperty("rss_kib_end", static_cast<int>(last.rssKiB));
  RecordProperty("app_served_percent", appRounds.tried > 0 ? 100 * appRounds.served / appRounds.tried : 0);

  EXPECT_FALSE(sim->waitExit(std::chrono::milliseconds(0)).has_value()) << "gagent-sim exited";
  EXPECT_LE(last.fds, first.fds + kSquatters + 4) << "file descriptors grew: a leak";
  EXPECT_EQ(appRounds.served, appRounds.tried) << "the real app was not served every round";
  EXPECT_EQ(mcuRounds.served, mcuRounds.tried) << "the MCU was not served every round";
}

}  // namespace
}  // namespace gagent::test
