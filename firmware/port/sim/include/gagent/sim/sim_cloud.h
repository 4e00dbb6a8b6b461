#pragma once
// The stand-in Gizwits cloud inside the virtual-time world: the HTTP API of protocol §3.2-3.6 and an MQTT 3.1
// M2M broker (§3.7), both speaking real bytes on SimNet peer listeners, with fault injection. It is the
// in-process equivalent of the real-time lab's cloud (mosquitto + HTTP stand-in) for end-to-end sim tests and
// the rig's virtual-time scenario mode.
//
// Driving it: the world loop calls service(now) whenever it polls the module. service() accepts connections
// and answers everything pending; it returns true when it sent something, so the loop polls the module
// again at the same instant. Answers held back by a "delay" fault go out in a later service() once due;
// nextDeadline() tells the loop when.
//
// Decisions (documented here, tested in sim_cloud_test.cpp):
// - HTTP: one request per connection (GAgent opens a fresh one each time, §3.1); every answer carries
//   "Connection: close" and the cloud closes after sending it. A request that does not parse gets 400 with
//   error_code 9015, an unknown path 404; then the connection is closed.
// - Register (§3.2): see SimCloudRegistry (same MAC + product key -> same DID, new passcode).
// - Errors carry the §3.6 JSON body {"error_code":N,"error_message":"...","detail_message":null}.
// - OTA (§3.5, S9.6): the check is answered from the firmware published for its hard_version, whatever the
//   type field says (the MCU's hard version differs from the module's). The body is written raw, not
//   form-encoded: v4.2.6 takes download_url as it stands.
// - "down" is per server, not per endpoint: a refused connect happens before the cloud could know which
//   endpoint the module wanted.
// - M2M: only MQTT 3.1 (MQIsdp/3) is accepted, 3.1.1 gets CONNACK 0x01 (S8.9). Client id empty or longer
//   than 23 -> 0x02; client id != user name, unknown DID or wrong passcode -> 0x04 (as Gizwits' M2M).
//   SUBSCRIBE grants QoS 0 for the device's own three topics (exact filters of §3.7) and 0x80 for any other.
//   A second CONNECT with the same DID closes the older session (S8.9 0x02 note). Malformed packets, a
//   packet before CONNECT, a second CONNECT on a session or QoS 2 close the connection.
// - Silent mode models a hung broker: every session open while it is on (and every new one) swallows all
//   bytes and never answers, for good; sessions opened after it is switched off behave normally.
// - The SimNet (and its clock) must outlive the SimCloud; the destructor closes its listeners and
//   connections.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gagent/proto/bytes.h"
#include "gagent/proto/cloud_mgmt.h"
#include "gagent/proto/cloud_routes.h"
#include "gagent/proto/mqtt.h"
#include "gagent/sim/sim_cloud_registry.h"
#include "gagent/sim/sim_dns.h"
#include "gagent/sim/sim_net.h"

namespace gagent::proto {
class HttpRequestParser;
}

namespace gagent::sim {

struct SimCloudHttpHelpers;

struct SimCloudOptions {
  std::string apiHost = "api.gizwits.com";
  hal::Ipv4 apiAddress = hal::ipv4(10, 0, 0, 2);
  std::uint16_t apiPort = 80;
  std::string m2mHost = "m2m.gizwits.com";
  hal::Ipv4 m2mAddress = hal::ipv4(10, 0, 0, 3);
  std::uint16_t m2mPort = 1883;
  // server_ts (§3.3) = epochBase + now / 1000: the cloud's clock in epoch seconds at Millis 0.
  std::uint64_t epochBase = 1'700'000'000;
  // Register accepts only these product keys (others: 400 / 9002); empty = any.
  std::vector<std::string> productKeys;
};

// The API's endpoints and their names are proto's (cloud_routes.h), shared with the rig's stand-in cloud.
using proto::CloudEndpoint;
using proto::cloudEndpointName;
using proto::kCloudEndpointCount;

// What an endpoint does instead of answering normally.
struct HttpFault {
  enum class Kind : std::uint8_t {
    None,
    Status,   // answer `status` (with the §3.6 JSON body when errorCode is set); the request has no effect
    Garbage,  // the success status with a body the module cannot use (Download: the right headers, MD5
              // included, and a corrupted image of the same length); the request has no effect
    Delay,    // the normal answer, `delay` ms later (the request takes effect at once)
    Close,    // close the connection without an answer; the request has no effect
  };
  Kind kind = Kind::None;
  std::uint16_t status = 500;
  std::optional<std::int32_t> errorCode;
  hal::Millis delay = 0;

  static HttpFault withStatus(std::uint16_t status, std::optional<std::int32_t> errorCode = std::nullopt) {
    return {Kind::Status, status, errorCode, 0};
  }
  static HttpFault garbage() { return {Kind::Garbage, 0, std::nullopt, 0}; }
  static HttpFault delayed(hal::Millis delay) { return {Kind::Delay, 0, std::nullopt, delay}; }
  static HttpFault closeWithoutAnswer() { return {Kind::Close, 0, std::nullopt, 0}; }
};

// One HTTP request as the cloud received it.
struct HttpRequestRecord {
  hal::Millis time = 0;
  std::string method;  // empty when the request did not parse
  std::string path;
  std::vector<std::pair<std::string, std::string>> form;  // body fields, percent-decoded, in order
  std::optional<CloudEndpoint> endpoint;                  // nullopt: not one of the API's endpoints
  std::uint16_t status = 0;                               // answered status; 0 = no HTTP answer
  [[nodiscard]] std::optional<std::string> field(std::string_view key) const;
};

// A PUBLISH the device sent to the broker.
struct DevicePublish {
  hal::Millis time = 0;
  std::string did;
  std::string topic;
  std::vector<std::uint8_t> payload;
  bool ownTopic = true;  // dev2app/<own did>[/<client>] or cli2ser_req; others are recorded and dropped
};

// One CONNECT and the broker's verdict.
struct ConnectRecord {
  hal::Millis time = 0;
  std::string clientId;
  proto::ConnackCode code = proto::ConnackCode::Accepted;
};

class SimCloud {
 public:
  static constexpr std::size_t kPersistent = SIZE_MAX;
  static constexpr std::size_t kMaxMqttClientId = proto::kMqtt31MaxClientIdLength;  // S8.9 0x02

  SimCloud(SimNet& net, SimDns& dns, SimCloudOptions options = {});
  ~SimCloud();
  SimCloud(const SimCloud&) = delete;
  SimCloud& operator=(const SimCloud&) = delete;

  bool service(hal::Millis now);
  [[nodiscard]] hal::Millis nextDeadline() const;

  [[nodiscard]] const SimCloudOptions& options() const { return options_; }
  SimCloudRegistry& registry() { return registry_; }
  [[nodiscard]] const SimCloudRegistry& registry() const { return registry_; }
  const SimCloudFirmware& publishFirmware(std::string_view hardwareVersion, std::string_view softwareVersion,
                                          std::uint32_t fid, std::vector<std::uint8_t> bytes) {
    return registry_.publishFirmware(hardwareVersion, softwareVersion, fid, std::move(bytes));
  }
  void setEpochBase(std::uint64_t seconds) { options_.epochBase = seconds; }
  // S8.4.5: provision answers carry `3rd_cloud=<name>&product_uuid=<uuid>` while a name is set.
  void setThirdCloud(std::string name, std::string productUuid);
  // The download URL of a published firmware, as the OTA check sends it.
  [[nodiscard]] std::string downloadUrl(const SimCloudFirmware& firmware) const;

  // ---- HTTP API ----
  void setApiDown(bool down);
  // The next `count` requests to `endpoint` (or all of them) get `fault`; HttpFault{} clears it.
  void setFault(CloudEndpoint endpoint, HttpFault fault, std::size_t count = kPersistent);
  void clearFaults();
  [[nodiscard]] const std::vector<HttpRequestRecord>& httpRequests() const { return httpRequests_; }

  // ---- M2M broker ----
  void setM2mDown(bool down);
  // The next `count` CONNECTs get `code` (0x01-0x05) whatever their credentials.
  void forceConnack(proto::ConnackCode code, std::size_t count = 1);
  void setSilent(bool silent);
  // Closes every broker connection (a broker restart as the module sees it).
  void dropAllSessions();
  // Online: a session that got CONNACK 0x00 and is neither closed nor hung (silent mode).
  [[nodiscard]] bool deviceOnline(std::string_view did) const;
  [[nodiscard]] std::vector<std::string> subscriptions(std::string_view did) const;
  [[nodiscard]] const std::vector<DevicePublish>& publishedByDevice() const { return published_; }
  [[nodiscard]] const std::vector<ConnectRecord>& connects() const { return connects_; }
  [[nodiscard]] std::size_t sessionCount() const { return sessions_.size(); }

  // ---- the app side, through the cloud ----
  // PUBLISH app2dev/<did>/<clientId> with a §2.2 packet; false when the device has no session subscribed to
  // it or the topic/packet cannot be encoded.
  bool appPublish(std::string_view did, std::string_view clientId, proto::Bytes lanPacket);
  // ser2cli_res/<did> management 0x0211 (OTA push) / 0x0210 (app count). The app count is also what the
  // broker answers to the device's 0x020F request on cli2ser_req (0 until set).
  bool pushOta(std::string_view did, proto::OtaFirmwareType type);
  bool pushAppCount(std::string_view did, std::uint16_t count);

 private:
  friend struct SimCloudHttpHelpers;
  struct HttpConnection;
  struct DelayedAnswer;
  struct Session;
  struct Answer;
  struct FaultSlot {
    HttpFault fault;
    std::size_t remaining = 0;
  };

  // sim_cloud_http.cpp
  bool serviceHttp(hal::Millis now);
  bool handleRequest(HttpConnection& connection, hal::Millis now);
  Answer route(const proto::HttpRequestParser& request, HttpRequestRecord& record, hal::Millis now);
  Answer registerDevice(std::string_view body, hal::Millis now);
  Answer provision(std::string_view did, hal::Millis now);
  Answer unregister(std::string_view body);
  Answer otaCheck(std::string_view did, std::string_view body);
  Answer download(std::string_view name);
  Answer faultAnswer(CloudEndpoint endpoint, const HttpFault& fault, std::string_view segment);
  std::optional<HttpFault> takeFault(CloudEndpoint endpoint);

  // sim_cloud_m2m.cpp
  bool serviceM2m(hal::Millis now);
  bool handlePacket(Session& session, const proto::MqttPacket& packet, hal::Millis now);
  bool handleConnect(Session& session, const proto::MqttPacket& packet, hal::Millis now);
  bool handleSubscribe(Session& session, const proto::MqttPacket& packet);
  bool handlePublish(Session& session, const proto::MqttPacket& packet, hal::Millis now);
  bool sendPublish(std::string_view did, std::string_view topic, proto::Bytes payload);
  Session* onlineSession(std::string_view did);
  [[nodiscard]] const Session* onlineSession(std::string_view did) const;

  SimNet& net_;
  SimCloudOptions options_;
  SimCloudRegistry registry_;
  PeerTcpListener& apiListener_;
  PeerTcpListener& m2mListener_;
  std::string thirdCloud_;
  std::string productUuid_;

  std::vector<std::unique_ptr<HttpConnection>> httpConnections_;
  std::vector<DelayedAnswer> delayed_;
  std::array<FaultSlot, kCloudEndpointCount> faults_{};
  std::vector<HttpRequestRecord> httpRequests_;

  std::vector<std::unique_ptr<Session>> sessions_;
  proto::ConnackCode forcedConnack_ = proto::ConnackCode::Accepted;
  std::size_t forcedConnackCount_ = 0;
  bool silent_ = false;
  std::vector<std::pair<std::string, std::uint16_t>> appCounts_;  // did -> count
  std::vector<DevicePublish> published_;
  std::vector<ConnectRecord> connects_;
};

}  // namespace gagent::sim
