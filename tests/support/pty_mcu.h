#pragma once
// The scripted MCU (scripted_mcu.h) on gagent-sim's pty, for the real-time tests: PtyMcuLink reads and writes
// the pty raw and non-blocking; PtyMcu is a ScriptedMcu on one. The test calls service() from its wait loop.

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "scripted_mcu.h"

namespace gagent::test {

class PtyMcuLink final : public McuByteLink {
 public:
  PtyMcuLink() = default;
  PtyMcuLink(const PtyMcuLink&) = delete;
  PtyMcuLink& operator=(const PtyMcuLink&) = delete;
  ~PtyMcuLink() override {
    if (fd_ >= 0) ::close(fd_);
  }

  // Opens the pty the simulator linked at `path` (raw, non-blocking).
  bool open(const std::string& path) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) return false;
    termios tio{};
    if (::tcgetattr(fd_, &tio) != 0) return false;
    ::cfmakeraw(&tio);
    return ::tcsetattr(fd_, TCSANOW, &tio) == 0;
  }

  std::vector<std::uint8_t> receive() override {
    std::vector<std::uint8_t> bytes;
    if (fd_ < 0) return bytes;
    std::uint8_t buffer[512];
    for (;;) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return bytes;
      bytes.insert(bytes.end(), buffer, buffer + n);
    }
  }

  void send(proto::Bytes bytes) override {
    std::size_t done = 0;
    for (int attempt = 0; fd_ >= 0 && done < bytes.size() && attempt < 2000; ++attempt) {
      const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n > 0)
        done += static_cast<std::size_t>(n);
      else
        ::usleep(1000);  // the pty is full for a moment
    }
  }

 private:
  int fd_ = -1;
};

class PtyMcu : public ScriptedMcu {
 public:
  PtyMcu() : ScriptedMcu(std::make_unique<PtyMcuLink>()) {}
  bool open(const std::string& path) { return static_cast<PtyMcuLink&>(link()).open(path); }
  // Bytes that are not a frame (line noise, a confused MCU).
  void sendRaw(proto::Bytes bytes) { link().send(bytes); }
};

}  // namespace gagent::test
