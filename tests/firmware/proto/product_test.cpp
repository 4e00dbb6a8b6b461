#include "gagent/proto/product.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace gagent::proto;

namespace {

std::string readFixture(std::string_view name) {
  const auto path = std::filesystem::path(GAGENT_FIXTURES_DIR) / "products" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Product loadOk(std::string_view json) {
  ProductLoad load = loadProduct(json);
  EXPECT_TRUE(load.product.has_value()) << load.error;
  EXPECT_EQ(load.error, "");
  return load.product ? std::move(*load.product) : Product{};
}

std::string loadError(std::string_view json) {
  const ProductLoad load = loadProduct(json);
  EXPECT_FALSE(load.product.has_value());
  return load.error;
}

// Attr JSON builders for small inline products.
std::string bitAttr(int id, std::string_view name, std::string_view type, int byte, int bit, int len = 1,
                    std::string_view dataType = "bool", std::string_view extra = "") {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + std::string(name) + "\",\"type\":\"" +
         std::string(type) + "\",\"data_type\":\"" + std::string(dataType) +
         "\",\"position\":{\"byte_offset\":" + std::to_string(byte) +
         ",\"bit_offset\":" + std::to_string(bit) + ",\"len\":" + std::to_string(len) + ",\"unit\":\"bit\"}" +
         std::string(extra) + "}";
}

constexpr std::string_view kSpec255 = R"(,"uint_spec":{"min":0,"max":255,"ratio":1,"addition":0})";

std::string byteAttr(int id, std::string_view name, std::string_view type, std::string_view dataType,
                     int byte, int len, std::string_view extra = kSpec255, int bitOffset = 0) {
  return "{\"id\":" + std::to_string(id) + ",\"name\":\"" + std::string(name) + "\",\"type\":\"" +
         std::string(type) + "\",\"data_type\":\"" + std::string(dataType) +
         "\",\"position\":{\"byte_offset\":" + std::to_string(byte) +
         ",\"bit_offset\":" + std::to_string(bitOffset) + ",\"len\":" + std::to_string(len) +
         ",\"unit\":\"byte\"}" + std::string(extra) + "}";
}

constexpr std::string_view kHeader = R"("name":"T","protocolType":"standard","packetVersion":"0x00000004",)";

std::string product(const std::vector<std::string>& attrs, std::string_view header = kHeader) {
  std::string list;
  for (const auto& a : attrs) list += (list.empty() ? "" : ",") + a;
  return "{" + std::string(header) + "\"entities\":[{\"attrs\":[" + list + "]}]}";
}

// One writable uint8 "A" at byte 0, with the given replacement for the attr's fields.
std::string oneAttr(std::string_view attrJson) {
  return product({std::string(attrJson)});
}

const std::string kW = "status_writable";
const std::string kR = "status_readonly";

}  // namespace

// ---- fixtures ----

TEST(Product, Proto1_11_GoKitDemoFixtureLayout) {
  const Product p = loadOk(readFixture("gokit-demo.json"));
  EXPECT_EQ(p.name, "\xE5\xBE\xAE\xE4\xBF\xA1\xE5\xAE\xA0\xE7\x89\xA9\xE5\xB1\x8B");  // 微信宠物屋
  EXPECT_EQ(p.productKey, "6f3074fe43894547a4f1314bd7e3ae0b");
  EXPECT_EQ(p.packetVersion, 0x00000004u);
  ASSERT_EQ(p.attrs.size(), 15u);
  // §1.11: report = action + 11 bytes; control = 01 + attr_flags(1) + attr_vals(6).
  EXPECT_EQ(p.devStatusBytes, 11u);
  EXPECT_EQ(p.statusPayloadBytes(), 12u);
  EXPECT_EQ(p.writableCount, 6u);
  EXPECT_EQ(p.attrFlagsBytes, 1u);
  EXPECT_EQ(p.attrValsBytes(), 6u);
  EXPECT_EQ(p.controlPayloadBytes(), 8u);
  EXPECT_EQ(p.binaryBytes, 0u);

  const GroupLayout& w = p.group(AttrType::StatusWritable);
  EXPECT_EQ(w.begin, 0u);
  EXPECT_EQ(w.bitFieldBytes, 1u);
  EXPECT_EQ(w.bitFieldBits, 3u);  // LED_OnOff + LED_Color
  EXPECT_EQ(w.end, 6u);
  const GroupLayout& r = p.group(AttrType::StatusReadonly);
  EXPECT_EQ(r.begin, 6u);
  EXPECT_EQ(r.bitFieldBits, 1u);
  EXPECT_EQ(r.end, 9u);
  const GroupLayout& a = p.group(AttrType::Alert);
  EXPECT_EQ(a.begin, 9u);
  EXPECT_EQ(a.bitFieldBits, 2u);
  EXPECT_EQ(a.end, 10u);
  const GroupLayout& f = p.group(AttrType::Fault);
  EXPECT_EQ(f.begin, 10u);
  EXPECT_EQ(f.bitFieldBits, 4u);
  EXPECT_EQ(f.end, 11u);

  const Attr* color = p.find("LED_Color");
  ASSERT_NE(color, nullptr);
  EXPECT_EQ(color->dataType, DataType::Enum);
  EXPECT_EQ(color->enumNames, (std::vector<std::string>{"custom", "yellow", "purple", "pink"}));
  EXPECT_EQ(color->writableIndex, 1u);
  EXPECT_EQ(color->uintSpec.max, 3u);
  const Attr* motor = p.find("Motor_Speed");
  ASSERT_NE(motor, nullptr);
  EXPECT_EQ(motor->writableIndex, 5u);
  EXPECT_EQ(motor->position.byteOffset, 4u);
  EXPECT_EQ(motor->position.len, 2u);
  EXPECT_EQ(motor->uintSpec.min, 0u);
  EXPECT_EQ(motor->uintSpec.max, 10u);
  EXPECT_EQ(motor->uintSpec.addition, -5.0);
  const Attr* temperature = p.find("Temperature");
  ASSERT_NE(temperature, nullptr);
  EXPECT_EQ(temperature->type, AttrType::StatusReadonly);
  EXPECT_EQ(temperature->uintSpec.addition, -13.0);
  EXPECT_EQ(temperature->uintSpec.max, 200u);
  EXPECT_EQ(p.indexOf("Fault_IR"), 14u);
  EXPECT_EQ(p.indexOf("Nope"), std::nullopt);
  EXPECT_EQ(p.find("Nope"), nullptr);
}

TEST(Product, Proto1_11_AirPurifierFixtureHasTwoByteFlagsAndBitField) {
  const Product p = loadOk(readFixture("air-purifier.json"));
  EXPECT_EQ(p.writableCount, 12u);
  EXPECT_EQ(p.attrFlagsBytes, 2u);
  EXPECT_EQ(p.group(AttrType::StatusWritable).bitFieldBits, 10u);
  EXPECT_EQ(p.group(AttrType::StatusWritable).bitFieldBytes, 2u);
  EXPECT_EQ(p.attrValsBytes(), 15u);
  EXPECT_EQ(p.group(AttrType::StatusReadonly).begin, 15u);
  EXPECT_EQ(p.group(AttrType::StatusReadonly).end, 28u);
  EXPECT_EQ(p.group(AttrType::Alert).begin, 28u);
  EXPECT_EQ(p.group(AttrType::Fault).begin, 29u);
  EXPECT_EQ(p.devStatusBytes, 30u);
  EXPECT_EQ(p.binaryBytes, 8u);
  const Attr* temperature = p.find("Temperature");
  ASSERT_NE(temperature, nullptr);
  EXPECT_EQ(temperature->uintSpec.ratio, 0.1);
  EXPECT_EQ(temperature->uintSpec.addition, -40.0);
  EXPECT_EQ(temperature->uintSpec.decimals, 1);
  EXPECT_EQ(p.find("TVOC")->uintSpec.decimals, 2);
  EXPECT_EQ(p.find("Energy")->uintSpec.decimals, 3);
  EXPECT_EQ(p.find("Energy")->uintSpec.max, 4000000000u);
  EXPECT_EQ(p.find("Schedule")->dataType, DataType::Binary);
  EXPECT_EQ(p.find("Schedule")->writableIndex, 11u);
}

// ---- accepted variations ----

TEST(Product, AttrsAreOrderedByIdNotByJsonOrder) {
  const Product p = loadOk(
      product({byteAttr(1, "B", kW, "uint8", 1, 1), bitAttr(2, "R", kR, 2, 0), bitAttr(0, "A", kW, 0, 0)}));
  ASSERT_EQ(p.attrs.size(), 3u);
  EXPECT_EQ(p.attrs[0].name, "A");
  EXPECT_EQ(p.attrs[1].name, "B");
  EXPECT_EQ(p.attrs[2].name, "R");
  EXPECT_EQ(p.attrs[1].writableIndex, 1u);
  EXPECT_EQ(p.devStatusBytes, 3u);
}

TEST(Product, OptionalFieldsAndNumericPacketVersion) {
  const Product p = loadOk(product({bitAttr(0, "A", kW, 0, 0)},
                                   R"("name":"T","protocolType":"standard","packetVersion":2,"desc":"x",)"));
  EXPECT_EQ(p.packetVersion, 2u);
  EXPECT_EQ(p.productKey, "");
  EXPECT_EQ(p.attrs[0].displayName, "A");  // defaults to name
}

TEST(Product, GroupsMayBeEmpty) {
  const Product p = loadOk(product({bitAttr(0, "F", "fault", 0, 0)}));
  EXPECT_EQ(p.writableCount, 0u);
  EXPECT_EQ(p.attrFlagsBytes, 0u);
  EXPECT_EQ(p.controlPayloadBytes(), 1u);
  EXPECT_EQ(p.group(AttrType::Fault).begin, 0u);
  EXPECT_EQ(p.devStatusBytes, 1u);
}

// ---- every loader error, each with its exact message ----

TEST(ProductError, InvalidJsonCarriesThePosition) {
  EXPECT_EQ(loadError("{\"name\":\"T\",\n \"x\" 1}"), "invalid JSON: expected ':' at 2:6");
}

TEST(ProductError, NotAnObject) {
  EXPECT_EQ(loadError("[]"), "product definition must be a JSON object");
}

TEST(ProductError, MissingName) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("protocolType":"standard",)")),
            "missing \"name\"");
}

TEST(ProductError, NameNotAString) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("name":5,)")),
            "\"name\" must be a non-empty string");
}

TEST(ProductError, BadProductKey) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)},
                              R"("name":"T","product_key":"6F3074FE43894547A4F1314BD7E3AE0B",)")),
            "\"product_key\" must be 32 lowercase hex digits");
}

TEST(ProductError, MissingProtocolType) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("name":"T",)")), "missing \"protocolType\"");
}

TEST(ProductError, Proto1_11_VarLenIsNotSupported) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("name":"T","protocolType":"var_len",)")),
            "protocolType \"var_len\" (variable-length P0) is not supported; only \"standard\" is");
}

TEST(ProductError, UnknownProtocolType) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("name":"T","protocolType":"fixed",)")),
            "unknown protocolType \"fixed\" (expected \"standard\")");
}

TEST(ProductError, MissingPacketVersion) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, R"("name":"T","protocolType":"standard",)")),
            "missing \"packetVersion\"");
}

TEST(ProductError, BadPacketVersion) {
  const std::string message = "\"packetVersion\" must be a hex string like \"0x00000004\" or an integer";
  for (std::string_view version : {R"("4")", R"("0x")", R"("0x123456789")", R"("0x0000000g")", "-1", "1.5"}) {
    const std::string header =
        R"("name":"T","protocolType":"standard","packetVersion":)" + std::string(version) + ",";
    EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0)}, header)), message) << version;
  }
}

TEST(ProductError, MissingEntities) {
  EXPECT_EQ(loadError(R"({"name":"T","protocolType":"standard","packetVersion":4})"), "missing \"entities\"");
}

TEST(ProductError, EntitiesMustHoldExactlyOne) {
  EXPECT_EQ(loadError(R"({"name":"T","protocolType":"standard","packetVersion":4,"entities":[{},{}]})"),
            "\"entities\" must be an array holding exactly one entity");
  EXPECT_EQ(loadError(R"({"name":"T","protocolType":"standard","packetVersion":4,"entities":{}})"),
            "\"entities\" must be an array holding exactly one entity");
}

TEST(ProductError, EntityNotAnObject) {
  EXPECT_EQ(loadError(R"({"name":"T","protocolType":"standard","packetVersion":4,"entities":[1]})"),
            "\"entities[0]\" must be an object");
}

TEST(ProductError, MissingAttrs) {
  EXPECT_EQ(loadError(R"({"name":"T","protocolType":"standard","packetVersion":4,"entities":[{}]})"),
            "missing \"entities[0].attrs\"");
}

TEST(ProductError, EmptyAttrs) {
  EXPECT_EQ(loadError(product({})), "\"entities[0].attrs\" must be a non-empty array");
}

TEST(ProductError, AttrNotAnObject) {
  EXPECT_EQ(loadError(product({"5"})), "attrs[0] must be an object");
}

TEST(ProductError, AttrMissingName) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), R"({"id":1})"})), "attrs[1]: missing \"name\"");
}

TEST(ProductError, AttrNameMustBeAnIdentifier) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "LED R", kW, 0, 0))),
            "attr 'LED R': name must be letters, digits and '_'");
}

TEST(ProductError, AttrMissingId) {
  EXPECT_EQ(loadError(oneAttr(R"({"name":"A","type":"status_writable"})")), "attr 'A': missing \"id\"");
}

TEST(ProductError, AttrIdNotAnUnsignedInteger) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(-1, "A", kW, 0, 0))),
            "attr 'A': \"id\" must be an integer 0..4294967295");
}

TEST(ProductError, AttrDisplayNameNotAString) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 1, "bool", R"(,"display_name":1)"))),
            "attr 'A': \"display_name\" must be a string");
}

TEST(ProductError, AttrUnknownType) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", "status", 0, 0))),
            "attr 'A': unknown type \"status\" (expected status_writable, status_readonly, alert or fault)");
}

TEST(ProductError, AttrUnknownDataType) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "float", 0, 4))),
            "attr 'A': unknown data_type \"float\" (expected bool, enum, uint8, uint16, uint32 or binary)");
}

TEST(ProductError, AttrMissingPosition) {
  EXPECT_EQ(loadError(oneAttr(R"({"id":0,"name":"A","type":"status_writable","data_type":"bool"})")),
            "attr 'A': missing \"position\"");
}

TEST(ProductError, AttrPositionNotAnObject) {
  EXPECT_EQ(
      loadError(oneAttr(R"({"id":0,"name":"A","type":"status_writable","data_type":"bool","position":[]})")),
      "attr 'A': \"position\" must be an object");
}

TEST(ProductError, AttrPositionFieldMissing) {
  EXPECT_EQ(loadError(oneAttr(R"({"id":0,"name":"A","type":"status_writable","data_type":"bool",)"
                              R"("position":{"byte_offset":0,"bit_offset":0,"unit":"bit"}})")),
            "attr 'A': missing \"position.len\"");
}

TEST(ProductError, AttrPositionFieldNotAnInteger) {
  EXPECT_EQ(loadError(oneAttr(R"({"id":0,"name":"A","type":"status_writable","data_type":"bool",)"
                              R"("position":{"byte_offset":0.5,"bit_offset":0,"len":1,"unit":"bit"}})")),
            "attr 'A': \"position.byte_offset\" must be an integer 0..4294967295");
}

TEST(ProductError, AttrUnknownUnit) {
  EXPECT_EQ(loadError(oneAttr(R"({"id":0,"name":"A","type":"status_writable","data_type":"bool",)"
                              R"("position":{"byte_offset":0,"bit_offset":0,"len":1,"unit":"word"}})")),
            "attr 'A': unknown position.unit \"word\" (expected bit or byte)");
}

TEST(ProductError, BitPointMustBeBoolOrEnum) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 8, "uint8", kSpec255))),
            "attr 'A': uint8 point must have unit byte (only bool and enum are bit points)");
}

TEST(ProductError, BoolMustBeABitPoint) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "bool", 0, 1, ""))),
            "attr 'A': bool point must have unit bit (bool and enum live in the group's bit field)");
}

TEST(ProductError, BoolLenMustBeOne) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2))), "attr 'A': bool needs len 1, got 2");
}

TEST(ProductError, EnumLenOutOfRange) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 0, "enum", R"(,"enum":["x"])"))),
            "attr 'A': enum len must be 1..32 bits, got 0");
}

TEST(ProductError, EnumWithoutNames) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum"))), "attr 'A': missing \"enum\"");
}

TEST(ProductError, EnumNamesMustBeStrings) {
  const std::string message = "attr 'A': \"enum\" must be a non-empty array of strings";
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum", R"(,"enum":[0,1])"))), message);
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum", R"(,"enum":[])"))), message);
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum", R"(,"enum":"red")"))), message);
}

TEST(ProductError, EnumNamesMustBeUnique) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum", R"(,"enum":["red","green","red"])"))),
            "attr 'A': enum name \"red\" appears twice");
}

TEST(ProductError, EnumValuesMustFitLenBits) {
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 2, "enum", R"(,"enum":["a","b","c","d","e"])"))),
            "attr 'A': 5 enum values do not fit in 2 bits");
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 0, 1, "enum", R"(,"enum":["a","b","c"])"))),
            "attr 'A': 3 enum values do not fit in 1 bit");
}

TEST(ProductError, UintLenMustMatchDataType) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint16", 0, 1))), "attr 'A': uint16 needs len 2, got 1");
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 2))), "attr 'A': uint8 needs len 1, got 2");
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint32", 0, 2))), "attr 'A': uint32 needs len 4, got 2");
}

TEST(ProductError, UintWithoutSpec) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1, ""))), "attr 'A': missing \"uint_spec\"");
}

TEST(ProductError, UintSpecMinNotAnUnsignedInteger) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":1.5,"max":2,"ratio":1,"addition":0})"))),
            "attr 'A': \"uint_spec.min\" must be an integer 0..4294967295");
}

TEST(ProductError, UintSpecMissingAddition) {
  EXPECT_EQ(
      loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1, R"(,"uint_spec":{"min":0,"max":2,"ratio":1})"))),
      "attr 'A': missing \"uint_spec.addition\"");
}

TEST(ProductError, UintSpecRatioNotANumber) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":0,"max":2,"ratio":"1","addition":0})"))),
            "attr 'A': \"uint_spec.ratio\" must be a number");
}

TEST(ProductError, UintSpecMinAboveMax) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":10,"max":5,"ratio":1,"addition":0})"))),
            "attr 'A': uint_spec.min 10 > max 5");
}

TEST(ProductError, UintSpecMaxMustFitDataType) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":0,"max":300,"ratio":1,"addition":0})"))),
            "attr 'A': uint_spec.max 300 does not fit uint8 (max 255)");
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint16", 0, 2,
                                       R"(,"uint_spec":{"min":0,"max":65536,"ratio":1,"addition":0})"))),
            "attr 'A': uint_spec.max 65536 does not fit uint16 (max 65535)");
}

TEST(ProductError, UintSpecRatioMustBePositive) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":0,"max":5,"ratio":0,"addition":0})"))),
            "attr 'A': uint_spec.ratio must be > 0, got 0");
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1,
                                       R"(,"uint_spec":{"min":0,"max":5,"ratio":-0.5,"addition":0})"))),
            "attr 'A': uint_spec.ratio must be > 0, got -0.5");
}

TEST(ProductError, BinaryLenMustBePositive) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "binary", 0, 0, ""))),
            "attr 'A': binary needs len >= 1, got 0");
}

TEST(ProductError, BytePointBitOffsetMustBeZero) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "uint8", 0, 1, kSpec255, 3))),
            "attr 'A': byte point needs bit_offset 0, got 3");
}

TEST(ProductError, PositionBeyondDevStatusLimit) {
  EXPECT_EQ(loadError(oneAttr(byteAttr(0, "A", kW, "binary", 4000, 100, ""))),
            "attr 'A': position ends at byte 4099, beyond the 4095-byte dev_status limit");
  EXPECT_EQ(loadError(oneAttr(bitAttr(0, "A", kW, 0, 40000))),
            "attr 'A': position ends at byte 5000, beyond the 4095-byte dev_status limit");
}

TEST(ProductError, DuplicateName) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), bitAttr(1, "A", kW, 0, 1)})),
            "attr 'A' is defined twice");
}

TEST(ProductError, DuplicateId) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), bitAttr(0, "B", kW, 0, 1)})),
            "attr 'B': id 0 is already used by attr 'A'");
}

TEST(ProductError, Proto1_11_GroupsMustBeInOrderWritableReadonlyAlertFault) {
  EXPECT_EQ(loadError(product({bitAttr(0, "R", kR, 0, 0), bitAttr(1, "W", kW, 0, 0)})),
            "attr 'W' (id 1, status_writable) comes after attr 'R' (id 0, status_readonly): ids must order "
            "the groups "
            "writable, readonly, alert, fault");
  EXPECT_EQ(loadError(product({bitAttr(0, "F", "fault", 0, 0), bitAttr(1, "L", "alert", 0, 0)})),
            "attr 'L' (id 1, alert) comes after attr 'F' (id 0, fault): ids must order the groups "
            "writable, readonly, alert, fault");
}

TEST(ProductError, Proto1_11_BitPointMustStartItsGroupsBitField) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), bitAttr(1, "B", kW, 1, 1)})),
            "attr 'B': byte_offset 1 must be 0, the first byte of the status_writable bit field");
  EXPECT_EQ(loadError(product({byteAttr(0, "A", kW, "uint8", 0, 1), bitAttr(1, "R", kR, 0, 0)})),
            "attr 'R': byte_offset 0 must be 1, the first byte of the status_readonly bit field");
}

TEST(ProductError, OverlappingBits) {
  EXPECT_EQ(loadError(product(
                {bitAttr(0, "A", kW, 0, 0), bitAttr(1, "B", kW, 0, 0, 2, "enum", R"(,"enum":["x"])")})),
            "attr 'B' (bits 0..1) overlaps attr 'A' (bit 0)");
  EXPECT_EQ(loadError(product(
                {bitAttr(0, "A", kW, 0, 0, 3, "enum", R"(,"enum":["x"])"), bitAttr(1, "B", kW, 0, 2)})),
            "attr 'B' (bit 2) overlaps attr 'A' (bits 0..2)");
}

TEST(ProductError, GapInBitField) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), bitAttr(1, "B", kW, 0, 3)})),
            "attr 'B': bit_offset 3 leaves bits 1..2 of the status_writable bit field unused");
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 1)})),
            "attr 'A': bit_offset 1 leaves bit 0 of the status_writable bit field unused");
}

TEST(ProductError, OverlappingBytes) {
  EXPECT_EQ(loadError(product({byteAttr(0, "A", kW, "uint16", 0, 2,
                                        R"(,"uint_spec":{"min":0,"max":9,"ratio":1,"addition":0})"),
                               byteAttr(1, "B", kW, "uint16", 1, 2,
                                        R"(,"uint_spec":{"min":0,"max":9,"ratio":1,"addition":0})")})),
            "attr 'B' (bytes 1..2) overlaps attr 'A' (bytes 0..1)");
}

TEST(ProductError, BytePointOverlapsABitField) {
  EXPECT_EQ(loadError(product({bitAttr(0, "A", kW, 0, 0), byteAttr(1, "R", kR, "uint8", 0, 1)})),
            "attr 'R' (byte 0) overlaps the status_writable bit field (byte 0)");
}

TEST(ProductError, GapBetweenBytePoints) {
  EXPECT_EQ(loadError(product({byteAttr(0, "A", kW, "uint8", 0, 1), byteAttr(1, "B", kR, "uint8", 3, 1)})),
            "attr 'B': byte_offset 3 leaves bytes 1..2 unused");
}

TEST(ProductTypeNames, MatchTheJsonSpellings) {
  EXPECT_EQ(attrTypeName(AttrType::StatusWritable), "status_writable");
  EXPECT_EQ(attrTypeName(AttrType::StatusReadonly), "status_readonly");
  EXPECT_EQ(attrTypeName(AttrType::Alert), "alert");
  EXPECT_EQ(attrTypeName(AttrType::Fault), "fault");
  EXPECT_EQ(dataTypeName(DataType::Bool), "bool");
  EXPECT_EQ(dataTypeName(DataType::Enum), "enum");
  EXPECT_EQ(dataTypeName(DataType::Uint8), "uint8");
  EXPECT_EQ(dataTypeName(DataType::Uint16), "uint16");
  EXPECT_EQ(dataTypeName(DataType::Uint32), "uint32");
  EXPECT_EQ(dataTypeName(DataType::Binary), "binary");
}
