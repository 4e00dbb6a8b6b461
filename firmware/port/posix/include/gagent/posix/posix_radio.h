#pragma once
// hal::Radio as a client of the virtual air (gagent-air, docs/virtual-lab.md "The air protocol"): one TCP
// connection per module, one request line per operation, replies in order, pushed EVENT lines set aside.
//
// Never blocks the core: an operation appends its request and changes the local state at once (a scan is
// Running, a join Joining); the answer is applied when service() reads it. service() runs on every loop pass
// (before and after agent.poll) and is the only place that touches the socket.
//
// The air going away is, for the module, every access point going out of range: the station link goes down,
// a running scan fails, and scans and joins made while it is gone find nothing. The radio reconnects with a
// growing delay; on every (re)connection it says HELLO and restores what the module still has on (its SoftAP,
// a one-shot listener), since the air forgets a module whose connection closed. Without an air (--air not
// given) the radio behaves as in an empty field.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/core/log.h"
#include "gagent/hal/radio.h"
#include "gagent/hal/system.h"

namespace gagent::posix {

class PosixRadio : public hal::Radio {
 public:
  using Millis = hal::Millis;
  static constexpr Millis kReconnectFirst = 500;
  static constexpr Millis kReconnectMax = hal::seconds(5);
  static constexpr std::size_t kMaxLine = 16 * 1024;  // a longer line is a broken air: reconnect
  static constexpr std::size_t kMaxScanResults = 64;
  static constexpr std::size_t kMinWpaPassword = 8;

  // Starts connecting at once, so the core's first join (in Agent::start) already goes to the air.
  PosixRadio(std::optional<hal::Endpoint> air, hal::MacAddress mac, hal::Ipv4 moduleAddress,
             core::LogHub& logs, Millis now);
  ~PosixRadio() override;
  PosixRadio(const PosixRadio&) = delete;
  PosixRadio& operator=(const PosixRadio&) = delete;

  // The loop side.
  void service(Millis now);
  [[nodiscard]] int fd() const { return fd_; }  // -1 while there is no connection
  [[nodiscard]] bool wantsWrite() const {
    return fd_ >= 0 && (connection_ == Connection::Connecting || !out_.empty());
  }
  [[nodiscard]] Millis nextDeadline() const;
  [[nodiscard]] bool airConnected() const { return connection_ == Connection::Connected; }

  // hal::Radio, the core side.
  bool startScan() override;
  hal::ScanState scanState() override { return scanState_; }
  std::size_t scanResults(std::span<hal::AccessPoint> out) override;
  bool joinStation(std::string_view ssid, std::string_view password) override;
  void leaveStation() override;
  hal::LinkState stationLink() override { return link_; }
  std::uint8_t stationSignal() override;
  hal::Ipv4 stationAddress() override;
  bool startSoftAp(std::string_view ssid, std::string_view password) override;
  void stopSoftAp() override;
  bool startOneShot(hal::OneShotKind kind) override;
  hal::OneShotState oneShotState() override { return oneShot_; }
  bool oneShotResult(hal::WifiCredentials& out) override;
  void stopOneShot() override;

 private:
  enum class Connection : std::uint8_t { None, Waiting, Connecting, Connected };
  enum class Request : std::uint8_t {
    Hello,
    Scan,
    Join,
    Leave,
    Signal,
    SoftAp,
    SoftApOff,
    OneShot,
    OneShotOff
  };
  struct Pending {
    Request request;
    std::uint64_t attempt = 0;  // joins: a reply to an older attempt is stale
  };

  [[nodiscard]] bool canSend() const {
    return connection_ == Connection::Connecting || connection_ == Connection::Connected;
  }
  void connect(Millis now);
  void lost(const char* why, Millis now);
  void send(Request request, const std::string& line, std::uint64_t attempt = 0);
  void checkConnected(Millis now);
  void flush(Millis now);
  void readInput(Millis now);
  void handleLine(std::string_view line, Millis now);
  void handleReply(const Pending& pending, const std::vector<std::string_view>& tokens, Millis now);
  void handleScanReply(const std::vector<std::string_view>& tokens);
  void handleJoinReply(const Pending& pending, const std::vector<std::string_view>& tokens);
  void handleEvent(const std::vector<std::string_view>& tokens);

  const std::optional<hal::Endpoint> air_;
  const hal::MacAddress mac_;
  const hal::Ipv4 address_;
  core::Logger log_;

  Connection connection_ = Connection::None;
  int fd_ = -1;
  Millis retryAt_ = 0;
  Millis retryDelay_ = kReconnectFirst;
  std::string out_;
  std::string in_;
  std::deque<Pending> pending_;

  hal::ScanState scanState_ = hal::ScanState::Idle;
  std::vector<hal::AccessPoint> scanResults_;
  hal::LinkState link_ = hal::LinkState::Down;
  std::string stationSsid_;
  std::uint64_t joinAttempt_ = 0;
  std::uint8_t signal_ = 0;
  bool signalPending_ = false;
  bool softAp_ = false;
  std::string softApSsid_;
  std::string softApPassword_;
  hal::OneShotState oneShot_ = hal::OneShotState::Idle;
  hal::OneShotKind oneShotKind_ = hal::OneShotKind::AirLink;
  hal::WifiCredentials oneShotCredentials_;
};

}  // namespace gagent::posix
