#pragma once
// S6.3 WebConfig: a tiny HTTP/1.1 server on the SoftAP for a phone or PC browser. GET / is the form;
// GET /web_config.cgi?ssid=..&pass=.. (protocol §2.4) and a POSTed form both submit it. The fields are
// checked (S6.3.2: a-z A-Z 0-9 - _ . only; SSID 1-32 bytes, password at most 32): invalid -> 400 with a page
// saying what is wrong; valid -> 200 success page, and once it is sent the listener gets the credentials
// (S6.3.3; the agent passes them to Onboarding, which saves and reboots).
// One request per connection ("Connection: close"); few connections, bounded request size, a per-connection
// timeout; anything malformed is answered 400 and closed. The agent runs it only while
// Onboarding::acceptsOnboardingPackets().
//
// One request at a time: the module's SoftAP serves one phone, whose browser asks for one page after the
// other (the form, then the submission). So there is one request buffer and one response buffer (the
// Exchange, ~4.7 KB), not one per connection. Up to kMaxClients connections are accepted (browsers open a
// spare one or two and may send nothing on them); a connection that is not being served is not read, its
// bytes wait in the TCP stack, and the first one that delivers bytes once the exchange is free is served.
// A connection that holds the exchange without finishing is dropped at kClientTimeout, and the next one is
// served: a stalling peer delays the form by at most that, it cannot block it.

#include <array>
#include <cstdint>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/log.h"
#include "gagent/core/timer.h"
#include "gagent/hal/net.h"
#include "gagent/proto/http_parser.h"

namespace gagent::core {

class WebConfigListener {
 public:
  virtual ~WebConfigListener() = default;
  // A valid form, after its success page went out (S6.3.3). The views are valid during the call only; the
  // listener may stop() the server from here.
  virtual void onWebCredentials(std::string_view ssid, std::string_view password, Millis now) = 0;
};

class WebConfigServer {
 public:
  enum class State : std::uint8_t { Stopped, Listening };

  static constexpr std::uint16_t kDefaultPort = 80;  // S6.3.1, protocol §2.1
  static constexpr std::string_view kFormPath = "/";
  static constexpr std::string_view kSubmitPath = "/web_config.cgi";  // protocol §2.4
  static constexpr std::string_view kSsidField = "ssid";              // protocol §2.4
  static constexpr std::string_view kPasswordField = "pass";          // protocol §2.4
  static constexpr std::size_t kMaxSsid = 32;                         // S6.3.2
  static constexpr std::size_t kMaxPassword = 32;                     // S6.3.2
  // A phone's browser opens a connection or two (page, favicon, a speculative one); more wait in the
  // listen backlog. They share the one Exchange.
  static constexpr std::size_t kMaxClients = 3;
  // From accept to the last byte of the answer: a client that stalls is dropped.
  static constexpr Millis kClientTimeout = hal::seconds(10);
  // Requests are bounded by the parser: head proto::kHttpMaxHeaderBytes, body
  // proto::kHttpMaxRequestBodyBytes. Every page this server sends fits here.
  static constexpr std::size_t kMaxResponseBytes = 1536;
  static constexpr std::size_t kReceiveChunk = 256;

  WebConfigServer(hal::Net& net, LogHub& logs, WebConfigListener& listener,
                  std::uint16_t port = kDefaultPort);

  // Listens on the port; false (logged) when the port cannot be opened. Again while running: no change.
  bool start(Millis now);
  // Closes the listener and every client (answers not yet sent are dropped, so nothing is reported).
  void stop();

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

  [[nodiscard]] State state() const { return state_; }
  [[nodiscard]] bool running() const { return state_ == State::Listening; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::size_t clientCount() const;

 private:
  struct Client {
    // Waiting: accepted, not read until the exchange is free. Reading/Writing: it owns the exchange.
    enum class Phase : std::uint8_t { Free, Waiting, Reading, Writing };
    Phase phase = Phase::Free;
    hal::SocketId socket = hal::kNoSocket;
    hal::Endpoint peer;
    Timer timeout;
  };
  // The one request being served and its answer.
  struct Exchange {
    static constexpr std::size_t kNoOwner = kMaxClients;
    std::size_t owner = kNoOwner;  // index into clients_
    proto::HttpRequestParser request;
    std::array<std::uint8_t, kMaxResponseBytes> response{};
    std::size_t responseSize = 0;
    std::size_t sent = 0;
    // Set when the answer is the success page: reported once it is sent.
    bool configured = false;
    StoredText<kMaxSsid> ssid;
    StoredText<kMaxPassword> password;
  };

  void acceptClients(Millis now);
  void pollClient(Client& client, Millis now);
  [[nodiscard]] bool owns(const Client& client) const { return exchange_.owner == indexOf(client); }
  [[nodiscard]] std::size_t indexOf(const Client& client) const {
    return static_cast<std::size_t>(&client - clients_.data());
  }
  void claimExchange(Client& client);
  void readRequest(Client& client);
  void answer(Client& client);
  void answerSubmission(Client& client, std::string_view form);
  // What is wrong with one submitted field (S6.3.2).
  enum class FieldError : std::uint8_t { None, Missing, Empty, TooLong, BadEncoding, IllegalCharacter };
  // Checks the field `key` of `form` and decodes it into decoded_; `out` views decoded_ (valid until the next
  // call). A missing optional field is empty.
  FieldError takeField(std::string_view form, std::string_view key, std::size_t maxBytes, bool required,
                       std::string_view& out);
  void reject(Client& client, std::string_view field, FieldError error, std::size_t maxBytes);
  void respond(Client& client, std::uint16_t status, std::string_view title, std::string_view message,
               bool withForm);
  void writeResponse(Client& client, Millis now);
  void release(Client& client);

  hal::Net& net_;
  Logger log_;
  WebConfigListener& listener_;
  std::uint16_t port_;
  State state_ = State::Stopped;
  hal::SocketId listenSocket_ = hal::kNoSocket;
  std::array<Client, kMaxClients> clients_{};
  Exchange exchange_;
  // One accepted field, decoded: its decoded size is checked against the maximum before it is decoded.
  std::array<std::uint8_t, (kMaxSsid > kMaxPassword ? kMaxSsid : kMaxPassword)> decoded_{};
};

}  // namespace gagent::core
