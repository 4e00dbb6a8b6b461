#pragma once
// Wire bytes -> named frames and packets, for engineers (gizrig decode, the GUI's consoles) and for records.
// Every protocol goes through the shared proto codecs, so the rig names exactly what the firmware parses.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gagent/proto/mcu_frame.h"

namespace gizrig::core {

enum class WireProtocol : std::uint8_t { Mcu, Lan, Mqtt };

struct DecodedItem {
  std::size_t offset = 0;  // where the frame starts in the input
  std::size_t length = 0;  // bytes it spans (0 for a trailing incomplete frame)
  bool ok = true;          // false: malformed (see `error`) or incomplete
  std::string name;        // "0x05 P0 from MCU", "0x0093 P0 to device (sn)", "PUBLISH"
  std::string error;       // "checksum", "length", "incomplete", ...
  std::vector<std::pair<std::string, std::string>> fields;  // decoded fields, in wire order
};

// Why the MCU frame decoder dropped a frame, in one word ("checksum", "length", "stuffing", ...).
const char* mcuFrameErrorName(gagent::proto::McuFrameError reason);

// Decodes a byte stream of one protocol: MCU serial frames (stuffing, checksum verdict), LAN packets (TCP
// framing) or MQTT 3.1 packets. Bytes that are not a frame are reported as malformed items, never dropped.
std::vector<DecodedItem> decodeStream(WireProtocol protocol, std::span<const std::uint8_t> bytes);

// "FF FF 00 05 ..." / "ffff0005..." -> bytes; false on a character that is not hex or whitespace, or an odd
// count.
bool parseHex(const std::string& text, std::vector<std::uint8_t>& out, std::string& error);
std::string toHex(std::span<const std::uint8_t> bytes);

// One line per item: "@0 0x05 P0 from MCU sn=67 flags=0000 p0=04017FFF10".
std::string formatItem(const DecodedItem& item);

}  // namespace gizrig::core
