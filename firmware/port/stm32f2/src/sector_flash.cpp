#include "gagent/stm32f2/sector_flash.h"

#include <cstring>

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {
namespace {

// A 128 KiB sector erase takes up to 2 s at 120 MHz (datasheet): bounded well past that.
constexpr std::uint32_t kBusyPolls = 100'000'000;

bool waitIdle() {
  for (std::uint32_t i = 0; i < kBusyPolls; ++i) {
    if ((reg(flash::kSr) & flash::kSrBsy) == 0) return (reg(flash::kSr) & flash::kSrErrors) == 0;
  }
  return false;
}

// Unlocked for one operation, locked again whatever happens.
class Unlocked {
 public:
  Unlocked() {
    reg(flash::kSr) = flash::kSrErrors;  // clear stale error flags (write 1 to clear)
    reg(flash::kKeyr) = flash::kKey1;
    reg(flash::kKeyr) = flash::kKey2;
  }
  ~Unlocked() { reg(flash::kCr) = flash::kCrLock; }
  Unlocked(const Unlocked&) = delete;
  Unlocked& operator=(const Unlocked&) = delete;
};

}  // namespace

bool SectorFlash::controllerPresent() {
  return (reg(flash::kCr) & flash::kCrLock) != 0;
}

bool SectorFlash::read(std::size_t offset, std::span<std::uint8_t> out) {
  if (!inWindow(offset, out.size())) return false;
  std::memcpy(out.data(), reinterpret_cast<const void*>(kWindowBase + offset), out.size());
  return true;
}

bool SectorFlash::eraseSector(std::size_t offset) {
  if (offset % kSectorSize != 0 || !inWindow(offset, kSectorSize)) return false;
  const auto sector = static_cast<std::uint32_t>(kFirstSector + offset / kSectorSize);
  Unlocked unlocked;
  if (!waitIdle()) return false;
  reg(flash::kCr) = flash::kCrSer | (sector << flash::kCrSnbShift) | flash::kCrPsizeX32;
  reg(flash::kCr) |= flash::kCrStrt;
  const bool ok = waitIdle();
  reg(flash::kCr) = 0;
  return ok;
}

bool SectorFlash::write(std::size_t offset, std::span<const std::uint8_t> data) {
  if (!inWindow(offset, data.size())) return false;
  Unlocked unlocked;
  if (!waitIdle()) return false;
  // Byte programming (PSIZE x8) works at any supply voltage and any alignment; records are small.
  reg(flash::kCr) = flash::kCrPg | flash::kCrPsizeX8;
  bool ok = true;
  for (std::size_t i = 0; i < data.size() && ok; ++i) {
    *reinterpret_cast<volatile std::uint8_t*>(kWindowBase + offset + i) = data[i];
    ok = waitIdle();
  }
  reg(flash::kCr) = 0;
  return ok;
}

}  // namespace gagent::stm32f2
