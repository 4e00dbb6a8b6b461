#pragma once
// The stand-in Gizwits cloud HTTP API of the real-time virtual lab (protocol §3.1-3.6, spec S8.2-S8.4, S9):
// register, provision, unregister, OTA check and firmware download on 127.0.0.1, answered from a
// DeviceRegistry and a FirmwareStore, with fault injection per endpoint and a small JSON control endpoint
// (/lab/...) for the rig and scripts. It mirrors SimCloud (firmware/port/sim, virtual time): same bodies,
// same error codes, same fault kinds.
//
// Why a raw QTcpServer with the proto codecs (HttpRequestParser, buildHttpResponseHead, form.h) and not Qt's
// HTTP server: fault injection has to work at the wire level - garbage bodies, closing without an answer,
// accepting and never answering - and a request the module sends must be read exactly as the firmware's
// own parser family reads it. Qt's HTTP server hides the connection and always answers well-formed HTTP.
//
// Decisions (tested in tests/rig/cloud):
// - One request per connection (GAgent opens a fresh one each time, §3.1); every answer carries
//   "Connection: close" and the server closes after sending it. A request that does not parse gets 400 with
//   error_code 9015 (form invalid), an unknown path 404 without a body; the server keeps serving.
// - Errors carry the §3.6 JSON body {"error_code":N,"error_message":"...","detail_message":null}.
// - Provision answers host=<m2m host>&port=<m2m port>&server_ts=<epoch seconds>& (the '&' after port is
//   required by v4.2.6); the M2M address is a setting (the M2M gate's address).
// - OTA check: answered from the newest image for the hard_version whatever the type (the MCU's hard
//   version differs from the module's); body soft_ver=..&download_url=http://<downloadHost>:<port>/fw/<name>
//   &fid=.., written raw (v4.2.6 takes download_url as it stands); nothing to offer -> 404 / 9027.
// - Faults: each endpoint has one fault slot, consumed per request (`count`) or persistent. A Status fault
//   answers without touching the registry. setDown(true) closes the listening socket (connections are
//   refused, the control endpoint too: use setDown(true, ms) / {"for_ms":N} to come back by itself).
// - /lab/m2m belongs to the M2M gate, which lives beside this server (the lab wires both): the server hands
//   those requests to a hook the lab sets (setM2mControl, e.g. M2mLabControl::hook()); without one they get
//   404, so a control endpoint never claims faults it cannot inject.
// - The request log holds the module's requests (the API's endpoints, 404s and malformed requests), newest
//   last, at most kMaxLoggedRequests; control requests (/lab/...) are not logged.
// - The control endpoint is the lab's, not the modules': every /lab/... request must carry
//   "Authorization: Bearer <controlSecret>" (401 otherwise, before a large body is read); without a secret it
//   is closed (403). Firmware comes as an upload (hex/base64 in the body) or by name from firmwareDirectory:
//   regular files inside it (symlinks resolved), at most kMaxFirmwareBytes (docs/virtual-lab.md, security).

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QTimer>
#include <array>
#include <functional>
#include <optional>
#include <string_view>

#include "gizrig/cloud/api_fault.h"

namespace gagent::proto {
class HttpRequestParser;
}

namespace gizrig::cloud {

class DeviceRegistry;
class FirmwareStore;
struct PublishedFirmware;

namespace detail {
class ApiConnection;
struct ApiAnswer;
}  // namespace detail

struct CloudApiSettings {
  // Where provisioned modules find the M2M broker (the lab's M2M gate).
  QString m2mHost = QStringLiteral("127.0.0.1");
  quint16 m2mPort = 1883;
  // Host part of the OTA download_url; the port is this server's own.
  QString downloadHost = QStringLiteral("127.0.0.1");
  // Register accepts only these product keys (others: 400 / 9002); empty = any.
  QStringList productKeys;
  // S8.4.5: when set, provision adds 3rd_cloud=<thirdCloud>&product_uuid=<productUuid>.
  QString thirdCloud;
  QString productUuid;
  // The per-lab secret of the control endpoint (/lab/...); empty = the control endpoint refuses everything.
  QString controlSecret;
  // Where POST /lab/firmware {"path":...} may read from; empty = only uploads.
  QString firmwareDirectory;
};

// One HTTP request as the server received it.
struct ApiRequestRecord {
  QDateTime time;
  QString method;  // empty when the request line did not parse
  QString path;
  QList<QPair<QString, QString>> form;  // the body's form fields, decoded where possible
  std::optional<ApiEndpoint> endpoint;  // nullopt: not one of the API's endpoints
  quint16 status = 0;                   // answered status; 0 = no HTTP answer (close or stall)
  ApiFault::Kind fault = ApiFault::Kind::None;
  [[nodiscard]] std::optional<QString> field(const QString& key) const;
};

// A /lab/... request answered outside this server: the method ("GET", "POST"), the body (JSON for a POST) ->
// the status and the JSON answer (a refusal as {"error":"..."}).
struct LabControlAnswer {
  quint16 status = 200;
  QJsonDocument body;
};
using LabControlHook = std::function<LabControlAnswer(const QString& method, const QByteArray& body)>;

class CloudApiServer : public QObject {
  Q_OBJECT
 public:
  static constexpr int kPersistent = -1;
  static constexpr qsizetype kMaxLoggedRequests = 10'000;
  // The biggest image /lab/firmware publishes (the biggest SPI flash of these modules).
  static constexpr qint64 kMaxFirmwareBytes = 16LL * 1024 * 1024;

  // The registry and the store must outlive the server.
  CloudApiServer(DeviceRegistry& registry, FirmwareStore& firmware, CloudApiSettings settings = {},
                 QObject* parent = nullptr);
  ~CloudApiServer() override;

  // Listens on a loopback address (127.0.0.0/8 only); port 0 picks a free port. False with errorString().
  bool listen(quint16 port = 0, const QHostAddress& address = QHostAddress::LocalHost);
  void close();
  [[nodiscard]] bool isListening() const { return server_.isListening(); }
  [[nodiscard]] quint16 port() const { return port_; }
  [[nodiscard]] QHostAddress address() const { return address_; }
  [[nodiscard]] QString errorString() const { return error_; }

  [[nodiscard]] const CloudApiSettings& settings() const { return settings_; }
  void setSettings(const CloudApiSettings& settings) { settings_ = settings; }
  void setM2mAddress(const QString& host, quint16 port);

  // /lab/m2m requests go to `hook` (the lab's M2M gate control); an empty hook: 404.
  void setM2mControl(LabControlHook hook) { m2mControl_ = std::move(hook); }

  // Down: the listening socket is closed (connect refused). With forMs > 0 it comes back by itself.
  // Coming back can fail when another program took the port meanwhile: false with errorString().
  bool setDown(bool down, int forMs = 0);
  [[nodiscard]] bool isDown() const { return down_; }

  // The next `count` requests to `endpoint` (or all of them, kPersistent) get `fault`; ApiFault{} clears.
  void setFault(ApiEndpoint endpoint, const ApiFault& fault, int count = kPersistent);
  void clearFaults();
  // The fault waiting for `endpoint` and how many requests it still applies to (kPersistent = all).
  [[nodiscard]] std::optional<QPair<ApiFault, int>> fault(ApiEndpoint endpoint) const;

  [[nodiscard]] const QList<ApiRequestRecord>& requests() const { return requests_; }
  void clearRequests() { requests_.clear(); }
  [[nodiscard]] QString downloadUrl(const PublishedFirmware& firmware) const;

 signals:
  void requestLogged(const gizrig::cloud::ApiRequestRecord& record);

 private:
  struct FaultSlot {
    ApiFault fault;
    int remaining = 0;
  };

  void acceptConnections();
  void handleRequest(detail::ApiConnection* connection);
  void handleMalformed(detail::ApiConnection* connection);
  // Whether a /lab/... request carries the control secret (constant-time comparison).
  [[nodiscard]] bool controlAuthorized(const gagent::proto::HttpRequestParser& request) const;
  void log(ApiRequestRecord record);
  std::optional<ApiFault> takeFault(ApiEndpoint endpoint);

  // cloud_api_endpoints.cpp: the module's API.
  detail::ApiAnswer route(const gagent::proto::HttpRequestParser& request, std::string_view body,
                          ApiRequestRecord& record);
  detail::ApiAnswer faultAnswer(ApiEndpoint endpoint, const ApiFault& fault, std::string_view segment);
  detail::ApiAnswer registerDevice(std::string_view body);
  detail::ApiAnswer provision(std::string_view did);
  detail::ApiAnswer unregister(std::string_view body);
  detail::ApiAnswer otaCheck(std::string_view did, std::string_view body);
  detail::ApiAnswer download(std::string_view name);

  // cloud_api_control.cpp: /lab/... for the rig and scripts.
  detail::ApiAnswer control(std::string_view method, std::string_view path, std::string_view body);
  detail::ApiAnswer controlFault(std::string_view body);
  detail::ApiAnswer controlFaults() const;
  detail::ApiAnswer controlPublishFirmware(std::string_view body);
  // The bytes of a "path" source: a regular file inside settings_.firmwareDirectory, size-capped.
  std::optional<QByteArray> readFirmwareFile(const QString& path, QString& error) const;
  detail::ApiAnswer controlFirmwareList() const;
  detail::ApiAnswer controlDevices() const;
  detail::ApiAnswer controlRemoveDevice(std::string_view did);
  detail::ApiAnswer controlRequests() const;
  detail::ApiAnswer controlDown(std::string_view body);

  DeviceRegistry& registry_;
  FirmwareStore& firmware_;
  CloudApiSettings settings_;
  QTcpServer server_;
  QHostAddress address_;
  quint16 port_ = 0;
  bool down_ = false;
  QTimer upTimer_;
  QString error_;
  std::array<FaultSlot, kApiEndpointCount> faults_{};
  LabControlHook m2mControl_;
  QList<ApiRequestRecord> requests_;
};

}  // namespace gizrig::cloud
