#include "gizrig/cloud/device_registry.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include "sqlite_database.h"

namespace gizrig::cloud {
namespace {

const QStringList kSchema{
    QStringLiteral("CREATE TABLE IF NOT EXISTS devices ("
                   " did TEXT PRIMARY KEY,"
                   " passcode TEXT NOT NULL,"
                   " product_key TEXT NOT NULL,"
                   " mac TEXT NOT NULL,"
                   " registered_ms INTEGER NOT NULL,"
                   " UNIQUE (mac, product_key))")};

// A fresh DID colliding with a stored one is astronomically unlikely; a few tries cover it anyway.
constexpr int kDidAttempts = 4;

bool isMacHex(const QString& mac) {
  if (mac.size() != 12) return false;
  for (const QChar c : mac) {
    if (!(c.isDigit() || (c >= u'A' && c <= u'F') || (c >= u'a' && c <= u'f'))) return false;
  }
  return true;
}

QString randomDid() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  QString did;
  did.reserve(DeviceRegistry::kDidLength);
  for (int i = 0; i < DeviceRegistry::kDidLength; ++i) {
    did.append(QLatin1Char(kAlphabet[QRandomGenerator::global()->bounded(int(sizeof(kAlphabet) - 1))]));
  }
  return did;
}

RegisteredDevice deviceFromRow(const QSqlQuery& query) {
  RegisteredDevice device;
  device.did = query.value(0).toString();
  device.passcode = query.value(1).toString();
  device.productKey = query.value(2).toString();
  device.mac = query.value(3).toString();
  device.registeredAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong());
  return device;
}

const QString kSelect = QStringLiteral("SELECT did, passcode, product_key, mac, registered_ms FROM devices");

}  // namespace

DeviceRegistry::DeviceRegistry(QObject* parent) : QObject(parent) {}

DeviceRegistry::~DeviceRegistry() = default;

bool DeviceRegistry::open(const QString& dbPath) {
  auto db = detail::SqliteDatabasePtr(new detail::SqliteDatabase);
  QString error;
  if (!db->open(dbPath, kSchema, error)) return fail(error);
  db_ = std::move(db);
  return true;
}

void DeviceRegistry::close() {
  db_.reset();
}

bool DeviceRegistry::isOpen() const {
  return db_ != nullptr;
}

bool DeviceRegistry::fail(const QString& message) const {
  lastError_ = message;
  return false;
}

std::nullopt_t DeviceRegistry::failed(const QString& message) const {
  lastError_ = message;
  return std::nullopt;
}

std::optional<RegisteredDevice> DeviceRegistry::registerDevice(const QString& mac, const QString& productKey,
                                                               const QString& passcode) {
  if (!db_) return failed(QStringLiteral("registry not open"));
  if (!isMacHex(mac)) return failed(QStringLiteral("mac is not 12 hex characters: %1").arg(mac));
  if (passcode.isEmpty() || productKey.isEmpty()) {
    return failed(QStringLiteral("passcode and product key must not be empty"));
  }
  const QString upperMac = mac.toUpper();
  QSqlDatabase db = db_->database();
  // One statement decides new vs. known, so two processes registering the same MAC cannot both insert.
  bool inserted = false;
  QString error;
  for (int attempt = 0; attempt < kDidAttempts && !inserted; ++attempt) {
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO devices (did, passcode, product_key, mac, registered_ms) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (mac, product_key) DO UPDATE SET passcode = excluded.passcode"));
    query.addBindValue(randomDid());
    query.addBindValue(passcode);
    query.addBindValue(productKey);
    query.addBindValue(upperMac);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    inserted = query.exec();
    if (!inserted) error = query.lastError().text();
  }
  if (!inserted) return failed(QStringLiteral("register failed: %1").arg(error));

  QSqlQuery select(db);
  select.prepare(kSelect + QStringLiteral(" WHERE mac = ? AND product_key = ?"));
  select.addBindValue(upperMac);
  select.addBindValue(productKey);
  if (!select.exec() || !select.next()) {
    return failed(QStringLiteral("register: device vanished: %1").arg(select.lastError().text()));
  }
  RegisteredDevice device = deviceFromRow(select);
  emit deviceRegistered(device.did, device.passcode, device.productKey);
  return device;
}

bool DeviceRegistry::addDevice(const RegisteredDevice& device) {
  if (!db_) return fail(QStringLiteral("registry not open"));
  if (device.did.size() != kDidLength || !isMacHex(device.mac) || device.passcode.isEmpty() ||
      device.productKey.isEmpty()) {
    return fail(QStringLiteral("addDevice: need a 22-character DID, a 12-hex MAC, passcode and product key"));
  }
  QSqlQuery query(db_->database());
  query.prepare(
      QStringLiteral("INSERT OR REPLACE INTO devices (did, passcode, product_key, mac, registered_ms) VALUES "
                     "(?, ?, ?, ?, ?)"));
  query.addBindValue(device.did);
  query.addBindValue(device.passcode);
  query.addBindValue(device.productKey);
  query.addBindValue(device.mac.toUpper());
  query.addBindValue(device.registeredAt.isValid() ? device.registeredAt.toMSecsSinceEpoch()
                                                   : QDateTime::currentMSecsSinceEpoch());
  if (!query.exec()) return fail(QStringLiteral("addDevice failed: %1").arg(query.lastError().text()));
  emit deviceRegistered(device.did, device.passcode, device.productKey);
  return true;
}

std::optional<RegisteredDevice> DeviceRegistry::find(const QString& did) const {
  if (!db_) return failed(QStringLiteral("registry not open"));
  QSqlQuery query(db_->database());
  query.prepare(kSelect + QStringLiteral(" WHERE did = ?"));
  query.addBindValue(did);
  if (!query.exec()) return failed(query.lastError().text());
  if (!query.next()) return std::nullopt;
  return deviceFromRow(query);
}

QList<RegisteredDevice> DeviceRegistry::devices() const {
  QList<RegisteredDevice> result;
  if (!db_) {
    fail(QStringLiteral("registry not open"));
    return result;
  }
  QSqlQuery query(db_->database());
  if (!query.exec(kSelect + QStringLiteral(" ORDER BY registered_ms, did"))) {
    fail(query.lastError().text());
    return result;
  }
  while (query.next()) result.append(deviceFromRow(query));
  return result;
}

bool DeviceRegistry::authenticate(const QString& did, const QString& passcode) const {
  const auto device = find(did);
  return device && device->passcode == passcode;
}

bool DeviceRegistry::unregister(const QString& did) {
  if (!db_) return fail(QStringLiteral("registry not open"));
  QSqlQuery query(db_->database());
  query.prepare(QStringLiteral("DELETE FROM devices WHERE did = ?"));
  query.addBindValue(did);
  if (!query.exec()) return fail(QStringLiteral("unregister failed: %1").arg(query.lastError().text()));
  if (query.numRowsAffected() <= 0) return false;
  emit deviceUnregistered(did);
  return true;
}

}  // namespace gizrig::cloud
