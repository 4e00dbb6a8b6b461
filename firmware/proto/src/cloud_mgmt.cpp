#include "gagent/proto/cloud_mgmt.h"

namespace gagent::proto {

namespace {

template <typename T>
MgmtParse<T> fail(MgmtError error) {
  MgmtParse<T> result;
  result.error = error;
  return result;
}

template <typename T>
MgmtParse<T> success(const T& value) {
  MgmtParse<T> result;
  result.status = ParseStatus::Ok;
  result.value = value;
  return result;
}

MgmtError checkCommand(const MgmtPacket& packet, MgmtCmd cmd, std::size_t fieldBytes) {
  if (packet.cmd != static_cast<std::uint16_t>(cmd)) return MgmtError::WrongCommand;
  if (packet.payload.size() < fieldBytes) return MgmtError::TooShort;
  return MgmtError::None;
}

}  // namespace

std::string_view mgmtErrorName(MgmtError error) {
  switch (error) {
    case MgmtError::None:
      return "none";
    case MgmtError::TooShort:
      return "too short";
    case MgmtError::BadVersion:
      return "version word is not 00 00 00 03";
    case MgmtError::WrongCommand:
      return "wrong command";
    case MgmtError::BadFirmwareType:
      return "unknown firmware type";
  }
  return "unknown";
}

std::size_t encodeMgmt(MutableBytes out, std::uint16_t cmd, Bytes payload) {
  ByteWriter w(out);
  w.u32(kMgmtVersion);
  w.u16(cmd);
  w.bytes(payload);
  return w.ok() ? w.size() : 0;
}

std::size_t encodeMgmtAppCountRequest(MutableBytes out) {
  return encodeMgmt(out, static_cast<std::uint16_t>(MgmtCmd::AppCountRequest), {});
}

std::size_t encodeMgmtAppCount(MutableBytes out, std::uint16_t appCount) {
  const std::uint8_t payload[] = {static_cast<std::uint8_t>(appCount >> 8),
                                  static_cast<std::uint8_t>(appCount)};
  return encodeMgmt(out, static_cast<std::uint16_t>(MgmtCmd::AppCount), payload);
}

std::size_t encodeMgmtOtaPush(MutableBytes out, OtaFirmwareType type) {
  const std::uint8_t payload[] = {static_cast<std::uint8_t>(type)};
  return encodeMgmt(out, static_cast<std::uint16_t>(MgmtCmd::OtaPush), payload);
}

MgmtParse<MgmtPacket> decodeMgmt(Bytes in) {
  ByteReader r(in);
  const std::uint32_t version = r.u32();
  MgmtPacket packet;
  packet.cmd = r.u16();
  if (!r.ok()) return fail<MgmtPacket>(MgmtError::TooShort);
  if (version != kMgmtVersion) return fail<MgmtPacket>(MgmtError::BadVersion);
  packet.payload = r.rest();
  return success(packet);
}

MgmtParse<std::uint16_t> parseMgmtAppCount(const MgmtPacket& packet) {
  if (const MgmtError e = checkCommand(packet, MgmtCmd::AppCount, 2); e != MgmtError::None)
    return fail<std::uint16_t>(e);
  return success(static_cast<std::uint16_t>((packet.payload[0] << 8) | packet.payload[1]));
}

MgmtParse<OtaFirmwareType> parseMgmtOtaPush(const MgmtPacket& packet) {
  if (const MgmtError e = checkCommand(packet, MgmtCmd::OtaPush, 1); e != MgmtError::None)
    return fail<OtaFirmwareType>(e);
  const std::uint8_t type = packet.payload[0];
  if (type != static_cast<std::uint8_t>(OtaFirmwareType::Wifi) &&
      type != static_cast<std::uint8_t>(OtaFirmwareType::Mcu)) {
    return fail<OtaFirmwareType>(MgmtError::BadFirmwareType);
  }
  return success(static_cast<OtaFirmwareType>(type));
}

}  // namespace gagent::proto
