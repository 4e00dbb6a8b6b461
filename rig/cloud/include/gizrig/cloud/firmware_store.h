#pragma once
// Firmware the stand-in cloud offers for OTA (protocol §3.5, spec S9): the list lives in the registry's
// SQLite file, the images in a directory next to it (<db>.firmware/), so a restart or a second process offers
// the same images. As SimCloudRegistry in virtual time:
// - the name is "<hardware>_<software>_<fid>.<bin|hex>" with anything but letters, digits, '.', '-' and '_'
//   replaced by '_'; the download path is /fw/<name>; the same name again replaces the old image;
// - the OTA check offers the newest image published for the hard_version when its FID differs from the
//   module's current_fid (S9.6).
// Images are written through QSaveFile (write + rename) so a download never reads half an image.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

#include "gizrig/cloud/sqlite_database_fwd.h"

namespace gizrig::cloud {

// The extension of the name tells the module how to read the image (§3.5).
enum class FirmwareFormat : quint8 { Bin, Hex };

struct PublishedFirmware {
  QString hardwareVersion;
  QString softwareVersion;
  quint32 fid = 0;
  QString name;
  QString md5Hex;  // lower-case, as the Firmware-MD5 header carries it
  qint64 size = 0;
  QDateTime publishedAt;
};

class FirmwareStore {
 public:
  // The biggest image kept (the biggest SPI flash of these modules); bytes() reads no more.
  static constexpr qint64 kMaxImageBytes = 16LL * 1024 * 1024;
  FirmwareStore();
  ~FirmwareStore();
  FirmwareStore(const FirmwareStore&) = delete;
  FirmwareStore& operator=(const FirmwareStore&) = delete;

  // Opens (creating) the SQLite file and the image directory next to it.
  bool open(const QString& dbPath);
  void close();
  [[nodiscard]] bool isOpen() const;
  [[nodiscard]] QString lastError() const { return lastError_; }
  [[nodiscard]] QString directory() const { return directory_; }

  // nullopt with lastError() on empty versions, versions with control characters (they go into a header)
  // or I/O errors.
  std::optional<PublishedFirmware> publish(const QString& hardwareVersion, const QString& softwareVersion,
                                           quint32 fid, const QByteArray& bytes,
                                           FirmwareFormat format = FirmwareFormat::Bin);
  // The newest image for `hardwareVersion` when its FID differs from `currentFid` (S9.6), else nullopt.
  [[nodiscard]] std::optional<PublishedFirmware> offer(const QString& hardwareVersion,
                                                       quint32 currentFid) const;
  [[nodiscard]] std::optional<PublishedFirmware> named(const QString& name) const;
  [[nodiscard]] QList<PublishedFirmware> list() const;
  // The image bytes of a published name; nullopt when unknown or unreadable.
  [[nodiscard]] std::optional<QByteArray> bytes(const QString& name) const;
  bool remove(const QString& name);

 private:
  std::nullopt_t failed(const QString& message) const;

  detail::SqliteDatabasePtr db_;
  QString directory_;
  mutable QString lastError_;
};

}  // namespace gizrig::cloud
