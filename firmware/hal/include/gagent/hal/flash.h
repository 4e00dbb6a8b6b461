#pragma once
// Block storage for the config record and OTA images. Writes may be cut by a power loss at any byte;
// the storage layer above must survive that (two slots with CRC).

#include <cstddef>
#include <cstdint>
#include <span>

namespace gagent::hal {

class Flash {
 public:
  virtual ~Flash() = default;
  [[nodiscard]] virtual std::size_t size() const = 0;
  [[nodiscard]] virtual std::size_t sectorSize() const = 0;
  virtual bool read(std::size_t offset, std::span<std::uint8_t> out) = 0;
  // Erase sets a whole sector to 0xFF; offset must be sector aligned.
  virtual bool eraseSector(std::size_t offset) = 0;
  virtual bool write(std::size_t offset, std::span<const std::uint8_t> data) = 0;
};

}  // namespace gagent::hal
