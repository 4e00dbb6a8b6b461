#pragma once
// What the rig can do to the routers around the DUT (docs/rig.md): implemented by RouterPlug's backends (the
// virtual air, real OpenWrt routers over ubus, the in-process SimRadio) and used by scenarios and the
// production sequence. Every call completes through the callback exactly once, on the RigClock's thread.

#include <QList>
#include <QString>
#include <functional>

namespace gizrig::core {

struct RouterResult {
  bool ok = false;
  QString error;  // why not, in words an operator can act on
};

struct RouterStatus {
  QString ssid;
  bool powered = false;
  int signal = 0;          // default signal 0-100 (virtual air); -1 when unknown
  QStringList clientMacs;  // 12 hex digits each, upper case
};

class RouterControl {
 public:
  using Done = std::function<void(const RouterResult&)>;
  virtual ~RouterControl() = default;
  virtual void setPower(const QString& ssid, bool on, Done done) = 0;
  virtual void reboot(const QString& ssid, Done done) = 0;  // clears the client table (S5.7)
  virtual void configure(const QString& ssid, const QString& newSsid, const QString& password, Done done) = 0;
  // Per module (MAC) or, with an empty MAC, for every module. Backends that cannot (real routers) say so.
  virtual void setSignal(const QString& ssid, const QString& mac, int signal, Done done) = 0;
  virtual void status(const QString& ssid,
                      std::function<void(const RouterResult&, const RouterStatus&)> done) = 0;
};

}  // namespace gizrig::core
