#include "gagent/posix/paced_uart.h"

#include <algorithm>
#include <array>

namespace gagent::posix {

namespace {
constexpr std::uint64_t kBitsPerByte = 10;  // 8N1: start, 8 data, stop
}  // namespace

PacedUart::PacedUart(hal::Uart& line, std::uint32_t baud, Clock clock)
    : line_(line),
      byteTime_((kBitsPerByte * 1'000'000 + std::max<std::uint32_t>(baud, 1) / 2) /
                std::max<std::uint32_t>(baud, 1)),
      clock_(std::move(clock)) {}

void PacedUart::receive(Micros now) {
  std::array<std::uint8_t, 256> buffer{};
  for (;;) {
    const hal::IoResult got = line_.read(buffer);
    if (!got.isDone() || got.bytes == 0) return;
    for (std::size_t i = 0; i < got.bytes; ++i) {
      rxFree_ = std::max(rxFree_, now) + byteTime_;
      rx_.push_back({rxFree_, buffer[i]});
    }
  }
}

void PacedUart::transmit(Micros now) {
  std::array<std::uint8_t, 256> due{};
  for (;;) {
    std::size_t count = 0;
    while (count < due.size() && count < tx_.size() && tx_[count].at <= now) {
      due[count] = tx_[count].value;
      ++count;
    }
    if (count == 0) return;
    const hal::IoResult sent = line_.write(std::span(due.data(), count));
    // A full pty keeps the rest for the next pass (it goes late, as a stalled line would).
    const std::size_t n = sent.isDone() ? std::min(sent.bytes, count) : 0;
    tx_.erase(tx_.begin(), tx_.begin() + static_cast<std::ptrdiff_t>(n));
    if (n < count) return;
  }
}

void PacedUart::service() {
  const Micros now = clock_();
  receive(now);
  transmit(now);
}

hal::IoResult PacedUart::read(std::span<std::uint8_t> out) {
  const Micros now = clock_();
  receive(now);
  std::size_t n = 0;
  while (n < out.size() && !rx_.empty() && rx_.front().at <= now) {
    out[n++] = rx_.front().value;
    rx_.pop_front();
  }
  return n == 0 ? hal::IoResult::wouldBlock() : hal::IoResult::done(n);
}

hal::IoResult PacedUart::write(std::span<const std::uint8_t> data) {
  const Micros now = clock_();
  const std::size_t n = std::min(data.size(), kTxCapacity - std::min(kTxCapacity, tx_.size()));
  if (n == 0) return data.empty() ? hal::IoResult::done(0) : hal::IoResult::wouldBlock();
  for (std::size_t i = 0; i < n; ++i) {
    txFree_ = std::max(txFree_, now) + byteTime_;
    tx_.push_back({txFree_, data[i]});
  }
  transmit(now);
  return hal::IoResult::done(n);
}

std::optional<PacedUart::Micros> PacedUart::nextDue() const {
  std::optional<Micros> due;
  if (!rx_.empty()) due = rx_.front().at;
  if (!tx_.empty()) due = due ? std::min(*due, tx_.front().at) : tx_.front().at;
  return due;
}

}  // namespace gagent::posix
