#pragma once
// The ROM loader (rom_loader.h) on gagent-sim's UART in real time, paced like a real UART at the baud rate
// the loader negotiated: 10 bit times a byte (8N1) both ways. A byte from the host counts as received once
// its bit time has passed; a frame is handled once the chip is free (a ROM erase, the stub's pipelined
// flash work); an answer reaches the host when its last byte's bit time has passed.

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "gagent/core/log.h"
#include "gagent/posix/posix_uart.h"
#include "gagent/posix/rom_loader.h"
#include "gagent/proto/slip.h"

namespace gagent::posix {

class RomLoaderRunner {
 public:
  enum class Outcome : std::uint8_t { RunUserCode, Reboot, Stopped };

  RomLoaderRunner(PosixUart& uart, RomLoader& loader, core::LogHub& logs);

  // Serves the loader until it is told to leave (after its answer is out) or `stopFd` becomes readable
  // (the signal pipe; its byte is left for the caller). `tick` runs on every pass (the watchdog's feed).
  Outcome run(int stopFd, const std::function<void()>& tick);

 private:
  using Micros = std::uint64_t;
  struct RxByte {
    Micros at;
    std::uint8_t byte;
  };
  struct TxFrame {
    Micros notBefore;
    std::vector<std::uint8_t> bytes;
    std::optional<std::uint32_t> baudAfter;
    RomLoader::Leave leave;
  };

  [[nodiscard]] Micros now() const;
  [[nodiscard]] Micros byteTime() const;
  void receive(Micros t);
  void handleReceived(Micros t);
  // Sends what is due; the outcome when an answer that ends the loader went out.
  std::optional<Outcome> transmit(Micros t);
  [[nodiscard]] int waitMs(Micros t) const;

  PosixUart& uart_;
  RomLoader& loader_;
  core::Logger log_;
  std::vector<std::uint8_t> frameStorage_;
  proto::SlipDecoder decoder_;
  std::deque<RxByte> rx_;
  std::deque<TxFrame> tx_;
  Micros rxWireFree_ = 0;
  Micros txWireFree_ = 0;
  Micros chipFree_ = 0;
  std::uint64_t start_;
};

}  // namespace gagent::posix
