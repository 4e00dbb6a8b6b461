#include "operator/fail_alarm.h"

#include <QApplication>

#include "app/gui_settings.h"

namespace gizrig::gui {

FailAlarm::FailAlarm(QObject* parent) : QObject(parent), beeper_([] { QApplication::beep(); }) {
  const auto settings = openGuiSettings();
  blink_ = settings->value(settingsKey::kBlinkOnFail, true).toBool();
  sound_ = settings->value(settingsKey::kSoundOnFail, true).toBool();
}

void FailAlarm::setBlinkOn(bool on) {
  blink_ = on;
  openGuiSettings()->setValue(settingsKey::kBlinkOnFail, on);
}

void FailAlarm::setSoundOn(bool on) {
  sound_ = on;
  openGuiSettings()->setValue(settingsKey::kSoundOnFail, on);
}

bool FailAlarm::raise() {
  if (sound_ && beeper_) beeper_();
  return blink_;
}

}  // namespace gizrig::gui
