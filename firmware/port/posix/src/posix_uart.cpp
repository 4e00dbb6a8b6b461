#include "gagent/posix/posix_uart.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gagent::posix {
namespace {

std::string errorText(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool makeRaw(int fd, speed_t speed) {
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) return false;
  ::cfmakeraw(&tio);
  tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  ::cfsetispeed(&tio, speed);
  ::cfsetospeed(&tio, speed);
  return ::tcsetattr(fd, TCSANOW, &tio) == 0;
}

speed_t speedFor(int baud) {
  switch (baud) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    default:
      return B0;
  }
}

}  // namespace

PosixUart::~PosixUart() {
  if (fd_ >= 0) ::close(fd_);
  if (slaveKeepAlive_ >= 0) ::close(slaveKeepAlive_);
  if (!linkPath_.empty()) ::unlink(linkPath_.c_str());
}

std::string PosixUart::open(const std::string& spec, int baud) {
  if (spec.rfind("pty:", 0) == 0) return openPty(spec.substr(4));
  return openDevice(spec, baud);
}

std::string PosixUart::openPty(const std::string& linkPath) {
  if (linkPath.empty()) return "--uart pty:PATH needs a PATH for the link";
  fd_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd_ < 0) return errorText("posix_openpt");
  if (::grantpt(fd_) != 0 || ::unlockpt(fd_) != 0) return errorText("grantpt/unlockpt");
  const char* name = ::ptsname(fd_);
  if (name == nullptr) return errorText("ptsname");
  slavePath_ = name;
  slaveKeepAlive_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slaveKeepAlive_ < 0) return errorText("open " + slavePath_);
  // Raw line discipline on the slave: every byte passes unchanged, whatever the rig sets later.
  if (!makeRaw(slaveKeepAlive_, B9600)) return errorText("tcsetattr " + slavePath_);
  ::unlink(linkPath.c_str());
  if (::symlink(name, linkPath.c_str()) != 0) return errorText("symlink " + linkPath);
  linkPath_ = linkPath;
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  return "";
}

std::string PosixUart::openDevice(const std::string& path, int baud) {
  const speed_t speed = speedFor(baud);
  if (speed == B0) return "unsupported baud rate " + std::to_string(baud);
  fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return errorText("open " + path);
  if (!makeRaw(fd_, speed)) return errorText("tcsetattr " + path);
  slavePath_ = path;
  return "";
}

hal::IoResult PosixUart::read(std::span<std::uint8_t> out) {
  if (fd_ < 0) return hal::IoResult::error();
  const ssize_t n = ::read(fd_, out.data(), out.size());
  if (n > 0) return hal::IoResult::done(static_cast<std::size_t>(n));
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return hal::IoResult::wouldBlock();
  // A pty master reads EIO while no slave is open: for a serial line that is silence, not an error.
  if (n < 0 && errno == EIO) return hal::IoResult::wouldBlock();
  return n == 0 ? hal::IoResult::wouldBlock() : hal::IoResult::error();
}

hal::IoResult PosixUart::write(std::span<const std::uint8_t> data) {
  if (fd_ < 0) return hal::IoResult::error();
  const ssize_t n = ::write(fd_, data.data(), data.size());
  if (n >= 0) return hal::IoResult::done(static_cast<std::size_t>(n));
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return hal::IoResult::wouldBlock();
  return hal::IoResult::error();
}

}  // namespace gagent::posix
