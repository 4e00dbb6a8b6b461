#include "gagent/core/web_config.h"

#include "gagent/proto/fixed_string.h"
#include "gagent/proto/form.h"

namespace gagent::core {
namespace {

// Pages are built in these before the HTTP framing is added; the largest (an error page with the form) fits
// kMaxResponseBytes with its head.
constexpr std::size_t kMaxPageBytes = 1200;
constexpr std::size_t kMaxMessageBytes = 160;

// The form POSTs, so the password does not end up in the browser's history; the .cgi also takes a GET
// (protocol §2.4).
constexpr std::string_view kFormHtml =
    "<form action=\"/web_config.cgi\" method=\"post\">"
    "<p><label>SSID <input name=\"ssid\" maxlength=\"32\"></label></p>"
    "<p><label>Password <input name=\"pass\" type=\"password\" maxlength=\"32\"></label></p>"
    "<p>Allowed characters: a-z A-Z 0-9 - _ . (at most 32 each)</p>"
    "<p><input type=\"submit\" value=\"Save\"></p></form>";

// S6.3.2: the only characters a submitted SSID or password may hold.
bool allowedCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

}  // namespace

WebConfigServer::WebConfigServer(hal::Net& net, LogHub& logs, WebConfigListener& listener, std::uint16_t port)
    : net_(net), log_(logs, "webconfig"), listener_(listener), port_(port) {}

bool WebConfigServer::start(Millis /*now*/) {
  if (running()) return true;
  listenSocket_ = net_.tcpListen(port_, static_cast<int>(kMaxClients));
  if (listenSocket_ == hal::kNoSocket) {
    log_.warning("cannot listen on TCP %u", static_cast<unsigned>(port_));
    return false;
  }
  state_ = State::Listening;
  log_.info("listening on TCP %u", static_cast<unsigned>(port_));
  return true;
}

void WebConfigServer::stop() {
  if (!running()) return;
  for (Client& client : clients_) {
    if (client.phase != Client::Phase::Free) release(client);
  }
  net_.close(listenSocket_);
  listenSocket_ = hal::kNoSocket;
  state_ = State::Stopped;
  log_.info("stopped");
}

std::size_t WebConfigServer::clientCount() const {
  std::size_t count = 0;
  for (const Client& client : clients_) count += client.phase != Client::Phase::Free ? 1 : 0;
  return count;
}

void WebConfigServer::poll(Millis now) {
  if (!running()) return;
  acceptClients(now);
  // The exchange's owner first: once it is done, a waiting connection is served in the same pass.
  if (exchange_.owner != Exchange::kNoOwner) pollClient(clients_[exchange_.owner], now);
  for (Client& client : clients_) {
    // A listener called from a client may have stopped the server.
    if (!running()) return;
    if (client.phase != Client::Phase::Free && !owns(client)) pollClient(client, now);
  }
}

Millis WebConfigServer::nextDeadline() const {
  Millis next = hal::kNever;
  for (const Client& client : clients_) next = earliest(next, client.timeout.deadline());
  return next;
}

void WebConfigServer::acceptClients(Millis now) {
  for (Client& client : clients_) {
    if (client.phase != Client::Phase::Free) continue;
    // Connections beyond kMaxClients wait in the backlog until a slot is free.
    hal::Endpoint peer;
    const hal::SocketId socket = net_.tcpAccept(listenSocket_, peer);
    if (socket == hal::kNoSocket) return;
    client.phase = Client::Phase::Waiting;
    client.socket = socket;
    client.peer = peer;
    client.timeout.start(now, kClientTimeout);
    log_.debug("client %s:%u connected", hal::toText(peer.ip).c_str(), static_cast<unsigned>(peer.port));
  }
}

void WebConfigServer::pollClient(Client& client, Millis now) {
  if (client.timeout.fire(now)) {
    log_.warning("client %s:%u dropped: no complete exchange within %u s",
                 hal::toText(client.peer.ip).c_str(), static_cast<unsigned>(client.peer.port),
                 static_cast<unsigned>(kClientTimeout / 1000));
    release(client);
    return;
  }
  if (client.phase == Client::Phase::Waiting || client.phase == Client::Phase::Reading) readRequest(client);
  if (client.phase == Client::Phase::Writing) writeResponse(client, now);
}

void WebConfigServer::claimExchange(Client& client) {
  exchange_.owner = indexOf(client);
  exchange_.request.reset();
  exchange_.responseSize = 0;
  exchange_.sent = 0;
  exchange_.configured = false;
  client.phase = Client::Phase::Reading;
}

void WebConfigServer::readRequest(Client& client) {
  // A waiting connection is not read while another one is served: its bytes stay in the TCP stack.
  if (client.phase == Client::Phase::Waiting && exchange_.owner != Exchange::kNoOwner) return;
  std::array<std::uint8_t, kReceiveChunk> chunk{};
  while (client.phase == Client::Phase::Waiting || client.phase == Client::Phase::Reading) {
    const hal::IoResult got = net_.tcpReceive(client.socket, chunk);
    if (got.kind == hal::IoResult::Kind::WouldBlock || (got.isDone() && got.bytes == 0)) return;
    if (!got.isDone()) {
      log_.debug("client %s:%u left before a whole request", hal::toText(client.peer.ip).c_str(),
                 static_cast<unsigned>(client.peer.port));
      release(client);
      return;
    }
    if (client.phase == Client::Phase::Waiting) claimExchange(client);
    proto::Bytes in{chunk.data(), got.bytes};
    while (!in.empty()) {
      const proto::HttpRequestFeed fed = exchange_.request.feed(in);
      if (fed.status != proto::ParseStatus::NeedMore) {
        // One request per connection: whatever follows it is ignored.
        answer(client);
        return;
      }
      if (fed.consumed == 0) break;
      in = in.subspan(fed.consumed);
    }
  }
}

void WebConfigServer::answer(Client& client) {
  const proto::HttpRequestParser& request = exchange_.request;
  if (request.failed()) {
    const std::string_view reason = proto::httpErrorName(request.error());
    log_.warning("malformed request from %s: %.*s", hal::toText(client.peer.ip).c_str(),
                 static_cast<int>(reason.size()), reason.data());
    respond(client, 400, "Bad request", "The request could not be read.", false);
    return;
  }
  const std::string_view method = request.method();
  const std::string_view path = request.path();
  log_.debug("%.*s %.*s", static_cast<int>(method.size()), method.data(), static_cast<int>(path.size()),
             path.data());
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (path == kFormPath) {
    if (get) {
      respond(client, 200, "WiFi configuration", "Enter the SSID and password of your router.", true);
    } else {
      respond(client, 405, "Method not allowed", "Open this page with GET.", false);
    }
    return;
  }
  if (path == kSubmitPath) {
    if (get) {
      answerSubmission(client, request.query());
    } else if (post) {
      answerSubmission(client, request.body());
    } else {
      respond(client, 405, "Method not allowed", "Submit the form with GET or POST.", false);
    }
    return;
  }
  respond(client, 404, "Not found", "There is no such page here.", false);
}

void WebConfigServer::answerSubmission(Client& client, std::string_view form) {
  std::string_view value;
  FieldError error = takeField(form, kSsidField, kMaxSsid, true, value);
  if (error != FieldError::None) {
    reject(client, "SSID", error, kMaxSsid);
    return;
  }
  exchange_.ssid.assign(value);
  // S6.3.2 allows an empty password: an open network.
  error = takeField(form, kPasswordField, kMaxPassword, false, value);
  if (error != FieldError::None) {
    reject(client, "Password", error, kMaxPassword);
    return;
  }
  exchange_.password.assign(value);
  exchange_.configured = true;
  log_.info("configuration for '%.*s' accepted", static_cast<int>(exchange_.ssid.size()),
            exchange_.ssid.view().data());
  // The SSID holds only S6.3.2 characters, so it is safe to show in the page as it is.
  proto::FixedString<kMaxMessageBytes> message;
  message.append("The module saves the configuration, restarts and joins ")
      .append(exchange_.ssid.view())
      .append(".");
  respond(client, 200, "Configuration saved", message.view(), false);
}

WebConfigServer::FieldError WebConfigServer::takeField(std::string_view form, std::string_view key,
                                                       std::size_t maxBytes, bool required,
                                                       std::string_view& out) {
  out = {};
  const std::optional<std::string_view> raw = proto::findFormField(form, key);
  if (!raw) return required ? FieldError::Missing : FieldError::None;
  // Judged before it is decoded, so decoded_ needs room for the longest accepted value only.
  const std::optional<std::size_t> size = proto::urlDecodedSize(*raw);
  if (!size) return FieldError::BadEncoding;
  if (*size == 0) return required ? FieldError::Empty : FieldError::None;
  if (*size > maxBytes || *size > decoded_.size()) return FieldError::TooLong;
  if (proto::urlDecode(*raw, decoded_) != size)
    return FieldError::BadEncoding;  // cannot differ: checked above
  out = proto::asText({decoded_.data(), *size});
  for (char c : out) {
    if (!allowedCharacter(c)) return FieldError::IllegalCharacter;
  }
  return FieldError::None;
}

void WebConfigServer::reject(Client& client, std::string_view field, FieldError error, std::size_t maxBytes) {
  proto::FixedString<kMaxMessageBytes> message;
  message.append(field);
  switch (error) {
    case FieldError::Missing:
      message.append(" is missing.");
      break;
    case FieldError::Empty:
      message.append(" is empty.");
      break;
    case FieldError::TooLong: {
      std::array<std::uint8_t, 20> digits{};
      proto::ByteWriter writer(digits);
      proto::appendDecimal(writer, maxBytes);
      message.append(" is longer than ")
          .append(proto::asText({digits.data(), writer.size()}))
          .append(" bytes.");
      break;
    }
    case FieldError::BadEncoding:
      message.append(" is not correctly URL-encoded.");
      break;
    case FieldError::IllegalCharacter:
      message.append(" may only contain a-z A-Z 0-9 - _ . characters.");
      break;
    case FieldError::None:
      break;
  }
  log_.warning("configuration refused: %.*s", static_cast<int>(message.size()), message.view().data());
  respond(client, 400, "Invalid configuration", message.view(), true);
}

void WebConfigServer::respond(Client& client, std::uint16_t status, std::string_view title,
                              std::string_view message, bool withForm) {
  proto::FixedString<kMaxPageBytes> page;
  page.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
      .append("<meta name=\"viewport\" content=\"width=device-width\"><title>")
      .append(title)
      .append("</title></head><body><h1>")
      .append(title)
      .append("</h1><p>")
      .append(message)
      .append("</p>");
  if (withForm) page.append(kFormHtml);
  page.append("</body></html>");

  const proto::HttpHeader headers[] = {
      {"Content-Type", "text/html; charset=utf-8"},
      {"Cache-Control", "no-store"},
      {"Connection", "close"},
      {"Allow", "GET, POST"},
  };
  // Allow belongs to a 405 only.
  const std::size_t headerCount = status == 405 ? 4 : 3;
  exchange_.responseSize = page.ok()
                               ? proto::buildHttpResponse(exchange_.response, status, {headers, headerCount},
                                                          proto::asBytes(page.view()))
                               : 0;
  exchange_.sent = 0;
  client.phase = Client::Phase::Writing;
  if (exchange_.responseSize == 0) {
    // Only a page larger than the buffers gets here: a bug, not the peer's doing.
    log_.error("response %u does not fit %zu bytes", static_cast<unsigned>(status), kMaxResponseBytes);
    exchange_.configured = false;
    release(client);
  }
}

void WebConfigServer::writeResponse(Client& client, Millis now) {
  while (exchange_.sent < exchange_.responseSize) {
    const std::span<const std::uint8_t> rest{exchange_.response.data() + exchange_.sent,
                                             exchange_.responseSize - exchange_.sent};
    const hal::IoResult put = net_.tcpSend(client.socket, rest);
    if (put.kind == hal::IoResult::Kind::WouldBlock || (put.isDone() && put.bytes == 0)) return;
    if (!put.isDone()) {
      // The browser never saw the answer; a success it did not see is not reported either.
      log_.warning("client %s:%u left before the answer was sent", hal::toText(client.peer.ip).c_str(),
                   static_cast<unsigned>(client.peer.port));
      release(client);
      return;
    }
    exchange_.sent += put.bytes;
  }
  const bool configured = exchange_.configured;
  const StoredText<kMaxSsid> ssid = exchange_.ssid;
  const StoredText<kMaxPassword> password = exchange_.password;
  release(client);
  if (configured) listener_.onWebCredentials(ssid.view(), password.view(), now);
}

void WebConfigServer::release(Client& client) {
  net_.close(client.socket);
  client.socket = hal::kNoSocket;
  client.phase = Client::Phase::Free;
  client.timeout.stop();
  if (!owns(client)) return;
  exchange_.owner = Exchange::kNoOwner;
  exchange_.configured = false;
  exchange_.ssid.clear();
  exchange_.password.clear();
}

}  // namespace gagent::core
