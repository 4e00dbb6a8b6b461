#include "gizrig/lab/on_lan_check.h"

#include <algorithm>

#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {
// 0003 at 0, 1, 3 s ...: a module on the LAN answers the first; the rest cover a lost datagram.
constexpr RigMillis kResendMs = 1000;
constexpr double kBackoff = 2.0;
}  // namespace

void checkModuleOnLan(AppPlug& app, const McuPlug& mcu, const QHostAddress& module, QObject* owner,
                      RigMillis timeoutMs, std::function<void(const QString&)> done) {
  DiscoveryOptions options;
  options.unicast = {module};
  options.timeoutMs = timeoutMs;
  options.resendMs = kResendMs;
  options.resendBackoff = kBackoff;
  const auto isModule = [module](const DiscoveredDevice& device) {
    return device.address.isEqual(module, QHostAddress::TolerantConversion);
  };
  options.until = isModule;
  options.owner = owner;
  app.discover(options, [&mcu, module, isModule, timeoutMs,
                         done = std::move(done)](const DiscoveryResult& result) {
    if (std::any_of(result.devices.begin(), result.devices.end(), isModule)) {
      done({});
      return;
    }
    QString why = QStringLiteral(
                      "setup: home_router.onboarding \"on_lan\": the module at %1 did not answer discovery "
                      "(0003) within %2 s (%3 requests): it is not on the station's LAN (S7.1)")
                      .arg(module.toString())
                      .arg(static_cast<double>(timeoutMs) / 1000.0)
                      .arg(result.requestsSent);
    // The status word explains it, read only now: right after a restart the module reports no router until
    // it has joined again, so an early word is no verdict.
    if (mcu.statusWord() && !mcu.wifiStatus().routerConnected) {
      why += QStringLiteral(
                 "; its status word 0x%1 says no router is connected (on_lan never onboards a "
                 "module; a scenario before may have reset it)")
                 .arg(*mcu.statusWord(), 4, 16, QLatin1Char('0'));
    }
    done(why);
  });
}

}  // namespace gizrig::lab
