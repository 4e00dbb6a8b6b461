#include "gagent/sim/sim_uart.h"

#include <algorithm>

namespace gagent::sim {
namespace {

constexpr std::uint64_t kNsPerMs = 1'000'000;
constexpr std::uint64_t kBitsPerByte = 10;  // 8N1: start, 8 data, stop

}  // namespace

std::size_t SimUart::Line::readable(Millis now) const {
  std::size_t n = 0;
  while (n < bytes.size() && bytes[n].readableAt <= now) ++n;
  return n;
}

SimUart::Transfer SimUart::send(Line& line, Direction direction, std::span<const std::uint8_t> bytes) {
  const Millis now = clock_.now();
  Transfer transfer{now, now, direction, {bytes.begin(), bytes.end()}};
  if (baud_ == 0) {
    for (std::uint8_t b : bytes) line.bytes.push_back({now, b});
    return transfer;
  }
  const std::uint64_t byteNs = (kBitsPerByte * 1'000'000'000 + baud_ / 2) / baud_;
  for (std::uint8_t b : bytes) {
    line.freeAtNs = std::max(line.freeAtNs, now * kNsPerMs) + byteNs;
    const Millis readableAt = (line.freeAtNs + kNsPerMs - 1) / kNsPerMs;
    line.bytes.push_back({readableAt, b});
    if (readableAt > line.lastWake) {
      line.lastWake = readableAt;
      clock_.at(
          readableAt, [] {}, this);  // only wakes the world loop; reads compare times
    }
    transfer.arrivedAt = readableAt;
  }
  return transfer;
}

std::size_t SimUart::take(Line& line, std::span<std::uint8_t> out) {
  const std::size_t n = std::min(out.size(), line.readable(clock_.now()));
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = line.bytes.front().value;
    line.bytes.pop_front();
  }
  return n;
}

hal::IoResult SimUart::read(std::span<std::uint8_t> out) {
  const std::size_t n = take(toModule_, out);
  return n == 0 ? hal::IoResult::wouldBlock() : hal::IoResult::done(n);
}

hal::IoResult SimUart::write(std::span<const std::uint8_t> data) {
  std::size_t n = data.size();
  if (moduleTxLimit_ != 0) {
    const std::size_t inFlight = toMcu_.inFlight(clock_.now());
    n = std::min(n, moduleTxLimit_ > inFlight ? moduleTxLimit_ - inFlight : 0);
  }
  if (n == 0) return data.empty() ? hal::IoResult::done(0) : hal::IoResult::wouldBlock();
  capture_.push_back(send(toMcu_, Direction::ModuleToMcu, data.first(n)));
  return hal::IoResult::done(n);
}

void SimUart::mcuSend(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  capture_.push_back(send(toModule_, Direction::McuToModule, bytes));
}

std::vector<std::uint8_t> SimUart::mcuReceive() {
  std::vector<std::uint8_t> out(toMcu_.readable(clock_.now()));
  take(toMcu_, out);
  return out;
}

void SimUart::flush() {
  for (Line* line : {&toModule_, &toMcu_}) {
    line->bytes.clear();
    line->freeAtNs = 0;
  }
}

}  // namespace gagent::sim
