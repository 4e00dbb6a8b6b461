#pragma once
// Flash in a file (gagent-sim --flash PATH). Every write goes straight to the file with pwrite, so a kill -9
// at any moment leaves the file as a real power cut would leave a real flash.

#include <cstddef>
#include <string>

#include "gagent/hal/flash.h"

namespace gagent::posix {

class FileFlash : public hal::Flash {
 public:
  static constexpr std::size_t kDefaultSectorSize = 4096;
  static constexpr std::size_t kDefaultSectors = 64;  // 256 KiB: config slots + an OTA image area

  FileFlash() = default;
  ~FileFlash() override;
  FileFlash(const FileFlash&) = delete;
  FileFlash& operator=(const FileFlash&) = delete;

  // Opens or creates the file, growing it with 0xFF to the full size. Returns an error text or "".
  std::string open(const std::string& path, std::size_t sectors = kDefaultSectors,
                   std::size_t sectorSize = kDefaultSectorSize);

  [[nodiscard]] std::size_t size() const override { return size_; }
  [[nodiscard]] std::size_t sectorSize() const override { return sectorSize_; }
  bool read(std::size_t offset, std::span<std::uint8_t> out) override;
  bool eraseSector(std::size_t offset) override;
  bool write(std::size_t offset, std::span<const std::uint8_t> data) override;

 private:
  int fd_ = -1;
  std::size_t size_ = 0;
  std::size_t sectorSize_ = kDefaultSectorSize;
};

}  // namespace gagent::posix
