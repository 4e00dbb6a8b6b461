// The small fakes (LEDs, watchdog, random, system) and the board that wires them all.
#include "gagent/sim/sim_board.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace gagent::hal;
using gagent::sim::SimBoard;
using gagent::sim::SimBoardOptions;
using gagent::sim::SimLeds;
using gagent::sim::SimRandom;
using gagent::sim::SimSystem;
using gagent::sim::SimWatchdog;
using gagent::sim::VirtualClock;
using Change = SimLeds::Change;

TEST(SimLeds, RecordsChangesWithTheirTimes) {
  VirtualClock clock;
  SimLeds leds(clock);
  leds.set(true, false);
  clock.advanceTo(100);
  leds.set(false, false);
  leds.set(false, false);  // no change
  clock.advanceTo(200);
  leds.set(true, true);
  EXPECT_EQ(leds.changes(), (std::vector<Change>{{0, true, false}, {100, false, false}, {200, true, true}}));
  EXPECT_EQ(leds.setCalls(), 4u);
  EXPECT_TRUE(leds.red());
  EXPECT_TRUE(leds.green());
  EXPECT_EQ(leds.toggles(SimLeds::Color::Red), (std::vector<Millis>{0, 100, 200}));
  EXPECT_EQ(leds.toggles(SimLeds::Color::Green), (std::vector<Millis>{0, 200}));
}

TEST(SimWatchdog, S12_4_StarvationCountsFromTheLastFeed) {
  VirtualClock clock(1000);
  SimWatchdog watchdog(clock);
  EXPECT_EQ(watchdog.starvedFor(61'000), 60'000u);  // never fed: since arming
  clock.advanceTo(5000);
  watchdog.feed();
  clock.advanceTo(9000);
  watchdog.feed();
  EXPECT_EQ(watchdog.feeds(), (std::vector<Millis>{5000, 9000}));
  EXPECT_EQ(watchdog.starvedFor(minutes(5) + 9000), minutes(5));
  clock.advanceTo(20'000);
  watchdog.rearm();
  EXPECT_EQ(watchdog.starvedFor(20'500), 500u);
}

TEST(SimRandom, SeededAndRepeatable) {
  // The standard fixes the 10000th output of the default-seeded engine; bytes come least significant first.
  SimRandom random;
  std::array<std::uint8_t, 8> skip{};
  for (int i = 0; i < 9999; ++i) random.fill(skip);
  std::array<std::uint8_t, 8> bytes{};
  random.fill(bytes);
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value |= std::uint64_t{bytes[i]} << (8 * i);
  EXPECT_EQ(value, 9981545732273789042u);

  SimRandom a(42);
  SimRandom b(42);
  SimRandom c(43);
  std::array<std::uint8_t, 13> fromA{};
  std::array<std::uint8_t, 13> fromB{};
  std::array<std::uint8_t, 13> fromC{};
  a.fill(fromA);
  b.fill(fromB);
  c.fill(fromC);
  EXPECT_EQ(fromA, fromB);
  EXPECT_NE(fromA, fromC);
}

TEST(SimSystem, RebootRaisesAFlagTheWorldTakes) {
  VirtualClock clock;
  SimSystem system(clock);
  EXPECT_EQ(system.mac(), SimSystem::kDefaultMac);
  system.setMac({0xAC, 0xCF, 0x23, 0x12, 0x34, 0x56});
  EXPECT_EQ(system.mac()[5], 0x56);

  clock.advanceTo(hours(2));
  system.reboot();
  EXPECT_TRUE(system.rebootRequested());
  EXPECT_TRUE(system.takeRebootRequest());
  EXPECT_FALSE(system.rebootRequested());
  EXPECT_FALSE(system.takeRebootRequest());
  EXPECT_EQ(system.rebootCount(), 1u);
  EXPECT_EQ(system.rebootTimes(), (std::vector<Millis>{hours(2)}));
}

TEST(SimBoard, TheHalBoardReferencesTheFakes) {
  SimBoard board;
  Board& hal = board.hal();
  EXPECT_EQ(&hal.uart, &board.uart());
  EXPECT_EQ(&hal.net, &board.net());
  EXPECT_EQ(&hal.dns, &board.dns());
  EXPECT_EQ(&hal.radio, &board.radio());
  EXPECT_EQ(&hal.flash, &board.flash());
  EXPECT_EQ(&hal.leds, &board.leds());
  EXPECT_EQ(&hal.watchdog, &board.watchdog());
  EXPECT_EQ(&hal.random, &board.random());
  EXPECT_EQ(&hal.system, &board.system());
  EXPECT_EQ(hal.flash.size(), 16u * 4096u);
  EXPECT_EQ(hal.flash.sectorSize(), 4096u);
  EXPECT_TRUE(board.net().moduleAddress().isUnset());  // no interface until the radio brings one up
}

TEST(SimBoard, OptionsAndTheRadioDrivingTheNet) {
  SimBoard board(
      SimBoardOptions{.flashSectors = 4, .flashSectorSize = 512, .randomSeed = 7, .startTime = 50});
  EXPECT_EQ(board.flash().size(), 2048u);
  EXPECT_EQ(board.clock().now(), 50u);
  board.radio().addAccessPoint("Home", "secret-pass", 80);
  board.hal().radio.joinStation("Home", "secret-pass");
  EXPECT_EQ(board.net().moduleAddress(), ipv4(10, 0, 0, 50));
}

TEST(SimBoard, RestartModuleResetsTheModuleSideAndKeepsTheWorld) {
  SimBoard board;
  board.radio().addAccessPoint("Home", "secret-pass", 80);
  board.radio().joinStation("Home", "secret-pass");
  auto& cloud = board.net().listenPeer({ipv4(203, 0, 113, 10), 1883});
  const SocketId socket = board.net().tcpConnect(cloud.local());
  auto* connection = cloud.accept();
  ASSERT_NE(connection, nullptr);
  board.uart().mcuSend(std::vector<std::uint8_t>{1, 2, 3});
  const std::array<std::uint8_t, 4> data{1, 2, 3, 4};
  board.flash().write(0, data);
  board.clock().advanceTo(1000);
  board.system().reboot();

  board.restartModule();
  EXPECT_FALSE(board.system().rebootRequested());
  EXPECT_EQ(board.system().rebootCount(), 1u);
  EXPECT_TRUE(connection->broken());
  EXPECT_EQ(board.net().tcpState(socket), TcpState::Closed);
  EXPECT_EQ(board.net().openSocketCount(), 0u);
  EXPECT_EQ(board.radio().stationLink(), LinkState::Down);
  EXPECT_TRUE(board.net().moduleAddress().isUnset());
  EXPECT_EQ(board.uart().moduleReadable(), 0u);
  EXPECT_EQ(board.watchdog().starvedFor(1000), 0u);
  EXPECT_EQ(board.flash().contents()[3], 4);
  EXPECT_TRUE(cloud.isOpen());
}
