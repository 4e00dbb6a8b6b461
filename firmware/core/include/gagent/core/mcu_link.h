#pragma once
// The serial link to the device's MCU (S7.6, protocol §1.4-1.10 and the §9 decisions).
//
// Module requests (0x01 device info, 0x03 P0, 0x07 heartbeat, 0x0D status) go out one at a time: 200 ms for
// the ACK, 3 transmissions, then the request fails. While one waits, every incoming frame is still served.
// MCU requests are ACKed first and then handed to the listener (S7.4.3: "ACK the MCU first"). Bad frames get
// a 0x11 notice (at most kNoticeBurst per code per second, issue 16: UART garbage once drew 207,953 of them;
// the first of each code always goes, the rest are counted in the log); 0x11/0x12 from the MCU are logged
// and never ACKed. MCU silence: heartbeat after 55 s,
// onMcuSilent after 180 s (the agent reboots, S7.6.2).

#include <array>
#include <cstddef>
#include <cstdint>

#include "gagent/core/byte_queue.h"
#include "gagent/core/log.h"
#include "gagent/core/mcu_request_queue.h"
#include "gagent/core/repeat_limiter.h"
#include "gagent/core/timer.h"
#include "gagent/hal/uart.h"
#include "gagent/proto/bytes.h"
#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"

namespace gagent::core {

// Who asked for a P0 request, so the MCU's answer goes back to that requester only (S7.4.4-5).
using RequestTag = std::uint32_t;

class McuLinkListener {
 public:
  virtual ~McuLinkListener() = default;

  // The 0x02 answer to the boot handshake (and to any later 0x01).
  virtual void onDeviceInfo(const proto::DeviceInfo& info, Millis now) = 0;
  // kHandshakeRounds rounds of 0x01 got no answer (LED pattern 3 of S4.1); rounds continue at a slower pace.
  virtual void onHandshakeFailed(Millis now) = 0;
  // 0x04 answer to a 0x03 sent with `tag` (empty for a control, 03 + status for a read).
  virtual void onP0Answer(RequestTag tag, proto::Bytes p0, Millis now) = 0;
  // A 0x03 got no ACK after every transmission.
  virtual void onP0Failed(RequestTag tag, Millis now) = 0;
  // 0x05: already ACKed (S7.4.3).
  virtual void onMcuReport(proto::Bytes p0, Millis now) = 0;
  // MCU commands, each already ACKed (protocol §1.8).
  virtual void onConfigModeRequest(const proto::ConfigModeRequest& request, Millis now) = 0;  // 0x09
  virtual void onResetRequest(Millis now) = 0;                                                // 0x0B
  virtual void onProductionTestRequest(Millis now) = 0;                                       // 0x13
  virtual void onBindWindowRequest(Millis now) = 0;                                           // 0x15
  virtual void onRestartRequest(Millis now) = 0;                                              // 0x29
  // Payloads of the answers the module gives (0x18, 0x22).
  virtual proto::NetworkTime networkTime(Millis now) = 0;
  virtual void buildModuleInfo(proto::ByteWriter& out) = 0;
  // S7.6.2: no data from the MCU for kSilenceLimit.
  virtual void onMcuSilent(Millis now) = 0;
};

class McuLink {
 public:
  enum class State : std::uint8_t { Handshaking, HandshakeFailed, Ready };

  static constexpr Millis kAckTimeout = 200;            // §9 "serial ACK"
  static constexpr std::uint8_t kTransmissions = 3;     // first + 2 resends
  static constexpr std::uint8_t kHandshakeRounds = 10;  // protocol §1.5: about 6 s
  static constexpr Millis kHandshakeRetryAfterFailure = hal::seconds(10);
  static constexpr Millis kHeartbeatAfter = hal::seconds(55);  // S7.6.1
  static constexpr Millis kSilenceLimit = hal::seconds(180);   // S7.6.2
  static constexpr Millis kDuplicateWindow = hal::seconds(1);  // an MCU resend of a request we ACKed
  static constexpr std::size_t kMaxQueuedRequests = 6;
  static constexpr std::uint8_t kNoticeBurst = 3;  // 0x11 notices per code per kNoticeWindow
  static constexpr Millis kNoticeWindow = hal::seconds(1);
  // The waiting requests' payloads share one buffer: a maximum P0 plus the small requests (0x0D status,
  // 0x07 heartbeat) beside it. A second large P0 while one waits is refused (sendP0 false).
  static constexpr std::size_t kQueuedPayloadBytes = proto::kMcuMaxPayload + 64;
  // The largest answer payload the module gives the MCU (0x22 module info; 0x18 network time is smaller).
  static constexpr std::size_t kMaxAnswerPayload = proto::kModuleInfoWifiSize;
  // One request frame in flight (the protocol allows one outstanding request) plus the ACKs and 0x11
  // notices the module sends while it waits. A frame that does not fit is dropped and logged; a request
  // is then sent again at its ACK timeout.
  static constexpr std::size_t kMaxAnswerWireSize =
      proto::kMcuHeaderSize + 2 * (2 + proto::mcuFrameLen(kMaxAnswerPayload));  // every byte stuffed
  static constexpr std::size_t kTxBufferSize = proto::kMcuMaxWireSize + 4 * kMaxAnswerWireSize;
  static constexpr Millis kTxRetry = 10;  // the UART took less than offered; try again soon

  McuLink(hal::Uart& uart, LogHub& logs, McuLinkListener& listener);

  // Starts the boot handshake (0x01) and the silence timers.
  void start(Millis now);

  // Queues a 0x03 with this P0; false when the queue is full or the P0 too long (the caller answers the app).
  [[nodiscard]] bool sendP0(proto::Bytes p0, RequestTag tag, Millis now);
  // Queues a 0x0D; a status still waiting in the queue is replaced (only the latest word matters, S4.4.1).
  void sendStatus(std::uint16_t statusWord, Millis now);

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;
  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool busy() const { return inFlight_.active; }

 private:
  struct InFlight {
    bool active = false;
    bool handshake = false;  // the 0x01 of the handshake, else the queue's front request
    std::uint8_t sn = 0;
    std::uint8_t transmissions = 0;
  };

  bool enqueue(proto::McuCmd cmd, proto::Bytes payload, RequestTag tag);
  [[nodiscard]] bool queued(proto::McuCmd cmd) const;
  void readUart(Millis now);
  void onFrame(const proto::McuFrame& frame, Millis now);
  void onBadFrame(const proto::McuDecodeError& error, Millis now);
  void onAck(const proto::McuFrame& frame, Millis now);
  void onMcuRequest(const proto::McuFrame& frame, Millis now);
  void dispatchMcuRequest(const proto::McuFrame& frame, Millis now);
  bool isDuplicate(const proto::McuHeader& header, Millis now);
  void completeInFlight();
  void failInFlight(Millis now);
  void transmitNext(Millis now);
  void transmit(Millis now);
  void retransmitOrFail(Millis now);
  void noteMcuData(Millis now);
  void sendIllegalNotice(std::uint8_t sn, proto::IllegalCode code, Millis now);
  void reportSuppressedNotices(Millis now);
  void send(const proto::McuHeader& header, proto::Bytes payload);
  void flushTx();

  hal::Uart& uart_;
  Logger log_;
  McuLinkListener& listener_;
  proto::McuFrameDecoder decoder_;
  ByteQueue<kTxBufferSize> tx_;

  std::array<std::uint8_t, proto::kMcuMaxWireSize> scratch_{};  // one encoded frame, within send()
  Millis lastPoll_ = 0;
  // Keyed by the 0x11 code (1-4, and the shared bucket).
  RepeatLimiter<std::uint8_t, 5, kNoticeBurst, kNoticeWindow> notices_;

  State state_ = State::Handshaking;
  bool handshakePending_ = false;
  std::uint8_t handshakeRound_ = 0;
  Timer handshakeRetry_;

  McuRequestQueue<kMaxQueuedRequests, kQueuedPayloadBytes> queue_;
  InFlight inFlight_;
  Timer ackTimeout_;
  std::uint8_t nextSn_ = 0;

  Timer heartbeat_;
  Timer silence_;

  proto::McuHeader lastMcuRequest_{};
  Millis lastMcuRequestAt_ = 0;
  bool haveLastMcuRequest_ = false;
};

}  // namespace gagent::core
