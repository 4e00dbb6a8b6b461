#pragma once
// The app's view of P0 (protocol §1.11) through the product definition (gagent/proto/p0.h): controls built
// from data-point names and values, and reads / reports decoded into named values.
//
// Values: bool points take a bool (or 0/1); enum points an enum name (or its index); number points their
// display value (display = ratio * raw + addition, e.g. Motor_Speed -5); binary points a QByteArray of
// exactly the point's length. Decoded values use the same types (numbers: qint64 when the point has no
// decimals, double otherwise).

#include <QByteArray>
#include <QString>
#include <QVariantMap>

#include "gagent/proto/product.h"

namespace gizrig::core {

struct AppP0Build {
  QByteArray p0;
  QString error;  // names the data point and the reason
  [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// 01 + attr_flags + attr_vals with the named writable points flagged.
[[nodiscard]] AppP0Build buildControlP0(const gagent::proto::Product& product, const QVariantMap& values);
// 02
[[nodiscard]] QByteArray buildReadP0();

struct AppP0Values {
  QString action;  // "readReply" (03) or "report" (04)
  QVariantMap values;
  QString error;
  [[nodiscard]] bool ok() const { return error.isEmpty(); }
};

// A 03 read reply or a 04 report, strictly checked against the product's layout.
[[nodiscard]] AppP0Values decodeStatusP0(const gagent::proto::Product& product, const QByteArray& p0);

}  // namespace gizrig::core
