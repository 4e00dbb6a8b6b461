#pragma once
// What a flashing run is asked to do and what it reports: the images and where they go, the baud rate, the
// optional flasher stub, and the outcome with the chip, its MAC and the MD5 of every image. Plain data, no
// Qt (the sans-I/O flasher and its tests use it).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gizrig::flash {

using FlashMillis = std::int64_t;

// Where a GAgent module boots its application from (gagent's flash layout: two configuration sectors, then
// the image; core::otaRegion), the address of an image given without @ADDR.
inline constexpr std::uint32_t kApplicationAddress = 0x2000;
inline constexpr std::uint32_t kRomBaud = 115200;

enum class Chip : std::uint8_t { Unknown, Esp8266, Esp32 };
[[nodiscard]] const char* chipName(Chip chip);

struct FlashImage {
  std::string name;  // for messages: the file it came from
  std::uint32_t address = kApplicationAddress;
  std::vector<std::uint8_t> bytes;
};

// esptool's flasher stub: code and data segments uploaded to RAM, then run at `entry`.
struct FlasherStub {
  struct Segment {
    std::uint32_t address = 0;
    std::vector<std::uint8_t> bytes;
  };
  std::uint32_t entry = 0;
  std::vector<Segment> segments;
};

struct FlashPlan {
  std::vector<FlashImage> images;
  std::uint32_t baud = kRomBaud;  // raised after sync where the loader can
  bool verify = true;             // SPI_FLASH_MD5 after each image
  bool resetIntoLoader = true;    // the classic DTR/RTS sequence first (a USB-serial adapter's auto-reset)
  bool runAfter = true;           // leave the loader into the new firmware
  bool identifyOnly = false;      // sync, chip and MAC, nothing written (the engineer's "Read chip / MAC")
  std::optional<Chip> expectChip;
  std::optional<FlasherStub> stub;
};

enum class FlashFailure : std::uint8_t {
  None,
  NoSync,       // nothing answered SYNC
  WrongChip,    // an unknown magic value, or not the chip expected
  Refused,      // a command answered with a failure status
  Timeout,      // no answer mid-run, retries exhausted
  Md5Mismatch,  // verification failed
  PortLost,     // the port failed mid-run (the module vanished, the adapter was pulled)
};
[[nodiscard]] const char* failureName(FlashFailure failure);

struct ImageReport {
  std::uint32_t address = 0;
  std::size_t bytes = 0;      // image bytes
  std::size_t wireBytes = 0;  // what was sent (compressed or padded)
  bool compressed = false;
  std::string md5;        // of the file, hex
  bool verified = false;  // the module's MD5 matched
  FlashMillis startedAt = 0;
  FlashMillis finishedAt = 0;
};

struct FlashReport {
  FlashFailure failure = FlashFailure::None;
  std::string message;             // the failure, or "" when it went well
  std::vector<std::string> notes;  // what was skipped and why (no MD5 on an ESP8266 ROM, ...)
  Chip chip = Chip::Unknown;
  std::array<std::uint8_t, 6> mac{};
  bool stubRunning = false;
  std::uint32_t baud = kRomBaud;
  std::vector<ImageReport> images;
  [[nodiscard]] bool ok() const { return failure == FlashFailure::None; }
};

// Where a run is, for a progress line.
struct FlashProgress {
  std::string phase;      // "connecting", "writing", "verifying", ...
  std::size_t image = 0;  // 0-based, while writing
  std::size_t imageCount = 0;
  std::size_t done = 0;   // image bytes written so far
  std::size_t total = 0;  // of this image
};

[[nodiscard]] std::string macText(const std::array<std::uint8_t, 6>& mac);  // aa:bb:cc:dd:ee:ff

}  // namespace gizrig::flash
