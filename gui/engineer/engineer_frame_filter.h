#pragma once
// What the engineer console shows of one frame and which frames its filter lets through: free functions of
// a FrameLogEntry (the McuPlug's log and capture files), so the rules are tested without a display.

#include <QString>

#include "gizrig/plugs/mcu_capture.h"

namespace gizrig::gui {

// "FF FF 00 05 01 ..." (upper case, spaced): how engineers read frames off a scope or a terminal.
[[nodiscard]] QString spacedHex(const QByteArray& raw);
// "sn=1 protocol_ver=00000004 ..." in wire order.
[[nodiscard]] QString fieldsText(const core::FrameLogEntry& entry);
// "ok", "bad: checksum", plus the injected fault when there is one ("ok (fault: bad checksum)").
[[nodiscard]] QString checksumVerdict(const core::FrameLogEntry& entry);
// "module → MCU" / "MCU → module".
[[nodiscard]] QString directionText(core::FrameDirection direction);
// "0x02" from "0x02 device info"; "" when the name carries no command byte.
[[nodiscard]] QString commandCode(const core::FrameLogEntry& entry);

struct FrameFilter {
  enum class Direction : std::uint8_t { Both, ToMcu, FromMcu };
  QString command;  // "" = any; else a command code ("0x02", "02", "2") or a word in the name ("status")
  Direction direction = Direction::Both;
  QString text;  // "" = any; case-insensitive substring of the name, fields, hex (spaced or not), error

  [[nodiscard]] bool matches(const core::FrameLogEntry& entry) const;
  [[nodiscard]] bool isEmpty() const {
    return command.isEmpty() && direction == Direction::Both && text.isEmpty();
  }
};

}  // namespace gizrig::gui
