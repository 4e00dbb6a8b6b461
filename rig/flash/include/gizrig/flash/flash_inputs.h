#pragma once
// What gizrig flash reads from files: images given as FILE[@ADDR] and esptool's flasher-stub JSON
// (entry, text/text_start, data/data_start, base64). Every file is a size-capped regular file; every error
// names the file and what is wrong.

#include <QString>
#include <optional>

#include "gizrig/flash/flash_plan.h"

namespace gizrig::flash {

inline constexpr qint64 kMaxImageBytes = 16 * 1024 * 1024;  // the biggest SPI flash of these modules
inline constexpr qint64 kMaxStubFileBytes = 1024 * 1024;

// "FILE" (at kApplicationAddress) or "FILE@ADDR" (decimal or 0x hex, 4 KiB aligned).
std::optional<FlashImage> loadImageArgument(const QString& argument, QString* error);
std::optional<FlasherStub> loadStubFile(const QString& path, QString* error);
// A whole regular file of at most `maxBytes`.
std::optional<QByteArray> readCappedFile(const QString& path, qint64 maxBytes, QString* error);

}  // namespace gizrig::flash
