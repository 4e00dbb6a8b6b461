#pragma once
// The M2M ("big loop") MQTT 3.1 session of S8.5-S8.9: TCP to the provisioned M2M server, CONNECT with the
// DID and passcode, the three subscriptions of protocol §3.7, the 55 s / 120 s heartbeat, the reconnect
// schedule (ReconnectSchedule), and the traffic: app commands in (app2dev, S8.7), management pushes in
// (ser2cli_res: app count, OTA push S9.1), reports and answers out (dev2app). QoS 0 only.
//
// The agent provisions over HTTP and calls start(); everything after that (login, retries, heartbeat) happens
// in poll(). What the agent must do about it comes back through MqttSessionListener.

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/byte_queue.h"
#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/reconnect_schedule.h"
#include "gagent/core/timer.h"
#include "gagent/hal/net.h"
#include "gagent/proto/bytes.h"
#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/proto/mqtt.h"
#include "gagent/proto/mqtt_topics.h"

namespace gagent::core {

class MqttSessionListener {
 public:
  virtual ~MqttSessionListener() = default;
  // S8.6: every subscription acknowledged: cloud status bit 5 on.
  virtual void onCloudConnected(Millis now) = 0;
  // An established (subscribed) session was lost: status bit 5 off. The session reconnects by itself.
  virtual void onCloudDisconnected(Millis now) = 0;
  // S8.9 CONNACK 0x04: re-register, provision, then start() again. The session waits idle meanwhile.
  virtual void onCredentialsRejected(Millis now) = 0;
  // S8.8.4: ten failed attempts: provision again, then start() (maybe with another address). Waits idle.
  virtual void onReprovisionNeeded(Millis now) = 0;
  // S8.8.5: two hours without a working session: reboot the module.
  virtual void onRebootNeeded(Millis now) = 0;
  // S8.7 / S7.4.2: an app's 0x0090 (sn 0) or 0x0093 through app2dev/<did>/<clientId>. The views are valid
  // during the call only.
  virtual void onCloudAppCommand(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn,
                                 proto::Bytes p0, Millis now) = 0;
  // Protocol §3.7 0x0210: apps online through the cloud (non-zero sets status bit 11).
  virtual void onCloudAppCount(std::uint16_t count, Millis now) = 0;
  // S9.1, protocol §3.7 0x0211: the server pushes an upgrade.
  virtual void onOtaPush(proto::OtaFirmwareType type, Millis now) = 0;
};

class MqttSession {
 public:
  enum class State : std::uint8_t {
    Idle,             // not started, stopped, or waiting for the agent to re-register / re-provision
    Connecting,       // TCP connect in progress
    AwaitingConnack,  // CONNECT sent
    Subscribing,      // CONNACK 0 received, SUBSCRIBEs going out one at a time
    Connected,        // all SUBACKs received (S8.6)
    Waiting,          // between attempts (S8.8.3)
  };

  static constexpr Millis kConnectTimeout = hal::seconds(10);     // TCP connect that never completes
  static constexpr Millis kConnackTimeout = hal::seconds(10);     // S8.9: no CONNACK = failed attempt
  static constexpr Millis kSubackTimeout = hal::seconds(10);      // S8.6: a SUBACK that never comes
  static constexpr Millis kPingAfterSilence = hal::seconds(55);   // S8.8.1, protocol §9
  static constexpr Millis kDropAfterSilence = hal::seconds(120);  // S8.8.2, protocol §9
  static constexpr std::uint16_t kKeepAliveSeconds = proto::kMqttKeepAliveSeconds;  // S8.5: 120 s
  static constexpr std::size_t kSubscriptionCount = 3;  // protocol §3.7: noti, res, app2dev
  static constexpr std::uint8_t kQos = 0;               // protocol §9: QoS 0 only
  // The largest packet the module sends: a QoS 0 PUBLISH of a whole LAN packet (a 1 KB P0) on the longest
  // topic: fixed header + 2-byte remaining length, topic length + topic. CONNECT and SUBSCRIBE are smaller.
  // kMqttMaxPacket stays the receive maximum (the decoder).
  static constexpr std::size_t kMaxSentPacket =
      1 + 2 + 2 + proto::kMqttTopicCapacity + proto::kLanMaxPacketSize;
  // Outgoing bytes the TCP stack has not taken yet: two of the largest publishes.
  static constexpr std::size_t kTxQueueCapacity = 2 * kMaxSentPacket;
  static constexpr std::size_t kReceiveChunk = 512;
  // How often a pending TCP connect or a backed-up send queue is looked at (the HAL has no event for either).
  static constexpr Millis kIoPollInterval = 50;
  // Chunks read per poll; with more waiting, nextDeadline() asks for an immediate poll so others get a turn.
  static constexpr std::size_t kMaxReadsPerPoll = 8;
  static constexpr std::size_t kMaxDidLength = proto::kMqtt31MaxClientIdLength;  // client id = DID (S8.1)
  static constexpr std::size_t kMaxPasscodeLength = 32;                          // S7.2.1
  static constexpr std::size_t kMaxProductKeyLength = 32;                        // S8.1

  MqttSession(hal::Net& net, LogHub& logs, MqttSessionListener& listener);

  // Starts (or restarts) the login to `m2m` at once. Called after provision; again after
  // onCredentialsRejected / onReprovisionNeeded (the failing period and its 2-hour clock go on). False, and
  // nothing started, when the identity cannot be carried (empty or over-long fields, bad topic characters).
  // The same data again while a connection is up or on its way keeps it; anything else reconnects now.
  bool start(hal::Endpoint m2m, std::string_view did, std::string_view passcode, std::string_view productKey,
             Millis now);
  // Ends the session (reset, router lost) and forgets the schedule: the next start() begins at 0 s. Does not
  // call the listener: the caller knows the cloud is gone.
  void stop();
  // S11.4: the hourly re-resolution found a new M2M address: move there now (same address: nothing).
  void changeServer(hal::Endpoint m2m, Millis now);

  // S8.7 / S7.4.3: a 0x0091 report to every app through dev2app/<did>.
  bool publishToAll(proto::LanCmd cmd, proto::Bytes p0);
  // S7.4.5: a 0x0094 answer (sn echoed) to one app through dev2app/<did>/<clientId>.
  bool publishToClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0);

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool connected() const { return state_ == State::Connected; }
  [[nodiscard]] hal::Endpoint server() const { return server_; }
  [[nodiscard]] const ReconnectSchedule& schedule() const { return schedule_; }

 private:
  void beginAttempt(Millis now);
  void pollConnecting(Millis now);
  void pollSession(Millis now);
  void receive(Millis now);
  void handlePacket(const proto::MqttPacket& packet, Millis now);
  void handleConnack(const proto::MqttPacket& packet, Millis now);
  void handleSuback(const proto::MqttPacket& packet, Millis now);
  void handlePublish(const proto::MqttPacket& packet, Millis now);
  void handleAppCommand(std::string_view clientId, proto::Bytes payload, Millis now);
  void handleManagement(proto::Bytes payload, Millis now);
  bool sendSubscribe(Millis now);
  void armHeartbeat();
  bool enqueue(proto::Bytes packet, const char* what);
  bool flush();
  bool publish(std::string_view topic, proto::Bytes lanPacket);
  void closeSocket(bool sayGoodbye);
  // The current connection failed (or was lost after success): close, tell, and schedule the next attempt.
  void fail(Millis now, const char* why);
  void wait(Millis now);
  void enter(State state);

  hal::Net& net_;
  Logger log_;
  MqttSessionListener& listener_;

  State state_ = State::Idle;
  // Bumped whenever the connection is torn down or restarted, so a loop that called out to the listener can
  // tell that the world changed under it.
  std::uint32_t generation_ = 0;
  hal::Endpoint server_;
  StoredText<kMaxDidLength> did_;
  StoredText<kMaxPasscodeLength> passcode_;
  StoredText<kMaxProductKeyLength> productKey_;

  hal::SocketId socket_ = hal::kNoSocket;
  ReconnectSchedule schedule_;
  Timer retry_;    // Waiting: next attempt
  Timer step_;     // connect / CONNACK / SUBACK timeout
  Timer ping_;     // S8.8.1
  Timer silence_;  // S8.8.2
  Millis lastReceive_ = 0;
  Millis lastPing_ = 0;
  Millis lastNow_ = 0;  // the time of the last call that brought one, for nextDeadline()
  bool moreToRead_ = false;
  bool sendBroken_ = false;  // a publish outside poll() found the connection gone

  std::size_t subscribed_ = 0;  // SUBACKs received in this connection
  std::uint16_t pendingId_ = 0;
  std::uint16_t nextPacketId_ = 1;

  proto::MqttStreamDecoder decoder_;
  ByteQueue<kTxQueueCapacity> tx_;
  std::array<std::uint8_t, kReceiveChunk> rx_{};
  std::array<std::uint8_t, kMaxSentPacket> packet_{};               // one outgoing MQTT packet
  std::array<std::uint8_t, proto::kLanMaxPacketSize> lanPacket_{};  // a publish's §2.2-framed payload
};

[[nodiscard]] std::string_view mqttSessionStateName(MqttSession::State state);

}  // namespace gagent::core
