#pragma once
// MAC addresses as the rig writes them: 12 hex digits, upper case ("A0B1C2D3E4F5"), whatever separators and
// case the equipment used ("a0:b1:c2:d3:e4:f5", "A0-B1-...").

#include <QString>

namespace gizrig::core {

// Empty when `text` is not a MAC address.
[[nodiscard]] QString macHex(const QString& text);

}  // namespace gizrig::core
