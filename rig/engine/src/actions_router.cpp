// router.* actions through RouterControl (air, OpenWrt or SimRadio backends). A backend that fails is the
// rig's ERROR: the DUT has not been asked anything yet.
#include "actions_params.h"
#include "gizrig/plugs/router_control.h"

namespace gizrig::core {
namespace {

using namespace actions;

bool needRouter(const ActionCall& call, RunContext& context, ActionDone& done, QString& ssid) {
  if (context.router == nullptr) {
    done(missingPlug(QStringLiteral("router control")));
    return false;
  }
  ssid = text(call.params, "ssid", context.routerSsid);
  if (ssid.isEmpty()) {
    done(ActionResult::error(QStringLiteral("ssid: no router named (and none in the run context)")));
    return false;
  }
  return true;
}

RouterControl::Done finishWith(ActionDone done, QVariantMap values) {
  return [done = std::move(done), values = std::move(values)](const RouterResult& result) {
    if (!result.ok) return done(ActionResult::error(QStringLiteral("router: %1").arg(result.error)));
    done(ActionResult::pass(values));
  };
}

// router.power {on, ssid?}
void routerPower(const ActionCall& call, RunContext& context, ActionDone done) {
  QString ssid;
  if (!needRouter(call, context, done, ssid)) return;
  const bool on = flag(call.params, "on", true);
  context.router->setPower(ssid, on, finishWith(done, {{"ssid", ssid}, {"on", on}}));
}

// router.reboot {ssid?}: clears the client table (S5.7).
void routerReboot(const ActionCall& call, RunContext& context, ActionDone done) {
  QString ssid;
  if (!needRouter(call, context, done, ssid)) return;
  context.router->reboot(ssid, finishWith(done, {{"ssid", ssid}}));
}

// router.configure {newSsid, password, ssid?}
void routerConfigure(const ActionCall& call, RunContext& context, ActionDone done) {
  QString ssid;
  if (!needRouter(call, context, done, ssid)) return;
  const QString newSsid = text(call.params, "newSsid");
  context.router->configure(ssid, newSsid, text(call.params, "password"),
                            finishWith(done, {{"ssid", newSsid}}));
}

// router.signal {signal 0-100, mac?, ssid?}: one module's signal, or everyone's without a MAC.
void routerSignal(const ActionCall& call, RunContext& context, ActionDone done) {
  QString ssid;
  if (!needRouter(call, context, done, ssid)) return;
  const int signal = static_cast<int>(integer(call.params, "signal").value_or(0));
  context.router->setSignal(ssid, text(call.params, "mac"), signal,
                            finishWith(done, {{"ssid", ssid}, {"signal", signal}}));
}

// router.status {ssid?}: values ssid, powered, signal, clients (list of MACs), clientCount.
void routerStatus(const ActionCall& call, RunContext& context, ActionDone done) {
  QString ssid;
  if (!needRouter(call, context, done, ssid)) return;
  context.router->status(ssid, [done](const RouterResult& result, const RouterStatus& status) {
    if (!result.ok) return done(ActionResult::error(QStringLiteral("router: %1").arg(result.error)));
    done(ActionResult::pass({{"ssid", status.ssid},
                             {"powered", status.powered},
                             {"signal", status.signal},
                             {"clients", status.clientMacs},
                             {"clientCount", static_cast<int>(status.clientMacs.size())}}));
  });
}

}  // namespace

void addRouterActions(ActionRegistry& registry) {
  registry.add(
      {"router.power",
       {"on"},
       "switch a router on or off",
       routerPower,
       [](const QVariantMap& p) {
         return firstError({onlyKeys(p, {"on", "ssid"}), checkBool(p, "on"), checkString(p, "ssid")});
       },
       10000});
  registry.add({"router.reboot",
                {},
                "reboot a router (clears its client table)",
                routerReboot,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"ssid"}), checkString(p, "ssid")});
                },
                60000});
  registry.add({"router.configure",
                {"newSsid", "password"},
                "change a router's SSID and key",
                routerConfigure,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"newSsid", "password", "ssid"}), checkString(p, "newSsid"),
                                     checkString(p, "password"), checkString(p, "ssid")});
                },
                30000});
  registry.add({"router.signal",
                {"signal"},
                "set the signal a module sees (0-100)",
                routerSignal,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"signal", "mac", "ssid"}),
                                     checkInteger(p, "signal", 0, 100), checkString(p, "mac"),
                                     checkString(p, "ssid")});
                },
                10000});
  registry.add({"router.status",
                {},
                "read a router's power, signal and clients",
                routerStatus,
                [](const QVariantMap& p) {
                  return firstError({onlyKeys(p, {"ssid"}), checkString(p, "ssid")});
                },
                10000});
}

}  // namespace gizrig::core
