#pragma once
// What a host sees of the chip behind the ROM serial loader that gagent-sim emulates: its magic register,
// the size of the ROM's status field, which commands its ROM knows, and the registers esptool-style
// clients read (eFuse MAC words, the UART clock divider for the crystal, the SPI peripheral for the flash
// JEDEC ID). Register values follow the layouts esptool documents per chip; anything else reads back what
// was written, 0 before that.

#include <cstdint>
#include <map>
#include <string_view>

#include "gagent/hal/types.h"
#include "gagent/posix/sim_options.h"

namespace gagent::posix {

struct RomChipModel {
  LoaderChip chip = LoaderChip::Esp8266;
  std::string_view name;
  std::uint32_t magic = 0;
  std::size_t romStatusSize = 2;   // the stub always uses 2
  bool romHasDeflate = false;      // FLASH_DEFL_*
  bool romHasMd5 = false;          // SPI_FLASH_MD5
  bool romHasSpiCommands = false;  // SPI_ATTACH, SPI_SET_PARAMS
  bool romHasChangeBaud = false;
  // The ESP8266 ROM's FLASH_BEGIN erases more than it is asked: the sectors up to the next 64 KiB block
  // twice over (esptool's get_erase_size works around it by asking for less).
  bool romEraseSizeBug = false;
  std::uint32_t efuseBase = 0;
  std::uint32_t uartClockDivider = 0;  // register address
  std::uint32_t uartClockHz = 0;       // crystal x esptool's XTAL_CLK_DIVIDER for this chip
  std::uint32_t spiBase = 0;
};

[[nodiscard]] const RomChipModel& romChipModel(LoaderChip chip);

class RomRegisters {
 public:
  RomRegisters(const RomChipModel& model, const hal::MacAddress& mac, std::size_t flashSize);

  [[nodiscard]] std::uint32_t read(std::uint32_t address) const;
  void write(std::uint32_t address, std::uint32_t value, std::uint32_t mask);
  void setBaud(std::uint32_t baud) { baud_ = baud; }

 private:
  void runSpiCommand();

  const RomChipModel& model_;
  std::map<std::uint32_t, std::uint32_t> written_;
  std::map<std::uint32_t, std::uint32_t> fixed_;  // read-only: magic, eFuses
  std::uint32_t flashId_ = 0;
  std::uint32_t baud_ = 115200;
};

}  // namespace gagent::posix
