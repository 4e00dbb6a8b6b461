#include "gagent/posix/posix_dns.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace gagent::posix {

struct PosixDns::Pipe {
  int readFd = -1;
  int writeFd = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
      readFd = fds[0];
      writeFd = fds[1];
    }
  }
  ~Pipe() {
    if (readFd >= 0) ::close(readFd);
    if (writeFd >= 0) ::close(writeFd);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void notify() const {
    const char byte = 1;
    // A full pipe already wakes the loop; the byte is only a wake-up.
    [[maybe_unused]] const ssize_t n = ::write(writeFd, &byte, 1);
  }
};

PosixDns::PosixDns() : pipe_(std::make_shared<Pipe>()) {}

PosixDns::~PosixDns() = default;

int PosixDns::fd() const {
  return pipe_->readFd;
}

void PosixDns::drain() {
  char buffer[64];
  while (::read(pipe_->readFd, buffer, sizeof buffer) > 0) {
  }
}

hal::DnsQueryId PosixDns::startResolve(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostLength) return hal::kNoQuery;
  // Finished queries the core never collected (it stopped waiting) make room for new ones.
  if (queries_.size() >= kMaxQueries) {
    std::erase_if(queries_, [](const auto& entry) { return entry.second->state != hal::DnsState::Pending; });
  }
  if (queries_.size() >= kMaxQueries) return hal::kNoQuery;
  const std::string name(host);
  auto query = std::make_shared<Query>();
  in_addr dotted{};
  if (::inet_pton(AF_INET, name.c_str(), &dotted) == 1) {
    query->address = ntohl(dotted.s_addr);
    query->state = hal::DnsState::Resolved;
  } else {
    std::thread([query, name, pipe = pipe_] {
      addrinfo hints{};
      hints.ai_family = AF_INET;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo* result = nullptr;
      if (::getaddrinfo(name.c_str(), nullptr, &hints, &result) == 0 && result != nullptr) {
        const auto* addr = reinterpret_cast<const sockaddr_in*>(result->ai_addr);
        query->address = ntohl(addr->sin_addr.s_addr);
        query->state = hal::DnsState::Resolved;
      } else {
        query->state = hal::DnsState::Failed;
      }
      if (result != nullptr) ::freeaddrinfo(result);
      pipe->notify();
    }).detach();
  }
  const hal::DnsQueryId id = nextId_++;
  queries_[id] = std::move(query);
  return id;
}

hal::DnsState PosixDns::pollResolve(hal::DnsQueryId query, hal::Ipv4& address) {
  const auto it = queries_.find(query);
  if (it == queries_.end()) return hal::DnsState::Failed;
  const hal::DnsState state = it->second->state;
  if (state == hal::DnsState::Pending) return state;
  if (state == hal::DnsState::Resolved) address = hal::Ipv4{it->second->address};
  queries_.erase(it);
  return state;
}

}  // namespace gagent::posix
