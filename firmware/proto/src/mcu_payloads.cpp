#include "gagent/proto/mcu_payloads.h"

#include <limits>

namespace gagent::proto {

namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

// A fixed-width text field: shorter values are zero-padded, longer ones cannot be encoded.
void fixedField(ByteWriter& out, std::string_view text, std::size_t width) {
  if (text.size() > width) {
    out.fail();
    return;
  }
  out.fixedText(text, width);
}

// A u8 length prefix followed by the text (0x09 direct config, §1.8).
void lengthPrefixed8(ByteWriter& out, std::string_view text) {
  if (text.size() > std::numeric_limits<std::uint8_t>::max()) {
    out.fail();
    return;
  }
  out.u8(static_cast<std::uint8_t>(text.size()));
  out.text(text);
}

void lengthPrefixed16(ByteWriter& out, Bytes data) {
  if (data.size() > std::numeric_limits<std::uint16_t>::max()) {
    out.fail();
    return;
  }
  out.lengthPrefixed16(data);
}

std::string_view trimZeroPadding(std::string_view text) {
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  return text;
}

template <typename T>
McuParsed<T> okIf(bool valid, const T& value) {
  McuParsed<T> result;
  if (!valid) return result;
  result.status = ParseStatus::Ok;
  result.value = value;
  return result;
}

}  // namespace

// ---- 0x02 device info ----

void buildDeviceInfo(const DeviceInfo& info, ByteWriter& out) {
  fixedField(out, info.protocolVer, kMcuVersionSize);
  fixedField(out, info.p0Ver, kMcuVersionSize);
  fixedField(out, info.hardVer, kMcuVersionSize);
  fixedField(out, info.softVer, kMcuVersionSize);
  fixedField(out, info.productKey, kProductKeySize);
  out.u16(info.bindTimeout);
  // §1.8: the tails are positional, so each needs the ones before it.
  const bool hasAttr = !info.devAttr.empty();
  const bool hasSecret = !info.productSecret.empty();
  if (hasAttr) {
    if (info.devAttr.size() != kDevAttrSize) out.fail();
    out.bytes(info.devAttr);
  }
  if (hasSecret) {
    if (!hasAttr) out.fail();
    fixedField(out, info.productSecret, kProductSecretSize);
  }
  if (info.hasData) {
    if (!hasSecret) out.fail();
    lengthPrefixed16(out, asBytes(info.data));
  }
}

McuParsed<DeviceInfo> parseDeviceInfo(Bytes payload) {
  McuParsed<DeviceInfo> result;
  if (payload.size() < kDeviceInfoBasicSize) return result;
  ByteReader r(payload);
  DeviceInfo& info = result.value;
  info.protocolVer = r.text(kMcuVersionSize);
  info.p0Ver = r.text(kMcuVersionSize);
  info.hardVer = r.text(kMcuVersionSize);
  info.softVer = r.text(kMcuVersionSize);
  info.productKey = r.text(kProductKeySize);
  info.bindTimeout = r.u16();
  // §1.8 forms: 66, 74 (attr), 106 (+ secret), 108 + data_len (+ data); anything in between is truncated.
  if (r.remaining() > 0) {
    info.devAttr = r.bytes(kDevAttrSize);
    if (r.ok() && r.remaining() > 0) info.productSecret = r.text(kProductSecretSize);
    if (r.ok() && r.remaining() > 0) {
      info.data = asText(r.lengthPrefixed16());
      info.hasData = true;
    }
  }
  if (r.ok()) result.status = ParseStatus::Ok;
  return result;
}

std::optional<std::string_view> deviceInfoDataValue(std::string_view data, std::string_view key) {
  while (!data.empty()) {
    const std::size_t amp = data.find('&');
    const std::string_view entry = data.substr(0, amp);
    data = amp == std::string_view::npos ? std::string_view() : data.substr(amp + 1);
    const std::size_t eq = entry.find('=');
    // An entry without '=' is a key with an empty value.
    const std::string_view name = entry.substr(0, eq);
    if (name != key) continue;
    return eq == std::string_view::npos ? std::string_view() : entry.substr(eq + 1);
  }
  return std::nullopt;
}

// ---- 0x0D WiFi status ----

namespace {
constexpr std::uint16_t kBitSoftAp = 1u << 0;
constexpr std::uint16_t kBitStation = 1u << 1;
constexpr std::uint16_t kBitOnboarding = 1u << 2;
constexpr std::uint16_t kBitBindable = 1u << 3;
constexpr std::uint16_t kBitRouter = 1u << 4;
constexpr std::uint16_t kBitCloud = 1u << 5;
constexpr unsigned kRssiShift = 8;
constexpr std::uint16_t kRssiMask = 0x7;
constexpr std::uint16_t kBitAppOnline = 1u << 11;
constexpr std::uint16_t kBitProductionTest = 1u << 12;
}  // namespace

std::uint16_t WifiStatus::toWord() const {
  std::uint16_t word = 0;
  if (softAp) word |= kBitSoftAp;
  if (station) word |= kBitStation;
  if (onboarding) word |= kBitOnboarding;
  if (bindable) word |= kBitBindable;
  if (routerConnected) word |= kBitRouter;
  if (cloudConnected) word |= kBitCloud;
  word = static_cast<std::uint16_t>(word | ((rssiLevel & kRssiMask) << kRssiShift));
  if (appOnline) word |= kBitAppOnline;
  if (productionTest) word |= kBitProductionTest;
  return word;
}

WifiStatus WifiStatus::fromWord(std::uint16_t word) {
  WifiStatus status;
  status.softAp = (word & kBitSoftAp) != 0;
  status.station = (word & kBitStation) != 0;
  status.onboarding = (word & kBitOnboarding) != 0;
  status.bindable = (word & kBitBindable) != 0;
  status.routerConnected = (word & kBitRouter) != 0;
  status.cloudConnected = (word & kBitCloud) != 0;
  status.rssiLevel = static_cast<std::uint8_t>((word >> kRssiShift) & kRssiMask);
  status.appOnline = (word & kBitAppOnline) != 0;
  status.productionTest = (word & kBitProductionTest) != 0;
  return status;
}

void buildWifiStatus(const WifiStatus& status, ByteWriter& out) {
  out.u16(status.toWord());
}

McuParsed<WifiStatus> parseWifiStatus(Bytes payload) {
  ByteReader r(payload);
  const std::uint16_t word = r.u16();
  return okIf(r.atEnd(), WifiStatus::fromWord(word));
}

// ---- 0x09 config mode ----

ConfigMethod configMethodFor(std::uint8_t mode) {
  switch (mode) {
    case static_cast<std::uint8_t>(ConfigMethod::SoftAp):
      return ConfigMethod::SoftAp;
    case static_cast<std::uint8_t>(ConfigMethod::Direct):
      return ConfigMethod::Direct;
    default:
      return ConfigMethod::AirLink;  // §1.8: an invalid value means AirLink
  }
}

void buildConfigMode(const ConfigModeRequest& request, ByteWriter& out) {
  out.u8(request.mode);
  if (request.method() != ConfigMethod::Direct) return;
  lengthPrefixed8(out, request.ssid);
  lengthPrefixed8(out, request.password);
  lengthPrefixed8(out, request.bssid);
}

McuParsed<ConfigModeRequest> parseConfigMode(Bytes payload) {
  ByteReader r(payload);
  ConfigModeRequest request;
  request.mode = r.u8();
  if (r.ok() && request.method() == ConfigMethod::Direct) {
    request.ssid = r.text(r.u8());
    request.password = r.text(r.u8());
    request.bssid = r.text(r.u8());
  }
  return okIf(r.atEnd(), request);
}

// ---- 0x11 / 0x12 illegal-message notice ----

void buildIllegalNotice(IllegalCode code, ByteWriter& out) {
  out.u8(static_cast<std::uint8_t>(code));
}

McuParsed<IllegalCode> parseIllegalNotice(Bytes payload) {
  ByteReader r(payload);
  const auto code = static_cast<IllegalCode>(r.u8());
  return okIf(r.atEnd(), code);
}

// ---- 0x18 network time ----

std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  // Eras of 400 years (146097 days) starting on March 1st, so the leap day is the last day of a year.
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t yearOfEra = year - era * 400;                                              // [0, 399]
  const std::int64_t monthFromMarch = month > 2 ? month - 3 : month + 9;                        // [0, 11]
  const std::int64_t dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;                      // [0, 365]
  const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;  // [0, 146096]
  return era * 146'097 + dayOfEra - 719'468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

CivilDate civilFromDays(std::int64_t days) {
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const std::int64_t dayOfEra = days - era * 146'097;  // [0, 146096]
  const std::int64_t yearOfEra =
      (dayOfEra - dayOfEra / 1'460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;               // [0, 399]
  const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);  // [0, 365]
  const std::int64_t monthFromMarch = (5 * dayOfYear + 2) / 153;                                  // [0, 11]
  CivilDate date;
  date.day = static_cast<unsigned>(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
  date.month = static_cast<unsigned>(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
  date.year = yearOfEra + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

NetworkTime networkTimeFromEpoch(std::uint32_t utcEpoch, std::int32_t tzOffsetSeconds) {
  const std::int64_t local = static_cast<std::int64_t>(utcEpoch) + tzOffsetSeconds;
  // Floor division, so instants before 1970 (epoch 0 west of UTC) land on the previous day.
  std::int64_t days = local / kSecondsPerDay;
  std::int64_t secondOfDay = local % kSecondsPerDay;
  if (secondOfDay < 0) {
    secondOfDay += kSecondsPerDay;
    --days;
  }
  const CivilDate date = civilFromDays(days);
  NetworkTime time;
  time.year = static_cast<std::uint16_t>(date.year);
  time.month = static_cast<std::uint8_t>(date.month);
  time.day = static_cast<std::uint8_t>(date.day);
  time.hour = static_cast<std::uint8_t>(secondOfDay / 3'600);
  time.minute = static_cast<std::uint8_t>(secondOfDay / 60 % 60);
  time.second = static_cast<std::uint8_t>(secondOfDay % 60);
  time.ntp = utcEpoch;
  return time;
}

void buildNetworkTime(const NetworkTime& time, ByteWriter& out) {
  out.u16(time.year);
  out.u8(time.month);
  out.u8(time.day);
  out.u8(time.hour);
  out.u8(time.minute);
  out.u8(time.second);
  out.u32(time.ntp);
}

McuParsed<NetworkTime> parseNetworkTime(Bytes payload) {
  ByteReader r(payload);
  NetworkTime time;
  time.year = r.u16();
  time.month = r.u8();
  time.day = r.u8();
  time.hour = r.u8();
  time.minute = r.u8();
  time.second = r.u8();
  time.ntp = r.u32();
  return okIf(r.atEnd(), time);
}

// ---- 0x21 / 0x22 module info ----

void buildModuleInfoRequest(std::uint8_t type, ByteWriter& out) {
  out.u8(type);
}

McuParsed<std::uint8_t> parseModuleInfoRequest(Bytes payload) {
  ByteReader r(payload);
  const std::uint8_t type = r.u8();
  return okIf(r.atEnd(), type);
}

void buildModuleInfo(const ModuleInfo& info, ByteWriter& out) {
  out.u8(kModuleTypeWifi);
  fixedField(out, info.protocolVer, kMcuVersionSize);
  fixedField(out, info.hardVer, kMcuVersionSize);
  fixedField(out, info.softVer, kMcuVersionSize);
  fixedField(out, info.mac, kModuleAddressSize);
  fixedField(out, info.ip, kModuleAddressSize);
  if (info.devAttr.empty()) {
    out.fixedText({}, kDevAttrSize);
  } else {
    if (info.devAttr.size() != kDevAttrSize) out.fail();
    out.bytes(info.devAttr);
  }
}

McuParsed<ModuleInfo> parseModuleInfo(Bytes payload) {
  McuParsed<ModuleInfo> result;
  if (payload.size() != kModuleInfoWifiSize || payload[0] != kModuleTypeWifi) return result;
  ByteReader r(payload.subspan(1));
  ModuleInfo& info = result.value;
  info.protocolVer = r.text(kMcuVersionSize);
  info.hardVer = r.text(kMcuVersionSize);
  info.softVer = r.text(kMcuVersionSize);
  info.mac = trimZeroPadding(r.text(kModuleAddressSize));
  info.ip = trimZeroPadding(r.text(kModuleAddressSize));
  info.devAttr = r.bytes(kDevAttrSize);
  if (r.atEnd()) result.status = ParseStatus::Ok;
  return result;
}

GprsCell GprsModuleInfo::cell(std::size_t index) const {
  ByteReader r(cells.subspan(index * kGprsCellSize, kGprsCellSize));
  GprsCell cell;
  cell.lac = r.u16();
  cell.cellId = r.u16();
  cell.rssi = r.u8();
  return cell;
}

void buildGprsModuleInfo(const GprsModuleInfo& info, ByteWriter& out) {
  out.u8(kModuleTypeGprs);
  fixedField(out, info.protocolVer, kMcuVersionSize);
  fixedField(out, info.hardVer, kMcuVersionSize);
  fixedField(out, info.softVer, kMcuVersionSize);
  if (info.devAttr.empty()) {
    out.fixedText({}, kDevAttrSize);
  } else {
    if (info.devAttr.size() != kDevAttrSize) out.fail();
    out.bytes(info.devAttr);
  }
  fixedField(out, info.imei, kGprsIdentitySize);
  fixedField(out, info.imsi, kGprsIdentitySize);
  fixedField(out, info.mcc, kGprsNetworkCodeSize);
  fixedField(out, info.mnc, kGprsNetworkCodeSize);
  if (info.cells.size() % kGprsCellSize != 0 || info.cellCount() > 0xFF) out.fail();
  out.u8(static_cast<std::uint8_t>(info.cellCount()));
  out.u8(info.cellInfoLen);
  out.bytes(info.cells);
}

McuParsed<GprsModuleInfo> parseGprsModuleInfo(Bytes payload) {
  McuParsed<GprsModuleInfo> result;
  if (payload.size() < kModuleInfoGprsFixedSize || payload[0] != kModuleTypeGprs) return result;
  ByteReader r(payload.subspan(1));
  GprsModuleInfo& info = result.value;
  info.protocolVer = r.text(kMcuVersionSize);
  info.hardVer = r.text(kMcuVersionSize);
  info.softVer = r.text(kMcuVersionSize);
  info.devAttr = r.bytes(kDevAttrSize);
  info.imei = trimZeroPadding(r.text(kGprsIdentitySize));
  info.imsi = trimZeroPadding(r.text(kGprsIdentitySize));
  info.mcc = trimZeroPadding(r.text(kGprsNetworkCodeSize));
  info.mnc = trimZeroPadding(r.text(kGprsNetworkCodeSize));
  const std::size_t cellCount = r.u8();
  info.cellInfoLen = r.u8();
  info.cells = r.bytes(cellCount * kGprsCellSize);
  if (r.atEnd()) result.status = ParseStatus::Ok;
  return result;
}

McuParsed<AnyModuleInfo> parseAnyModuleInfo(Bytes payload) {
  McuParsed<AnyModuleInfo> result;
  if (payload.empty()) return result;
  result.value.type = payload[0];
  if (payload[0] == kModuleTypeWifi) {
    const auto wifi = parseModuleInfo(payload);
    if (!wifi.ok()) return result;
    result.value.wifi = wifi.value;
  } else if (payload[0] == kModuleTypeGprs) {
    const auto gprs = parseGprsModuleInfo(payload);
    if (!gprs.ok()) return result;
    result.value.gprs = gprs.value;
  } else {
    return result;
  }
  result.status = ParseStatus::Ok;
  return result;
}

// ---- 0x19 / 0x1B / 0x1D big data ----

void buildBigDataRequest(const BigDataRequest& request, ByteWriter& out) {
  out.u32(request.fileSize);
  lengthPrefixed16(out, asBytes(request.md5));
}

McuParsed<BigDataRequest> parseBigDataRequest(Bytes payload) {
  ByteReader r(payload);
  BigDataRequest request;
  request.fileSize = r.u32();
  request.md5 = asText(r.lengthPrefixed16());
  return okIf(r.atEnd(), request);
}

void buildBigDataReady(const BigDataReady& ready, ByteWriter& out) {
  lengthPrefixed16(out, asBytes(ready.md5));
  out.u16(ready.pieceSize);
}

McuParsed<BigDataReady> parseBigDataReady(Bytes payload) {
  ByteReader r(payload);
  BigDataReady ready;
  ready.md5 = asText(r.lengthPrefixed16());
  ready.pieceSize = r.u16();
  return okIf(r.atEnd(), ready);
}

void buildBigDataPiece(const BigDataPiece& piece, ByteWriter& out) {
  out.u16(piece.index);
  out.u16(piece.count);
  out.bytes(piece.data);
}

McuParsed<BigDataPiece> parseBigDataPiece(Bytes payload) {
  ByteReader r(payload);
  BigDataPiece piece;
  piece.index = r.u16();
  piece.count = r.u16();
  piece.data = r.rest();
  return okIf(r.ok(), piece);
}

}  // namespace gagent::proto
