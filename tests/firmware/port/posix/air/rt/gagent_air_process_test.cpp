// The gagent-air executable: --help, bad arguments, the ready line, serving, SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "gagent/air/air_client.h"

extern char** environ;

using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = 20s;

// gagent-air is built next to the test executables (build/bin).
std::string airExecutable() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "gagent-air").string();
}

// A gagent-air child with its stdout and stderr on pipes; killed and reaped on destruction whatever happened.
class AirProcess {
 public:
  explicit AirProcess(const std::vector<std::string>& args) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    const std::string program = airExecutable();
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    if (::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    stdout_ = out[0];
    stderr_ = err[0];
  }
  ~AirProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) ::close(stdout_);
    if (stderr_ >= 0) ::close(stderr_);
  }

  [[nodiscard]] bool started() const { return pid_ > 0; }
  void signal(int number) const { ::kill(pid_, number); }

  // The exit code, or -1 when it did not exit normally in time.
  int waitExit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::poll(nullptr, 0, 20);
    }
    return -1;
  }

  // One line of stdout (without '\n'), or what arrived before the timeout.
  std::string readStdoutLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    char c = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd waiting{stdout_, POLLIN, 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      if (::read(stdout_, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

  // Everything on a stream once the process has exited.
  std::string drain(bool fromStderr) {
    std::string text;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(fromStderr ? stderr_ : stdout_, buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<std::size_t>(got));
    }
    return text;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
};

std::uint16_t readyPort(const std::string& line) {
  const std::string prefix = "gagent-air ready port=";
  EXPECT_TRUE(line.starts_with(prefix)) << line;
  if (!line.starts_with(prefix)) return 0;
  return static_cast<std::uint16_t>(std::stoul(line.substr(prefix.size())));
}

}  // namespace

TEST(GagentAirProcess, HelpPrintsTheUsageAndExitsZero) {
  AirProcess air({"--help"});
  ASSERT_TRUE(air.started());
  EXPECT_EQ(air.waitExit(kTimeout), 0);
  const std::string usage = air.drain(false);
  EXPECT_TRUE(usage.starts_with("usage: gagent-air")) << usage;
  EXPECT_NE(usage.find("--production"), std::string::npos);
}

TEST(GagentAirProcess, BadArgumentsExitTwoWithAClearError) {
  AirProcess air({"--ap", "no-password-part"});
  ASSERT_TRUE(air.started());
  EXPECT_EQ(air.waitExit(kTimeout), 2);
  const std::string error = air.drain(true);
  EXPECT_TRUE(error.starts_with("gagent-air: --ap 'no-password-part': wants SSID:PASSWORD[:SIGNAL]\n"))
      << error;

  AirProcess remote({"--listen", "192.168.1.1:80"});
  EXPECT_EQ(remote.waitExit(kTimeout), 2);
  EXPECT_NE(remote.drain(true).find("loopback"), std::string::npos);
}

TEST(GagentAirProcess, S5_1_ProductionAirIsServedUntilSigtermEndsItWithExitZero) {
  AirProcess air({"--production", "--listen", "127.0.0.1:0", "--ap", "my%20home:secret-pass:30"});
  ASSERT_TRUE(air.started());
  const std::uint16_t port = readyPort(air.readStdoutLine(kTimeout));
  ASSERT_NE(port, 0);

  gagent::air::AirClient module;
  gagent::air::AirClient control;
  ASSERT_TRUE(module.connect("127.0.0.1", port, kTimeout)) << module.lastError();
  ASSERT_TRUE(control.connect("127.0.0.1", port, kTimeout)) << control.lastError();
  EXPECT_EQ(module.request("HELLO a0b1c2d3e4f5 127.0.0.10", kTimeout), "OK");
  EXPECT_EQ(module.request("SCAN", kTimeout), "OK 3 GIZWITS_TEST_1 70 GIZWITS_TEST_2 70 my%20home 30");
  EXPECT_EQ(module.request("JOIN GIZWITS_TEST_2 GIZWITS_TEST_PASS", kTimeout), "OK");
  EXPECT_EQ(control.request("AP-REBOOT GIZWITS_TEST_2", kTimeout), "OK");
  EXPECT_EQ(module.waitEvent(kTimeout), "EVENT link-down GIZWITS_TEST_2");

  air.signal(SIGTERM);
  EXPECT_EQ(air.waitExit(kTimeout), 0);
}
