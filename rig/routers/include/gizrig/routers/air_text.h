#pragma once
// The text tokens of the gagent-air line protocol (docs/virtual-lab.md) for Qt code: an SSID or a password
// travels as one token, its UTF-8 bytes percent-encoded (`%XX`) when they are '%', a space, a control byte or
// not 7-bit printable; the empty text is `-`, the one-character text "-" is `%2D`. A QString face on
// gagent::air::encodeText / decodeText (firmware/port/posix/air): one codec for the air, the module and the
// rig.

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace gizrig::core {

[[nodiscard]] QByteArray encodeAirText(const QString& text);
// nullopt for a malformed escape or bytes that are not UTF-8.
[[nodiscard]] std::optional<QString> decodeAirText(QByteArrayView token);

// A reply line split at single spaces ("OK 2 a b" -> {"OK", "2", "a", "b"}).
[[nodiscard]] QList<QByteArray> splitAirLine(const QByteArray& line);

}  // namespace gizrig::core
