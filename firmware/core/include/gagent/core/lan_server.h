#pragma once
// The small loop's TCP side (S7.2-S7.5, S10.2, protocol §2.3): the module listens on 12416 for up to
// kMaxClients app sessions. Each client has a stream decoder (packets may arrive split or coalesced), an
// outgoing queue (tcpSend may take part of a packet), a logged-in flag and an idle timer.
//
// Before login only 0006 (passcode), 0008 (login), 000C (AP list), 0013 (device info) and 0017 (exit
// production test) are served; anything else closes the socket (S7.3.2, protocol §9). After login: ping
// 0015 -> 0016 (S7.5.1), 0090 / 0093 go to the agent for the MCU (S7.4.1), the LAN log facility's 0010 goes
// to the log handler (S13), unknown commands are logged and ignored (protocol §9). A framing error closes
// the client: the stream cannot be trusted after it. A logged-in client silent for 12 s is dropped (S7.5.3).
//
// Squatting (S10.2, issue 16): a client that has not logged in cannot send heartbeats, so it gets
// kLoginDeadline from its connection to log in, and nothing it sends before login extends that (a byte a
// second used to hold a slot for ever). When all 8 slots are taken, a new connection evicts the oldest
// client that has not logged in; only when all 8 are logged in is it closed at once (rather than left in
// the backlog: the app sees the refusal immediately). Wrong passcodes: one try per connection (S7.3.2) and
// a back-off per source address (LoginThrottle): while it runs, a login is refused without being compared.
//
// Memory (issue 15, P5): 8 clients must be servable (protocol §2.1), but few of them are mid-packet or have
// unsent output at any moment. So a client owns only a small receive buffer (kSmallPacketBytes: every
// pre-login packet, pings, small commands) and reads one packet at a time off its socket; a larger packet
// (up to kLanMaxWireSize, logged-in clients only) borrows one of kReceivePoolSize receive buffers while it
// is assembled. When none is free the client is not read: its bytes wait in the TCP stack (flow control)
// until a buffer comes back. Output goes straight to the stack; only what the stack did not take is kept,
// in one of kSendPoolSize send buffers. A reply that nothing of could be sent and finds no buffer is refused
// (false); a packet already partly sent whose rest finds none closes the client (its stream would be torn).
// Denial of service: an unauthenticated peer can borrow no receive buffer (a large packet before login
// closes it), a logged-in one holds one for at most kPacketTimeout, and a send buffer is given back when its
// client reads, or is closed (idle 12 s, or the close linger).

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "gagent/core/bind_window.h"
#include "gagent/core/buffer_pool.h"
#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/login_throttle.h"
#include "gagent/core/module_identity.h"
#include "gagent/core/timer.h"
#include "gagent/hal/net.h"
#include "gagent/hal/radio.h"
#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"

namespace gagent::core {

// One TCP session, unique for the server's lifetime (not a slot number: a slot is reused by the next
// client, and an MCU answer for a client that has left must not reach its successor, S7.4.4).
using LanClientId = std::uint32_t;
inline constexpr LanClientId kNoLanClient = 0;

class LanServerListener {
 public:
  virtual ~LanServerListener() = default;
  // S7.4.1: a logged-in client's 0090 (sn = 0) or 0093 (its sn); the agent forwards the P0 to the MCU and
  // answers with LanServer::sendToClient. `p0` is valid only during the call.
  virtual void onAppCommand(LanClientId client, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                            Millis now) = 0;
  // The number of logged-in clients changed (status word bit 11, "app connected").
  virtual void onAppCountChanged(std::size_t loggedIn, Millis now) = 0;
  // S5.6: the test tool's 0017 (already answered with 0018).
  virtual void onExitProductionTest(Millis now) = 0;
  // S6.2.4: the router scan cache, for 000C. The span is read during the call only.
  virtual std::span<const hal::AccessPoint> scanCache() = 0;
};

// The LAN log facility (S13, LanLogSink) plugs in here: LanServer hands it 0010 requests of logged-in
// clients and tells it when a client goes away.
class LanLogRequestHandler {
 public:
  virtual ~LanLogRequestHandler() = default;
  virtual void onLogRequest(LanClientId client, proto::Bytes payload, Millis now) = 0;
  virtual void onClientClosed(LanClientId client) = 0;
};

class LanServer {
 public:
  // Stopped: not listening. Listening: accepting clients. Retrying: the listen failed; tried again later.
  enum class State : std::uint8_t { Stopped, Listening, Retrying };

  static constexpr std::uint16_t kPort = proto::kLanTcpPort;  // 12416, S7.3.1
  static constexpr std::size_t kMaxClients = 8;               // protocol §2.1: max 8 clients
  static constexpr int kBacklog = 8;                          // protocol §2.1: backlog 8
  static constexpr Millis kIdleTimeout = hal::seconds(12);    // S7.5.3, S10.2, protocol §9
  // From the connection to the login (S10.2: "when its heartbeat times out"; issue 16). Not shorter: the
  // spec names this timeout, and squatting is defeated by eviction and by nothing extending the deadline.
  static constexpr Millis kLoginDeadline = kIdleTimeout;
  static constexpr Millis kApListCloseDelay = Millis{100};  // protocol §2.3 000D: closed ~100 ms later
  // A closing client whose last reply the peer does not take is closed anyway after this.
  static constexpr Millis kCloseLinger = hal::seconds(1);
  static constexpr Millis kRelistenDelay = hal::seconds(2);  // a listen the stack refused is tried again
  static constexpr Millis kFlushRetry = Millis{20};          // output the stack did not take yet
  // A client's own receive buffer: the largest pre-login packet is 0008 with a 32-character passcode (S7.2.1,
  // 42 bytes); 0093 with a P0 of up to 52 bytes fits too.
  static constexpr std::size_t kSmallPacketBytes = 64;
  static constexpr std::size_t kReceivePoolSize = 2;  // large packets being assembled at once
  static constexpr std::size_t kSendPoolSize = 2;     // clients with output the stack did not take yet
  // A borrowed receive buffer comes back by this time after the packet's first byte (else the client closes).
  static constexpr Millis kPacketTimeout = kIdleTimeout;
  static constexpr Millis kBufferRetry = Millis{20};   // a client waits for a receive buffer
  static constexpr std::size_t kMaxReadsPerPoll = 16;  // per client (2 per packet): a flooding peer cannot
                                                       // starve the rest
  static constexpr std::size_t kMaxApEntries = 30;     // 30 x (2 + 32 + 1) fits kLanMaxPayload

  enum class ClientState : std::uint8_t { Free, Connected, LoggedIn, Closing };

  LanServer(hal::Net& net, const ModuleIdentity& identity, const DeviceConfig& config,
            const BindWindow& bindWindow, LogHub& logs, LanServerListener& listener);
  ~LanServer();
  LanServer(const LanServer&) = delete;
  LanServer& operator=(const LanServer&) = delete;

  // The log facility (nullptr: 0010 is a no-op as in v4.2.6).
  void setLogRequestHandler(LanLogRequestHandler* handler) { logHandler_ = handler; }

  void start(Millis now);
  // Closes every client and the listener.
  void stop(Millis now);
  // The interface changed: old connections are gone with the old address; listen on the new one.
  void onNetworkChanged(Millis now);

  // S7.4.4-5: the MCU's answer to one client (0091 with the P0, or 0094 with the echoed sn + P0). False
  // when that client is gone or not logged in, or its queue is full.
  bool sendToClient(LanClientId client, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0);
  // S7.4.3: an MCU report (0091) to every logged-in client; returns how many got it.
  std::size_t sendToAllLoggedIn(proto::LanCmd cmd, proto::Bytes p0);
  // Any packet to one logged-in client (the log facility's 0011 / 0012). Never logs: a log line is sent
  // through here.
  bool sendPacket(LanClientId client, proto::LanCmd cmd, proto::Bytes payload);

  [[nodiscard]] std::size_t loggedInCount() const;
  [[nodiscard]] std::size_t clientCount() const;
  [[nodiscard]] ClientState clientState(LanClientId client) const;

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;
  [[nodiscard]] State state() const { return state_; }

 private:
  using ReceivePool = BufferPool<kReceivePoolSize, proto::kLanMaxWireSize>;
  using SendPool = BufferPool<kSendPoolSize, proto::kLanMaxPacketSize>;

  struct Client {
    ClientState state = ClientState::Free;
    hal::SocketId socket = hal::kNoSocket;
    LanClientId id = kNoLanClient;
    hal::Endpoint peer;
    // The packet being read: `have` of `need` bytes (need 0: its header is not read yet), in `small` or in
    // the borrowed receive buffer.
    std::uint16_t have = 0;
    std::uint16_t need = 0;
    ReceivePool::Handle rxBuffer = ReceivePool::kNone;
    // Output the stack did not take: bytes [txBegin, txEnd) of the borrowed send buffer.
    SendPool::Handle txBuffer = SendPool::kNone;
    std::uint16_t txBegin = 0;
    std::uint16_t txEnd = 0;
    bool failed = false;   // the stack reported the connection gone while sending, or a torn packet
    Timer idle;            // S7.5.3; before login: the login deadline, never extended
    Timer packetDue;       // the borrowed receive buffer comes back by then
    Timer closeAt;         // Closing: close once the output is flushed...
    Millis lingerEnd = 0;  // ...or at this time at the latest
    std::array<std::uint8_t, kSmallPacketBytes> small{};
  };

  void listen(Millis now);
  void acceptClients(Millis now);
  // A free slot for a new connection: a Free one, else the oldest client not logged in (closed here).
  Client* slotForNewClient(Millis now);
  void serviceClient(Client& client, Millis now);
  void receive(Client& client, Millis now);
  // The bytes of the packet being read: the client's own buffer or the borrowed one.
  proto::MutableBytes packetBuffer(Client& client);
  // Header bytes came in: once LEN is known, sets `need` and borrows a receive buffer for a large packet.
  // False when the client was closed, or must wait for a buffer (`need` set, the header bytes kept).
  bool startPacket(Client& client, Millis now);
  bool borrowReceiveBuffer(Client& client, Millis now);
  void endPacket(Client& client);
  [[nodiscard]] static bool waitsForReceiveBuffer(const Client& client) {
    return client.need > kSmallPacketBytes && client.rxBuffer == ReceivePool::kNone;
  }
  [[nodiscard]] static bool hasOutput(const Client& client) { return client.txBuffer != SendPool::kNone; }
  void handlePacket(Client& client, const proto::LanPacketView& packet, Millis now);
  void handleLogin(Client& client, proto::Bytes payload, Millis now);
  // A refused login: logs why (backing off, malformed, or a wrong passcode, which counts against its
  // source) and closes the client.
  void refuseLogin(Client& client, std::uint32_t wait, bool wellFormed, Millis now);
  void sendPasscode(Client& client, Millis now);
  void sendApList(Client& client, Millis now);
  void sendDeviceInfo(Client& client);
  bool queue(Client& client, proto::LanCmd cmd, proto::Bytes payload);
  bool queueEncoded(Client& client, std::size_t size);
  void flush(Client& client);
  void closeAfter(Client& client, Millis delay, Millis now);
  void closeClient(Client& client, Millis now, const char* why);
  Client* find(LanClientId id);
  [[nodiscard]] const Client* find(LanClientId id) const;
  void updateLoggedInCount(Millis now);
  [[nodiscard]] unsigned slotOf(const Client& client) const;

  hal::Net& net_;
  const ModuleIdentity& identity_;
  const DeviceConfig& config_;
  const BindWindow& bindWindow_;
  Logger log_;
  LanServerListener& listener_;
  LanLogRequestHandler* logHandler_ = nullptr;

  State state_ = State::Stopped;
  hal::SocketId listenSocket_ = hal::kNoSocket;
  Timer relisten_;
  LanClientId nextId_ = 1;
  std::size_t loggedIn_ = 0;  // last count reported to the listener
  Millis lastPoll_ = 0;
  std::array<Client, kMaxClients> clients_{};
  LoginThrottle loginThrottle_;
  ReceivePool receivePool_;
  SendPool sendPool_;
  std::array<std::uint8_t, proto::kLanMaxPacketSize> scratch_{};  // one packet being encoded
};

}  // namespace gagent::core
