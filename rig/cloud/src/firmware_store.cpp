#include "gizrig/cloud/firmware_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "gizrig/files/capped_file.h"
#include "sqlite_database.h"

namespace gizrig::cloud {
namespace {

const QStringList kSchema{
    QStringLiteral("CREATE TABLE IF NOT EXISTS firmware ("
                   " seq INTEGER PRIMARY KEY AUTOINCREMENT,"  // publication order: the newest is offered
                   " name TEXT NOT NULL UNIQUE,"
                   " hardware_version TEXT NOT NULL,"
                   " software_version TEXT NOT NULL,"
                   " fid INTEGER NOT NULL,"
                   " md5 TEXT NOT NULL,"
                   " size INTEGER NOT NULL,"
                   " published_ms INTEGER NOT NULL)")};

const QString kSelect = QStringLiteral(
    "SELECT hardware_version, software_version, fid, name, md5, size, published_ms FROM firmware");

bool isPlainNameChar(QChar c) {
  return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'.' ||
         c == u'-' || c == u'_';
}

bool hasControlCharacter(const QString& text) {
  for (const QChar c : text) {
    if (c.unicode() < 0x20 || c.unicode() == 0x7F) return true;
  }
  return false;
}

QString firmwareName(const QString& hardwareVersion, const QString& softwareVersion, quint32 fid,
                     FirmwareFormat format) {
  QString name = hardwareVersion + u'_' + softwareVersion + u'_' + QString::number(fid);
  for (QChar& c : name) {
    if (!isPlainNameChar(c)) c = u'_';
  }
  return name + (format == FirmwareFormat::Hex ? QStringLiteral(".hex") : QStringLiteral(".bin"));
}

PublishedFirmware firmwareFromRow(const QSqlQuery& query) {
  PublishedFirmware firmware;
  firmware.hardwareVersion = query.value(0).toString();
  firmware.softwareVersion = query.value(1).toString();
  firmware.fid = static_cast<quint32>(query.value(2).toLongLong());
  firmware.name = query.value(3).toString();
  firmware.md5Hex = query.value(4).toString();
  firmware.size = query.value(5).toLongLong();
  firmware.publishedAt = QDateTime::fromMSecsSinceEpoch(query.value(6).toLongLong());
  return firmware;
}

}  // namespace

FirmwareStore::FirmwareStore() = default;
FirmwareStore::~FirmwareStore() = default;

std::nullopt_t FirmwareStore::failed(const QString& message) const {
  lastError_ = message;
  return std::nullopt;
}

bool FirmwareStore::open(const QString& dbPath) {
  auto db = detail::SqliteDatabasePtr(new detail::SqliteDatabase);
  QString error;
  if (!db->open(dbPath, kSchema, error)) {
    lastError_ = error;
    return false;
  }
  const QString directory = QFileInfo(dbPath).absoluteFilePath() + QStringLiteral(".firmware");
  if (!QDir().mkpath(directory)) {
    lastError_ = QStringLiteral("cannot create %1").arg(directory);
    return false;
  }
  db_ = std::move(db);
  directory_ = directory;
  return true;
}

void FirmwareStore::close() {
  db_.reset();
  directory_.clear();
}

bool FirmwareStore::isOpen() const {
  return db_ != nullptr;
}

std::optional<PublishedFirmware> FirmwareStore::publish(const QString& hardwareVersion,
                                                        const QString& softwareVersion, quint32 fid,
                                                        const QByteArray& bytes, FirmwareFormat format) {
  if (!db_) return failed(QStringLiteral("firmware store not open"));
  if (hardwareVersion.isEmpty() || softwareVersion.isEmpty() || hasControlCharacter(hardwareVersion) ||
      hasControlCharacter(softwareVersion)) {
    return failed(QStringLiteral("hardware and software version must be non-empty text"));
  }
  // The software version goes into the Soft-Version header: printable ASCII only.
  for (const QChar c : softwareVersion) {
    if (c.unicode() > 0x7E) return failed(QStringLiteral("software version must be ASCII"));
  }
  PublishedFirmware firmware;
  firmware.hardwareVersion = hardwareVersion;
  firmware.softwareVersion = softwareVersion;
  firmware.fid = fid;
  firmware.name = firmwareName(hardwareVersion, softwareVersion, fid, format);
  firmware.md5Hex = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex());
  firmware.size = bytes.size();
  firmware.publishedAt = QDateTime::currentDateTime();

  QSaveFile file(QDir(directory_).filePath(firmware.name));
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    return failed(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()));
  }
  // REPLACE gives the row a new seq: a republished name becomes the newest.
  QSqlQuery query(db_->database());
  query.prepare(QStringLiteral(
      "INSERT OR REPLACE INTO firmware (name, hardware_version, software_version, fid, md5, size, "
      "published_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  query.addBindValue(firmware.name);
  query.addBindValue(firmware.hardwareVersion);
  query.addBindValue(firmware.softwareVersion);
  query.addBindValue(static_cast<qint64>(firmware.fid));
  query.addBindValue(firmware.md5Hex);
  query.addBindValue(firmware.size);
  query.addBindValue(firmware.publishedAt.toMSecsSinceEpoch());
  if (!query.exec()) return failed(QStringLiteral("publish failed: %1").arg(query.lastError().text()));
  return firmware;
}

std::optional<PublishedFirmware> FirmwareStore::offer(const QString& hardwareVersion,
                                                      quint32 currentFid) const {
  if (!db_) return failed(QStringLiteral("firmware store not open"));
  QSqlQuery query(db_->database());
  query.prepare(kSelect + QStringLiteral(" WHERE hardware_version = ? ORDER BY seq DESC LIMIT 1"));
  query.addBindValue(hardwareVersion);
  if (!query.exec()) return failed(query.lastError().text());
  if (!query.next()) return std::nullopt;
  PublishedFirmware newest = firmwareFromRow(query);
  if (newest.fid == currentFid) return std::nullopt;
  return newest;
}

std::optional<PublishedFirmware> FirmwareStore::named(const QString& name) const {
  if (!db_) return failed(QStringLiteral("firmware store not open"));
  QSqlQuery query(db_->database());
  query.prepare(kSelect + QStringLiteral(" WHERE name = ?"));
  query.addBindValue(name);
  if (!query.exec()) return failed(query.lastError().text());
  if (!query.next()) return std::nullopt;
  return firmwareFromRow(query);
}

QList<PublishedFirmware> FirmwareStore::list() const {
  QList<PublishedFirmware> result;
  if (!db_) {
    failed(QStringLiteral("firmware store not open"));
    return result;
  }
  QSqlQuery query(db_->database());
  if (!query.exec(kSelect + QStringLiteral(" ORDER BY seq"))) {
    failed(query.lastError().text());
    return result;
  }
  while (query.next()) result.append(firmwareFromRow(query));
  return result;
}

std::optional<QByteArray> FirmwareStore::bytes(const QString& name) const {
  // Only names the store published: a request path never reaches the file system unchecked.
  if (!named(name)) return std::nullopt;
  QString error;
  auto bytes = core::readCappedFile(QDir(directory_).filePath(name), kMaxImageBytes, &error);
  if (!bytes) return failed(QStringLiteral("cannot read %1").arg(error));
  return bytes;
}

bool FirmwareStore::remove(const QString& name) {
  if (!db_ || !named(name)) return false;
  QSqlQuery query(db_->database());
  query.prepare(QStringLiteral("DELETE FROM firmware WHERE name = ?"));
  query.addBindValue(name);
  if (!query.exec()) {
    failed(query.lastError().text());
    return false;
  }
  QFile::remove(QDir(directory_).filePath(name));
  return true;
}

}  // namespace gizrig::cloud
