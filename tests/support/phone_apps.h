#pragma once
// Phone apps configuring a module (S6), as a real app behaves, for measuring S6.1.2 in virtual time. Each
// is a SimModule peer (service + nextDeadline). Every app ends on the home LAN listening on UDP 2415 for
// the module's "configuration success" broadcast 0019 (S6.1.3); the SDK takes its receipt as success. The
// app succeeds when it hears one carrying the module's MAC and product key before its deadline.
//
// - SoftApPhone (S6.2.5): waits for the module's AP, joins it (kJoinModuleAp), sends 0001 to
//   10.10.100.254:12414 every second until 0002 comes back, the AP has been gone kApLossDetect (beacon
//   loss), or kMaxSends; then goes home.
// - WebConfigPhone (S6.3): joins the AP, a browser loads the form, the user types (kTyping), submits
//   /web_config.cgi; a connect the module refuses is retried after 1 s, an answer that does not come within
//   kBrowserTimeout is asked again on a new connection. A lost SYN or SYN-ACK costs the kernel's
//   retransmission (1 s, doubling), drawn with the UDP loss rate: TCP turns loss into delay. Goes home on
//   the success page (or when the AP has vanished).
// - AirLinkPhone (S6.4): stays on the home LAN, listening from the start, and repeats the one-shot encoding
//   (OneShotAir) until it hears the success or its deadline.
// Going home (leave the AP, join the home WiFi, DHCP) takes kSwitchHome; broadcasts before that are
// missed. The deadline (kDeadline, from the app's start) is the app's overall timeout.

#include <cstdint>
#include <optional>
#include <string>

#include "gagent/proto/lan_commands.h"
#include "gagent/proto/lan_packet.h"
#include "gagent/sim/sim_board.h"
#include "oneshot_air.h"

namespace gagent::sim {

struct PhoneTimings {
  Millis joinModuleAp = hal::seconds(3);    // associate with XPG-GAgent-XXXX and get a DHCP lease
  Millis switchHome = hal::seconds(5);      // leave the module's AP, join the home WiFi, DHCP
  Millis resendInterval = hal::seconds(1);  // S6.2.5 apps: 0001 once a second
  std::size_t maxSends = 60;
  Millis apLossDetect = hal::seconds(3);  // a phone notices a vanished AP by missed beacons
  Millis typing = hal::seconds(5);        // WebConfig: the user fills in the form
  Millis browserTimeout = hal::seconds(10);
  Millis deadline = hal::seconds(60);  // the app's onboarding timeout, from its start
};

// The home-LAN half every app shares: listening for 0019 once the phone is there.
class ConfigSuccessListener {
 public:
  ConfigSuccessListener(SimNet& net, hal::MacAddress mac, std::string productKey)
      : net_(net), mac_(mac), productKey_(std::move(productKey)) {}

  void arrive(hal::Ipv4 phone) {
    if (socket_ == nullptr) socket_ = &net_.openPeerUdp({phone, proto::kLanAnnouncePort});
  }
  // True once a matching 0019 was heard (at `heardAt`).
  bool service(Millis now) {
    if (socket_ == nullptr || heardAt_) return heardAt_.has_value();
    while (auto datagram = socket_->receive()) {
      const proto::LanDecode decoded = proto::parseLanDatagram(datagram->bytes);
      if (!decoded.ok() || decoded.packet.cmd != proto::toU16(proto::LanCmd::ConfigSuccess)) continue;
      const auto body = proto::parseLanConfigSuccess(decoded.packet.payload);
      if (!body.ok() || body.value.productKey != productKey_) continue;
      if (!std::equal(mac_.begin(), mac_.end(), body.value.mac.begin(), body.value.mac.end())) continue;
      heardAt_ = now;
      socket_->close();
      return true;
    }
    return false;
  }
  [[nodiscard]] std::optional<Millis> heardAt() const { return heardAt_; }

 private:
  SimNet& net_;
  hal::MacAddress mac_;
  std::string productKey_;
  PeerUdpSocket* socket_ = nullptr;
  std::optional<Millis> heardAt_;
};

// What every app model offers the trial runner.
class PhoneApp {
 public:
  inline static const hal::Ipv4 kOnHomeLan = hal::ipv4(10, 0, 0, 20);
  inline static const hal::Ipv4 kOnModuleAp = hal::ipv4(10, 10, 100, 100);

  PhoneApp(SimBoard& board, ConfigSuccessListener& success, PhoneTimings timings, Millis start)
      : board_(board), success_(success), timings_(timings), start_(start) {}
  virtual ~PhoneApp() = default;

  virtual bool service(Millis now) = 0;
  [[nodiscard]] Millis nextDeadline() const { return finished() ? hal::kNever : wake_; }
  [[nodiscard]] bool succeeded() const { return success_.heardAt().has_value(); }
  // The module confirmed the credentials to the app (SoftAP: 0002; WebConfig: the success page).
  [[nodiscard]] virtual bool acknowledged() const { return false; }
  [[nodiscard]] bool finished(Millis now) const { return succeeded() || now >= start_ + timings_.deadline; }
  [[nodiscard]] bool finished() const {
    return succeeded() || board_.clock().now() >= start_ + timings_.deadline;
  }

 protected:
  // On the home LAN from `at`: listens until the deadline.
  void goHome(Millis now) {
    homeAt_ = now + timings_.switchHome;
    wake_ = *homeAt_;
  }
  bool serviceHome(Millis now) {
    if (!homeAt_ || now < *homeAt_) return false;
    success_.arrive(kOnHomeLan);
    success_.service(now);
    wake_ = hal::kNever;  // broadcasts wake the world loop themselves
    return false;
  }
  [[nodiscard]] bool home() const { return homeAt_.has_value(); }

  SimBoard& board_;
  ConfigSuccessListener& success_;
  PhoneTimings timings_;
  Millis start_;
  Millis wake_ = 0;
  std::optional<Millis> homeAt_;
};

class SoftApPhone : public PhoneApp {
 public:
  SoftApPhone(SimBoard& board, ConfigSuccessListener& success, PhoneTimings timings, Millis start,
              std::string ssid, std::string password)
      : PhoneApp(board, success, timings, start), ssid_(std::move(ssid)), password_(std::move(password)) {
    wake_ = start;
  }

  bool service(Millis now) override {
    if (home()) return serviceHome(now);
    if (now < start_) return false;
    const bool apUp = board_.radio().softApOn();
    if (socket_ == nullptr) {  // not joined yet: the AP must be there the whole join
      if (!apUp) {
        joinedAt_.reset();
        wake_ = now + 500;
        return false;
      }
      if (!joinedAt_) joinedAt_ = now + timings_.joinModuleAp;
      if (now < *joinedAt_) {
        wake_ = *joinedAt_;
        return false;
      }
      socket_ = &board_.net().openPeerUdp({kOnModuleAp, 0});
      nextSend_ = now;
    }
    while (auto datagram = socket_->receive()) {
      const proto::LanDecode decoded = proto::parseLanDatagram(datagram->bytes);
      if (decoded.ok() && decoded.packet.cmd == proto::toU16(proto::LanCmd::OnboardingReply)) acked_ = true;
    }
    if (!apUp && !apGoneAt_) apGoneAt_ = now;
    if (apUp) apGoneAt_.reset();
    const bool apLost = apGoneAt_ && now >= *apGoneAt_ + timings_.apLossDetect;
    if (acked_ || apLost || sends_ >= timings_.maxSends) {
      socket_->close();
      goHome(now);
      return false;
    }
    bool sent = false;
    if (now >= nextSend_) {
      sent = socket_->send({SimNet::kSoftApAddress, proto::kLanUdpConfigPort}, request());
      ++sends_;
      nextSend_ = now + timings_.resendInterval;
    }
    wake_ = apGoneAt_ ? std::min(nextSend_, *apGoneAt_ + timings_.apLossDetect) : nextSend_;
    return sent;
  }

  [[nodiscard]] std::size_t sends() const { return sends_; }
  [[nodiscard]] bool acknowledged() const override { return acked_; }

 private:
  std::vector<std::uint8_t> request() const {
    std::vector<std::uint8_t> payload(proto::kLanMaxPayload);
    proto::ByteWriter writer(payload);
    proto::buildLanOnboardingRequest({ssid_, password_}, writer);
    payload.resize(writer.size());
    std::vector<std::uint8_t> out(proto::kLanMaxPacketSize);
    out.resize(proto::encodeLanPacket(proto::toU16(proto::LanCmd::OnboardingRequest), payload, out));
    return out;
  }

  std::string ssid_;
  std::string password_;
  std::optional<Millis> joinedAt_;
  PeerUdpSocket* socket_ = nullptr;
  Millis nextSend_ = 0;
  std::size_t sends_ = 0;
  bool acked_ = false;
  std::optional<Millis> apGoneAt_;
};

class WebConfigPhone : public PhoneApp {
 public:
  static constexpr Millis kInitialRto = hal::seconds(1);  // RFC 6298 initial retransmission timeout
  static constexpr Millis kRefusedRetry = hal::seconds(1);

  WebConfigPhone(SimBoard& board, ConfigSuccessListener& success, PhoneTimings timings, Millis start,
                 std::string ssid, std::string password, double tcpLoss, std::uint64_t seed)
      : PhoneApp(board, success, timings, start),
        ssid_(std::move(ssid)),
        password_(std::move(password)),
        tcpLoss_(tcpLoss),
        random_(seed) {
    wake_ = start;
  }

  bool service(Millis now) override {
    if (home()) return serviceHome(now);
    if (now < start_) return false;
    const bool apUp = board_.radio().softApOn();
    if (!joined_) {
      if (!apUp) {
        joinedAt_.reset();
        wake_ = now + 500;
        return false;
      }
      if (!joinedAt_) joinedAt_ = now + timings_.joinModuleAp;
      if (now < *joinedAt_) {
        wake_ = *joinedAt_;
        return false;
      }
      joined_ = true;
      stage_ = Stage::Form;
      connectAt_ = now + handshakeDelay();
    }
    if (!apUp && !apGoneAt_) apGoneAt_ = now;
    if (apUp) apGoneAt_.reset();
    if (apGoneAt_ && now >= *apGoneAt_ + timings_.apLossDetect) {
      goHome(now);
      return false;
    }
    if (connection_ == nullptr) {
      if (now < connectAt_) return wait(connectAt_);
      connection_ = board_.net().connectPeer({kOnModuleAp, 0}, {SimNet::kSoftApAddress, 80});
      if (connection_ == nullptr) {
        connectAt_ = now + kRefusedRetry + handshakeDelay();
        return wait(connectAt_);
      }
      const std::string request = stage_ == Stage::Form
                                      ? "GET / HTTP/1.1\r\nHost: 10.10.100.254\r\n\r\n"
                                      : "GET /web_config.cgi?ssid=" + ssid_ + "&pass=" + password_ +
                                            " HTTP/1.1\r\nHost: 10.10.100.254\r\n\r\n";
      connection_->send(std::vector<std::uint8_t>(request.begin(), request.end()));
      answer_.clear();
      askedAt_ = now;
      ++requests_;
      return wait(now + timings_.browserTimeout);
    }
    const auto bytes = connection_->receiveAll();
    answer_.append(bytes.begin(), bytes.end());
    const bool complete = connection_->isClosed();  // one request per connection: the module closes
    if (complete && answer_.rfind("HTTP/1.1 200", 0) == 0) {
      connection_ = nullptr;
      if (stage_ == Stage::Submit) {
        acked_ = true;
        goHome(now);
        return false;
      }
      stage_ = Stage::Submit;
      connectAt_ = now + timings_.typing + handshakeDelay();
      return wait(connectAt_);
    }
    if (complete || now >= askedAt_ + timings_.browserTimeout) {  // broken or no answer: ask again
      if (!connection_->isClosed()) connection_->close();
      connection_ = nullptr;
      connectAt_ = now + handshakeDelay();
      return wait(connectAt_);
    }
    return wait(askedAt_ + timings_.browserTimeout);
  }

  [[nodiscard]] std::size_t requests() const { return requests_; }
  [[nodiscard]] bool acknowledged() const override { return acked_; }

 private:
  enum class Stage : std::uint8_t { Form, Submit };

  bool wait(Millis until) {
    wake_ = apGoneAt_ ? std::min(until, *apGoneAt_ + timings_.apLossDetect) : until;
    return false;
  }
  // SYN and SYN-ACK each lost with the UDP loss rate; every loss costs the retransmission timeout.
  Millis handshakeDelay() {
    Millis delay = 0;
    Millis rto = kInitialRto;
    while (random_.chance(tcpLoss_) || random_.chance(tcpLoss_)) {
      delay += rto;
      rto *= 2;
    }
    return delay;
  }

  std::string ssid_;
  std::string password_;
  double tcpLoss_;
  UdpImpairer random_;
  bool joined_ = false;
  std::optional<Millis> joinedAt_;
  std::optional<Millis> apGoneAt_;
  Stage stage_ = Stage::Form;
  PeerTcpConnection* connection_ = nullptr;
  Millis connectAt_ = 0;
  Millis askedAt_ = 0;
  std::string answer_;
  std::size_t requests_ = 0;
  bool acked_ = false;
};

class AirLinkPhone : public PhoneApp {
 public:
  AirLinkPhone(SimBoard& board, ConfigSuccessListener& success, PhoneTimings timings, Millis start,
               std::string ssid, std::string password, const UdpImpairment& air, std::uint64_t seed)
      : PhoneApp(board, success, timings, start),
        ssid_(std::move(ssid)),
        password_(std::move(password)),
        air_(board.clock(), board.radio(), air, seed) {
    wake_ = start;
    homeAt_ = start;  // on the home LAN throughout
  }

  bool service(Millis now) override {
    if (now < start_) return false;
    if (!started_) {
      started_ = true;
      air_.startPhone(ssid_, password_);
    }
    serviceHome(now);
    if (finished(now)) air_.stopPhone();
    wake_ = start_ + timings_.deadline;
    return false;
  }

  [[nodiscard]] const OneShotAir& air() const { return air_; }

 private:
  std::string ssid_;
  std::string password_;
  OneShotAir air_;
  bool started_ = false;
};

}  // namespace gagent::sim
