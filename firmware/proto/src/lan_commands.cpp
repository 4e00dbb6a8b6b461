#include "gagent/proto/lan_commands.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace gagent::proto {

namespace {

struct LanCommandEntry {
  LanCmd cmd;
  std::string_view name;
};

// §2.3, in code order.
constexpr std::array<LanCommandEntry, 28> kLanCommands = {{
    {LanCmd::OnboardingRequest, "0x0001 onboarding request"},
    {LanCmd::OnboardingReply, "0x0002 onboarding reply"},
    {LanCmd::DiscoveryRequest, "0x0003 discovery request"},
    {LanCmd::DiscoveryReply, "0x0004 discovery reply"},
    {LanCmd::StartupAnnounce, "0x0005 startup announce"},
    {LanCmd::PasscodeRequest, "0x0006 passcode request"},
    {LanCmd::PasscodeReply, "0x0007 passcode reply"},
    {LanCmd::Login, "0x0008 login"},
    {LanCmd::LoginResult, "0x0009 login result"},
    {LanCmd::WifiVersionRequest, "0x000A WiFi version request (old)"},
    {LanCmd::WifiVersionReply, "0x000B WiFi version reply (old)"},
    {LanCmd::ApListRequest, "0x000C AP list request"},
    {LanCmd::ApList, "0x000D AP list"},
    {LanCmd::Log, "0x0010 log / set log level"},
    {LanCmd::LogAck, "0x0011 log level ack"},
    {LanCmd::LogToServer, "0x0012 log to server"},
    {LanCmd::DeviceInfoRequest, "0x0013 device info request"},
    {LanCmd::DeviceInfoReply, "0x0014 device info"},
    {LanCmd::Ping, "0x0015 ping"},
    {LanCmd::Pong, "0x0016 pong"},
    {LanCmd::ExitProductionTest, "0x0017 exit production test"},
    {LanCmd::ExitProductionTestReply, "0x0018 exit production test reply"},
    {LanCmd::ConfigSuccess, "0x0019 config success"},
    {LanCmd::AppBroadcast1B, "0x001B app broadcast (purpose unknown)"},
    {LanCmd::P0ToDevice, "0x0090 P0 to device"},
    {LanCmd::P0FromDevice, "0x0091 P0 from device"},
    {LanCmd::P0ToDeviceSn, "0x0093 P0 with sn to device"},
    {LanCmd::P0FromDeviceSn, "0x0094 P0 with sn from device"},
}};

const LanCommandEntry* findCommand(LanCmd cmd) {
  for (const LanCommandEntry& entry : kLanCommands) {
    if (entry.cmd == cmd) return &entry;
  }
  return nullptr;
}

template <typename T>
LanParsed<T> parsed(bool ok, const T& value) {
  LanParsed<T> result;
  if (!ok) return result;
  result.status = ParseStatus::Ok;
  result.value = value;
  return result;
}

bool hasNul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

// u16 length + text, refused (writer failed) above `max` bytes.
void writeText16(ByteWriter& out, std::string_view text, std::size_t max) {
  if (text.size() > max) {
    out.fail();
    return;
  }
  out.lengthPrefixed16(asBytes(text));
}

// u16 length + text; a length above `max` fails the read (ok() false afterwards is the caller's signal).
std::string_view readText16(ByteReader& in, std::size_t max, bool& ok) {
  const Bytes text = in.lengthPrefixed16();
  if (text.size() > max) ok = false;
  return asText(text);
}

// u16 length that must equal `size`, then those bytes.
Bytes readFixed16(ByteReader& in, std::size_t size, bool& ok) {
  if (in.u16() != size) ok = false;
  return in.bytes(size);
}

void writeFixed16(ByteWriter& out, Bytes data, std::size_t size) {
  if (data.size() != size) {
    out.fail();
    return;
  }
  out.lengthPrefixed16(data);
}

// A fixed-width field padded with zeros; longer values are refused.
void writePadded(ByteWriter& out, std::string_view text, std::size_t width) {
  if (text.size() > width) {
    out.fail();
    return;
  }
  out.fixedText(text, width);
}

// Text up to the next NUL (consumed too) or the end of the input.
std::string_view readNulTerminated(ByteReader& in) {
  const Bytes rest = in.rest();
  const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
  const auto size = static_cast<std::size_t>(nul - rest.begin());
  // Put back what follows the NUL: a reader over the remainder replaces this one.
  in = ByteReader(nul == rest.end() ? Bytes{} : rest.subspan(size + 1));
  return asText(rest.first(size));
}

}  // namespace

bool isKnownLanCommand(LanCmd cmd) {
  return findCommand(cmd) != nullptr;
}

std::string_view lanCommandName(LanCmd cmd) {
  const LanCommandEntry* entry = findCommand(cmd);
  return entry != nullptr ? entry->name : "unknown";
}

ParseStatus parseLanEmpty(Bytes payload) {
  return payload.empty() ? ParseStatus::Ok : ParseStatus::Malformed;
}

// ---- 0001 ----

void buildLanOnboardingRequest(const LanOnboardingRequest& request, ByteWriter& out) {
  writeText16(out, request.ssid, kLanMaxSsid);
  writeText16(out, request.password, kLanMaxPassword);
}

LanParsed<LanOnboardingRequest> parseLanOnboardingRequest(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  LanOnboardingRequest request;
  request.ssid = readText16(in, kLanMaxSsid, ok);
  request.password = readText16(in, kLanMaxPassword, ok);
  return parsed(ok && in.atEnd(), request);
}

// ---- 0004 / 0005 ----

void buildLanDeviceAnnounce(const LanDeviceAnnounce& announce, ByteWriter& out) {
  out.lengthPrefixed16(asBytes(announce.did));
  writeFixed16(out, announce.mac, kLanMacSize);
  out.lengthPrefixed16(asBytes(announce.firmwareVersion));
  writeFixed16(out, asBytes(announce.productKey), kLanProductKeySize);
  if (announce.mcuAttr.empty()) {
    for (std::size_t i = 0; i < kLanMcuAttrSize; ++i) out.u8(0);
  } else if (announce.mcuAttr.size() == kLanMcuAttrSize) {
    out.bytes(announce.mcuAttr);
  } else {
    out.fail();
  }
  if (announce.gagentVersion && !announce.apiServer) out.fail();
  for (const auto& tail : {announce.apiServer, announce.gagentVersion}) {
    if (!tail) continue;
    if (hasNul(*tail)) out.fail();
    out.text(*tail);
    out.u8(0);
  }
}

LanParsed<LanDeviceAnnounce> parseLanDeviceAnnounce(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  LanDeviceAnnounce announce;
  announce.did = asText(in.lengthPrefixed16());
  announce.mac = readFixed16(in, kLanMacSize, ok);
  announce.firmwareVersion = asText(in.lengthPrefixed16());
  announce.productKey = asText(readFixed16(in, kLanProductKeySize, ok));
  announce.mcuAttr = in.bytes(kLanMcuAttrSize);
  if (!in.ok()) return {};
  // §2.3 / §7.6: newer firmware appends `apiServer \0 gagentVer \0` and sometimes more.
  if (in.remaining() > 0) announce.apiServer = readNulTerminated(in);
  if (in.remaining() > 0) announce.gagentVersion = readNulTerminated(in);
  return parsed(ok, announce);
}

// ---- 0007 / 0008 ----

void buildLanPasscodeReply(std::string_view passcode, ByteWriter& out) {
  writeText16(out, passcode, kLanMaxPasscode);
}

LanParsed<std::string_view> parseLanPasscodeReply(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  const std::string_view passcode = readText16(in, kLanMaxPasscode, ok);
  return parsed(ok && in.atEnd(), passcode);
}

void buildLanLogin(std::string_view passcode, ByteWriter& out) {
  buildLanPasscodeReply(passcode, out);
}

LanParsed<std::string_view> parseLanLogin(Bytes payload) {
  return parseLanPasscodeReply(payload);
}

// ---- 0009 ----

void buildLanLoginResult(LanLoginResult result, ByteWriter& out) {
  out.u8(static_cast<std::uint8_t>(result));
}

LanParsed<LanLoginResult> parseLanLoginResult(Bytes payload) {
  ByteReader in(payload);
  const auto result = static_cast<LanLoginResult>(in.u8());
  return parsed(in.atEnd(), result);
}

// ---- 000D ----

bool LanApListCursor::next(LanApEntry& out) {
  if (reader_.remaining() == 0) return false;
  const std::string_view ssid = asText(reader_.lengthPrefixed16());
  const std::uint8_t power = reader_.u8();
  if (!reader_.ok()) return false;  // not reached for a list parseLanApList accepted
  out.ssid = ssid;
  out.power = power;
  return true;
}

std::size_t LanApList::count() const {
  std::size_t n = 0;
  forEachLanAp(*this, [&n](const LanApEntry&) { ++n; });
  return n;
}

void buildLanApList(std::span<const LanApEntry> entries, ByteWriter& out) {
  for (const LanApEntry& entry : entries) {
    if (entry.power > kLanMaxApPower) out.fail();
    writeText16(out, entry.ssid, kLanMaxSsid);
    out.u8(entry.power);
  }
}

LanParsed<LanApList> parseLanApList(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  while (ok && in.remaining() > 0) {
    readText16(in, kLanMaxSsid, ok);
    if (in.u8() > kLanMaxApPower) ok = false;
    if (!in.ok()) ok = false;
  }
  return parsed(ok, LanApList{payload});
}

// ---- 0014 ----

void buildLanDeviceInfo(const LanDeviceInfo& info, ByteWriter& out) {
  for (std::string_view field :
       {info.wifiHardVer, info.wifiSoftVer, info.mcuHardVer, info.mcuSoftVer, info.p0Ver, info.firmwareId}) {
    writePadded(out, field, kLanVersionSize);
  }
  out.lengthPrefixed16(asBytes(info.firmwareVersion));
  writeFixed16(out, asBytes(info.productKey), kLanProductKeySize);
}

LanParsed<LanDeviceInfo> parseLanDeviceInfo(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  LanDeviceInfo info;
  info.wifiHardVer = in.text(kLanVersionSize);
  info.wifiSoftVer = in.text(kLanVersionSize);
  info.mcuHardVer = in.text(kLanVersionSize);
  info.mcuSoftVer = in.text(kLanVersionSize);
  info.p0Ver = in.text(kLanVersionSize);
  info.firmwareId = in.text(kLanVersionSize);
  info.firmwareVersion = asText(in.lengthPrefixed16());
  info.productKey = asText(readFixed16(in, kLanProductKeySize, ok));
  return parsed(ok && in.ok(), info);
}

// ---- 0019 ----

void buildLanConfigSuccess(const LanConfigSuccess& success, ByteWriter& out) {
  writeFixed16(out, success.mac, kLanMacSize);
  writeFixed16(out, asBytes(success.productKey), kLanProductKeySize);
  out.lengthPrefixed16(asBytes(success.did));
}

LanParsed<LanConfigSuccess> parseLanConfigSuccess(Bytes payload) {
  ByteReader in(payload);
  bool ok = true;
  LanConfigSuccess success;
  success.mac = readFixed16(in, kLanMacSize, ok);
  success.productKey = asText(readFixed16(in, kLanProductKeySize, ok));
  success.did = asText(in.lengthPrefixed16());
  return parsed(ok && in.atEnd(), success);
}

// ---- 0093 / 0094 ----

void buildLanSequencedP0(const LanSequencedP0& message, ByteWriter& out) {
  out.u32(message.sn);
  out.bytes(message.p0);
}

LanParsed<LanSequencedP0> parseLanSequencedP0(Bytes payload) {
  ByteReader in(payload);
  LanSequencedP0 message;
  message.sn = in.u32();
  message.p0 = in.rest();
  return parsed(in.ok(), message);
}

}  // namespace gagent::proto
