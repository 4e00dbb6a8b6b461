#pragma once
// Fixed-length ("standard") P0 business payloads (§1.11) for a loaded Product (layout rules: product.h).
// The firmware forwards P0 opaquely; the rig uses this to behave as a real MCU (keep data-point state,
// answer reads, report) and as a real app (build controls, decode reports).
//
// P0State allocates once, when it is made from a Product; after that nothing here allocates except
// describe(): encoders write into caller buffers, decoders read caller bytes, errors are fixed-size text.
// Decoders are strict and all-or-nothing (the state changes only when the whole payload is valid): exact
// length, known action, values in range (enum index, uint_spec min..max), padding bits of bit fields zero,
// no attr_flags bit without a writable point. Values of unflagged points in a control are ignored, as a real
// MCU does ("only the values whose flag is set are meaningful", §1.11).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gagent/proto/bytes.h"
#include "gagent/proto/product.h"

namespace gagent::proto {

// §1.11 action byte (fixed-length variants; var-len 0x11..0x14 are not supported).
enum class P0Action : std::uint8_t {
  Control = 0x01,
  Read = 0x02,
  ReadReply = 0x03,
  Report = 0x04,
  PassThroughToMcu = 0x05,
  PassThroughFromMcu = 0x06,
};

inline constexpr std::size_t kP0MessageCapacity = 128;

// Error text in a fixed buffer (longer messages are cut), so failing never allocates.
class P0Message {
 public:
  [[nodiscard]] std::string_view view() const { return {text_.data(), size_}; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  P0Message& add(std::string_view text);
  P0Message& addUint(std::uint64_t value);
  P0Message& addInt(std::int64_t value);
  P0Message& addHex8(std::uint8_t value);  // two upper-case hex digits
  // Shortest round-trip form, or exactly `decimals` fraction digits when decimals >= 0.
  P0Message& addNumber(double value, int decimals = -1);

 private:
  std::array<char, kP0MessageCapacity> text_{};
  std::size_t size_ = 0;
};

// Outcome of a setter, a conversion or an encoder. size = bytes written (encoders).
struct [[nodiscard]] P0Result {
  std::size_t size = 0;
  P0Message error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// Outcome of decodeRead/decodeStatus. P0 payloads arrive whole (their length comes from the enclosing
// frame), so the status is Ok or Malformed, never NeedMore.
struct [[nodiscard]] P0Decode {
  ParseStatus status = ParseStatus::Malformed;
  std::size_t consumed = 0;
  P0Action action = P0Action::Read;
  P0Message error;
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
};

// flag i of an attr_flags field (a big-endian integer): bit (i % 8) of byte (width - 1 - i / 8).
[[nodiscard]] bool isFlagged(Bytes attrFlags, std::size_t writableIndex);

struct [[nodiscard]] ControlDecode {
  ParseStatus status = ParseStatus::Malformed;
  std::size_t consumed = 0;
  P0Message error;
  Bytes attrFlags;  // view into the decoded payload: valid while it is
  std::size_t flaggedCount = 0;
  [[nodiscard]] bool ok() const { return status == ParseStatus::Ok; }
  [[nodiscard]] bool flagged(std::size_t writableIndex) const { return isFlagged(attrFlags, writableIndex); }
};

struct [[nodiscard]] P0Display {
  double value = 0;
  P0Message error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

struct [[nodiscard]] P0Raw {
  std::uint32_t raw = 0;
  P0Message error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// Raw range check: bool 0..1, enum 0..names-1, numbers uint_spec.min..max; binary points have no raw value.
[[nodiscard]] P0Result checkRaw(const Attr& attr, std::uint32_t raw);
// display = ratio * raw + addition, rounded to the decimals ratio/addition imply; raw is range-checked.
[[nodiscard]] P0Display toDisplay(const Attr& attr, std::uint32_t raw);
// raw = (display - addition) / ratio; must land on a whole raw value (within 1e-6) inside uint_spec.
[[nodiscard]] P0Raw toRaw(const Attr& attr, double display);

// The values of every data point of one device: raw unsigned integers, and bytes for binary points.
// Starts at raw = uint_spec.min (0 for bool/enum) and all-zero binary. Setters reject values out of range,
// so a P0State always encodes. The Product must outlive the state.
class P0State {
 public:
  explicit P0State(const Product& product);

  [[nodiscard]] const Product& product() const { return *product_; }

  // By index into Product::attrs.
  [[nodiscard]] std::uint32_t rawAt(std::size_t attr) const;  // 0 for binary points or a bad index
  [[nodiscard]] Bytes binaryAt(std::size_t attr) const;       // empty for non-binary points
  [[nodiscard]] P0Result setRawAt(std::size_t attr, std::uint32_t raw);
  [[nodiscard]] P0Result setBinaryAt(std::size_t attr, Bytes value);  // exactly position.len bytes

  // By data-point name.
  [[nodiscard]] std::optional<std::uint32_t> raw(std::string_view name) const;
  [[nodiscard]] std::optional<double> display(std::string_view name) const;
  [[nodiscard]] std::optional<std::string_view> enumName(std::string_view name) const;
  [[nodiscard]] Bytes binary(std::string_view name) const;
  [[nodiscard]] P0Result setRaw(std::string_view name, std::uint32_t raw);
  [[nodiscard]] P0Result setDisplay(std::string_view name, double display);
  [[nodiscard]] P0Result setEnum(std::string_view name, std::string_view valueName);
  [[nodiscard]] P0Result setBinary(std::string_view name, Bytes value);

  // Same product object and same values.
  [[nodiscard]] bool operator==(const P0State& other) const;

 private:
  // The decoders validate a whole payload first, then store its values directly.
  friend ControlDecode decodeControl(Bytes p0, P0State& state);
  friend P0Decode decodeStatus(Bytes p0, P0State& state);

  const Product* product_;
  std::vector<std::uint32_t> raw_;    // per attr
  std::vector<std::uint8_t> binary_;  // all binary points, at Attr::binaryOffset
};

// One writable point to change in a control: raw for bool/enum/number points, binary for binary points.
struct P0Change {
  std::string_view name;
  std::uint32_t raw = 0;
  Bytes binary{};
};

// 01 + attr_flags + attr_vals with the changed points flagged; unflagged values are written as 0.
// On error nothing useful is in `out`.
[[nodiscard]] P0Result encodeControl(const Product& product, std::span<const P0Change> changes,
                                     MutableBytes out);
// 02
[[nodiscard]] P0Result encodeRead(MutableBytes out);
// 03 + dev_status (the MCU's answer to a read, carried in the 0x04 ACK)
[[nodiscard]] P0Result encodeReadReply(const P0State& state, MutableBytes out);
// 04 + dev_status (the MCU's report, in 0x05)
[[nodiscard]] P0Result encodeReport(const P0State& state, MutableBytes out);

// Exactly `02`.
[[nodiscard]] P0Decode decodeRead(Bytes p0);
// MCU side: a control; applies the flagged values to `state` (whose product defines the layout).
[[nodiscard]] ControlDecode decodeControl(Bytes p0, P0State& state);
// App side: a 03 read reply or a 04 report; replaces every value of `state`.
[[nodiscard]] P0Decode decodeStatus(Bytes p0, P0State& state);

// "LED_OnOff=1 LED_Color=yellow LED_R=0 ... Motor_Speed=-5 ..." in attr order: bool 0/1, enum names,
// numbers as display values, binary as lower-case hex. For the rig's decoded views (allocates).
[[nodiscard]] std::string describe(const P0State& state);
// Only the points a decoded control flagged, e.g. "LED_R=17".
[[nodiscard]] std::string describeFlagged(const P0State& state, const ControlDecode& control);

}  // namespace gagent::proto
