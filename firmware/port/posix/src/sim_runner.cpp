#include "gagent/posix/sim_runner.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "gagent/core/firmware_image.h"
#include "gagent/posix/rom_loader_runner.h"

namespace gagent::posix {
namespace {

// The signal handler's only way out: one byte into the runner's pipe.
int gSignalWriteFd = -1;

void onTerminate(int signal) {
  const auto byte = static_cast<char>(signal);
  const int saved = errno;
  if (gSignalWriteFd >= 0) {
    [[maybe_unused]] const ssize_t n = ::write(gSignalWriteFd, &byte, 1);
  }
  errno = saved;
}

std::optional<hal::Ipv4> resolveIpv4(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &result) != 0 || result == nullptr) return std::nullopt;
  const auto* addr = reinterpret_cast<const sockaddr_in*>(result->ai_addr);
  const hal::Ipv4 ip{ntohl(addr->sin_addr.s_addr)};
  ::freeaddrinfo(result);
  return ip;
}

// Past this many back-to-back wake-ups with input ready, each pass sleeps a little: a descriptor the core
// never drains (a peer that closed while the core is not reading) must not spin a shared machine's CPU.
constexpr unsigned kBusyWakeLimit = 200;
constexpr int kBusyWakePauseMs = 5;
constexpr hal::Millis kMaxWait = hal::seconds(60);

}  // namespace

SimRunner::SimRunner(SimOptions options, char* const* argv)
    : options_(std::move(options)),
      argv_(argv),
      start_(std::chrono::steady_clock::now()),
      log_(logs_, "sim") {
  agentOptions_.wifiHardwareVersion = options_.hardwareVersion;
  agentOptions_.wifiSoftwareVersion = options_.softwareVersion;
  agentOptions_.cloud.apiHost = options_.api.host;
  agentOptions_.cloud.apiPort = options_.api.port;
  agentOptions_.broadcastAddress = options_.broadcast;
  agentOptions_.webConfigPort = options_.webPort;
  boardSettings_.address = options_.ip;
  boardSettings_.mac = options_.mac;
  boardSettings_.seed = options_.seed;
}

SimRunner::~SimRunner() {
  shutDownModule();
  watchdog_.reset();
  gSignalWriteFd = -1;
  for (int& fd : signalPipe_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  if (logSink_) logs_.detach(*logSink_);
  if (logStream_ != stderr && logStream_ != nullptr) std::fclose(logStream_);
}

hal::Millis SimRunner::now() const {
  return static_cast<hal::Millis>(nowMicros() / 1000);
}

PacedUart::Micros SimRunner::nowMicros() const {
  return static_cast<PacedUart::Micros>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_)
          .count());
}

hal::Uart& SimRunner::moduleUart() {
  if (paced_) return *paced_;
  return uart_;
}

std::string SimRunner::setUp() {
  // First, so a SIGTERM that arrives while the module is still coming up also ends it cleanly.
  if (::pipe2(signalPipe_, O_NONBLOCK | O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  gSignalWriteFd = signalPipe_[1];
  struct sigaction action {};
  action.sa_handler = onTerminate;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  if (!options_.logFile.empty()) {
    logStream_ = std::fopen(options_.logFile.c_str(), "a");
    if (logStream_ == nullptr) {
      logStream_ = stderr;
      return "cannot open log file " + options_.logFile + ": " + std::strerror(errno);
    }
  }
  logSink_ = std::make_unique<StreamLogSink>(logStream_);
  logs_.attach(*logSink_, options_.logLevel);

  if (std::string error = flash_.open(options_.flash, options_.flashSize / FileFlash::kDefaultSectorSize);
      !error.empty())
    return error;
  if (std::string error = uart_.open(options_.uart, options_.baud); !error.empty()) return error;
  if (options_.pace) {
    paced_ = std::make_unique<PacedUart>(uart_, static_cast<std::uint32_t>(options_.baud),
                                         [this] { return nowMicros(); });
  }
  if (options_.air) {
    const auto ip = resolveIpv4(options_.air->host);
    if (!ip) return "cannot resolve the air host " + options_.air->host;
    boardSettings_.air = hal::Endpoint{*ip, options_.air->port};
  }

  watchdog_ = std::make_unique<PosixWatchdog>(options_.watchdogTimeout, [this] {
    // S12.4: the loop is stuck. Restart the whole process; the flash file keeps the configuration.
    log_.error("watchdog: the loop has not fed it for %lld s, restarting",
               static_cast<long long>(
                   std::chrono::duration_cast<std::chrono::seconds>(options_.watchdogTimeout).count()));
    execSelf(argv_);
    log_.error("watchdog: restart failed: %s", std::strerror(errno));
  });
  return "";
}

void SimRunner::boot(hal::Millis now) {
  ++boots_;
  board_ = std::make_unique<PosixBoard>(boardSettings_, flash_, moduleUart(), *watchdog_, logs_, now);
  agent_ = std::make_unique<core::Agent>(board_->hal(), logs_, agentOptions_);
  agent_->start(now);
}

void SimRunner::shutDownModule() {
  agent_.reset();
  board_.reset();  // closes every module socket and the air connection
}

int SimRunner::run() {
  if (std::string error = setUp(); !error.empty()) {
    std::fprintf(stderr, "gagent-sim: %s\n", error.c_str());
    return 1;
  }
  const bool rom = options_.boot == BootMode::Rom;
  if (!rom) boot(now());
  const std::string uartPath = options_.uart.rfind("pty:", 0) == 0 ? options_.uart.substr(4) : options_.uart;
  std::printf("gagent-sim ready uart=%s ip=%s mac=%s%s\n", uartPath.c_str(), hal::toText(options_.ip).c_str(),
              macText(options_.mac).c_str(), rom ? " boot=rom" : "");
  std::fflush(stdout);
  log_.info("ready: uart %s (%s%s), ip %s", uartPath.c_str(), uart_.slavePath().c_str(),
            paced_ ? (", paced at " + std::to_string(options_.baud) + " baud").c_str() : "",
            hal::toText(options_.ip).c_str());
  if (rom) {
    if (!runRomLoader()) {
      log_.info("shutting down");
      return 0;
    }
    boot(now());
  }

  while (!stopping_) {
    const hal::Millis t = now();
    if (paced_) paced_->service();
    board_->radio().service(t);
    agent_->poll(t);
    board_->radio().service(t);
    if (agent_->rebootRequested() || board_->system().rebootRequested()) {
      log_.info("reboot: a new core on the same flash");
      shutDownModule();
      boot(now());
      continue;
    }
    waitForInput(t);
  }
  log_.info("shutting down");
  shutDownModule();
  return 0;
}

bool SimRunner::runRomLoader() {
  const RomChipModel& chip = romChipModel(options_.chip);
  RomLoader loader(flash_, chip, options_.mac, logs_);
  log_.info("rom: %s serial loader on the UART at 115200 baud (GPIO0 strapped low)", chip.name.data());
  for (;;) {
    RomLoaderRunner runner(uart_, loader, logs_);
    const RomLoaderRunner::Outcome outcome = runner.run(signalPipe_[0], [this] { watchdog_->feed(); });
    if (outcome == RomLoaderRunner::Outcome::Stopped) {
      char signal = 0;
      if (::read(signalPipe_[0], &signal, 1) == 1) log_.info("signal %d", signal);
      return false;
    }
    // The boot ROM checks the application image before it jumps to it (gagent's image format, S9.6).
    const core::FlashRegion region = core::otaRegion(flash_);
    const core::FirmwareImageCheck check =
        core::checkFlashImage(flash_, region, std::nullopt, options_.hardwareVersion);
    if (check.ok()) {
      const std::string hardware(check.header.hardwareVersion.view());
      const std::string software(check.header.softwareVersion.view());
      const std::string firmware(check.header.firmwareVersion.view());
      log_.info("boot: application image at 0x%zx: hardware %s, software %s, firmware %s", region.offset,
                hardware.c_str(), software.c_str(), firmware.c_str());
      return true;
    }
    log_.error("boot: refused the application image at 0x%zx: %s; staying in the ROM loader", region.offset,
               core::firmwareImageErrorName(check.error).data());
    loader.reset();
  }
}

void SimRunner::waitForInput(hal::Millis t) {
  std::vector<pollfd> fds;
  fds.push_back({signalPipe_[0], POLLIN, 0});
  fds.push_back({uart_.fd(), POLLIN, 0});
  fds.push_back({board_->dns().fd(), POLLIN, 0});
  PosixRadio& radio = board_->radio();
  if (radio.fd() >= 0) {
    fds.push_back({radio.fd(), static_cast<short>(POLLIN | (radio.wantsWrite() ? POLLOUT : 0)), 0});
  }
  const PosixNet::WaitSet sockets = board_->net().waitSet();
  for (const int fd : sockets.readable) fds.push_back({fd, POLLIN, 0});
  for (const int fd : sockets.writable) fds.push_back({fd, POLLOUT, 0});

  hal::Millis deadline = std::min(agent_->nextDeadline(), radio.nextDeadline());
  if (const auto due = paced_ ? paced_->nextDue() : std::nullopt) {
    // The next paced byte, rounded up to the millisecond poll(2) counts in.
    const PacedUart::Micros nowUs = nowMicros();
    deadline =
        std::min(deadline, t + static_cast<hal::Millis>(*due > nowUs ? (*due - nowUs + 999) / 1000 : 0));
  }
  const hal::Millis wait = deadline <= t ? 0 : std::min(deadline - t, kMaxWait);
  const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait));
  if (ready > 0 && wait > 0) {
    if (++busyWakes_ > kBusyWakeLimit) ::poll(nullptr, 0, kBusyWakePauseMs);
  } else if (ready == 0) {
    busyWakes_ = 0;
  }
  if (fds[0].revents & POLLIN) {
    char signal = 0;
    if (::read(signalPipe_[0], &signal, 1) == 1) {
      log_.info("signal %d", signal);
      stopping_ = true;
    }
  }
  if (fds[2].revents & POLLIN) board_->dns().drain();
}

}  // namespace gagent::posix
