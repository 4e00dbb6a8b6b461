#include "gizrig/production/production_sequence.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <algorithm>

#include "gagent/proto/lan_packet.h"

#include "gizrig/plugs/app_p0.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/app_session.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/plugs/router_control.h"
#include "gizrig/production/power_cycle.h"

namespace gizrig::core {

namespace {

constexpr quint8 kModuleInfoCmd = 0x21;
constexpr quint8 kProductionCmd = 0x13;
constexpr quint8 kRestartCmd = 0x29;
// A module that was just powered sends its 0x01 within this; one that stays silent is already running.
constexpr RigMillis kStartUpHandshakeWaitMs = 2000;
// Discovery on a line: 0003 at 0, 1, 3, 7, 11, ... s (every module answers every broadcast).
constexpr RigMillis kDiscoveryFirstResendMs = 1000;
constexpr double kDiscoveryBackoff = 2.0;
constexpr RigMillis kDiscoveryMaxResendMs = 4000;
// The flash step's own limit beyond the step timeout: twice the image's wire time at the loader's starting
// rate (an ESP8266 ROM never goes faster), plus the erases and the loader's retries. The flasher's own
// per-command timeouts end a stuck run long before it.
constexpr qint64 kFlashWorstBaud = 115200;
constexpr RigMillis kFlashSlackMs = 10000;

QString hexWord(quint16 word) {
  return QStringLiteral("0x%1").arg(word, 4, 16, QLatin1Char('0')).toUpper().replace("0X", "0x");
}

QString seconds(RigMillis ms) {
  return QString::number(static_cast<double>(ms) / 1000.0, 'f', ms % 1000 == 0 ? 0 : 1);
}

QString yesNo(bool value) {
  return value ? QStringLiteral("yes") : QStringLiteral("no");
}

}  // namespace

struct ProductionSequence::Phase {
  StepRecord step;
  RigMillis startedAt = 0;
  RigMillis innerBudgetMs = 0;  // what the waits inside the phase may use: they end before its deadline
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
  if (station_.flash) phases_.push_back({"flash", [this](Phase& p) { flash(p); }});
  // Production mode before the versions (issue 12, P2): the module scans and joins while 0x22, the longest
  // frame of the run (74 B, 77 ms at 9600), is on the wire, instead of the join waiting behind it. GAgent
  // answers 0x21 in any mode and keeps handling MCU frames while its own status push awaits its ACK (§1.4).
  const std::vector<std::pair<QString, PhaseBody>> test = {
      {"handshake", [this](Phase& p) { handshake(p); }},
      {"production_mode", [this](Phase& p) { productionMode(p); }},
      {"versions_and_mac", [this](Phase& p) { versions(p); }},
      {"test_routers_on", [this](Phase& p) { testRouters(p); }},
      {"join_test_router", [this](Phase& p) { joinTestRouter(p); }},
      {"lan_discovery", [this](Phase& p) { discover(p); }},
      {"passcode_login", [this](Phase& p) { login(p); }},
      {"control_round_trip", [this](Phase& p) { control(p); }},
      {"signal_level", [this](Phase& p) { signalLevel(p); }},
      {"exit_test", [this](Phase& p) { exitTest(p); }}};
  phases_.insert(phases_.end(), test.begin(), test.end());
}

ProductionSequence::~ProductionSequence() {
  if (phase_ && phase_->deadline != 0) clock_.cancel(phase_->deadline);
  if (flashing_ && slot_.flasher != nullptr) slot_.flasher->cancel();
}

QStringList ProductionSequence::phaseNames(bool withFlash) {
  QStringList names{"handshake",        "production_mode", "versions_and_mac", "test_routers_on",
                    "join_test_router", "lan_discovery",   "passcode_login",   "control_round_trip",
                    "signal_level",     "exit_test"};
  if (withFlash) names.prepend(QStringLiteral("flash"));
  return names;
}

void ProductionSequence::start() {
  running_ = true;
  // Records carry wall-clock dates, read at the run's start (a long-lived rig clock says nothing about the
  // date); every later stamp is that start plus rig-clock time, so durations stay virtual in virtual time.
  record_.startedMs = QDateTime::currentMSecsSinceEpoch();
  clockStartMs_ = clock_.nowMs();
  runPhase(0);
}

void ProductionSequence::abort(const QString& why) {
  if (!running_) return;
  if (phase_ && !phase_->ended) {
    endPhase(Outcome::Aborted, QStringLiteral("aborted: %1").arg(why));
    return;  // a step that did not pass finishes the run
  }
  // Between two phases (the next one is queued): nothing in progress to record.
  StepRecord step;
  step.name = phaseIndex_ + 1 < phases_.size() ? phases_[phaseIndex_ + 1].first : QStringLiteral("(run)");
  step.index = static_cast<int>(record_.steps.size());
  step.startedMs = wallAt(clock_.nowMs());
  step.outcome = Outcome::Aborted;
  step.message = QStringLiteral("aborted: %1").arg(why);
  record_.steps.push_back(step);
  emit stepFinished(step);
  finishRun();
}

std::int64_t ProductionSequence::wallAt(RigMillis rigTime) const {
  return record_.startedMs + (rigTime - clockStartMs_);
}

void ProductionSequence::runPhase(std::size_t index) {
  if (!running_) return;  // aborted while this phase was queued
  phaseIndex_ = index;
  if (index >= phases_.size()) {
    finishRun();
    return;
  }
  phase_ = std::make_unique<Phase>();
  Phase& phase = *phase_;
  phase.step.name = phases_[index].first;
  phase.step.index = static_cast<int>(index);
  const QString& name = phase.step.name;
  phase.step.clauses = name == "production_mode" || name == "join_test_router" ? QStringList{"S5.2", "S5.3"}
                       : name == "exit_test"                                   ? QStringList{"S5.6"}
                                                                               : QStringList{};
  phase.startedAt = clock_.nowMs();
  phase.step.startedMs = wallAt(phase.startedAt);
  // The waits inside end a little before the step's deadline, so their own message (what they saw) is the
  // one recorded, not the generic one below.
  const RigMillis timeout = station_.limits.stepTimeoutMs;
  phase.innerBudgetMs = std::max<RigMillis>(timeout / 2, timeout - std::max<RigMillis>(500, timeout / 10));
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
  if (flashing_) {  // the step's time ran out or the run was aborted mid-write
    flashing_ = false;
    slot_.flasher->cancel();
  }
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
  core::finishRun(record_, wallAt(clock_.nowMs()));
  emit finished(record_);
}

// ---- the phases
// ---------------------------------------------------------------------------------------------

void ProductionSequence::flash(Phase& phase) {
  if (!slot_.linkError.isEmpty()) {
    endPhase(Outcome::Error, QStringLiteral("serial port: %1").arg(slot_.linkError));
    return;
  }
  const FlashStepConfig& config = *station_.flash;
  phase.measureText(QStringLiteral("image"), QFileInfo(config.image).fileName());
  phase.measureText(
      QStringLiteral("image_md5"),
      QString::fromLatin1(QCryptographicHash::hash(config.bytes, QCryptographicHash::Md5).toHex()));
  phase.measure(QStringLiteral("image_bytes"), static_cast<double>(config.bytes.size()),
                QStringLiteral("bytes"));
  phase.measureText(QStringLiteral("version"), config.version);
  if (slot_.flasher == nullptr) {
    endPhase(Outcome::Error,
             QStringLiteral("slot %1 cannot flash (no ROM loader flasher on this slot)").arg(slot_.name));
    return;
  }
  clock_.cancel(phase.deadline);  // this step has a limit of its own: the image's wire time
  const RigMillis limit = station_.limits.stepTimeoutMs +
                          2 * static_cast<RigMillis>(config.bytes.size()) * 10 * 1000 / kFlashWorstBaud +
                          kFlashSlackMs;
  phase.deadline = clock_.callAfter(limit, phase.context.get(), [this, limit] {
    endPhase(Outcome::Fail, QStringLiteral("the flash step did not end within %1 s").arg(seconds(limit)));
  });
  if (!config.skipWhenCurrent) {
    writeImage(QStringLiteral("not asked (skip_when_current is false)"));
    return;
  }
  // The firmware the module runs says its version in 0x22; a module in its ROM loader (or blank) does not
  // answer 0x21 at all, and is written.
  connect(slot_.mcu, &McuPlug::commandAcked, phase.context.get(),
          [this](quint8 cmd, quint8, const QVariantMap&) {
            if (cmd != kModuleInfoCmd) return;
            const auto& info = slot_.mcu->moduleInfo();
            const QString& wanted = station_.flash->version;
            if (info && info->softVer == wanted) {
              phase_->measureText(QStringLiteral("flash"), QStringLiteral("skipped"));
              endPhase(Outcome::Pass,
                       QStringLiteral("skipped: the module already reports version %1 (0x22)").arg(wanted));
              return;
            }
            writeImage(info ? info->softVer : QStringLiteral("0x22 of neither layout"));
          });
  connect(slot_.mcu, &McuPlug::commandTimedOut, phase.context.get(), [this](quint8 cmd, quint8) {
    if (cmd == kModuleInfoCmd)
      writeImage(QStringLiteral("no answer to 0x21 (no application running: in its loader, or blank)"));
  });
  slot_.mcu->requestModuleInfo();
}

void ProductionSequence::writeImage(const QString& before) {
  if (flashing_ || phase_->ended) return;
  Phase& phase = *phase_;
  phase.measureText(QStringLiteral("version_before"), before);
  const FlashStepConfig& config = *station_.flash;
  FlashJob job;
  job.image = config.image;
  job.bytes = config.bytes;
  job.address = config.address;
  job.baud = config.baud;
  job.verify = config.verify;
  job.stub = config.stub;
  flashing_ = true;
  handshakesAtFlash_ = slot_.mcu->handshakeCount();
  const RigMillis startedAt = clock_.nowMs();
  const QString name = phase.step.name;
  QPointer<QObject> context = phase.context.get();
  slot_.flasher->start(
      job,
      [this, context, name, last = std::make_shared<int>(-1)](qint64 done, qint64 total) {
        const int percent = total > 0 ? static_cast<int>(std::min<qint64>(100, done * 100 / total)) : 0;
        if (!context || percent == *last) return;
        *last = percent;
        emit stepProgress(name, percent);
      },
      [this, context, startedAt](const FlashJobResult& result) {
        flashing_ = false;
        if (!context) return;
        if (result.kind != FlashJobResult::Kind::Ok) {
          endPhase(result.kind == FlashJobResult::Kind::RigError ? Outcome::Error : Outcome::Fail,
                   result.message);
          return;
        }
        const RigMillis took = std::max<RigMillis>(1, clock_.nowMs() - startedAt);
        phase_->measureText(QStringLiteral("flash"), QStringLiteral("written"));
        phase_->measureText(QStringLiteral("chip"), result.chip);
        phase_->measureText(QStringLiteral("loader_mac"), result.mac);
        phase_->measureText(QStringLiteral("md5_verified"), yesNo(result.verified));
        phase_->measure(QStringLiteral("wire_bytes"), static_cast<double>(result.wireBytes),
                        QStringLiteral("bytes"));
        phase_->measure(QStringLiteral("baud"), result.baud, QStringLiteral("baud"));
        phase_->measure(QStringLiteral("flash_seconds"), static_cast<double>(took) / 1000.0,
                        QStringLiteral("s"));
        // Image bytes per second of the whole step: what the line gets, compression and erases included.
        phase_->measure(QStringLiteral("throughput"),
                        static_cast<double>(result.bytes) * 1000.0 / static_cast<double>(took),
                        QStringLiteral("B/s"));
        endPhase(Outcome::Pass, result.notes.join(QStringLiteral("; ")));
      });
}

void ProductionSequence::handshake(Phase& phase) {
  if (!slot_.linkError.isEmpty()) {
    endPhase(Outcome::Error, QStringLiteral("serial port: %1").arg(slot_.linkError));
    return;
  }
  McuPlug* mcu = slot_.mcu;
  const auto done = [this](Phase& p) {
    p.measure(QStringLiteral("handshakes"), slot_.mcu->handshakeCount(), QStringLiteral("count"), 1.0);
    const McuDeviceInfo& info = slot_.mcu->deviceInfo();
    record_.versions.mcuHw = QString::fromLatin1(info.hardVer);
    record_.versions.mcuSw = QString::fromLatin1(info.softVer);
    endPhase(Outcome::Pass, {});
  };
  // Known state: the module came up and nothing has changed its mode since its handshake (after a flash: the
  // handshake of the new firmware).
  const bool flashed = handshakesAtFlash_ >= 0;
  if (mcu->handshakeCount() > std::max(0, handshakesAtFlash_) && !mcu->commandedSinceHandshake()) {
    done(phase);
    return;
  }
  connect(mcu, &McuPlug::handshake, phase.context.get(), [this, done] { done(*phase_); });
  // Otherwise the module is running in whatever state it was left in (a retest, a rig restarted next to a
  // powered module): the MCU's restart (0x29) brings it back through its start-up and handshake.
  auto restarted = std::make_shared<bool>(false);
  auto restartAcked = std::make_shared<bool>(false);
  connect(mcu, &McuPlug::commandAcked, phase.context.get(),
          [restartAcked](quint8 cmd, quint8, const QVariantMap&) {
            if (cmd == kRestartCmd) *restartAcked = true;
          });
  const auto restart = [this, restarted](const QString& why) {
    *restarted = true;
    phase_->measureText(QStringLiteral("module_restart"), why);
    slot_.mcu->sendRestartModule();
  };
  auto powerCycled = std::make_shared<bool>(false);
  // A module that ignores 0x29 (or answers it without restarting) is power-cycled when the slot can.
  const auto powerCycleIfNeeded = [this, powerCycled] {
    if (!slot_.powerCycle) return;
    *powerCycled = true;
    phase_->measureText(QStringLiteral("module_power_cycle"),
                        QStringLiteral("no handshake within %1 s of the restart 0x29: power-cycled")
                            .arg(seconds(kRestartHandshakeWaitMs)));
    slot_.powerCycle();
  };
  QObject* context = phase.context.get();
  const auto restartThenPowerCycle = [this, restart, powerCycleIfNeeded, context](const QString& why) {
    restart(why);
    clock_.callAfter(kRestartHandshakeWaitMs, context, powerCycleIfNeeded);
  };
  if (mcu->handshakeCount() > 0 && !flashed) {
    restartThenPowerCycle(
        QStringLiteral("0x29 sent: the module was commanded since its last handshake (retest)"));
  } else {
    clock_.callAfter(kStartUpHandshakeWaitMs, context, [restartThenPowerCycle] {
      restartThenPowerCycle(
          QStringLiteral("0x29 sent: no start-up handshake within %1 s, the module was already running")
              .arg(seconds(kStartUpHandshakeWaitMs)));
    });
  }
  clock_.callAfter(phase.innerBudgetMs, context, [this, restarted, restartAcked, powerCycled] {
    if (!*restarted) {
      endPhase(Outcome::Fail,
               QStringLiteral("no handshake (0x01) within %1 s").arg(seconds(phase_->innerBudgetMs)));
      return;
    }
    const QString after = *powerCycled       ? QStringLiteral(" and a power cycle")
                          : slot_.powerCycle ? QString()
                                             : QStringLiteral("; the slot has no power_cycle command");
    endPhase(Outcome::Fail, QStringLiteral("no handshake (0x01) within %1 s, not even after the restart 0x29 "
                                           "(0x29 ACKed: %2)%3")
                                .arg(seconds(phase_->innerBudgetMs), yesNo(*restartAcked), after));
  });
}

void ProductionSequence::versions(Phase& phase) {
  connect(
      slot_.mcu, &McuPlug::commandAcked, phase.context.get(), [this](quint8 cmd, quint8, const QVariantMap&) {
        if (cmd != kModuleInfoCmd) return;
        const auto& info = slot_.mcu->moduleInfo();
        if (!info) {
          endPhase(
              Outcome::Fail,
              QStringLiteral("the module answered 0x21 with a 0x22 of neither the WiFi nor the GPRS layout "
                             "(protocol 1.8; the frame log has its bytes)"));
          return;
        }
        record_.versions.wifiHw = info->hardVer;
        record_.versions.wifiSw = info->softVer;
        phase_->measureText(QStringLiteral("module_info_layout"), info->layoutName());
        phase_->measureText(QStringLiteral("wifi_hw"), info->hardVer);
        phase_->measureText(QStringLiteral("wifi_sw"), info->softVer);
        if (handshakesAtFlash_ >= 0 && info->softVer != station_.flash->version) {
          // S2.2: what it reports is what it runs; the written image did not become the running firmware.
          endPhase(Outcome::Fail,
                   QStringLiteral("after the flash step the module reports software version %1, "
                                  "not the station's %2 (S2.2)")
                       .arg(info->softVer, station_.flash->version));
          return;
        }
        if (info->hasMac()) {
          record_.dut.mac = info->mac.toUpper();
          phase_->measureText(QStringLiteral("mac"), record_.dut.mac);
          endPhase(Outcome::Pass, {});
          return;
        }
        const QString missing =
            info->type == gagent::proto::kModuleTypeWifi
                ? QStringLiteral("module info (%1) carries no readable MAC (\"%2\")")
                      .arg(info->layoutName(), info->mac)
                : QStringLiteral("module info uses the %1: no MAC").arg(info->layoutName());
        if (slot_.module.isNull()) {
          endPhase(Outcome::Fail, QStringLiteral("%1, and slot %2 has no module_ip to read it from the LAN "
                                                 "discovery answer (0004)")
                                      .arg(missing, slot_.name));
          return;
        }
        // The discovery answer (0004) of the slot's known address carries the MAC: the next LAN step reads
        // it.
        endPhase(Outcome::Pass, QStringLiteral("%1; the MAC comes from %2's discovery answer (0004)")
                                    .arg(missing, slot_.module.toString()));
      });
  connect(slot_.mcu, &McuPlug::commandTimedOut, phase.context.get(), [this](quint8 cmd, quint8) {
    if (cmd == kModuleInfoCmd) endPhase(Outcome::Fail, QStringLiteral("the module did not answer 0x21"));
  });
  slot_.mcu->requestModuleInfo();
}

void ProductionSequence::productionMode(Phase& phase) {
  joinedAt_.reset();
  joinWatch_ = std::make_unique<QObject>();
  connect(slot_.mcu, &McuPlug::statusChanged, joinWatch_.get(), [this](quint16 word, RigMillis time) {
    const auto status = gagent::proto::WifiStatus::fromWord(word);
    if (!joinedAt_ && status.routerConnected && status.productionTest) joinedAt_ = time;
  });
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
    // Not before the ACK: a module that pushes its status before ACKing 0x13 joined no sooner.
    const RigMillis joinedAt = std::max(productionModeAt_, joinedAt_.value_or(clock_.nowMs()));
    joinWatch_.reset();
    phase_->measure(QStringLiteral("join_time"), static_cast<double>(joinedAt - productionModeAt_),
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
  const QString mac = record_.dut.mac;  // empty when 0x22 had none: then the slot's address is known
  const QHostAddress known = slot_.module;
  const RigMillis sentAt = clock_.nowMs();
  const auto isThisModule = [mac, known](const DiscoveredDevice& device) {
    return mac.isEmpty() ? device.address.isEqual(known, QHostAddress::TolerantConversion)
                         : device.macHex() == mac;
  };
  DiscoveryOptions options;
  if (known.isNull()) {
    options.broadcast = QHostAddress(station_.broadcast);
  } else {
    options.unicast = {known};
  }
  options.timeoutMs = phase.innerBudgetMs;
  options.resendMs = kDiscoveryFirstResendMs;
  options.resendBackoff = kDiscoveryBackoff;
  options.maxResendMs = kDiscoveryMaxResendMs;
  options.until = isThisModule;
  options.owner = phase.context.get();  // nothing more is sent once the phase is over
  const QString target = known.isNull() ? station_.broadcast : known.toString();
  QPointer<QObject> context = phase.context.get();
  slot_.app->discover(options, [this, context, isThisModule, sentAt, target](const DiscoveryResult& result) {
    if (!context) return;
    const auto it = std::find_if(result.devices.begin(), result.devices.end(), isThisModule);
    if (it == result.devices.end()) {
      QStringList others;
      for (const DiscoveredDevice& d : result.devices)
        others << QStringLiteral("%1 (%2)").arg(d.address.toString(), d.macHex());
      endPhase(
          Outcome::Fail,
          QStringLiteral("no discovery answer from the module %1 within %2 s (S7.1.2): %3 requests (0003) to "
                         "%4%5")
              .arg(record_.dut.mac.isEmpty() ? slot_.module.toString() : record_.dut.mac,
                   seconds(phase_->innerBudgetMs))
              .arg(result.requestsSent)
              .arg(target, others.isEmpty() ? QStringLiteral(", no module answered")
                                            : QStringLiteral("; answers only from ") + others.join(", ")));
      return;
    }
    slot_.module = it->address;
    record_.dut.did = it->did;
    if (record_.dut.mac.isEmpty()) {
      record_.dut.mac = it->macHex();
      phase_->measureText(QStringLiteral("mac_from_discovery"), record_.dut.mac);
    }
    phase_->measure(QStringLiteral("discovery_time"), static_cast<double>(clock_.nowMs() - sentAt),
                    QStringLiteral("ms"));
    phase_->measure(QStringLiteral("discovery_requests"), result.requestsSent, QStringLiteral("count"));
    phase_->measureText(QStringLiteral("module_address"), it->address.toString());
    endPhase(Outcome::Pass, {});
  });
}

void ProductionSequence::login(Phase& phase) {
  AppSession* session = slot_.app->session(slot_.module);
  QPointer<QObject> context = phase.context.get();
  // Open, 0006 and 0008 each get a third of the phase's inner budget.
  session->openAndLogin(phase.innerBudgetMs / 3, [this, context](const AppReply& reply) {
    if (!context) return;
    if (!reply.ok()) {
      endPhase(Outcome::Fail, QStringLiteral("passcode/login at %1:%2 failed (S7.3): %3")
                                  .arg(slot_.module.toString())
                                  .arg(gagent::proto::kLanTcpPort)
                                  .arg(reply.error));
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
  const QString what = QStringLiteral("%1=%2 to %3").arg(point).arg(value).arg(module.toString());
  slot_.app->control(module, QVariantMap{{point, value}}, true, phase.innerBudgetMs,
                     [this, context, progress, maybeDone, what](const AppReply& reply) {
                       if (!context) return;
                       if (!reply.ok()) {
                         endPhase(
                             Outcome::Fail,
                             QStringLiteral("control %1 not answered (S7.4): %2").arg(what, reply.error));
                         return;
                       }
                       progress->replied = true;
                       maybeDone();
                     });
  clock_.callAfter(phase.innerBudgetMs, phase.context.get(), [this, progress, what] {
    endPhase(Outcome::Fail,
             QStringLiteral("control %1 within %2 s: the module answered: %3, the MCU got it: %4, "
                            "the app got the report: %5 (S7.4)")
                 .arg(what, seconds(phase_->innerBudgetMs), yesNo(progress->replied), yesNo(progress->mcuGot),
                      yesNo(progress->appGot)));
  });
}

void ProductionSequence::signalLevel(Phase& phase) {
  phase.measure(QStringLiteral("signal_level"), slot_.mcu->wifiStatus().rssiLevel, QStringLiteral("level"),
                static_cast<double>(station_.limits.minSignalLevel));
  endPhase(Outcome::Pass, {});  // judgeStep fails it when the level is under the limit
}

void ProductionSequence::exitTest(Phase& phase) {
  struct Seen {
    bool replied = false;
    QList<quint16> words;  // the status word when 0017 went out, then every change
  };
  auto seen = std::make_shared<Seen>();
  seen->words << slot_.mcu->statusWord().value_or(0);
  const RigMillis sentAt = clock_.nowMs();
  const auto check = [this, seen, sentAt] {
    const gagent::proto::WifiStatus status = slot_.mcu->wifiStatus();
    // S5.6: SoftAP on, station off, test mode over.
    if (!seen->replied || !status.softAp || status.station || status.productionTest) return;
    phase_->measure(QStringLiteral("back_to_softap"), static_cast<double>(clock_.nowMs() - sentAt),
                    QStringLiteral("ms"));
    endPhase(Outcome::Pass, {});
  };
  connect(slot_.mcu, &McuPlug::statusChanged, phase.context.get(), [seen, check](quint16 word, RigMillis) {
    seen->words << word;
    check();
  });
  AppSession* session = slot_.app->session(slot_.module);
  QPointer<QObject> context = phase.context.get();
  session->exitProductionTest(phase.innerBudgetMs, [this, context, seen, check](const AppReply& reply) {
    if (!context) return;
    if (!reply.ok()) {
      endPhase(Outcome::Fail, QStringLiteral("exit test (0017) not answered (S5.6): %1").arg(reply.error));
      return;
    }
    seen->replied = true;
    check();
  });
  clock_.callAfter(phase.innerBudgetMs, phase.context.get(),
                   [this, seen] { endPhase(Outcome::Fail, describeExitTest(seen->words, seen->replied)); });
}

QString ProductionSequence::describeExitTest(const QList<quint16>& words, bool replied) {
  if (!replied) return QStringLiteral("exit test (0017) not answered (no 0018) (S5.6)");
  QStringList path;
  for (const quint16 word : words) path << hexWord(word);
  const auto last = gagent::proto::WifiStatus::fromWord(words.isEmpty() ? 0 : words.last());
  const QString went = words.size() > 1 ? QStringLiteral("status went %1").arg(path.join(" -> "))
                                        : QStringLiteral("status stayed %1").arg(path.value(0));
  if (!last.softAp && !last.station) {
    // GAgent v4.2.6 does this: a difference from the spec, still a FAIL by the spec.
    return QStringLiteral(
               "0018 arrived, %1: the module went to null mode (neither SoftAP nor station) where "
               "S5.6 asks for SoftAP (spec difference)")
        .arg(went);
  }
  QStringList wrong;
  if (!last.softAp) wrong << QStringLiteral("SoftAP never came on");
  if (last.station) wrong << QStringLiteral("station mode still on");
  if (last.productionTest) wrong << QStringLiteral("test mode still on");
  return QStringLiteral("0018 arrived, %1, %2 (S5.6)").arg(went, wrong.join(", "));
}

}  // namespace gizrig::core
