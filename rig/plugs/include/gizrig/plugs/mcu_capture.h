#pragma once
// Every MCU serial frame the rig saw or sent, with its time on the RigClock, its raw wire bytes and what it
// means, kept in a bounded in-memory capture and saved/loaded as JSON lines (one frame per line), so a run
// can be replayed by eye (gizrig decode) or compared by tools.

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <cstddef>
#include <deque>
#include <optional>

#include "gizrig/clock/rig_clock.h"

namespace gizrig::core {

enum class FrameDirection : std::uint8_t {
  ToMcu,    // module -> MCU (what the MCU received)
  FromMcu,  // MCU -> module (what the rig sent, or would have sent for a dropped frame)
};

struct FrameLogEntry {
  RigMillis time = 0;
  FrameDirection direction = FrameDirection::ToMcu;
  QByteArray raw;  // exact wire bytes (stuffed; faults applied)
  QString name;    // "0x02 device info"; "frame" when nothing could be read
  bool ok = true;  // false: malformed on the wire (see error)
  QString error;   // "checksum", "stuffing", ...
  QString fault;   // the fault the rig injected into this frame ("dropped (not sent)", "bad checksum", ...)
  QList<QPair<QString, QString>> fields;  // decoded fields, in wire order

  [[nodiscard]] QString field(const QString& key) const;  // "" when absent
  friend bool operator==(const FrameLogEntry&, const FrameLogEntry&) = default;
};

[[nodiscard]] QString directionName(FrameDirection direction);  // "to_mcu" / "from_mcu"

// One JSON object per entry: {"t":..,"dir":"to_mcu","name":..,"raw":"ffff..",...,"fields":[["sn","1"],..]}.
[[nodiscard]] QByteArray toJsonLine(const FrameLogEntry& entry);
// nullopt + error for a line that is not such an object.
[[nodiscard]] std::optional<FrameLogEntry> fromJsonLine(const QByteArray& line, QString& error);

// The newest `capacity` entries (older ones are dropped first, and counted).
class McuCapture {
 public:
  static constexpr std::size_t kDefaultCapacity = 20000;

  explicit McuCapture(std::size_t capacity = kDefaultCapacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void append(FrameLogEntry entry);
  void clear();
  void setCapacity(std::size_t capacity);

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] std::size_t droppedCount() const { return dropped_; }
  [[nodiscard]] const FrameLogEntry& at(std::size_t i) const { return entries_.at(i); }
  [[nodiscard]] const std::deque<FrameLogEntry>& entries() const { return entries_; }

  // Writes every entry as a JSON line; false + error when the file cannot be written.
  bool save(const QString& path, QString& error) const;
  // Replaces the content with the file's lines (blank lines skipped); on a bad line nothing changes and the
  // error names the line.
  bool load(const QString& path, QString& error);

 private:
  std::size_t capacity_;
  std::size_t dropped_ = 0;
  std::deque<FrameLogEntry> entries_;
};

}  // namespace gizrig::core

Q_DECLARE_METATYPE(gizrig::core::FrameLogEntry)
