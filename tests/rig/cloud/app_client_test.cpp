// AppClient: the phone app over the cloud (S8.7) and the cloud's management pushes (§3.7 0x0210/0x0211),
// against a real mosquitto with a raw firmware-style device behind the gate.
#include "gizrig/cloud/app_client.h"
#include <signal.h>

#include <QTcpServer>

#include "cloud_lab_fixture.h"

namespace gizrig::cloud::test {
namespace {

using gagent::proto::MqttPacketType;

struct Received {
  std::string topic;
  ByteVector payload;
};

class AppClientTest : public CloudLabTest {
 protected:
  void SetUp() override {
    CloudLabTest::SetUp();
    if (HasFatalFailure()) return;
    registerDevice(kDid);
    appClient = std::make_unique<AppClient>(broker->host(), broker->port(), broker->appUsername(),
                                            broker->appPassword(), "gizrig-app-test");
    QObject::connect(appClient.get(), &AppClient::connected, [this] {
      connected = true;
      ++connects;
    });
    QObject::connect(appClient.get(), &AppClient::connectFailed,
                     [this](const QString& why) { failure = why.toStdString(); });
    QObject::connect(appClient.get(), &AppClient::subscribed, [this](const QString&, bool ok) {
      if (ok) ++subscriptions;
    });
    QObject::connect(appClient.get(), &AppClient::received,
                     [this](const QString& topic, const QByteArray& data) {
                       received.push_back({topic.toStdString(), ByteVector(data.begin(), data.end())});
                     });
    appClient->connectToBroker();
    ASSERT_TRUE(waitFor([this] { return connected || !failure.empty(); }));
    ASSERT_TRUE(connected) << failure;
  }
  void TearDown() override {
    appClient.reset();
    CloudLabTest::TearDown();
  }

  ReceivedPublish nextPublish(RawMqttClient& device) {
    const auto packet = device.nextOf(MqttPacketType::Publish);
    if (!packet) return {};
    const auto publish = asPublish(*packet);
    return publish ? *publish : ReceivedPublish{};
  }

  std::unique_ptr<AppClient> appClient;
  bool connected = false;
  int connects = 0;
  std::string failure;
  int subscriptions = 0;
  std::vector<Received> received;
};

TEST_F(AppClientTest, S8_7_AppPublishReachesTheDeviceAndTheDeviceAnswerReachesTheApp) {
  RawMqttClient device;
  loginAndSubscribe(device, kDid);

  // §3.7 observed traffic: 0x0093 from phoneClient01, answered with 0x0094 on dev2app/<did>/phoneClient01.
  const QByteArray control("\x00\x00\x00\x03\x08\x00\x00\x93\x00\x00\x00\x07\x02", 13);
  ASSERT_TRUE(appClient->publishToDevice(QString::fromStdString(kDid), "phoneClient01", control))
      << appClient->lastError().toStdString();
  const ReceivedPublish atDevice = nextPublish(device);
  EXPECT_EQ(atDevice.topic, "app2dev/" + kDid + "/phoneClient01");
  EXPECT_EQ(atDevice.payload, ByteVector(control.begin(), control.end()));

  ASSERT_TRUE(waitFor([this] { return subscriptions == 2; }));
  const ByteVector reply = {0x00, 0x00, 0x00, 0x03, 0x0C, 0x00, 0x00, 0x94, 0x00,
                            0x00, 0x00, 0x07, 0x03, 0x01, 0x7F, 0xFF, 0x10};
  device.sendPublish("dev2app/" + kDid + "/phoneClient01", reply);
  const ByteVector report = {0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x91, 0x04, 0x01, 0x7F, 0xFF, 0x10};
  device.sendPublish("dev2app/" + kDid, report);

  ASSERT_TRUE(waitFor([this] { return received.size() >= 2; }));
  EXPECT_EQ(received[0].topic, "dev2app/" + kDid + "/phoneClient01");
  EXPECT_EQ(received[0].payload, reply);
  EXPECT_EQ(received[1].topic, "dev2app/" + kDid);
  EXPECT_EQ(received[1].payload, report);
}

TEST_F(AppClientTest, PushOtaAndAppCountArriveOnSer2cliResInManagementFraming) {
  RawMqttClient device;
  loginAndSubscribe(device, kDid);

  ASSERT_TRUE(appClient->pushOta(QString::fromStdString(kDid), gagent::proto::OtaFirmwareType::Wifi));
  ReceivedPublish push = nextPublish(device);
  EXPECT_EQ(push.topic, "ser2cli_res/" + kDid);
  EXPECT_EQ(push.payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x02, 0x11, 0x01}));

  ASSERT_TRUE(appClient->pushAppCount(QString::fromStdString(kDid), 2));
  push = nextPublish(device);
  EXPECT_EQ(push.topic, "ser2cli_res/" + kDid);
  EXPECT_EQ(push.payload, (ByteVector{0x00, 0x00, 0x00, 0x03, 0x02, 0x10, 0x00, 0x02}));
}

TEST_F(AppClientTest, ComesBackAfterMosquittoRestartsAndStillHearsTheDevice) {
  RawMqttClient device;
  loginAndSubscribe(device, kDid);
  ASSERT_TRUE(appClient->watchDevice(QString::fromStdString(kDid), "phone1"));
  ASSERT_TRUE(waitFor([this] { return subscriptions == 2; }));
  bool restarted = false;
  QObject::connect(broker.get(), &MosquittoBroker::restarted, [&] { restarted = true; });
  ASSERT_EQ(::kill(static_cast<pid_t>(broker->pid()), SIGKILL), 0);
  ASSERT_TRUE(waitFor([&] { return restarted; }));

  // The app reconnects by itself and subscribes again; the module logs in again (its firmware would).
  ASSERT_TRUE(waitFor([this] { return connects == 2 && subscriptions == 4; }, 30000));
  RawMqttClient again;
  loginAndSubscribe(again, kDid);
  const ByteVector report = {0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x91};
  again.sendPublish("dev2app/" + kDid, report);
  ASSERT_TRUE(waitFor([this] { return !received.empty(); }));
  EXPECT_EQ(received[0].topic, "dev2app/" + kDid);
  EXPECT_EQ(received[0].payload, report);
}

TEST_F(AppClientTest, BadArgumentsAreRefusedWithAReason) {
  EXPECT_FALSE(appClient->publishToDevice(QString::fromStdString(kDid), "", QByteArray("x")));
  EXPECT_FALSE(appClient->publishToDevice(QString::fromStdString(kDid), "a/b", QByteArray("x")));
  EXPECT_FALSE(appClient->publishToDevice(QString::fromStdString(kDid), QString(24, 'c'), QByteArray("x")));
  EXPECT_FALSE(appClient->publishToDevice("did/x", "phone", QByteArray("x")));
  EXPECT_FALSE(appClient->pushOta("", gagent::proto::OtaFirmwareType::Mcu));
  EXPECT_FALSE(appClient->lastError().isEmpty());
}

TEST_F(AppClientTest, WrongAppPasswordFailsToConnect) {
  AppClient intruder(broker->host(), broker->port(), broker->appUsername(), "wrong", "intruder");
  bool failed = false;
  QObject::connect(&intruder, &AppClient::connectFailed, [&] { failed = true; });
  intruder.connectToBroker();
  EXPECT_TRUE(waitFor([&] { return failed; }));
  EXPECT_FALSE(intruder.isConnected());
}

TEST(AppClientLifetime, Issue13_DestroyedWhileItsConnectIsStillInProgressDoesNotAbort) {
  // A "broker" that accepts the TCP connection and never answers CONNACK: the connect stays in progress,
  // when Paho refuses to disable callbacks. Closing a lab module right after it opened aborted the GUI here.
  app();
  QTcpServer silent;
  ASSERT_TRUE(silent.listen(QHostAddress::LocalHost));
  for (int round = 0; round < 3; ++round) {
    auto client = std::make_unique<AppClient>("127.0.0.1", silent.serverPort(), "app", "secret",
                                              QStringLiteral("gizrig-lifetime-%1").arg(round));
    client->connectToBroker();
    ASSERT_TRUE(waitFor([&] { return silent.hasPendingConnections(); }));  // the connect is under way
    EXPECT_FALSE(client->isConnected());
    client.reset();  // must neither throw nor abort
    delete silent.nextPendingConnection();
  }
}

}  // namespace
}  // namespace gizrig::cloud::test
