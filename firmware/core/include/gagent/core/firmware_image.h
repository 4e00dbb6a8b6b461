#pragma once
// Our small firmware image format (S9.6, S2.1-S2.3): what the OTA updater writes into the flash OTA region
// and what the agent reads at boot to report the installed versions. Big-endian, header then payload:
//   magic "GAFW" | format u8 | hardware version[8] | software version[8] | firmware version[8] (YYMMDDHH)
//   | payload length u32 | payload CRC-32 u32 | payload
// Version fields are ASCII, padded with NUL bytes when shorter than 8 characters.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "gagent/core/device_config.h"
#include "gagent/core/flash_layout.h"
#include "gagent/core/module_identity.h"
#include "gagent/hal/flash.h"

namespace gagent::core {

inline constexpr std::string_view kFirmwareImageMagic = "GAFW";
inline constexpr std::uint8_t kFirmwareImageFormat = 1;
inline constexpr std::size_t kFirmwareImageHeaderSize = 4 + 1 + 3 * kVersionLength + 4 + 4;  // 37

struct FirmwareImageHeader {
  std::uint8_t format = kFirmwareImageFormat;
  StoredText<kVersionLength> hardwareVersion;  // S2.1: letters and digits
  StoredText<kVersionLength> softwareVersion;  // S2.2
  StoredText<kVersionLength> firmwareVersion;  // S2.3: 8 digits YYMMDDHH
  std::uint32_t payloadLength = 0;
  std::uint32_t payloadCrc = 0;
};

enum class FirmwareImageError : std::uint8_t {
  None,
  TooShort,           // fewer bytes than the header (or than header + payload length)
  BadMagic,           // not "GAFW" (e.g. an erased region)
  UnsupportedFormat,  // a format version we do not know
  BadVersion,         // a version field that is not S2.1-S2.3 text
  WrongHardware,      // built for another hardware version
  TooLarge,           // the payload length does not fit where the image must live
  LengthMismatch,     // bytes after the payload
  BadCrc,             // payload CRC-32 differs
  FlashError,         // the flash refused a read
};
[[nodiscard]] std::string_view firmwareImageErrorName(FirmwareImageError error);

struct [[nodiscard]] FirmwareImageCheck {
  FirmwareImageError error = FirmwareImageError::None;
  FirmwareImageHeader header;
  [[nodiscard]] bool ok() const { return error == FirmwareImageError::None; }
};

// Writes header + payload into `out`; returns the image size, 0 when it does not fit or a version is not
// valid text (the rig and tests build images with this).
[[nodiscard]] std::size_t encodeFirmwareImage(std::span<std::uint8_t> out, std::string_view hardwareVersion,
                                              std::string_view softwareVersion,
                                              std::string_view firmwareVersion,
                                              std::span<const std::uint8_t> payload);

// The header alone (magic, format, version texts); payload length and CRC are not checked here.
FirmwareImageCheck parseFirmwareImageHeader(std::span<const std::uint8_t> header);

// A whole image in memory. `expectedHardware` empty = any hardware.
FirmwareImageCheck validateFirmwareImage(std::span<const std::uint8_t> image,
                                         std::string_view expectedHardware);

// An image stored at the start of `region`, `imageSize` bytes long (the download's size) or, when
// nullopt, as long as its header says. Reads the payload back in pieces to check its CRC, so the check also
// proves the flash write.
FirmwareImageCheck checkFlashImage(hal::Flash& flash, FlashRegion region,
                                   std::optional<std::size_t> imageSize, std::string_view expectedHardware);

// The header of a valid image in the OTA region (the agent reports its software/firmware version at boot),
// nullopt when the region holds none.
[[nodiscard]] std::optional<FirmwareImageHeader> readInstalledImage(hal::Flash& flash);

}  // namespace gagent::core
