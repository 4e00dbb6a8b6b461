// Issue 14, the production flash step in virtual time: the station's image goes through the module's ROM
// serial loader (the rig's flasher against gagent-sim's loader emulation, in-process) as the first step of
// the run, the module boots it and the test goes on; a module that already reports the station's version is
// not written again; a failing flash FAILs the run at that step with the flasher's words and nothing else
// runs.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <vector>

#include "gagent/core/firmware_image.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/virtual/virtual_world.h"
#include "virtual_rom_flasher.h"

namespace gizrig::core {
namespace {

using gizrig::testing::VirtualRomFlasher;

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "production_flash_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

// An image in the OTA format the module's boot check and identity read (S9.6): hardware GAGENTSM as the
// virtual module, `software` the version it reports once it runs it, and a payload that compresses like code.
QByteArray firmwareImage(const std::string& software, std::size_t payloadBytes = 24 * 1024) {
  std::vector<std::uint8_t> payload(payloadBytes);
  std::uint32_t x = 7;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    x = x * 1664525u + 1013904223u;
    payload[i] = (i / 64) % 2 == 0 ? static_cast<std::uint8_t>(x >> 24) : static_cast<std::uint8_t>(i & 0x0F);
  }
  std::vector<std::uint8_t> out(payload.size() + 256);
  const std::size_t size = gagent::core::encodeFirmwareImage(out, "GAGENTSM", software, "25061012", payload);
  EXPECT_GT(size, 0u);
  return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(size));
}

const Measurement* measurement(const StepRecord& step, const QString& name) {
  for (const Measurement& m : step.measurements) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

QString text(const StepRecord& step, const QString& name) {
  const Measurement* m = measurement(step, name);
  return m != nullptr && std::holds_alternative<QString>(m->value) ? std::get<QString>(m->value) : QString();
}

double number(const StepRecord& step, const QString& name) {
  const Measurement* m = measurement(step, name);
  return m != nullptr && std::holds_alternative<double>(m->value) ? std::get<double>(m->value) : -1.0;
}

class ProductionFlash : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    VirtualWorldOptions options;
    options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
    options.testRouters = true;
    options.homeRouter = true;
    QString error;
    world = VirtualWorld::create(options, error);
    ASSERT_TRUE(world) << error.toStdString();
    world->runFor(1000);  // power-on and handshake
    phone = std::make_unique<AppPlug>(world->clock(), world->lanLinks());
    phone->setProduct(world->sharedProduct());
    flasher = std::make_unique<VirtualRomFlasher>(*world);
    station.station = "EOL-test";
    station.product = "products/gokit-demo.json";
    station.broadcast = VirtualWorld::homeLanBroadcast().toString();
    image = firmwareImage("04020100");
    station.flash = FlashStepConfig{
        "/line/images/gagent-04020100.img", image, 0x2000, "04020100", true, 460800, true, {}, std::nullopt};
  }
  void TearDown() override {
    flasher.reset();
    phone.reset();
    world.reset();
  }

  RunRecord runOnce(std::vector<int>* progress = nullptr) {
    ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
    if (progress != nullptr) {
      QObject::connect(&runner, &ProductionStation::stepProgress,
                       [progress](int, const QString& step, int p) {
                         if (step == "flash") progress->push_back(p);
                       });
    }
    runner.startSlot(ProductionSlot{
        "1", world->mcu(), phone.get(), &world->router(), QHostAddress(), "SN-1", {}, {}, flasher.get()});
    EXPECT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    return runner.runs().at(0);
  }

  std::vector<std::uint8_t> flashAt(std::uint32_t address, std::size_t size) {
    std::vector<std::uint8_t> out(size);
    world->board().flash().read(address, out);
    return out;
  }

  std::unique_ptr<VirtualWorld> world;
  std::unique_ptr<AppPlug> phone;
  std::unique_ptr<VirtualRomFlasher> flasher;
  StationConfig station;
  QByteArray image;
};

TEST_F(ProductionFlash, S2_2_Issue14_FlashIsTheFirstStepThenTheModuleRunsTheImageAndTheTestPasses) {
  std::vector<int> progress;
  const RunRecord record = runOnce(&progress);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  EXPECT_EQ(flasher->starts, 1);
  ASSERT_EQ(record.steps.size(), static_cast<std::size_t>(ProductionSequence::phaseNames(true).size()));
  const StepRecord& flash = record.steps.front();
  EXPECT_EQ(flash.name, "flash");
  EXPECT_EQ(flash.index, 0);
  EXPECT_EQ(record.steps[1].name, "handshake");
  // What the record keeps of the write: the image's MD5, the version, the bytes, the time and the throughput.
  const QString md5 = QString::fromLatin1(QCryptographicHash::hash(image, QCryptographicHash::Md5).toHex());
  EXPECT_EQ(text(flash, "image_md5"), md5);
  EXPECT_EQ(text(flash, "version"), "04020100");
  EXPECT_EQ(number(flash, "image_bytes"), static_cast<double>(image.size()));
  EXPECT_EQ(text(flash, "flash"), "written");
  EXPECT_EQ(text(flash, "chip"), "ESP8266");
  EXPECT_EQ(text(flash, "version_before"), "04020000");  // the module's own version, asked over 0x21
  EXPECT_GT(number(flash, "flash_seconds"), 0.0);  // wire time at 115200 (the ESP8266 ROM cannot go faster)
  EXPECT_GT(number(flash, "throughput"), 0.0);
  EXPECT_EQ(measurement(flash, "throughput")->unit, "B/s");
  // The image is in the module's flash where it boots from, and the module runs it (0x22, S2.2).
  const std::vector<std::uint8_t> written = flashAt(0x2000, static_cast<std::size_t>(image.size()));
  EXPECT_TRUE(std::equal(written.begin(), written.end(), image.begin(), image.end(),
                         [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); }));
  EXPECT_EQ(record.versions.wifiSw, "04020100");
  // The tile's flashing phase: percentages that rise to 100.
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), 100);
  EXPECT_GT(progress.size(), 2u);
}

// An ESP8266's ROM has no MD5 and stays at 115200; with the station's flasher stub (`flash.stub`) the step
// goes at the station's baud and verifies the image.
TEST_F(ProductionFlash, Issue14_WithTheStationsStubAnEsp8266IsWrittenAtTheStationsBaudAndVerified) {
  const RunRecord plain = runOnce();
  ASSERT_EQ(plain.outcome, Outcome::Pass) << plain.failingMessage.toStdString();
  EXPECT_EQ(text(plain.steps.front(), "md5_verified"), "no");
  EXPECT_EQ(number(plain.steps.front(), "baud"), 115200.0);

  station.flash->skipWhenCurrent = false;
  station.flash->stub = flash::FlasherStub{
      0x4010C504,
      {{0x4010C000, std::vector<std::uint8_t>(8192, 0)}, {0x3FFFAE6C, std::vector<std::uint8_t>(920, 0)}}};
  const RunRecord withStub = runOnce();
  ASSERT_EQ(withStub.outcome, Outcome::Pass) << withStub.failingMessage.toStdString();
  const StepRecord& flash = withStub.steps.front();
  EXPECT_EQ(text(flash, "flash"), "written");
  EXPECT_EQ(text(flash, "md5_verified"), "yes");
  EXPECT_EQ(number(flash, "baud"), 460800.0);
}

TEST_F(ProductionFlash, Issue14_AModuleThatAlreadyReportsTheVersionIsNotWrittenAndTheRecordSaysWhy) {
  const RunRecord first = runOnce();
  ASSERT_EQ(first.outcome, Outcome::Pass) << first.failingMessage.toStdString();
  ASSERT_EQ(flasher->starts, 1);
  const RunRecord again = runOnce();  // the same module, now on 04020100
  ASSERT_TRUE(again.outcome);
  EXPECT_EQ(*again.outcome, Outcome::Pass)
      << again.failingStep.toStdString() << ": " << again.failingMessage.toStdString();
  EXPECT_EQ(flasher->starts, 1);  // not written again
  const StepRecord& flash = again.steps.front();
  EXPECT_EQ(flash.name, "flash");
  EXPECT_EQ(flash.outcome, Outcome::Pass);
  EXPECT_EQ(text(flash, "flash"), "skipped");
  EXPECT_EQ(flash.message, "skipped: the module already reports version 04020100 (0x22)");
  EXPECT_EQ(again.versions.wifiSw, "04020100");
}

TEST_F(ProductionFlash, Issue14_SkipWhenCurrentFalseWritesEvenAModuleOnTheVersion) {
  ASSERT_EQ(runOnce().outcome, Outcome::Pass);
  station.flash->skipWhenCurrent = false;
  const RunRecord again = runOnce();
  EXPECT_EQ(again.outcome, Outcome::Pass) << again.failingMessage.toStdString();
  EXPECT_EQ(flasher->starts, 2);
  EXPECT_EQ(text(again.steps.front(), "flash"), "written");
}

TEST_F(ProductionFlash, Issue14_NoSyncFailsTheRunAtTheFlashStepWithTheFlashersWordsAndNothingElseRuns) {
  flasher->answerNothing = true;  // GPIO0 high: the module runs its firmware, no loader answers
  const RunRecord record = runOnce();
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "flash");
  EXPECT_TRUE(record.failingMessage.contains("is GPIO0 low / is the module in its loader?"))
      << record.failingMessage.toStdString();
  EXPECT_EQ(record.steps.size(), 1u);  // no handshake, no test
}

TEST_F(ProductionFlash, Issue14_AnMd5MismatchFailsTheRunAtTheFlashStepNamingBothSums) {
  flasher = std::make_unique<VirtualRomFlasher>(*world, gagent::posix::LoaderChip::Esp32);  // its ROM has MD5
  flasher->beforeMd5 = [](gagent::sim::SimFlash& flash) {
    // A bit the flash did not keep.
    std::uint8_t byte = 0;
    flash.read(0x2000 + 100, std::span(&byte, 1));
    byte = static_cast<std::uint8_t>(byte & 0xFE);  // flash programs 1 -> 0 only
    flash.write(0x2000 + 100, std::span(&byte, 1));
  };
  // Byte 100 of the image must have bit 0 set for the flip to change anything.
  image[100] = static_cast<char>(image[100] | 0x01);
  station.flash->bytes = image;
  const RunRecord record = runOnce();
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "flash");
  const QString md5 = QString::fromLatin1(QCryptographicHash::hash(image, QCryptographicHash::Md5).toHex());
  EXPECT_TRUE(record.failingMessage.contains("MD5")) << record.failingMessage.toStdString();
  EXPECT_TRUE(record.failingMessage.contains(md5)) << record.failingMessage.toStdString();
  EXPECT_EQ(record.steps.size(), 1u);
}

TEST_F(ProductionFlash, S2_2_Issue14_AnImageThatBootsWithAnotherVersionFailsTheVersionsStep) {
  image = firmwareImage("04020200");  // the station expects 04020100, the image says 04020200
  station.flash->bytes = image;
  const RunRecord record = runOnce();
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.steps.front().outcome, Outcome::Pass);
  EXPECT_EQ(record.failingStep, "versions_and_mac");
  EXPECT_EQ(record.failingMessage.toStdString(),
            "after the flash step the module reports software version 04020200, not the station's 04020100 "
            "(S2.2)");
}

TEST_F(ProductionFlash, RigError_ASlotWithoutAFlasherIsAnErrorAtTheFlashStep) {
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  runner.startSlot(ProductionSlot{
      "1", world->mcu(), phone.get(), &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 60 * 1000));
  const RunRecord record = runner.runs().at(0);
  EXPECT_EQ(record.outcome, Outcome::Error);
  EXPECT_EQ(record.failingStep, "flash");
  EXPECT_EQ(record.steps.size(), 1u);
}

TEST_F(ProductionFlash, Issue14_AnAbortMidWriteStopsTheFlasherAndRecordsTheFlashStepAborted) {
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  bool halfway = false;
  QObject::connect(&runner, &ProductionStation::stepProgress,
                   [&halfway](int, const QString&, int percent) { halfway = halfway || percent >= 50; });
  runner.startSlot(ProductionSlot{
      "1", world->mcu(), phone.get(), &world->router(), QHostAddress(), "SN-1", {}, {}, flasher.get()});
  ASSERT_TRUE(world->clock().runUntil([&] { return halfway; }, world->nowMs() + 60 * 1000));
  EXPECT_EQ(runner.abortAll("operator"), 1);
  world->runFor(10 * 1000);  // a flasher still running would write on and reboot the module
  const RunRecord record = runner.runs().at(0);
  EXPECT_EQ(record.outcome, Outcome::Aborted);
  EXPECT_EQ(record.failingStep, "flash");
  EXPECT_EQ(world->board().system().rebootCount(), 0u);
}

}  // namespace
}  // namespace gizrig::core
