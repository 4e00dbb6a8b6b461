#include "gagent/core/http_client.h"

#include <algorithm>

#include "gagent/proto/form.h"

namespace gagent::core {

namespace {}  // namespace

std::string_view httpFailureName(HttpFailure failure) {
  switch (failure) {
    case HttpFailure::None:
      return "none";
    case HttpFailure::BadRequest:
      return "request could not be built";
    case HttpFailure::NoSocket:
      return "no socket";
    case HttpFailure::ConnectFailed:
      return "connection refused";
    case HttpFailure::SendFailed:
      return "send failed";
    case HttpFailure::ClosedEarly:
      return "closed before the reply was complete";
    case HttpFailure::Timeout:
      return "timeout";
    case HttpFailure::Malformed:
      return "malformed reply";
    case HttpFailure::BodyTooLarge:
      return "reply body too large";
    case HttpFailure::Aborted:
      return "reply refused";
  }
  return "unknown";
}

HttpClient::HttpClient(hal::Net& net, LogHub& logs) : net_(net), log_(logs, "http") {}

void HttpClient::start(hal::Endpoint server, std::size_t requestSize, Millis timeout, Millis now,
                       HttpBodySink* sink) {
  reset();
  server_ = server;
  sink_ = sink;
  requestSize_ = std::min(requestSize, request_.size());
  sent_ = 0;
  result_ = {};
  if (requestSize == 0 || requestSize > request_.size()) {
    fail(HttpFailure::BadRequest);
    return;
  }
  socket_ = net_.tcpConnect(server);
  if (socket_ == hal::kNoSocket) {
    fail(HttpFailure::NoSocket);
    return;
  }
  state_ = State::Connecting;
  timeout_.start(now, timeout);
  log_.debug("connecting to %s:%u", hal::toText(server.ip).c_str(), static_cast<unsigned>(server.port));
  pollConnecting();  // a port that connects at once saves a loop pass
}

void HttpClient::reset() {
  closeSocket();
  timeout_.stop();
  parser_.reset();
  headDelivered_ = false;
  bodySize_ = 0;
  state_ = State::Idle;
}

void HttpClient::closeSocket() {
  if (socket_ != hal::kNoSocket) net_.close(socket_);
  socket_ = hal::kNoSocket;
}

void HttpClient::poll(Millis now) {
  if (state_ == State::Connecting) pollConnecting();
  if (state_ == State::Sending) pollSending();
  if (state_ == State::Receiving) pollReceiving();
  if (busy() && timeout_.fire(now)) fail(HttpFailure::Timeout);
}

void HttpClient::pollConnecting() {
  switch (net_.tcpState(socket_)) {
    case hal::TcpState::Connecting:
      return;
    case hal::TcpState::Connected:
      state_ = State::Sending;
      pollSending();
      return;
    case hal::TcpState::Closed:
    case hal::TcpState::Failed:
      fail(HttpFailure::ConnectFailed);
      return;
  }
}

void HttpClient::pollSending() {
  while (sent_ < requestSize_) {
    const hal::IoResult r =
        net_.tcpSend(socket_, std::span<const std::uint8_t>(request_).subspan(sent_, requestSize_ - sent_));
    if (r.kind == hal::IoResult::Kind::WouldBlock || (r.isDone() && r.bytes == 0)) return;
    if (!r.isDone()) {
      fail(HttpFailure::SendFailed);
      return;
    }
    sent_ += r.bytes;
  }
  log_.debug("request sent (%zu bytes)", requestSize_);
  state_ = State::Receiving;
  pollReceiving();
}

void HttpClient::pollReceiving() {
  for (std::size_t reads = 0; reads < kMaxReadsPerPoll && state_ == State::Receiving; ++reads) {
    const hal::IoResult r = net_.tcpReceive(socket_, receive_);
    switch (r.kind) {
      case hal::IoResult::Kind::WouldBlock:
        return;
      case hal::IoResult::Kind::Done:
        if (r.bytes == 0) return;
        feed(std::span<const std::uint8_t>(receive_).first(r.bytes));
        break;
      case hal::IoResult::Kind::Closed:
        // A close-delimited body ends here; anything else unfinished is a truncated reply.
        if (parser_.finishOnClose() == proto::ParseStatus::Ok) {
          complete();
        } else {
          fail(HttpFailure::ClosedEarly);
        }
        return;
      case hal::IoResult::Kind::Error:
        fail(HttpFailure::ClosedEarly);
        return;
    }
  }
}

void HttpClient::feed(proto::Bytes in) {
  while (state_ == State::Receiving) {
    const proto::HttpResponseFeed step = parser_.feed(in);
    if (parser_.headersComplete() && !headDelivered_) {
      headDelivered_ = true;
      result_.status = parser_.statusCode();
      log_.debug("reply %u", static_cast<unsigned>(result_.status));
      if (sink_ != nullptr && !sink_->onResponseHead(parser_)) {
        fail(HttpFailure::Aborted);
        return;
      }
    }
    if (!step.body.empty() && !deliverBody(step.body)) return;
    if (step.status == proto::ParseStatus::Malformed) {
      const std::string_view reason = proto::httpErrorName(parser_.error());
      log_.warning("malformed reply: %.*s", static_cast<int>(reason.size()), reason.data());
      fail(HttpFailure::Malformed);
      return;
    }
    if (step.status == proto::ParseStatus::Ok) {
      complete();
      return;
    }
    in = in.subspan(step.consumed);
    if (in.empty() || step.consumed == 0) return;
  }
}

bool HttpClient::deliverBody(proto::Bytes piece) {
  if (sink_ != nullptr) {
    if (sink_->onResponseBody(piece)) return true;
    fail(HttpFailure::Aborted);
    return false;
  }
  if (body_.size() - bodySize_ < piece.size()) {
    fail(HttpFailure::BodyTooLarge);
    return false;
  }
  std::copy(piece.begin(), piece.end(), body_.begin() + static_cast<std::ptrdiff_t>(bodySize_));
  bodySize_ += piece.size();
  return true;
}

void HttpClient::complete() {
  closeSocket();
  timeout_.stop();
  state_ = State::Finished;
  result_.failure = HttpFailure::None;
  result_.status = parser_.statusCode();
  result_.body = std::string_view(body_.data(), bodySize_);
  if (sink_ == nullptr && (result_.status < 200 || result_.status > 299)) {
    result_.errorCode = proto::parseJsonErrorCode(result_.body);
  }
  log_.debug("reply %u complete (%llu body bytes)", static_cast<unsigned>(result_.status),
             static_cast<unsigned long long>(parser_.bodyBytes()));
}

void HttpClient::fail(HttpFailure failure) {
  closeSocket();
  timeout_.stop();
  state_ = State::Finished;
  result_.failure = failure;
  result_.body = {};
  const std::string_view name = httpFailureName(failure);
  log_.warning("request to %s:%u failed: %.*s", hal::toText(server_.ip).c_str(),
               static_cast<unsigned>(server_.port), static_cast<int>(name.size()), name.data());
}

}  // namespace gagent::core
