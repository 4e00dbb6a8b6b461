#pragma once
// The module's UART on the host: either a pseudo-terminal this process creates (gagent-sim --uart pty:PATH,
// PATH becomes a symlink to the pty's slave side, which the rig opens like any serial port), or an existing
// serial device (--uart /dev/ttyUSB0) set to 9600 8N1 raw. Non-blocking both ways.

#include <string>

#include "gagent/hal/uart.h"

namespace gagent::posix {

class PosixUart : public hal::Uart {
 public:
  static constexpr int kDefaultBaud = 9600;  // S3.2

  PosixUart() = default;
  ~PosixUart() override;
  PosixUart(const PosixUart&) = delete;
  PosixUart& operator=(const PosixUart&) = delete;

  // spec: "pty:PATH" or a device path. Returns an error text or "".
  std::string open(const std::string& spec, int baud = kDefaultBaud);

  hal::IoResult read(std::span<std::uint8_t> out) override;
  hal::IoResult write(std::span<const std::uint8_t> data) override;

  // The descriptor to wait on for input.
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const std::string& slavePath() const { return slavePath_; }

 private:
  std::string openPty(const std::string& linkPath);
  std::string openDevice(const std::string& path, int baud);

  int fd_ = -1;
  int slaveKeepAlive_ = -1;  // keeps the pty from reporting EIO/HUP while no rig has it open
  std::string linkPath_;
  std::string slavePath_;
};

}  // namespace gagent::posix
