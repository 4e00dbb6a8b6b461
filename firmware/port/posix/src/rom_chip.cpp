#include "gagent/posix/rom_chip.h"

#include <bit>

#include "gagent/proto/esp_loader.h"

namespace gagent::posix {
namespace {

// SPI peripheral (same offsets on both chips): command, user flags, user command, data word 0.
constexpr std::uint32_t kSpiCmd = 0x00;
constexpr std::uint32_t kSpiUsr2 = 0x24;
constexpr std::uint32_t kSpiW0 = 0x40;
constexpr std::uint32_t kSpiCmdUsr = 1u << 18;  // "run the user command"; the peripheral clears it when done
constexpr std::uint8_t kSpiFlashRdid = 0x9F;    // JEDEC read ID
// A Winbond W25Q-series part: manufacturer 0xEF, memory type 0x40, capacity code log2(size).
constexpr std::uint32_t kFlashManufacturer = 0xEF;
constexpr std::uint32_t kFlashMemoryType = 0x40;

constexpr RomChipModel kEsp8266{
    .chip = LoaderChip::Esp8266,
    .name = "ESP8266",
    .magic = proto::esp::kEsp8266Magic,
    .romStatusSize = 2,
    .romHasDeflate = false,
    .romHasMd5 = false,
    .romHasSpiCommands = false,
    .romHasChangeBaud = false,
    .romEraseSizeBug = true,
    .efuseBase = 0x3FF00050,
    .uartClockDivider = 0x60000014,
    .uartClockHz = 26'000'000 * 2,
    .spiBase = 0x60000200,
};
constexpr RomChipModel kEsp32{
    .chip = LoaderChip::Esp32,
    .name = "ESP32",
    .magic = proto::esp::kEsp32Magic,
    .romStatusSize = 4,
    .romHasDeflate = true,
    .romHasMd5 = true,
    .romHasSpiCommands = true,
    .romHasChangeBaud = true,
    .romEraseSizeBug = false,
    .efuseBase = 0x3FF5A000,
    .uartClockDivider = 0x3FF40014,
    .uartClockHz = 40'000'000,
    .spiBase = 0x3FF42000,
};

}  // namespace

const RomChipModel& romChipModel(LoaderChip chip) {
  return chip == LoaderChip::Esp32 ? kEsp32 : kEsp8266;
}

RomRegisters::RomRegisters(const RomChipModel& model, const hal::MacAddress& mac, std::size_t flashSize)
    : model_(model) {
  fixed_[proto::esp::kChipMagicRegister] = model.magic;
  const auto b = [&](std::size_t i) { return std::uint32_t{mac[i]}; };
  if (model.chip == LoaderChip::Esp8266) {
    // esptool's ESP8266 MAC: word 3 holds the OUI (when not zero), word 1 bytes 4-5, word 0's top byte
    // byte 6.
    fixed_[model.efuseBase + 0] = b(5) << 24;
    fixed_[model.efuseBase + 4] = (b(3) << 8) | b(4);
    fixed_[model.efuseBase + 8] = 0;  // no ESP8285 bits
    fixed_[model.efuseBase + 12] = (b(0) << 16) | (b(1) << 8) | b(2);
  } else {
    // ESP32: words 1 and 2 of eFuse block 0 hold the factory MAC, big-endian across them.
    fixed_[model.efuseBase + 4] = (b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5);
    fixed_[model.efuseBase + 8] = (b(0) << 8) | b(1);
  }
  const auto capacity = static_cast<std::uint32_t>(std::bit_width(flashSize) - 1);
  flashId_ = kFlashManufacturer | (kFlashMemoryType << 8) | (capacity << 16);
}

std::uint32_t RomRegisters::read(std::uint32_t address) const {
  if (const auto it = fixed_.find(address); it != fixed_.end()) return it->second;
  // The divider the ROM's auto-baud set for the current rate; esptool derives the crystal from it.
  if (address == model_.uartClockDivider) return baud_ == 0 ? 0 : (model_.uartClockHz + baud_ / 2) / baud_;
  if (const auto it = written_.find(address); it != written_.end()) return it->second;
  return 0;
}

void RomRegisters::write(std::uint32_t address, std::uint32_t value, std::uint32_t mask) {
  if (fixed_.contains(address)) return;
  std::uint32_t& reg = written_[address];
  reg = (reg & ~mask) | (value & mask);
  if (address == model_.spiBase + kSpiCmd && (reg & kSpiCmdUsr) != 0) runSpiCommand();
}

void RomRegisters::runSpiCommand() {
  const std::uint32_t usr2 = read(model_.spiBase + kSpiUsr2);
  written_[model_.spiBase + kSpiW0] = (usr2 & 0xFF) == kSpiFlashRdid ? flashId_ : 0;
  written_[model_.spiBase + kSpiCmd] &= ~kSpiCmdUsr;
}

}  // namespace gagent::posix
