#include "gizrig/production/station_config.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <cmath>
#include <limits>

#include "gizrig/files/capped_file.h"
#include "gizrig/files/json_duplicates.h"
#include "gizrig/flash/flash_inputs.h"

namespace gizrig::core {

namespace {

// Reads one JSON object field by field; the first problem is kept as "<source>: <field path>: <why>" and
// every later read is a no-op, so a loader reads straight through and checks once at the end.
class StrictObject {
 public:
  StrictObject(const QJsonObject& object, QString path, QString* problem)
      : object_(object), path_(std::move(path)), problem_(problem) {}

  // Every key must be one of `known`.
  void allowOnly(const QStringList& known) {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      if (!known.contains(it.key())) {
        fail(it.key(), QStringLiteral("unknown key (known: %1)").arg(known.join(", ")));
        return;
      }
    }
  }

  [[nodiscard]] bool has(const QString& key) const { return object_.contains(key); }

  QString text(const QString& key, const QString& fallback = {}, bool required = false) {
    if (!object_.contains(key)) {
      if (required) fail(key, QStringLiteral("is required"));
      return fallback;
    }
    if (!object_[key].isString()) {
      fail(key, QStringLiteral("must be a string"));
      return fallback;
    }
    return object_[key].toString();
  }

  bool boolean(const QString& key, bool fallback) {
    if (!object_.contains(key)) return fallback;
    if (!object_[key].isBool()) {
      fail(key, QStringLiteral("must be true or false"));
      return fallback;
    }
    return object_[key].toBool();
  }

  // A whole number in [low, high].
  qint64 integer(const QString& key, qint64 fallback, qint64 low, qint64 high) {
    if (!object_.contains(key)) return fallback;
    const QJsonValue v = object_[key];
    const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
    // Range first: casting a double beyond qint64 (1e300) to an integer is undefined (found by
    // fuzz_station_loader).
    if (!v.isDouble() || !(d >= static_cast<double>(low) && d <= static_cast<double>(high)) ||
        d != std::trunc(d)) {
      fail(key, QStringLiteral("must be a whole number from %1 to %2").arg(low).arg(high));
      return fallback;
    }
    return static_cast<qint64>(d);
  }

  QHostAddress ipv4(const QString& key, bool required) {
    const QString value = text(key, {}, required);
    if (value.isEmpty()) return {};
    QHostAddress address;
    if (!address.setAddress(value) || address.protocol() != QAbstractSocket::IPv4Protocol ||
        value.count('.') != 3) {
      fail(key, QStringLiteral("bad IPv4 address \"%1\"").arg(value));
      return {};
    }
    return address;
  }

  QStringList textList(const QString& key, const QStringList& fallback) {
    if (!object_.contains(key)) return fallback;
    if (!object_[key].isArray()) {
      fail(key, QStringLiteral("must be a list of strings"));
      return fallback;
    }
    QStringList out;
    const QJsonArray array = object_[key].toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
      if (!array[i].isString() || array[i].toString().isEmpty()) {
        fail(QStringLiteral("%1[%2]").arg(key).arg(i), QStringLiteral("must be a non-empty string"));
        return fallback;
      }
      out << array[i].toString();
    }
    return out;
  }

  // A nested object, or an empty one when absent.
  std::optional<QJsonObject> object(const QString& key) {
    if (!object_.contains(key)) return std::nullopt;
    if (!object_[key].isObject()) {
      fail(key, QStringLiteral("must be an object"));
      return std::nullopt;
    }
    return object_[key].toObject();
  }

  QJsonArray objects(const QString& key) {
    if (!object_.contains(key)) return {};
    if (!object_[key].isArray()) {
      fail(key, QStringLiteral("must be a list"));
      return {};
    }
    const QJsonArray array = object_[key].toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
      if (!array[i].isObject()) {
        fail(QStringLiteral("%1[%2]").arg(key).arg(i), QStringLiteral("must be an object"));
        return {};
      }
    }
    return array;
  }

  void fail(const QString& key, const QString& why) {
    if (problem_->isEmpty()) *problem_ = QStringLiteral("%1%2: %3").arg(path_, key, why);
  }
  [[nodiscard]] QString child(const QString& key) const { return path_ + key + "."; }

 private:
  QJsonObject object_;
  QString path_;  // "" at the top, "slots[1]." below
  QString* problem_;
};

// "host:port" into an address and a port; false when either part is bad.
bool splitEndpoint(const QString& text, QHostAddress& address, quint16& port) {
  const qsizetype colon = text.lastIndexOf(':');
  if (colon <= 0) return false;
  bool ok = false;
  const uint value = text.mid(colon + 1).toUInt(&ok);
  if (!ok || value == 0 || value > 65535) return false;
  if (!address.setAddress(text.left(colon)) || address.protocol() != QAbstractSocket::IPv4Protocol)
    return false;
  port = static_cast<quint16>(value);
  return true;
}

void readLimits(StrictObject o, ProductionLimits& limits) {
  o.allowOnly({"min_signal_level", "max_join_ms", "max_control_round_trip_ms", "step_timeout_ms",
               "control_point", "control_value"});
  constexpr qint64 kHour = 3600 * 1000;
  // S4.3: a level ordinal 0-6 (7 is "excellent", never a lower limit worth having).
  limits.minSignalLevel = static_cast<int>(o.integer("min_signal_level", limits.minSignalLevel, 0, 6));
  limits.maxJoinMs = o.integer("max_join_ms", limits.maxJoinMs, 1, kHour);
  limits.maxControlRoundTripMs =
      o.integer("max_control_round_trip_ms", limits.maxControlRoundTripMs, 1, kHour);
  limits.stepTimeoutMs = o.integer("step_timeout_ms", limits.stepTimeoutMs, 1000, kHour);
  limits.controlPoint = o.text("control_point", limits.controlPoint);
  limits.controlValue = static_cast<int>(o.integer("control_value", limits.controlValue, 0, 0x7FFFFFFF));
}

SlotConfig readSlot(StrictObject o, int index) {
  o.allowOnly({"name", "serial_port", "baud", "module_ip", "power_cycle"});
  SlotConfig slot;
  slot.name = o.text("name", QString::number(index + 1));
  slot.serialPort = o.text("serial_port", {}, true);
  slot.baud = static_cast<qint32>(o.integer("baud", slot.baud, 300, 4000000));
  slot.module = o.ipv4("module_ip", false);
  slot.powerCycle = o.text("power_cycle");
  return slot;
}

RouterControllerConfig readRouter(StrictObject o) {
  RouterControllerConfig router;
  const QString backend = o.text("backend", {}, true);
  router.ssids = o.textList("ssids", {});
  if (router.ssids.isEmpty()) o.fail("ssids", QStringLiteral("is required: the access points it switches"));
  if (backend == QLatin1String("openwrt")) {
    o.allowOnly({"backend", "ssids", "url", "username", "password"});
    router.backend = RouterControllerConfig::Backend::OpenWrt;
    router.url = o.text("url", {}, true);
    const QUrl url(router.url, QUrl::StrictMode);
    if (!router.url.isEmpty() && (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https")))
      o.fail("url", QStringLiteral("not an http(s) URL \"%1\"").arg(router.url));
    router.username = o.text("username", {}, true);
    router.password = o.text("password", {}, true);
  } else if (backend == QLatin1String("air")) {
    o.allowOnly({"backend", "ssids", "address", "port"});
    router.backend = RouterControllerConfig::Backend::Air;
    router.address = o.ipv4("address", true);
    router.port = static_cast<quint16>(o.integer("port", 0, 1, 65535));
    if (!o.has("port")) o.fail("port", QStringLiteral("is required"));
  } else if (!backend.isEmpty()) {
    o.fail("backend", QStringLiteral("must be \"openwrt\" or \"air\", not \"%1\"").arg(backend));
  }
  return router;
}

CloudConfig readCloud(StrictObject o) {
  o.allowOnly({"api", "mqtt", "app_user", "app_password", "secret"});
  CloudConfig cloud;
  const QString api = o.text("api", {}, true);
  if (!api.isEmpty() && !splitEndpoint(api, cloud.apiAddress, cloud.apiPort))
    o.fail("api", QStringLiteral("must be IPv4:port, not \"%1\"").arg(api));
  const QString mqtt = o.text("mqtt", {}, true);
  if (!mqtt.isEmpty() && !splitEndpoint(mqtt, cloud.mqttAddress, cloud.mqttPort))
    o.fail("mqtt", QStringLiteral("must be IPv4:port, not \"%1\"").arg(mqtt));
  cloud.appUser = o.text("app_user", {}, true);
  cloud.appPassword = o.text("app_password", {}, true);
  cloud.secret = o.text("secret");
  if (o.has("secret") && cloud.secret.isEmpty()) o.fail("secret", QStringLiteral("must not be empty"));
  return cloud;
}

// A path as the station file gives it: relative ones are relative to the file.
QString besideStationFile(const QString& source, const QString& path) {
  return QDir::cleanPath(QDir(QFileInfo(source).absolutePath()).absoluteFilePath(path));
}

// The flash step: the image is read here, once, so a missing or oversized file is a load error naming the
// field, and every run writes (and records the MD5 of) the same bytes.
FlashStepConfig readFlash(StrictObject o, const QString& source) {
  o.allowOnly({"image", "version", "skip_when_current", "address", "baud", "verify", "stub"});
  FlashStepConfig flash;
  const QString image = o.text("image", {}, true);
  flash.version = o.text("version", {}, true);
  // 0x22 carries the software version in 8 bytes (protocol 1.8); the image format takes 1-8 letters/digits.
  static const QRegularExpression kVersion(QStringLiteral("^[A-Za-z0-9]{1,8}$"));
  if (o.has("version") && !kVersion.match(flash.version).hasMatch())
    o.fail("version", QStringLiteral("must be 1 to 8 letters or digits as 0x22 reports it (\"04020100\"), "
                                     "not \"%1\"")
                          .arg(flash.version));
  flash.skipWhenCurrent = o.boolean("skip_when_current", flash.skipWhenCurrent);
  flash.verify = o.boolean("verify", flash.verify);
  flash.baud = static_cast<qint32>(o.integer("baud", flash.baud, 9600, 4000000));
  const QString address = o.text("address", QStringLiteral("0x2000"));
  bool ok = false;
  const qulonglong value = address.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)
                               ? address.mid(2).toULongLong(&ok, 16)
                               : address.toULongLong(&ok, 10);
  if (!ok || value > 0xFFFFFFFFull || value % 4096 != 0) {
    o.fail("address",
           QStringLiteral("must be a 4 KiB-aligned address such as \"0x2000\", not \"%1\"").arg(address));
  }
  flash.address = static_cast<quint32>(value);
  if (const QString stub = o.text("stub"); !stub.isEmpty()) {
    flash.stubFile = besideStationFile(source, stub);
    QString why;
    flash.stub = gizrig::flash::loadStubFile(flash.stubFile, &why);
    if (!flash.stub) o.fail("stub", why);
  }
  if (image.isEmpty()) return flash;
  flash.image = besideStationFile(source, image);
  QString why;
  const auto bytes = readCappedFile(flash.image, gizrig::flash::kMaxImageBytes, &why);
  if (!bytes) {
    o.fail("image", why);
  } else if (bytes->isEmpty()) {
    o.fail("image", QStringLiteral("%1: empty file").arg(flash.image));
  } else {
    flash.bytes = *bytes;
  }
  return flash;
}

}  // namespace

QString onboardingName(HomeRouterConfig::Onboarding onboarding) {
  switch (onboarding) {
    case HomeRouterConfig::Onboarding::Mcu:
      return QStringLiteral("mcu");
    case HomeRouterConfig::Onboarding::OnLan:
      return QStringLiteral("on_lan");
    case HomeRouterConfig::Onboarding::SoftAp:
      break;
  }
  return QStringLiteral("softap");
}

const SlotConfig* StationConfig::slot(const QString& name) const {
  for (const SlotConfig& s : slotConfigs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::optional<StationConfig> StationConfig::load(const QString& path, QString* error) {
  const auto bytes = readCappedFile(path, kMaxDescriptionFileBytes, error);
  if (!bytes) return std::nullopt;
  return fromJson(*bytes, path, error);
}

std::optional<StationConfig> StationConfig::fromJson(const QByteArray& json, const QString& source,
                                                     QString* error) {
  const auto fail = [&](const QString& why) -> std::optional<StationConfig> {
    if (error != nullptr) *error = QStringLiteral("%1: %2").arg(source, why);
    return std::nullopt;
  };
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
  if (!doc.isObject()) {
    return fail(QStringLiteral("not a JSON object (%1 at offset %2)")
                    .arg(parseError.errorString())
                    .arg(parseError.offset));
  }
  if (const auto duplicate = findDuplicateJsonKey(json))
    return fail(QStringLiteral("%1: key given twice (JSON keeps only the last)").arg(*duplicate));
  QString problem;
  StrictObject top(doc.object(), {}, &problem);
  top.allowOnly({"station", "line", "operator", "product", "test_routers", "broadcast", "database", "limits",
                 "slots", "routers", "cloud", "home_router", "duplicate_fails", "flash", "max_retests",
                 "engineer_password"});
  StationConfig c;
  c.station = top.text("station", {}, true);
  c.product = top.text("product", {}, true);
  c.line = top.text("line");
  c.operatorName = top.text("operator");
  c.database = top.text("database");
  c.duplicateFails = top.boolean("duplicate_fails", c.duplicateFails);
  if (top.has("max_retests")) c.maxRetests = static_cast<int>(top.integer("max_retests", 0, 0, 100));
  c.engineerPassword = top.text("engineer_password");
  // An empty password would look like protection and be none.
  if (top.has("engineer_password") && c.engineerPassword.isEmpty())
    top.fail("engineer_password", QStringLiteral("must not be empty (leave the key out for no password)"));
  if (top.has("broadcast")) {
    const QHostAddress broadcast = top.ipv4("broadcast", true);
    if (!broadcast.isNull()) c.broadcast = broadcast.toString();
  }
  c.testRouters = top.textList("test_routers", c.testRouters);
  if (const auto limits = top.object("limits"))
    readLimits(StrictObject(*limits, "limits.", &problem), c.limits);
  const QJsonArray slotList = top.objects("slots");
  for (qsizetype i = 0; i < slotList.size() && problem.isEmpty(); ++i) {
    const QString path = QStringLiteral("slots[%1].").arg(i);
    SlotConfig slot = readSlot(StrictObject(slotList[i].toObject(), path, &problem), static_cast<int>(i));
    if (problem.isEmpty() && c.slot(slot.name) != nullptr)
      problem = QStringLiteral("%1name: slot \"%2\" appears twice").arg(path, slot.name);
    c.slotConfigs << slot;
  }
  const QJsonArray routers = top.objects("routers");
  for (qsizetype i = 0; i < routers.size() && problem.isEmpty(); ++i)
    c.routers << readRouter(
        StrictObject(routers[i].toObject(), QStringLiteral("routers[%1].").arg(i), &problem));
  if (const auto cloud = top.object("cloud")) c.cloud = readCloud(StrictObject(*cloud, "cloud.", &problem));
  if (const auto home = top.object("home_router")) {
    StrictObject o(*home, "home_router.", &problem);
    o.allowOnly({"ssid", "password", "onboarding"});
    c.homeRouter = HomeRouterConfig{o.text("ssid", {}, true), o.text("password", {}, true),
                                    HomeRouterConfig::Onboarding::SoftAp};
    using Onboarding = HomeRouterConfig::Onboarding;
    const QString word = o.text("onboarding", onboardingName(Onboarding::SoftAp));
    std::optional<Onboarding> onboarding;
    for (const Onboarding way : {Onboarding::SoftAp, Onboarding::Mcu, Onboarding::OnLan})
      if (word == onboardingName(way)) onboarding = way;
    if (onboarding) {
      c.homeRouter->onboarding = *onboarding;
    } else {
      o.fail("onboarding", QStringLiteral("must be \"softap\", \"mcu\" or \"on_lan\", not \"%1\"").arg(word));
    }
  }
  if (const auto flash = top.object("flash"); flash && problem.isEmpty())
    c.flash = readFlash(StrictObject(*flash, "flash.", &problem), source);
  if (!problem.isEmpty()) return fail(problem);
  return c;
}

QByteArray StationConfig::toJson() const {
  QJsonObject o{{"station", station}, {"product", product}, {"broadcast", broadcast}};
  if (!line.isEmpty()) o["line"] = line;
  if (!operatorName.isEmpty()) o["operator"] = operatorName;
  if (!database.isEmpty()) o["database"] = database;
  if (duplicateFails) o["duplicate_fails"] = true;
  if (maxRetests) o["max_retests"] = *maxRetests;
  if (!engineerPassword.isEmpty()) o["engineer_password"] = engineerPassword;
  o["test_routers"] = QJsonArray::fromStringList(testRouters);
  o["limits"] = QJsonObject{{"min_signal_level", limits.minSignalLevel},
                            {"max_join_ms", static_cast<double>(limits.maxJoinMs)},
                            {"max_control_round_trip_ms", static_cast<double>(limits.maxControlRoundTripMs)},
                            {"step_timeout_ms", static_cast<double>(limits.stepTimeoutMs)},
                            {"control_point", limits.controlPoint},
                            {"control_value", limits.controlValue}};
  QJsonArray slotList;
  for (const SlotConfig& s : slotConfigs) {
    QJsonObject slot{{"name", s.name}, {"serial_port", s.serialPort}, {"baud", s.baud}};
    if (!s.module.isNull()) slot["module_ip"] = s.module.toString();
    if (!s.powerCycle.isEmpty()) slot["power_cycle"] = s.powerCycle;
    slotList.append(slot);
  }
  o["slots"] = slotList;
  QJsonArray routerList;
  for (const RouterControllerConfig& r : routers) {
    QJsonObject router{{"ssids", QJsonArray::fromStringList(r.ssids)}};
    if (r.backend == RouterControllerConfig::Backend::Air) {
      router["backend"] = "air";
      router["address"] = r.address.toString();
      router["port"] = r.port;
    } else {
      router["backend"] = "openwrt";
      router["url"] = r.url;
      router["username"] = r.username;
      router["password"] = r.password;
    }
    routerList.append(router);
  }
  if (!routerList.isEmpty()) o["routers"] = routerList;
  if (homeRouter)
    o["home_router"] = QJsonObject{{"ssid", homeRouter->ssid},
                                   {"password", homeRouter->password},
                                   {"onboarding", onboardingName(homeRouter->onboarding)}};
  if (cloud) {
    QJsonObject cloudObject{
        {"api", QStringLiteral("%1:%2").arg(cloud->apiAddress.toString()).arg(cloud->apiPort)},
        {"mqtt", QStringLiteral("%1:%2").arg(cloud->mqttAddress.toString()).arg(cloud->mqttPort)},
        {"app_user", cloud->appUser},
        {"app_password", cloud->appPassword}};
    if (!cloud->secret.isEmpty()) cloudObject["secret"] = cloud->secret;
    o["cloud"] = cloudObject;
  }
  if (flash) {
    o["flash"] = QJsonObject{{"image", flash->image},
                             {"version", flash->version},
                             {"skip_when_current", flash->skipWhenCurrent},
                             {"address", QStringLiteral("0x%1").arg(flash->address, 0, 16)},
                             {"baud", flash->baud},
                             {"verify", flash->verify}};
    if (!flash->stubFile.isEmpty()) {
      QJsonObject f = o["flash"].toObject();
      f["stub"] = flash->stubFile;
      o["flash"] = f;
    }
  }
  return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

}  // namespace gizrig::core
