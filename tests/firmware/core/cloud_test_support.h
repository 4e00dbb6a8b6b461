#pragma once
// Test side of the cloud HTTP tests: a hand-scripted HTTP server on a SimNet peer listener and a loop that
// runs a core module and the server on the virtual clock. Requests are read with proto's HttpRequestParser;
// replies are raw bytes written by the test.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/hal/types.h"
#include "gagent/proto/http_parser.h"
#include "gagent/sim/sim_board.h"

namespace cloudtest {

using gagent::hal::Millis;

struct HttpExchange {
  Millis time = 0;
  std::string raw;  // the request exactly as it arrived
  std::string method;
  std::string target;
  std::string body;
};

// "HTTP/1.1 <status> <reason>" with Content-Length and `extraHeaders` (each ending in CRLF).
inline std::string httpReply(int status, std::string_view body, std::string_view extraHeaders = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " +
                    std::string(gagent::proto::httpReasonPhrase(static_cast<std::uint16_t>(status))) + "\r\n";
  out += extraHeaders;
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

class FakeHttpServer {
 public:
  // The raw reply bytes for a request (the server then closes), or nullopt to never answer.
  using Handler = std::function<std::optional<std::string>(const HttpExchange&)>;

  FakeHttpServer(gagent::sim::SimNet& net, gagent::hal::Endpoint at) : listener(net.listenPeer(at)) {}

  void onRequest(Handler handler) { handler_ = std::move(handler); }
  // Answers every request with `reply`.
  void replyAlways(std::string reply) {
    handler_ = [reply](const HttpExchange&) { return std::optional<std::string>(reply); };
  }
  // Answers the requests in turn; after the list, the last one again.
  void replySequence(std::vector<std::string> replies) {
    auto list = std::make_shared<std::vector<std::string>>(std::move(replies));
    auto next = std::make_shared<std::size_t>(0);
    handler_ = [list, next](const HttpExchange&) {
      const std::size_t i = std::min(*next, list->size() - 1);
      ++*next;
      return std::optional<std::string>((*list)[i]);
    };
  }

  // Accepts connections, reads requests, answers. True when something happened.
  bool service(Millis now) {
    bool progress = false;
    while (gagent::sim::PeerTcpConnection* c = listener.accept()) {
      connections_.push_back({c, std::make_unique<gagent::proto::HttpRequestParser>(), {}, false});
      progress = true;
    }
    for (Connection& connection : connections_) {
      if (connection.answered || connection.peer->isClosed()) continue;
      const std::vector<std::uint8_t> bytes = connection.peer->receiveAll();
      if (bytes.empty()) continue;
      progress = true;
      connection.raw.append(bytes.begin(), bytes.end());
      const auto step = connection.parser->feed(bytes);
      if (step.status == gagent::proto::ParseStatus::NeedMore) continue;
      connection.answered = true;
      HttpExchange exchange;
      exchange.time = now;
      exchange.raw = connection.raw;
      if (step.status == gagent::proto::ParseStatus::Ok) {
        exchange.method = connection.parser->method();
        exchange.target = connection.parser->target();
        exchange.body = connection.parser->body();
      }
      requests.push_back(exchange);
      const std::optional<std::string> reply = handler_ ? handler_(exchange) : std::nullopt;
      if (!reply) continue;
      if (!reply->empty()) {
        connection.peer->send(std::span(reinterpret_cast<const std::uint8_t*>(reply->data()), reply->size()));
      }
      connection.peer->close();
    }
    return progress;
  }

  gagent::sim::PeerTcpListener& listener;
  std::vector<HttpExchange> requests;

 private:
  struct Connection {
    gagent::sim::PeerTcpConnection* peer;
    std::unique_ptr<gagent::proto::HttpRequestParser> parser;
    std::string raw;
    bool answered;
  };
  Handler handler_;
  std::vector<Connection> connections_;
};

// Runs `poll` (the module) and `service` (the test's servers) until `end`, jumping the clock to the
// module's next deadline or the next fake event.
inline void runUntil(gagent::sim::VirtualClock& clock, Millis end, const std::function<void(Millis)>& poll,
                     const std::function<Millis()>& nextDeadline,
                     const std::function<bool(Millis)>& service) {
  // The sim does not tell when a module socket becomes readable, so every instant gets enough passes for
  // bytes to flow both ways (a real port's loop wakes on I/O instead).
  constexpr int kPassesPerInstant = 64;
  auto settle = [&] {
    for (int pass = 0; pass < kPassesPerInstant; ++pass) {
      service(clock.now());
      poll(clock.now());
    }
  };
  while (true) {
    settle();
    Millis next = std::min(nextDeadline(), clock.nextEventTime());
    if (next <= clock.now()) next = clock.now() + 1;
    if (next > end) {
      clock.advanceTo(end);
      settle();
      return;
    }
    clock.advanceTo(next);
  }
}

}  // namespace cloudtest
