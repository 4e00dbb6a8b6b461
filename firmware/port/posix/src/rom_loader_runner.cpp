#include "gagent/posix/rom_loader_runner.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace gagent::posix {
namespace {

// The biggest request a client sends: a 64 KiB data block with its headers (esptool uses 16 KiB).
constexpr std::size_t kMaxFrame = 0x10000 + 64;
constexpr int kMaxWaitMs = 1000;            // wake up anyway, for the watchdog's feed
constexpr std::uint64_t kBitsPerByte = 10;  // 8N1

std::uint64_t steadyMicros() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

RomLoaderRunner::RomLoaderRunner(PosixUart& uart, RomLoader& loader, core::LogHub& logs)
    : uart_(uart),
      loader_(loader),
      log_(logs, "rom"),
      frameStorage_(kMaxFrame),
      decoder_(frameStorage_),
      start_(steadyMicros()) {}

RomLoaderRunner::Micros RomLoaderRunner::now() const {
  return steadyMicros() - start_;
}

RomLoaderRunner::Micros RomLoaderRunner::byteTime() const {
  return kBitsPerByte * 1'000'000 / std::max<std::uint32_t>(loader_.baud(), 1);
}

void RomLoaderRunner::receive(Micros t) {
  std::uint8_t buffer[4096];
  for (;;) {
    const hal::IoResult result = uart_.read(buffer);
    if (!result.isDone() || result.bytes == 0) return;
    for (std::size_t i = 0; i < result.bytes; ++i) {
      rxWireFree_ = std::max(rxWireFree_, t) + byteTime();
      rx_.push_back({rxWireFree_, buffer[i]});
    }
  }
}

void RomLoaderRunner::handleReceived(Micros t) {
  while (!rx_.empty() && rx_.front().at <= t && chipFree_ <= t) {
    const RxByte received = rx_.front();
    rx_.pop_front();
    const auto event = decoder_.feed(received.byte);
    if (event == proto::SlipDecoder::Event::Overflow || event == proto::SlipDecoder::Event::BadEscape) {
      log_.debug("dropped a malformed SLIP frame");
      continue;
    }
    if (event != proto::SlipDecoder::Event::Frame) continue;
    RomLoader::Reply reply = loader_.handle(decoder_.frame());
    const Micros handled = std::max(received.at, chipFree_);
    const Micros answerAt = handled + reply.busyBeforeUs;
    chipFree_ = answerAt + reply.busyAfterUs;
    if (!reply.frames.empty() || reply.baudAfter || reply.leave != RomLoader::Leave::Stay)
      tx_.push_back({answerAt, std::move(reply.frames), reply.baudAfter, reply.leave});
  }
}

std::optional<RomLoaderRunner::Outcome> RomLoaderRunner::transmit(Micros t) {
  while (!tx_.empty()) {
    TxFrame& frame = tx_.front();
    const Micros end = std::max(frame.notBefore, txWireFree_) + frame.bytes.size() * byteTime();
    if (end > t) return std::nullopt;
    // A UART sends whether anyone listens or not: what the pty cannot take now is lost.
    std::size_t sent = 0;
    for (int attempt = 0; sent < frame.bytes.size() && attempt < 50; ++attempt) {
      const hal::IoResult result = uart_.write(std::span(frame.bytes).subspan(sent));
      if (result.isDone()) {
        sent += result.bytes;
      } else {
        ::usleep(1000);
      }
    }
    txWireFree_ = end;
    const auto baud = frame.baudAfter;
    const auto leave = frame.leave;
    tx_.pop_front();
    if (baud) loader_.setBaud(*baud);
    if (leave == RomLoader::Leave::RunUserCode) return Outcome::RunUserCode;
    if (leave == RomLoader::Leave::Reboot) return Outcome::Reboot;
  }
  return std::nullopt;
}

int RomLoaderRunner::waitMs(Micros t) const {
  Micros next = t + static_cast<Micros>(kMaxWaitMs) * 1000;
  if (!rx_.empty()) next = std::min(next, std::max(rx_.front().at, chipFree_));
  if (!tx_.empty()) {
    const TxFrame& frame = tx_.front();
    next = std::min(next, std::max(frame.notBefore, txWireFree_) + frame.bytes.size() * byteTime());
  }
  if (next <= t) return 0;
  return static_cast<int>((next - t + 999) / 1000);
}

RomLoaderRunner::Outcome RomLoaderRunner::run(int stopFd, const std::function<void()>& tick) {
  for (;;) {
    tick();
    Micros t = now();
    receive(t);
    handleReceived(t);
    if (const auto outcome = transmit(now())) return *outcome;
    t = now();
    pollfd fds[2] = {{stopFd, POLLIN, 0}, {uart_.fd(), POLLIN, 0}};
    ::poll(fds, 2, waitMs(t));
    if (fds[0].revents & POLLIN) return Outcome::Stopped;
  }
}

}  // namespace gagent::posix
