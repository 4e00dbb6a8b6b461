#pragma once
// Reading action parameters (JSON values as QVariants) with errors that name the parameter. Shared by the
// actions_*.cpp files only.

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>
#include <optional>

#include "gizrig/engine/engine_actions.h"
#include "gizrig/engine/engine_events.h"

namespace gizrig::core::actions {

inline QString text(const QVariantMap& params, const QString& key, const QString& fallback = {}) {
  const auto it = params.constFind(key);
  return it == params.constEnd() ? fallback : it->toString();
}

inline bool flag(const QVariantMap& params, const QString& key, bool fallback) {
  const auto it = params.constFind(key);
  return it == params.constEnd() ? fallback : it->toBool();
}

// A whole number, or nullopt when absent / not one.
inline std::optional<qint64> integer(const QVariantMap& params, const QString& key) {
  const auto it = params.constFind(key);
  if (it == params.constEnd()) return std::nullopt;
  const auto number = numberOf(*it);
  if (!number || *number != static_cast<double>(static_cast<qint64>(*number))) return std::nullopt;
  return static_cast<qint64>(*number);
}

// "" when `key` is absent or a whole number in [low, high]; else "<key>: ...".
inline QString checkInteger(const QVariantMap& params, const QString& key, qint64 low, qint64 high) {
  if (!params.contains(key)) return {};
  const auto value = integer(params, key);
  if (!value || *value < low || *value > high) {
    return QStringLiteral("%1: must be a whole number %2-%3").arg(key).arg(low).arg(high);
  }
  return {};
}

inline QString checkOneOf(const QVariantMap& params, const QString& key, const QStringList& allowed) {
  if (!params.contains(key)) return {};
  if (!allowed.contains(params.value(key).toString())) {
    return QStringLiteral("%1: must be one of %2").arg(key, allowed.join(QStringLiteral(", ")));
  }
  return {};
}

inline QString checkMap(const QVariantMap& params, const QString& key) {
  if (!params.contains(key)) return {};
  if (params.value(key).typeId() != QMetaType::QVariantMap || params.value(key).toMap().isEmpty()) {
    return QStringLiteral("%1: must be a non-empty object").arg(key);
  }
  return {};
}

inline QString checkBool(const QVariantMap& params, const QString& key) {
  if (!params.contains(key)) return {};
  if (params.value(key).typeId() != QMetaType::Bool)
    return QStringLiteral("%1: must be true or false").arg(key);
  return {};
}

inline QString checkString(const QVariantMap& params, const QString& key) {
  if (!params.contains(key)) return {};
  if (params.value(key).typeId() != QMetaType::QString)
    return QStringLiteral("%1: must be a string").arg(key);
  return {};
}

// The first non-empty check.
inline QString firstError(std::initializer_list<QString> checks) {
  for (const QString& check : checks) {
    if (!check.isEmpty()) return check;
  }
  return {};
}

// Only the listed parameters (plus the step keys, already removed by the loader).
inline QString onlyKeys(const QVariantMap& params, const QStringList& allowed) {
  for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
    if (!allowed.contains(it.key())) {
      return QStringLiteral("%1: unknown parameter (allowed: %2)")
          .arg(it.key(), allowed.isEmpty() ? QStringLiteral("none") : allowed.join(QStringLiteral(", ")));
    }
  }
  return {};
}

inline ActionResult missingPlug(const QString& plug) {
  return ActionResult::error(QStringLiteral("this rig has no %1").arg(plug));
}

}  // namespace gizrig::core::actions
