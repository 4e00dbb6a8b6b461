// The production sequence against the firmware core in virtual time: a good module passes every phase; each
// kind of DUT fault fails the run at the phase that catches it.
#include "gizrig/production/production_sequence.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QTemporaryDir>
#include <array>
#include <optional>
#include <vector>

#include "gagent/proto/lan_packet.h"
#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"
#include "gagent/sim/net_record.h"
#include "gagent/sim/sim_board.h"
#include "gagent/sim/sim_module.h"
#include "production_runs_apart.h"

#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/production/production_station.h"
#include "gizrig/records/sql_record_store.h"
#include "gizrig/virtual/virtual_world.h"

namespace gizrig::core {
namespace {

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "production_sequence_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

class ProductionVirtual : public ::testing::Test {
 protected:
  void SetUp() override { app(); }

  // Builds the world; `prepare` may break the DUT or the air before the test starts.
  RunRecord run(bool testRouters, const std::function<void(VirtualWorld&)>& prepare = {},
                bool routerControl = true) {
    VirtualWorldOptions options;
    options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
    options.testRouters = testRouters;
    options.homeRouter = true;
    QString error;
    auto world = VirtualWorld::create(options, error);
    EXPECT_TRUE(world) << error.toStdString();
    if (!world) return {};
    if (prepare) prepare(*world);
    world->runFor(1000);  // power-on and handshake
    const StationConfig station = testStation();
    AppPlug phone(world->clock(), world->lanLinks());
    phone.setProduct(world->sharedProduct());
    ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
    runner.startSlot(ProductionSlot{"1",
                                    world->mcu(),
                                    &phone,
                                    routerControl ? &world->router() : nullptr,
                                    QHostAddress(),
                                    "SN-1",
                                    {},
                                    {},
                                    nullptr});
    EXPECT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    return runner.runs().at(0);
  }

  // A station as the tests use it: discovery on the virtual home LAN (or `broadcast`).
  static StationConfig testStation(const QString& broadcast = VirtualWorld::homeLanBroadcast().toString()) {
    StationConfig station;
    station.station = "EOL-test";
    station.product = "products/gokit-demo.json";
    station.broadcast = broadcast;
    return station;
  }

  // A world with the GoKit product and the test routers in the air, powered and handshaken.
  static std::unique_ptr<VirtualWorld> productionWorld() {
    VirtualWorldOptions options;
    options.productFile = GAGENT_FIXTURES_DIR "/products/gokit-demo.json";
    options.testRouters = true;
    options.homeRouter = true;
    QString error;
    auto world = VirtualWorld::create(options, error);
    EXPECT_TRUE(world) << error.toStdString();
    if (world) world->runFor(1000);
    return world;
  }

  static const Measurement* measurement(const StepRecord& step, const QString& name) {
    for (const Measurement& m : step.measurements) {
      if (m.name == name) return &m;
    }
    return nullptr;
  }

  static const StepRecord* step(const RunRecord& run, const QString& name) {
    for (const StepRecord& s : run.steps) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

TEST_F(ProductionVirtual, S5_3_S5_6_AGoodModulePassesEveryPhase) {
  const RunRecord record = run(true);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  EXPECT_EQ(record.steps.size(), static_cast<std::size_t>(ProductionSequence::phaseNames().size()));
  EXPECT_EQ(record.dut.mac.size(), 12);
  EXPECT_EQ(record.dut.serial, "SN-1");
  EXPECT_FALSE(record.versions.wifiSw.isEmpty());
  const StepRecord* signal = step(record, "signal_level");
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(signal->measurements.at(0).low, 3.0);
}

// Issue 12, P2: the module joins while its versions are read. 0x13 goes out first; the 0x21 follows its ACK
// at once and goes out before the status word says "joined, test mode on", so the 74-byte 0x22 no longer
// holds up the join. join_time stays the module's: 0x13's ACK to that status word, not to the join phase.
TEST_F(ProductionVirtual, Issue12_P2_TheVersionsAreReadWhileTheModuleJoins) {
  auto world = productionWorld();
  ASSERT_TRUE(world);
  world->mcu()->capture().clear();
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  ProductionStation runner(world->clock(), testStation(), nullptr, RunMode::Virtual);
  runner.startSlot(
      ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
  const RunRecord record = runner.runs().at(0);
  ASSERT_EQ(record.outcome, Outcome::Pass) << record.failingMessage.toStdString();

  std::optional<std::size_t> production;
  std::optional<std::size_t> moduleInfo;
  std::optional<std::size_t> joined;
  std::optional<RigMillis> productionAckAt;
  std::optional<RigMillis> joinedAt;
  const auto& frames = world->mcu()->capture().entries();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const FrameLogEntry& f = frames[i];
    const auto cmd = static_cast<quint8>(f.raw.at(4));
    if (f.direction == FrameDirection::FromMcu && cmd == 0x13 && !production) production = i;
    if (f.direction == FrameDirection::FromMcu && cmd == 0x21 && !moduleInfo) moduleInfo = i;
    if (f.direction == FrameDirection::ToMcu && cmd == 0x14 && !productionAckAt) productionAckAt = f.time;
    if (f.direction == FrameDirection::ToMcu && cmd == 0x0D && !joined && f.field("router") == "1" &&
        f.field("test") == "1") {
      joined = i;
      joinedAt = f.time;
    }
  }
  ASSERT_TRUE(production && moduleInfo && joined && productionAckAt);
  EXPECT_LT(*production, *moduleInfo);
  EXPECT_LT(*moduleInfo, *joined);

  QStringList order;
  for (const StepRecord& s : record.steps) order << s.name;
  EXPECT_EQ(order, ProductionSequence::phaseNames());
  EXPECT_LT(order.indexOf("production_mode"), order.indexOf("versions_and_mac"));
  const StepRecord* join = step(record, "join_test_router");
  ASSERT_NE(join, nullptr);
  const Measurement* joinTime = measurement(*join, "join_time");
  ASSERT_NE(joinTime, nullptr);
  EXPECT_EQ(std::get<double>(joinTime->value), static_cast<double>(*joinedAt - *productionAckAt));
}

TEST_F(ProductionVirtual, S5_4_NoTestRouterInTheAirFailsTheJoinPhase) {
  // The line's routers are managed outside the rig (no router control) and none is on the air.
  const RunRecord record = run(false, {}, false);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router");
}

TEST_F(ProductionVirtual, S7_6_SilentMcuFailsTheRunWhenNoStatusArrives) {
  // The MCU hears the module but never answers (a dead MCU TX line): the module never completes its
  // handshake, so it pushes no status (McuLink holds requests until then) and the join can never be
  // confirmed.
  const RunRecord record = run(true, [](VirtualWorld& w) { w.mcu()->setSilent(true); });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "join_test_router") << record.failingMessage.toStdString();
  EXPECT_TRUE(record.failingMessage.contains("status 0x0000")) << record.failingMessage.toStdString();
}

TEST_F(ProductionVirtual, RigError_RouterBackendThatCannotSwitchTheTestRoutersIsAnError) {
  const RunRecord record = run(false);  // router control present, but it knows no test router
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Error);
  EXPECT_EQ(record.failingStep, "test_routers_on");
}

TEST_F(ProductionVirtual, S7_4_5_WrongReportFailsTheControlRoundTrip) {
  const RunRecord record = run(true, [](VirtualWorld& w) { w.mcu()->setStuckDataPoint("LED_R", 5); });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "control_round_trip");
}

TEST_F(ProductionVirtual, S4_3_WeakSignalFailsTheSignalPhase) {
  const RunRecord record = run(true, [](VirtualWorld& w) {
    w.router().setSignal("GIZWITS_TEST_1", QString(), 30, [](const RouterResult&) {});
    w.router().setSignal("GIZWITS_TEST_2", QString(), 30, [](const RouterResult&) {});
  });
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "signal_level");
  const StepRecord* signal = step(record, "signal_level");
  ASSERT_NE(signal, nullptr);
  EXPECT_EQ(std::get<double>(signal->measurements.at(0).value), 2.0);  // 30 -> level 40 -> ordinal 2
}

// ---- issue 13: wall-clock stamps in a long-lived process -------------------------------------------------

TEST_F(ProductionVirtual, Records_RunsMinutesApartInOneProcessCarryTheWallClockOfTheirOwnStart) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  QString error;
  auto store = SqlRecordStore::open(dir.filePath("records.db"), &error);
  ASSERT_NE(store, nullptr) << error.toStdString();
  const auto runs = testing::productionRunsApart(store.get(), 3, 5 * 60 * 1000);
  ASSERT_EQ(runs.size(), 3u);
  for (const auto& timed : runs) {
    ASSERT_TRUE(timed.run.outcome);
    EXPECT_EQ(*timed.run.outcome, Outcome::Pass) << timed.run.failingMessage.toStdString();
    testing::expectStampsOfTheMoment(timed);
    const auto stored = store->run(timed.run.id);
    ASSERT_TRUE(stored) << store->lastError().toStdString();
    // The database holds the same stamps.
    EXPECT_EQ(stored->startedMs, timed.run.startedMs);
    EXPECT_EQ(stored->finishedMs, timed.run.finishedMs);
    ASSERT_EQ(stored->steps.size(), timed.run.steps.size());
    for (std::size_t i = 0; i < stored->steps.size(); ++i) {
      EXPECT_EQ(stored->steps[i].startedMs, timed.run.steps[i].startedMs);
      EXPECT_EQ(stored->steps[i].durationMs, timed.run.steps[i].durationMs);
    }
  }
  // Newest first, as "Last results" and the report list them.
  const auto listed = store->runs({});
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].id, runs[2].run.id);
  EXPECT_EQ(listed[2].id, runs[0].run.id);
}

// Issue 13, operator station: the operator's Abort ends one slot's run as ABORTED (recorded like any finished
// run), and the operator who logged in is in the record.
TEST_F(ProductionVirtual, Issue13_AnOperatorsAbortEndsThatSlotAsAbortedWithTheLoggedInOperator) {
  QTemporaryDir dir;
  QString error;
  auto store = SqlRecordStore::open(dir.filePath("records.db"), &error);
  ASSERT_NE(store, nullptr) << error.toStdString();
  auto world = productionWorld();
  ASSERT_TRUE(world);
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  ProductionStation runner(world->clock(), testStation(), store.get(), RunMode::Virtual);
  runner.setOperatorName("Anna Schmidt");
  // The operator presses Abort while the fourth step runs (at the clock's next turn after it started: a
  // button press never lands inside the sequence's own call).
  int index = -1;
  bool aborted = false;
  QObject::connect(&runner, &ProductionStation::stepStarted, [&](int, const QString&, int step, int) {
    if (step != 3) return;
    world->clock().callAfter(0, &runner, [&] {
      EXPECT_FALSE(runner.abortSlot(index + 1, "no such run"));
      aborted = runner.abortSlot(index, "the operator pressed Abort");
    });
  });
  index = runner.startSlot(
      ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), "SN-1", {}, {}});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 60 * 1000));
  ASSERT_TRUE(aborted);
  EXPECT_FALSE(runner.abortSlot(index, "twice"));  // nothing left to abort
  const RunRecord run = runner.runs().at(0);
  ASSERT_TRUE(run.outcome);
  EXPECT_EQ(*run.outcome, Outcome::Aborted);
  EXPECT_TRUE(run.failingMessage.contains("the operator pressed Abort")) << run.failingMessage.toStdString();
  const auto stored = store->run(run.id);
  ASSERT_TRUE(stored) << store->lastError().toStdString();
  EXPECT_EQ(stored->outcome, Outcome::Aborted);
  EXPECT_EQ(stored->operatorName, "Anna Schmidt");
}

// Issue 13, operator station: the finished signal (what the operator's tile shows) carries the record as
// stored, with the duplicate check's flag.
TEST_F(ProductionVirtual, Issue13_TheFinishedSignalCarriesTheDuplicateFlagOfTheStoredRecord) {
  QTemporaryDir dir;
  QString error;
  auto store = SqlRecordStore::open(dir.filePath("records.db"), &error);
  ASSERT_NE(store, nullptr) << error.toStdString();
  auto world = productionWorld();
  ASSERT_TRUE(world);
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  std::vector<RunRecord> signalled;
  for (const char* serial : {"SN-1", "SN-2"}) {  // the same module under a second serial
    ProductionStation runner(world->clock(), testStation(), store.get(), RunMode::Virtual);
    QObject::connect(&runner, &ProductionStation::slotFinished,
                     [&](int, const RunRecord& run) { signalled.push_back(run); });
    runner.startSlot(
        ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), serial, {}, {}});
    ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
  }
  ASSERT_EQ(signalled.size(), 2u);
  ASSERT_EQ(signalled[0].outcome, Outcome::Pass) << signalled[0].failingMessage.toStdString();
  EXPECT_TRUE(signalled[0].duplicate.isEmpty());
  EXPECT_TRUE(signalled[1].duplicate.contains("SN-1")) << signalled[1].duplicate.toStdString();
}

// ---- issue 12: what the reference GAgent (v4.2.6, Linux port) showed -------------------------------------

// Between the module and the MCU plug: every 0x22 the module sends is rewritten into the GPRS layout of the
// same versions, as the Linux port of v4.2.6 answers 0x21 (type 02, no MAC, cellular fields zero).
class GprsModuleInfoLink final : public SerialLink {
 public:
  explicit GprsModuleInfoLink(SerialLink& inner) : inner_(inner) {
    connect(&inner_, &SerialLink::received, this, [this](const QByteArray& bytes) {
      decoder_.feed(gagent::proto::Bytes(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                         static_cast<std::size_t>(bytes.size())),
                    [this](const gagent::proto::McuDecodeEvent& event) {
                      if (event.isFrame()) forward(event.frame);
                    });
    });
  }
  bool open() override { return inner_.open(); }
  void close() override { inner_.close(); }
  [[nodiscard]] bool isOpen() const override { return inner_.isOpen(); }
  void write(const QByteArray& bytes) override { inner_.write(bytes); }
  [[nodiscard]] QString describe() const override { return "gprs-rewriting " + inner_.describe(); }
  int rewritten = 0;

 private:
  void forward(const gagent::proto::McuFrame& frame) {
    std::vector<std::uint8_t> payload(frame.payload.begin(), frame.payload.end());
    if (frame.header.cmd == gagent::proto::McuCmd::ModuleInfo) {
      const auto wifi = gagent::proto::parseModuleInfo(frame.payload);
      if (wifi.ok()) {
        gagent::proto::GprsModuleInfo gprs;
        gprs.protocolVer = wifi.value.protocolVer;
        gprs.hardVer = wifi.value.hardVer;
        gprs.softVer = wifi.value.softVer;
        gprs.devAttr = wifi.value.devAttr;
        std::array<std::uint8_t, 128> buffer{};
        gagent::proto::ByteWriter writer(buffer);
        gagent::proto::buildGprsModuleInfo(gprs, writer);
        payload.assign(writer.written().begin(), writer.written().end());
        ++rewritten;
      }
    }
    std::vector<std::uint8_t> wire(gagent::proto::kMcuMaxWireSize);
    wire.resize(gagent::proto::encodeMcuFrame(frame.header, payload, wire));
    emit received(
        QByteArray(reinterpret_cast<const char*>(wire.data()), static_cast<qsizetype>(wire.size())));
  }

  SerialLink& inner_;
  gagent::proto::McuFrameDecoder decoder_;
};

class ProductionReference : public ProductionVirtual {
 protected:
  void SetUp() override {
    ProductionVirtual::SetUp();
    VirtualWorldOptions options;  // no product: the test attaches its own MCU plug
    options.testRouters = true;
    options.homeRouter = true;
    QString error;
    world = VirtualWorld::create(options, error);
    ASSERT_TRUE(world) << error.toStdString();
    auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
    ASSERT_TRUE(product) << error.toStdString();
    sharedProduct = std::make_shared<const gagent::proto::Product>(*product);
    link = std::make_unique<GprsModuleInfoLink>(world->serialLink());
    mcu = std::make_unique<McuPlug>(link.get(), &world->clock(), *product);
    ASSERT_TRUE(mcu->open());
    phone = std::make_unique<AppPlug>(world->clock(), world->lanLinks());
    phone->setProduct(sharedProduct);
    station.station = "EOL-test";
    station.product = "products/gokit-demo.json";
    station.broadcast = VirtualWorld::homeLanBroadcast().toString();
    world->runFor(1000);  // power-on and handshake
  }
  void TearDown() override {
    phone.reset();
    mcu.reset();
    link.reset();
    world.reset();
  }

  RunRecord runOnce(const QHostAddress& module) {
    ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
    runner.startSlot(
        ProductionSlot{"1", mcu.get(), phone.get(), &world->router(), module, "SN-1", {}, {}, nullptr});
    EXPECT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    return runner.runs().at(0);
  }

  std::unique_ptr<VirtualWorld> world;
  std::shared_ptr<const gagent::proto::Product> sharedProduct;
  std::unique_ptr<GprsModuleInfoLink> link;
  std::unique_ptr<McuPlug> mcu;
  std::unique_ptr<AppPlug> phone;
  StationConfig station;
};

TEST_F(ProductionReference, S5_GprsLayoutWithoutAModuleAddressFailsNamingTheLayout) {
  const RunRecord record = runOnce(QHostAddress());
  EXPECT_GT(link->rewritten, 0);
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Fail);
  EXPECT_EQ(record.failingStep, "versions_and_mac");
  EXPECT_TRUE(record.failingMessage.contains("module info uses the GPRS layout, type 02: no MAC"))
      << record.failingMessage.toStdString();
  const StepRecord* versions = step(record, "versions_and_mac");
  ASSERT_NE(versions, nullptr);
  const Measurement* layout = measurement(*versions, "module_info_layout");
  ASSERT_NE(layout, nullptr);
  EXPECT_EQ(std::get<QString>(layout->value), "GPRS layout, type 02");
  EXPECT_FALSE(record.versions.wifiSw.isEmpty());  // what the module reported is recorded
}

TEST_F(ProductionReference, S5_GprsLayoutTakesTheMacFromTheDiscoveryAnswerOfTheKnownAddress) {
  const RunRecord record = runOnce(QHostAddress(QStringLiteral("10.0.0.50")));  // SimNet's module address
  ASSERT_TRUE(record.outcome);
  EXPECT_EQ(*record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  EXPECT_EQ(record.dut.mac.size(), 12);
  const StepRecord* discovery = step(record, "lan_discovery");
  ASSERT_NE(discovery, nullptr);
  const Measurement* mac = measurement(*discovery, "mac_from_discovery");
  ASSERT_NE(mac, nullptr);
  EXPECT_EQ(std::get<QString>(mac->value), record.dut.mac);
}

TEST_F(ProductionVirtual, S7_1_2_DiscoveryStopsWhenTheSlotsModuleAnsweredAndNeverSendsAfterTheRun) {
  auto world = productionWorld();
  ASSERT_TRUE(world);
  const StationConfig station = testStation();
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  // Every datagram the rig sends to the module's config port (12414) is a 0003 in this run.
  const auto discoveryRequests = [&world] {
    int count = 0;
    for (const gagent::sim::NetRecord& r : world->board().net().record()) {
      if (r.kind == gagent::sim::NetRecord::Kind::Udp && !r.fromModule &&
          r.to.port == gagent::proto::kLanUdpConfigPort)
        ++count;
    }
    return count;
  };
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  runner.startSlot(
      ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
  const RunRecord record = runner.runs().at(0);
  ASSERT_EQ(record.outcome, Outcome::Pass) << record.failingMessage.toStdString();
  const StepRecord* discovery = step(record, "lan_discovery");
  ASSERT_NE(discovery, nullptr);
  const Measurement* sent = measurement(*discovery, "discovery_requests");
  ASSERT_NE(sent, nullptr);
  EXPECT_LE(std::get<double>(sent->value), 2.0);
  const int atTheEnd = discoveryRequests();
  EXPECT_GE(atTheEnd, 1);
  EXPECT_EQ(static_cast<double>(atTheEnd), std::get<double>(sent->value));
  world->runFor(60 * 1000);  // a minute after the verdict: nothing more goes out
  EXPECT_EQ(discoveryRequests(), atTheEnd);
}

TEST(DiscoveryResends, S7_1_2_BackOffUpToTheCap) {
  DiscoveryOptions options;
  options.timeoutMs = 13500;
  options.resendMs = 1000;
  options.resendBackoff = 2.0;
  options.maxResendMs = 4000;
  EXPECT_EQ(discoveryResendTimes(options), (QList<RigMillis>{1000, 3000, 7000, 11000}));
  options.resendBackoff = 1.0;
  options.timeoutMs = 3500;
  EXPECT_EQ(discoveryResendTimes(options), (QList<RigMillis>{1000, 2000, 3000}));
  options.resendMs = 0;
  EXPECT_TRUE(discoveryResendTimes(options).isEmpty());
}

TEST_F(ProductionVirtual, S7_1_2_AModuleThatNeverAnswersDiscoveryFailsWithWhatTheRigSaw) {
  // The module is on the test router but the station broadcasts where nobody listens.
  auto world = productionWorld();
  ASSERT_TRUE(world);
  const StationConfig station = testStation("10.99.255.255");
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  runner.startSlot(
      ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
  const RunRecord record = runner.runs().at(0);
  EXPECT_EQ(record.failingStep, "lan_discovery");
  // The discovery's own words, not the step's generic time limit.
  EXPECT_FALSE(record.failingMessage.contains("did not complete")) << record.failingMessage.toStdString();
  EXPECT_TRUE(record.failingMessage.contains("no discovery answer from the module " + record.dut.mac))
      << record.failingMessage.toStdString();
  EXPECT_TRUE(record.failingMessage.contains("10.99.255.255")) << record.failingMessage.toStdString();
}

TEST_F(ProductionVirtual, S5_2_ARetestOfAPoweredModuleRestartsItAndPasses) {
  auto world = productionWorld();
  ASSERT_TRUE(world);
  const StationConfig station = testStation();
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(world->sharedProduct());
  std::vector<RunRecord> runs;
  for (int i = 0; i < 2; ++i) {
    ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
    runner.startSlot(
        ProductionSlot{"1", world->mcu(), &phone, &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
    ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
    runs.push_back(runner.runs().at(0));
  }
  ASSERT_EQ(runs[0].outcome, Outcome::Pass) << runs[0].failingMessage.toStdString();
  ASSERT_EQ(runs[1].outcome, Outcome::Pass)
      << runs[1].failingStep.toStdString() << ": " << runs[1].failingMessage.toStdString();
  EXPECT_EQ(measurement(*step(runs[0], "handshake"), "module_restart"), nullptr);  // it had just come up
  const Measurement* restart = measurement(*step(runs[1], "handshake"), "module_restart");
  ASSERT_NE(restart, nullptr);  // the record says so
  EXPECT_TRUE(std::get<QString>(restart->value).contains("0x29"))
      << std::get<QString>(restart->value).toStdString();
  EXPECT_EQ(runs[0].dut.mac, runs[1].dut.mac);
}

TEST_F(ProductionVirtual, S5_2_ANewRigNextToARunningModuleRestartsItWhenNoHandshakeComes) {
  // The rig process is new (a plug that never saw the handshake); the module has been up for minutes.
  VirtualWorldOptions options;
  options.testRouters = true;
  QString error;
  auto world = VirtualWorld::create(options, error);
  ASSERT_TRUE(world) << error.toStdString();
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product);
  {
    McuPlug first(&world->serialLink(), &world->clock(), *product);  // the rig of the previous run
    ASSERT_TRUE(first.open());
    world->runFor(5 * 60 * 1000);
    ASSERT_GT(first.handshakeCount(), 0);
    first.close();
  }
  McuPlug mcu(&world->serialLink(), &world->clock(), *product);
  ASSERT_TRUE(mcu.open());
  const StationConfig station = testStation();
  AppPlug phone(world->clock(), world->lanLinks());
  phone.setProduct(std::make_shared<const gagent::proto::Product>(*product));
  ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
  runner.startSlot(
      ProductionSlot{"1", &mcu, &phone, &world->router(), QHostAddress(), "SN-1", {}, {}, nullptr});
  ASSERT_TRUE(world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
  const RunRecord record = runner.runs().at(0);
  ASSERT_EQ(record.outcome, Outcome::Pass)
      << record.failingStep.toStdString() << ": " << record.failingMessage.toStdString();
  const Measurement* restart = measurement(*step(record, "handshake"), "module_restart");
  ASSERT_NE(restart, nullptr);
  EXPECT_TRUE(std::get<QString>(restart->value).contains("already running"));
}

// Between the MCU plug and the module: the MCU's restart (0x29) never reaches the module, as with GAgent's
// Linux port, which ACKs it and only prints "Please restart GAgent".
class RestartDroppingLink final : public SerialLink {
 public:
  explicit RestartDroppingLink(SerialLink& inner) : inner_(inner) {
    connect(&inner_, &SerialLink::received, this, &SerialLink::received);
  }
  bool open() override { return inner_.open(); }
  void close() override { inner_.close(); }
  [[nodiscard]] bool isOpen() const override { return inner_.isOpen(); }
  void write(const QByteArray& bytes) override {
    // FF FF len(2) cmd ...: the plug writes one frame per call.
    if (bytes.size() > 4 && static_cast<quint8>(bytes[4]) == 0x29) {
      ++dropped;
      return;
    }
    inner_.write(bytes);
  }
  [[nodiscard]] QString describe() const override { return "restart-dropping " + inner_.describe(); }
  int dropped = 0;

 private:
  SerialLink& inner_;
};

class ProductionRetest : public ProductionVirtual {
 protected:
  // Two runs on one module and one plug: the second must bring the module back to a known state.
  std::vector<RunRecord> twoRuns(bool withPowerCycle) {
    VirtualWorldOptions options;
    options.testRouters = true;
    QString error;
    auto world = VirtualWorld::create(options, error);
    EXPECT_TRUE(world) << error.toStdString();
    if (!world) return {};
    auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
    EXPECT_TRUE(product);
    RestartDroppingLink link(world->serialLink());
    McuPlug mcu(&link, &world->clock(), *product);
    EXPECT_TRUE(mcu.open());
    AppPlug phone(world->clock(), world->lanLinks());
    phone.setProduct(std::make_shared<const gagent::proto::Product>(*product));
    world->runFor(1000);
    const StationConfig station = testStation();
    int powerCycles = 0;
    std::function<void()> powerCycle;
    if (withPowerCycle) {
      powerCycle = [&] {
        ++powerCycles;
        world->module().powerOn();  // off and on again: a new boot, a new handshake
      };
    }
    std::vector<RunRecord> runs;
    for (int i = 0; i < 2; ++i) {
      ProductionStation runner(world->clock(), station, nullptr, RunMode::Virtual);
      runner.startSlot(ProductionSlot{
          "1", &mcu, &phone, &world->router(), QHostAddress(), "SN-1", {}, powerCycle, nullptr});
      EXPECT_TRUE(
          world->clock().runUntil([&] { return runner.finished(); }, world->nowMs() + 30 * 60 * 1000));
      runs.push_back(runner.runs().at(0));
    }
    EXPECT_GT(link.dropped, 0);
    EXPECT_EQ(powerCycles, withPowerCycle ? 1 : 0);
    mcu.close();
    return runs;
  }
};

TEST_F(ProductionRetest, S5_2_AModuleThatIgnoresTheRestartIsPowerCycledWhenTheSlotCan) {
  const std::vector<RunRecord> runs = twoRuns(true);
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_EQ(runs[1].outcome, Outcome::Pass)
      << runs[1].failingStep.toStdString() << ": " << runs[1].failingMessage.toStdString();
  const Measurement* cycled = measurement(*step(runs[1], "handshake"), "module_power_cycle");
  ASSERT_NE(cycled, nullptr);
  EXPECT_TRUE(std::get<QString>(cycled->value).contains("power-cycled"));
}

TEST_F(ProductionRetest, S5_2_WithoutAPowerSwitchTheFailureSaysWhatWasTriedAndWhatIsMissing) {
  const std::vector<RunRecord> runs = twoRuns(false);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].outcome, Outcome::Fail);
  EXPECT_EQ(runs[1].failingStep, "handshake");
  EXPECT_TRUE(runs[1].failingMessage.contains("not even after the restart 0x29"))
      << runs[1].failingMessage.toStdString();
  EXPECT_TRUE(runs[1].failingMessage.contains("the slot has no power_cycle command"))
      << runs[1].failingMessage.toStdString();
}

TEST(ExitTestWords, S5_6_NullModeIsReportedAsASpecDifferenceWithTheStatusWords) {
  // v4.2.6 on 0017: station, router and test mode go off, and SoftAP never comes on.
  const QString message = ProductionSequence::describeExitTest({0x171A, 0x0000}, true);
  EXPECT_EQ(message.toStdString(),
            "0018 arrived, status went 0x171A -> 0x0000: the module went to null mode (neither SoftAP nor "
            "station) where S5.6 asks for SoftAP (spec difference)");
}

TEST(ExitTestWords, S5_6_WhatDidNotHappenIsNamed) {
  // 0x0F1A: station + router + app online, test mode gone, and no SoftAP.
  EXPECT_EQ(ProductionSequence::describeExitTest({0x171A, 0x0F1A}, true).toStdString(),
            "0018 arrived, status went 0x171A -> 0x0F1A, SoftAP never came on, station mode still on (S5.6)");
  // 0x1003: SoftAP came on, but station and test mode stayed.
  EXPECT_EQ(ProductionSequence::describeExitTest({0x171A, 0x1003}, true).toStdString(),
            "0018 arrived, status went 0x171A -> 0x1003, station mode still on, test mode still on (S5.6)");
  EXPECT_EQ(ProductionSequence::describeExitTest({0x171A}, false).toStdString(),
            "exit test (0017) not answered (no 0018) (S5.6)");
}

TEST(PortErrors, RigError_APortThatDoesNotOpenIsThatSlotsErrorWithTheReason) {
  app();
  RealClock clock;
  StationConfig station;
  station.station = "EOL-test";
  McuPlug* noPlug = nullptr;
  ProductionStation runner(clock, station, nullptr, RunMode::Real);
  const ProductionSlot slot{
      "3",
      noPlug,
      nullptr,
      nullptr,
      QHostAddress(),
      "SN-3",
      "/dev/ttyUSB7: No such file or directory (no such device: is the adapter plugged in?)",
      {},
      nullptr};
  runner.startSlot(slot);
  ASSERT_TRUE(runner.finished());
  const RunRecord record = runner.runs().at(0);
  EXPECT_EQ(record.outcome, Outcome::Error);
  EXPECT_EQ(record.failingStep, "handshake");
  EXPECT_TRUE(record.failingMessage.contains("/dev/ttyUSB7: No such file"))
      << record.failingMessage.toStdString();
}

}  // namespace
}  // namespace gizrig::core
