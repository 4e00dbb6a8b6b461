#pragma once
// Shared by the stand-in cloud API tests: a QCoreApplication, a client that talks to the server over a real
// loopback socket while the event loop runs (the server lives in the same thread), the firmware's request
// builders (proto/cloud_http.h) and a response reader (proto HttpResponseParser).

#include <gtest/gtest.h>

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "gagent/proto/cloud_http.h"
#include "gagent/proto/http_parser.h"
#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"

namespace cloudtest {

namespace proto = gagent::proto;

inline void ensureQtApp() {
  if (QCoreApplication::instance() != nullptr) return;
  static int argc = 1;
  static char name[] = "cloud_api_test";
  static char* argv[] = {name, nullptr};
  new QCoreApplication(argc, argv);  // lives until the test program ends
}

inline std::string_view view(const QByteArray& bytes) {
  return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

// What one connection to the server brought back.
struct WireResult {
  bool refused = false;       // connect failed
  bool closedByPeer = false;  // the server closed the connection
  bool timedOut = false;      // neither happened within the wait
  QByteArray bytes;           // everything the server sent
};

// Connects, sends `request`, and runs the event loop until the server closes, the connect fails or
// `waitMs` passes. The waits are generous upper bounds, never speed assertions.
inline WireResult exchange(quint16 port, const QByteArray& request, int waitMs = 20'000) {
  WireResult result;
  QTcpSocket socket;
  QEventLoop loop;
  QTimer timer;
  timer.setSingleShot(true);
  QObject::connect(&socket, &QTcpSocket::connected, [&] { socket.write(request); });
  QObject::connect(&socket, &QTcpSocket::readyRead, [&] { result.bytes += socket.readAll(); });
  QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
    result.bytes += socket.readAll();
    result.closedByPeer = true;
    loop.quit();
  });
  QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError error) {
    if (error == QAbstractSocket::RemoteHostClosedError) return;  // disconnected() follows
    result.refused = socket.state() != QAbstractSocket::ConnectedState && !result.closedByPeer;
    loop.quit();
  });
  QObject::connect(&timer, &QTimer::timeout, [&] {
    result.timedOut = true;
    loop.quit();
  });
  socket.connectToHost(QHostAddress::LocalHost, port);
  timer.start(waitMs);
  loop.exec();
  // The socket closes when it goes away: that must not count as the server closing (nor touch the loop).
  QObject::disconnect(&socket, nullptr, nullptr, nullptr);
  socket.abort();
  return result;
}

// Runs the event loop for `ms` (lets the server work while the test waits).
inline void spin(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

// A response read with the firmware's parser family.
struct Response {
  std::unique_ptr<proto::HttpResponseParser> parser = std::make_unique<proto::HttpResponseParser>();
  proto::ParseStatus status = proto::ParseStatus::NeedMore;
  QByteArray body;
  [[nodiscard]] quint16 code() const { return parser->statusCode(); }
  [[nodiscard]] std::string_view text() const { return view(body); }
  [[nodiscard]] std::string header(std::string_view name) const {
    const auto value = parser->header(name);
    return value ? std::string(*value) : std::string("<none>");
  }
};

inline Response parseResponse(const QByteArray& bytes) {
  Response response;
  response.status = response.parser->feedAll(proto::asBytes(view(bytes)), [&](proto::Bytes piece) {
    response.body.append(reinterpret_cast<const char*>(piece.data()), static_cast<qsizetype>(piece.size()));
  });
  if (response.status == proto::ParseStatus::NeedMore) response.status = response.parser->finishOnClose();
  return response;
}

// One request, its whole answer parsed; fails the test when the server did not answer and close.
inline Response call(quint16 port, const QByteArray& request) {
  const WireResult wire = exchange(port, request);
  EXPECT_TRUE(wire.closedByPeer) << "refused=" << wire.refused << " timedOut=" << wire.timedOut;
  Response response = parseResponse(wire.bytes);
  EXPECT_EQ(response.status, proto::ParseStatus::Ok) << wire.bytes.toStdString();
  return response;
}

// ---- requests as the firmware builds them ----

template <typename Build>
QByteArray built(Build&& build) {
  std::array<std::uint8_t, 2048> buffer{};
  const std::size_t size = build(proto::MutableBytes(buffer));
  EXPECT_GT(size, 0U);
  return {reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(size)};
}

inline constexpr std::array<std::uint8_t, 6> kMac{0xA0, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F};
inline constexpr std::string_view kMacHex = "A01B2C3D4E5F";
inline constexpr std::string_view kProductKey = "6f3074fe43894547a4f1314bd7e3ae0b";
inline constexpr std::string_view kPasscode = "PHHLXAKMEI";

inline QByteArray registerRequest(std::string_view passcode = kPasscode,
                                  const std::array<std::uint8_t, 6>& mac = kMac,
                                  std::string_view productKey = kProductKey) {
  const proto::RegisterRequest request{.passcode = passcode, .mac = mac, .productKey = productKey};
  return built([&](proto::MutableBytes out) { return proto::buildRegisterRequest(out, request); });
}

inline QByteArray provisionRequest(std::string_view did) {
  return built([&](proto::MutableBytes out) { return proto::buildProvisionRequest(out, did); });
}

inline QByteArray unregisterRequest(std::string_view did, std::string_view passcode) {
  const proto::UnregisterRequest request{.did = did, .passcode = passcode};
  return built([&](proto::MutableBytes out) { return proto::buildUnregisterRequest(out, request); });
}

inline QByteArray otaCheckRequest(std::string_view did, std::string_view passcode,
                                  std::string_view hardVersion, std::uint32_t currentFid) {
  const proto::OtaCheckRequest request{.did = did,
                                       .passcode = passcode,
                                       .hardVersion = hardVersion,
                                       .softVersion = "04020006",
                                       .productKey = kProductKey,
                                       .currentFid = currentFid};
  return built([&](proto::MutableBytes out) { return proto::buildOtaCheckRequest(out, request); });
}

inline QByteArray downloadRequest(const std::string& url) {
  const auto parsed = proto::parseHttpUrl(url);
  EXPECT_TRUE(parsed.has_value()) << url;
  if (!parsed) return {};
  return built([&](proto::MutableBytes out) { return proto::buildFirmwareDownloadRequest(out, *parsed); });
}

// The control secret of the fixture's server (a lab generates one per start).
inline constexpr char kControlSecret[] = "0123456789abcdef-test-secret";

// A control request as a script sends it (there is no firmware builder for the rig's own endpoint), with
// `secret` as its Authorization (none when empty).
inline QByteArray controlRequest(const QByteArray& method, const QByteArray& path,
                                 const QByteArray& json = {}, const QByteArray& secret = kControlSecret) {
  QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!secret.isEmpty()) request += "Authorization: Bearer " + secret + "\r\n";
  if (!json.isEmpty()) {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n";
  }
  return request + "\r\n" + json;
}

inline QJsonDocument json(const Response& response) {
  return QJsonDocument::fromJson(response.body);
}

// A server on a free loopback port over a registry and firmware store in a fresh directory.
class CloudApiFixture : public ::testing::Test {
 protected:
  static constexpr quint16 kM2mPort = 18830;

  void SetUp() override {
    ensureQtApp();
    ASSERT_TRUE(dir_.isValid());
    ASSERT_TRUE(registry_.open(dbPath())) << registry_.lastError().toStdString();
    ASSERT_TRUE(firmware_.open(dbPath())) << firmware_.lastError().toStdString();
    gizrig::cloud::CloudApiSettings settings;
    settings.m2mHost = QStringLiteral("127.0.0.1");
    settings.m2mPort = kM2mPort;
    settings.controlSecret = QString::fromLatin1(kControlSecret);
    settings.firmwareDirectory = firmwareDir();
    ASSERT_TRUE(QDir().mkpath(firmwareDir()));
    server_ = std::make_unique<gizrig::cloud::CloudApiServer>(registry_, firmware_, settings);
    ASSERT_TRUE(server_->listen()) << server_->errorString().toStdString();
    ASSERT_NE(server_->port(), 0);
  }

  [[nodiscard]] QString dbPath() const { return dir_.filePath(QStringLiteral("cloud.db")); }
  [[nodiscard]] QString firmwareDir() const { return dir_.filePath(QStringLiteral("firmware")); }
  [[nodiscard]] quint16 port() const { return server_->port(); }
  Response send(const QByteArray& request) { return call(port(), request); }

  // Registers kMac through the API; the DID (empty on failure).
  std::string registerDevice(std::string_view passcode = kPasscode) {
    const Response response = send(registerRequest(passcode));
    const auto reply = proto::parseRegisterResponse(response.code(), response.text());
    EXPECT_TRUE(reply.ok()) << response.text();
    return reply.ok() ? std::string(reply.value) : std::string();
  }

  QTemporaryDir dir_;
  gizrig::cloud::DeviceRegistry registry_;
  gizrig::cloud::FirmwareStore firmware_;
  std::unique_ptr<gizrig::cloud::CloudApiServer> server_;
};

}  // namespace cloudtest
