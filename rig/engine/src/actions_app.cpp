// app.* actions: the phone app on the LAN (AppPlug / AppSession). A reply that never came, or a module that
// refused (login result 01, an empty passcode, a hang-up instead of an answer), is the DUT's FAIL; a link
// that could not be used is ERROR.
#include <QVariantList>

#include "actions_params.h"
#include "gizrig/plugs/app_plug.h"

namespace gizrig::core {
namespace {

using namespace actions;

// The module said no, or hung up on a request instead of answering it (GAgent v4.2.6 closes the connection
// on a passcode request outside the bind window, where S7.2.3 asks for an empty passcode): that is the DUT's
// answer, not the rig's failure.
bool moduleRefused(const AppReply& reply) {
  return reply.error.startsWith(QLatin1String("login refused")) ||
         reply.error.startsWith(QLatin1String("empty passcode")) ||
         reply.error.startsWith(QLatin1String("the module closed the connection"));
}

ActionResult resultOf(const AppReply& reply) {
  QVariantMap values = reply.fields;
  values.insert("request", reply.request);
  switch (reply.outcome) {
    case AppOutcome::Ok:
      values.insert("roundTripMs", static_cast<qlonglong>(reply.roundTripMs));
      return ActionResult::pass(values);
    case AppOutcome::Timeout:
      return ActionResult::fail(QStringLiteral("%1: %2").arg(reply.request, reply.error), values);
    case AppOutcome::Error:
      if (moduleRefused(reply))
        return ActionResult::fail(QStringLiteral("%1: %2").arg(reply.request, reply.error), values);
      return ActionResult::error(QStringLiteral("%1: %2").arg(reply.request, reply.error));
  }
  return ActionResult::error(QStringLiteral("unknown app outcome"));
}

AppCallback finishWith(ActionDone done) {
  return [done = std::move(done)](const AppReply& reply) { done(resultOf(reply)); };
}

bool needModule(RunContext& context, ActionDone& done) {
  if (context.app == nullptr) {
    done(missingPlug(QStringLiteral("app plug")));
    return false;
  }
  if (context.module.isNull()) {
    done(ActionResult::error(QStringLiteral("the run context has no module address")));
    return false;
  }
  return true;
}

// app.discover {broadcast?: true, unicast?: true, count?: 1}: PASS when the module answered; values: count,
// devices (list), and the module's own answer (did, mac, productKey, firmwareVersion, roundTripMs...).
void appDiscover(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  DiscoveryOptions options;
  if (flag(call.params, "broadcast", true) && !context.broadcast.isNull())
    options.broadcast = context.broadcast;
  if (flag(call.params, "unicast", true)) options.unicast = {context.module};
  if (!options.broadcast && options.unicast.isEmpty()) {
    return done(ActionResult::error(QStringLiteral("broadcast: no broadcast address in the run context")));
  }
  options.timeoutMs = call.timeoutMs;
  options.expectedCount = static_cast<int>(integer(call.params, "count").value_or(1));
  options.awaited = context.module;  // the DUT's answer, not the first of any module on the loopback
  const QHostAddress module = context.module;
  context.app->discover(options, [done, module](const DiscoveryResult& result) {
    if (result.outcome == AppOutcome::Error)
      return done(ActionResult::error(QStringLiteral("discover: %1").arg(result.error)));
    QVariantList devices;
    QVariantMap values;
    for (const DiscoveredDevice& device : result.devices) {
      devices << device.toFields();
      if (device.address.isEqual(module, QHostAddress::TolerantConversion)) values = device.toFields();
    }
    const bool moduleAnswered = !values.isEmpty();
    values.insert("count", static_cast<int>(result.devices.size()));
    values.insert("devices", devices);
    if (result.outcome == AppOutcome::Timeout)
      return done(ActionResult::fail(QStringLiteral("no device answered discovery"), values));
    if (!moduleAnswered) {
      return done(ActionResult::fail(
          QStringLiteral("the module (%1) did not answer discovery").arg(module.toString()), values));
    }
    done(ActionResult::pass(values));
  });
}

// app.onboard {ssid, password, address?}: SoftAP configuration 0001 -> 0002 (S6.2.5).
void appOnboard(const ActionCall& call, RunContext& context, ActionDone done) {
  if (context.app == nullptr) return done(missingPlug(QStringLiteral("app plug")));
  const QHostAddress address =
      call.params.contains("address") ? QHostAddress(text(call.params, "address")) : context.module;
  if (address.isNull()) return done(ActionResult::error(QStringLiteral("address: no module address")));
  OnboardingOptions options;
  options.timeoutMs = call.timeoutMs;
  context.app->softApOnboard(address, text(call.params, "ssid"), text(call.params, "password"), options,
                             finishWith(done));
}

// app.login {passcode?, refused?: false}: open + 0006 + 0008 (S7.2-S7.3). With "passcode" that passcode is
// sent instead of the module's; with "refused": true the step passes only when the module refuses.
void appLogin(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  AppSession* session = context.app->session(context.module);
  const bool wantRefusal = flag(call.params, "refused", false);
  AppCallback finish = [done, wantRefusal](const AppReply& reply) {
    if (!wantRefusal) return done(resultOf(reply));
    if (reply.ok())
      return done(ActionResult::fail(QStringLiteral("the module accepted a login it should refuse")));
    if (moduleRefused(reply)) return done(ActionResult::pass({{"error", reply.error}}));
    done(resultOf(reply));
  };
  if (!call.params.contains("passcode")) return session->openAndLogin(call.timeoutMs, finish);
  const QString passcode = text(call.params, "passcode");
  const RigMillis timeout = call.timeoutMs;
  auto login = [session, passcode, timeout, finish] { session->login(passcode, timeout, finish); };
  if (session->isConnected()) return login();
  session->open(timeout, [login, finish](const AppReply& reply) {
    if (!reply.ok()) return finish(reply);
    login();
  });
}

// app.passcode: 0006 -> 0007 (values: passcode, bindWindowClosed), opening the connection when needed.
void appPasscode(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  AppSession* session = context.app->session(context.module);
  const RigMillis timeout = call.timeoutMs;
  auto ask = [session, timeout, done] { session->requestPasscode(timeout, finishWith(done)); };
  if (session->isConnected()) return ask();
  session->open(timeout, [ask, done](const AppReply& reply) {
    if (!reply.ok()) return done(resultOf(reply));
    ask();
  });
}

bool needSession(RunContext& context, ActionDone& done) {
  if (!needModule(context, done)) return false;
  if (context.app->product() == nullptr) {
    done(ActionResult::error(QStringLiteral("the app plug has no product (setProduct)")));
    return false;
  }
  return true;
}

// app.control {values, sn?: true}: 0093 (or 0090) with the named points (S7.4.1).
void appControl(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needSession(context, done)) return;
  context.app->control(context.module, call.params.value("values").toMap(), flag(call.params, "sn", true),
                       call.timeoutMs, finishWith(done));
}

// app.read: 0090 02 -> 0091 03 (S7.4.4); values: "values" (the points).
void appRead(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needSession(context, done)) return;
  context.app->read(context.module, call.timeoutMs, finishWith(done));
}

void appExitTest(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  context.app->session(context.module)->exitProductionTest(call.timeoutMs, finishWith(done));
}

void appDeviceInfo(const ActionCall& call, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  context.app->session(context.module)->requestDeviceInfo(call.timeoutMs, finishWith(done));
}

// app.logout: the app closes its connection (no packet: the protocol has no logout).
void appLogout(const ActionCall&, RunContext& context, ActionDone done) {
  if (!needModule(context, done)) return;
  if (AppSession* session = context.app->existingSession(context.module)) session->close();
  done(ActionResult::pass());
}

ActionValidator only(QStringList keys, std::function<QString(const QVariantMap&)> more = {}) {
  return [keys = std::move(keys), more = std::move(more)](const QVariantMap& p) {
    const QString keysError = onlyKeys(p, keys);
    if (!keysError.isEmpty() || !more) return keysError;
    return more(p);
  };
}

}  // namespace

void addAppActions(ActionRegistry& registry) {
  registry.add({"app.discover",
                {},
                "the app discovers devices (0003 broadcast + unicast -> 0004)",
                appDiscover,
                only({"broadcast", "unicast", "count"},
                     [](const QVariantMap& p) {
                       return firstError({checkBool(p, "broadcast"), checkBool(p, "unicast"),
                                          checkInteger(p, "count", 0, 1000)});
                     }),
                3000});
  registry.add({"app.onboard",
                {"ssid", "password"},
                "SoftAP onboarding: 0001 {ssid, password} -> 0002",
                appOnboard,
                only({"ssid", "password", "address"},
                     [](const QVariantMap& p) {
                       return firstError(
                           {checkString(p, "ssid"), checkString(p, "password"), checkString(p, "address")});
                     }),
                10000});
  registry.add({"app.login",
                {},
                "the app connects, asks the passcode and logs in (0006, 0008)",
                appLogin,
                only({"passcode", "refused"},
                     [](const QVariantMap& p) {
                       return firstError({checkString(p, "passcode"), checkBool(p, "refused")});
                     }),
                5000});
  registry.add({"app.passcode", {}, "the app asks the passcode (0006 -> 0007)", appPasscode, only({}), 3000});
  registry.add({"app.control",
                {"values"},
                "the app controls data points (0093 or 0090)",
                appControl,
                only({"values", "sn"},
                     [](const QVariantMap& p) {
                       return firstError({checkMap(p, "values"), checkBool(p, "sn")});
                     }),
                3000});
  registry.add({"app.read", {}, "the app reads the device status (0090 02)", appRead, only({}), 3000});
  registry.add(
      {"app.exitTest", {}, "the test tool ends production test (0017 -> 0018)", appExitTest, only({}), 3000});
  registry.add(
      {"app.deviceInfo", {}, "the app asks device info (0013 -> 0014)", appDeviceInfo, only({}), 3000});
  registry.add({"app.logout", {}, "the app closes its connection", appLogout, only({}), 1000});
}

}  // namespace gizrig::core
