#pragma once
// Where gizrig-gui keeps what a person chose (issue 13): the operator station's file, slot count and records
// database, and the FAIL alarm's switches. One INI file per user (QSettings, user scope:
// $XDG_CONFIG_HOME/gizrig/gizrig-gui.ini); tests point QSettings::setPath at a temporary directory first.

#include <QSettings>
#include <QString>
#include <memory>

namespace gizrig::gui {

namespace settingsKey {
inline constexpr const char* kStationFile = "operator/station_file";
inline constexpr const char* kSlotCount = "operator/slot_count";
inline constexpr const char* kRecordsDb = "operator/records_db";
inline constexpr const char* kBlinkOnFail = "operator/blink_on_fail";
inline constexpr const char* kSoundOnFail = "operator/sound_on_fail";
}  // namespace settingsKey

[[nodiscard]] std::unique_ptr<QSettings> openGuiSettings();

// The records database the window opens: `--db` when given, else the one chosen last time (persisted by the
// operator view's Apply), else `fallback` (the per-user default).
[[nodiscard]] QString recordsDbToOpen(bool givenOnCommandLine, const QString& commandLine,
                                      const QString& fallback);

}  // namespace gizrig::gui
