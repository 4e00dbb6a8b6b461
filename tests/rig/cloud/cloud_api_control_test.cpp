// The control endpoint (/lab/...): JSON round trips for the rig and scripts, and clear refusals.
#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include "cloud_api_test_support.h"

using namespace cloudtest;
using gizrig::cloud::ApiEndpoint;
using gizrig::cloud::ApiFault;
using gizrig::cloud::CloudApiServer;

namespace {

using CloudApiControlTest = CloudApiFixture;

QString errorOf(const Response& response) {
  return json(response).object().value(QStringLiteral("error")).toString();
}

}  // namespace

TEST_F(CloudApiControlTest, S8_4_4_FaultRequestSetsACountedStatusFault) {
  const std::string did = registerDevice();
  const Response set = send(
      controlRequest("POST", "/lab/fault",
                     R"({"endpoint":"provision","kind":"status","status":400,"error_code":9016,"count":1})"));
  EXPECT_EQ(set.code(), 200);
  EXPECT_EQ(set.text(), R"({"ok":true})");
  const auto fault = server_->fault(ApiEndpoint::Provision);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->first.kind, ApiFault::Kind::Status);
  EXPECT_EQ(fault->first.status, 400);
  EXPECT_EQ(fault->first.errorCode, 9016);
  EXPECT_EQ(fault->second, 1);

  const Response listed = send(controlRequest("GET", "/lab/faults"));
  EXPECT_EQ(listed.text(), R"({"provision":{"count":1,"error_code":9016,"kind":"status","status":400}})");

  const Response refused = send(provisionRequest(did));
  EXPECT_EQ(proto::parseProvisionResponse(refused.code(), refused.text()).errorCode,
            proto::CloudErrorCode::DidOrPasscodeInvalid);
  EXPECT_EQ(send(provisionRequest(did)).code(), 200);
}

TEST_F(CloudApiControlTest, FaultKindsCountsAndClearingThroughJson) {
  EXPECT_EQ(
      send(controlRequest("POST", "/lab/fault", R"({"endpoint":"download","kind":"delay","delay_ms":250})"))
          .code(),
      200);
  EXPECT_EQ(server_->fault(ApiEndpoint::Download)->first.delayMs, 250);
  EXPECT_EQ(server_->fault(ApiEndpoint::Download)->second, CloudApiServer::kPersistent);
  EXPECT_EQ(
      send(controlRequest("POST", "/lab/fault", R"({"endpoint":"*","kind":"stall","count":"persistent"})"))
          .code(),
      200);
  for (std::size_t i = 0; i < gizrig::cloud::kApiEndpointCount; ++i) {
    EXPECT_EQ(server_->fault(static_cast<ApiEndpoint>(i))->first.kind, ApiFault::Kind::Stall);
  }
  EXPECT_EQ(send(controlRequest("POST", "/lab/fault", R"({"endpoint":"ota-check","kind":"none"})")).code(),
            200);
  EXPECT_FALSE(server_->fault(ApiEndpoint::OtaCheck).has_value());
  EXPECT_EQ(send(controlRequest("POST", "/lab/fault", R"({"endpoint":"*","kind":"none"})")).code(), 200);
  EXPECT_EQ(send(controlRequest("GET", "/lab/faults")).text(), "{}");
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiControlTest, S9_6_PublishedFirmwareIsOfferedAndDownloaded) {
  // 3000 bytes as hex: a body well beyond the request parser's 1024-byte limit.
  QByteArray image(3000, '\0');
  for (qsizetype i = 0; i < image.size(); ++i) image[i] = static_cast<char>(i);
  const QByteArray body =
      R"({"hard_version":"00ESP826","soft_version":"04020008","fid":8,"hex":")" + image.toHex() + R"("})";
  const Response published = send(controlRequest("POST", "/lab/firmware", body));
  EXPECT_EQ(published.code(), 201) << published.text();
  const QJsonObject info = json(published).object();
  EXPECT_EQ(info.value(QStringLiteral("name")).toString(), QStringLiteral("00ESP826_04020008_8.bin"));
  EXPECT_EQ(info.value(QStringLiteral("size")).toInteger(), 3000);
  EXPECT_EQ(info.value(QStringLiteral("md5")).toString(),
            QString::fromLatin1(QCryptographicHash::hash(image, QCryptographicHash::Md5).toHex()));

  const std::string did = registerDevice();
  const Response offer = send(otaCheckRequest(did, kPasscode, "00ESP826", 1));
  const auto reply = proto::parseOtaCheckResponse(offer.code(), offer.text());
  ASSERT_TRUE(reply.ok()) << offer.text();
  EXPECT_EQ(QString::fromStdString(std::string(reply.value.downloadUrl)),
            info.value(QStringLiteral("download_url")).toString());
  const Response download = send(downloadRequest(std::string(reply.value.downloadUrl)));
  EXPECT_EQ(download.body, image);

  const Response listed = send(controlRequest("GET", "/lab/firmware"));
  ASSERT_EQ(json(listed).array().size(), 1);
  EXPECT_EQ(json(listed).array().at(0).toObject().value(QStringLiteral("fid")).toInteger(), 8);
}

TEST_F(CloudApiControlTest, FirmwareAsBase64OrFromAFile) {
  const Response b64 = send(
      controlRequest("POST", "/lab/firmware",
                     R"({"hard_version":"MCU","soft_version":"2","fid":2,"format":"hex","base64":"OjAw"})"));
  EXPECT_EQ(b64.code(), 201) << b64.text();
  EXPECT_EQ(firmware_.bytes(QStringLiteral("MCU_2_2.hex")), QByteArray(":00"));

  // A name in the lab's firmware directory, or a path that resolves into it.
  QFile file(QDir(firmwareDir()).filePath(QStringLiteral("image.bin")));
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("from a file");
  file.close();
  EXPECT_EQ(send(controlRequest("POST", "/lab/firmware",
                                R"({"hard_version":"HW","soft_version":"3","fid":3,"path":"image.bin"})"))
                .code(),
            201);
  EXPECT_EQ(firmware_.bytes(QStringLiteral("HW_3_3.bin")), QByteArray("from a file"));
  const QByteArray body =
      R"({"hard_version":"HW","soft_version":"4","fid":4,"path":")" + file.fileName().toUtf8() + R"("})";
  EXPECT_EQ(send(controlRequest("POST", "/lab/firmware", body)).code(), 201);
  EXPECT_EQ(firmware_.bytes(QStringLiteral("HW_4_4.bin")), QByteArray("from a file"));
}

TEST_F(CloudApiControlTest, DevicesAreListedAndCanBeForgotten) {
  const std::string did = registerDevice();
  const Response listed = send(controlRequest("GET", "/lab/devices"));
  EXPECT_EQ(listed.code(), 200);
  EXPECT_EQ(listed.header("Content-Type"), "application/json");
  const QJsonArray devices = json(listed).array();
  ASSERT_EQ(devices.size(), 1);
  const QJsonObject device = devices.at(0).toObject();
  EXPECT_EQ(device.value(QStringLiteral("did")).toString().toStdString(), did);
  EXPECT_EQ(device.value(QStringLiteral("mac")).toString().toStdString(), kMacHex);
  EXPECT_EQ(device.value(QStringLiteral("passcode")).toString().toStdString(), kPasscode);
  EXPECT_EQ(device.value(QStringLiteral("product_key")).toString().toStdString(), kProductKey);
  EXPECT_FALSE(device.value(QStringLiteral("registered")).toString().isEmpty());

  EXPECT_EQ(send(controlRequest("DELETE", "/lab/devices/" + QByteArray::fromStdString(did))).code(), 200);
  EXPECT_TRUE(registry_.devices().isEmpty());
  EXPECT_EQ(send(controlRequest("DELETE", "/lab/devices/" + QByteArray::fromStdString(did))).code(), 404);
}

TEST_F(CloudApiControlTest, RequestsAreListedWithoutControlTrafficAndCanBeCleared) {
  const std::string did = registerDevice();
  send(provisionRequest("WKgkQa4wHqaXyTnqDn2uDM"));
  const Response listed = send(controlRequest("GET", "/lab/requests"));
  const QJsonArray requests = json(listed).array();
  ASSERT_EQ(requests.size(), 2);
  const QJsonObject first = requests.at(0).toObject();
  EXPECT_EQ(first.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
  EXPECT_EQ(first.value(QStringLiteral("path")).toString(), QStringLiteral("/dev/devices"));
  EXPECT_EQ(first.value(QStringLiteral("endpoint")).toString(), QStringLiteral("register"));
  EXPECT_EQ(first.value(QStringLiteral("status")).toInt(), 201);
  EXPECT_EQ(first.value(QStringLiteral("fault")).toString(), QStringLiteral("none"));
  EXPECT_EQ(
      first.value(QStringLiteral("form")).toObject().value(QStringLiteral("mac")).toString().toStdString(),
      kMacHex);
  const QJsonObject second = requests.at(1).toObject();
  EXPECT_EQ(second.value(QStringLiteral("endpoint")).toString(), QStringLiteral("provision"));
  EXPECT_EQ(second.value(QStringLiteral("status")).toInt(), 400);

  EXPECT_EQ(send(controlRequest("DELETE", "/lab/requests")).code(), 200);
  EXPECT_TRUE(server_->requests().isEmpty());
  EXPECT_EQ(send(controlRequest("GET", "/lab/requests")).text(), "[]");
}

TEST_F(CloudApiControlTest, RequestLogSignalCarriesEachRecord) {
  QStringList seen;
  QObject::connect(server_.get(), &CloudApiServer::requestLogged,
                   [&](const gizrig::cloud::ApiRequestRecord& record) { seen << record.path; });
  registerDevice();
  send(controlRequest("GET", "/lab/devices"));
  EXPECT_EQ(seen, QStringList{QStringLiteral("/dev/devices")});
}

TEST_F(CloudApiControlTest, BadControlRequestsAre400WithAMessage) {
  struct Case {
    QByteArray path;
    QByteArray body;
    QString error;
  };
  const Case cases[] = {
      {"/lab/fault", "not json", QStringLiteral("body is not JSON")},
      {"/lab/fault", "[1]", QStringLiteral("body must be a JSON object")},
      {"/lab/fault", R"({"endpoint":"nowhere","kind":"close"})", QStringLiteral("\"endpoint\" must be")},
      {"/lab/fault", R"({"endpoint":"register","kind":"explode"})", QStringLiteral("\"kind\" must be")},
      {"/lab/fault", R"({"endpoint":"register","kind":"status"})", QStringLiteral("\"status\" is required")},
      {"/lab/fault", R"({"endpoint":"register","kind":"status","status":700})",
       QStringLiteral("\"status\" must be an integer from 100 to 599")},
      {"/lab/fault", R"({"endpoint":"register","kind":"delay"})", QStringLiteral("\"delay_ms\" is required")},
      {"/lab/fault", R"({"endpoint":"register","kind":"close","count":0})",
       QStringLiteral("\"count\" must be an integer")},
      {"/lab/fault", R"({"endpoint":"register","kind":"close","count":1.5})",
       QStringLiteral("\"count\" must be an integer")},
      {"/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":1,"hex":"abc"})",
       QStringLiteral("\"hex\" is not")},
      {"/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":1,"base64":"!!"})",
       QStringLiteral("\"base64\" is not")},
      {"/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":1})",
       QStringLiteral("give exactly one")},
      {"/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":-1,"hex":""})",
       QStringLiteral("\"fid\" must be")},
      {"/lab/firmware", R"({"soft_version":"1","fid":1,"hex":""})", QStringLiteral("\"hard_version\"")},
      {"/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":1,"path":"nonexistent"})",
       QStringLiteral("\"path\" must name a file in the lab's firmware directory")},
      {"/lab/down", R"({"down":"yes"})", QStringLiteral("\"down\" must be")},
      {"/lab/down", R"({"down":true})", QStringLiteral("\"for_ms\" is required")},
  };
  for (const Case& c : cases) {
    const Response response = send(controlRequest("POST", c.path, c.body));
    EXPECT_EQ(response.code(), 400) << c.body.toStdString();
    EXPECT_TRUE(errorOf(response).startsWith(c.error))
        << c.body.toStdString() << " -> " << errorOf(response).toStdString();
  }
  EXPECT_FALSE(server_->fault(ApiEndpoint::Register).has_value());
  EXPECT_TRUE(firmware_.list().isEmpty());
  EXPECT_FALSE(server_->isDown());

  const Response unknown = send(controlRequest("GET", "/lab/nothing"));
  EXPECT_EQ(unknown.code(), 404);
  EXPECT_FALSE(errorOf(unknown).isEmpty());
  const Response malformed = send("POST /lab/fault HTTP/1.1\r\nContent-Length: x\r\n\r\n");
  EXPECT_EQ(malformed.code(), 400);
  EXPECT_TRUE(errorOf(malformed).startsWith(QStringLiteral("malformed HTTP request")));
  EXPECT_TRUE(server_->requests().isEmpty());
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiControlTest, DownRequestTakesTheServerDownForAWhile) {
  const Response response = send(controlRequest("POST", "/lab/down", R"({"down":true,"for_ms":300})"));
  EXPECT_EQ(response.code(), 200);
  spin(50);
  EXPECT_TRUE(server_->isDown());
  EXPECT_TRUE(exchange(port(), registerRequest(), 5000).refused);
  QElapsedTimer deadline;
  deadline.start();
  while (server_->isDown() && deadline.elapsed() < 20'000) spin(50);
  EXPECT_FALSE(registerDevice().empty());
}
