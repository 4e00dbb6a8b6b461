#pragma once
// A loopback address for a test's module (gagent-sim) that no other test takes while this one runs. Like the
// virtual lab (LabService::leaseAddresses), each address is claimed with a lock file in
// $TMPDIR/gizrig-module-addresses, held for the lease's lifetime, then probed, since something outside any
// test may use it too. Tests lease from 127.0.100-249.x, the lab from 127.0.0.11-254: the two never ask for
// the same file. Plain POSIX (flock, released by the kernel when a test dies), no Qt: the firmware tests use
// it too.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>

namespace gagent::test {

// Whether `port` on `ip` (host order) can be bound now, the way a module binds: every module also holds
// 0.0.0.0:12414 with SO_REUSEADDR (loopback broadcast), which a probe without it would take for a conflict.
inline bool canBindLoopback(std::uint32_t ip, std::uint16_t port, int type) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(ip);
  addr.sin_port = htons(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A TCP port free on `ip` now (bind port 0 and read it back); 0 when none.
inline std::uint16_t freeTcpPortOn(std::uint32_t ip) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(ip);
  socklen_t size = sizeof addr;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0;
  ::close(fd);
  return ok ? ntohs(addr.sin_port) : 0;
}

class ModuleAddressLease {
 public:
  static constexpr std::uint16_t kLanUdpPort = 12414;
  static constexpr std::uint16_t kLanTcpPort = 12416;

  // A random 127.0.B.C whose lock this process now holds and whose LAN ports (and `webPort`, unless 0) are
  // free; nullopt when none was found.
  static std::optional<ModuleAddressLease> take(std::uint16_t webPort = 0) {
    std::error_code error;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(error) / "gizrig-module-addresses";
    std::filesystem::create_directories(dir, error);
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<std::uint32_t> third(100, 249);
    std::uniform_int_distribution<std::uint32_t> fourth(10, 250);
    for (int attempt = 0; attempt < 200; ++attempt) {
      const std::uint32_t ip = (127u << 24) | (third(random) << 8) | fourth(random);
      ModuleAddressLease lease(ip, dir / (dotted(ip) + ".lock"));
      if (!lease.lock()) continue;
      if (canBindLoopback(ip, kLanUdpPort, SOCK_DGRAM) && canBindLoopback(ip, kLanTcpPort, SOCK_STREAM) &&
          (webPort == 0 || canBindLoopback(ip, webPort, SOCK_STREAM)))
        return lease;
    }
    return std::nullopt;
  }

  ModuleAddressLease(ModuleAddressLease&& other) noexcept
      : ip_(other.ip_), path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}
  ModuleAddressLease& operator=(ModuleAddressLease&& other) noexcept {
    if (this != &other) {
      release();
      ip_ = other.ip_;
      path_ = std::move(other.path_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ModuleAddressLease(const ModuleAddressLease&) = delete;
  ModuleAddressLease& operator=(const ModuleAddressLease&) = delete;
  ~ModuleAddressLease() { release(); }

  [[nodiscard]] std::uint32_t address() const { return ip_; }  // host order
  [[nodiscard]] std::string text() const { return dotted(ip_); }

  static std::string dotted(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xFF) + "." +
           std::to_string((ip >> 8) & 0xFF) + "." + std::to_string(ip & 0xFF);
  }

 private:
  ModuleAddressLease(std::uint32_t ip, std::filesystem::path path) : ip_(ip), path_(std::move(path)) {}

  // Holds the lock on the file that is at path_ now: a file the previous owner unlinked between our open
  // and our flock is not it, so we try again on the new one.
  bool lock() {
    for (int tries = 0; tries < 3; ++tries) {
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
      if (fd_ < 0) return false;
      if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        closeFd();
        return false;  // another test holds it
      }
      struct stat held {};
      struct stat named {};
      if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
          held.st_dev == named.st_dev)
        return true;
      closeFd();
    }
    return false;
  }

  // Unlinks while still holding the lock, so the directory does not fill up with old addresses.
  void release() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());
    closeFd();
  }

  void closeFd() {
    ::close(fd_);
    fd_ = -1;
  }

  std::uint32_t ip_ = 0;
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace gagent::test
