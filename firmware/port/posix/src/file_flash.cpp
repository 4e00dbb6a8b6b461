#include "gagent/posix/file_flash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace gagent::posix {

FileFlash::~FileFlash() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FileFlash::open(const std::string& path, std::size_t sectors, std::size_t sectorSize) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return "cannot open flash file " + path + ": " + std::strerror(errno);
  sectorSize_ = sectorSize;
  size_ = sectors * sectorSize;
  struct stat info {};
  if (::fstat(fd_, &info) != 0) return "cannot stat flash file " + path + ": " + std::strerror(errno);
  const auto existing = static_cast<std::size_t>(info.st_size);
  if (existing > size_)
    return "flash file " + path + " is larger than the flash (" + std::to_string(size_) + ")";
  // A fresh (or short) file is blank flash: 0xFF.
  const std::vector<std::uint8_t> blank(size_ - existing, 0xFF);
  if (!blank.empty() && ::pwrite(fd_, blank.data(), blank.size(), static_cast<off_t>(existing)) !=
                            static_cast<ssize_t>(blank.size())) {
    return "cannot extend flash file " + path + ": " + std::strerror(errno);
  }
  return "";
}

bool FileFlash::read(std::size_t offset, std::span<std::uint8_t> out) {
  if (fd_ < 0 || offset > size_ || out.size() > size_ - offset) return false;
  return ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset)) == static_cast<ssize_t>(out.size());
}

bool FileFlash::eraseSector(std::size_t offset) {
  if (fd_ < 0 || offset % sectorSize_ != 0 || offset >= size_) return false;
  const std::vector<std::uint8_t> blank(sectorSize_, 0xFF);
  return ::pwrite(fd_, blank.data(), blank.size(), static_cast<off_t>(offset)) ==
         static_cast<ssize_t>(blank.size());
}

bool FileFlash::write(std::size_t offset, std::span<const std::uint8_t> data) {
  if (fd_ < 0 || offset > size_ || data.size() > size_ - offset) return false;
  // NOR semantics, as on the module: programming only clears bits.
  std::vector<std::uint8_t> merged(data.size());
  if (!read(offset, merged)) return false;
  for (std::size_t i = 0; i < data.size(); ++i) merged[i] &= data[i];
  return ::pwrite(fd_, merged.data(), merged.size(), static_cast<off_t>(offset)) ==
         static_cast<ssize_t>(merged.size());
}

}  // namespace gagent::posix
