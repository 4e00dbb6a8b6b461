// QSerialPortLink on a real pseudo-terminal (what gagent-sim offers the rig): bytes both ways at 9600 8N1,
// and clear errors for a path that is no port.
#include "gizrig/links/qserialport_link.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "rt_support.h"

namespace gizrig::core {
namespace {

using gizrig::test::app;
using gizrig::test::spinUntil;

// The module's side of a pty: the master descriptor, closed on scope exit.
class PtyMaster {
 public:
  PtyMaster() {
    fd_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd_ >= 0 && (::grantpt(fd_) != 0 || ::unlockpt(fd_) != 0)) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~PtyMaster() {
    if (fd_ >= 0) ::close(fd_);
  }
  PtyMaster(const PtyMaster&) = delete;
  PtyMaster& operator=(const PtyMaster&) = delete;

  [[nodiscard]] bool ok() const { return fd_ >= 0; }
  [[nodiscard]] QString slavePath() const { return QString::fromLocal8Bit(::ptsname(fd_)); }
  void write(const QByteArray& bytes) const {
    ASSERT_EQ(::write(fd_, bytes.constData(), bytes.size()), bytes.size());
  }
  // What has arrived so far (never waits).
  [[nodiscard]] QByteArray readAvailable() const {
    QByteArray out;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0) {
      char buffer[256];
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, n);
    }
    return out;
  }

 private:
  int fd_ = -1;
};

TEST(QSerialPortLink, S3_2_BytesBothWaysOverAPtyAt9600_8N1) {
  app();
  PtyMaster module;
  ASSERT_TRUE(module.ok());
  QSerialPortLink link(module.slavePath());
  QStringList errors;
  QObject::connect(&link, &SerialLink::errorOccurred, [&](const QString& e) { errors << e; });
  ASSERT_TRUE(link.open()) << errors.join("; ").toStdString();
  EXPECT_TRUE(link.isOpen());
  EXPECT_EQ(link.describe(), module.slavePath() + " 9600 8N1");

  QByteArray received;
  QObject::connect(&link, &SerialLink::received, [&](const QByteArray& b) { received += b; });
  // Every byte value, FF and the terminal's special characters included: the line must be raw.
  QByteArray all;
  for (int i = 0; i < 256; ++i) all.append(static_cast<char>(i));
  module.write(all);
  EXPECT_TRUE(spinUntil([&] { return received.size() >= all.size(); }));
  EXPECT_EQ(received.toHex().toStdString(), all.toHex().toStdString());

  link.write(all);
  QByteArray atModule;
  EXPECT_TRUE(spinUntil([&] {
    atModule += module.readAvailable();
    return atModule.size() >= all.size();
  }));
  EXPECT_EQ(atModule.toHex().toStdString(), all.toHex().toStdString());
  EXPECT_TRUE(errors.isEmpty()) << errors.join("; ").toStdString();
  link.close();
  EXPECT_FALSE(link.isOpen());
}

TEST(QSerialPortLink, OpeningANonexistentDeviceIsAClearError) {
  app();
  QSerialPortLink link(QStringLiteral("/nonexistent/ttyGAgent0"));
  QStringList errors;
  QObject::connect(&link, &SerialLink::errorOccurred, [&](const QString& e) { errors << e; });
  EXPECT_FALSE(link.open());
  EXPECT_FALSE(link.isOpen());
  ASSERT_EQ(errors.size(), 1);
  EXPECT_TRUE(errors[0].startsWith("/nonexistent/ttyGAgent0: ")) << errors[0].toStdString();
  link.write("x");  // writing on a closed link is an error, not a crash
  EXPECT_EQ(errors.size(), 2);

  QSerialPortLink unnamed(QString{});
  EXPECT_FALSE(unnamed.open());
}

}  // namespace
}  // namespace gizrig::core
