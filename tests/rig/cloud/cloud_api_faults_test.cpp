// CloudApiServer fault injection at the wire level: status + error_code, garbage, delay, close without an
// answer, stall, counted or persistent, and the whole server down.
#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QElapsedTimer>

#include "cloud_api_test_support.h"

using namespace cloudtest;
using gizrig::cloud::ApiEndpoint;
using gizrig::cloud::ApiFault;
using gizrig::cloud::CloudApiServer;

namespace {

using CloudApiFaultTest = CloudApiFixture;

}  // namespace

TEST_F(CloudApiFaultTest, S8_4_4_StatusFaultAnswersTheCodeForCountRequestsThenNormally) {
  const std::string did = registerDevice();
  server_->setFault(ApiEndpoint::Provision, ApiFault::withStatus(400, 9016), 2);
  for (int i = 0; i < 2; ++i) {
    const Response response = send(provisionRequest(did));
    EXPECT_EQ(response.code(), 400);
    EXPECT_EQ(response.text(),
              R"({"error_code":9016,"error_message":"did or passcode invalid","detail_message":null})");
  }
  EXPECT_FALSE(server_->fault(ApiEndpoint::Provision).has_value());
  EXPECT_EQ(send(provisionRequest(did)).code(), 200);
  EXPECT_EQ(server_->requests().at(1).fault, ApiFault::Kind::Status);
  EXPECT_EQ(server_->requests().at(3).fault, ApiFault::Kind::None);
}

TEST_F(CloudApiFaultTest, StatusFaultWithoutCodeHasNoBodyAndChangesNothing) {
  server_->setFault(ApiEndpoint::Register, ApiFault::withStatus(503));
  for (int i = 0; i < 3; ++i) {
    const Response response = send(registerRequest());
    EXPECT_EQ(response.code(), 503);
    EXPECT_EQ(response.text(), "");
  }
  EXPECT_TRUE(registry_.devices().isEmpty());  // the request had no effect
  const auto fault = server_->fault(ApiEndpoint::Register);
  ASSERT_TRUE(fault.has_value());
  EXPECT_EQ(fault->second, CloudApiServer::kPersistent);
  server_->clearFaults();
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiFaultTest, FaultsStayOnTheirEndpoint) {
  server_->setFault(ApiEndpoint::OtaCheck, ApiFault::closeWithoutAnswer());
  const std::string did = registerDevice();
  EXPECT_EQ(send(provisionRequest(did)).code(), 200);
  EXPECT_TRUE(server_->fault(ApiEndpoint::OtaCheck).has_value());
}

TEST_F(CloudApiFaultTest, GarbageGivesASuccessStatusWithAnUnusableBody) {
  server_->setFault(ApiEndpoint::Register, ApiFault::garbage(), 1);
  const Response response = send(registerRequest());
  EXPECT_EQ(response.code(), 201);
  EXPECT_EQ(response.body, QByteArray("\x01garbage\xff{not=a&reply"));
  EXPECT_EQ(proto::parseRegisterResponse(response.code(), response.text()).error,
            proto::CloudReplyError::MissingField);
  EXPECT_TRUE(registry_.devices().isEmpty());

  const std::string did = registerDevice();
  server_->setFault(ApiEndpoint::Provision, ApiFault::garbage(), 1);
  const Response provision = send(provisionRequest(did));
  EXPECT_EQ(provision.code(), 200);
  EXPECT_FALSE(proto::parseProvisionResponse(provision.code(), provision.text()).ok());
}

TEST_F(CloudApiFaultTest, S9_6_GarbageDownloadKeepsTheHeadersAndCorruptsTheImage) {
  const QByteArray image("firmware image bytes");
  const auto firmware = firmware_.publish(QStringLiteral("HW"), QStringLiteral("2"), 2, image);
  ASSERT_TRUE(firmware);
  server_->setFault(ApiEndpoint::Download, ApiFault::garbage(), 1);
  const Response response = send(downloadRequest(server_->downloadUrl(*firmware).toStdString()));
  EXPECT_EQ(response.code(), 200);
  EXPECT_EQ(response.header("Firmware-MD5"), firmware->md5Hex.toStdString());
  ASSERT_EQ(response.body.size(), image.size());
  for (qsizetype i = 0; i < image.size(); ++i) EXPECT_EQ(response.body[i], static_cast<char>(~image[i]));
  EXPECT_NE(QCryptographicHash::hash(response.body, QCryptographicHash::Md5).toHex().toStdString(),
            firmware->md5Hex.toStdString());
}

TEST_F(CloudApiFaultTest, DelayAnswersNormallyButLater) {
  constexpr int kDelayMs = 300;
  server_->setFault(ApiEndpoint::Register, ApiFault::delayed(kDelayMs), 1);
  QElapsedTimer timer;
  timer.start();
  const Response response = send(registerRequest());
  EXPECT_GE(timer.elapsed(), kDelayMs);  // a lower bound only: never a speed assertion
  EXPECT_EQ(response.code(), 201);
  EXPECT_TRUE(proto::parseRegisterResponse(response.code(), response.text()).ok());
  EXPECT_EQ(server_->requests().back().fault, ApiFault::Kind::Delay);
  EXPECT_EQ(server_->requests().back().status, 201);
}

TEST_F(CloudApiFaultTest, DelayedAnswerToAPeerThatLeftIsDropped) {
  server_->setFault(ApiEndpoint::Register, ApiFault::delayed(400), 1);
  const WireResult gaveUp = exchange(port(), registerRequest(), 50);
  EXPECT_TRUE(gaveUp.timedOut);
  spin(600);  // the delayed answer falls due with nobody there
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiFaultTest, CloseEndsTheConnectionWithoutAnAnswer) {
  server_->setFault(ApiEndpoint::Provision, ApiFault::closeWithoutAnswer(), 1);
  const std::string did = registerDevice();
  const WireResult wire = exchange(port(), provisionRequest(did));
  EXPECT_TRUE(wire.closedByPeer);
  EXPECT_TRUE(wire.bytes.isEmpty());
  EXPECT_EQ(server_->requests().back().status, 0);
  EXPECT_EQ(server_->requests().back().fault, ApiFault::Kind::Close);
  EXPECT_EQ(send(provisionRequest(did)).code(), 200);
}

TEST_F(CloudApiFaultTest, StallAcceptsAndNeverAnswers) {
  server_->setFault(ApiEndpoint::Register, ApiFault::stall(), 1);
  const WireResult wire = exchange(port(), registerRequest(), 800);
  EXPECT_TRUE(wire.timedOut);
  EXPECT_FALSE(wire.closedByPeer);  // still open when the client gave up
  EXPECT_TRUE(wire.bytes.isEmpty());
  ASSERT_EQ(server_->requests().size(), 1);
  EXPECT_EQ(server_->requests().back().fault, ApiFault::Kind::Stall);
  EXPECT_EQ(server_->requests().back().status, 0);
  EXPECT_TRUE(registry_.devices().isEmpty());
  EXPECT_FALSE(registerDevice().empty());  // the next connection is served
}

TEST_F(CloudApiFaultTest, DownRefusesConnectionsAndUpServesOnTheSamePort) {
  const quint16 before = port();
  ASSERT_TRUE(server_->setDown(true));
  EXPECT_TRUE(server_->isDown());
  const WireResult refused = exchange(before, registerRequest(), 5000);
  EXPECT_TRUE(refused.refused);
  EXPECT_TRUE(server_->requests().isEmpty());
  ASSERT_TRUE(server_->setDown(false)) << server_->errorString().toStdString();
  EXPECT_EQ(port(), before);
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiFaultTest, DownForAWhileComesBackByItself) {
  ASSERT_TRUE(server_->setDown(true, 200));
  EXPECT_TRUE(exchange(port(), registerRequest(), 5000).refused);
  // Comes back after the 200 ms; poll with a generous deadline.
  QElapsedTimer deadline;
  deadline.start();
  while (server_->isDown() && deadline.elapsed() < 20'000) spin(50);
  EXPECT_FALSE(server_->isDown());
  EXPECT_FALSE(registerDevice().empty());
}
