#pragma once
// FAIL is unmissable (issue 13): when a tile turns FAIL the system bell rings once and the tile blinks until
// the operator acknowledges it (clicks it, or starts the slot again). Both switchable; the switches persist
// (QSettings, gui/app/gui_settings.h). No Qt Multimedia on the line's PCs: QApplication::beep() is the sound.

#include <QObject>
#include <functional>

namespace gizrig::gui {

class FailAlarm : public QObject {
  Q_OBJECT
 public:
  explicit FailAlarm(QObject* parent = nullptr);  // the switches as last saved (both on by default)

  [[nodiscard]] bool blinkOn() const { return blink_; }
  [[nodiscard]] bool soundOn() const { return sound_; }
  void setBlinkOn(bool on);  // saved at once
  void setSoundOn(bool on);
  // What "sound" does (tests count the calls; default QApplication::beep).
  void setBeeper(std::function<void()> beeper) { beeper_ = std::move(beeper); }

  // A tile just turned FAIL: rings when the sound is on; answers whether the tile should blink.
  bool raise();

 private:
  bool blink_ = true;
  bool sound_ = true;
  std::function<void()> beeper_;
};

}  // namespace gizrig::gui
