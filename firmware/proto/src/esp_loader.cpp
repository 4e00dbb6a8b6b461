#include "gagent/proto/esp_loader.h"

namespace gagent::proto::esp {

std::string_view commandName(std::uint8_t command) {
  switch (static_cast<Command>(command)) {
    case Command::FlashBegin:
      return "FLASH_BEGIN";
    case Command::FlashData:
      return "FLASH_DATA";
    case Command::FlashEnd:
      return "FLASH_END";
    case Command::MemBegin:
      return "MEM_BEGIN";
    case Command::MemEnd:
      return "MEM_END";
    case Command::MemData:
      return "MEM_DATA";
    case Command::Sync:
      return "SYNC";
    case Command::WriteReg:
      return "WRITE_REG";
    case Command::ReadReg:
      return "READ_REG";
    case Command::SpiSetParams:
      return "SPI_SET_PARAMS";
    case Command::SpiAttach:
      return "SPI_ATTACH";
    case Command::ChangeBaudrate:
      return "CHANGE_BAUDRATE";
    case Command::FlashDeflBegin:
      return "FLASH_DEFL_BEGIN";
    case Command::FlashDeflData:
      return "FLASH_DEFL_DATA";
    case Command::FlashDeflEnd:
      return "FLASH_DEFL_END";
    case Command::SpiFlashMd5:
      return "SPI_FLASH_MD5";
    case Command::GetSecurityInfo:
      return "GET_SECURITY_INFO";
    case Command::EraseFlash:
      return "ERASE_FLASH";
    case Command::EraseRegion:
      return "ERASE_REGION";
    case Command::ReadFlash:
      return "READ_FLASH";
    case Command::RunUserCode:
      return "RUN_USER_CODE";
  }
  return "unknown";
}

std::array<std::uint8_t, kSyncPayloadSize> syncPayload() {
  std::array<std::uint8_t, kSyncPayloadSize> payload{};
  payload.fill(0x55);
  payload[0] = 0x07;
  payload[1] = 0x07;
  payload[2] = 0x12;
  payload[3] = 0x20;
  return payload;
}

bool isSyncPayload(Bytes data) {
  const auto expected = syncPayload();
  if (data.size() != expected.size()) return false;
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data[i] != expected[i]) return false;
  return true;
}

std::uint8_t checksum(Bytes data, std::uint8_t seed) {
  for (const std::uint8_t b : data) seed = static_cast<std::uint8_t>(seed ^ b);
  return seed;
}

void putWord(ByteWriter& out, std::uint32_t value) {
  out.u8(static_cast<std::uint8_t>(value));
  out.u8(static_cast<std::uint8_t>(value >> 8));
  out.u8(static_cast<std::uint8_t>(value >> 16));
  out.u8(static_cast<std::uint8_t>(value >> 24));
}

std::optional<std::uint32_t> word(Bytes data, std::size_t index) {
  if (index >= data.size() / 4) return std::nullopt;
  const std::size_t at = index * 4;
  return std::uint32_t{data[at]} | (std::uint32_t{data[at + 1]} << 8) | (std::uint32_t{data[at + 2]} << 16) |
         (std::uint32_t{data[at + 3]} << 24);
}

namespace {

std::size_t encodePacket(std::uint8_t direction, std::uint8_t command, std::uint32_t word4, Bytes data,
                         MutableBytes out) {
  if (data.size() > 0xFFFF) return 0;
  ByteWriter writer(out);
  writer.u8(direction);
  writer.u8(command);
  writer.u8(static_cast<std::uint8_t>(data.size()));
  writer.u8(static_cast<std::uint8_t>(data.size() >> 8));
  putWord(writer, word4);
  writer.bytes(data);
  return writer.ok() ? writer.size() : 0;
}

struct Packet {
  std::uint8_t command = 0;
  std::uint32_t word4 = 0;
  Bytes data;
};

std::optional<Packet> parsePacket(Bytes packet, std::uint8_t direction) {
  if (packet.size() < kHeaderSize || packet[0] != direction) return std::nullopt;
  const std::size_t size = std::size_t{packet[2]} | (std::size_t{packet[3]} << 8);
  if (packet.size() - kHeaderSize != size) return std::nullopt;
  return Packet{packet[1], *word(packet.subspan(4, 4), 0), packet.subspan(kHeaderSize)};
}

}  // namespace

std::size_t encodeRequest(std::uint8_t command, Bytes data, std::uint32_t checksumValue, MutableBytes out) {
  return encodePacket(kDirectionRequest, command, checksumValue, data, out);
}

std::size_t encodeResponse(std::uint8_t command, std::uint32_t value, Bytes data, MutableBytes out) {
  return encodePacket(kDirectionResponse, command, value, data, out);
}

std::optional<Request> parseRequest(Bytes packet) {
  const auto parsed = parsePacket(packet, kDirectionRequest);
  if (!parsed) return std::nullopt;
  return Request{parsed->command, parsed->word4, parsed->data};
}

std::optional<Response> parseResponse(Bytes packet) {
  const auto parsed = parsePacket(packet, kDirectionResponse);
  if (!parsed) return std::nullopt;
  return Response{parsed->command, parsed->word4, parsed->data};
}

std::optional<Status> parseStatus(Bytes data, std::size_t statusSize) {
  if (statusSize < 2 || data.size() < statusSize) return std::nullopt;
  const Bytes status = data.last(statusSize);
  return Status{status[0] == 0, status[1], data.first(data.size() - statusSize)};
}

std::optional<DataBlock> parseDataBlock(Bytes payload) {
  const auto size = word(payload, 0);
  const auto sequence = word(payload, 1);
  if (!size || !sequence || payload.size() < kDataHeaderSize) return std::nullopt;
  if (payload.size() - kDataHeaderSize != *size) return std::nullopt;
  return DataBlock{*sequence, payload.subspan(kDataHeaderSize)};
}

}  // namespace gagent::proto::esp
