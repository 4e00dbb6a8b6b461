// mcu.* actions: what the device's MCU does on the serial line (McuPlug). A request the module never
// acknowledged (after the §1.5 retries) is the DUT's FAIL; a bad data-point value is the scenario's ERROR.
#include <QPointer>
#include <memory>

#include "actions_params.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::core {
namespace {

namespace proto = gagent::proto;
using namespace actions;

struct McuCommand {
  const char* name;
  proto::McuCmd cmd;
};

const McuCommand kCommands[] = {
    {"configMode", proto::McuCmd::ConfigMode},     {"reset", proto::McuCmd::ResetModule},
    {"production", proto::McuCmd::ProductionTest}, {"bind", proto::McuCmd::BindWindow},
    {"time", proto::McuCmd::GetNetworkTime},       {"moduleInfo", proto::McuCmd::GetModuleInfo},
    {"restart", proto::McuCmd::RestartModule},     {"report", proto::McuCmd::P0FromMcu},
};

QStringList commandNames() {
  QStringList names;
  for (const McuCommand& c : kCommands) names << QString::fromLatin1(c.name);
  return names;
}

std::uint8_t sendNamed(McuPlug& mcu, const QString& name, const QVariantMap& params) {
  if (name == QLatin1String("configMode")) {
    return mcu.sendConfigMode(text(params, "method", "softap") == QLatin1String("airlink")
                                  ? proto::ConfigMethod::AirLink
                                  : proto::ConfigMethod::SoftAp);
  }
  if (name == QLatin1String("reset")) return mcu.sendResetModule();
  if (name == QLatin1String("production")) return mcu.sendProductionTest();
  if (name == QLatin1String("bind")) return mcu.sendBindWindow();
  if (name == QLatin1String("time")) return mcu.requestNetworkTime();
  if (name == QLatin1String("moduleInfo")) return mcu.requestModuleInfo();
  if (name == QLatin1String("restart")) return mcu.sendRestartModule();
  return mcu.sendReport();
}

// mcu.send {cmd, method?: softap|airlink, wait?: true}. With wait (the default) it completes on the
// module's ACK (PASS, values: the mcu.ack fields + roundTripMs) or after the retries ran out (FAIL).
void mcuSend(const ActionCall& call, RunContext& context, ActionDone done) {
  if (context.mcu == nullptr) return done(missingPlug(QStringLiteral("MCU plug")));
  McuPlug& mcu = *context.mcu;
  const QString name = text(call.params, "cmd");
  std::optional<proto::McuCmd> cmd;
  for (const McuCommand& c : kCommands) {
    if (name == QLatin1String(c.name)) cmd = c.cmd;
  }
  if (!cmd) return done(ActionResult::error(QStringLiteral("cmd: unknown MCU command \"%1\"").arg(name)));
  if (!flag(call.params, "wait", true)) {
    const std::uint8_t sn = sendNamed(mcu, name, call.params);
    return done(ActionResult::pass({{"sn", sn}, {"cmd", name}}));
  }

  // Listen before sending: a fast link may answer inside the send. The listener dies with the answer.
  struct State {
    int sn = -1;
    RigMillis sentAt = 0;
    bool completed = false;
  };
  auto state = std::make_shared<State>();
  auto* listener = new QObject(&mcu);
  const auto cmdByte = static_cast<quint8>(*cmd);
  auto complete = [state, listener, done](const ActionResult& result) {
    if (state->completed) return;
    state->completed = true;
    listener->deleteLater();
    done(result);
  };
  RigClock* clock = &context.clock;
  QObject::connect(
      &mcu, &McuPlug::commandAcked, listener,
      [state, cmdByte, complete, clock, name](quint8 acked, quint8 sn, const QVariantMap& fields) {
        if (acked != cmdByte || (state->sn >= 0 && sn != state->sn)) return;
        QVariantMap values = fields;
        values.insert("cmd", name);
        values.insert("roundTripMs", static_cast<qlonglong>(clock->nowMs() - state->sentAt));
        complete(ActionResult::pass(values));
      });
  QObject::connect(&mcu, &McuPlug::commandTimedOut, listener,
                   [state, cmdByte, complete, name](quint8 timedOut, quint8 sn) {
                     if (timedOut != cmdByte || (state->sn >= 0 && sn != state->sn)) return;
                     complete(ActionResult::fail(
                         QStringLiteral("the module did not acknowledge %1 (sn %2)").arg(name).arg(sn)));
                   });
  state->sentAt = context.clock.nowMs();
  const std::uint8_t sn = sendNamed(mcu, name, call.params);
  if (!state->completed) state->sn = sn;
}

// mcu.set {values: {point: value}, report?: true}: "the user" changes the device (one 0x05 report).
void mcuSet(const ActionCall& call, RunContext& context, ActionDone done) {
  if (context.mcu == nullptr) return done(missingPlug(QStringLiteral("MCU plug")));
  const QString error =
      context.mcu->setDataPoints(call.params.value("values").toMap(), flag(call.params, "report", true));
  if (!error.isEmpty()) return done(ActionResult::error(QStringLiteral("values: %1").arg(error)));
  done(ActionResult::pass(context.mcu->dataPoints()));
}

// mcu.deviceInfo {bindTimeout}: what the MCU will answer in its next 0x02 (the module learns it at its next
// handshake, e.g. after mcu.send restart).
void mcuDeviceInfo(const ActionCall& call, RunContext& context, ActionDone done) {
  if (context.mcu == nullptr) return done(missingPlug(QStringLiteral("MCU plug")));
  McuDeviceInfo& info = context.mcu->deviceInfo();
  if (const auto timeout = integer(call.params, "bindTimeout"))
    info.bindTimeout = static_cast<quint16>(*timeout);
  done(ActionResult::pass({{"bindTimeout", info.bindTimeout}}));
}

// mcu.fault {fault: delayAcks (ms) | dropAcks (count) | corrupt (count) | unstuffed (count) |
//            split (bytes, gapMs) | silent (on?: true) | clear}
void mcuFault(const ActionCall& call, RunContext& context, ActionDone done) {
  if (context.mcu == nullptr) return done(missingPlug(QStringLiteral("MCU plug")));
  McuPlug& mcu = *context.mcu;
  const QString fault = text(call.params, "fault");
  const int count = static_cast<int>(integer(call.params, "count").value_or(1));
  if (fault == QLatin1String("delayAcks")) {
    mcu.delayAcks(integer(call.params, "ms").value_or(0));
  } else if (fault == QLatin1String("dropAcks")) {
    mcu.dropAcks(count);
  } else if (fault == QLatin1String("corrupt")) {
    mcu.corruptChecksums(count);
  } else if (fault == QLatin1String("unstuffed")) {
    mcu.sendUnstuffedFf(count);
  } else if (fault == QLatin1String("split")) {
    mcu.splitFrames(static_cast<int>(integer(call.params, "bytes").value_or(1)),
                    integer(call.params, "gapMs").value_or(0));
  } else if (fault == QLatin1String("silent")) {
    mcu.setSilent(flag(call.params, "on", true));
  } else if (fault == QLatin1String("clear")) {
    mcu.clearFaults();
    mcu.setSilent(false);
  } else {
    return done(ActionResult::error(QStringLiteral("fault: unknown MCU fault \"%1\"").arg(fault)));
  }
  done(ActionResult::pass({{"fault", fault}}));
}

}  // namespace

void addMcuActions(ActionRegistry& registry) {
  registry.add({"mcu.send",
                {"cmd"},
                "the MCU sends a request (configMode, reset, production, bind, time, ...)",
                mcuSend,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"cmd", "method", "wait"}),
                                     checkOneOf(p, "cmd", commandNames()),
                                     checkOneOf(p, "method", {"softap", "airlink"}), checkBool(p, "wait")});
                },
                30000});
  registry.add({"mcu.set",
                {"values"},
                "the user changes data points on the device (then a 0x05 report)",
                mcuSet,
                [](const QVariantMap& p) {
                  return firstError(
                      {onlyKeys(p, {"values", "report"}), checkMap(p, "values"), checkBool(p, "report")});
                },
                10000});
  registry.add({"mcu.deviceInfo",
                {},
                "set what the MCU answers in its device info (bindTimeout seconds, 0 = always bindable)",
                mcuDeviceInfo,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"bindTimeout"}), checkInteger(p, "bindTimeout", 0, 65535)});
                },
                1000});
  registry.add(
      {"mcu.fault",
       {"fault"},
       "inject an MCU fault (delayAcks, dropAcks, corrupt, unstuffed, split, silent, clear)",
       mcuFault,
       [](const QVariantMap& p) {
         return firstError(
             {onlyKeys(p, {"fault", "ms", "count", "bytes", "gapMs", "on"}),
              checkOneOf(p, "fault",
                         {"delayAcks", "dropAcks", "corrupt", "unstuffed", "split", "silent", "clear"}),
              checkInteger(p, "ms", 0, 600000), checkInteger(p, "count", 0, 1000000),
              checkInteger(p, "bytes", 0, 4096), checkInteger(p, "gapMs", 0, 600000), checkBool(p, "on")});
       },
       10000});
}

}  // namespace gizrig::core
