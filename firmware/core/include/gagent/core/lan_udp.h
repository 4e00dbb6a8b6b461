#pragma once
// The module's UDP side of the small loop (protocol §2.1-2.3):
// - port 12414 (broadcasts allowed): app discovery 0003 is answered at once with 0004 by unicast to the
//   sender (S7.1.2); SoftAP onboarding 0001 is accepted only while the agent has opened onboarding (S6.2.5):
//   0002 goes back to the sender, then the credentials go to the listener unchecked and unescaped. Once the
//   listener took them and closed onboarding, the same packet again (the app missed the 0002 and resends
//   once a second) is acknowledged again but not passed on, until the reboot.
// - port 2415: the 30 x 1 s broadcasts to <broadcast>:2415 from source port 2415, the power-on announcement
//   0005 (S7.1.1) and the configuration-success packet 0019 (S6.1.3).
// Both sockets are bound to the interface that was up when they opened, so a network change reopens them;
// a socket that fails to open is retried on a timer. Anything unexpected on the wire is logged and dropped.

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/module_identity.h"
#include "gagent/core/timer.h"
#include "gagent/hal/net.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"

namespace gagent::core {

class LanUdpListener {
 public:
  virtual ~LanUdpListener() = default;
  // S6.2.5: an onboarding packet arrived while onboarding was open and was acknowledged with 0002. SSID and
  // password are the raw bytes of the packet (at most 32 each), valid only during the call.
  virtual void onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis now) = 0;
  // S6.1.3: the 30th config-success broadcast went out; the agent clears its pending flag.
  virtual void onConfigSuccessSent(Millis now) = 0;
};

class LanUdp {
 public:
  // Stopped: no sockets. Open: both sockets open. Retrying: at least one failed; reopened by a timer.
  enum class State : std::uint8_t { Stopped, Open, Retrying };

  static constexpr hal::Ipv4 kDefaultBroadcast = hal::ipv4(255, 255, 255, 255);  // S7.1.1, protocol §2.1
  static constexpr std::uint16_t kRequestPort = proto::kLanUdpConfigPort;        // 12414, S6.2.1
  static constexpr std::uint16_t kAnnouncePort = proto::kLanAnnouncePort;        // 2415, S7.1.1
  static constexpr std::uint8_t kBroadcastCount = 30;                            // S7.1.1, S6.1.3
  static constexpr Millis kBroadcastInterval = hal::seconds(1);                  // S7.1.1, S6.1.3
  static constexpr Millis kReopenDelay = hal::seconds(2);  // a socket the stack refused is tried again
  // Bounds the work one poll does when a peer floods the port; the rest waits for the next poll.
  static constexpr std::size_t kMaxDatagramsPerPoll = 16;
  // P5: sized by the datagrams this side handles, not by the LAN maximum the TCP side needs (1109 B). The
  // largest it accepts is a 0001 with a 32-byte SSID and password; the largest it sends a 0004/0005 with
  // every field at its stored maximum. A larger datagram cannot be a valid request: dropped unread.
  static constexpr std::size_t kLargestRequest = proto::kLanMagicSize + 1 + proto::kLanFixedLen + 2 +
                                                 proto::kLanMaxSsid + 2 + proto::kLanMaxPassword;  // 76
  static constexpr std::size_t kLargestAnnounce =
      proto::kLanMagicSize + 1 + proto::kLanFixedLen + 2 + decltype(DeviceConfig::did)::kCapacity + 2 +
      proto::kLanMacSize + 2 + decltype(DeviceConfig::firmwareVersion)::kCapacity + 2 +
      proto::kLanProductKeySize + proto::kLanMcuAttrSize;  // 92 (0019 carries less)

  // `broadcast` is where 0005/0019 go: 255.255.255.255 on a real module, the lab's 127.255.255.255 in the
  // virtual lab. Identity and config are read at send time, so later changes (DID, MCU info) show.
  LanUdp(hal::Net& net, const ModuleIdentity& identity, const DeviceConfig& config, LogHub& logs,
         LanUdpListener& listener, hal::Ipv4 broadcast = kDefaultBroadcast);
  ~LanUdp() { stop(); }
  LanUdp(const LanUdp&) = delete;
  LanUdp& operator=(const LanUdp&) = delete;

  // Opens the sockets (retried every kReopenDelay while the stack refuses).
  void start(Millis now);
  // Closes the sockets; pending broadcasts keep their schedule and resume after start().
  void stop();
  // The interface changed (SoftAP <-> station, new address): the old sockets were bound to the old one.
  void onNetworkChanged(Millis now);

  // S6.2.5: 0001 is accepted only while open (SoftAP onboarding).
  void setOnboardingOpen(bool open);
  [[nodiscard]] bool onboardingOpen() const { return onboardingOpen_; }

  // S7.1.1: 0005 x 30, 1 s apart, the first at once. Calling again restarts the count.
  void startAnnounce(Millis now);
  // S6.1.3: 0019 x 30, 1 s apart, the first at once; then LanUdpListener::onConfigSuccessSent.
  void startConfigSuccess(Millis now);
  [[nodiscard]] std::uint8_t announcesLeft() const { return announce_.left; }
  [[nodiscard]] std::uint8_t configSuccessLeft() const { return configSuccess_.left; }

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;
  [[nodiscard]] State state() const { return state_; }

 private:
  struct Series {
    std::uint8_t left = 0;
    Timer next;
  };

  void openSockets(Millis now);
  void receiveRequests(Millis now);
  void drainAnnounceSocket();
  void handleRequest(proto::Bytes datagram, hal::Endpoint from, Millis now);
  void handleOnboarding(proto::Bytes payload, hal::Endpoint from, Millis now);
  // The 0001 repeats what the listener took (as stored in the config) since onboarding closed.
  [[nodiscard]] bool repeatsTakenCredentials(const proto::LanOnboardingRequest& request) const;
  void runSeries(Series& series, bool announce, Millis now);
  // Encodes into scratch_; 0 when the identity cannot be encoded yet (no product key before the MCU).
  std::size_t encodeDiscoveryBody(std::uint16_t cmd);
  std::size_t encodeConfigSuccess();
  void send(hal::SocketId socket, hal::Endpoint to, std::size_t size, std::string_view what);

  hal::Net& net_;
  const ModuleIdentity& identity_;
  const DeviceConfig& config_;
  Logger log_;
  LanUdpListener& listener_;
  const hal::Ipv4 broadcast_;

  State state_ = State::Stopped;
  hal::SocketId requests_ = hal::kNoSocket;
  hal::SocketId announces_ = hal::kNoSocket;
  Timer reopen_;
  bool onboardingOpen_ = false;
  bool taken_ = false;  // onboarding closed because the listener took an 0001's credentials
  Series announce_;
  Series configSuccess_;
  std::array<std::uint8_t, kLargestRequest> rx_{};
  std::array<std::uint8_t, kLargestAnnounce> scratch_{};
};

}  // namespace gagent::core
