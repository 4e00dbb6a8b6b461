#include "gagent/proto/p0.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gagent::proto {

namespace {

// A raw value must come within this of a whole number when converting a display value back (ratio 0.1
// makes 23.5 -> 234.99999999999997).
constexpr double kRawTolerance = 1e-6;

// Bits of a bit field whose bytes are one big-endian integer: bit k is bit (k % 8) of byte (w - 1 - k / 8).
std::uint32_t readBits(Bytes field, std::size_t first, std::size_t len) {
  std::uint32_t value = 0;
  for (std::size_t k = 0; k < len; ++k) {
    const std::size_t bit = first + k;
    const std::uint8_t byte = field[field.size() - 1 - bit / 8];
    value |= static_cast<std::uint32_t>((byte >> (bit % 8)) & 1u) << k;
  }
  return value;
}

void writeBits(MutableBytes field, std::size_t first, std::size_t len, std::uint32_t value) {
  for (std::size_t k = 0; k < len; ++k) {
    const std::size_t bit = first + k;
    std::uint8_t& byte = field[field.size() - 1 - bit / 8];
    const auto mask = static_cast<std::uint8_t>(1u << (bit % 8));
    byte = static_cast<std::uint8_t>(((value >> k) & 1u) != 0 ? (byte | mask) : (byte & ~mask));
  }
}

std::uint32_t readBigEndian(Bytes bytes) {
  std::uint32_t value = 0;
  for (std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

void writeBigEndian(MutableBytes bytes, std::uint32_t value) {
  for (std::size_t i = bytes.size(); i-- > 0;) {
    bytes[i] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

// `image` is laid out like dev_status (attr_vals is its writable prefix, so it works for both).
std::uint32_t readPoint(const Product& product, const Attr& attr, Bytes image) {
  const Position& p = attr.position;
  if (attr.isBitPoint()) {
    const GroupLayout& g = product.group(attr.type);
    return readBits(image.subspan(g.begin, g.bitFieldBytes), p.bitOffset, p.len);
  }
  return readBigEndian(image.subspan(p.byteOffset, p.len));
}

void writePoint(const Product& product, const Attr& attr, MutableBytes image, std::uint32_t raw) {
  const Position& p = attr.position;
  if (attr.isBitPoint()) {
    const GroupLayout& g = product.group(attr.type);
    writeBits(image.subspan(g.begin, g.bitFieldBytes), p.bitOffset, p.len, raw);
  } else {
    writeBigEndian(image.subspan(p.byteOffset, p.len), raw);
  }
}

P0Message attrMessage(const Attr& attr) {
  P0Message message;
  message.add("attr '").add(attr.name).add("': ");
  return message;
}

P0Message unknownAttr(std::string_view name) {
  P0Message message;
  message.add("unknown attr '").add(name).add("'");
  return message;
}

// Padding bits of every bit field in `groups` must be 0; returns the error for the first one set.
P0Message checkPadding(const Product& product, Bytes image, std::size_t groups) {
  P0Message message;
  for (std::size_t g = 0; g < groups; ++g) {
    const GroupLayout& layout = product.groups[g];
    const Bytes field = image.subspan(layout.begin, layout.bitFieldBytes);
    for (std::size_t bit = layout.bitFieldBits; bit < layout.bitFieldBytes * 8; ++bit) {
      if (readBits(field, bit, 1) != 0) {
        message.add("unused bit ").addUint(bit).add(" of the ").add(attrTypeName(static_cast<AttrType>(g)));
        message.add(" bit field is set");
        return message;
      }
    }
  }
  return message;
}

P0Message wrongAction(std::uint8_t got, std::string_view expected) {
  P0Message message;
  message.add("expected action ").add(expected).add(", got ").addHex8(got);
  return message;
}

P0Message tooSmall(std::size_t need, std::size_t have) {
  P0Message message;
  message.add("output buffer too small: need ").addUint(need).add(" bytes, have ").addUint(have);
  return message;
}

void writeStatusImage(const P0State& state, MutableBytes image) {
  const Product& product = state.product();
  std::fill(image.begin(), image.end(), std::uint8_t{0});
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const Attr& attr = product.attrs[i];
    if (attr.isBinary()) {
      const Bytes value = state.binaryAt(i);
      std::copy(value.begin(), value.end(), image.begin() + attr.position.byteOffset);
    } else {
      writePoint(product, attr, image, state.rawAt(i));
    }
  }
}

P0Result encodeStatus(P0Action action, const P0State& state, MutableBytes out) {
  P0Result result;
  const std::size_t need = state.product().statusPayloadBytes();
  if (out.size() < need) {
    result.error = tooSmall(need, out.size());
    return result;
  }
  out[0] = static_cast<std::uint8_t>(action);
  writeStatusImage(state, out.subspan(1, need - 1));
  result.size = need;
  return result;
}

double displayOf(const Attr& attr, std::uint32_t raw) {
  const UintSpec& spec = attr.uintSpec;
  const double scale = std::pow(10.0, spec.decimals);
  const double value = std::round((spec.ratio * raw + spec.addition) * scale) / scale;
  return value == 0 ? 0.0 : value;  // no "-0"
}

void appendValue(std::string& out, const P0State& state, std::size_t index) {
  const Attr& attr = state.product().attrs[index];
  out += attr.name;
  out += '=';
  if (attr.isBinary()) {
    constexpr std::string_view kHex = "0123456789abcdef";
    for (std::uint8_t b : state.binaryAt(index)) {
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
    return;
  }
  const std::uint32_t raw = state.rawAt(index);
  if (attr.dataType == DataType::Enum && raw < attr.enumNames.size()) {
    out += attr.enumNames[raw];
    return;
  }
  P0Message number;
  number.addNumber(displayOf(attr, raw), attr.uintSpec.decimals);
  out += number.view();
}

}  // namespace

// ---- P0Message ----

P0Message& P0Message::add(std::string_view text) {
  const std::size_t n = std::min(text.size(), text_.size() - size_);
  std::copy_n(text.begin(), n, text_.begin() + size_);
  size_ += n;
  return *this;
}

P0Message& P0Message::addUint(std::uint64_t value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  return add({digits.data(), static_cast<std::size_t>(end - digits.data())});
}

P0Message& P0Message::addInt(std::int64_t value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  return add({digits.data(), static_cast<std::size_t>(end - digits.data())});
}

P0Message& P0Message::addHex8(std::uint8_t value) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  const std::array<char, 2> digits{kHex[value >> 4], kHex[value & 0x0F]};
  return add({digits.data(), digits.size()});
}

P0Message& P0Message::addNumber(double value, int decimals) {
  std::array<char, 64> digits{};
  if (value == 0) value = 0.0;
  const auto result = decimals >= 0 ? std::to_chars(digits.data(), digits.data() + digits.size(), value,
                                                    std::chars_format::fixed, decimals)
                                    : std::to_chars(digits.data(), digits.data() + digits.size(), value);
  if (result.ec != std::errc()) return add("?");
  return add({digits.data(), static_cast<std::size_t>(result.ptr - digits.data())});
}

// ---- conversions ----

bool isFlagged(Bytes attrFlags, std::size_t writableIndex) {
  if (writableIndex / 8 >= attrFlags.size()) return false;
  return ((attrFlags[attrFlags.size() - 1 - writableIndex / 8] >> (writableIndex % 8)) & 1u) != 0;
}

P0Result checkRaw(const Attr& attr, std::uint32_t raw) {
  P0Result result;
  const UintSpec& spec = attr.uintSpec;
  switch (attr.dataType) {
    case DataType::Binary:
      result.error = attrMessage(attr).add("binary point has no raw value");
      break;
    case DataType::Bool:
      if (raw > 1) result.error = attrMessage(attr).add("bool value ").addUint(raw).add(" out of range 0..1");
      break;
    case DataType::Enum:
      if (raw >= attr.enumNames.size()) {
        result.error = attrMessage(attr).add("enum value ").addUint(raw).add(" out of range (");
        result.error.addUint(attr.enumNames.size()).add(" names)");
      }
      break;
    default:
      if (raw < spec.min || raw > spec.max) {
        result.error =
            attrMessage(attr).add("raw ").addUint(raw).add(" outside ").addUint(spec.min).add("..");
        result.error.addUint(spec.max);
      }
      break;
  }
  return result;
}

P0Display toDisplay(const Attr& attr, std::uint32_t raw) {
  P0Display result;
  P0Result check = checkRaw(attr, raw);
  if (!check.ok()) {
    result.error = check.error;
    return result;
  }
  result.value = displayOf(attr, raw);
  return result;
}

P0Raw toRaw(const Attr& attr, double display) {
  P0Raw result;
  const UintSpec& spec = attr.uintSpec;
  if (attr.isBinary()) {
    result.error = attrMessage(attr).add("binary point has no display value");
    return result;
  }
  if (!std::isfinite(display)) {
    result.error = attrMessage(attr).add("display value is not finite");
    return result;
  }
  const double exact = (display - spec.addition) / spec.ratio;
  const double whole = std::round(exact);
  if (std::fabs(exact - whole) > kRawTolerance) {
    result.error = attrMessage(attr).add("display ").addNumber(display).add(" is not a multiple of ratio ");
    result.error.addNumber(spec.ratio).add(" from addition ").addNumber(spec.addition);
    return result;
  }
  if (whole < spec.min || whole > spec.max) {
    result.error = attrMessage(attr).add("display ").addNumber(display).add(" outside ");
    result.error.addNumber(displayOf(attr, spec.min), spec.decimals).add("..");
    result.error.addNumber(displayOf(attr, spec.max), spec.decimals);
    return result;
  }
  result.raw = static_cast<std::uint32_t>(whole);
  return result;
}

// ---- P0State ----

P0State::P0State(const Product& product)
    : product_(&product), raw_(product.attrs.size(), 0), binary_(product.binaryBytes, 0) {
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    if (!product.attrs[i].isBinary()) raw_[i] = product.attrs[i].uintSpec.min;
  }
}

std::uint32_t P0State::rawAt(std::size_t attr) const {
  return attr < raw_.size() && !product_->attrs[attr].isBinary() ? raw_[attr] : 0;
}

Bytes P0State::binaryAt(std::size_t attr) const {
  if (attr >= raw_.size() || !product_->attrs[attr].isBinary()) return {};
  const Attr& a = product_->attrs[attr];
  return Bytes(binary_).subspan(a.binaryOffset, a.position.len);
}

P0Result P0State::setRawAt(std::size_t attr, std::uint32_t raw) {
  P0Result result;
  if (attr >= raw_.size()) {
    result.error.add("no attr #").addUint(attr);
    return result;
  }
  result = checkRaw(product_->attrs[attr], raw);
  if (result.ok()) raw_[attr] = raw;
  return result;
}

P0Result P0State::setBinaryAt(std::size_t attr, Bytes value) {
  P0Result result;
  if (attr >= raw_.size()) {
    result.error.add("no attr #").addUint(attr);
    return result;
  }
  const Attr& a = product_->attrs[attr];
  if (!a.isBinary()) {
    result.error = attrMessage(a).add("not a binary point");
  } else if (value.size() != a.position.len) {
    result.error =
        attrMessage(a).add("needs ").addUint(a.position.len).add(" binary bytes, got ").addUint(value.size());
  } else {
    std::copy(value.begin(), value.end(), binary_.begin() + static_cast<std::ptrdiff_t>(a.binaryOffset));
  }
  return result;
}

std::optional<std::uint32_t> P0State::raw(std::string_view name) const {
  const auto index = product_->indexOf(name);
  if (!index || product_->attrs[*index].isBinary()) return std::nullopt;
  return raw_[*index];
}

std::optional<double> P0State::display(std::string_view name) const {
  const auto index = product_->indexOf(name);
  if (!index || product_->attrs[*index].isBinary()) return std::nullopt;
  return displayOf(product_->attrs[*index], raw_[*index]);
}

std::optional<std::string_view> P0State::enumName(std::string_view name) const {
  const auto index = product_->indexOf(name);
  if (!index || product_->attrs[*index].dataType != DataType::Enum) return std::nullopt;
  return product_->attrs[*index].enumNames[raw_[*index]];
}

Bytes P0State::binary(std::string_view name) const {
  const auto index = product_->indexOf(name);
  return index ? binaryAt(*index) : Bytes{};
}

P0Result P0State::setRaw(std::string_view name, std::uint32_t value) {
  const auto index = product_->indexOf(name);
  if (!index) return {0, unknownAttr(name)};
  return setRawAt(*index, value);
}

P0Result P0State::setDisplay(std::string_view name, double value) {
  const auto index = product_->indexOf(name);
  if (!index) return {0, unknownAttr(name)};
  P0Raw raw = toRaw(product_->attrs[*index], value);
  if (!raw.ok()) return {0, raw.error};
  return setRawAt(*index, raw.raw);
}

P0Result P0State::setEnum(std::string_view name, std::string_view valueName) {
  const auto index = product_->indexOf(name);
  if (!index) return {0, unknownAttr(name)};
  const Attr& attr = product_->attrs[*index];
  P0Result result;
  if (attr.dataType != DataType::Enum) {
    result.error = attrMessage(attr).add("not an enum");
    return result;
  }
  const auto it = std::find(attr.enumNames.begin(), attr.enumNames.end(), valueName);
  if (it == attr.enumNames.end()) {
    result.error = attrMessage(attr).add("no enum value named '").add(valueName).add("'");
    return result;
  }
  raw_[*index] = static_cast<std::uint32_t>(it - attr.enumNames.begin());
  return result;
}

P0Result P0State::setBinary(std::string_view name, Bytes value) {
  const auto index = product_->indexOf(name);
  if (!index) return {0, unknownAttr(name)};
  return setBinaryAt(*index, value);
}

bool P0State::operator==(const P0State& other) const {
  return product_ == other.product_ && raw_ == other.raw_ && binary_ == other.binary_;
}

// ---- encoders ----

P0Result encodeControl(const Product& product, std::span<const P0Change> changes, MutableBytes out) {
  P0Result result;
  const std::size_t need = product.controlPayloadBytes();
  if (out.size() < need) {
    result.error = tooSmall(need, out.size());
    return result;
  }
  std::fill_n(out.begin(), need, std::uint8_t{0});
  out[0] = static_cast<std::uint8_t>(P0Action::Control);
  const MutableBytes flags = out.subspan(1, product.attrFlagsBytes);
  const MutableBytes vals = out.subspan(1 + product.attrFlagsBytes, product.attrValsBytes());
  for (const P0Change& change : changes) {
    const auto index = product.indexOf(change.name);
    if (!index) {
      result.error = unknownAttr(change.name);
      return result;
    }
    const Attr& attr = product.attrs[*index];
    if (attr.type != AttrType::StatusWritable) {
      result.error = attrMessage(attr).add("not writable (").add(attrTypeName(attr.type)).add(")");
      return result;
    }
    if (isFlagged(flags, attr.writableIndex)) {
      result.error = attrMessage(attr).add("changed twice");
      return result;
    }
    if (attr.isBinary()) {
      if (change.binary.size() != attr.position.len) {
        result.error = attrMessage(attr).add("needs ").addUint(attr.position.len).add(" binary bytes, got ");
        result.error.addUint(change.binary.size());
        return result;
      }
      std::copy(change.binary.begin(), change.binary.end(), vals.begin() + attr.position.byteOffset);
    } else {
      result = checkRaw(attr, change.raw);
      if (!result.ok()) return result;
      writePoint(product, attr, vals, change.raw);
    }
    writeBits(flags, attr.writableIndex, 1, 1);
  }
  result.size = need;
  return result;
}

P0Result encodeRead(MutableBytes out) {
  P0Result result;
  if (out.empty()) {
    result.error = tooSmall(1, 0);
    return result;
  }
  out[0] = static_cast<std::uint8_t>(P0Action::Read);
  result.size = 1;
  return result;
}

P0Result encodeReadReply(const P0State& state, MutableBytes out) {
  return encodeStatus(P0Action::ReadReply, state, out);
}

P0Result encodeReport(const P0State& state, MutableBytes out) {
  return encodeStatus(P0Action::Report, state, out);
}

// ---- decoders ----

P0Decode decodeRead(Bytes p0) {
  P0Decode result;
  if (p0.empty()) {
    result.error.add("empty P0 payload");
  } else if (p0[0] != static_cast<std::uint8_t>(P0Action::Read)) {
    result.error = wrongAction(p0[0], "02 (read)");
  } else if (p0.size() != 1) {
    result.error.add("wrong length: read is 1 byte, got ").addUint(p0.size());
  } else {
    result.status = ParseStatus::Ok;
    result.consumed = 1;
  }
  return result;
}

ControlDecode decodeControl(Bytes p0, P0State& state) {
  ControlDecode result;
  const Product& product = state.product();
  if (p0.empty()) {
    result.error.add("empty P0 payload");
    return result;
  }
  if (p0[0] != static_cast<std::uint8_t>(P0Action::Control)) {
    result.error = wrongAction(p0[0], "01 (control)");
    return result;
  }
  if (p0.size() != product.controlPayloadBytes()) {
    result.error.add("wrong length: control needs ")
        .addUint(product.controlPayloadBytes())
        .add(" bytes (action + ");
    result.error.addUint(product.attrFlagsBytes).add(" attr_flags + ").addUint(product.attrValsBytes());
    result.error.add(" attr_vals), got ").addUint(p0.size());
    return result;
  }
  const Bytes flags = p0.subspan(1, product.attrFlagsBytes);
  const Bytes vals = p0.subspan(1 + product.attrFlagsBytes);
  for (std::size_t bit = product.writableCount; bit < flags.size() * 8; ++bit) {
    if (isFlagged(flags, bit)) {
      result.error.add("attr_flags bit ").addUint(bit).add(" is set but there are only ");
      result.error.addUint(product.writableCount).add(" writable attrs");
      return result;
    }
  }
  result.error = checkPadding(product, vals, 1);
  if (!result.error.empty()) return result;
  std::size_t flagged = 0;
  for (const Attr& attr : product.attrs) {
    if (attr.type != AttrType::StatusWritable || !isFlagged(flags, attr.writableIndex)) continue;
    ++flagged;
    if (attr.isBinary()) continue;
    P0Result check = checkRaw(attr, readPoint(product, attr, vals));
    if (!check.ok()) {
      result.error = check.error;
      return result;
    }
  }
  // Valid: apply the flagged values.
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const Attr& attr = product.attrs[i];
    if (attr.type != AttrType::StatusWritable || !isFlagged(flags, attr.writableIndex)) continue;
    if (attr.isBinary()) {
      const Bytes value = vals.subspan(attr.position.byteOffset, attr.position.len);
      std::copy(value.begin(), value.end(),
                state.binary_.begin() + static_cast<std::ptrdiff_t>(attr.binaryOffset));
    } else {
      state.raw_[i] = readPoint(product, attr, vals);
    }
  }
  result.status = ParseStatus::Ok;
  result.consumed = p0.size();
  result.attrFlags = flags;
  result.flaggedCount = flagged;
  return result;
}

P0Decode decodeStatus(Bytes p0, P0State& state) {
  P0Decode result;
  const Product& product = state.product();
  if (p0.empty()) {
    result.error.add("empty P0 payload");
    return result;
  }
  if (p0[0] != static_cast<std::uint8_t>(P0Action::ReadReply) &&
      p0[0] != static_cast<std::uint8_t>(P0Action::Report)) {
    result.error = wrongAction(p0[0], "03 (read reply) or 04 (report)");
    return result;
  }
  if (p0.size() != product.statusPayloadBytes()) {
    result.error.add("wrong length: status needs ")
        .addUint(product.statusPayloadBytes())
        .add(" bytes (action + ");
    result.error.addUint(product.devStatusBytes).add(" dev_status), got ").addUint(p0.size());
    return result;
  }
  const Bytes image = p0.subspan(1);
  result.error = checkPadding(product, image, kAttrTypeCount);
  if (!result.error.empty()) return result;
  for (const Attr& attr : product.attrs) {
    if (attr.isBinary()) continue;
    P0Result check = checkRaw(attr, readPoint(product, attr, image));
    if (!check.ok()) {
      result.error = check.error;
      return result;
    }
  }
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const Attr& attr = product.attrs[i];
    if (attr.isBinary()) {
      const Bytes value = image.subspan(attr.position.byteOffset, attr.position.len);
      std::copy(value.begin(), value.end(),
                state.binary_.begin() + static_cast<std::ptrdiff_t>(attr.binaryOffset));
    } else {
      state.raw_[i] = readPoint(product, attr, image);
    }
  }
  result.status = ParseStatus::Ok;
  result.consumed = p0.size();
  result.action = static_cast<P0Action>(p0[0]);
  return result;
}

// ---- views ----

std::string describe(const P0State& state) {
  std::string out;
  for (std::size_t i = 0; i < state.product().attrs.size(); ++i) {
    if (i > 0) out += ' ';
    appendValue(out, state, i);
  }
  return out;
}

std::string describeFlagged(const P0State& state, const ControlDecode& control) {
  std::string out;
  const auto& attrs = state.product().attrs;
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (attrs[i].type != AttrType::StatusWritable || !control.flagged(attrs[i].writableIndex)) continue;
    if (!out.empty()) out += ' ';
    appendValue(out, state, i);
  }
  return out;
}

}  // namespace gagent::proto
