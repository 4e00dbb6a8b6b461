#include "gagent/sim/sim_uart.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using gagent::hal::IoResult;
using gagent::sim::Millis;
using gagent::sim::SimUart;
using gagent::sim::VirtualClock;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes readAll(SimUart& uart) {
  Bytes out;
  std::array<std::uint8_t, 64> buffer{};
  for (IoResult r = uart.read(buffer); r.isDone(); r = uart.read(buffer)) {
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.bytes));
  }
  return out;
}

}  // namespace

TEST(SimUart, UnpacedBytesArriveAtOnceBothWaysAndAreCaptured) {
  VirtualClock clock(100);
  SimUart uart(clock);
  std::array<std::uint8_t, 8> buffer{};
  EXPECT_EQ(uart.read(buffer).kind, IoResult::Kind::WouldBlock);

  const Bytes fromMcu{0xFF, 0xFF, 0x00, 0x05, 0x02};
  uart.mcuSend(fromMcu);
  EXPECT_EQ(readAll(uart), fromMcu);

  clock.advanceBy(5);
  const Bytes fromModule{0xFF, 0xFF, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x06};
  EXPECT_EQ(uart.write(fromModule).bytes, 9u);
  EXPECT_EQ(uart.mcuReceive(), fromModule);
  EXPECT_TRUE(uart.mcuReceive().empty());

  ASSERT_EQ(uart.capture().size(), 2u);
  EXPECT_EQ(uart.capture()[0].direction, SimUart::Direction::McuToModule);
  EXPECT_EQ(uart.capture()[0].sentAt, 100u);
  EXPECT_EQ(uart.capture()[0].arrivedAt, 100u);
  EXPECT_EQ(uart.capture()[0].bytes, fromMcu);
  EXPECT_EQ(uart.capture()[1].direction, SimUart::Direction::ModuleToMcu);
  EXPECT_EQ(uart.capture()[1].sentAt, 105u);
  EXPECT_EQ(uart.capture()[1].bytes, fromModule);
}

TEST(SimUart, S3_2_PacedAt9600EachByteTakes1_04ms) {
  VirtualClock clock;
  SimUart uart(clock);
  uart.setPacing(9600);
  uart.mcuSend(Bytes(10, 0x55));
  // Byte k is readable once its stop bit ends at k * 1.0417 ms, rounded up to the millisecond.
  EXPECT_EQ(clock.nextEventTime(), 2u);
  const std::vector<std::size_t> readableAt{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  for (Millis t = 0; t <= 11; ++t) {
    clock.advanceTo(t);
    EXPECT_EQ(uart.moduleReadable(), readableAt[t]) << "at " << t << " ms";
  }
  EXPECT_EQ(uart.capture()[0].arrivedAt, 11u);  // 10.42 ms of wire time
}

TEST(SimUart, PacedWritesQueueBehindTheByteOnTheWire) {
  VirtualClock clock;
  SimUart uart(clock);
  uart.setPacing(9600);
  uart.write(Bytes{1, 2});  // ends at 2.083 ms
  clock.advanceTo(1);
  uart.write(Bytes{3});  // starts when byte 2 ends, ends at 3.125 ms
  EXPECT_EQ(uart.capture()[1].sentAt, 1u);
  EXPECT_EQ(uart.capture()[1].arrivedAt, 4u);
  clock.advanceTo(3);
  EXPECT_EQ(uart.mcuReceive(), (Bytes{1, 2}));
  clock.advanceTo(4);
  EXPECT_EQ(uart.mcuReceive(), (Bytes{3}));
}

TEST(SimUart, ModuleTxLimitTakesFewerThanOffered) {
  VirtualClock clock;
  SimUart uart(clock);
  uart.setPacing(9600);
  uart.setModuleTxLimit(4);
  const Bytes frame{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(uart.write(frame).bytes, 4u);
  EXPECT_EQ(uart.write(std::span(frame).subspan(4)).kind, IoResult::Kind::WouldBlock);
  clock.advanceTo(3);  // two bytes are through (at 2 and 3 ms)
  EXPECT_EQ(uart.write(std::span(frame).subspan(4)).bytes, 2u);
  clock.advanceTo(20);
  EXPECT_EQ(uart.mcuReceive(), (Bytes{1, 2, 3, 4, 5, 6}));
}

TEST(SimUart, FlushDropsEverythingInFlight) {
  VirtualClock clock;
  SimUart uart(clock);
  uart.setPacing(9600);
  uart.mcuSend(Bytes{1, 2, 3});
  uart.write(Bytes{4, 5});
  uart.flush();
  clock.advanceTo(10);
  EXPECT_EQ(uart.moduleReadable(), 0u);
  EXPECT_EQ(uart.mcuReadable(), 0u);
  EXPECT_EQ(uart.capture().size(), 2u);
}
