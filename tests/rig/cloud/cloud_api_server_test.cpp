// CloudApiServer: the module's HTTP API over real loopback sockets, requests built by the firmware's own
// builders (proto/cloud_http.h) and answers read by its parsers, as GAgent v4.2.6 talks to the cloud.
#include "gizrig/cloud/cloud_api_server.h"

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QDateTime>

#include "cloud_api_test_support.h"

using namespace cloudtest;
using gizrig::cloud::ApiEndpoint;

namespace {

constexpr std::string_view kError9015 =
    R"({"error_code":9015,"error_message":"form invalid","detail_message":null})";
constexpr std::string_view kError9016 =
    R"({"error_code":9016,"error_message":"did or passcode invalid","detail_message":null})";

using CloudApiServerTest = CloudApiFixture;

}  // namespace

TEST_F(CloudApiServerTest, S8_2_RegisterAnswers201WithA22CharacterDid) {
  const Response response = send(registerRequest());
  EXPECT_EQ(response.code(), 201);
  EXPECT_EQ(response.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(response.header("Connection"), "close");
  const auto reply = proto::parseRegisterResponse(response.code(), response.text());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(response.text(), "did=" + std::string(reply.value));
  const auto device = registry_.find(QString::fromStdString(std::string(reply.value)));
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->mac.toStdString(), kMacHex);
  EXPECT_EQ(device->passcode.toStdString(), kPasscode);
  EXPECT_EQ(device->productKey.toStdString(), kProductKey);

  ASSERT_EQ(server_->requests().size(), 1);
  const auto& record = server_->requests().front();
  EXPECT_EQ(record.method, QStringLiteral("POST"));
  EXPECT_EQ(record.path, QStringLiteral("/dev/devices"));
  EXPECT_EQ(record.endpoint, ApiEndpoint::Register);
  EXPECT_EQ(record.status, 201);
  EXPECT_EQ(record.field(QStringLiteral("mac")), QString::fromLatin1(kMacHex.data(), 12));
  EXPECT_EQ(record.field(QStringLiteral("passcode")), QStringLiteral("PHHLXAKMEI"));
}

TEST_F(CloudApiServerTest, S8_2_RegisterAgainKeepsTheDidWithTheNewPasscode) {
  const std::string first = registerDevice("OLDPASSCOD");
  const std::string again = registerDevice("NEWPASSCOD");
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(again, first);
  EXPECT_TRUE(registry_.authenticate(QString::fromStdString(first), QStringLiteral("NEWPASSCOD")));
}

TEST_F(CloudApiServerTest, S8_2_RegisterWithoutAUsableFormIs9015) {
  const QByteArray body = "passcode=P&product_key=pk&mac=12";  // a MAC of 2 hex characters
  const QByteArray noMac = "POST /dev/devices HTTP/1.1\r\nHost: api.gizwits.com\r\nContent-Length: " +
                           QByteArray::number(body.size()) + "\r\n\r\n" + body;
  const Response response = send(noMac);
  EXPECT_EQ(response.code(), 400);
  EXPECT_EQ(response.text(), kError9015);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  const auto reply = proto::parseRegisterResponse(response.code(), response.text());
  EXPECT_EQ(reply.errorCode, proto::CloudErrorCode::FormInvalid);
  EXPECT_TRUE(registry_.devices().isEmpty());
}

TEST_F(CloudApiServerTest, S8_2_ProductKeyOutsideTheAllowListIs9002) {
  auto settings = server_->settings();
  settings.productKeys = QStringList{QStringLiteral("allowed")};
  server_->setSettings(settings);
  const Response refused = send(registerRequest());
  EXPECT_EQ(refused.code(), 400);
  EXPECT_EQ(refused.text(),
            R"({"error_code":9002,"error_message":"product_key invalid","detail_message":null})");
  EXPECT_TRUE(registry_.devices().isEmpty());
  const Response accepted = send(registerRequest(kPasscode, kMac, "allowed"));
  EXPECT_EQ(accepted.code(), 201);
}

TEST_F(CloudApiServerTest, S8_4_1_ProvisionGivesTheM2mAddressAndServerTime) {
  const std::string did = registerDevice();
  const qint64 before = QDateTime::currentSecsSinceEpoch();
  const Response response = send(provisionRequest(did));
  const qint64 after = QDateTime::currentSecsSinceEpoch();
  EXPECT_EQ(response.code(), 200);
  const auto reply = proto::parseProvisionResponse(response.code(), response.text());
  ASSERT_TRUE(reply.ok()) << response.text();
  EXPECT_EQ(reply.value.host, "127.0.0.1");
  EXPECT_EQ(reply.value.port, kM2mPort);
  ASSERT_TRUE(reply.value.serverTs.has_value());
  EXPECT_GE(static_cast<qint64>(*reply.value.serverTs), before);
  EXPECT_LE(static_cast<qint64>(*reply.value.serverTs), after);
  EXPECT_FALSE(reply.value.thirdCloud.has_value());
  EXPECT_EQ(response.text(),
            "host=127.0.0.1&port=18830&server_ts=" + std::to_string(*reply.value.serverTs) + "&");
}

TEST_F(CloudApiServerTest, S8_4_1_ProvisionFollowsTheM2mSettingAndThirdCloud) {
  const std::string did = registerDevice();
  server_->setM2mAddress(QStringLiteral("127.0.0.1"), 24001);
  auto settings = server_->settings();
  settings.thirdCloud = QStringLiteral("jd");
  settings.productUuid = QStringLiteral("uuid1");
  server_->setSettings(settings);
  const Response response = send(provisionRequest(did));
  const auto reply = proto::parseProvisionResponse(response.code(), response.text());
  ASSERT_TRUE(reply.ok()) << response.text();
  EXPECT_EQ(reply.value.port, 24001);
  EXPECT_EQ(reply.value.thirdCloud, "jd");
  EXPECT_EQ(reply.value.productUuid, "uuid1");
}

TEST_F(CloudApiServerTest, S8_4_4_ProvisionOfAnUnknownDidIs9016) {
  const Response response = send(provisionRequest("WKgkQa4wHqaXyTnqDn2uDM"));
  EXPECT_EQ(response.code(), 400);
  EXPECT_EQ(response.text(), kError9016);
  const auto reply = proto::parseProvisionResponse(response.code(), response.text());
  EXPECT_EQ(reply.error, proto::CloudReplyError::HttpStatus);
  EXPECT_EQ(reply.errorCode, proto::CloudErrorCode::DidOrPasscodeInvalid);
}

TEST_F(CloudApiServerTest, S8_3_UnregisterForgetsTheDevice) {
  const std::string did = registerDevice();
  const Response wrong = send(unregisterRequest(did, "WRONGPASSC"));
  EXPECT_EQ(wrong.code(), 400);
  EXPECT_EQ(wrong.text(), kError9016);
  EXPECT_TRUE(registry_.find(QString::fromStdString(did)));

  QStringList gone;
  QObject::connect(&registry_, &gizrig::cloud::DeviceRegistry::deviceUnregistered,
                   [&](const QString& d) { gone << d; });
  const Response response = send(unregisterRequest(did, kPasscode));
  EXPECT_EQ(response.code(), 200);
  EXPECT_EQ(response.text(), "");
  EXPECT_FALSE(registry_.find(QString::fromStdString(did)));
  EXPECT_EQ(gone, QStringList{QString::fromStdString(did)});
  // The forgotten DID provisions no more (S8.4.4).
  EXPECT_EQ(send(provisionRequest(did)).text(), kError9016);
}

TEST_F(CloudApiServerTest, S9_6_OtaCheckOffersAnImageWithAnotherFid) {
  const std::string did = registerDevice();
  const auto firmware = firmware_.publish(QStringLiteral("00ESP826"), QStringLiteral("04020007"), 7, "image");
  ASSERT_TRUE(firmware);
  const Response response = send(otaCheckRequest(did, kPasscode, "00ESP826", 1));
  EXPECT_EQ(response.code(), 200);
  const std::string url = "http://127.0.0.1:" + std::to_string(port()) + "/fw/00ESP826_04020007_7.bin";
  EXPECT_EQ(response.text(), "soft_ver=04020007&download_url=" + url + "&fid=7");
  const auto reply = proto::parseOtaCheckResponse(response.code(), response.text());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply.value.softVersion, "04020007");
  EXPECT_EQ(reply.value.downloadUrl, url);
  EXPECT_EQ(reply.value.fid, 7U);
  const auto& record = server_->requests().back();
  EXPECT_EQ(record.endpoint, ApiEndpoint::OtaCheck);
  EXPECT_EQ(record.field(QStringLiteral("current_fid")), QStringLiteral("1"));
  EXPECT_EQ(record.field(QStringLiteral("hard_version")), QStringLiteral("00ESP826"));
}

TEST_F(CloudApiServerTest, S9_6_OtaCheckWithTheSameFidOrUnknownHardwareIs9027) {
  const std::string did = registerDevice();
  ASSERT_TRUE(firmware_.publish(QStringLiteral("00ESP826"), QStringLiteral("04020007"), 7, "image"));
  constexpr std::string_view kError9027 =
      R"({"error_code":9027,"error_message":"firmware not found","detail_message":null})";
  const Response same = send(otaCheckRequest(did, kPasscode, "00ESP826", 7));
  EXPECT_EQ(same.code(), 404);
  EXPECT_EQ(same.text(), kError9027);
  EXPECT_FALSE(proto::parseOtaCheckResponse(same.code(), same.text()).ok());
  EXPECT_EQ(send(otaCheckRequest(did, kPasscode, "OTHERHW", 1)).text(), kError9027);
  const Response wrong = send(otaCheckRequest(did, "WRONGPASSC", "00ESP826", 1));
  EXPECT_EQ(wrong.code(), 400);
  EXPECT_EQ(wrong.text(), kError9016);
}

TEST_F(CloudApiServerTest, S9_6_DownloadCarriesLengthMd5AndSoftVersion) {
  QByteArray image(5000, '\0');
  for (qsizetype i = 0; i < image.size(); ++i) image[i] = static_cast<char>(i * 7);
  const auto firmware = firmware_.publish(QStringLiteral("00ESP826"), QStringLiteral("04020007"), 7, image);
  ASSERT_TRUE(firmware);
  const Response response = send(downloadRequest(server_->downloadUrl(*firmware).toStdString()));
  EXPECT_EQ(response.code(), 200);
  const auto info = proto::parseFirmwareDownloadHeaders(*response.parser);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value.contentLength, 5000U);
  EXPECT_EQ(info.value.softVersion, "04020007");
  EXPECT_EQ(info.value.filename, "00ESP826_04020007_7.bin");
  EXPECT_EQ(info.value.format, proto::FirmwareImageFormat::Bin);
  ASSERT_TRUE(info.value.md5.has_value());
  const QByteArray md5 = QCryptographicHash::hash(image, QCryptographicHash::Md5);
  EXPECT_EQ(QByteArray(reinterpret_cast<const char*>(info.value.md5->data()), 16), md5);
  EXPECT_EQ(response.header("Firmware-MD5"), md5.toHex().toStdString());
  EXPECT_EQ(response.body, image);
}

TEST_F(CloudApiServerTest, DownloadOfAnUnknownNameIs9027) {
  const Response response =
      send(downloadRequest("http://127.0.0.1:" + std::to_string(port()) + "/fw/none.bin"));
  EXPECT_EQ(response.code(), 404);
  EXPECT_EQ(response.text(),
            R"({"error_code":9027,"error_message":"firmware not found","detail_message":null})");
}

TEST_F(CloudApiServerTest, UnknownPathIs404WithoutBody) {
  const Response response = send("GET /nothing/here HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(response.code(), 404);
  EXPECT_EQ(response.text(), "");
  ASSERT_EQ(server_->requests().size(), 1);
  EXPECT_FALSE(server_->requests().front().endpoint.has_value());
  EXPECT_EQ(server_->requests().front().status, 404);
}

TEST_F(CloudApiServerTest, MalformedHttpIs400AndTheServerKeepsServing) {
  const QByteArray malformed[] = {
      "this is not http\r\n\r\n",
      "POST /dev/devices HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
      "POST /dev/devices HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /dev/devices HTTP/1.1\r\nContent-Length: 99999\r\n\r\n",
      QByteArray("GET /\x01 HTTP/1.1\r\n\r\n"),
      "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
  };
  for (const QByteArray& request : malformed) {
    const Response response = send(request);
    EXPECT_EQ(response.code(), 400) << request.toStdString();
    EXPECT_EQ(response.text(), kError9015) << request.toStdString();
  }
  // A head larger than the parser's limit, too.
  const Response huge = send("GET /" + QByteArray(5000, 'a') + " HTTP/1.1\r\n\r\n");
  EXPECT_EQ(huge.code(), 400);
  EXPECT_EQ(server_->requests().size(), std::size(malformed) + 1);
  EXPECT_EQ(server_->requests().back().status, 400);

  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiServerTest, APeerThatGivesUpMidRequestDoesNotDisturbTheServer) {
  const WireResult partial =
      exchange(port(), "POST /dev/devices HTTP/1.1\r\nContent-Length: 50\r\n\r\npass", 300);
  EXPECT_TRUE(partial.timedOut);  // no answer to half a request; the client closes here
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiServerTest, RefusesToListenOffLoopback) {
  gizrig::cloud::CloudApiServer other(registry_, firmware_);
  EXPECT_FALSE(other.listen(0, QHostAddress::Any));
  EXPECT_FALSE(other.errorString().isEmpty());
}
