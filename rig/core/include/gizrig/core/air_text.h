#pragma once
// The text tokens of the gagent-air line protocol (docs/virtual-lab.md) for Qt code: an SSID or a password
// travels as one token, its UTF-8 bytes percent-encoded (`%XX`) when they are '%', a space, a control byte or
// not 7-bit printable; the empty text is `-`, the one-character text "-" is `%2D`. The same rules as
// gagent::air::encodeText (firmware/port/posix/air), written again for QString so the rig does not depend on
// the air's library.

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
