// libFuzzer target for json.h, product.h and p0.h. The first input byte picks what the rest feeds:
//   0: the JSON reader on arbitrary text; a parsed value is written back out (every non-ASCII code point as a
//      \u escape, so surrogate pairs round-trip too) and must re-parse to an equal value and equal text; a
//      failure must carry a message and a line:column inside the input.
//   1: decodeControl with the GoKit demo product (§1.11); on success re-encoding the flagged points gives the
//      input with the unflagged values zeroed (the only bytes a decode may ignore), and decodes again to the
//      same state; on failure the state is untouched.
//   2: decodeStatus with the GoKit product; on success re-encoding gives identical bytes; on failure the
//      state is untouched.
//   3: a product generated from the bytes (attr types, data types, positions), loaded; a loaded product must
//      have a consistent layout and its reports and controls must round-trip.
//   4: loadProduct on arbitrary text: never crashes, a failure always says why.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gagent/proto/json.h"
#include "gagent/proto/p0.h"
#include "gagent/proto/product.h"

using namespace gagent::proto;

namespace {

// The data points of fixtures/products/gokit-demo.json, compacted (the fuzzer reads no files).
constexpr std::string_view kGoKit = R"({"name":"GoKit","product_key":"6f3074fe43894547a4f1314bd7e3ae0b",
"protocolType":"standard","packetVersion":"0x00000004","entities":[{"attrs":[
{"id":0,"name":"LED_OnOff","type":"status_writable","data_type":"bool","position":{"byte_offset":0,"bit_offset":0,"len":1,"unit":"bit"}},
{"id":1,"name":"LED_Color","type":"status_writable","data_type":"enum","enum":["custom","yellow","purple","pink"],"position":{"byte_offset":0,"bit_offset":1,"len":2,"unit":"bit"}},
{"id":2,"name":"LED_R","type":"status_writable","data_type":"uint8","position":{"byte_offset":1,"bit_offset":0,"len":1,"unit":"byte"},"uint_spec":{"min":0,"max":254,"ratio":1,"addition":0}},
{"id":3,"name":"LED_G","type":"status_writable","data_type":"uint8","position":{"byte_offset":2,"bit_offset":0,"len":1,"unit":"byte"},"uint_spec":{"min":0,"max":254,"ratio":1,"addition":0}},
{"id":4,"name":"LED_B","type":"status_writable","data_type":"uint8","position":{"byte_offset":3,"bit_offset":0,"len":1,"unit":"byte"},"uint_spec":{"min":0,"max":254,"ratio":1,"addition":0}},
{"id":5,"name":"Motor_Speed","type":"status_writable","data_type":"uint16","position":{"byte_offset":4,"bit_offset":0,"len":2,"unit":"byte"},"uint_spec":{"min":0,"max":10,"ratio":1,"addition":-5}},
{"id":6,"name":"Infrared","type":"status_readonly","data_type":"bool","position":{"byte_offset":6,"bit_offset":0,"len":1,"unit":"bit"}},
{"id":7,"name":"Temperature","type":"status_readonly","data_type":"uint8","position":{"byte_offset":7,"bit_offset":0,"len":1,"unit":"byte"},"uint_spec":{"min":0,"max":200,"ratio":1,"addition":-13}},
{"id":8,"name":"Humidity","type":"status_readonly","data_type":"uint8","position":{"byte_offset":8,"bit_offset":0,"len":1,"unit":"byte"},"uint_spec":{"min":0,"max":100,"ratio":1,"addition":0}},
{"id":9,"name":"Alert_1","type":"alert","data_type":"bool","position":{"byte_offset":9,"bit_offset":0,"len":1,"unit":"bit"}},
{"id":10,"name":"Alert_2","type":"alert","data_type":"bool","position":{"byte_offset":9,"bit_offset":1,"len":1,"unit":"bit"}},
{"id":11,"name":"Fault_LED","type":"fault","data_type":"bool","position":{"byte_offset":10,"bit_offset":0,"len":1,"unit":"bit"}},
{"id":12,"name":"Fault_Motor","type":"fault","data_type":"bool","position":{"byte_offset":10,"bit_offset":1,"len":1,"unit":"bit"}},
{"id":13,"name":"Fault_TemHum","type":"fault","data_type":"bool","position":{"byte_offset":10,"bit_offset":2,"len":1,"unit":"bit"}},
{"id":14,"name":"Fault_IR","type":"fault","data_type":"bool","position":{"byte_offset":10,"bit_offset":3,"len":1,"unit":"bit"}}]}]})";

void check(bool condition) {
  if (!condition) __builtin_trap();
}

const Product& gokit() {
  static const Product product = [] {
    ProductLoad load = loadProduct(kGoKit);
    check(load.product.has_value());
    return std::move(*load.product);
  }();
  return product;
}

// ---- mode 0: JSON ----

void appendEscape(std::string& out, std::uint32_t unit) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
}

void writeString(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      if (lead == '"' || lead == '\\') {
        out += '\\';
        out += static_cast<char>(lead);
      } else if (lead < 0x20) {
        appendEscape(out, lead);
      } else {
        out += static_cast<char>(lead);
      }
      ++i;
      continue;
    }
    // The reader only produces well-formed UTF-8.
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    check(i + length <= text.size());
    std::uint32_t cp = lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (cp >= 0x10000) {
      appendEscape(out, 0xD800 + ((cp - 0x10000) >> 10));
      appendEscape(out, 0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      appendEscape(out, cp);
    }
    i += length;
  }
  out += '"';
}

void writeJson(std::string& out, const JsonValue& value) {
  switch (value.type) {
    case JsonType::Null:
      out += "null";
      break;
    case JsonType::Bool:
      out += value.boolean ? "true" : "false";
      break;
    case JsonType::Number: {
      char digits[64];
      const auto result = std::to_chars(digits, digits + sizeof digits, value.number);
      check(result.ec == std::errc());
      out.append(digits, result.ptr);
      break;
    }
    case JsonType::String:
      writeString(out, value.string);
      break;
    case JsonType::Array:
      out += '[';
      for (std::size_t i = 0; i < value.array.size(); ++i) {
        if (i > 0) out += ',';
        writeJson(out, value.array[i]);
      }
      out += ']';
      break;
    case JsonType::Object:
      out += '{';
      for (std::size_t i = 0; i < value.members.size(); ++i) {
        if (i > 0) out += ',';
        writeString(out, value.members[i].key);
        out += ':';
        writeJson(out, value.members[i].value);
      }
      out += '}';
      break;
  }
}

bool sameJson(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case JsonType::Null:
      return true;
    case JsonType::Bool:
      return a.boolean == b.boolean;
    case JsonType::Number:
      return a.number == b.number;
    case JsonType::String:
      return a.string == b.string;
    case JsonType::Array:
      if (a.array.size() != b.array.size()) return false;
      for (std::size_t i = 0; i < a.array.size(); ++i) {
        if (!sameJson(a.array[i], b.array[i])) return false;
      }
      return true;
    case JsonType::Object:
      if (a.members.size() != b.members.size()) return false;
      for (std::size_t i = 0; i < a.members.size(); ++i) {
        if (a.members[i].key != b.members[i].key || !sameJson(a.members[i].value, b.members[i].value))
          return false;
      }
      return true;
  }
  return false;
}

void fuzzJson(std::string_view text) {
  const JsonParse parsed = parseJson(text);
  if (!parsed.value) {
    check(!parsed.error.empty() && parsed.error.find(" at ") != std::string::npos);
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    check(parsed.line >= 1 && parsed.line <= lines);
    check(parsed.column >= 1 && parsed.column <= text.size() + 1);
    return;
  }
  check(parsed.error.empty());
  std::string first;
  writeJson(first, *parsed.value);
  const JsonParse again = parseJson(first);
  check(again.value.has_value());
  check(sameJson(*parsed.value, *again.value));
  std::string second;
  writeJson(second, *again.value);
  check(first == second);
}

// ---- modes 1 and 2: P0 with the GoKit product ----

// Clears one point's bits/bytes in an image laid out like dev_status (attr_vals is its writable prefix).
void clearPoint(const Product& product, const Attr& attr, std::vector<std::uint8_t>& image,
                std::size_t base) {
  const Position& p = attr.position;
  if (!attr.isBitPoint()) {
    std::fill_n(image.begin() + static_cast<std::ptrdiff_t>(base + p.byteOffset), p.len, std::uint8_t{0});
    return;
  }
  const GroupLayout& g = product.group(attr.type);
  for (std::size_t bit = p.bitOffset; bit < p.bitOffset + p.len; ++bit) {
    std::uint8_t& byte = image[base + g.begin + g.bitFieldBytes - 1 - bit / 8];
    byte = static_cast<std::uint8_t>(byte & ~(1u << (bit % 8)));
  }
}

// Decodes a control into `state`; on success re-encodes it and checks the bytes (see the file comment).
void controlRoundTrip(const Product& product, Bytes in, P0State& state) {
  const P0State before = state;
  const ControlDecode decoded = decodeControl(in, state);
  if (!decoded.ok()) {
    check(!decoded.error.empty());
    check(state == before);
    return;
  }
  check(decoded.consumed == in.size() && in.size() == product.controlPayloadBytes());
  std::vector<P0Change> changes;
  std::vector<std::uint8_t> expected(in.begin(), in.end());
  const std::size_t valsBase = 1 + product.attrFlagsBytes;
  std::size_t flagged = 0;
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const Attr& attr = product.attrs[i];
    if (attr.type != AttrType::StatusWritable) continue;
    if (decoded.flagged(attr.writableIndex)) {
      ++flagged;
      changes.push_back({attr.name, state.rawAt(i), state.binaryAt(i)});
    } else {
      clearPoint(product, attr, expected, valsBase);
      check(attr.isBinary()
                ? std::equal(state.binaryAt(i).begin(), state.binaryAt(i).end(), before.binaryAt(i).begin())
                : state.rawAt(i) == before.rawAt(i));
    }
  }
  check(flagged == decoded.flaggedCount);
  std::vector<std::uint8_t> out(product.controlPayloadBytes() + 3, 0xEE);
  const P0Result encoded = encodeControl(product, changes, out);
  check(encoded.ok() && encoded.size == expected.size());
  check(std::equal(expected.begin(), expected.end(), out.begin()));
  check(out[encoded.size] == 0xEE);  // nothing written past the payload
  P0State again = before;
  check(decodeControl(Bytes(out).first(encoded.size), again).ok());
  check(again == state);
}

// Decodes a status into `state`; on success re-encodes it and checks the bytes are identical.
void statusRoundTrip(const Product& product, Bytes in, P0State& state) {
  const P0State before = state;
  const P0Decode decoded = decodeStatus(in, state);
  if (!decoded.ok()) {
    check(!decoded.error.empty());
    check(state == before);
    return;
  }
  check(decoded.consumed == in.size() && in.size() == product.statusPayloadBytes());
  std::vector<std::uint8_t> out(product.statusPayloadBytes() + 3, 0xEE);
  const P0Result encoded =
      decoded.action == P0Action::Report ? encodeReport(state, out) : encodeReadReply(state, out);
  check(encoded.ok() && encoded.size == in.size());
  check(std::equal(in.begin(), in.end(), out.begin()));
  check(out[encoded.size] == 0xEE);
  check(!describe(state).empty());
}

// ---- mode 3: generated products ----

class ByteSource {
 public:
  explicit ByteSource(Bytes in) : in_(in) {}
  std::uint8_t next() { return pos_ < in_.size() ? in_[pos_++] : 0; }
  [[nodiscard]] Bytes rest() const { return in_.subspan(std::min(pos_, in_.size())); }

 private:
  Bytes in_;
  std::size_t pos_ = 0;
};

std::string generateProduct(ByteSource& source) {
  static constexpr std::string_view kTypes[] = {"status_writable", "status_readonly", "alert", "fault"};
  static constexpr std::string_view kDataTypes[] = {"bool", "enum", "uint8", "uint16", "uint32", "binary"};
  static constexpr std::uint32_t kNaturalLen[] = {1, 2, 1, 2, 4, 3};
  const std::size_t count = source.next() % 20 + 1;
  std::string json = R"({"name":"gen","protocolType":"standard","packetVersion":4,"entities":[{"attrs":[)";
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t kind = source.next();
    const std::uint8_t shape = source.next();
    const auto dataType = static_cast<std::size_t>(kind % 6);
    const bool bit = dataType <= 1;
    std::uint32_t len = kNaturalLen[dataType];
    if ((shape & 0x80) != 0) len = shape % 5;  // sometimes a wrong length
    const std::uint32_t byteOffset = source.next() % 40;
    const std::uint32_t bitOffset = bit ? source.next() % 24 : 0;
    const std::uint32_t id = (shape & 0x40) != 0 ? source.next() % 32 : static_cast<std::uint32_t>(i);
    const std::uint32_t enumCount = shape % 6 + 1;
    json += i > 0 ? "," : "";
    json += R"({"id":)" + std::to_string(id) + R"(,"name":"p)" + std::to_string(i) + R"(","type":")" +
            std::string(kTypes[(kind >> 3) % 4]) + R"(","data_type":")" + std::string(kDataTypes[dataType]) +
            R"(","position":{"byte_offset":)" + std::to_string(byteOffset) + R"(,"bit_offset":)" +
            std::to_string(bitOffset) + R"(,"len":)" + std::to_string(len) + R"(,"unit":")" +
            (bit != ((shape & 0x20) != 0) ? "bit" : "byte") + R"("})";
    if (dataType == 1) {
      json += R"(,"enum":[)";
      for (std::uint32_t e = 0; e < enumCount; ++e)
        json += (e > 0 ? ",\"e" : "\"e") + std::to_string(e) + "\"";
      json += "]";
    } else if (dataType >= 2 && dataType <= 4) {
      const std::uint32_t min = source.next() % 4;
      const std::uint32_t max = min + source.next();
      json += R"(,"uint_spec":{"min":)" + std::to_string(min) + R"(,"max":)" + std::to_string(max) +
              R"(,"ratio":0.5,"addition":-3})";
    }
    json += "}";
  }
  return json + "]}]}";
}

void checkLayout(const Product& product) {
  check(product.groups[0].begin == 0);
  for (std::size_t g = 0; g < kAttrTypeCount; ++g) {
    const GroupLayout& layout = product.groups[g];
    if (g > 0) check(layout.begin == product.groups[g - 1].end);
    check(layout.bitFieldBytes == (layout.bitFieldBits + 7) / 8);
    check(layout.begin + layout.bitFieldBytes <= layout.end);
  }
  check(product.devStatusBytes == product.groups[kAttrTypeCount - 1].end);
  check(product.devStatusBytes <= kMaxDevStatusBytes);
  check(product.attrFlagsBytes == (product.writableCount + 7) / 8);
  std::size_t writable = 0;
  std::vector<int> used(product.devStatusBytes * 8, 0);  // every dev_status bit belongs to at most one point
  for (const Attr& attr : product.attrs) {
    const GroupLayout& g = product.group(attr.type);
    const Position& p = attr.position;
    if (attr.type == AttrType::StatusWritable) check(attr.writableIndex == writable++);
    std::size_t first = 0, count = 0;
    if (attr.isBitPoint()) {
      check(p.byteOffset == g.begin && p.bitOffset + p.len <= g.bitFieldBits);
      first = g.begin * 8 + p.bitOffset;  // any one-to-one bit numbering will do here
      count = p.len;
    } else {
      check(p.byteOffset >= g.begin + g.bitFieldBytes && p.byteOffset + p.len <= g.end);
      first = p.byteOffset * 8;
      count = p.len * 8;
    }
    for (std::size_t b = first; b < first + count; ++b) check(++used[b] == 1);
  }
  check(writable == product.writableCount);
}

void fuzzGeneratedProduct(Bytes in) {
  ByteSource source(in);
  const std::string json = generateProduct(source);
  const ProductLoad load = loadProduct(json);
  if (!load.product) {
    check(!load.error.empty());
    return;
  }
  const Product& product = *load.product;
  checkLayout(product);

  // Fill a state from the remaining bytes, report it, decode the report, control every writable point.
  P0State mcu(product);
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    const Attr& attr = product.attrs[i];
    if (attr.isBinary()) {
      std::vector<std::uint8_t> value(attr.position.len);
      for (auto& b : value) b = source.next();
      check(mcu.setBinaryAt(i, value).ok());
    } else {
      const std::uint32_t span = attr.uintSpec.max - attr.uintSpec.min;
      const std::uint32_t pick =
          static_cast<std::uint32_t>(source.next()) | (std::uint32_t{source.next()} << 8);
      check(mcu.setRawAt(i, attr.uintSpec.min + (span == 0xFFFFFFFF ? pick : pick % (span + 1))).ok());
      check(toRaw(attr, toDisplay(attr, mcu.rawAt(i)).value).raw == mcu.rawAt(i));
    }
  }
  std::vector<std::uint8_t> status(product.statusPayloadBytes());
  check(encodeReport(mcu, status).ok());
  P0State app(product);
  check(decodeStatus(status, app).ok());
  check(app == mcu);
  statusRoundTrip(product, status, app);

  std::vector<P0Change> changes;
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    if (product.attrs[i].type == AttrType::StatusWritable) {
      changes.push_back({product.attrs[i].name, mcu.rawAt(i), mcu.binaryAt(i)});
    }
  }
  std::vector<std::uint8_t> control(product.controlPayloadBytes());
  check(encodeControl(product, changes, control).ok());
  P0State device(product);
  controlRoundTrip(product, control, device);
  for (std::size_t i = 0; i < product.attrs.size(); ++i) {
    if (product.attrs[i].type != AttrType::StatusWritable) continue;
    check(device.rawAt(i) == mcu.rawAt(i));
    check(std::equal(device.binaryAt(i).begin(), device.binaryAt(i).end(), mcu.binaryAt(i).begin(),
                     mcu.binaryAt(i).end()));
  }
  // Arbitrary bytes of the right lengths against this product too.
  const Bytes rest = source.rest();
  if (rest.size() >= product.statusPayloadBytes()) {
    P0State other(product);
    statusRoundTrip(product, rest.first(product.statusPayloadBytes()), other);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Bytes in(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      fuzzJson(asText(in));
      break;
    case 1: {
      P0State state(gokit());
      controlRoundTrip(gokit(), in, state);
      break;
    }
    case 2: {
      P0State state(gokit());
      statusRoundTrip(gokit(), in, state);
      break;
    }
    case 3:
      fuzzGeneratedProduct(in);
      break;
    default: {
      const ProductLoad load = loadProduct(asText(in));
      check(load.product.has_value() != !load.error.empty());
      if (load.product) checkLayout(*load.product);
      break;
    }
  }
  return 0;
}
