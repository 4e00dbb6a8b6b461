// The scenario engine on a manual clock: durations, the loader's errors (file, step, field), every step
// kind, timeouts, retries, FAIL vs ERROR, measurement limits, the event-history matching rule, teardown,
// setup, suite order, the real McuPlug behind mcu.* actions, and every shipped scenario file loading.
#include <gtest/gtest.h>

#include <QDir>
#include <QTemporaryDir>
#include <memory>
#include <vector>

#include "app_plug_fakes.h"
#include "gagent/proto/mcu_frame.h"
#include "gizrig/engine/engine_runner.h"
#include "gizrig/engine/engine_suite.h"
#include "gizrig/engine/scenario_duration.h"
#include "gizrig/engine/scenario_loader.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/cloud_control.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_control.h"

namespace gizrig::core {
namespace {

namespace proto = gagent::proto;
using test::FakeClock;

// ---- fakes
// -------------------------------------------------------------------------------------------------

// Test actions: test.ok / test.fail / test.error complete at once; test.later completes after "ms" with
// "outcome"; test.hang never completes; test.flaky fails "failures" times, then passes.
struct TestActions {
  int flakyCalls = 0;
  std::vector<QString> calls;

  ActionRegistry registry(FakeClock& clock) {
    ActionRegistry r = standardActions();
    auto immediate = [this](Outcome outcome) {
      return [this, outcome](const ActionCall& call, RunContext&, ActionDone done) {
        calls.push_back(call.action);
        done(ActionResult{outcome, outcome == Outcome::Pass ? QString() : QStringLiteral("told to"),
                          call.params.value("result").toMap()});
      };
    };
    r.add({"test.ok", {}, "", immediate(Outcome::Pass), {}});
    r.add({"test.fail", {}, "", immediate(Outcome::Fail), {}});
    r.add({"test.error", {}, "", immediate(Outcome::Error), {}});
    r.add({"test.hang",
           {},
           "",
           [this](const ActionCall& call, RunContext&, ActionDone) { calls.push_back(call.action); },
           {},
           2000});
    r.add({"test.later",
           {"ms"},
           "",
           [this, &clock](const ActionCall& call, RunContext&, ActionDone done) {
             calls.push_back(call.action);
             const auto outcome =
                 outcomeFromName(call.params.value("outcome", "PASS").toString()).value_or(Outcome::Pass);
             const QVariantMap result = call.params.value("result").toMap();
             clock.callAfter(call.params.value("ms").toLongLong(), nullptr, [done, outcome, result] {
               done(ActionResult{outcome, "later", result});
             });
           },
           {}});
    r.add({"test.flaky",
           {"failures"},
           "",
           [this](const ActionCall& call, RunContext&, ActionDone done) {
             calls.push_back(call.action);
             if (flakyCalls++ < call.params.value("failures").toInt())
               return done(ActionResult::fail("flaky"));
             done(ActionResult::pass({{"attempts", flakyCalls}}));
           },
           {}});
    return r;
  }
};

class FakeRouter final : public RouterControl {
 public:
  void setPower(const QString& ssid, bool on, Done done) override {
    calls << QStringLiteral("power %1 %2").arg(ssid).arg(on);
    done({ok, ok ? QString() : QStringLiteral("backend unreachable")});
  }
  void reboot(const QString& ssid, Done done) override {
    calls << "reboot " + ssid;
    done({ok, {}});
  }
  void configure(const QString&, const QString&, const QString&, Done done) override { done({ok, {}}); }
  void setSignal(const QString& ssid, const QString& mac, int signal, Done done) override {
    calls << QStringLiteral("signal %1 %2 %3").arg(ssid, mac).arg(signal);
    done({ok, {}});
  }
  void status(const QString&, std::function<void(const RouterResult&, const RouterStatus&)> done) override {
    done({ok, {}}, RouterStatus{"LAB", true, 80, {"AABBCCDDEEFF"}});
  }
  bool ok = true;
  QStringList calls;
};

class FakeCloud final : public CloudControl {
 public:
  void setHttpFault(const QString& endpoint, const QVariantMap& fault, Done done) override {
    calls << "http " + endpoint + " " + fault.value("kind").toString();
    done({ok, ok ? QString() : "control endpoint down", {}});
  }
  void setM2mFault(const QVariantMap& fault, Done done) override {
    calls << "m2m " + fault.value("kind").toString() + " " + fault.value("code").toString();
    done({ok, {}, {}});
  }
  void publishFirmware(const QString& hw, const QString& sw, int fid, const QByteArray& image,
                       Done done) override {
    calls << QStringLiteral("publish %1 %2 %3 %4").arg(hw, sw).arg(fid).arg(image.size());
    done({ok, {}, {}});
  }
  void pushOta(const QString& did, Done done) override {
    calls << "ota " + did;
    done({ok, {}, {}});
  }
  void appPublish(const QString& did, const QString& clientId, const QByteArray& packet, Done done) override {
    calls << "app " + did + " " + clientId;
    packets << packet;
    done({ok, {}, {}});
  }
  void deviceStatus(const QString&, Done done) override { done({ok, {}, {{"online", true}}}); }
  bool ok = true;
  QStringList calls;
  QList<QByteArray> packets;
};

class MemoryLink final : public SerialLink {
 public:
  bool open() override { return true; }
  void close() override {}
  [[nodiscard]] bool isOpen() const override { return true; }
  void write(const QByteArray& bytes) override { written += bytes; }
  [[nodiscard]] QString describe() const override { return QStringLiteral("memory"); }
  void inject(const QByteArray& bytes) { emit received(bytes); }
  QByteArray written;
};

QByteArray moduleFrame(proto::McuCmd cmd, std::uint8_t sn, const QByteArray& payload = {}) {
  const proto::Bytes body(reinterpret_cast<const std::uint8_t*>(payload.constData()),
                          static_cast<std::size_t>(payload.size()));
  std::vector<std::uint8_t> out(proto::kMcuMaxWireSize);
  out.resize(proto::encodeMcuFrame(proto::McuHeader{cmd, sn, 0}, body, out));
  return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(out.size()));
}

// ---- fixture
// -----------------------------------------------------------------------------------------------

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::qtApp();
    registry = actions.registry(clock);
  }

  std::optional<Scenario> load(const QByteArray& json, QString* errorOut = nullptr) {
    QString error;
    auto scenario = ScenarioLoader(registry, GAGENT_FIXTURES_DIR).loadJson(json, "t.json", error);
    if (errorOut) *errorOut = error;
    return scenario;
  }
  QString loadError(const QByteArray& json) {
    QString error;
    EXPECT_FALSE(load(json, &error)) << "loaded: " << json.toStdString();
    return error;
  }
  // A scenario around `steps` (a JSON array body).
  static QByteArray scenario(const QByteArray& steps, const QByteArray& extra = {}) {
    return R"({"name": "s", "product": "products/gokit-demo.json", "clauses": ["S9.9"], "steps": [)" + steps +
           "]" + extra + "}";
  }

  // Runs it (clock advanced by `runFor`); the runner stays for inspection.
  RunRecord run(const QByteArray& json, RigMillis runFor = 60000) {
    auto loaded = load(json, &lastError);
    EXPECT_TRUE(loaded) << lastError.toStdString();
    if (!loaded) return {};
    makeRunner();
    RunOptions options;
    options.startedEpochMs = 1'700'000'000'000;
    options.mode = RunMode::Virtual;
    runner->setOptions(options);
    EXPECT_TRUE(runner->start(*loaded));
    clock.advanceBy(runFor);
    EXPECT_FALSE(runner->isRunning());
    return runner->record();
  }
  void makeRunner() {
    RunContext context(clock);
    context.router = &router;
    context.cloud = &cloud;
    context.routerSsid = "LAB";
    context.module = QHostAddress("127.0.0.2");
    context.mcu = mcu;
    runner = std::make_unique<ScenarioRunner>(context, registry);
  }
  // Posts an event at `at` (clock ms).
  void postAt(RigMillis at, const QString& name, const QVariantMap& fields = {}) {
    clock.callAt(at, nullptr, [this, name, fields] { runner->postEvent(name, fields); });
  }

  FakeClock clock;
  TestActions actions;
  ActionRegistry registry;
  FakeRouter router;
  FakeCloud cloud;
  McuPlug* mcu = nullptr;
  std::unique_ptr<ScenarioRunner> runner;
  QString lastError;
};

// ---- durations and the loader
// ------------------------------------------------------------------------------

TEST(ScenarioDuration, ParsesTheFourUnitsAndRejectsEverythingElse) {
  EXPECT_EQ(parseDuration("200ms"), 200);
  EXPECT_EQ(parseDuration("10s"), 10000);
  EXPECT_EQ(parseDuration("3min"), 180000);
  EXPECT_EQ(parseDuration("2h"), 7200000);
  EXPECT_EQ(parseDuration("0s"), 0);
  for (const char* bad : {"10x", "10", "", "s", "-1s", "1.5s", "10 s", "10S", "3m", "99999999999999h"}) {
    EXPECT_FALSE(parseDuration(bad)) << bad;
  }
  EXPECT_EQ(formatDuration(200), "200ms");
  EXPECT_EQ(formatDuration(180000), "3min");
  EXPECT_EQ(formatDuration(7200000), "2h");
  EXPECT_EQ(formatDuration(1500), "1500ms");
}

// Issue 16: mistakes of the scenario are the loader's errors, never a FAIL or an ERROR blamed on the DUT.
TEST_F(EngineTest, RigError_AStepReferenceTypoIsALoadError) {
  EXPECT_EQ(
      loadError(scenario(R"({"do": "test.ok", "name": "login"}, {"measure": "x", "from": "@nosuchstep.x"})")),
      "t.json: steps[1].from: no earlier step is named \"nosuchstep\" (a step's \"name\", or @last)");
  // A later step is no earlier step either; an earlier one, or @last, loads.
  EXPECT_TRUE(
      loadError(scenario(R"({"measure": "x", "from": "@login.v"}, {"do": "test.ok", "name": "login"})"))
          .contains("no earlier step is named \"login\""));
  EXPECT_TRUE(load(scenario(R"({"do": "test.ok", "name": "login"}, {"measure": "x", "from": "@login.v"})")));
  EXPECT_TRUE(load(scenario(R"({"do": "test.ok"}, {"measure": "x", "from": "@last.v"})")));
  // Teardown steps may refer to the scenario's steps.
  EXPECT_TRUE(load(scenario(R"({"do": "test.ok", "name": "login"})",
                            R"(, "teardown": [{"measure": "x", "from": "@login.v"}])")));
}

TEST_F(EngineTest, RigError_UnknownDataPointsAndValuesOutOfRangeAreLoadErrors) {
  EXPECT_EQ(loadError(scenario(R"({"do": "mcu.set", "values": {"LED_Rd": 1}})")),
            "t.json: steps[0].values.LED_Rd: no data point 'LED_Rd' in 微信宠物屋");
  EXPECT_TRUE(loadError(scenario(R"({"wait": "1s"}, {"do": "app.control", "values": {"LED_R": 1e300}})"))
                  .startsWith("t.json: steps[1].values.LED_R: LED_R: "));
  EXPECT_TRUE(loadError(scenario(R"({"do": "app.control", "values": {"LED_R": 255}})"))
                  .startsWith("t.json: steps[0].values.LED_R: "));
  EXPECT_TRUE(loadError(scenario(R"({"do": "cloud.appControl", "values": {"nothing": true}})"))
                  .startsWith("t.json: steps[0].values.nothing: no data point"));
  EXPECT_TRUE(load(scenario(R"({"do": "app.control", "values": {"LED_R": 254, "LED_OnOff": true}})")));
}

TEST_F(EngineTest, RigError_AMissingProductIsALoadError) {
  EXPECT_TRUE(loadError(R"({"name": "s", "product": "products/nope.json", "steps": [{"wait": "1s"}]})")
                  .startsWith("t.json: product: "));
}

TEST_F(EngineTest, RigError_DurationsBeyondADayAreLoadErrors) {
  EXPECT_EQ(loadError(scenario(R"({"wait": "10000h"})")),
            "t.json: steps[0].wait: \"10000h\" is longer than " + formatDuration(kMaxScenarioDurationMs) +
                " (the longest a scenario may wait)");
  EXPECT_TRUE(loadError(scenario(R"({"expect": "mcu.status", "within": "25h"})"))
                  .startsWith("t.json: steps[0].within: "));
  EXPECT_TRUE(loadError(scenario(R"({"do": "test.ok", "timeout": "1441min"})"))
                  .startsWith("t.json: steps[0].timeout: "));
  EXPECT_TRUE(load(scenario(R"({"wait": "24h"})")));
}

TEST_F(EngineTest, RigError_DuplicateKeysAreLoadErrors) {
  EXPECT_EQ(loadError(scenario(R"({"expect": "mcu.status", "within": "1s", "within": "10s"})")),
            "t.json: steps[0].within: key given twice (JSON keeps only the last)");
  EXPECT_EQ(loadError(R"({"name": "a", "name": "b", "product": "products/gokit-demo.json", "steps": []})"),
            "t.json: name: key given twice (JSON keeps only the last)");
  // Escapes do not hide a duplicate; equal keys in different objects are no duplicate.
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s", "w\u0061it": "2s"})")),
            "t.json: steps[0].wait: key given twice (JSON keeps only the last)");
  EXPECT_TRUE(load(scenario(R"({"wait": "1s"}, {"wait": "2s", "name": "wait"})")));
}

TEST_F(EngineTest, LoaderErrorsNameTheFileTheStepAndTheField) {
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s"}, {"do": "mcu.sned", "cmd": "bind"})")),
            "t.json: steps[1].do: unknown action \"mcu.sned\"");
  EXPECT_EQ(loadError(scenario(R"({"do": "mcu.send"})")),
            "t.json: steps[0].cmd: missing (required by mcu.send)");
  EXPECT_EQ(loadError(scenario(R"({"expect": "mcu.status", "within": "10x"})")),
            "t.json: steps[0].within: bad duration \"10x\" (use 200ms, 10s, 3min or 2h)");
  EXPECT_EQ(loadError(scenario(R"({"wait": 5})")),
            "t.json: steps[0].wait: bad duration 5 (use 200ms, 10s, 3min or 2h)");
  EXPECT_EQ(loadError(scenario(R"({"expect": "mcu.status"})")),
            "t.json: steps[0].within: missing (how long to wait for the event)");
  EXPECT_EQ(loadError(scenario(R"({"do": "mcu.send", "cmd": "bogus"})")),
            "t.json: steps[0].cmd: must be one of configMode, reset, production, bind, time, moduleInfo, "
            "restart, report");
  EXPECT_EQ(loadError(scenario(R"({"do": "mcu.send", "cmd": "bind", "colour": 1})")),
            "t.json: steps[0].colour: unknown parameter (allowed: cmd, method, wait)");
  EXPECT_EQ(loadError(scenario(R"({"do": "test.ok", "retry": -1})")),
            "t.json: steps[0].retry: must be a whole number of extra attempts, 0-100");
  EXPECT_EQ(loadError(scenario(R"({"measure": "x", "from": "@last.v", "limits": {"min": 5, "max": 1}})")),
            "t.json: steps[0].limits: min is above max");
  EXPECT_EQ(loadError(scenario(R"({"measure": "x", "from": "rtt"})")),
            "t.json: steps[0].from: must be \"<event>.<field>\" (e.g. \"mcu.ack.ntp\") or \"@last.<field>\"");
  EXPECT_EQ(loadError(scenario(R"({"expect": "mcu.status", "within": "1s", "where": {"rssi": [1]}})")),
            "t.json: steps[0].where.rssi: must be a value or {min, max}");
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s", "do": "test.ok"})")),
            "t.json: steps[0]: needs exactly one of \"do\", \"expect\", \"measure\", \"wait\"");
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s"})", R"(, "teardown": [{"do": "x.y"}])")),
            "t.json: teardown[0].do: unknown action \"x.y\"");
  EXPECT_EQ(loadError(R"({"name": "s", "steps": [{"wait": "1s"}]})"),
            "t.json: product: missing (a fixture path such as \"products/gokit-demo.json\")");
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s"})", R"(, "setup": "flying")")),
            "t.json: setup: must be \"unconfigured\", \"station\" or \"production\"");
  EXPECT_EQ(loadError(scenario(R"({"wait": "1s"})", R"(, "stepz": [])")), "t.json: stepz: unknown key");
  EXPECT_TRUE(loadError("{nope").startsWith("t.json: not JSON"));
}

TEST_F(EngineTest, LoaderReadsEveryStepKind) {
  QString error;
  const auto s = load(scenario(R"(
      {"do": "mcu.send", "cmd": "configMode", "method": "softap", "name": "enter softap", "retry": 2,
       "timeout": "5s", "clauses": ["S6.2.2"]},
      {"expect": "mcu.status", "where": {"softap": true, "rssi": {"min": 40}}, "within": "30s"},
      {"measure": "rtt", "from": "app.reply.roundTripMs", "unit": "ms", "limits": {"max": 3000}},
      {"measure": "ntp", "from": "@enter softap.ntp"},
      {"measure": "gap", "interval": {"from": "mcu.status", "to": "mcu.heartbeat"}, "within": "70s"},
      {"wait": "3min"})",
                               R"(, "setup": "station", "tags": ["mcu"])"),
                      &error);
  ASSERT_TRUE(s) << error.toStdString();
  EXPECT_EQ(s->setup, SetupState::Station);
  ASSERT_EQ(s->steps.size(), 6u);
  const Step& a = s->steps[0];
  EXPECT_EQ(a.kind, StepKind::Action);
  EXPECT_EQ(a.name, "enter softap");
  EXPECT_EQ(a.params, (QVariantMap{{"cmd", "configMode"}, {"method", "softap"}}));
  EXPECT_EQ(a.retry, 2);
  EXPECT_EQ(a.timeout, 5000);
  EXPECT_EQ(a.clauses, QStringList{"S6.2.2"});
  const Step& e = s->steps[1];
  EXPECT_EQ(e.name, "expect mcu.status");
  EXPECT_EQ(e.within, 30000);
  ASSERT_EQ(e.where.size(), 2u);
  EXPECT_EQ(e.where[0].field, "rssi");
  EXPECT_TRUE(e.where[0].isRange);
  EXPECT_EQ(e.where[0].min, 40.0);
  EXPECT_EQ(s->steps[2].source, MeasureSource::Event);
  EXPECT_EQ(s->steps[2].high, 3000.0);
  EXPECT_EQ(s->steps[3].source, MeasureSource::ActionResult);
  EXPECT_EQ(s->steps[3].stepRef, "enter softap");
  EXPECT_EQ(s->steps[3].field, "ntp");
  EXPECT_EQ(s->steps[4].source, MeasureSource::Interval);
  EXPECT_EQ(s->steps[4].unit, "ms");
  EXPECT_EQ(s->steps[5].waitMs, 180000);
  EXPECT_EQ(s->steps[5].name, "wait 3min");
}

// ---- the runner: step kinds, outcomes, timing
// ----------------------------------------------------------------

TEST_F(EngineTest, ActionsPassFailAndErrorAsTheirHandlersSay) {
  RunRecord r =
      run(scenario(R"({"do": "test.ok"}, {"do": "test.fail", "continueOnFail": true}, {"do": "test.error"},
                                {"do": "test.ok", "name": "never"})"));
  ASSERT_EQ(r.steps.size(), 3u) << "an ERROR stops the steps";
  EXPECT_EQ(r.steps[0].outcome, Outcome::Pass);
  EXPECT_EQ(r.steps[1].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[1].message, "told to");
  EXPECT_EQ(r.steps[2].outcome, Outcome::Error);
  EXPECT_EQ(r.outcome, Outcome::Error);
  EXPECT_EQ(r.failingStep, "do test.error");
  EXPECT_EQ(r.mode, RunMode::Virtual);
  EXPECT_EQ(r.scenario, "s");
}

TEST_F(EngineTest, AFailStopsTheStepsButTeardownAlwaysRuns) {
  RunRecord r = run(scenario(R"({"do": "test.fail"}, {"do": "test.ok", "name": "skipped"})",
                             R"(, "teardown": [{"do": "test.ok", "name": "restore"}])"));
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[1].name, "restore");
  EXPECT_EQ(r.steps[1].index, 1);
  EXPECT_EQ(r.outcome, Outcome::Fail);
}

TEST_F(EngineTest, StepsAreTimedOnTheRigClockFromTheRunsStart) {
  RunRecord r = run(scenario(R"({"wait": "5s"}, {"do": "test.later", "ms": 250}, {"wait": "200ms"})"));
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.startedMs, 1'700'000'000'000);
  EXPECT_EQ(r.steps[0].startedMs, 1'700'000'000'000);
  EXPECT_EQ(r.steps[0].durationMs, 5000);
  EXPECT_EQ(r.steps[1].startedMs, 1'700'000'005'000);
  EXPECT_EQ(r.steps[1].durationMs, 250);
  EXPECT_EQ(r.steps[2].durationMs, 200);
  EXPECT_EQ(r.finishedMs, 1'700'000'005'450);
  EXPECT_EQ(r.outcome, Outcome::Pass);
}

TEST_F(EngineTest, AnActionThatNeverCompletesIsAnErrorAfterItsTimeoutAndGrace) {
  RunRecord r = run(scenario(R"({"do": "test.hang", "timeout": "3s"})"));
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].durationMs, 4000);
  EXPECT_EQ(r.steps[0].message, "test.hang did not complete within 4s");
  // Without a step timeout: the action's default (2 s) + grace.
  r = run(scenario(R"({"do": "test.hang"})"));
  EXPECT_EQ(r.steps[0].durationMs, 3000);
}

TEST_F(EngineTest, RetryRunsTheStepAgainAndTheLastAttemptCounts) {
  RunRecord r = run(scenario(
      R"({"do": "test.flaky", "failures": 2, "retry": 2}, {"measure": "attempts", "from": "@last.attempts"},
         {"do": "test.ok", "result": {"mac": "AABBCCDDEEFF", "soft_ver": "04020000", "did": "d1"}})"));
  EXPECT_EQ(r.dut.mac, "AABBCCDDEEFF") << "what actions learn about the DUT goes into the record";
  EXPECT_EQ(r.dut.did, "d1");
  EXPECT_EQ(r.versions.wifiSw, "04020000");
  EXPECT_EQ(r.steps[0].outcome, Outcome::Pass);
  EXPECT_EQ(actions.flakyCalls, 3);
  ASSERT_EQ(r.steps[1].measurements.size(), 1u);
  EXPECT_EQ(r.steps[1].measurements[0].value, (std::variant<double, QString>(3.0)));

  actions.flakyCalls = 0;
  r = run(scenario(R"({"do": "test.flaky", "failures": 5, "retry": 1})"));
  EXPECT_EQ(r.steps[0].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[0].message, "flaky (after 2 attempts)");
  EXPECT_EQ(actions.flakyCalls, 2);
}

TEST_F(EngineTest, AnExpectationPassesOnAMatchingEventWithinItsTimeAndFailsWithout) {
  makeRunner();
  const QByteArray json =
      scenario(R"({"expect": "mcu.status", "where": {"cloud": true, "rssi": {"min": 40, "max": 80}},
                                       "within": "10s"})");
  auto loaded = load(json);
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  postAt(1000, "mcu.status", {{"cloud", false}, {"rssi", 60}});
  postAt(2000, "mcu.status", {{"cloud", true}, {"rssi", 20}});
  postAt(3000, "mcu.status", {{"cloud", true}, {"rssi", 60}});
  clock.advanceBy(20000);
  RunRecord r = runner->record();
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Pass);
  EXPECT_EQ(r.steps[0].durationMs, 3000);
  EXPECT_EQ(r.steps[0].clauses, QStringList{"S9.9"}) << "an expectation proves the scenario's clauses";

  ASSERT_TRUE(runner->start(*loaded));
  postAt(clock.nowMs() + 1000, "mcu.status", {{"cloud", true}, {"rssi", 90}});
  clock.advanceBy(20000);
  r = runner->record();
  EXPECT_EQ(r.steps[0].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[0].durationMs, 10000);
  EXPECT_EQ(
      r.steps[0].message,
      "no mcu.status matching {cloud: true, rssi: min 40 max 80} within 10s (the latest one: rssi was 90, "
      "outside the range)");
}

TEST_F(EngineTest, HistoryRule_AnEventDuringThePreviousStepMatchesButOneBeforeItDoesNot) {
  makeRunner();
  // Events at 500 (during step 0), 1500 (during step 1, the action before the expect) and none after.
  auto loaded = load(scenario(R"({"wait": "1s"}, {"do": "test.later", "ms": 1000},
                                 {"expect": "app.report", "within": "5s", "name": "first"},
                                 {"expect": "app.report", "within": "5s", "name": "second"})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  postAt(500, "app.report", {{"n", 1}});
  postAt(1500, "app.report", {{"n", 2}});
  clock.advanceBy(20000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 4u);
  EXPECT_EQ(r.steps[2].outcome, Outcome::Pass) << "the report raced the action: still seen";
  EXPECT_EQ(r.steps[2].durationMs, 0);
  EXPECT_EQ(r.steps[3].outcome, Outcome::Fail)
      << "the report at 1500 was consumed, the one at 500 is before the previous step began";
}

TEST_F(EngineTest, MeasurementsJudgeTheirLimitsAndFailWhenTheValueIsMissing) {
  makeRunner();
  auto loaded = load(scenario(R"(
      {"do": "test.later", "ms": 10, "result": {"rtt": 120, "version": "04020020", "nested": {"v": 7}}},
      {"measure": "rtt", "from": "@last.rtt", "unit": "ms", "limits": {"min": 0, "max": 200}},
      {"measure": "version", "from": "@do test.later.version"},
      {"measure": "nested", "from": "@last.nested.v", "limits": {"max": 5}, "continueOnFail": true},
      {"measure": "ntp", "from": "mcu.ack.ntp", "limits": {"min": 1}, "continueOnFail": true},
      {"measure": "rssi", "event": "mcu.status", "field": "rssi", "within": "5s", "unit": "%"},
      {"measure": "gone", "from": "@last.nothing"})"));
  ASSERT_TRUE(loaded) << lastError.toStdString();
  ASSERT_TRUE(runner->start(*loaded));
  postAt(5, "mcu.ack", {{"ntp", 0}});
  postAt(3000, "mcu.status", {{"rssi", 70}});
  clock.advanceBy(20000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 7u);
  EXPECT_EQ(r.steps[1].outcome, Outcome::Pass);
  EXPECT_EQ(r.steps[1].measurements[0].value, (std::variant<double, QString>(120.0)));
  EXPECT_EQ(r.steps[1].measurements[0].unit, "ms");
  EXPECT_EQ(r.steps[1].measurements[0].high, 200.0);
  EXPECT_EQ(r.steps[2].measurements[0].value, (std::variant<double, QString>(QString("04020020"))))
      << "text stays text without limits";
  EXPECT_EQ(r.steps[3].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[3].message, "nested = 7 outside [-, 5]");
  EXPECT_EQ(r.steps[3].measurements[0].verdict, Outcome::Fail);
  EXPECT_EQ(r.steps[4].outcome, Outcome::Fail) << "ntp 0 is below its limit";
  EXPECT_EQ(r.steps[5].outcome, Outcome::Pass) << "waited for the status";
  EXPECT_EQ(r.steps[5].durationMs, 3000 - 10);
  EXPECT_EQ(r.steps[5].measurements[0].value, (std::variant<double, QString>(70.0)));
  EXPECT_EQ(r.steps[6].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[6].message, "@last has no field \"nothing\"");
  EXPECT_EQ(r.outcome, Outcome::Fail);
  EXPECT_EQ(r.failingStep, "measure nested");
}

TEST_F(EngineTest, AnIntervalMeasuresTheTimeBetweenTwoEvents) {
  makeRunner();
  auto loaded = load(scenario(R"({"wait": "20s"},
                                 {"measure": "idle drop", "interval": {"from": "app.loggedIn", "to": "app.offline"},
                                  "limits": {"min": 11000, "max": 13000}},
                                 {"measure": "login period", "interval": {"from": "app.loggedIn", "to": "app.loggedIn"}})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  postAt(1000, "app.loggedIn");
  postAt(2000, "app.offline");  // before the latest login: ignored
  postAt(3000, "app.loggedIn");
  postAt(15000, "app.offline");
  clock.advanceBy(40000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[2].measurements[0].value, (std::variant<double, QString>(2000.0)))
      << "one event name: the period between its last two";
  EXPECT_EQ(r.steps[1].outcome, Outcome::Pass);
  EXPECT_EQ(r.steps[1].measurements[0].value, (std::variant<double, QString>(12000.0)));
  EXPECT_EQ(r.steps[1].measurements[0].unit, "ms");
}

TEST_F(EngineTest, ASetupFailureIsOneErrorStepAndNoStepRuns) {
  makeRunner();
  std::vector<SetupState> asked;
  runner->setSetupHook([&](const Scenario& s, RunContext&, SetupDone done) {
    asked.push_back(s.setup);
    clock.callAfter(500, nullptr, [done] { done("the module did not come back after restart"); });
  });
  auto loaded = load(scenario(R"({"do": "test.ok"})", R"(, "setup": "station")"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  clock.advanceBy(1000);
  const RunRecord& r = runner->record();
  EXPECT_EQ(asked, (std::vector<SetupState>{SetupState::Station}));
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].name, "setup");
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].message, "the module did not come back after restart");
  EXPECT_TRUE(actions.calls.empty());
}

TEST_F(EngineTest, AbortRecordsTheStepInProgressAsErrorAndSkipsTheRest) {
  makeRunner();
  auto loaded =
      load(scenario(R"({"wait": "10s"}, {"do": "test.ok"})", R"(, "teardown": [{"do": "test.ok"}])"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  clock.advanceBy(2000);
  runner->abort("operator pressed stop");
  clock.advanceBy(20000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].message, "aborted: operator pressed stop");
  EXPECT_EQ(r.steps[0].durationMs, 2000);
  EXPECT_TRUE(actions.calls.empty());
  EXPECT_FALSE(runner->isRunning());
}

// ---- actions on plugs and controls
// ----------------------------------------------------------------------------

TEST_F(EngineTest, RouterAndCloudActionsReachTheirControlsAndBackendFailuresAreErrors) {
  RunRecord r = run(scenario(R"(
      {"do": "router.power", "on": false}, {"do": "router.signal", "signal": 30, "mac": "AABBCCDDEEFF"},
      {"do": "router.reboot", "ssid": "OTHER"}, {"do": "router.status"},
      {"measure": "clients", "from": "@last.clientCount", "limits": {"min": 1}},
      {"do": "cloud.m2mFault", "fault": {"kind": "connack", "code": 4, "count": 1}},
      {"do": "cloud.fault", "endpoint": "provision", "fault": {"kind": "status", "status": 400, "error_code": 9016}},
      {"do": "cloud.publishFirmware", "hardwareVersion": "HW000001", "softwareVersion": "04020020", "fid": 2, "size": 100},
      {"do": "cloud.pushOta", "did": "abcdefghijklmnopqrstuv"})"));
  EXPECT_EQ(r.outcome, Outcome::Pass) << r.failingMessage.toStdString();
  EXPECT_EQ(router.calls, (QStringList{"power LAB 0", "signal LAB AABBCCDDEEFF 30", "reboot OTHER"}));
  // The image is the firmware's format: a 37-byte header before the 100-byte payload.
  EXPECT_EQ(cloud.calls, (QStringList{"m2m connack 4", "http provision status",
                                      "publish HW000001 04020020 2 137", "ota abcdefghijklmnopqrstuv"}));

  router.ok = false;
  r = run(scenario(R"({"do": "router.power", "on": true})"));
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].message, "router: backend unreachable");
  cloud.ok = false;
  r = run(scenario(R"({"do": "cloud.fault", "endpoint": "register", "fault": {"kind": "close"}})"));
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].message, "cloud: control endpoint down");
}

TEST_F(EngineTest, AnActionWithoutItsPlugIsAnError) {
  RunRecord r = run(scenario(R"({"do": "app.login"})"));
  EXPECT_EQ(r.steps[0].outcome, Outcome::Error);
  EXPECT_EQ(r.steps[0].message, "this rig has no app plug");
  r = run(scenario(R"({"do": "mcu.send", "cmd": "bind"})"));
  EXPECT_EQ(r.steps[0].message, "this rig has no MCU plug");
}

TEST_F(EngineTest, CloudAppControlTakesTheDidFromTheLatestEventAndSendsA0093) {
  MemoryLink link;
  QString error;
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product) << error.toStdString();
  McuPlug plug(&link, &clock, std::move(*product));
  mcu = &plug;
  makeRunner();
  auto loaded =
      load(scenario(R"({"wait": "1s"}, {"do": "cloud.appControl", "values": {"LED_OnOff": true}, "sn": 7})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  postAt(100, "app.discovered", {{"did", "abcdefghijklmnopqrstuv"}});
  clock.advanceBy(5000);
  EXPECT_EQ(runner->record().outcome, Outcome::Pass) << runner->record().failingMessage.toStdString();
  EXPECT_EQ(cloud.calls, QStringList{"app abcdefghijklmnopqrstuv gizrig-app"});
  ASSERT_EQ(cloud.packets.size(), 1);
  // 00000003 len 00 0093 | sn 00000007 | 01 (control) flags 0001 (LED_OnOff) values ... : the header and sn.
  EXPECT_EQ(cloud.packets[0].left(4).toHex(), "00000003");
  EXPECT_EQ(cloud.packets[0].mid(6, 2).toHex(), "0093");
  EXPECT_EQ(cloud.packets[0].mid(8, 5).toHex(), "0000000701");
}

// The real AppPlug on fake LAN links, as a run context's phone app for the module at 127.0.0.2.
struct FakeLanApp {
  explicit FakeLanApp(RigClock& clock) : app(clock, links), context(clock) {
    context.app = &app;
    context.module = QHostAddress("127.0.0.2");
  }
  test::FakeLanLinks links;
  AppPlug app;
  RunContext context;
};

// The real AppPlug on fake LAN links: silence is the DUT's FAIL, a refused connection the rig's ERROR.
TEST_F(EngineTest, S7_1_2_AppActionsTellADeafModuleFromABrokenLink) {
  FakeLanApp lan(clock);
  test::FakeLanLinks& links = lan.links;
  lan.context.broadcast = QHostAddress("127.255.255.255");
  runner = std::make_unique<ScenarioRunner>(lan.context, registry);
  auto loaded = load(
      scenario(R"({"do": "app.discover", "timeout": "2s", "continueOnFail": true}, {"do": "app.login"})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  ASSERT_FALSE(links.datagrams.empty());
  ASSERT_FALSE(links.datagrams[0]->sent.empty());
  EXPECT_EQ(links.datagrams[0]->sent[0].to, QHostAddress("127.255.255.255"));
  clock.advanceBy(2500);  // nobody answers discovery
  ASSERT_FALSE(links.streams.empty()) << "the login opened a connection";
  links.streams.back()->refuse();
  clock.advanceBy(10000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 2u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[0].message, "no device answered discovery");
  EXPECT_EQ(r.steps[1].outcome, Outcome::Error);
  EXPECT_TRUE(r.steps[1].message.contains("Connection refused")) << r.steps[1].message.toStdString();
}

// A module that hangs up on a request instead of answering (GAgent v4.2.6 on a passcode request outside the
// bind window) gave its answer: the DUT's FAIL, not a rig ERROR.
TEST_F(EngineTest, S7_2_3_AModuleThatHangsUpOnARequestFailsTheStep) {
  FakeLanApp lan(clock);
  test::FakeLanLinks& links = lan.links;
  runner = std::make_unique<ScenarioRunner>(lan.context, registry);
  auto loaded = load(scenario(R"({"do": "app.passcode", "name": "passcode"})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  clock.advanceBy(10);
  ASSERT_FALSE(links.streams.empty()) << "the passcode request opened a connection";
  links.streams.back()->accept();
  clock.advanceBy(10);
  ASSERT_FALSE(links.streams.back()->written.empty()) << "0006 went out";
  links.streams.back()->peerClose();
  clock.advanceBy(10);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 1u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Fail);
  EXPECT_EQ(r.steps[0].message, "passcode: the module closed the connection unanswered");
}

// The real McuPlug behind mcu.* actions: a request completes on the module's ACK (PASS) or after the
// protocol's retries (FAIL: the DUT never acknowledged).
TEST_F(EngineTest, S7_2_2_McuSendCompletesOnTheModulesAckAndFailsWithoutOne) {
  MemoryLink link;
  QString error;
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product) << error.toStdString();
  McuPlug plug(&link, &clock, std::move(*product));
  mcu = &plug;
  makeRunner();
  auto loaded = load(scenario(R"({"do": "mcu.send", "cmd": "bind", "name": "bind"},
                                 {"measure": "ack time", "from": "@bind.roundTripMs", "unit": "ms", "limits": {"max": 200}},
                                 {"do": "mcu.send", "cmd": "bind", "name": "unanswered"})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  clock.advanceBy(50);
  ASSERT_GE(link.written.size(), 9);
  EXPECT_EQ(static_cast<quint8>(link.written[4]), 0x15) << "a 0x15 went out";
  const auto sn = static_cast<std::uint8_t>(link.written[5]);
  link.written.clear();
  link.inject(moduleFrame(proto::McuCmd::BindWindowAck, sn));
  clock.advanceBy(10000);
  const RunRecord& r = runner->record();
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[0].outcome, Outcome::Pass);
  EXPECT_EQ(r.steps[1].measurements[0].value, (std::variant<double, QString>(50.0)));
  EXPECT_EQ(r.steps[2].outcome, Outcome::Fail);
  EXPECT_TRUE(r.steps[2].message.startsWith("the module did not acknowledge bind"))
      << r.steps[2].message.toStdString();
}

TEST_F(EngineTest, S4_2_PlugEventsReachTheHistory_AStatusPushSatisfiesAnExpect) {
  MemoryLink link;
  QString error;
  auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
  ASSERT_TRUE(product);
  McuPlug plug(&link, &clock, std::move(*product));
  mcu = &plug;
  makeRunner();
  auto loaded = load(scenario(R"({"do": "mcu.fault", "fault": "silent", "on": false},
                                 {"expect": "mcu.status", "where": {"station": true}, "within": "5s"},
                                 {"do": "mcu.set", "values": {"LED_R": 12}, "report": false},
                                 {"measure": "LED_R", "from": "@last.LED_R", "limits": {"min": 12, "max": 12}})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  clock.advanceBy(100);
  link.inject(QByteArray::fromHex("ffff00070d010000071a36"));  // Appendix A status push 0x071A
  clock.advanceBy(10000);
  const RunRecord& r = runner->record();
  EXPECT_EQ(r.outcome, Outcome::Pass) << r.failingMessage.toStdString();
  EXPECT_EQ(runner->history().events().front().name, "mcu.status");
}

// ---- records, suites, shipped files
// --------------------------------------------------------------------------

class MemoryStore final : public RecordStore {
 public:
  bool beginRun(const RunRecord& run) override {
    log << "begin " + run.scenario;
    return true;
  }
  bool addStep(const QUuid&, const StepRecord& step) override {
    log << QStringLiteral("step %1 %2").arg(step.index).arg(outcomeName(step.outcome));
    return true;
  }
  bool finishRun(const RunRecord& run) override {
    log << "finish " + outcomeName(*run.outcome);
    return true;
  }
  std::optional<RunRecord> run(const QUuid&) override { return std::nullopt; }
  std::vector<RunRecord> runs(const RunQuery&) override { return {}; }
  QString lastError() const override { return {}; }
  QStringList log;
};

TEST_F(EngineTest, EachFinishedStepGoesToTheRecordStoreAsItFinishes) {
  MemoryStore store;
  makeRunner();
  RunOptions options;
  options.store = &store;
  runner->setOptions(options);
  QStringList order;
  QObject::connect(runner.get(), &ScenarioRunner::stepFinished,
                   [&](const StepRecord& step) { order << QStringLiteral("signal %1").arg(step.index); });
  auto loaded = load(scenario(R"({"do": "test.ok"}, {"wait": "1s"}, {"do": "test.fail"})"));
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(runner->start(*loaded));
  EXPECT_EQ(store.log, (QStringList{"begin s", "step 0 PASS"})) << "nothing waits for the run's end";
  clock.advanceBy(2000);
  EXPECT_EQ(store.log, (QStringList{"begin s", "step 0 PASS", "step 1 PASS", "step 2 FAIL", "finish FAIL"}));
  EXPECT_EQ(order, (QStringList{"signal 0", "signal 1", "signal 2"}));
}

TEST_F(EngineTest, ASuiteRunsItsScenariosInOrderEachWithAFreshSetup) {
  RunContext context(clock);
  SuiteRunner suite(context, registry);
  QStringList log;
  suite.setSetupHook([&](const Scenario& s, RunContext&, SetupDone done) {
    log << "setup " + s.name;
    clock.callAfter(1000, nullptr, [done] { done({}); });  // e.g. restart the module
  });
  std::vector<Scenario> scenarios;
  for (const char* name : {"one", "two", "three"}) {
    auto s = load(scenario(name == QLatin1String("two") ? R"({"do": "test.fail"})" : R"({"wait": "2s"})"));
    ASSERT_TRUE(s);
    s->name = name;
    scenarios.push_back(*s);
  }
  bool finished = false;
  QObject::connect(&suite, &SuiteRunner::scenarioStarted, [&](int i, const QString& name) {
    log << QStringLiteral("start %1 %2").arg(i).arg(name);
  });
  QObject::connect(&suite, &SuiteRunner::finished, [&](const QList<RunRecord>&) { finished = true; });
  ASSERT_TRUE(suite.start(scenarios));
  clock.advanceBy(60000);
  EXPECT_TRUE(finished);
  EXPECT_EQ(log, (QStringList{"start 0 one", "setup one", "start 1 two", "setup two", "start 2 three",
                              "setup three"}));
  ASSERT_EQ(suite.records().size(), 3);
  EXPECT_EQ(suite.records()[0].scenario, "one");
  EXPECT_EQ(suite.records()[1].outcome, Outcome::Fail) << "a FAIL does not stop the suite";
  EXPECT_EQ(suite.records()[2].outcome, Outcome::Pass);
  EXPECT_NE(suite.records()[0].id, suite.records()[2].id);
}

TEST_F(EngineTest, ASuiteFileListsScenariosThenAddsTaggedOnes) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  QDir(dir.path()).mkpath("scenarios");
  QDir(dir.path()).mkpath("suites");
  auto write = [&](const QString& path, const QByteArray& bytes) {
    QFile f(dir.filePath(path));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
  };
  write(
      "scenarios/b.json",
      R"({"name": "b", "product": "products/gokit-demo.json", "tags": ["lan"], "steps": [{"wait": "1s"}]})");
  write(
      "scenarios/a.json",
      R"({"name": "a", "product": "products/gokit-demo.json", "tags": ["lan"], "steps": [{"wait": "1s"}]})");
  write(
      "scenarios/c.json",
      R"({"name": "c", "product": "products/gokit-demo.json", "tags": ["mcu"], "steps": [{"wait": "1s"}]})");
  write("suites/s.json", R"({"name": "s", "scenarios": ["c.json"], "tags": ["lan"]})");
  write("suites/bad.json", R"({"name": "bad", "scenarios": ["missing.json"]})");
  ScenarioLoader loader(registry, GAGENT_FIXTURES_DIR);
  QString error;
  auto suite = loader.loadSuiteFile(dir.filePath("suites/s.json"), error);
  ASSERT_TRUE(suite) << error.toStdString();
  QStringList names;
  for (const QString& f : suite->scenarioFiles) names << QFileInfo(f).fileName();
  EXPECT_EQ(names, (QStringList{"c.json", "a.json", "b.json"}));
  EXPECT_FALSE(loader.loadSuiteFile(dir.filePath("suites/bad.json"), error));
  EXPECT_TRUE(error.contains("scenarios[0]")) << error.toStdString();
  EXPECT_TRUE(error.contains("missing.json: cannot read")) << error.toStdString();
}

TEST(ShippedScenarios, EveryScenarioFileLoadsAndTheCertificationSuiteListsThemAll) {
  test::qtApp();
  const ActionRegistry registry = standardActions();
  const ScenarioLoader loader(registry);
  const QDir dir(GAGENT_FIXTURES_DIR "/scenarios");
  const QStringList files = dir.entryList({"*.json"}, QDir::Files, QDir::Name);
  EXPECT_GE(files.size(), 20);
  QStringList clauses;
  for (const QString& file : files) {
    QString error;
    const auto scenario = loader.loadFile(dir.filePath(file), error);
    EXPECT_TRUE(scenario) << error.toStdString();
    if (!scenario) continue;
    EXPECT_FALSE(scenario->clauses.isEmpty()) << file.toStdString();
    EXPECT_FALSE(scenario->tags.isEmpty()) << file.toStdString();
    QString productError;
    EXPECT_TRUE(McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/" + scenario->product, productError))
        << file.toStdString() << ": " << productError.toStdString();
    clauses << scenario->clauses;
  }
  for (const char* clause : {"S4.2", "S6.2.5", "S7.1.2", "S7.2.3", "S7.4.3", "S7.5.3", "S7.6.1", "S5.3",
                             "S12.2", "S8.3", "S8.9", "S8.4.4", "S9.6"}) {
    EXPECT_TRUE(clauses.contains(clause)) << clause;
  }
  QString error;
  const auto suite = loader.loadSuiteFile(GAGENT_FIXTURES_DIR "/suites/certification.json", error);
  ASSERT_TRUE(suite) << error.toStdString();
  EXPECT_EQ(suite->scenarioFiles.size(), files.size());
}

}  // namespace
}  // namespace gizrig::core
