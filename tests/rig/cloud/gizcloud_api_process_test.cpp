// gizcloud-api as its own process: ready line, serving, SIGTERM -> exit 0, the registry surviving a restart,
// clear refusals of bad arguments.
#include <gtest/gtest.h>

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include "cloud_api_test_support.h"

using namespace cloudtest;

namespace {

QString executable() {
  return QCoreApplication::applicationDirPath() + QStringLiteral("/gizcloud-api");
}

// A gizcloud-api process that is killed and reaped whatever happens to the test.
class ApiProcess {
 public:
  ApiProcess() = default;
  ApiProcess(const ApiProcess&) = delete;
  ApiProcess& operator=(const ApiProcess&) = delete;
  ~ApiProcess() {
    if (process_.state() != QProcess::NotRunning) {
      process_.kill();
      process_.waitForFinished(10'000);
    }
  }

  // Starts it and waits for "gizcloud-api ready port=<n>"; the port, or 0.
  quint16 start(const QStringList& arguments) {
    process_.start(executable(), arguments);
    if (!process_.waitForStarted(20'000)) return 0;
    const QRegularExpression ready(QStringLiteral("^gizcloud-api ready port=(\\d+)$"));
    QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
      while (process_.canReadLine()) {
        const QString line = QString::fromUtf8(process_.readLine()).trimmed();
        const auto match = ready.match(line);
        if (match.hasMatch()) return static_cast<quint16>(match.captured(1).toUInt());
      }
      if (process_.state() == QProcess::NotRunning) return 0;
      process_.waitForReadyRead(100);
    }
    return 0;
  }

  QProcess& process() { return process_; }

 private:
  QProcess process_;
};

class GizcloudApiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ensureQtApp();
    ASSERT_TRUE(dir_.isValid());
    ASSERT_TRUE(QFileInfo::exists(executable())) << executable().toStdString();
  }
  [[nodiscard]] QString dbPath() const { return dir_.filePath(QStringLiteral("cloud.db")); }
  [[nodiscard]] QStringList arguments() const {
    return {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),    QStringLiteral("--db"), dbPath(),
            QStringLiteral("--m2m"),    QStringLiteral("127.0.0.1:24555")};
  }

  QTemporaryDir dir_;
};

}  // namespace

TEST_F(GizcloudApiProcessTest, S8_2_ServesRegistersAndExitsZeroOnSigterm) {
  ApiProcess api;
  const quint16 port = api.start(arguments());
  ASSERT_NE(port, 0) << api.process().readAllStandardError().toStdString();

  const Response registered = call(port, registerRequest());
  const auto reply = proto::parseRegisterResponse(registered.code(), registered.text());
  ASSERT_TRUE(reply.ok());
  const std::string did(reply.value);
  const Response provisioned = call(port, provisionRequest(did));
  const auto info = proto::parseProvisionResponse(provisioned.code(), provisioned.text());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value.port, 24555);

  api.process().terminate();  // SIGTERM
  ASSERT_TRUE(api.process().waitForFinished(20'000));
  EXPECT_EQ(api.process().exitStatus(), QProcess::NormalExit);
  EXPECT_EQ(api.process().exitCode(), 0);

  // The device outlives the process: in the file, and for the next process.
  gizrig::cloud::DeviceRegistry registry;
  ASSERT_TRUE(registry.open(dbPath()));
  EXPECT_TRUE(registry.authenticate(QString::fromStdString(did), QString::fromLatin1(kPasscode.data(), 10)));
  ApiProcess restarted;
  const quint16 again = restarted.start(arguments());
  ASSERT_NE(again, 0);
  EXPECT_EQ(call(again, provisionRequest(did)).code(), 200);
}

TEST_F(GizcloudApiProcessTest, RefusesBadArgumentsWithAMessage) {
  const QStringList bad[] = {
      {QStringLiteral("--listen"), QStringLiteral("10.1.2.3:0"), QStringLiteral("--db"), dbPath()},
      {QStringLiteral("--listen"), QStringLiteral("nonsense"), QStringLiteral("--db"), dbPath()},
      {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
      {QStringLiteral("--db"), dbPath(), QStringLiteral("--m2m"), QStringLiteral("127.0.0.1:99999")},
  };
  for (const QStringList& arguments : bad) {
    ApiProcess api;
    EXPECT_EQ(api.start(arguments), 0);
    api.process().waitForFinished(20'000);  // false when it has already ended
    ASSERT_EQ(api.process().state(), QProcess::NotRunning);
    EXPECT_EQ(api.process().exitCode(), 2) << arguments.join(u' ').toStdString();
    EXPECT_TRUE(api.process().readAllStandardError().startsWith("gizcloud-api: "))
        << arguments.join(u' ').toStdString();
  }
}
