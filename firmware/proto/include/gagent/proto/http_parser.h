#pragma once
// Incremental HTTP/1.1 parsing and response building without the heap, for the cloud's HTTP API (§3.1-3.6).
// - HttpResponseParser: the firmware reads cloud replies and streams a firmware download of any size into
//   flash (§3.5): header bytes are kept in a fixed buffer, body bytes are handed back as views into the
//   caller's input, never stored. HttpSmallResponse<N> collects a small body (register/provision/OTA check).
// - HttpRequestParser: the WebConfig page (S6.3) and the rig's stand-in cloud read one whole request.
// - buildHttpResponse*: the WebConfig page and the stand-in cloud answer.
// Everything from the wire is hostile: every limit is a named constant and every violation is an error
// state with a reason, never a crash. Line ends may be CRLF or a bare LF (RFC 9112 §2.2 tolerance).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gagent/proto/bytes.h"

namespace gagent::proto {

// Start line + header lines + the blank line. Larger heads are HeaderTooLarge (also the chunked trailer's
// limit).
inline constexpr std::size_t kHttpMaxHeaderBytes = 2048;
// A chunk-size line including extensions and its line end.
inline constexpr std::size_t kHttpMaxChunkLineBytes = 256;
// Largest request body HttpRequestParser keeps: the WebConfig form (S6.3.2: SSID and password <= 32 bytes,
// at most 3x when percent-encoded) and the cloud requests of §3.2-3.5 fit many times over.
inline constexpr std::size_t kHttpMaxRequestBodyBytes = 1024;
// GAgent reads a cloud reply with one recv() of <= 1024 bytes (§3.1); the default HttpSmallResponse body.
inline constexpr std::size_t kHttpSmallBodyCapacity = 1024;

enum class HttpError : std::uint8_t {
  None,
  BadStatusLine,                // not "HTTP/1.x NNN reason"
  BadRequestLine,               // not "METHOD /target HTTP/1.x"
  BadHeader,                    // no ':', bad name, control character, obsolete line folding
  HeaderTooLarge,               // head (or chunked trailer) > kHttpMaxHeaderBytes
  BadContentLength,             // not a decimal number, or several that disagree
  UnsupportedTransferEncoding,  // anything but a single "chunked" (requests: any Transfer-Encoding)
  BadChunkSize,                 // chunk-size line without hex digits, overflowing, or too long
  BadChunkTerminator,           // chunk data not followed by CRLF
  BodyTooLong,                  // bytes after the end of the message (past Content-Length / last chunk)
  BodyTooLarge,                 // a body that does not fit the buffer it must be collected into
  Truncated,                    // the connection closed before the message ended
};
[[nodiscard]] std::string_view httpErrorName(HttpError error);

// How the end of the body is found (RFC 9112 §6.3).
enum class HttpBodyFraming : std::uint8_t { None, ContentLength, Chunked, UntilClose };

struct HttpHeader {
  std::string_view name;
  std::string_view value;  // leading/trailing spaces and tabs removed
};

// ASCII case-insensitive equality (header names, tokens, URL schemes).
[[nodiscard]] bool asciiEqualsIgnoreCase(std::string_view a, std::string_view b);

// Walks the header lines of a complete, already validated head, in order.
class HttpHeaderCursor {
 public:
  explicit HttpHeaderCursor(std::string_view lines) : rest_(lines) {}
  bool next(HttpHeader& out);

 private:
  std::string_view rest_;
};

// The start line and header lines of one message, in a fixed buffer. Shared by both parsers.
class HttpHeadBuffer {
 public:
  enum class Push : std::uint8_t { More, Line, TooLarge };

  // Appends one byte. Line: a line is complete and line() returns it without its line end.
  Push push(std::uint8_t byte);
  [[nodiscard]] std::string_view line() const { return {data_.data() + lineStart_, lineSize_}; }
  // Called after the start line was accepted: the next lines are header lines.
  void startLineDone() { startLineEnd_ = size_; }
  // Called at the blank line.
  void headDone() { headersEnd_ = lineStart_; }
  void reset();

  [[nodiscard]] std::string_view startLine() const;
  [[nodiscard]] HttpHeaderCursor headers() const;
  // First header named `name` (case-insensitive).
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;

 private:
  std::array<char, kHttpMaxHeaderBytes> data_{};
  std::size_t size_ = 0;
  std::size_t lineStart_ = 0;     // offset of the line being received
  std::size_t startLineEnd_ = 0;  // offset after the start line's line end
  std::size_t headersEnd_ = 0;    // offset of the blank line
  std::size_t lineSize_ = 0;      // of the last complete line, without its line end
  bool lineComplete_ = false;     // the last push ended a line: the next byte starts a new one
};

// Result of one HttpResponseParser::feed(): at most one body piece per call.
struct [[nodiscard]] HttpResponseFeed {
  // NeedMore: the message is not complete (call again with in.subspan(consumed) if bytes remain);
  // Ok: the message is complete; Malformed: see HttpResponseParser::error().
  ParseStatus status = ParseStatus::NeedMore;
  std::size_t consumed = 0;  // bytes of `in` used; the rest must be fed again
  Bytes body;                // body bytes found in this call: a view into `in`
};

// Not copyable: reason() and the header views point into the parser's own buffer.
class HttpResponseParser {
 public:
  HttpResponseParser() = default;
  HttpResponseParser(const HttpResponseParser&) = delete;
  HttpResponseParser& operator=(const HttpResponseParser&) = delete;

  // Parses the start of `in`; stops after the first body piece, at the end of the message, or on an error.
  // Bytes after a complete message are BodyTooLong (every cloud request has its own connection, §3.1).
  HttpResponseFeed feed(Bytes in);

  // Feeds all of `in`, calling onBody(Bytes) for each non-empty body piece; returns the final status.
  template <typename OnBody>
  ParseStatus feedAll(Bytes in, OnBody&& onBody) {
    while (true) {
      const HttpResponseFeed step = feed(in);
      if (!step.body.empty()) onBody(step.body);
      in = in.subspan(step.consumed);
      if (step.status == ParseStatus::Malformed || in.empty()) return step.status;
    }
  }

  // The peer closed the connection: completes a close-delimited body; anything unfinished is Truncated.
  ParseStatus finishOnClose();
  void reset();

  [[nodiscard]] bool headersComplete() const { return headersComplete_; }
  [[nodiscard]] bool done() const { return state_ == State::Done; }
  [[nodiscard]] bool failed() const { return state_ == State::Failed; }
  [[nodiscard]] HttpError error() const { return error_; }

  // Valid once headersComplete().
  [[nodiscard]] std::uint16_t statusCode() const { return statusCode_; }
  [[nodiscard]] std::string_view reason() const { return reason_; }
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return head_.find(name);
  }
  [[nodiscard]] HttpHeaderCursor headers() const { return head_.headers(); }
  [[nodiscard]] HttpBodyFraming framing() const { return framing_; }
  // Set when the body is framed by Content-Length.
  [[nodiscard]] std::optional<std::uint64_t> contentLength() const;
  // Body bytes delivered so far.
  [[nodiscard]] std::uint64_t bodyBytes() const { return bodyBytes_; }

 private:
  enum class State : std::uint8_t {
    Head,
    Body,         // Content-Length
    UntilClose,   // close-delimited
    ChunkSize,    // hex digits
    ChunkSizeWs,  // spaces after the digits
    ChunkExt,     // ";ext..." up to the line end
    ChunkSizeLf,  // after '\r'
    ChunkData,
    ChunkDataCr,
    ChunkDataLf,
    Trailer,
    Done,
    Failed,
  };

  HttpResponseFeed fail(HttpError error, std::size_t consumed);
  bool acceptStatusLine(std::string_view line);
  bool startBody();  // at the blank line; false = failed
  void endChunkSizeLine();
  bool chunkLineByte();

  HttpHeadBuffer head_;
  State state_ = State::Head;
  HttpError error_ = HttpError::None;
  bool headersComplete_ = false;
  bool sawStatusLine_ = false;
  std::uint16_t statusCode_ = 0;
  std::string_view reason_;
  HttpBodyFraming framing_ = HttpBodyFraming::None;
  std::uint64_t contentLength_ = 0;
  std::uint64_t remaining_ = 0;  // of the Content-Length body or of the current chunk
  std::uint64_t bodyBytes_ = 0;
  std::uint64_t chunkSize_ = 0;
  bool chunkDigits_ = false;
  std::size_t chunkLineBytes_ = 0;
  std::size_t trailerBytes_ = 0;
  std::size_t trailerLineBytes_ = 0;
};

// A response whose body is collected into a fixed buffer of Capacity bytes (a larger body is BodyTooLarge).
template <std::size_t Capacity = kHttpSmallBodyCapacity>
class HttpSmallResponse {
 public:
  ParseStatus feed(Bytes in) {
    const ParseStatus status = parser_.feedAll(in, [this](Bytes piece) { append(piece); });
    return overflow_ ? ParseStatus::Malformed : status;
  }
  ParseStatus finishOnClose() {
    const ParseStatus status = parser_.finishOnClose();
    return overflow_ ? ParseStatus::Malformed : status;
  }
  void reset() {
    parser_.reset();
    size_ = 0;
    overflow_ = false;
  }

  [[nodiscard]] bool done() const { return !overflow_ && parser_.done(); }
  [[nodiscard]] bool failed() const { return overflow_ || parser_.failed(); }
  [[nodiscard]] HttpError error() const { return overflow_ ? HttpError::BodyTooLarge : parser_.error(); }
  [[nodiscard]] std::uint16_t statusCode() const { return parser_.statusCode(); }
  [[nodiscard]] std::string_view body() const { return {data_.data(), size_}; }
  [[nodiscard]] const HttpResponseParser& parser() const { return parser_; }
  [[nodiscard]] static constexpr std::size_t capacity() { return Capacity; }

 private:
  void append(Bytes piece) {
    if (overflow_ || Capacity - size_ < piece.size()) {
      overflow_ = true;
      return;
    }
    for (std::uint8_t b : piece) data_[size_++] = static_cast<char>(b);
  }

  HttpResponseParser parser_;
  std::array<char, Capacity> data_{};
  std::size_t size_ = 0;
  bool overflow_ = false;
};

struct [[nodiscard]] HttpRequestFeed {
  // NeedMore: feed more; Ok: a whole request (bytes after it are not consumed); Malformed: see error().
  ParseStatus status = ParseStatus::NeedMore;
  std::size_t consumed = 0;
};

// One whole request: request line, headers, and a Content-Length body of <= kHttpMaxRequestBodyBytes kept in
// the parser. A request without Content-Length has no body; Transfer-Encoding is refused (neither the
// WebConfig browser form nor GAgent's requests use it).
// Not copyable: the views it returns point into its own buffers.
class HttpRequestParser {
 public:
  HttpRequestParser() = default;
  HttpRequestParser(const HttpRequestParser&) = delete;
  HttpRequestParser& operator=(const HttpRequestParser&) = delete;

  HttpRequestFeed feed(Bytes in);
  void reset();

  [[nodiscard]] bool done() const { return state_ == State::Done; }
  [[nodiscard]] bool failed() const { return state_ == State::Failed; }
  [[nodiscard]] HttpError error() const { return error_; }

  // Valid once the request line was parsed (and for headers/body: once done()).
  [[nodiscard]] std::string_view method() const { return method_; }
  [[nodiscard]] std::string_view target() const { return target_; }
  [[nodiscard]] std::string_view path() const { return path_; }    // target up to '?'
  [[nodiscard]] std::string_view query() const { return query_; }  // after '?', without any '#fragment'
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return head_.find(name);
  }
  [[nodiscard]] HttpHeaderCursor headers() const { return head_.headers(); }
  [[nodiscard]] std::string_view body() const { return {body_.data(), bodySize_}; }

 private:
  enum class State : std::uint8_t { Head, Body, Done, Failed };

  HttpRequestFeed fail(HttpError error, std::size_t consumed);
  bool acceptRequestLine(std::string_view line);
  bool startBody();

  HttpHeadBuffer head_;
  std::array<char, kHttpMaxRequestBodyBytes> body_{};
  std::size_t bodySize_ = 0;
  std::size_t contentLength_ = 0;
  State state_ = State::Head;
  HttpError error_ = HttpError::None;
  bool sawRequestLine_ = false;
  std::string_view method_, target_, path_, query_;
};

// The standard reason phrase of the statuses GAgent and the rig use ("OK", "Not Found", ...; "Unknown"
// otherwise).
[[nodiscard]] std::string_view httpReasonPhrase(std::uint16_t status);

// "HTTP/1.1 <status> <reason>\r\n", the headers, "Content-Length: <n>\r\n" when contentLength is set, and
// the blank line; the body is sent separately (a firmware image streamed by the stand-in cloud). Returns
// the size written; 0 if it does not fit, the status is not 100..599, a header name is not a token, a
// value holds CR/LF/control characters, or a header is Content-Length/Transfer-Encoding (the builder owns
// the framing).
[[nodiscard]] std::size_t buildHttpResponseHead(MutableBytes out, std::uint16_t status,
                                                std::span<const HttpHeader> headers,
                                                std::optional<std::uint64_t> contentLength);
// A whole response with a Content-Length body.
[[nodiscard]] std::size_t buildHttpResponse(MutableBytes out, std::uint16_t status,
                                            std::span<const HttpHeader> headers, Bytes body);

}  // namespace gagent::proto
