#pragma once
// gagent-sim's process: the parts that live as long as the process (flash file, serial line, watchdog, log)
// and the boot cycle of the module on top of them:
//
//   boot:  PosixBoard + core::Agent, agent.start(now)
//   loop:  radio.service, agent.poll(now), radio.service; then poll(2) on the UART, the module's sockets, the
//          air, the resolver and the signal pipe until the earliest deadline
//   reboot (System::reboot, e.g. MCU 0x29): the Agent and the board go (every module socket closes), the
//   flash
//          file and the pty stay, a new board and Agent start - on the serial line and the LAN this is a
//          module coming up again.
//   SIGTERM / SIGINT: the same teardown, the pty link removed, exit 0.

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "gagent/core/agent.h"
#include "gagent/posix/paced_uart.h"
#include "gagent/posix/posix_board.h"
#include "gagent/posix/posix_watchdog.h"
#include "gagent/posix/sim_options.h"
#include "gagent/posix/stream_log_sink.h"

namespace gagent::posix {

class SimRunner {
 public:
  // argv: the process's own arguments, for the watchdog's restart (they must outlive the runner).
  SimRunner(SimOptions options, char* const* argv);
  ~SimRunner();
  SimRunner(const SimRunner&) = delete;
  SimRunner& operator=(const SimRunner&) = delete;

  // Opens everything, runs until a signal; returns the process exit code (1 with a message on stderr when
  // the flash, the serial line or the air address cannot be set up).
  int run();

 private:
  std::string setUp();
  void boot(hal::Millis now);
  // --boot rom: serves the ROM loader until it boots a valid image (true) or a signal ends the process.
  bool runRomLoader();
  void shutDownModule();
  void waitForInput(hal::Millis now);
  [[nodiscard]] hal::Millis now() const;
  [[nodiscard]] PacedUart::Micros nowMicros() const;
  // The module's serial line: the pty, or the pty paced at the baud rate (--pace on).
  hal::Uart& moduleUart();

  SimOptions options_;
  char* const* argv_;
  std::chrono::steady_clock::time_point start_;
  std::FILE* logStream_ = stderr;
  std::unique_ptr<StreamLogSink> logSink_;
  core::LogHub logs_;
  core::Logger log_;
  core::AgentOptions agentOptions_;
  PosixBoardSettings boardSettings_;
  FileFlash flash_;
  PosixUart uart_;
  std::unique_ptr<PacedUart> paced_;
  std::unique_ptr<PosixWatchdog> watchdog_;
  std::unique_ptr<PosixBoard> board_;
  std::unique_ptr<core::Agent> agent_;
  int signalPipe_[2] = {-1, -1};
  bool stopping_ = false;
  unsigned busyWakes_ = 0;  // consecutive wake-ups with input ready (spin guard)
  unsigned boots_ = 0;
};

}  // namespace gagent::posix
