#pragma once
// What the soak test (gagent_sim_soak_test) measures and the cloud it faces: a process's RSS, open file
// descriptors and CPU time from /proc, and a loopback "cloud API" that only ever misbehaves, cycling through
// its faults (refuse, hang, garbage, reset, a reply one byte a second).

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace gagent::test {

struct ProcessSample {
  long rssKiB = 0;
  int fds = 0;
  double cpuSeconds = 0;  // user + system since the process started
};

inline ProcessSample sampleProcess(pid_t pid) {
  ProcessSample sample;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) sample.rssKiB = std::stol(line.substr(6));
  }
  if (DIR* dir = ::opendir((base + "/fd").c_str())) {
    while (const dirent* entry = ::readdir(dir)) sample.fds += entry->d_name[0] != '.' ? 1 : 0;
    ::closedir(dir);
  }
  std::ifstream statFile(base + "/stat");
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::vector<std::string> values{std::istream_iterator<std::string>(fields), {}};
  if (values.size() > 12) {
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    sample.cpuSeconds = (std::stod(values[11]) + std::stod(values[12])) / ticks;
  }
  return sample;
}

// A cloud API on 127.0.0.1 that never answers properly. service() is called from the test's loop.
class FaultyCloud {
 public:
  enum class Fault { Refuse, Hang, Garbage, Reset, Trickle };
  static constexpr int kFaults = 5;

  FaultyCloud() { listen(); }
  ~FaultyCloud() {
    closeAll();
    if (listener_ >= 0) ::close(listener_);
  }
  FaultyCloud(const FaultyCloud&) = delete;
  FaultyCloud& operator=(const FaultyCloud&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int connections() const { return accepted_; }

  // The fault in force: the next one every `period`.
  void service(std::chrono::steady_clock::duration elapsed, std::chrono::steady_clock::duration period) {
    const auto fault = static_cast<Fault>((elapsed / period) % kFaults);
    if (fault != fault_) switchTo(fault);
    if (fault_ == Fault::Refuse) return;
    for (;;) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (client < 0) break;
      ++accepted_;
      if (fault_ == Fault::Garbage) {
        std::vector<char> junk(4096);
        for (char& c : junk) c = static_cast<char>(random_());
        (void)::send(client, junk.data(), junk.size(), MSG_NOSIGNAL);
      }
      if (fault_ == Fault::Garbage || fault_ == Fault::Reset) {
        ::close(client);
      } else {
        held_.push_back(client);
      }
    }
    if (fault_ == Fault::Trickle && std::chrono::steady_clock::now() >= nextTrickle_) {
      nextTrickle_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      for (int client : held_) (void)::send(client, "H", 1, MSG_NOSIGNAL);
    }
  }

 private:
  void listen() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port_);
    const int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0) {
      ::close(listener_);
      listener_ = -1;
      return;
    }
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }

  void switchTo(Fault fault) {
    closeAll();
    // Refuse: no listener at all (connect refused); the others listen on the same port again.
    if (fault == Fault::Refuse && listener_ >= 0) {
      ::close(listener_);
      listener_ = -1;
    } else if (fault != Fault::Refuse && listener_ < 0) {
      listen();
    }
    fault_ = fault;
  }

  void closeAll() {
    for (int client : held_) ::close(client);
    held_.clear();
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;  // 0 until the first listen picks one; kept afterwards
  Fault fault_ = Fault::Hang;
  std::vector<int> held_;
  int accepted_ = 0;
  std::mt19937 random_{16};
  std::chrono::steady_clock::time_point nextTrickle_{};
};

}  // namespace gagent::test
