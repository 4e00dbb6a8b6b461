#include "gagent/proto/http_parser.h"

#include <algorithm>

#include "gagent/proto/form.h"

namespace gagent::proto {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// RFC 9110 §5.6.2 tchar.
bool isTokenChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

// Field values and reason phrases: HTAB, SP, VCHAR, obs-text; no other control characters.
bool isFieldText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<std::uint8_t>(c);
    return b == '\t' || (b >= 0x20 && b != 0x7F);
  });
}

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "name: value" with a token name directly followed by ':' (RFC 9112 §5.1: no space before the colon; a
// line starting with a space is obsolete folding, refused).
bool isValidHeaderLine(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  return isToken(line.substr(0, colon)) && isFieldText(line.substr(colon + 1));
}

bool isHttp1Version(std::string_view text) {
  return text == "HTTP/1.1" || text == "HTTP/1.0";
}

int hexDigit(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// All Content-Length headers must be one decimal number (RFC 9112 §6.3 item 5: differing values are an
// unrecoverable error). Returns false on a bad one; `found` says whether there was any.
bool readContentLength(HttpHeaderCursor cursor, std::uint64_t& value, bool& found) {
  found = false;
  HttpHeader header;
  while (cursor.next(header)) {
    if (!asciiEqualsIgnoreCase(header.name, "Content-Length")) continue;
    const auto parsed = parseUnsignedDecimal(header.value);
    if (!parsed || (found && *parsed != value)) return false;
    value = *parsed;
    found = true;
  }
  return true;
}

}  // namespace

std::string_view httpErrorName(HttpError error) {
  switch (error) {
    case HttpError::None:
      return "none";
    case HttpError::BadStatusLine:
      return "bad status line";
    case HttpError::BadRequestLine:
      return "bad request line";
    case HttpError::BadHeader:
      return "bad header line";
    case HttpError::HeaderTooLarge:
      return "header too large";
    case HttpError::BadContentLength:
      return "bad Content-Length";
    case HttpError::UnsupportedTransferEncoding:
      return "unsupported Transfer-Encoding";
    case HttpError::BadChunkSize:
      return "bad chunk size";
    case HttpError::BadChunkTerminator:
      return "chunk data not followed by CRLF";
    case HttpError::BodyTooLong:
      return "bytes after the end of the message";
    case HttpError::BodyTooLarge:
      return "body too large";
    case HttpError::Truncated:
      return "connection closed before the end of the message";
  }
  return "unknown";
}

bool asciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool HttpHeaderCursor::next(HttpHeader& out) {
  while (!rest_.empty()) {
    const std::size_t newline = rest_.find('\n');
    std::string_view line = rest_.substr(0, newline);
    rest_ = newline == std::string_view::npos ? std::string_view() : rest_.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out = {line.substr(0, colon), trimSpaces(line.substr(colon + 1))};
    return true;
  }
  return false;
}

// ---- HttpHeadBuffer ----

HttpHeadBuffer::Push HttpHeadBuffer::push(std::uint8_t byte) {
  if (lineComplete_) {
    lineStart_ = size_;
    lineComplete_ = false;
  }
  if (size_ >= data_.size()) return Push::TooLarge;
  data_[size_++] = static_cast<char>(byte);
  if (byte != '\n') return Push::More;
  std::size_t end = size_ - 1;
  if (end > lineStart_ && data_[end - 1] == '\r') --end;
  lineSize_ = end - lineStart_;
  lineComplete_ = true;
  return Push::Line;
}

void HttpHeadBuffer::reset() {
  size_ = 0;
  lineStart_ = 0;
  startLineEnd_ = 0;
  headersEnd_ = 0;
  lineSize_ = 0;
  lineComplete_ = false;
}

std::string_view HttpHeadBuffer::startLine() const {
  std::string_view line(data_.data(), startLineEnd_);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

HttpHeaderCursor HttpHeadBuffer::headers() const {
  if (headersEnd_ <= startLineEnd_) return HttpHeaderCursor({});
  return HttpHeaderCursor({data_.data() + startLineEnd_, headersEnd_ - startLineEnd_});
}

std::optional<std::string_view> HttpHeadBuffer::find(std::string_view name) const {
  HttpHeaderCursor cursor = headers();
  HttpHeader header;
  while (cursor.next(header)) {
    if (asciiEqualsIgnoreCase(header.name, name)) return header.value;
  }
  return std::nullopt;
}

// ---- HttpResponseParser ----

HttpResponseFeed HttpResponseParser::fail(HttpError error, std::size_t consumed) {
  state_ = State::Failed;
  error_ = error;
  return {ParseStatus::Malformed, consumed, {}};
}

void HttpResponseParser::reset() {
  head_.reset();
  state_ = State::Head;
  error_ = HttpError::None;
  headersComplete_ = false;
  sawStatusLine_ = false;
  statusCode_ = 0;
  reason_ = {};
  framing_ = HttpBodyFraming::None;
  contentLength_ = 0;
  remaining_ = 0;
  bodyBytes_ = 0;
  chunkSize_ = 0;
  chunkDigits_ = false;
  chunkLineBytes_ = 0;
  trailerBytes_ = 0;
  trailerLineBytes_ = 0;
}

std::optional<std::uint64_t> HttpResponseParser::contentLength() const {
  if (framing_ != HttpBodyFraming::ContentLength) return std::nullopt;
  return contentLength_;
}

// "HTTP/1.x SP 3DIGIT [SP reason]" (RFC 9112 §4; a missing reason is tolerated).
bool HttpResponseParser::acceptStatusLine(std::string_view line) {
  if (line.size() < 12 || !isHttp1Version(line.substr(0, 8)) || line[8] != ' ') return false;
  const auto code = parseUnsignedDecimal(line.substr(9, 3));
  if (!code || *code < 100 || *code > 599) return false;
  std::string_view reason;
  if (line.size() > 12) {
    if (line[12] != ' ') return false;
    reason = line.substr(13);
    if (!isFieldText(reason)) return false;
  }
  statusCode_ = static_cast<std::uint16_t>(*code);
  reason_ = reason;
  return true;
}

bool HttpResponseParser::startBody() {
  // Interim 1xx responses (100 Continue, ...) are skipped: the real response follows (RFC 9110 §15.2).
  if (statusCode_ < 200 && statusCode_ != 101) {
    head_.reset();
    sawStatusLine_ = false;
    return true;
  }
  headersComplete_ = true;
  if (statusCode_ == 101 || statusCode_ == 204 || statusCode_ == 304) {
    framing_ = HttpBodyFraming::None;
    state_ = State::Done;
    return true;
  }
  // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3 item 3). We can only undo "chunked".
  std::size_t encodings = 0;
  HttpHeaderCursor cursor = head_.headers();
  HttpHeader header;
  while (cursor.next(header)) {
    if (!asciiEqualsIgnoreCase(header.name, "Transfer-Encoding")) continue;
    if (!asciiEqualsIgnoreCase(header.value, "chunked") || ++encodings > 1) {
      error_ = HttpError::UnsupportedTransferEncoding;
      return false;
    }
  }
  if (encodings == 1) {
    framing_ = HttpBodyFraming::Chunked;
    state_ = State::ChunkSize;
    return true;
  }
  bool found = false;
  if (!readContentLength(head_.headers(), contentLength_, found)) {
    error_ = HttpError::BadContentLength;
    return false;
  }
  if (found) {
    framing_ = HttpBodyFraming::ContentLength;
    remaining_ = contentLength_;
    state_ = remaining_ == 0 ? State::Done : State::Body;
    return true;
  }
  framing_ = HttpBodyFraming::UntilClose;
  state_ = State::UntilClose;
  return true;
}

void HttpResponseParser::endChunkSizeLine() {
  state_ = chunkSize_ == 0 ? State::Trailer : State::ChunkData;
  remaining_ = chunkSize_;
  chunkSize_ = 0;
  chunkDigits_ = false;
  chunkLineBytes_ = 0;
  trailerBytes_ = 0;
  trailerLineBytes_ = 0;
}

HttpResponseFeed HttpResponseParser::feed(Bytes in) {
  if (state_ == State::Failed) return {ParseStatus::Malformed, 0, {}};
  if (state_ == State::Done) {
    if (in.empty()) return {ParseStatus::Ok, 0, {}};
    return fail(HttpError::BodyTooLong, 0);
  }
  std::size_t i = 0;
  while (i < in.size()) {
    // Body states hand out a view of the input.
    if (state_ == State::Body || state_ == State::ChunkData || state_ == State::UntilClose) {
      std::size_t n = in.size() - i;
      if (state_ != State::UntilClose && remaining_ < n) n = static_cast<std::size_t>(remaining_);
      const Bytes piece = in.subspan(i, n);
      i += n;
      bodyBytes_ += n;
      if (state_ == State::UntilClose) return {ParseStatus::NeedMore, i, piece};
      remaining_ -= n;
      if (remaining_ == 0) {
        if (state_ == State::Body) {
          state_ = State::Done;
          return {ParseStatus::Ok, i, piece};
        }
        state_ = State::ChunkDataCr;
      }
      return {ParseStatus::NeedMore, i, piece};
    }

    const std::uint8_t c = in[i++];
    switch (state_) {
      case State::Head: {
        const HttpHeadBuffer::Push push = head_.push(c);
        if (push == HttpHeadBuffer::Push::TooLarge) return fail(HttpError::HeaderTooLarge, i);
        if (push == HttpHeadBuffer::Push::More) break;
        const std::string_view line = head_.line();
        if (!sawStatusLine_) {
          if (!acceptStatusLine(line)) return fail(HttpError::BadStatusLine, i);
          head_.startLineDone();
          sawStatusLine_ = true;
        } else if (!line.empty()) {
          if (!isValidHeaderLine(line)) return fail(HttpError::BadHeader, i);
        } else {
          head_.headDone();
          if (!startBody()) return fail(error_, i);
          if (state_ == State::Done) return {ParseStatus::Ok, i, {}};
        }
        break;
      }
      case State::ChunkSize:
      case State::ChunkSizeWs:
      case State::ChunkExt:
      case State::ChunkSizeLf: {
        if (++chunkLineBytes_ > kHttpMaxChunkLineBytes) return fail(HttpError::BadChunkSize, i);
        if (state_ == State::ChunkSizeLf) {
          if (c != '\n') return fail(HttpError::BadChunkSize, i);
          endChunkSizeLine();
          break;
        }
        if (c == '\r') {
          if (!chunkDigits_) return fail(HttpError::BadChunkSize, i);
          state_ = State::ChunkSizeLf;
          break;
        }
        if (c == '\n') {
          if (!chunkDigits_) return fail(HttpError::BadChunkSize, i);
          endChunkSizeLine();
          break;
        }
        if (state_ == State::ChunkExt) break;  // extensions are tolerated and ignored (RFC 9112 §7.1.1)
        const int digit = hexDigit(c);
        if (state_ == State::ChunkSize && digit >= 0) {
          if (chunkSize_ > (UINT64_MAX >> 4)) return fail(HttpError::BadChunkSize, i);
          chunkSize_ = (chunkSize_ << 4) | static_cast<std::uint64_t>(digit);
          chunkDigits_ = true;
        } else if (!chunkDigits_) {
          return fail(HttpError::BadChunkSize, i);
        } else if (c == ' ' || c == '\t') {
          state_ = State::ChunkSizeWs;
        } else if (c == ';') {
          state_ = State::ChunkExt;
        } else {
          return fail(HttpError::BadChunkSize, i);
        }
        break;
      }
      case State::ChunkDataCr:
        if (c == '\n') {
          state_ = State::ChunkSize;
        } else if (c == '\r') {
          state_ = State::ChunkDataLf;
        } else {
          return fail(HttpError::BadChunkTerminator, i);
        }
        break;
      case State::ChunkDataLf:
        if (c != '\n') return fail(HttpError::BadChunkTerminator, i);
        state_ = State::ChunkSize;
        break;
      case State::Trailer:
        // Trailer fields are tolerated and skipped; a blank line ends the message.
        if (++trailerBytes_ > kHttpMaxHeaderBytes) return fail(HttpError::HeaderTooLarge, i);
        if (c == '\n') {
          if (trailerLineBytes_ == 0) {
            state_ = State::Done;
            return {ParseStatus::Ok, i, {}};
          }
          trailerLineBytes_ = 0;
        } else if (c != '\r') {
          ++trailerLineBytes_;
        }
        break;
      default:
        break;
    }
  }
  return {ParseStatus::NeedMore, i, {}};
}

ParseStatus HttpResponseParser::finishOnClose() {
  switch (state_) {
    case State::Done:
      return ParseStatus::Ok;
    case State::Failed:
      return ParseStatus::Malformed;
    case State::UntilClose:
      state_ = State::Done;
      return ParseStatus::Ok;
    default:
      state_ = State::Failed;
      error_ = HttpError::Truncated;
      return ParseStatus::Malformed;
  }
}

// ---- HttpRequestParser ----

HttpRequestFeed HttpRequestParser::fail(HttpError error, std::size_t consumed) {
  state_ = State::Failed;
  error_ = error;
  return {ParseStatus::Malformed, consumed};
}

void HttpRequestParser::reset() {
  head_.reset();
  bodySize_ = 0;
  contentLength_ = 0;
  state_ = State::Head;
  error_ = HttpError::None;
  sawRequestLine_ = false;
  method_ = target_ = path_ = query_ = {};
}

// "METHOD SP origin-form SP HTTP/1.x" (RFC 9112 §3). Only origin-form targets ("/path?query"): neither the
// WebConfig browser nor GAgent talk to a proxy.
bool HttpRequestParser::acceptRequestLine(std::string_view line) {
  const std::size_t firstSpace = line.find(' ');
  if (firstSpace == std::string_view::npos) return false;
  const std::size_t secondSpace = line.find(' ', firstSpace + 1);
  if (secondSpace == std::string_view::npos) return false;
  const std::string_view method = line.substr(0, firstSpace);
  const std::string_view target = line.substr(firstSpace + 1, secondSpace - firstSpace - 1);
  if (!isToken(method) || !isHttp1Version(line.substr(secondSpace + 1))) return false;
  if (target.empty() || target.front() != '/') return false;
  for (char c : target) {
    const auto b = static_cast<std::uint8_t>(c);
    if (b <= 0x20 || b >= 0x7F) return false;
  }
  const std::string_view withoutFragment = target.substr(0, target.find('#'));
  const std::size_t question = withoutFragment.find('?');
  method_ = method;
  target_ = target;
  path_ = withoutFragment.substr(0, question);
  // Without '?' the query is the empty view at the end of the path (still inside the target).
  query_ = withoutFragment.substr(question == std::string_view::npos ? withoutFragment.size() : question + 1);
  return true;
}

bool HttpRequestParser::startBody() {
  if (head_.find("Transfer-Encoding")) {
    error_ = HttpError::UnsupportedTransferEncoding;
    return false;
  }
  std::uint64_t length = 0;
  bool found = false;
  if (!readContentLength(head_.headers(), length, found)) {
    error_ = HttpError::BadContentLength;
    return false;
  }
  if (length > kHttpMaxRequestBodyBytes) {
    error_ = HttpError::BodyTooLarge;
    return false;
  }
  contentLength_ = static_cast<std::size_t>(length);
  state_ = contentLength_ == 0 ? State::Done : State::Body;
  return true;
}

HttpRequestFeed HttpRequestParser::feed(Bytes in) {
  if (state_ == State::Failed) return {ParseStatus::Malformed, 0};
  if (state_ == State::Done) return {ParseStatus::Ok, 0};
  std::size_t i = 0;
  while (i < in.size()) {
    if (state_ == State::Body) {
      const std::size_t n = std::min(contentLength_ - bodySize_, in.size() - i);
      for (std::size_t k = 0; k < n; ++k) body_[bodySize_++] = static_cast<char>(in[i + k]);
      i += n;
      if (bodySize_ == contentLength_) {
        state_ = State::Done;
        return {ParseStatus::Ok, i};
      }
      continue;
    }
    const HttpHeadBuffer::Push push = head_.push(in[i++]);
    if (push == HttpHeadBuffer::Push::TooLarge) return fail(HttpError::HeaderTooLarge, i);
    if (push == HttpHeadBuffer::Push::More) continue;
    const std::string_view line = head_.line();
    if (!sawRequestLine_) {
      if (!acceptRequestLine(line)) return fail(HttpError::BadRequestLine, i);
      head_.startLineDone();
      sawRequestLine_ = true;
    } else if (!line.empty()) {
      if (!isValidHeaderLine(line)) return fail(HttpError::BadHeader, i);
    } else {
      head_.headDone();
      if (!startBody()) return fail(error_, i);
      if (state_ == State::Done) return {ParseStatus::Ok, i};
    }
  }
  return {ParseStatus::NeedMore, i};
}

// ---- response building ----

std::string_view httpReasonPhrase(std::uint16_t status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::size_t buildHttpResponseHead(MutableBytes out, std::uint16_t status, std::span<const HttpHeader> headers,
                                  std::optional<std::uint64_t> contentLength) {
  if (status < 100 || status > 599) return 0;
  ByteWriter writer(out);
  writer.text("HTTP/1.1 ");
  appendDecimal(writer, status);
  writer.text(" ");
  writer.text(httpReasonPhrase(status));
  writer.text("\r\n");
  for (const HttpHeader& header : headers) {
    if (!isToken(header.name) || !isFieldText(header.value)) return 0;
    if (asciiEqualsIgnoreCase(header.name, "Content-Length") ||
        asciiEqualsIgnoreCase(header.name, "Transfer-Encoding")) {
      return 0;
    }
    writer.text(header.name);
    writer.text(": ");
    writer.text(header.value);
    writer.text("\r\n");
  }
  if (contentLength) {
    writer.text("Content-Length: ");
    appendDecimal(writer, *contentLength);
    writer.text("\r\n");
  }
  writer.text("\r\n");
  return writer.ok() ? writer.size() : 0;
}

std::size_t buildHttpResponse(MutableBytes out, std::uint16_t status, std::span<const HttpHeader> headers,
                              Bytes body) {
  const std::size_t head = buildHttpResponseHead(out, status, headers, body.size());
  if (head == 0 || out.size() - head < body.size()) return 0;
  std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(head));
  return head + body.size();
}

}  // namespace gagent::proto
