#include "gagent/proto/product.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "gagent/proto/json.h"

namespace gagent::proto {

namespace {

constexpr std::size_t kProductKeyLength = 32;
constexpr std::uint32_t kMaxEnumBits = 32;  // enum values are stored as 32-bit raw values
constexpr int kMaxDecimals = 9;

constexpr std::array<std::string_view, kAttrTypeCount> kAttrTypeNames = {"status_writable", "status_readonly",
                                                                         "alert", "fault"};
constexpr std::array<std::string_view, 6> kDataTypeNames = {"bool",   "enum",   "uint8",
                                                            "uint16", "uint32", "binary"};

template <std::size_t N>
std::optional<std::size_t> lookup(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

std::string quote(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// "byte 4" or "bytes 4..5" (same for bits).
std::string span(std::string_view unit, std::uint64_t first, std::uint64_t last) {
  if (first == last) return std::string(unit) + " " + std::to_string(first);
  return std::string(unit) + "s " + std::to_string(first) + ".." + std::to_string(last);
}

std::string formatNumber(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  std::string text = std::to_string(value);  // fixed, 6 decimals: trim trailing zeros
  while (!text.empty() && text.back() == '0') text.pop_back();
  return text;
}

// Fraction digits `value` needs (0.1 -> 1, -13 -> 0, 0.25 -> 2).
int decimalsOf(double value) {
  double scale = 1;
  for (int d = 0; d < kMaxDecimals; ++d, scale *= 10) {
    const double scaled = value * scale;
    if (std::fabs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, std::fabs(scaled))) return d;
  }
  return kMaxDecimals;
}

bool isLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isIdentifier(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

std::uint64_t maxRawOf(DataType type) {
  switch (type) {
    case DataType::Uint8:
      return 0xFF;
    case DataType::Uint16:
      return 0xFFFF;
    default:
      return 0xFFFFFFFF;
  }
}

std::uint32_t byteLengthOf(DataType type) {
  switch (type) {
    case DataType::Uint8:
      return 1;
    case DataType::Uint16:
      return 2;
    default:
      return 4;
  }
}

// Reads the fields of one JSON object, producing messages prefixed with `where` ("attr 'X': ").
class Fields {
 public:
  Fields(const JsonValue& object, std::string where, std::string path = {})
      : object_(object), where_(std::move(where)), path_(std::move(path)) {}

  [[nodiscard]] const std::string& error() const { return error_; }

  const JsonValue* require(std::string_view key) {
    const JsonValue* value = object_.find(key);
    if (value == nullptr) fail("missing " + quote(path_ + std::string(key)));
    return value;
  }

  std::optional<std::string> string(std::string_view key, bool nonEmpty) {
    const JsonValue* value = require(key);
    if (value == nullptr) return std::nullopt;
    if (!value->isString() || (nonEmpty && value->string.empty())) {
      fail(quote(path_ + std::string(key)) +
           (nonEmpty ? " must be a non-empty string" : " must be a string"));
      return std::nullopt;
    }
    return value->string;
  }

  std::optional<std::uint32_t> unsignedInt(std::string_view key) {
    const JsonValue* value = require(key);
    if (value == nullptr) return std::nullopt;
    const auto integer = value->asInteger();
    if (!integer || *integer < 0 || *integer > std::numeric_limits<std::uint32_t>::max()) {
      fail(quote(path_ + std::string(key)) + " must be an integer 0..4294967295");
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(*integer);
  }

  std::optional<double> number(std::string_view key) {
    const JsonValue* value = require(key);
    if (value == nullptr) return std::nullopt;
    if (!value->isNumber()) {
      fail(quote(path_ + std::string(key)) + " must be a number");
      return std::nullopt;
    }
    return value->number;
  }

  const JsonValue* object(std::string_view key) {
    const JsonValue* value = require(key);
    if (value != nullptr && !value->isObject()) {
      fail(quote(path_ + std::string(key)) + " must be an object");
      return nullptr;
    }
    return value;
  }

  void fail(std::string message) {
    if (error_.empty()) error_ = where_ + std::move(message);
  }

 private:
  const JsonValue& object_;
  std::string where_;
  std::string path_;
  std::string error_;
};

std::string attrWhere(std::string_view name) {
  return "attr '" + std::string(name) + "': ";
}

// Reads one attr (everything but the layout, which needs all attrs). Returns an error message or "".
std::string readAttr(const JsonValue& json, std::size_t index, Attr& attr) {
  if (!json.isObject()) return "attrs[" + std::to_string(index) + "] must be an object";
  {
    Fields fields(json, "attrs[" + std::to_string(index) + "]: ");
    const auto name = fields.string("name", true);
    if (!name) return fields.error();
    attr.name = *name;
  }
  const std::string where = attrWhere(attr.name);
  if (!isIdentifier(attr.name)) return where + "name must be letters, digits and '_'";

  Fields fields(json, where);
  const auto id = fields.unsignedInt("id");
  if (!id) return fields.error();
  attr.id = *id;

  attr.displayName = attr.name;
  if (json.find("display_name") != nullptr) {
    const auto displayName = fields.string("display_name", false);
    if (!displayName) return fields.error();
    attr.displayName = *displayName;
  }

  const auto type = fields.string("type", true);
  if (!type) return fields.error();
  const auto typeIndex = lookup(kAttrTypeNames, *type);
  if (!typeIndex) {
    return where + "unknown type " + quote(*type) +
           " (expected status_writable, status_readonly, alert or fault)";
  }
  attr.type = static_cast<AttrType>(*typeIndex);

  const auto dataType = fields.string("data_type", true);
  if (!dataType) return fields.error();
  const auto dataTypeIndex = lookup(kDataTypeNames, *dataType);
  if (!dataTypeIndex) {
    return where + "unknown data_type " + quote(*dataType) +
           " (expected bool, enum, uint8, uint16, uint32 or binary)";
  }
  attr.dataType = static_cast<DataType>(*dataTypeIndex);

  const JsonValue* positionJson = fields.object("position");
  if (positionJson == nullptr) return fields.error();
  Fields position(*positionJson, where, "position.");
  const auto byteOffset = position.unsignedInt("byte_offset");
  const auto bitOffset = byteOffset ? position.unsignedInt("bit_offset") : std::nullopt;
  const auto len = bitOffset ? position.unsignedInt("len") : std::nullopt;
  const auto unit = len ? position.string("unit", true) : std::nullopt;
  if (!unit) return position.error();
  if (*unit != "bit" && *unit != "byte")
    return where + "unknown position.unit " + quote(*unit) + " (expected bit or byte)";
  attr.position = {*byteOffset, *bitOffset, *len, *unit == "bit" ? PositionUnit::Bit : PositionUnit::Byte};
  const Position& pos = attr.position;
  const std::string_view typeName = dataTypeName(attr.dataType);

  const bool bitType = attr.dataType == DataType::Bool || attr.dataType == DataType::Enum;
  if (bitType && pos.unit != PositionUnit::Bit) {
    return where + std::string(typeName) +
           " point must have unit bit (bool and enum live in the group's bit field)";
  }
  if (!bitType && pos.unit != PositionUnit::Byte) {
    return where + std::string(typeName) + " point must have unit byte (only bool and enum are bit points)";
  }

  switch (attr.dataType) {
    case DataType::Bool:
      if (pos.len != 1) return where + "bool needs len 1, got " + std::to_string(pos.len);
      attr.uintSpec = {0, 1, 1, 0, 0};
      break;
    case DataType::Enum: {
      if (pos.len < 1 || pos.len > kMaxEnumBits) {
        return where + "enum len must be 1..32 bits, got " + std::to_string(pos.len);
      }
      const JsonValue* names = fields.require("enum");
      if (names == nullptr) return fields.error();
      const bool allStrings =
          names->isArray() && std::all_of(names->array.begin(), names->array.end(),
                                          [](const JsonValue& v) { return v.isString(); });
      if (!allStrings || names->array.empty()) return where + "\"enum\" must be a non-empty array of strings";
      for (const JsonValue& name : names->array) {
        if (std::find(attr.enumNames.begin(), attr.enumNames.end(), name.string) != attr.enumNames.end()) {
          return where + "enum name " + quote(name.string) + " appears twice";
        }
        attr.enumNames.push_back(name.string);
      }
      if (attr.enumNames.size() > (std::uint64_t{1} << pos.len)) {
        return where + std::to_string(attr.enumNames.size()) + " enum values do not fit in " +
               std::to_string(pos.len) + (pos.len == 1 ? " bit" : " bits");
      }
      attr.uintSpec = {0, static_cast<std::uint32_t>(attr.enumNames.size() - 1), 1, 0, 0};
      break;
    }
    case DataType::Uint8:
    case DataType::Uint16:
    case DataType::Uint32: {
      const std::uint32_t needed = byteLengthOf(attr.dataType);
      if (pos.len != needed) {
        return where + std::string(typeName) + " needs len " + std::to_string(needed) + ", got " +
               std::to_string(pos.len);
      }
      const JsonValue* specJson = fields.object("uint_spec");
      if (specJson == nullptr) return fields.error();
      Fields spec(*specJson, where, "uint_spec.");
      const auto min = spec.unsignedInt("min");
      const auto max = min ? spec.unsignedInt("max") : std::nullopt;
      const auto ratio = max ? spec.number("ratio") : std::nullopt;
      const auto addition = ratio ? spec.number("addition") : std::nullopt;
      if (!addition) return spec.error();
      if (*min > *max)
        return where + "uint_spec.min " + std::to_string(*min) + " > max " + std::to_string(*max);
      if (*max > maxRawOf(attr.dataType)) {
        return where + "uint_spec.max " + std::to_string(*max) + " does not fit " + std::string(typeName) +
               " (max " + std::to_string(maxRawOf(attr.dataType)) + ")";
      }
      if (!(*ratio > 0)) return where + "uint_spec.ratio must be > 0, got " + formatNumber(*ratio);
      attr.uintSpec = {*min, *max, *ratio, *addition, std::max(decimalsOf(*ratio), decimalsOf(*addition))};
      break;
    }
    case DataType::Binary:
      if (pos.len < 1) return where + "binary needs len >= 1, got 0";
      break;
  }
  if (pos.unit == PositionUnit::Byte && pos.bitOffset != 0) {
    return where + "byte point needs bit_offset 0, got " + std::to_string(pos.bitOffset);
  }
  const std::uint64_t end =
      pos.unit == PositionUnit::Byte
          ? std::uint64_t{pos.byteOffset} + pos.len
          : std::uint64_t{pos.byteOffset} + (std::uint64_t{pos.bitOffset} + pos.len + 7) / 8;
  if (end > kMaxDevStatusBytes) {
    return where + "position ends at byte " + std::to_string(end - 1) + ", beyond the " +
           std::to_string(kMaxDevStatusBytes) + "-byte dev_status limit";
  }
  return {};
}

std::string readHeader(const JsonValue& root, Product& product) {
  Fields fields(root, "");
  const auto name = fields.string("name", true);
  if (!name) return fields.error();
  product.name = *name;

  if (root.find("product_key") != nullptr) {
    const auto key = fields.string("product_key", false);
    if (!key || key->size() != kProductKeyLength || !isLowerHex(*key)) {
      return "\"product_key\" must be 32 lowercase hex digits";
    }
    product.productKey = *key;
  }

  const auto protocolType = fields.string("protocolType", false);
  if (!protocolType) return fields.error();
  if (*protocolType == "var_len") {
    return "protocolType \"var_len\" (variable-length P0) is not supported; only \"standard\" is";
  }
  if (*protocolType != "standard")
    return "unknown protocolType " + quote(*protocolType) + " (expected \"standard\")";

  const JsonValue* version = fields.require("packetVersion");
  if (version == nullptr) return fields.error();
  const std::string badVersion = "\"packetVersion\" must be a hex string like \"0x00000004\" or an integer";
  if (version->isString()) {
    const std::string& text = version->string;
    if (text.size() < 3 || text.size() > 10 || (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X")) {
      return badVersion;
    }
    std::uint32_t value = 0;
    for (std::size_t i = 2; i < text.size(); ++i) {
      const char c = text[i];
      const int digit = (c >= '0' && c <= '9')   ? c - '0'
                        : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                        : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                 : -1;
      if (digit < 0) return badVersion;
      value = value * 16 + static_cast<std::uint32_t>(digit);
    }
    product.packetVersion = value;
  } else {
    const auto integer = version->asInteger();
    if (!integer || *integer < 0 || *integer > std::numeric_limits<std::uint32_t>::max()) return badVersion;
    product.packetVersion = static_cast<std::uint32_t>(*integer);
  }
  return {};
}

// Places the groups back to back and checks every point against the layout convention (product.h).
std::string layOut(Product& product) {
  std::vector<Attr>& attrs = product.attrs;
  // Who owns each placed byte: an attr index, or kBitField + group for a bit field byte.
  constexpr std::size_t kUnowned = std::numeric_limits<std::size_t>::max();
  constexpr std::size_t kBitField = kUnowned - kAttrTypeCount;
  std::vector<std::size_t> owner;
  const auto describeOwner = [&](std::size_t byte) {
    const std::size_t who = owner[byte];
    if (who >= kBitField) {
      const GroupLayout& g = product.groups[who - kBitField];
      return "the " + std::string(kAttrTypeNames[who - kBitField]) + " bit field (" +
             span("byte", g.begin, g.begin + g.bitFieldBytes - 1) + ")";
    }
    const Position& p = attrs[who].position;
    return "attr '" + attrs[who].name + "' (" + span("byte", p.byteOffset, p.byteOffset + p.len - 1) + ")";
  };

  std::size_t cursor = 0;
  for (std::size_t g = 0; g < kAttrTypeCount; ++g) {
    const auto type = static_cast<AttrType>(g);
    std::vector<std::size_t> bits, bytes;
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      if (attrs[i].type != type) continue;
      (attrs[i].isBitPoint() ? bits : bytes).push_back(i);
    }
    GroupLayout& layout = product.groups[g];
    layout.begin = cursor;
    const std::string fieldName = "the " + std::string(kAttrTypeNames[g]) + " bit field";

    std::stable_sort(bits.begin(), bits.end(), [&](std::size_t a, std::size_t b) {
      return attrs[a].position.bitOffset < attrs[b].position.bitOffset;
    });
    std::uint64_t nextBit = 0;
    for (std::size_t k = 0; k < bits.size(); ++k) {
      const Attr& attr = attrs[bits[k]];
      const Position& p = attr.position;
      if (p.byteOffset != cursor) {
        return attrWhere(attr.name) + "byte_offset " + std::to_string(p.byteOffset) + " must be " +
               std::to_string(cursor) + ", the first byte of " + fieldName;
      }
      if (p.bitOffset < nextBit) {
        // Earlier points fill bits [0, nextBit) without gaps, so one of them holds bitOffset.
        std::size_t j = 0;
        while (j + 1 < k && !(p.bitOffset < attrs[bits[j]].position.bitOffset + attrs[bits[j]].position.len))
          ++j;
        const Position& q = attrs[bits[j]].position;
        return "attr '" + attr.name + "' (" + span("bit", p.bitOffset, p.bitOffset + p.len - 1) +
               ") overlaps attr '" + attrs[bits[j]].name + "' (" +
               span("bit", q.bitOffset, q.bitOffset + q.len - 1) + ")";
      }
      if (p.bitOffset > nextBit) {
        return attrWhere(attr.name) + "bit_offset " + std::to_string(p.bitOffset) + " leaves " +
               span("bit", nextBit, p.bitOffset - 1) + " of " + fieldName + " unused";
      }
      nextBit = std::uint64_t{p.bitOffset} + p.len;
    }
    layout.bitFieldBits = static_cast<std::size_t>(nextBit);
    layout.bitFieldBytes = static_cast<std::size_t>((nextBit + 7) / 8);
    cursor += layout.bitFieldBytes;
    owner.resize(cursor, kBitField + g);

    std::stable_sort(bytes.begin(), bytes.end(), [&](std::size_t a, std::size_t b) {
      return attrs[a].position.byteOffset < attrs[b].position.byteOffset;
    });
    for (std::size_t index : bytes) {
      const Attr& attr = attrs[index];
      const Position& p = attr.position;
      if (p.byteOffset < cursor) {
        return "attr '" + attr.name + "' (" + span("byte", p.byteOffset, p.byteOffset + p.len - 1) +
               ") overlaps " + describeOwner(p.byteOffset);
      }
      if (p.byteOffset > cursor) {
        return attrWhere(attr.name) + "byte_offset " + std::to_string(p.byteOffset) + " leaves " +
               span("byte", cursor, p.byteOffset - 1) + " unused";
      }
      cursor += p.len;
      owner.resize(cursor, index);
    }
    layout.end = cursor;
  }
  product.devStatusBytes = cursor;
  return {};
}

std::string load(std::string_view jsonText, Product& product) {
  JsonParse parsed = parseJson(jsonText);
  if (!parsed.value) return "invalid JSON: " + parsed.error;
  const JsonValue& root = *parsed.value;
  if (!root.isObject()) return "product definition must be a JSON object";
  if (std::string error = readHeader(root, product); !error.empty()) return error;

  Fields fields(root, "");
  const JsonValue* entities = fields.require("entities");
  if (entities == nullptr) return fields.error();
  if (!entities->isArray() || entities->array.size() != 1) {
    return "\"entities\" must be an array holding exactly one entity";
  }
  const JsonValue& entity = entities->array[0];
  if (!entity.isObject()) return "\"entities[0]\" must be an object";
  const JsonValue* attrsJson = entity.find("attrs");
  if (attrsJson == nullptr) return "missing \"entities[0].attrs\"";
  if (!attrsJson->isArray() || attrsJson->array.empty())
    return "\"entities[0].attrs\" must be a non-empty array";

  std::vector<Attr>& attrs = product.attrs;
  for (std::size_t i = 0; i < attrsJson->array.size(); ++i) {
    Attr attr;
    if (std::string error = readAttr(attrsJson->array[i], i, attr); !error.empty()) return error;
    for (const Attr& other : attrs) {
      if (other.name == attr.name) return "attr '" + attr.name + "' is defined twice";
      if (other.id == attr.id) {
        return attrWhere(attr.name) + "id " + std::to_string(attr.id) + " is already used by attr '" +
               other.name + "'";
      }
    }
    attrs.push_back(std::move(attr));
  }

  // The writable list (attr_flags index) and dev_status follow id order (§1.11).
  std::stable_sort(attrs.begin(), attrs.end(), [](const Attr& a, const Attr& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < attrs.size(); ++i) {
    const Attr& prev = attrs[i - 1];
    const Attr& attr = attrs[i];
    if (attr.type < prev.type) {
      return "attr '" + attr.name + "' (id " + std::to_string(attr.id) + ", " +
             std::string(attrTypeName(attr.type)) + ") comes after attr '" + prev.name + "' (id " +
             std::to_string(prev.id) + ", " + std::string(attrTypeName(prev.type)) +
             "): ids must order the groups writable, readonly, alert, fault";
    }
  }

  for (Attr& attr : attrs) {
    if (attr.type == AttrType::StatusWritable) attr.writableIndex = product.writableCount++;
    if (attr.isBinary()) {
      attr.binaryOffset = product.binaryBytes;
      product.binaryBytes += attr.position.len;
    }
  }
  product.attrFlagsBytes = (product.writableCount + 7) / 8;
  return layOut(product);
}

}  // namespace

std::optional<std::size_t> Product::indexOf(std::string_view pointName) const {
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (attrs[i].name == pointName) return i;
  }
  return std::nullopt;
}

const Attr* Product::find(std::string_view pointName) const {
  const auto index = indexOf(pointName);
  return index ? &attrs[*index] : nullptr;
}

std::string_view attrTypeName(AttrType type) {
  return kAttrTypeNames[static_cast<std::size_t>(type)];
}

std::string_view dataTypeName(DataType type) {
  return kDataTypeNames[static_cast<std::size_t>(type)];
}

ProductLoad loadProduct(std::string_view jsonText) {
  ProductLoad result;
  Product product;
  result.error = load(jsonText, product);
  if (result.error.empty()) result.product = std::move(product);
  return result;
}

}  // namespace gagent::proto
