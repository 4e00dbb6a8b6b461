// CloudPlug against the real stand-in cloud: an in-process CloudApiServer (registry and firmware store in a
// temporary SQLite file), a real mosquitto with the M2M gate in front (its faults and online list through
// M2mLabControl on /lab/m2m), the app over a real Paho AppClient, and a raw firmware-style device behind the
// gate. Every call is checked on the cloud's side and as the plug's event.
#include "gizrig/cloud/cloud_plug.h"

#include <QTemporaryDir>

#include "cloud_lab_fixture.h"
#include "gizrig/cloud/cloud_api_server.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/firmware_store.h"
#include "gizrig/cloud/m2m_lab_control.h"

namespace gizrig::cloud::test {
namespace {

using core::CloudResult;
using gagent::proto::MqttPacketType;

const QString kDidText = QString::fromStdString(kDid);
const QString kSecret = QStringLiteral("cloud-plug-test-secret");

struct Event {
  QString name;
  QVariantMap fields;
};

class CloudPlugTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    ASSERT_TRUE(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("cloud.db"));
    ASSERT_TRUE(devices.open(db)) << devices.lastError().toStdString();
    ASSERT_TRUE(firmware.open(db)) << firmware.lastError().toStdString();
    broker = std::make_unique<MosquittoBroker>();
    ASSERT_TRUE(broker->start()) << broker->lastError().toStdString();
    gate = std::make_unique<M2mGate>(
        [this](const QString& did, const QString& passcode) { return devices.authenticate(did, passcode); });
    ASSERT_TRUE(gate->listen()) << gate->errorString().toStdString();
    gate->setBroker(QHostAddress::LocalHost, broker->port());
    gateControl = std::make_unique<M2mLabControl>(*gate);
    CloudApiSettings settings;
    settings.m2mPort = gate->port();
    settings.controlSecret = kSecret;
    api = std::make_unique<CloudApiServer>(devices, firmware, settings);
    ASSERT_TRUE(api->listen()) << api->errorString().toStdString();
    api->setM2mControl(gateControl->hook());

    appClient = std::make_unique<AppClient>(broker->host(), broker->port(), broker->appUsername(),
                                            broker->appPassword(), QStringLiteral("gizrig-plug-test"));
    bool connected = false;
    QObject::connect(appClient.get(), &AppClient::connected, [&connected] { connected = true; });
    appClient->connectToBroker();
    ASSERT_TRUE(waitFor([&] { return connected; })) << appClient->lastError().toStdString();

    plug = std::make_unique<CloudPlug>(
        CloudPlugSettings{QStringLiteral("127.0.0.1"), api->port(), 10'000, kSecret}, appClient.get());
    QObject::connect(plug.get(), &CloudPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events.push_back({name, fields});
    });

    ASSERT_TRUE(
        devices.addDevice({kDidText, QString::fromStdString(kPasscode), QString::fromStdString(kProductKey),
                           QStringLiteral("A0B1C2D3E4F5"), QDateTime::currentDateTime()}));
    ASSERT_TRUE(
        broker->addDevice(kDidText, QString::fromStdString(kPasscode), QString::fromStdString(kProductKey)))
        << broker->lastError().toStdString();
  }
  void TearDown() override {
    plug.reset();
    appClient.reset();
    api.reset();
    gateControl.reset();
    gate.reset();
    broker.reset();
  }

  template <typename Call>
  CloudResult run(Call call) {
    std::optional<CloudResult> result;
    call([&](const CloudResult& r) { result = r; });
    EXPECT_TRUE(waitFor([&] { return result.has_value(); }));
    return result.value_or(CloudResult{false, QStringLiteral("(no answer)"), {}});
  }
  void loginDevice(RawMqttClient& device) {
    ASSERT_EQ(device.login(gate->port(), kDid, kPasscode), 0);
    ASSERT_EQ(device.subscribe(1, "ser2cli_res/" + kDid), 0);
    ASSERT_EQ(device.subscribe(2, "app2dev/" + kDid + "/#"), 0);
  }

  QTemporaryDir dir;
  DeviceRegistry devices;
  FirmwareStore firmware;
  std::unique_ptr<MosquittoBroker> broker;
  std::unique_ptr<M2mGate> gate;
  std::unique_ptr<M2mLabControl> gateControl;
  std::unique_ptr<CloudApiServer> api;
  std::unique_ptr<AppClient> appClient;
  std::unique_ptr<CloudPlug> plug;
  std::vector<Event> events;
};

TEST_F(CloudPlugTest, S8_4_HttpFaultsReachTheApiServer) {
  const CloudResult set = run([&](auto done) {
    plug->setHttpFault(QStringLiteral("provision"),
                       {{QStringLiteral("kind"), QStringLiteral("status")},
                        {QStringLiteral("status"), 400},
                        {QStringLiteral("error_code"), 9016},
                        {QStringLiteral("count"), 1}},
                       done);
  });
  ASSERT_TRUE(set.ok) << set.error.toStdString();
  const auto fault = api->fault(ApiEndpoint::Provision);
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->first.kind, ApiFault::Kind::Status);
  EXPECT_EQ(fault->first.status, 400);
  EXPECT_EQ(fault->first.errorCode, 9016);
  EXPECT_EQ(fault->second, 1);

  // CloudControl's "ota_check" is the API's "ota-check".
  ASSERT_TRUE(run([&](auto done) {
                plug->setHttpFault(
                    QStringLiteral("ota_check"),
                    {{QStringLiteral("kind"), QStringLiteral("delay")}, {QStringLiteral("delay_ms"), 500}},
                    done);
              }).ok);
  const auto delay = api->fault(ApiEndpoint::OtaCheck);
  ASSERT_TRUE(delay);
  EXPECT_EQ(delay->first.kind, ApiFault::Kind::Delay);
  EXPECT_EQ(delay->first.delayMs, 500);
  EXPECT_EQ(delay->second, CloudApiServer::kPersistent);

  const CloudResult bad = run([&](auto done) {
    plug->setHttpFault(QStringLiteral("register"), {{QStringLiteral("kind"), QStringLiteral("explode")}},
                       done);
  });
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error,
            QStringLiteral("cloud control /lab/fault: HTTP 400 \"kind\" must be none, status, garbage, "
                           "delay, close or stall"));

  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].name, QStringLiteral("cloud.http_fault"));
  EXPECT_EQ(events[0].fields.value(QStringLiteral("endpoint")), QStringLiteral("provision"));
  EXPECT_EQ(events[0].fields.value(QStringLiteral("kind")), QStringLiteral("status"));
  EXPECT_EQ(events[0].fields.value(QStringLiteral("ok")), true);
  EXPECT_EQ(events[2].fields.value(QStringLiteral("ok")), false);
  EXPECT_EQ(events[2].fields.value(QStringLiteral("error")), bad.error);
}

TEST_F(CloudPlugTest, S8_9_ForcedConnackThroughLabM2mAndClearedAgain) {
  const CloudResult set = run([&](auto done) {
    plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("connack")},
                       {QStringLiteral("code"), 5},
                       {QStringLiteral("count"), 2}},
                      done);
  });
  ASSERT_TRUE(set.ok) << set.error.toStdString();
  EXPECT_EQ(gate->forcedConnacksLeft(), 2);
  RawMqttClient refused;
  EXPECT_EQ(refused.login(gate->port(), kDid, kPasscode), 5);

  ASSERT_TRUE(run([&](auto done) {
                plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("none")}}, done);
              }).ok);
  EXPECT_EQ(gate->forcedConnacksLeft(), 0);
  RawMqttClient accepted;
  EXPECT_EQ(accepted.login(gate->port(), kDid, kPasscode), 0);
}

TEST_F(CloudPlugTest, S8_8_StallDelayRefuseAndBadM2mFaults) {
  ASSERT_TRUE(run([&](auto done) {
                plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("stall")},
                                   {QStringLiteral("direction"), QStringLiteral("to-device")}},
                                  done);
              }).ok);
  EXPECT_EQ(gate->faults().stall, GateStall::ToDevice);
  ASSERT_TRUE(run([&](auto done) {
                plug->setM2mFault(
                    {{QStringLiteral("kind"), QStringLiteral("delay")}, {QStringLiteral("ms"), 250}}, done);
              }).ok);
  EXPECT_EQ(gate->faults().delayMs, 250);
  ASSERT_TRUE(run([&](auto done) {
                plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("refuse")}}, done);
              }).ok);
  EXPECT_TRUE(gate->isRefusing());
  ASSERT_TRUE(run([&](auto done) {
                plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("none")}}, done);
              }).ok);
  EXPECT_FALSE(gate->isRefusing());
  EXPECT_EQ(gate->faults().stall, GateStall::None);
  EXPECT_EQ(gate->faults().delayMs, 0);

  const CloudResult bad = run([&](auto done) {
    plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("connack")}, {QStringLiteral("code"), 0}},
                      done);
  });
  EXPECT_EQ(bad.error,
            QStringLiteral("cloud control /lab/m2m: HTTP 400 \"code\" must be an integer from 1 to 255 "
                           "(0 accepts: use kind none)"));

  api->setM2mControl({});
  const CloudResult unwired = run([&](auto done) {
    plug->setM2mFault({{QStringLiteral("kind"), QStringLiteral("drop")}}, done);
  });
  EXPECT_EQ(unwired.error,
            QStringLiteral("cloud control /lab/m2m: HTTP 404 no M2M gate is wired to this cloud API"));
}

TEST_F(CloudPlugTest, S9_PublishFirmwareStoresTheImage) {
  const QByteArray image("\x01\x02\x03\xFF firmware", 13);
  const CloudResult result = run([&](auto done) {
    plug->publishFirmware(QStringLiteral("00ESP826"), QStringLiteral("04020008"), 8, image, done);
  });
  ASSERT_TRUE(result.ok) << result.error.toStdString();
  const QList<PublishedFirmware> list = firmware.list();
  ASSERT_EQ(list.size(), 1);
  EXPECT_EQ(list[0].hardwareVersion, QStringLiteral("00ESP826"));
  EXPECT_EQ(list[0].softwareVersion, QStringLiteral("04020008"));
  EXPECT_EQ(list[0].fid, 8u);
  EXPECT_EQ(list[0].size, image.size());
  EXPECT_EQ(list[0].md5Hex,
            QString::fromLatin1(QCryptographicHash::hash(image, QCryptographicHash::Md5).toHex()));
  EXPECT_EQ(result.data.value(QStringLiteral("download_url")), api->downloadUrl(list[0]));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, QStringLiteral("cloud.firmware"));
  EXPECT_EQ(events[0].fields.value(QStringLiteral("size")), image.size());
}

TEST_F(CloudPlugTest, S8_5_DeviceStatusFollowsRegistryAndGateLogins) {
  const auto status = [&](const QString& did) {
    return run([&](auto done) { plug->deviceStatus(did, done); });
  };
  CloudResult offline = status(kDidText);
  ASSERT_TRUE(offline.ok) << offline.error.toStdString();
  EXPECT_EQ(offline.data, (QVariantMap{{QStringLiteral("did"), kDidText},
                                       {QStringLiteral("registered"), true},
                                       {QStringLiteral("online"), false}}));
  {
    RawMqttClient device;
    loginDevice(device);
    EXPECT_EQ(status(kDidText).data.value(QStringLiteral("online")), true);
  }
  ASSERT_TRUE(waitFor([&] { return gateControl->onlineDevices().isEmpty(); }));
  EXPECT_EQ(status(kDidText).data.value(QStringLiteral("online")), false);
  EXPECT_EQ(status(QString::fromStdString(kOtherDid)).data.value(QStringLiteral("registered")), false);
  EXPECT_EQ(events.back().name, QStringLiteral("cloud.status"));
  EXPECT_EQ(events.back().fields.value(QStringLiteral("registered")), false);

  api->setM2mControl({});  // no gate wired: registered, online unknown
  const CloudResult unknown = status(kDidText);
  EXPECT_TRUE(unknown.ok);
  EXPECT_FALSE(unknown.data.contains(QStringLiteral("online")));
}

TEST_F(CloudPlugTest, S8_7_AppPublishReachesTheDeviceAndItsAnswerIsADecodedEvent) {
  RawMqttClient device;
  loginDevice(device);
  // §3.7 observed traffic: 0x0093 (sn 7, read) from phoneClient01, answered with 0x0094.
  const QByteArray control("\x00\x00\x00\x03\x08\x00\x00\x93\x00\x00\x00\x07\x02", 13);
  const CloudResult sent =
      run([&](auto done) { plug->appPublish(kDidText, QStringLiteral("phoneClient01"), control, done); });
  ASSERT_TRUE(sent.ok) << sent.error.toStdString();
  const auto packet = device.nextOf(MqttPacketType::Publish);
  ASSERT_TRUE(packet);
  const auto publish = asPublish(*packet);
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish->topic, "app2dev/" + kDid + "/phoneClient01");
  EXPECT_EQ(publish->payload, ByteVector(control.begin(), control.end()));

  const ByteVector reply = {0x00, 0x00, 0x00, 0x03, 0x0C, 0x00, 0x00, 0x94, 0x00,
                            0x00, 0x00, 0x07, 0x03, 0x01, 0x7F, 0xFF, 0x10};
  device.sendPublish("dev2app/" + kDid + "/phoneClient01", reply);
  ASSERT_TRUE(waitFor([&] {
    return std::any_of(events.begin(), events.end(),
                       [](const Event& e) { return e.name == QStringLiteral("cloud.app"); });
  }));
  const auto app = std::find_if(events.begin(), events.end(),
                                [](const Event& e) { return e.name == QStringLiteral("cloud.app"); });
  EXPECT_EQ(app->fields.value(QStringLiteral("topic")),
            QStringLiteral("dev2app/%1/phoneClient01").arg(kDidText));
  EXPECT_EQ(app->fields.value(QStringLiteral("did")), kDidText);
  EXPECT_EQ(app->fields.value(QStringLiteral("client_id")), QStringLiteral("phoneClient01"));
  EXPECT_EQ(app->fields.value(QStringLiteral("ok")), true);
  EXPECT_EQ(app->fields.value(QStringLiteral("cmd")), 0x0094);
  EXPECT_EQ(app->fields.value(QStringLiteral("payload")),
            QStringLiteral("000000030c0000940000000703017fff10"));
  EXPECT_TRUE(app->fields.value(QStringLiteral("packet")).toString().contains(QStringLiteral("0x0094")))
      << app->fields.value(QStringLiteral("packet")).toString().toStdString();
  EXPECT_FALSE(app->fields.value(QStringLiteral("fields")).toList().isEmpty());
  EXPECT_EQ(events.front().name, QStringLiteral("cloud.publish"));
  EXPECT_EQ(events.front().fields.value(QStringLiteral("cmd")), 0x0093);
}

TEST_F(CloudPlugTest, AppPublishOfBytesThatAreNotALanPacketIsRefused) {
  const CloudResult result = run([&](auto done) {
    plug->appPublish(kDidText, QStringLiteral("phoneClient01"),
                     QByteArray("\x00\x00\x00\x04\x03\x00\x00\x93", 8), done);
  });
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, QStringLiteral("the payload is not one LAN packet"));
}

TEST_F(CloudPlugTest, S9_PushOtaReachesTheDeviceAsA0211) {
  RawMqttClient device;
  loginDevice(device);
  ASSERT_TRUE(run([&](auto done) { plug->pushOta(kDidText, done); }).ok);
  const auto packet = device.nextOf(MqttPacketType::Publish);
  ASSERT_TRUE(packet);
  const auto publish = asPublish(*packet);
  ASSERT_TRUE(publish);
  EXPECT_EQ(publish->topic, "ser2cli_res/" + kDid);
  std::array<std::uint8_t, 16> expected{};
  const std::size_t size = gagent::proto::encodeMgmtOtaPush(expected, gagent::proto::OtaFirmwareType::Wifi);
  EXPECT_EQ(publish->payload,
            ByteVector(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(size)));
}

TEST(CloudPlugDescribe, NonLanPayloadsAreReportedNotDropped) {
  const QVariantMap fields =
      CloudPlug::describeAppMessage(QStringLiteral("dev2app/DID1"), QByteArray("\x01\x02\x03", 3));
  EXPECT_EQ(fields.value(QStringLiteral("did")), QStringLiteral("DID1"));
  EXPECT_EQ(fields.value(QStringLiteral("client_id")), QString());
  EXPECT_EQ(fields.value(QStringLiteral("ok")), false);
  EXPECT_EQ(fields.value(QStringLiteral("payload")), QStringLiteral("010203"));
  EXPECT_TRUE(
      fields.value(QStringLiteral("error")).toString().startsWith(QStringLiteral("not a LAN packet: ")));
}

}  // namespace
}  // namespace gizrig::cloud::test
