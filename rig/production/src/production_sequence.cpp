#include "gizrig/production/production_sequence.h"

#include <QDateTime>

#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/app_session.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_control.h"

namespace gizrig::core {

namespace {

constexpr quint8 kModuleInfoCmd = 0x21;
constexpr quint8 kProductionCmd = 0x13;

QString hexWord(quint16 word) {
  return QStringLiteral("0x%1").arg(word, 4, 16, QLatin1Char('0'));
}

}  // namespace

struct ProductionSequence::Phase {
  StepRecord step;
  RigMillis startedAt = 0;
  TimerId deadline = 0;
  std::unique_ptr<QObject> context =
      std::make_unique<QObject>();  // its death disconnects the phase's listeners
  bool ended = false;

  void measure(const QString& name, double value, const QString& unit,
               std::optional<double> low = std::nullopt, std::optional<double> high = std::nullopt) {
    step.measurements.push_back(Measurement{name, value, unit, low, high, Outcome::Pass});
  }
  void measureText(const QString& name, const QString& value) {
    step.measurements.push_back(Measurement{name, value, {}, std::nullopt, std::nullopt, Outcome::Pass});
  }
};

ProductionSequence::ProductionSequence(RigClock& clock, const StationConfig& station, ProductionSlot slot,
                                       RunMode mode, QObject* parent)
    : QObject(parent), clock_(clock), station_(station), slot_(std::move(slot)) {
  record_.id = QUuid::createUuid();
  record_.station = station_.station;
  record_.slot = slot_.name;
  record_.operatorName = station_.operatorName;
  record_.scenario = QStringLiteral("production");
  record_.mode = mode;
  record_.dut.serial = slot_.serial;
  phases_ = {{"handshake", [this](Phase& p) { handshake(p); }},
             {"versions_and_mac", [this](Phase& p) { versions(p); }},
             {"production_mode", [this](Phase& p) { productionMode(p); }},
             {"test_routers_on", [this](Phase& p) { testRouters(p); }},
             {"join_test_router", [this](Phase& p) { joinTestRouter(p); }},
             {"lan_discovery", [this](Phase& p) { discover(p); }},
             {"passcode_login", [this](Phase& p) { login(p); }},
             {"control_round_trip", [this](Phase& p) { control(p); }},
             {"signal_level", [this](Phase& p) { signalLevel(p); }},
             {"exit_test", [this](Phase& p) { exitTest(p); }}};
}

ProductionSequence::~ProductionSequence() {
  if (phase_ && phase_->deadline != 0) clock_.cancel(phase_->deadline);
}

QStringList ProductionSequence::phaseNames() {
  return {"handshake",     "versions_and_mac", "production_mode",    "test_routers_on", "join_test_router",
          "lan_discovery", "passcode_login",   "control_round_trip", "signal_level",    "exit_test"};
}

void ProductionSequence::start() {
  running_ = true;
  // Records carry wall-clock dates; durations come from the rig clock (virtual time stays virtual).
  record_.startedMs = QDateTime::currentMSecsSinceEpoch() - clock_.nowMs();
  runPhase(0);
}

void ProductionSequence::runPhase(std::size_t index) {
  phaseIndex_ = index;
  if (index >= phases_.size()) {
    finishRun();
    return;
  }
  phase_ = std::make_unique<Phase>();
  Phase& phase = *phase_;
  phase.step.name = phases_[index].first;
  phase.step.index = static_cast<int>(index);
  phase.step.clauses = index == 2 || index == 4 ? QStringList{"S5.2", "S5.3"}
                       : index == 9             ? QStringList{"S5.6"}
                                                : QStringList{};
  phase.startedAt = clock_.nowMs();
  phase.step.startedMs = record_.startedMs + phase.startedAt;
  phase.deadline = clock_.callAfter(station_.limits.stepTimeoutMs, phase.context.get(), [this] {
    endPhase(Outcome::Fail, QStringLiteral("the module did not complete '%1' within %2 s")
                                .arg(phase_->step.name)
                                .arg(station_.limits.stepTimeoutMs / 1000));
  });
  emit stepStarted(phase.step.name, static_cast<int>(index), static_cast<int>(phases_.size()));
  phases_[index].second(phase);
}

void ProductionSequence::endPhase(Outcome outcome, const QString& message) {
  if (!phase_ || phase_->ended) return;
  phase_->ended = true;
  clock_.cancel(phase_->deadline);
  StepRecord step = std::move(phase_->step);
  step.durationMs = clock_.nowMs() - phase_->startedAt;
  step.outcome = outcome;
  step.message = message;
  judgeStep(step);
  // Listeners of the finished phase go away with its context, after the current signal has returned.
  phase_->context.release()->deleteLater();
  record_.steps.push_back(step);
  emit stepFinished(step);
  if (step.outcome != Outcome::Pass) {
    finishRun();
    return;
  }
  const std::size_t next = phaseIndex_ + 1;
  clock_.callAfter(0, this, [this, next] { runPhase(next); });
}

void ProductionSequence::finishRun() {
  if (!running_) return;
  running_ = false;
  if (slot_.app != nullptr && !slot_.module.isNull()) {
    if (AppSession* session = slot_.app->existingSession(slot_.module)) session->close();
  }
  core::finishRun(record_, record_.startedMs + clock_.nowMs());
  emit finished(record_);
}

// ---- the phases
// ---------------------------------------------------------------------------------------------

void ProductionSequence::handshake(Phase& phase) {
  const auto done = [this](Phase& p) {
    p.measure(QStringLiteral("handshakes"), slot_.mcu->handshakeCount(), QStringLiteral("count"), 1.0);
    const McuDeviceInfo& info = slot_.mcu->deviceInfo();
    record_.versions.mcuHw = QString::fromLatin1(info.hardVer);
    record_.versions.mcuSw = QString::fromLatin1(info.softVer);
    endPhase(Outcome::Pass, {});
  };
  if (slot_.mcu->handshakeCount() > 0) {
    done(phase);
    return;
  }
  connect(slot_.mcu, &McuPlug::handshake, phase.context.get(), [this, done] { done(*phase_); });
}

void ProductionSequence::versions(Phase& phase) {
  connect(
      slot_.mcu, &McuPlug::commandAcked, phase.context.get(), [this](quint8 cmd, quint8, const QVariantMap&) {
        if (cmd != kModuleInfoCmd) return;
        const auto& info = slot_.mcu->moduleInfo();
        if (!info) {
          endPhase(Outcome::Fail, QStringLiteral("the module answered 0x21 without a readable module info"));
          return;
        }
        record_.dut.mac = info->mac.toUpper();
        record_.versions.wifiHw = info->hardVer;
        record_.versions.wifiSw = info->softVer;
        phase_->measureText(QStringLiteral("wifi_hw"), info->hardVer);
        phase_->measureText(QStringLiteral("wifi_sw"), info->softVer);
        phase_->measureText(QStringLiteral("mac"), record_.dut.mac);
        endPhase(record_.dut.mac.size() == 12 ? Outcome::Pass : Outcome::Fail,
                 record_.dut.mac.size() == 12 ? QString() : QStringLiteral("the module reported no MAC"));
      });
  connect(slot_.mcu, &McuPlug::commandTimedOut, phase.context.get(), [this](quint8 cmd, quint8) {
    if (cmd == kModuleInfoCmd) endPhase(Outcome::Fail, QStringLiteral("the module did not answer 0x21"));
  });
  slot_.mcu->requestModuleInfo();
}

void ProductionSequence::productionMode(Phase& phase) {
  connect(slot_.mcu, &McuPlug::commandAcked, phase.context.get(),
          [this](quint8 cmd, quint8, const QVariantMap&) {
            if (cmd != kProductionCmd) return;
            productionModeAt_ = clock_.nowMs();
            endPhase(Outcome::Pass, {});
          });
  connect(slot_.mcu, &McuPlug::commandTimedOut, phase.context.get(), [this](quint8 cmd, quint8) {
    if (cmd == kProductionCmd) endPhase(Outcome::Fail, QStringLiteral("the module did not ACK 0x13"));
  });
  slot_.mcu->sendProductionTest();
}

void ProductionSequence::testRouters(Phase& phase) {
  if (slot_.routers == nullptr || station_.testRouters.isEmpty()) {
    phase.measure(QStringLiteral("routers_switched"), 0, QStringLiteral("count"));
    endPhase(Outcome::Pass, {});  // routers managed outside the rig (a real line keeps them on)
    return;
  }
  switchOnNextTestRouter(std::make_shared<QStringList>(station_.testRouters), phase.context.get());
}

void ProductionSequence::switchOnNextTestRouter(std::shared_ptr<QStringList> remaining,
                                                QPointer<QObject> context) {
  if (!context) return;  // the phase ended (time limit, abort) while a switch was on its way
  if (remaining->isEmpty()) {
    phase_->measure(QStringLiteral("routers_switched"), static_cast<double>(station_.testRouters.size()),
                    QStringLiteral("count"));
    endPhase(Outcome::Pass, {});
    return;
  }
  const QString ssid = remaining->takeFirst();
  slot_.routers->setPower(ssid, true, [this, remaining, context, ssid](const RouterResult& result) {
    if (!context) return;
    if (!result.ok) {
      endPhase(Outcome::Error,
               QStringLiteral("test router %1 could not be switched on: %2").arg(ssid, result.error));
      return;
    }
    switchOnNextTestRouter(remaining, context);
  });
}

void ProductionSequence::joinTestRouter(Phase& phase) {
  clock_.cancel(phase.deadline);  // this wait has its own limit
  const auto check = [this] {
    const gagent::proto::WifiStatus status = slot_.mcu->wifiStatus();
    if (!status.routerConnected || !status.productionTest) return;
    phase_->measure(QStringLiteral("join_time"), static_cast<double>(clock_.nowMs() - productionModeAt_),
                    QStringLiteral("ms"), std::nullopt, static_cast<double>(station_.limits.maxJoinMs));
    endPhase(Outcome::Pass, {});
  };
  phase.deadline = clock_.callAfter(station_.limits.maxJoinMs, phase.context.get(), [this] {
    endPhase(Outcome::Fail, QStringLiteral("no test router joined with test mode on within %1 s (status %2)")
                                .arg(station_.limits.maxJoinMs / 1000)
                                .arg(hexWord(slot_.mcu->statusWord().value_or(0))));
  });
  connect(slot_.mcu, &McuPlug::statusChanged, phase.context.get(), check);
  check();
}

void ProductionSequence::discover(Phase& phase) {
  const QString mac = record_.dut.mac;
  const RigMillis sentAt = clock_.nowMs();
  const auto found = [this, mac, sentAt](const DiscoveredDevice& device) {
    if (device.macHex() != mac || phase_->ended) return;
    slot_.module = device.address;
    record_.dut.did = device.did;
    phase_->measure(QStringLiteral("discovery_time"), static_cast<double>(clock_.nowMs() - sentAt),
                    QStringLiteral("ms"));
    phase_->measureText(QStringLiteral("module_address"), device.address.toString());
    endPhase(Outcome::Pass, {});
  };
  connect(slot_.app, &AppPlug::deviceDiscovered, phase.context.get(), found);
  DiscoveryOptions options;
  if (slot_.module.isNull()) {
    options.broadcast = QHostAddress(station_.broadcast);
  } else {
    options.unicast = {slot_.module};
  }
  options.timeoutMs = station_.limits.stepTimeoutMs;
  QPointer<QObject> context = phase.context.get();
  slot_.app->discover(options, [this, context, mac](const DiscoveryResult&) {
    if (!context) return;
    endPhase(Outcome::Fail, QStringLiteral("no discovery answer from the module %1 (S7.1.2)").arg(mac));
  });
}

void ProductionSequence::login(Phase& phase) {
  AppSession* session = slot_.app->session(slot_.module);
  QPointer<QObject> context = phase.context.get();
  session->openAndLogin(station_.limits.stepTimeoutMs, [this, context](const AppReply& reply) {
    if (!context) return;
    if (!reply.ok()) {
      endPhase(Outcome::Fail, QStringLiteral("passcode/login failed: %1").arg(reply.error));
      return;
    }
    phase_->measure(QStringLiteral("login_round_trip"), static_cast<double>(reply.roundTripMs),
                    QStringLiteral("ms"));
    endPhase(Outcome::Pass, {});
  });
}

void ProductionSequence::control(Phase& phase) {
  struct Progress {
    bool mcuGot = false;
    bool appGot = false;
    bool replied = false;
  };
  auto progress = std::make_shared<Progress>();
  const QString point = station_.limits.controlPoint;
  const int value = station_.limits.controlValue;
  const RigMillis sentAt = clock_.nowMs();
  const auto maybeDone = [this, progress, sentAt] {
    if (!progress->mcuGot || !progress->appGot || !progress->replied || phase_->ended) return;
    phase_->measure(QStringLiteral("mcu_received_control"), 1, {}, 1.0);
    phase_->measure(QStringLiteral("app_received_report"), 1, {}, 1.0);
    phase_->measure(QStringLiteral("control_round_trip"), static_cast<double>(clock_.nowMs() - sentAt),
                    QStringLiteral("ms"), std::nullopt,
                    static_cast<double>(station_.limits.maxControlRoundTripMs));
    endPhase(Outcome::Pass, {});
  };
  connect(slot_.mcu, &McuPlug::controlReceived, phase.context.get(),
          [progress, point, value, maybeDone](const QVariantMap& changes) {
            if (changes.value(point).toInt() == value) progress->mcuGot = true;
            maybeDone();
          });
  const QHostAddress module = slot_.module;
  connect(slot_.app, &AppPlug::reportReceived, phase.context.get(),
          [this, progress, point, value, module, maybeDone](const QHostAddress& from, const QByteArray& p0,
                                                            RigMillis) {
            if (from != module || slot_.app->product() == nullptr) return;
            const AppP0Values decoded = decodeStatusP0(*slot_.app->product(), p0);
            if (decoded.ok() && decoded.values.value(point).toInt() == value) progress->appGot = true;
            maybeDone();
          });
  QPointer<QObject> context = phase.context.get();
  slot_.app->control(module, QVariantMap{{point, value}}, true, station_.limits.stepTimeoutMs,
                     [this, context, progress, maybeDone](const AppReply& reply) {
                       if (!context) return;
                       if (!reply.ok()) {
                         endPhase(Outcome::Fail, QStringLiteral("control not answered: %1").arg(reply.error));
                         return;
                       }
                       progress->replied = true;
                       maybeDone();
                     });
}

void ProductionSequence::signalLevel(Phase& phase) {
  phase.measure(QStringLiteral("signal_level"), slot_.mcu->wifiStatus().rssiLevel, QStringLiteral("level"),
                static_cast<double>(station_.limits.minSignalLevel));
  endPhase(Outcome::Pass, {});  // judgeStep fails it when the level is under the limit
}

void ProductionSequence::exitTest(Phase& phase) {
  const RigMillis sentAt = clock_.nowMs();
  auto replied = std::make_shared<bool>(false);
  const auto check = [this, replied, sentAt] {
    const gagent::proto::WifiStatus status = slot_.mcu->wifiStatus();
    // S5.6: SoftAP on, station off, test mode over.
    if (!*replied || !status.softAp || status.station || status.productionTest) return;
    phase_->measure(QStringLiteral("back_to_softap"), static_cast<double>(clock_.nowMs() - sentAt),
                    QStringLiteral("ms"));
    endPhase(Outcome::Pass, {});
  };
  connect(slot_.mcu, &McuPlug::statusChanged, phase.context.get(), check);
  AppSession* session = slot_.app->session(slot_.module);
  QPointer<QObject> context = phase.context.get();
  session->exitProductionTest(
      station_.limits.stepTimeoutMs, [this, context, replied, check](const AppReply& reply) {
        if (!context) return;
        if (!reply.ok()) {
          endPhase(Outcome::Fail, QStringLiteral("exit test (0017) not answered: %1").arg(reply.error));
          return;
        }
        *replied = true;
        check();
      });
}

}  // namespace gizrig::core
