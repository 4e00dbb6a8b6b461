#include "gizrig/plugs/app_p0.h"

#include <cmath>
#include <string>
#include <vector>

#include "gagent/proto/p0.h"
#include "gizrig/plugs/lan_bytes.h"

namespace gizrig::core {

namespace proto = gagent::proto;

namespace {

QString fromView(std::string_view view) {
  return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

// One value to a raw wire value (non-binary points); an error text on failure.
QString toRawValue(const proto::Attr& attr, const QVariant& value, std::uint32_t& raw) {
  const QString name = QString::fromStdString(attr.name);
  switch (attr.dataType) {
    case proto::DataType::Bool: {
      if (value.typeId() == QMetaType::Bool) {
        raw = value.toBool() ? 1 : 0;
        return {};
      }
      bool isNumber = false;
      const qlonglong number = value.toLongLong(&isNumber);
      if (!isNumber || (number != 0 && number != 1)) return name + ": expected a bool";
      raw = static_cast<std::uint32_t>(number);
      return {};
    }
    case proto::DataType::Enum: {
      if (value.typeId() == QMetaType::QString) {
        const std::string wanted = value.toString().toStdString();
        for (std::size_t i = 0; i < attr.enumNames.size(); ++i) {
          if (attr.enumNames[i] == wanted) {
            raw = static_cast<std::uint32_t>(i);
            return {};
          }
        }
        // Fall through: "2" is an index written as text.
      }
      bool isNumber = false;
      const qlonglong index = value.toLongLong(&isNumber);
      if (!isNumber || index < 0 || static_cast<std::size_t>(index) >= attr.enumNames.size())
        return name + ": '" + value.toString() + "' is not one of its enum values";
      raw = static_cast<std::uint32_t>(index);
      return {};
    }
    case proto::DataType::Uint8:
    case proto::DataType::Uint16:
    case proto::DataType::Uint32: {
      bool isNumber = false;
      const double display = value.toDouble(&isNumber);
      if (!isNumber) return name + ": expected a number";
      const proto::P0Raw converted = proto::toRaw(attr, display);
      if (!converted.ok()) return name + ": " + fromView(converted.error.view());
      raw = converted.raw;
      return {};
    }
    case proto::DataType::Binary:
      break;
  }
  return name + ": not a raw value";
}

}  // namespace

AppP0Build buildControlP0(const proto::Product& product, const QVariantMap& values) {
  AppP0Build build;
  if (values.isEmpty()) {
    build.error = QStringLiteral("a control needs at least one data point");
    return build;
  }
  // P0Change holds views: the names and binary values live here until encodeControl has run.
  std::vector<std::string> names;
  std::vector<QByteArray> binaries;
  names.reserve(static_cast<std::size_t>(values.size()));
  binaries.reserve(static_cast<std::size_t>(values.size()));
  std::vector<proto::P0Change> changes;
  for (auto it = values.cbegin(); it != values.cend(); ++it) {
    const proto::Attr* attr = product.find(it.key().toStdString());
    if (attr == nullptr) {
      build.error = it.key() + ": no such data point in " + QString::fromStdString(product.name);
      return build;
    }
    if (attr->type != proto::AttrType::StatusWritable) {
      build.error = it.key() + ": not writable";
      return build;
    }
    names.push_back(attr->name);
    proto::P0Change change;
    change.name = names.back();
    if (attr->isBinary()) {
      if (it.value().typeId() != QMetaType::QByteArray) {
        build.error = it.key() + ": expected bytes for a binary point";
        return build;
      }
      binaries.push_back(it.value().toByteArray());
      change.binary = asProtoBytes(binaries.back());
    } else if (QString error = toRawValue(*attr, it.value(), change.raw); !error.isEmpty()) {
      build.error = error;
      return build;
    }
    changes.push_back(change);
  }
  QByteArray out(static_cast<qsizetype>(product.controlPayloadBytes()), '\0');
  const proto::P0Result result = proto::encodeControl(
      product, changes,
      proto::MutableBytes(reinterpret_cast<std::uint8_t*>(out.data()), static_cast<std::size_t>(out.size())));
  if (!result.ok()) {
    build.error = fromView(result.error.view());
    return build;
  }
  out.resize(static_cast<qsizetype>(result.size));
  build.p0 = out;
  return build;
}

QByteArray buildReadP0() {
  std::uint8_t byte = 0;
  const proto::P0Result result = proto::encodeRead(proto::MutableBytes(&byte, 1));
  return result.ok() ? QByteArray(1, static_cast<char>(byte)) : QByteArray();
}

AppP0Values decodeStatusP0(const proto::Product& product, const QByteArray& p0) {
  AppP0Values out;
  proto::P0State state(product);
  const proto::P0Decode decoded = proto::decodeStatus(asProtoBytes(p0), state);
  if (!decoded.ok()) {
    out.error = fromView(decoded.error.view());
    if (out.error.isEmpty()) out.error = QStringLiteral("malformed status P0");
    return out;
  }
  out.action =
      decoded.action == proto::P0Action::Report ? QStringLiteral("report") : QStringLiteral("readReply");
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const proto::Attr& attr = product.attrs[i];
    const QString name = QString::fromStdString(attr.name);
    switch (attr.dataType) {
      case proto::DataType::Bool:
        out.values.insert(name, state.rawAt(i) != 0);
        break;
      case proto::DataType::Enum: {
        const std::uint32_t raw = state.rawAt(i);
        out.values.insert(name, raw < attr.enumNames.size() ? QString::fromStdString(attr.enumNames[raw])
                                                            : QString::number(raw));
        break;
      }
      case proto::DataType::Uint8:
      case proto::DataType::Uint16:
      case proto::DataType::Uint32: {
        const proto::P0Display display = proto::toDisplay(attr, state.rawAt(i));
        if (attr.uintSpec.decimals == 0)
          out.values.insert(name, static_cast<qint64>(std::llround(display.value)));
        else
          out.values.insert(name, display.value);
        break;
      }
      case proto::DataType::Binary:
        out.values.insert(name, toQByteArray(state.binaryAt(i)));
        break;
    }
  }
  return out;
}

}  // namespace gizrig::core
