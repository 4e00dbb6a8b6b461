#pragma once
// The stand-in cloud's device registry (protocol §3.2-3.4): the devices the HTTP API registered, kept in an
// SQLite file so a lab restart, a second gizcloud-api process or a script sees the same devices. Nothing is
// cached: every call reads the file, so changes made by another process are seen at once.
//
// Decisions (tested in device_registry_test.cpp), as SimCloudRegistry does in virtual time:
// - Register with a MAC + product key already known returns the same DID with the new passcode (the module
//   re-registers after 9016 / CONNACK 0x04, S8.4.4 and S8.9, and must then be able to log in); anything
//   else gets a new DID of 22 random letters and digits (S8.1), so a stale DID stays unknown.
// - MACs are stored as 12 upper-case hex characters, as §3.2 sends them; lower-case input is upper-cased.
// - deviceRegistered is emitted for a new device and for a passcode change (the M2M side must learn the
//   new credentials either way). Signals report changes made through this instance only: SQLite does not
//   tell one process about another's writes.

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <optional>

#include "gizrig/cloud/sqlite_database_fwd.h"

namespace gizrig::cloud {

struct RegisteredDevice {
  QString did;  // 22 letters/digits
  QString passcode;
  QString productKey;
  QString mac;  // 12 upper-case hex characters
  QDateTime registeredAt;
};

class DeviceRegistry : public QObject {
  Q_OBJECT
 public:
  static constexpr int kDidLength = 22;  // S8.1

  explicit DeviceRegistry(QObject* parent = nullptr);
  ~DeviceRegistry() override;

  // Opens (creating) the SQLite file; false with lastError() when it cannot.
  bool open(const QString& dbPath);
  void close();
  [[nodiscard]] bool isOpen() const;
  [[nodiscard]] QString lastError() const { return lastError_; }

  // §3.2. nullopt with lastError() on bad arguments (empty passcode or product key, MAC not 12 hex) or a
  // database error.
  std::optional<RegisteredDevice> registerDevice(const QString& mac, const QString& productKey,
                                                 const QString& passcode);
  // A device with a chosen DID (a module that boots with a DID the cloud must already know); replaces a
  // device with the same DID or the same MAC + product key.
  bool addDevice(const RegisteredDevice& device);
  [[nodiscard]] std::optional<RegisteredDevice> find(const QString& did) const;
  [[nodiscard]] QList<RegisteredDevice> devices() const;
  [[nodiscard]] bool authenticate(const QString& did, const QString& passcode) const;
  // §3.4. False when the DID is unknown (or on a database error, see lastError()).
  bool unregister(const QString& did);

 signals:
  void deviceRegistered(const QString& did, const QString& passcode, const QString& productKey);
  void deviceUnregistered(const QString& did);

 private:
  bool fail(const QString& message) const;
  std::nullopt_t failed(const QString& message) const;

  detail::SqliteDatabasePtr db_;
  mutable QString lastError_;
};

}  // namespace gizrig::cloud
