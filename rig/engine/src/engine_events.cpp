#include "gizrig/engine/engine_events.h"

#include <QMetaType>
#include <QStringList>
#include <cmath>

namespace gizrig::core {

const RecordedEvent& EventHistory::append(const QString& name, const QVariantMap& fields, RigMillis time) {
  events_.push_back(RecordedEvent{nextSeq_++, time, name, fields, false});
  return events_.back();
}

void EventHistory::clear() {
  events_.clear();
}

RecordedEvent* EventHistory::firstUnconsumed(const QString& name, const std::vector<FieldCondition>& where,
                                             quint64 fromSeq) {
  for (RecordedEvent& event : events_) {
    if (event.seq < fromSeq || event.consumed) continue;
    if (eventMatches(event, name, where)) return &event;
  }
  return nullptr;
}

const RecordedEvent* EventHistory::latest(const QString& name, const std::vector<FieldCondition>& where,
                                          quint64 fromSeq) const {
  for (auto it = events_.rbegin(); it != events_.rend() && it->seq >= fromSeq; ++it) {
    if (eventMatches(*it, name, where)) return &*it;
  }
  return nullptr;
}

const RecordedEvent* EventHistory::firstAfter(const QString& name, quint64 afterSeq) const {
  for (const RecordedEvent& event : events_) {
    if (event.seq > afterSeq && event.name == name) return &event;
  }
  return nullptr;
}

QVariant EventHistory::latestField(const QString& field) const {
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    const QVariant value = fieldAt(it->fields, field);
    if (value.isValid() && !value.toString().isEmpty()) return value;
  }
  return {};
}

bool EventHistory::contains(const QString& name, quint64 fromSeq) const {
  for (auto it = events_.rbegin(); it != events_.rend() && it->seq >= fromSeq; ++it) {
    if (it->name == name) return true;
  }
  return false;
}

QVariant fieldAt(const QVariantMap& fields, const QString& path) {
  const QStringList parts = path.split(QLatin1Char('.'));
  QVariant current = fields;
  for (const QString& part : parts) {
    if (current.typeId() != QMetaType::QVariantMap) return {};
    const QVariantMap map = current.toMap();
    const auto it = map.constFind(part);
    if (it == map.constEnd()) return {};
    current = *it;
  }
  return current;
}

std::optional<double> numberOf(const QVariant& value) {
  switch (value.typeId()) {
    case QMetaType::Bool:
      return value.toBool() ? 1.0 : 0.0;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
    case QMetaType::Double:
    case QMetaType::Float:
      return value.toDouble();
    case QMetaType::QString: {
      bool ok = false;
      const double number = value.toString().toDouble(&ok);
      if (ok && std::isfinite(number)) return number;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

namespace {

QString show(const QVariant& value) {
  if (!value.isValid()) return QStringLiteral("nothing");
  if (value.typeId() == QMetaType::QByteArray) return QString::fromLatin1(value.toByteArray().toHex());
  if (value.typeId() == QMetaType::QVariantMap || value.typeId() == QMetaType::QVariantList) {
    return QStringLiteral("(a %1)").arg(QString::fromLatin1(value.typeName()));
  }
  return value.toString();
}

// Equality across the loose types JSON and the plugs use: numbers by value (JSON 1 == quint8 1 == true),
// bytes by their hex, everything else by text.
bool sameValue(const QVariant& expected, const QVariant& actual) {
  if (!actual.isValid()) return false;
  if (expected.typeId() == QMetaType::Bool || actual.typeId() == QMetaType::Bool) {
    const auto a = numberOf(expected);
    const auto b = numberOf(actual);
    if (a && b) return *a == *b;
    return expected.toString().compare(actual.toString(), Qt::CaseInsensitive) == 0;
  }
  const bool expectedIsText = expected.typeId() == QMetaType::QString;
  const bool actualIsText = actual.typeId() == QMetaType::QString;
  if (!expectedIsText || !actualIsText) {
    const auto a = numberOf(expected);
    const auto b = numberOf(actual);
    if (a && b) return *a == *b;
  }
  if (actual.typeId() == QMetaType::QByteArray) {
    return QString::fromLatin1(actual.toByteArray().toHex())
               .compare(expected.toString(), Qt::CaseInsensitive) == 0;
  }
  return expected.toString() == actual.toString();
}

}  // namespace

bool conditionHolds(const FieldCondition& condition, const QVariant& value, QString* why) {
  if (!condition.isRange) {
    if (sameValue(condition.equals, value)) return true;
    if (why)
      *why = QStringLiteral("%1 was %2, not %3").arg(condition.field, show(value), show(condition.equals));
    return false;
  }
  const auto number = numberOf(value);
  if (!number) {
    if (why) *why = QStringLiteral("%1 was %2, not a number").arg(condition.field, show(value));
    return false;
  }
  if ((condition.min && *number < *condition.min) || (condition.max && *number > *condition.max)) {
    if (why) *why = QStringLiteral("%1 was %2, outside the range").arg(condition.field, show(value));
    return false;
  }
  return true;
}

bool eventMatches(const RecordedEvent& event, const QString& name, const std::vector<FieldCondition>& where) {
  if (event.name != name) return false;
  for (const FieldCondition& condition : where) {
    if (!conditionHolds(condition, fieldAt(event.fields, condition.field))) return false;
  }
  return true;
}

QString describeWhere(const std::vector<FieldCondition>& where) {
  QStringList parts;
  for (const FieldCondition& c : where) {
    if (!c.isRange) {
      parts << QStringLiteral("%1: %2").arg(c.field, show(c.equals));
      continue;
    }
    QStringList range;
    if (c.min) range << QStringLiteral("min %1").arg(*c.min);
    if (c.max) range << QStringLiteral("max %1").arg(*c.max);
    parts << QStringLiteral("%1: %2").arg(c.field, range.join(QLatin1Char(' ')));
  }
  return QStringLiteral("{%1}").arg(parts.join(QStringLiteral(", ")));
}

}  // namespace gizrig::core
