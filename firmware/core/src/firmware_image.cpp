#include "gagent/core/firmware_image.h"

#include <algorithm>
#include <array>

#include "gagent/core/crc32.h"
#include "gagent/proto/bytes.h"

namespace gagent::core {

namespace {

// Flash is read back through this buffer when the CRC is checked (bounded stack use).
constexpr std::size_t kReadChunk = 256;

bool isAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// S2.1/S2.2: 1-8 letters or digits.
bool isVersionText(std::string_view text) {
  return !text.empty() && text.size() <= kVersionLength && std::all_of(text.begin(), text.end(), isAlnum);
}
// S2.3: exactly YYMMDDHH.
bool isFirmwareVersionText(std::string_view text) {
  return text.size() == kVersionLength && std::all_of(text.begin(), text.end(), isDigit);
}

// A NUL-padded fixed field: the text up to the first NUL; NUL followed by anything but NULs is invalid.
std::optional<std::string_view> fixedField(std::span<const std::uint8_t> field) {
  const std::string_view text = proto::asText(field);
  const std::size_t end = text.find('\0');
  if (end == std::string_view::npos) return text;
  if (text.find_first_not_of('\0', end) != std::string_view::npos) return std::nullopt;
  return text.substr(0, end);
}

}  // namespace

std::string_view firmwareImageErrorName(FirmwareImageError error) {
  switch (error) {
    case FirmwareImageError::None:
      return "none";
    case FirmwareImageError::TooShort:
      return "too short";
    case FirmwareImageError::BadMagic:
      return "bad magic";
    case FirmwareImageError::UnsupportedFormat:
      return "unsupported format";
    case FirmwareImageError::BadVersion:
      return "bad version text";
    case FirmwareImageError::WrongHardware:
      return "wrong hardware version";
    case FirmwareImageError::TooLarge:
      return "too large";
    case FirmwareImageError::LengthMismatch:
      return "length mismatch";
    case FirmwareImageError::BadCrc:
      return "payload CRC mismatch";
    case FirmwareImageError::FlashError:
      return "flash read error";
  }
  return "unknown";
}

std::size_t encodeFirmwareImage(std::span<std::uint8_t> out, std::string_view hardwareVersion,
                                std::string_view softwareVersion, std::string_view firmwareVersion,
                                std::span<const std::uint8_t> payload) {
  if (!isVersionText(hardwareVersion) || !isVersionText(softwareVersion) ||
      !isFirmwareVersionText(firmwareVersion) || payload.size() > UINT32_MAX) {
    return 0;
  }
  proto::ByteWriter writer(out);
  writer.text(kFirmwareImageMagic);
  writer.u8(kFirmwareImageFormat);
  writer.fixedText(hardwareVersion, kVersionLength);
  writer.fixedText(softwareVersion, kVersionLength);
  writer.fixedText(firmwareVersion, kVersionLength);
  writer.u32(static_cast<std::uint32_t>(payload.size()));
  writer.u32(crc32(payload));
  writer.bytes(payload);
  return writer.ok() ? writer.size() : 0;
}

FirmwareImageCheck parseFirmwareImageHeader(std::span<const std::uint8_t> header) {
  FirmwareImageCheck check;
  if (header.size() < kFirmwareImageHeaderSize) {
    check.error = FirmwareImageError::TooShort;
    return check;
  }
  if (proto::asText(header.first(kFirmwareImageMagic.size())) != kFirmwareImageMagic) {
    check.error = FirmwareImageError::BadMagic;
    return check;
  }
  std::size_t at = kFirmwareImageMagic.size();
  check.header.format = header[at++];
  if (check.header.format != kFirmwareImageFormat) {
    check.error = FirmwareImageError::UnsupportedFormat;
    return check;
  }
  const auto hardware = fixedField(header.subspan(at, kVersionLength));
  const auto software = fixedField(header.subspan(at + kVersionLength, kVersionLength));
  const auto firmware = fixedField(header.subspan(at + 2 * kVersionLength, kVersionLength));
  at += 3 * kVersionLength;
  if (!hardware || !software || !firmware || !isVersionText(*hardware) || !isVersionText(*software) ||
      !isFirmwareVersionText(*firmware)) {
    check.error = FirmwareImageError::BadVersion;
    return check;
  }
  check.header.hardwareVersion = *hardware;
  check.header.softwareVersion = *software;
  check.header.firmwareVersion = *firmware;
  auto u32At = [&](std::size_t offset) {
    return (std::uint32_t{header[offset]} << 24) | (std::uint32_t{header[offset + 1]} << 16) |
           (std::uint32_t{header[offset + 2]} << 8) | std::uint32_t{header[offset + 3]};
  };
  check.header.payloadLength = u32At(at);
  check.header.payloadCrc = u32At(at + 4);
  return check;
}

namespace {

FirmwareImageCheck checkHeaderFor(std::span<const std::uint8_t> headerBytes,
                                  std::string_view expectedHardware, std::size_t room) {
  FirmwareImageCheck check = parseFirmwareImageHeader(headerBytes);
  if (!check.ok()) return check;
  if (!expectedHardware.empty() && check.header.hardwareVersion.view() != expectedHardware) {
    check.error = FirmwareImageError::WrongHardware;
  } else if (check.header.payloadLength > room - kFirmwareImageHeaderSize) {
    check.error = FirmwareImageError::TooLarge;
  }
  return check;
}

}  // namespace

FirmwareImageCheck validateFirmwareImage(std::span<const std::uint8_t> image,
                                         std::string_view expectedHardware) {
  FirmwareImageCheck check = checkHeaderFor(image, expectedHardware, image.size());
  if (check.error == FirmwareImageError::TooLarge) check.error = FirmwareImageError::TooShort;
  if (!check.ok()) return check;
  const auto payload = image.subspan(kFirmwareImageHeaderSize);
  if (payload.size() != check.header.payloadLength) {
    check.error = FirmwareImageError::LengthMismatch;
  } else if (crc32(payload) != check.header.payloadCrc) {
    check.error = FirmwareImageError::BadCrc;
  }
  return check;
}

FirmwareImageCheck checkFlashImage(hal::Flash& flash, FlashRegion region,
                                   std::optional<std::size_t> imageSize, std::string_view expectedHardware) {
  FirmwareImageCheck check;
  if (region.size < kFirmwareImageHeaderSize || (imageSize && *imageSize < kFirmwareImageHeaderSize)) {
    check.error = FirmwareImageError::TooShort;
    return check;
  }
  std::array<std::uint8_t, kFirmwareImageHeaderSize> headerBytes{};
  if (!flash.read(region.offset, headerBytes)) {
    check.error = FirmwareImageError::FlashError;
    return check;
  }
  check = checkHeaderFor(headerBytes, expectedHardware, imageSize ? *imageSize : region.size);
  if (check.error == FirmwareImageError::TooLarge && imageSize) check.error = FirmwareImageError::TooShort;
  if (!check.ok()) return check;
  if (imageSize && *imageSize != kFirmwareImageHeaderSize + check.header.payloadLength) {
    check.error = FirmwareImageError::LengthMismatch;
    return check;
  }
  std::array<std::uint8_t, kReadChunk> chunk{};
  std::uint32_t crc = 0;
  std::size_t offset = region.offset + kFirmwareImageHeaderSize;
  for (std::size_t left = check.header.payloadLength; left > 0;) {
    const std::size_t n = std::min(left, chunk.size());
    if (!flash.read(offset, std::span(chunk).first(n))) {
      check.error = FirmwareImageError::FlashError;
      return check;
    }
    crc = crc32(std::span<const std::uint8_t>(chunk).first(n), crc);
    offset += n;
    left -= n;
  }
  if (crc != check.header.payloadCrc) check.error = FirmwareImageError::BadCrc;
  return check;
}

std::optional<FirmwareImageHeader> readInstalledImage(hal::Flash& flash) {
  const FlashRegion region = otaRegion(flash);
  const FirmwareImageCheck check = checkFlashImage(flash, region, std::nullopt, {});
  if (!check.ok()) return std::nullopt;
  return check.header;
}

}  // namespace gagent::core
