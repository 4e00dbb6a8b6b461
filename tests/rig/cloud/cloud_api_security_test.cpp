// The control endpoint (/lab/...) against a caller who is not the lab's owner (issue 16): the per-lab secret,
// firmware only as an upload or from the lab's firmware directory, regular files, size-capped.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QJsonObject>

#include "cloud_api_test_support.h"

using namespace cloudtest;
using gizrig::cloud::ApiEndpoint;
using gizrig::cloud::CloudApiServer;

namespace {

using CloudApiSecurityTest = CloudApiFixture;

QString errorOf(const Response& response) {
  return json(response).object().value(QStringLiteral("error")).toString();
}

QByteArray publishPath(const QString& path) {
  return R"({"hard_version":"HW","soft_version":"1","fid":1,"path":")" + path.toUtf8() + R"("})";
}

}  // namespace

TEST_F(CloudApiSecurityTest, Security_ControlWithoutTheSecretIsRefused) {
  const QByteArray fault = R"({"endpoint":"*","kind":"close"})";
  for (const QByteArray& secret : {QByteArray(), QByteArray("wrong"), QByteArray(kControlSecret) + "x",
                                   QByteArray(kControlSecret).chopped(1)}) {
    const Response response = send(controlRequest("POST", "/lab/fault", fault, secret));
    EXPECT_EQ(response.code(), 401) << secret.toStdString();
    EXPECT_TRUE(errorOf(response).contains(QStringLiteral("secret"))) << errorOf(response).toStdString();
  }
  EXPECT_EQ(send(controlRequest("GET", "/lab/devices", {}, "nope")).code(), 401);
  EXPECT_FALSE(server_->fault(ApiEndpoint::Register).has_value());
  // The module's API needs no secret; the owner's request with it works.
  EXPECT_FALSE(registerDevice().empty());
  EXPECT_EQ(send(controlRequest("GET", "/lab/devices")).code(), 200);
}

TEST_F(CloudApiSecurityTest, Security_ControlIsClosedWithoutAConfiguredSecret) {
  auto settings = server_->settings();
  settings.controlSecret.clear();
  server_->setSettings(settings);
  for (const QByteArray& secret : {QByteArray(), QByteArray("Bearer"), QByteArray(kControlSecret)}) {
    EXPECT_EQ(send(controlRequest("GET", "/lab/faults", {}, secret)).code(), 403) << secret.toStdString();
  }
}

TEST_F(CloudApiSecurityTest, Security_ALargeBodyWithoutTheSecretIsRefusedOnItsHead) {
  // The head announces 50 MB and no body follows: the answer comes without waiting for (or buffering) it.
  const QByteArray head =
      "POST /lab/firmware HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n";
  const WireResult wire = exchange(port(), head);
  EXPECT_TRUE(wire.closedByPeer) << "timedOut=" << wire.timedOut;
  EXPECT_EQ(parseResponse(wire.bytes).code(), 401);
}

TEST_F(CloudApiSecurityTest, Security_FirmwarePathOutsideTheFirmwareDirectoryIsRefused) {
  ASSERT_TRUE(QFile::link(QStringLiteral("/etc/passwd"), QDir(firmwareDir()).filePath("passwd")));
  const QString outside = dir_.filePath(QStringLiteral("outside.bin"));
  QFile file(outside);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("not the lab's firmware");
  file.close();
  for (const QString& path : {QStringLiteral("/etc/passwd"), QStringLiteral("/etc/shadow"), outside,
                              QStringLiteral("../outside.bin"), QStringLiteral("passwd"), QStringLiteral("."),
                              QStringLiteral("")}) {
    const Response response = send(controlRequest("POST", "/lab/firmware", publishPath(path)));
    EXPECT_EQ(response.code(), 400) << path.toStdString();
    EXPECT_TRUE(errorOf(response).contains(QStringLiteral("firmware directory")))
        << path.toStdString() << " -> " << errorOf(response).toStdString();
  }
  EXPECT_TRUE(firmware_.list().isEmpty());
}

TEST_F(CloudApiSecurityTest, Security_FirmwareFromDevZeroAFifoOrAHugeFileIsRefusedAndTheLabServesOn) {
  const QDir dir(firmwareDir());
  ASSERT_TRUE(QFile::link(QStringLiteral("/dev/zero"), dir.filePath("zero")));
  ASSERT_EQ(::mkfifo(dir.filePath("fifo").toLocal8Bit().constData(), 0600), 0);
  QFile huge(dir.filePath(QStringLiteral("huge.bin")));
  ASSERT_TRUE(huge.open(QIODevice::WriteOnly));
  ASSERT_TRUE(huge.resize(CloudApiServer::kMaxFirmwareBytes + 1));  // sparse: no disk used
  huge.close();
  const struct {
    QString path;
    QString error;
  } cases[] = {
      {QStringLiteral("zero"), QStringLiteral("firmware directory")},
      {QStringLiteral("/dev/zero"), QStringLiteral("firmware directory")},
      {QStringLiteral("fifo"), QStringLiteral("not a regular file")},
      {QStringLiteral("huge.bin"), QStringLiteral("larger than")},
  };
  for (const auto& c : cases) {
    const Response response = send(controlRequest("POST", "/lab/firmware", publishPath(c.path)));
    EXPECT_EQ(response.code(), 400) << c.path.toStdString();
    EXPECT_TRUE(errorOf(response).contains(c.error))
        << c.path.toStdString() << " -> " << errorOf(response).toStdString();
  }
  EXPECT_TRUE(firmware_.list().isEmpty());
  EXPECT_FALSE(registerDevice().empty());
}

TEST_F(CloudApiSecurityTest, Security_WithoutAFirmwareDirectoryOnlyUploadsAreAccepted) {
  auto settings = server_->settings();
  settings.firmwareDirectory.clear();
  server_->setSettings(settings);
  QFile file(QDir(firmwareDir()).filePath(QStringLiteral("image.bin")));
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("image");
  file.close();
  const Response refused = send(controlRequest("POST", "/lab/firmware", publishPath(file.fileName())));
  EXPECT_EQ(refused.code(), 400);
  EXPECT_TRUE(errorOf(refused).contains(QStringLiteral("no firmware directory")))
      << errorOf(refused).toStdString();
  const Response uploaded = send(controlRequest(
      "POST", "/lab/firmware", R"({"hard_version":"HW","soft_version":"1","fid":1,"hex":"00"})"));
  EXPECT_EQ(uploaded.code(), 201) << uploaded.text();
}
