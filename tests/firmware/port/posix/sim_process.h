#pragma once
// Test support for the rt tests of gagent-sim: a scratch directory, a leased module address, and the real
// gagent-sim binary as a child process that is always killed and reaped (RAII), also when a test fails.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "gagent/hal/types.h"
#include "module_address_lease.h"

#ifndef GAGENT_SIM_BINARY
#error "GAGENT_SIM_BINARY must name the gagent-sim executable"
#endif

namespace gagent::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Generous: the machine is shared; these only keep a broken test from hanging.
inline constexpr auto kPatience = 20s;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gagent-sim-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline bool canBind(hal::Ipv4 ip, std::uint16_t port, int type) {
  return canBindLoopback(ip.value, port, type);
}

// A leased loopback module address whose LAN ports and the given WebConfig port are free (see
// module_address_lease.h: parallel tests never share one); a test failure when none is found.
inline std::optional<ModuleAddressLease> leaseModuleAddress(std::uint16_t webPort) {
  auto lease = ModuleAddressLease::take(webPort);
  if (!lease) ADD_FAILURE() << "no free 127.0.B.C found for a module";
  return lease;
}

inline std::string dotted(hal::Ipv4 ip) {
  return std::to_string(ip.value >> 24) + "." + std::to_string((ip.value >> 16) & 0xFF) + "." +
         std::to_string((ip.value >> 8) & 0xFF) + "." + std::to_string(ip.value & 0xFF);
}

class SimProcess {
 public:
  // Starts `binaryPath` (default gagent-sim) with `args`; stdout is read by the test, stderr goes to
  // `logPath`.
  SimProcess(const std::vector<std::string>& args, const std::string& logPath,
             const std::string& binaryPath = GAGENT_SIM_BINARY) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (log >= 0) ::dup2(log, STDERR_FILENO);
      std::vector<char*> argv;
      std::string binary = binaryPath;
      argv.push_back(binary.data());
      std::vector<std::string> copies(args);
      for (auto& a : copies) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = out[0];
    logPath_ = logPath;
  }
  ~SimProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_ >= 0) ::close(stdout_);
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }

  // The first stdout line, or "" if none came in time.
  std::string readLine(std::chrono::milliseconds timeout = kPatience) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      if (const auto newline = output_.find('\n'); newline != std::string::npos) {
        std::string line = output_.substr(0, newline);
        output_.erase(0, newline + 1);
        return line;
      }
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buffer[512];
      const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) return "";
      output_.append(buffer, static_cast<std::size_t>(n));
    }
    return "";
  }

  // Everything the process writes on stdout until it closes it.
  std::string readAll(std::chrono::milliseconds timeout = kPatience) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      pollfd p{stdout_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buffer[512];
      const ssize_t n = ::read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;
      output_.append(buffer, static_cast<std::size_t>(n));
    }
    return std::exchange(output_, std::string());
  }

  // Waits for the process to end; the exit status as waitpid reports it, or nullopt on timeout.
  std::optional<int> waitExit(std::chrono::milliseconds timeout = kPatience) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        reaped_ = true;
        return status;
      }
      ::poll(nullptr, 0, 20);
    }
    return std::nullopt;
  }

  std::optional<int> terminate(int signal = SIGTERM) {
    ::kill(pid_, signal);
    return waitExit();
  }

  [[nodiscard]] std::string log() const {
    std::ifstream in(logPath_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int stdout_ = -1;
  std::string output_;
  std::string logPath_;
};

}  // namespace gagent::test
