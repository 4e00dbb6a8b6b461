// The station file: the one description of a line's equipment, loaded strictly (docs/real-station.md).
#include "gizrig/production/station_config.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace gizrig::core {
namespace {

std::optional<StationConfig> parse(const QByteArray& json, QString& error) {
  return StationConfig::fromJson(json, "line.json", &error);
}

QByteArray withSlot(const QByteArray& slot) {
  return R"({"station": "EOL-2", "product": "products/gokit-demo.json", "slots": [)"
         R"({"name": "1", "serial_port": "/dev/ttyUSB0"}, )" +
         slot + "]}";
}

TEST(StationConfigFile, RigError_ABadModuleAddressNamesTheFileTheSlotAndTheValue) {
  QString error;
  EXPECT_FALSE(parse(withSlot(R"({"serial_port": "/dev/ttyUSB1", "module_ip": "10.77.0.300"})"), error));
  EXPECT_EQ(error.toStdString(), "line.json: slots[1].module_ip: bad IPv4 address \"10.77.0.300\"");
}

TEST(StationConfigFile, RigError_AnUnknownKeyIsAnErrorNotSilence) {
  QString error;
  EXPECT_FALSE(parse(withSlot(R"({"serial_port": "/dev/ttyUSB1", "modul_ip": "10.77.0.3"})"), error));
  EXPECT_TRUE(error.startsWith("line.json: slots[1].modul_ip: unknown key")) << error.toStdString();
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "stepTimeout": 5})", error));
  EXPECT_TRUE(error.startsWith("line.json: stepTimeout: unknown key")) << error.toStdString();
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "limits": {"step_timeout": 5}})", error));
  EXPECT_TRUE(error.startsWith("line.json: limits.step_timeout: unknown key")) << error.toStdString();
}

TEST(StationConfigFile, RigError_MissingPortsAndBadValuesAreErrors) {
  QString error;
  EXPECT_FALSE(parse(withSlot(R"({"name": "2"})"), error));
  EXPECT_EQ(error.toStdString(), "line.json: slots[1].serial_port: is required");
  EXPECT_FALSE(parse(withSlot(R"({"name": "1", "serial_port": "/dev/ttyUSB1"})"), error));
  EXPECT_EQ(error.toStdString(), "line.json: slots[1].name: slot \"1\" appears twice");
  EXPECT_FALSE(parse(withSlot(R"({"serial_port": "/dev/ttyUSB1", "baud": 12.5})"), error));
  EXPECT_TRUE(error.startsWith("line.json: slots[1].baud: must be a whole number")) << error.toStdString();
  EXPECT_FALSE(parse(R"({"station": "a"})", error));
  EXPECT_EQ(error.toStdString(), "line.json: product: is required");
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "limits": {"min_signal_level": 9}})", error));
  EXPECT_TRUE(error.startsWith("line.json: limits.min_signal_level: must be a whole number from 0 to 6"));
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "broadcast": "255.255.255"})", error));
  EXPECT_EQ(error.toStdString(), "line.json: broadcast: bad IPv4 address \"255.255.255\"");
  EXPECT_FALSE(parse("[1, 2]", error));
  EXPECT_TRUE(error.startsWith("line.json: not a JSON object"));
}

TEST(StationConfigFile, RigError_RouterControllersNeedTheirAccess) {
  QString error;
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "routers": [{"backend": "openwrt", "ssids": ["T1"],
                          "url": "http://192.168.10.1/ubus", "username": "root"}]})",
                     error));
  EXPECT_EQ(error.toStdString(), "line.json: routers[0].password: is required");
  EXPECT_FALSE(parse(
      R"({"station": "a", "product": "p", "routers": [{"backend": "tplink", "ssids": ["T1"]}]})", error));
  EXPECT_TRUE(error.contains("routers[0].backend: must be \"openwrt\" or \"air\"")) << error.toStdString();
  EXPECT_FALSE(
      parse(R"({"station": "a", "product": "p", "routers": [{"backend": "air", "address": "127.0.0.1",
                          "port": 7000}]})",
            error));
  EXPECT_TRUE(error.contains("routers[0].ssids: is required")) << error.toStdString();
  EXPECT_FALSE(
      parse(R"({"station": "a", "product": "p", "cloud": {"api": "127.0.0.1", "mqtt": "127.0.0.1:1883",
                          "app_user": "u", "app_password": "p"}})",
            error));
  EXPECT_EQ(error.toStdString(), "line.json: cloud.api: must be IPv4:port, not \"127.0.0.1\"");
}

TEST(StationConfigFile, TheExampleRealLineLoads) {
  QString error;
  const auto c = StationConfig::load(GAGENT_FIXTURES_DIR "/stations/real-line-example.json", &error);
  ASSERT_TRUE(c) << error.toStdString();
  ASSERT_EQ(c->slotConfigs.size(), 2);
  EXPECT_EQ(c->slotConfigs[0].serialPort.left(19), "/dev/serial/by-id/u");
  EXPECT_FALSE(c->slotConfigs[0].powerCycle.isEmpty());
  EXPECT_EQ(c->broadcast, "255.255.255.255");  // a real line's LAN, never the lab machine's
  ASSERT_EQ(c->routers.size(), 2);
  EXPECT_EQ(c->routers[0].backend, RouterControllerConfig::Backend::OpenWrt);
  EXPECT_EQ(c->routers[1].ssids, QStringList{"GIZWITS_TEST_2"});
  EXPECT_FALSE(c->cloud.has_value());
}

TEST(StationConfigFile, WhatTheLabWritesReadsBackTheSame) {
  StationConfig c;
  c.station = "lab";
  c.product = "products/gokit-demo.json";
  c.slotConfigs << SlotConfig{"1", "/tmp/lab/module-1/uart", QHostAddress("127.0.0.11"), 9600, {}};
  c.slotConfigs << SlotConfig{"2", "/tmp/lab/module-2/uart", QHostAddress("127.0.0.12"), 9600, "true"};
  RouterControllerConfig air;
  air.backend = RouterControllerConfig::Backend::Air;
  air.ssids = {"GIZWITS_TEST_1", "GIZWITS_TEST_2"};
  air.address = QHostAddress("127.0.0.1");
  air.port = 40123;
  c.routers << air;
  c.cloud = CloudConfig{
      QHostAddress("127.0.0.1"), 40124, QHostAddress("127.0.0.1"), 40125, "app", "password", "lab-secret"};
  QString error;
  const auto back = StationConfig::fromJson(c.toJson(), "written", &error);
  ASSERT_TRUE(back) << error.toStdString();
  EXPECT_EQ(back->toJson(), c.toJson());
  EXPECT_EQ(back->slotConfigs[1].module, QHostAddress("127.0.0.12"));
  EXPECT_EQ(back->routers[0].port, 40123);
  ASSERT_TRUE(back->cloud);
  EXPECT_EQ(back->cloud->mqttPort, 40125);
  EXPECT_EQ(back->cloud->secret, "lab-secret");
}

TEST(StationConfigFile, Security_TheCloudSecretIsAStrictKey) {
  const QByteArray head =
      R"({"station": "a", "product": "p", "cloud": {"api": "127.0.0.1:1", "mqtt": "127.0.0.1:2",
                              "app_user": "u", "app_password": "p", "secret": )";
  QString error;
  const auto good = parse(head + R"("s3cret"}})", error);
  ASSERT_TRUE(good) << error.toStdString();
  EXPECT_EQ(good->cloud->secret, "s3cret");
  EXPECT_FALSE(parse(head + "42}}", error));
  EXPECT_EQ(error.toStdString(), "line.json: cloud.secret: must be a string");
  EXPECT_FALSE(parse(head + R"(""}})", error));
  EXPECT_EQ(error.toStdString(), "line.json: cloud.secret: must not be empty");
}

TEST(StationConfigFile, RigError_AHugeNumberIsAnErrorNotUndefinedBehaviour) {
  QString error;
  EXPECT_FALSE(parse(withSlot(R"({"name": "2", "serial_port": "/dev/ttyUSB1", "baud": 1e300})"), error));
  EXPECT_TRUE(error.contains("slots[1].baud: must be a whole number")) << error.toStdString();
}

TEST(StationConfigFile, RigError_ADuplicateKeyIsAnError) {
  QString error;
  EXPECT_FALSE(parse(
      withSlot(R"({"name": "2", "serial_port": "/dev/ttyUSB1", "serial_port": "/dev/ttyUSB2"})"), error));
  EXPECT_EQ(error.toStdString(),
            "line.json: slots[1].serial_port: key given twice (JSON keeps only the last)");
  EXPECT_FALSE(parse(R"({"station": "a", "station": "b", "product": "p"})", error));
  EXPECT_EQ(error.toStdString(), "line.json: station: key given twice (JSON keeps only the last)");
}

TEST(StationConfigFile, RigError_OnlyARegularFileOfSaneSizeIsRead) {
  QString error;
  EXPECT_FALSE(StationConfig::load("/dev/zero", &error));
  EXPECT_EQ(error.toStdString(), "/dev/zero: not a regular file");
  EXPECT_FALSE(StationConfig::load("/nonexistent/line.json", &error));
  EXPECT_EQ(error.toStdString(), "/nonexistent/line.json: no such file");
  QTemporaryDir dir;
  QFile big(dir.filePath("big.json"));
  ASSERT_TRUE(big.open(QIODevice::WriteOnly));
  big.resize(5 * 1024 * 1024);
  big.close();
  EXPECT_FALSE(StationConfig::load(big.fileName(), &error));
  EXPECT_TRUE(error.contains("larger than")) << error.toStdString();
}

// ---- issue 14: the flash step
// ------------------------------------------------------------------------------

class StationFlashKey : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir.isValid());
    ASSERT_TRUE(QDir(dir.path()).mkpath("images"));
    QFile image(dir.filePath("images/app.img"));
    ASSERT_TRUE(image.open(QIODevice::WriteOnly));
    image.write("GAFW-image-bytes");
  }
  // A station file in the temporary directory with this "flash" object.
  std::optional<StationConfig> load(const QByteArray& flash, QString& error) {
    const QString path = dir.filePath("line.json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return std::nullopt;
    file.write(R"({"station": "EOL-1", "product": "products/gokit-demo.json", "flash": )" + flash + "}");
    file.close();
    return StationConfig::load(path, &error);
  }
  QString source() const { return dir.filePath("line.json"); }
  QTemporaryDir dir;
};

TEST_F(StationFlashKey, Issue14_TheImageIsReadOnceRelativeToTheStationFileWithItsDefaults) {
  QString error;
  const auto c = load(R"({"image": "images/app.img", "version": "04020100"})", error);
  ASSERT_TRUE(c) << error.toStdString();
  ASSERT_TRUE(c->flash);
  EXPECT_EQ(c->flash->image, dir.filePath("images/app.img"));
  EXPECT_EQ(c->flash->bytes, "GAFW-image-bytes");
  EXPECT_EQ(c->flash->version, "04020100");
  EXPECT_TRUE(c->flash->skipWhenCurrent);
  EXPECT_TRUE(c->flash->verify);
  EXPECT_EQ(c->flash->address, 0x2000u);
  EXPECT_EQ(c->flash->baud, 460800);
  // The lab's --station-out form reads back the same.
  const auto back = StationConfig::fromJson(c->toJson(), source(), &error);
  ASSERT_TRUE(back) << error.toStdString();
  EXPECT_EQ(back->toJson(), c->toJson());
  EXPECT_EQ(back->flash->bytes, c->flash->bytes);
  // Without the key there is no flash step.
  const auto none = StationConfig::fromJson(R"({"station": "a", "product": "p"})", source(), &error);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->flash);
}

TEST_F(StationFlashKey, Issue14_TheStubIsReadRelativeToTheStationFileAndABadOneNamesTheField) {
  QFile stub(dir.filePath("images/stub.json"));
  ASSERT_TRUE(stub.open(QIODevice::WriteOnly));
  stub.write(R"({"entry": 1074841860, "text": "AAAA", "text_start": 1074839552, "data": "AAAA",
                 "data_start": 1073720940})");
  stub.close();
  QString error;
  const auto c =
      load(R"({"image": "images/app.img", "version": "04020100", "stub": "images/stub.json"})", error);
  ASSERT_TRUE(c) << error.toStdString();
  ASSERT_TRUE(c->flash->stub);
  EXPECT_EQ(c->flash->stubFile, dir.filePath("images/stub.json"));
  EXPECT_EQ(c->flash->stub->entry, 1074841860u);
  EXPECT_EQ(c->flash->stub->segments.size(), 2u);
  const auto back = StationConfig::fromJson(c->toJson(), source(), &error);
  ASSERT_TRUE(back) << error.toStdString();
  ASSERT_TRUE(back->flash->stub);
  EXPECT_EQ(back->flash->stubFile, c->flash->stubFile);

  QFile bad(dir.filePath("images/bad.json"));
  ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
  bad.write("not json");
  bad.close();
  EXPECT_FALSE(
      load(R"({"image": "images/app.img", "version": "04020100", "stub": "images/bad.json"})", error));
  EXPECT_TRUE(
      error.startsWith(source() + ": flash.stub: " + dir.filePath("images/bad.json") + ": not a JSON"))
      << error.toStdString();
}

TEST_F(StationFlashKey, Issue14_RigError_EveryBadFlashFieldNamesTheFileAndTheField) {
  QString error;
  const QString file = source();
  EXPECT_FALSE(load(R"({"image": "images/missing.img", "version": "04020100"})", error));
  EXPECT_EQ(error, file + ": flash.image: " + dir.filePath("images/missing.img") + ": no such file");
  EXPECT_FALSE(load(R"({"image": "/dev/zero", "version": "04020100"})", error));
  EXPECT_EQ(error, file + ": flash.image: /dev/zero: not a regular file");
  EXPECT_FALSE(load(R"({"version": "04020100"})", error));
  EXPECT_EQ(error, file + ": flash.image: is required");
  EXPECT_FALSE(load(R"({"image": "images/app.img"})", error));
  EXPECT_EQ(error, file + ": flash.version: is required");
  EXPECT_FALSE(load(R"({"image": "images/app.img", "version": "4.2.1"})", error));
  EXPECT_TRUE(error.startsWith(file + ": flash.version: must be 1 to 8 letters or digits"))
      << error.toStdString();
  EXPECT_FALSE(load(R"({"image": "images/app.img", "version": "04020100", "address": "0x2001"})", error));
  EXPECT_TRUE(error.startsWith(file + ": flash.address: must be a 4 KiB-aligned address"))
      << error.toStdString();
  EXPECT_FALSE(load(R"({"image": "images/app.img", "version": "04020100", "baud": 12})", error));
  EXPECT_TRUE(error.startsWith(file + ": flash.baud: must be a whole number")) << error.toStdString();
  EXPECT_FALSE(load(R"({"image": "images/app.img", "version": "04020100", "skip": true})", error));
  EXPECT_TRUE(error.startsWith(file + ": flash.skip: unknown key")) << error.toStdString();
  EXPECT_FALSE(load(R"({"image": "images/app.img", "version": "04020100", "verify": "yes"})", error));
  EXPECT_EQ(error, file + ": flash.verify: must be true or false");
  EXPECT_FALSE(load(R"("images/app.img")", error));
  EXPECT_EQ(error, file + ": flash: must be an object");
  QFile empty(dir.filePath("images/empty.img"));
  ASSERT_TRUE(empty.open(QIODevice::WriteOnly));
  empty.close();
  EXPECT_FALSE(load(R"({"image": "images/empty.img", "version": "04020100"})", error));
  EXPECT_EQ(error, file + ": flash.image: " + dir.filePath("images/empty.img") + ": empty file");
}

// Issue 13, operator station: the retest rule and the engineer password come from the station file,
// strictly.
// Issue 12: how setup "station" puts the module on the home router is the line's choice, strictly read.
TEST(StationConfigFile, Issue12_HomeRouterOnboardingIsSoftApByDefaultAndStrictlyRead) {
  QString error;
  const auto plain =
      parse(R"({"station": "a", "product": "p", "home_router": {"ssid": "h", "password": "x"}})", error);
  ASSERT_TRUE(plain) << error.toStdString();
  EXPECT_EQ(plain->homeRouter->onboarding, HomeRouterConfig::Onboarding::SoftAp);
  for (const auto& [word, value] : {std::pair{"mcu", HomeRouterConfig::Onboarding::Mcu},
                                    std::pair{"on_lan", HomeRouterConfig::Onboarding::OnLan},
                                    std::pair{"softap", HomeRouterConfig::Onboarding::SoftAp}}) {
    const auto c = parse(QByteArray(R"({"station": "a", "product": "p", "home_router": {"ssid": "h", )"
                                    R"("password": "x", "onboarding": ")") +
                             word + "\"}}",
                         error);
    ASSERT_TRUE(c) << word << ": " << error.toStdString();
    EXPECT_EQ(c->homeRouter->onboarding, value) << word;
    const auto back = StationConfig::fromJson(c->toJson(), "written", &error);
    ASSERT_TRUE(back) << error.toStdString();
    EXPECT_EQ(back->homeRouter->onboarding, value) << word;
  }
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "home_router": {"ssid": "h", "password": "x", )"
                     R"("onboarding": "airlink"}})",
                     error));
  EXPECT_EQ(error.toStdString(),
            "line.json: home_router.onboarding: must be \"softap\", \"mcu\" or \"on_lan\", not \"airlink\"");
}

TEST(StationConfigFile, Issue13_RetestRuleAndEngineerPasswordAreStrictKeys) {
  QString error;
  const auto plain = parse(R"({"station": "a", "product": "p"})", error);
  ASSERT_TRUE(plain) << error.toStdString();
  EXPECT_FALSE(plain->maxRetests.has_value());  // absent: no limit
  EXPECT_TRUE(plain->engineerPassword.isEmpty());
  const auto ruled =
      parse(R"({"station": "a", "product": "p", "max_retests": 2, "engineer_password": "line2-eng"})", error);
  ASSERT_TRUE(ruled) << error.toStdString();
  EXPECT_EQ(ruled->maxRetests, 2);
  EXPECT_EQ(ruled->engineerPassword, "line2-eng");
  const auto back = StationConfig::fromJson(ruled->toJson(), "written", &error);
  ASSERT_TRUE(back) << error.toStdString();
  EXPECT_EQ(back->maxRetests, 2);
  EXPECT_EQ(back->engineerPassword, "line2-eng");

  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "max_retests": -1})", error));
  EXPECT_EQ(error.toStdString(), "line.json: max_retests: must be a whole number from 0 to 100");
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "max_retests": "2"})", error));
  EXPECT_EQ(error.toStdString(), "line.json: max_retests: must be a whole number from 0 to 100");
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "engineer_password": 1234})", error));
  EXPECT_EQ(error.toStdString(), "line.json: engineer_password: must be a string");
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "engineer_password": ""})", error));
  EXPECT_TRUE(error.startsWith("line.json: engineer_password: must not be empty")) << error.toStdString();
  EXPECT_FALSE(parse(R"({"station": "a", "product": "p", "max_retest": 2})", error));
  EXPECT_TRUE(error.startsWith("line.json: max_retest: unknown key")) << error.toStdString();
}

}  // namespace
}  // namespace gizrig::core
