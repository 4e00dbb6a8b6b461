#pragma once
// A Gizwits product definition (the JSON the Gizwits console exports) reduced to what the fixed-length
// ("standard") P0 payload needs (§1.11). Loading is set-up work: the model owns strings/vectors. Errors come
// back as text, never as exceptions. No file I/O here: the rig reads the file and passes its text.
//
// Accepted JSON: top-level "name", optional "product_key" (32 lowercase hex digits), "protocolType"
// ("standard"; "var_len" is not supported), "packetVersion" ("0x00000004" or a number) and
// "entities": [ { "attrs": [...] } ] (exactly one entity). Each attr: "id", "name" (letters, digits, '_'),
// optional "display_name", "type" (status_writable | status_readonly | alert | fault), "data_type" (bool |
// enum | uint8 | uint16 | uint32 | binary), "position" {byte_offset, bit_offset, len, unit: bit|byte},
// "enum": [names] for enums, "uint_spec" {min, max, ratio, addition} for numbers. Other keys are ignored.
//
// Layout convention (what the loader checks and p0.h implements):
// - Attrs are ordered by "id" (unique); in that order the groups must come writable, read-only, alert, fault.
// - dev_status = the writable, read-only, alert and fault groups back to back, in that order, no gaps.
// - A group with bool/enum points starts with a bit field: its bytes are one big-endian integer and
//   bit_offset counts from that integer's least significant bit. Bit points have unit "bit", byte_offset =
//   the first byte of their group's bit field, and fill the bit field from bit 0 without gaps; the field is
//   ceil(bits / 8) bytes. bool has len 1; an enum with len n holds at most 2^n names.
// - Byte points (uint8/16/32: len 1/2/4; binary: len >= 1) have unit "byte", bit_offset 0, and follow the
//   bit field without gaps; byte_offset is absolute within dev_status; numbers are unsigned big-endian.
// - uint_spec.min/max bound the raw (wire) value; display = ratio * raw + addition.
// - attr_vals (control) = the writable group's bytes (it starts dev_status, so offsets are the same).
// - attr_flags = ceil(n_writable / 8) bytes, a big-endian integer: flag i (i = index in the writable list,
//   in id order) is bit (i % 8) of byte (width - 1 - i / 8).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gagent::proto {

// P0 = action + dev_status must fit GAgent's 4 KiB packet buffer (§1.2).
inline constexpr std::size_t kMaxDevStatusBytes = 4095;

// The four data-point groups, in dev_status order.
enum class AttrType : std::uint8_t { StatusWritable, StatusReadonly, Alert, Fault };
inline constexpr std::size_t kAttrTypeCount = 4;

enum class DataType : std::uint8_t { Bool, Enum, Uint8, Uint16, Uint32, Binary };

enum class PositionUnit : std::uint8_t { Bit, Byte };

struct Position {
  std::uint32_t byteOffset = 0;
  std::uint32_t bitOffset = 0;
  std::uint32_t len = 0;  // bits for unit Bit, bytes for unit Byte
  PositionUnit unit = PositionUnit::Byte;
};

// Raw range and display conversion of a number point; bool/enum use {0, count-1, 1, 0}.
struct UintSpec {
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  double ratio = 1;
  double addition = 0;
  int decimals = 0;  // fraction digits display values need (from ratio and addition), for formatting
};

struct Attr {
  std::uint32_t id = 0;
  std::string name;
  std::string displayName;
  AttrType type = AttrType::StatusWritable;
  DataType dataType = DataType::Bool;
  Position position;
  std::vector<std::string> enumNames;  // enum points only
  UintSpec uintSpec;
  std::size_t writableIndex = 0;  // attr_flags bit index (writable points only)
  std::size_t binaryOffset = 0;   // offset in P0State's binary store (binary points only)

  [[nodiscard]] bool isBitPoint() const { return position.unit == PositionUnit::Bit; }
  [[nodiscard]] bool isBinary() const { return dataType == DataType::Binary; }
};

// Where one group sits in dev_status: [begin, end), its bit field is [begin, begin + bitFieldBytes) of which
// bits 0..bitFieldBits-1 are used (the rest is padding in the most significant byte, always 0 on the wire).
struct GroupLayout {
  std::size_t begin = 0;
  std::size_t bitFieldBytes = 0;
  std::size_t bitFieldBits = 0;
  std::size_t end = 0;
};

struct Product {
  std::string name;
  std::string productKey;  // empty when the JSON has none
  std::uint32_t packetVersion = 0;
  std::vector<Attr> attrs;  // in id order: writable, read-only, alert, fault
  std::array<GroupLayout, kAttrTypeCount> groups{};
  std::size_t writableCount = 0;
  std::size_t devStatusBytes = 0;
  std::size_t attrFlagsBytes = 0;  // ceil(writableCount / 8)
  std::size_t binaryBytes = 0;     // sum of the binary points' lengths

  [[nodiscard]] std::size_t attrValsBytes() const { return groups[0].end; }
  // Lengths of whole P0 payloads: 01 + attr_flags + attr_vals, and 03/04 + dev_status.
  [[nodiscard]] std::size_t controlPayloadBytes() const { return 1 + attrFlagsBytes + attrValsBytes(); }
  [[nodiscard]] std::size_t statusPayloadBytes() const { return 1 + devStatusBytes; }
  [[nodiscard]] const GroupLayout& group(AttrType type) const {
    return groups[static_cast<std::size_t>(type)];
  }

  // Index into attrs of the point called `name`, or nullopt.
  [[nodiscard]] std::optional<std::size_t> indexOf(std::string_view name) const;
  [[nodiscard]] const Attr* find(std::string_view name) const;
};

struct ProductLoad {
  std::optional<Product> product;  // set on success
  std::string error;               // one precise message on failure, naming the attr
};

[[nodiscard]] ProductLoad loadProduct(std::string_view jsonText);

// JSON spellings, for messages and views: "status_writable", "uint16", ...
[[nodiscard]] std::string_view attrTypeName(AttrType type);
[[nodiscard]] std::string_view dataTypeName(DataType type);

}  // namespace gagent::proto
