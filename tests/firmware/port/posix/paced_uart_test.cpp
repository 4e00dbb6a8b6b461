// gagent-sim --pace on (issue 12, P2): the module's serial line takes 10 bit times a byte each way at the
// baud rate (S3.2), on a clock the test sets; the line underneath is a fake pty.
#include "gagent/posix/paced_uart.h"

#include <gtest/gtest.h>

#include <vector>

namespace gagent::posix {
namespace {

using hal::IoResult;

// The pty: what the MCU wrote waits in `incoming`; what the module sent lands in `outgoing`.
class FakeLine final : public hal::Uart {
 public:
  IoResult read(std::span<std::uint8_t> out) override {
    std::size_t n = 0;
    while (n < out.size() && !incoming.empty()) {
      out[n++] = incoming.front();
      incoming.erase(incoming.begin());
    }
    return n == 0 ? IoResult::wouldBlock() : IoResult::done(n);
  }
  IoResult write(std::span<const std::uint8_t> data) override {
    const std::size_t n = std::min(data.size(), room);
    outgoing.insert(outgoing.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    room -= n;
    return n == 0 ? IoResult::wouldBlock() : IoResult::done(n);
  }
  std::vector<std::uint8_t> incoming;
  std::vector<std::uint8_t> outgoing;
  std::size_t room = 1u << 20;
};

constexpr PacedUart::Micros kByte = 1042;  // 10 bits at 9600 baud, rounded to the microsecond

struct Paced : ::testing::Test {
  FakeLine line;
  PacedUart::Micros now = 0;
  PacedUart uart{line, 9600, [this] { return now; }};

  std::size_t readAll() {
    std::uint8_t buffer[64];
    const IoResult r = uart.read(buffer);
    return r.isDone() ? r.bytes : 0;
  }
};

TEST_F(Paced, Issue12_P2_BytesFromTheMcuBecomeReadableOneByteTimeAfterAnother) {
  line.incoming = {0xFF, 0xFF, 0x00};
  uart.service();  // arrived now: the first stop bit ends one byte time later
  EXPECT_EQ(readAll(), 0u);
  EXPECT_EQ(uart.nextDue(), kByte);
  now = kByte - 1;
  EXPECT_EQ(readAll(), 0u);
  now = kByte;
  EXPECT_EQ(readAll(), 1u);
  now = 3 * kByte;
  EXPECT_EQ(readAll(), 2u);
  EXPECT_EQ(uart.nextDue(), std::nullopt);
}

TEST_F(Paced, Issue12_P2_BytesTheModuleWritesReachTheLineAtTheirBitTimeBackToBack) {
  const std::uint8_t frame[] = {1, 2, 3};
  ASSERT_EQ(uart.write(frame).bytes, 3u);  // taken at once, as a UART's ring takes them
  EXPECT_TRUE(line.outgoing.empty());
  now = kByte;
  uart.service();
  EXPECT_EQ(line.outgoing, (std::vector<std::uint8_t>{1}));
  const std::uint8_t more[] = {4};
  ASSERT_EQ(uart.write(more).bytes, 1u);  // queued behind the frame, not at now + one byte time
  now = 3 * kByte;
  uart.service();
  EXPECT_EQ(line.outgoing, (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(uart.nextDue(), 4 * kByte);
  now = 4 * kByte;
  uart.service();
  EXPECT_EQ(line.outgoing, (std::vector<std::uint8_t>{1, 2, 3, 4}));
}

TEST_F(Paced, Issue12_P2_AFullRingTakesFewerAndAFullPtyKeepsTheRestForLater) {
  std::vector<std::uint8_t> big(PacedUart::kTxCapacity + 10, 0x55);
  EXPECT_EQ(uart.write(big).bytes, PacedUart::kTxCapacity);
  EXPECT_EQ(uart.write(big).kind, IoResult::Kind::WouldBlock);
  line.room = 2;
  now = 5 * kByte;
  uart.service();
  EXPECT_EQ(line.outgoing.size(), 2u);
  line.room = 100;
  uart.service();
  EXPECT_EQ(line.outgoing.size(), 5u);  // the late ones go now, the rest still at their bit time
}

}  // namespace
}  // namespace gagent::posix
