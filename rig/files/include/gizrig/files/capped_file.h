#pragma once
// Reading the files the rig is given (station files, scenarios, suites, products, images): only regular
// files, only up to a size cap, so /dev/zero, a FIFO or a 4 GB mistake becomes a clear error instead of an
// allocation that kills the process.

#include <QByteArray>
#include <QString>
#include <optional>

namespace gizrig::core {

// A JSON description file (station, scenario, suite, product) is never near this.
inline constexpr qint64 kMaxDescriptionFileBytes = 4 * 1024 * 1024;

// The whole file, or nullopt with `error` = "<path>: <reason>" (missing, not a regular file, larger than
// maxBytes, unreadable).
[[nodiscard]] std::optional<QByteArray> readCappedFile(const QString& path, qint64 maxBytes, QString* error);

}  // namespace gizrig::core
