#include "gizrig/lab/mcu_onboarding.h"

#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::lab {

using namespace gizrig::core;

namespace {
constexpr quint8 kConfigModeCmd = 0x09;
}  // namespace

McuOnboarding::McuOnboarding(McuPlug& mcu, RigClock& clock) : mcu_(mcu), attempt_(clock) {}

McuOnboarding::~McuOnboarding() = default;

void McuOnboarding::start(const QString& ssid, const QString& password,
                          std::function<void(const QString&)> done, RigMillis timeoutMs) {
  const std::optional<std::uint8_t> sn = mcu_.sendDirectConfig(ssid.toUtf8(), password.toUtf8());
  QObject* attempt = attempt_.begin(std::move(done), timeoutMs, [this, timeoutMs, ssid] {
    return QStringLiteral(
               "setup: after 0x09 type 4 (\"write config directly\", protocol 1.8) the module did not join "
               "\"%1\" within %2 s (status 0x%3); a module that takes only types 1 and 2 (GAgent v4.2.6) "
               "needs home_router.onboarding \"softap\" or \"on_lan\"")
        .arg(ssid)
        .arg(timeoutMs / 1000)
        .arg(mcu_.statusWord().value_or(0), 4, 16, QLatin1Char('0'));
  });
  if (!sn)
    return attempt_.finish(QStringLiteral("setup: the home router's SSID or password is over 255 bytes"));
  QObject::connect(&mcu_, &McuPlug::commandTimedOut, attempt, [this, sn](quint8 cmd, quint8 timedOutSn) {
    if (cmd == kConfigModeCmd && timedOutSn == *sn)
      attempt_.finish(
          QStringLiteral("setup: the module did not ACK 0x09 type 4 (\"write config directly\")"));
  });
  // The module saves the credentials and restarts (S6.1: configuration then reboot); joined is the router bit
  // of a status word pushed after that.
  QObject::connect(&mcu_, &McuPlug::statusChanged, attempt, [this] {
    if (mcu_.wifiStatus().routerConnected && mcu_.wifiStatus().station) attempt_.finish({});
  });
}

}  // namespace gizrig::lab
