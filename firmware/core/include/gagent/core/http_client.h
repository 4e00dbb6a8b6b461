#pragma once
// One HTTP/1.1 request at a time over a fresh non-blocking TCP connection (protocol §3.1: every cloud
// request has its own connection): connect, send a request the caller built into requestBuffer() with the
// proto builders, parse the reply with proto's HttpResponseParser, close. Small replies (register,
// provision, OTA check) are collected into a fixed body buffer; a download streams its body to an
// HttpBodySink piece by piece, so a firmware image never has to fit in RAM (S9.6).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "gagent/core/log.h"
#include "gagent/core/timer.h"
#include "gagent/hal/net.h"
#include "gagent/proto/bytes.h"
#include "gagent/proto/http_parser.h"

namespace gagent::core {

// Receives a streamed response (HttpClient::start with a sink).
class HttpBodySink {
 public:
  virtual ~HttpBodySink() = default;
  // The status line and headers are complete. Returning false aborts the request (HttpFailure::Aborted).
  virtual bool onResponseHead(const proto::HttpResponseParser& head) = 0;
  // The next piece of the body; a view valid during the call only. Returning false aborts.
  virtual bool onResponseBody(proto::Bytes piece) = 0;
};

enum class HttpFailure : std::uint8_t {
  None,
  BadRequest,     // the request builder produced nothing (value not sendable, buffer too small)
  NoSocket,       // the port has no socket left
  ConnectFailed,  // refused / unreachable
  SendFailed,     // the connection broke while sending
  ClosedEarly,    // the server closed (or the connection broke) before the reply was complete
  Timeout,        // no complete reply within the request's timeout
  Malformed,      // bytes that are not an HTTP reply
  BodyTooLarge,   // a small reply whose body does not fit kBodyCapacity
  Aborted,        // the sink refused the reply
};
[[nodiscard]] std::string_view httpFailureName(HttpFailure failure);

struct HttpResult {
  HttpFailure failure = HttpFailure::None;
  std::uint16_t status = 0;               // 0 until a status line arrived
  std::optional<std::int32_t> errorCode;  // §3.6 error_code of a non-2xx small reply, when it had one
  std::string_view body;                  // small replies only; valid until the next start()
  [[nodiscard]] bool ok() const { return failure == HttpFailure::None; }
};

class HttpClient {
 public:
  enum class State : std::uint8_t { Idle, Connecting, Sending, Receiving, Finished };

  // The largest request (the OTA check with its form, a download GET with a long path) fits with room.
  static constexpr std::size_t kRequestCapacity = 1024;
  // §3.1: GAgent reads a cloud reply with one recv() of <= 1024 bytes; larger small bodies are refused.
  static constexpr std::size_t kBodyCapacity = proto::kHttpSmallBodyCapacity;
  // Bytes taken from the socket per read, and reads per poll (so one fast download cannot starve the
  // loop).
  static constexpr std::size_t kReceiveChunk = 512;
  static constexpr std::size_t kMaxReadsPerPoll = 16;

  HttpClient(hal::Net& net, LogHub& logs);
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Where the caller builds the next request (proto::build*Request); only while !busy().
  [[nodiscard]] proto::MutableBytes requestBuffer() { return request_; }

  // Sends the first `requestSize` bytes of requestBuffer() to `server`. The whole exchange must end within
  // `timeout`. With a sink the body is streamed to it, else collected. A running request is cancelled.
  // requestSize 0 (a builder that failed) finishes at once with BadRequest.
  void start(hal::Endpoint server, std::size_t requestSize, Millis timeout, Millis now,
             HttpBodySink* sink = nullptr);
  // Closes the connection and forgets the request (Finished or not): back to Idle.
  void reset();

  void poll(Millis now);
  // Finished: due now, so the owner's loop collects a result that arrived inside start() (a server that
  // answers at once) without waiting for some other timer.
  [[nodiscard]] Millis nextDeadline() const { return finished() ? Millis{0} : timeout_.deadline(); }

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool busy() const { return state_ != State::Idle && state_ != State::Finished; }
  [[nodiscard]] bool finished() const { return state_ == State::Finished; }
  // Valid once finished().
  [[nodiscard]] const HttpResult& result() const { return result_; }

 private:
  void pollConnecting();
  void pollSending();
  void pollReceiving();
  void feed(proto::Bytes in);
  bool deliverBody(proto::Bytes piece);
  void complete();
  void fail(HttpFailure failure);
  void closeSocket();

  hal::Net& net_;
  Logger log_;
  State state_ = State::Idle;
  hal::SocketId socket_ = hal::kNoSocket;
  hal::Endpoint server_;
  HttpBodySink* sink_ = nullptr;
  Timer timeout_;

  std::array<std::uint8_t, kRequestCapacity> request_{};
  std::size_t requestSize_ = 0;
  std::size_t sent_ = 0;

  proto::HttpResponseParser parser_;
  bool headDelivered_ = false;
  std::array<std::uint8_t, kReceiveChunk> receive_{};
  std::array<char, kBodyCapacity> body_{};
  std::size_t bodySize_ = 0;
  HttpResult result_;
};

}  // namespace gagent::core
