#include "gagent/proto/p0.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace gagent::proto;

namespace {

using ByteVector = std::vector<std::uint8_t>;

std::string readFixture(std::string_view name) {
  const auto path = std::filesystem::path(GAGENT_FIXTURES_DIR) / "products" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Product loadOk(std::string_view json) {
  ProductLoad load = loadProduct(json);
  EXPECT_TRUE(load.product.has_value()) << load.error;
  return load.product ? std::move(*load.product) : Product{};
}

const Product& gokit() {
  static const Product product = loadOk(readFixture("gokit-demo.json"));
  return product;
}

const Product& purifier() {
  static const Product product = loadOk(readFixture("air-purifier.json"));
  return product;
}

ByteVector control(const Product& product, std::initializer_list<P0Change> changes) {
  std::array<std::uint8_t, 64> buffer{};
  const std::vector<P0Change> list(changes);
  const P0Result r = encodeControl(product, list, buffer);
  EXPECT_TRUE(r.ok()) << r.error.view();
  return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.size)};
}

std::string controlError(const Product& product, std::initializer_list<P0Change> changes) {
  std::array<std::uint8_t, 64> buffer{};
  const std::vector<P0Change> list(changes);
  const P0Result r = encodeControl(product, list, buffer);
  EXPECT_FALSE(r.ok());
  return std::string(r.error.view());
}

ByteVector report(const P0State& state) {
  std::array<std::uint8_t, 64> buffer{};
  const P0Result r = encodeReport(state, buffer);
  EXPECT_TRUE(r.ok()) << r.error.view();
  return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r.size)};
}

std::string statusError(const Product& product, const ByteVector& p0) {
  P0State state(product);
  const P0State before = state;
  const P0Decode d = decodeStatus(p0, state);
  EXPECT_EQ(d.status, ParseStatus::Malformed);
  EXPECT_TRUE(state == before);  // all-or-nothing
  return std::string(d.error.view());
}

std::string controlDecodeError(const Product& product, const ByteVector& p0) {
  P0State state(product);
  const P0State before = state;
  const ControlDecode d = decodeControl(p0, state);
  EXPECT_EQ(d.status, ParseStatus::Malformed);
  EXPECT_TRUE(state == before);  // all-or-nothing
  return std::string(d.error.view());
}

// A product with one writable uint8 "Level" 0..255: its control is 01 + 1 flag byte + 1 value byte.
constexpr std::string_view kOneByteProduct = R"({"name":"one","protocolType":"standard","packetVersion":4,
  "entities":[{"attrs":[{"id":0,"name":"Level","type":"status_writable","data_type":"uint8",
  "position":{"byte_offset":0,"bit_offset":0,"len":1,"unit":"byte"},
  "uint_spec":{"min":0,"max":255,"ratio":1,"addition":0}}]}]})";

}  // namespace

// ---- GoKit demo (§1.11) ----

TEST(P0Control, Proto1_11_GoKitSetLedR) {
  // LED_R is the 3rd writable point (index 2) -> attr_flags bit 2 = 0x04. attr_vals = the writable group:
  // byte 0 the bit field (LED_OnOff, LED_Color: unflagged, 0), then R G B, then Motor_Speed u16 BE.
  EXPECT_EQ(control(gokit(), {{"LED_R", 0x11}}),
            (ByteVector{0x01, 0x04, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00}));
}

TEST(P0Control, Proto1_11_GoKitFlagsFollowTheWritableList) {
  // §1.11: flags 0x01 on/off, 0x02 colour, 0x04 R, 0x08 G, 0x10 B, 0x20 motor.
  EXPECT_EQ(control(gokit(), {{"LED_OnOff", 1}}), (ByteVector{0x01, 0x01, 0x01, 0, 0, 0, 0, 0}));
  EXPECT_EQ(control(gokit(), {{"LED_Color", 3}}), (ByteVector{0x01, 0x02, 0x06, 0, 0, 0, 0, 0}));  // bits 1-2
  EXPECT_EQ(control(gokit(), {{"LED_G", 254}}), (ByteVector{0x01, 0x08, 0, 0, 0xFE, 0, 0, 0}));
  EXPECT_EQ(control(gokit(), {{"LED_B", 1}}), (ByteVector{0x01, 0x10, 0, 0, 0, 0x01, 0, 0}));
  EXPECT_EQ(control(gokit(), {{"Motor_Speed", 10}}), (ByteVector{0x01, 0x20, 0, 0, 0, 0, 0x00, 0x0A}));
  // On + yellow (1 << 1) + motor raw 10, in any order of changes.
  EXPECT_EQ(control(gokit(), {{"Motor_Speed", 10}, {"LED_Color", 1}, {"LED_OnOff", 1}}),
            (ByteVector{0x01, 0x23, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0A}));
  EXPECT_EQ(control(gokit(), {}), (ByteVector{0x01, 0x00, 0, 0, 0, 0, 0, 0}));
}

TEST(P0Control, Proto1_11_McuAppliesOnlyTheFlaggedPoints) {
  P0State state(gokit());
  ASSERT_TRUE(state.setRaw("LED_G", 5).ok());
  const ByteVector p0{0x01, 0x04, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00};
  const ControlDecode d = decodeControl(p0, state);
  ASSERT_TRUE(d.ok()) << d.error.view();
  EXPECT_EQ(d.consumed, 8u);
  EXPECT_EQ(d.flaggedCount, 1u);
  EXPECT_TRUE(d.flagged(2));
  EXPECT_FALSE(d.flagged(0));
  EXPECT_FALSE(d.flagged(3));
  EXPECT_EQ(state.raw("LED_R"), 0x11u);
  EXPECT_EQ(state.raw("LED_G"), 5u);  // unflagged: untouched
  EXPECT_EQ(describeFlagged(state, d), "LED_R=17");
}

TEST(P0Control, Proto1_11_UnflaggedValuesAreIgnored) {
  // §1.11: "only the values whose flag is set are meaningful": on/off, colour, G, B and motor carry junk.
  P0State state(gokit());
  const ByteVector p0{0x01, 0x04, 0x07, 0x11, 0x22, 0x33, 0xFF, 0xFF};
  const ControlDecode d = decodeControl(p0, state);
  ASSERT_TRUE(d.ok()) << d.error.view();
  EXPECT_EQ(describe(state),
            "LED_OnOff=0 LED_Color=custom LED_R=17 LED_G=0 LED_B=0 Motor_Speed=-5 Infrared=0 Temperature=-13 "
            "Humidity=0 Alert_1=0 Alert_2=0 Fault_LED=0 Fault_Motor=0 Fault_TemHum=0 Fault_IR=0");
}

TEST(P0Control, Proto1_11_DecodeSeveralFlaggedPoints) {
  P0State state(gokit());
  const ByteVector p0{0x01, 0x23, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0A};
  const ControlDecode d = decodeControl(p0, state);  // d.attrFlags views p0
  ASSERT_TRUE(d.ok()) << d.error.view();
  EXPECT_EQ(d.flaggedCount, 3u);
  EXPECT_EQ(describeFlagged(state, d), "LED_OnOff=1 LED_Color=yellow Motor_Speed=5");
  EXPECT_EQ(state.enumName("LED_Color"), "yellow");
  EXPECT_EQ(state.display("Motor_Speed"), 5.0);
}

TEST(P0Control, DecodeErrors) {
  EXPECT_EQ(controlDecodeError(gokit(), {}), "empty P0 payload");
  EXPECT_EQ(controlDecodeError(gokit(), {0x04, 0x04, 0, 0x11, 0, 0, 0, 0}),
            "expected action 01 (control), got 04");
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x04, 0, 0x11, 0, 0, 0}),
            "wrong length: control needs 8 bytes (action + 1 attr_flags + 6 attr_vals), got 7");
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x04, 0, 0x11, 0, 0, 0, 0, 0}),
            "wrong length: control needs 8 bytes (action + 1 attr_flags + 6 attr_vals), got 9");
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x40, 0, 0, 0, 0, 0, 0}),
            "attr_flags bit 6 is set but there are only 6 writable attrs");
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x04, 0x08, 0x11, 0, 0, 0, 0}),
            "unused bit 3 of the status_writable bit field is set");
}

TEST(P0Control, FlaggedValueOutOfRangeRejectsTheWholeControl) {
  // LED_R is fine but Motor_Speed raw 11 is above uint_spec.max 10: nothing is applied.
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x24, 0, 0x11, 0, 0, 0x00, 0x0B}),
            "attr 'Motor_Speed': raw 11 outside 0..10");
  EXPECT_EQ(controlDecodeError(gokit(), {0x01, 0x04, 0, 0xFF, 0, 0, 0, 0}),
            "attr 'LED_R': raw 255 outside 0..254");
  // The same out-of-range value is ignored when unflagged.
  P0State state(gokit());
  EXPECT_TRUE(decodeControl(ByteVector{0x01, 0x04, 0, 0x11, 0, 0, 0x00, 0x0B}, state).ok());
}

TEST(P0Control, EncodeErrors) {
  EXPECT_EQ(controlError(gokit(), {{"Nope", 1}}), "unknown attr 'Nope'");
  EXPECT_EQ(controlError(gokit(), {{"Infrared", 1}}), "attr 'Infrared': not writable (status_readonly)");
  EXPECT_EQ(controlError(gokit(), {{"Fault_IR", 1}}), "attr 'Fault_IR': not writable (fault)");
  EXPECT_EQ(controlError(gokit(), {{"LED_R", 1}, {"LED_R", 2}}), "attr 'LED_R': changed twice");
  EXPECT_EQ(controlError(gokit(), {{"LED_R", 255}}), "attr 'LED_R': raw 255 outside 0..254");
  EXPECT_EQ(controlError(gokit(), {{"LED_OnOff", 2}}), "attr 'LED_OnOff': bool value 2 out of range 0..1");
  std::array<std::uint8_t, 7> out{};
  const P0Result r = encodeControl(gokit(), std::vector<P0Change>{{"LED_R", 1}}, out);
  EXPECT_EQ(r.error.view(), "output buffer too small: need 8 bytes, have 7");
  EXPECT_EQ(r.size, 0u);
}

TEST(P0Status, Proto1_11_GoKitReportDecode) {
  // 04 | bit field 0x05 (on, colour 0b10 = purple) R G B | motor 0x0007 | infrared 1 | temp 0x26 | hum 0x32 |
  // alerts 0b10 | faults 0b0101.
  const ByteVector p0{0x04, 0x05, 0x11, 0x22, 0x33, 0x00, 0x07, 0x01, 0x26, 0x32, 0x02, 0x05};
  P0State state(gokit());
  const P0Decode d = decodeStatus(p0, state);
  ASSERT_TRUE(d.ok()) << d.error.view();
  EXPECT_EQ(d.action, P0Action::Report);
  EXPECT_EQ(d.consumed, 12u);
  EXPECT_EQ(state.raw("LED_OnOff"), 1u);
  EXPECT_EQ(state.raw("LED_Color"), 2u);
  EXPECT_EQ(state.raw("LED_B"), 0x33u);
  EXPECT_EQ(state.raw("Motor_Speed"), 7u);
  EXPECT_EQ(state.display("Motor_Speed"), 2.0);
  EXPECT_EQ(state.raw("Temperature"), 38u);
  EXPECT_EQ(state.display("Temperature"), 25.0);
  EXPECT_EQ(describe(state),
            "LED_OnOff=1 LED_Color=purple LED_R=17 LED_G=34 LED_B=51 Motor_Speed=2 Infrared=1 Temperature=25 "
            "Humidity=50 Alert_1=0 Alert_2=1 Fault_LED=1 Fault_Motor=0 Fault_TemHum=1 Fault_IR=0");
  EXPECT_EQ(report(state), p0);  // the MCU side re-encodes the same bytes
}

TEST(P0Status, Proto1_11_ReadAndReadReply) {
  std::array<std::uint8_t, 4> out{};
  const P0Result read = encodeRead(out);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.size, 1u);
  EXPECT_EQ(out[0], 0x02);
  EXPECT_TRUE(decodeRead(ByteVector{0x02}).ok());
  EXPECT_EQ(decodeRead(ByteVector{0x02}).consumed, 1u);
  EXPECT_EQ(decodeRead(ByteVector{}).error.view(), "empty P0 payload");
  EXPECT_EQ(decodeRead(ByteVector{0x01}).error.view(), "expected action 02 (read), got 01");
  EXPECT_EQ(decodeRead(ByteVector{0x02, 0x00}).error.view(), "wrong length: read is 1 byte, got 2");
  EXPECT_EQ(encodeRead({}).error.view(), "output buffer too small: need 1 bytes, have 0");

  P0State mcu(gokit());
  ASSERT_TRUE(mcu.setEnum("LED_Color", "pink").ok());
  ASSERT_TRUE(mcu.setDisplay("Temperature", 21).ok());
  ASSERT_TRUE(mcu.setRaw("Fault_IR", 1).ok());
  std::array<std::uint8_t, 12> reply{};
  const P0Result r = encodeReadReply(mcu, reply);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ByteVector(reply.begin(), reply.end()),
            (ByteVector{0x03, 0x06, 0, 0, 0, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x08}));
  P0State app(gokit());
  const P0Decode d = decodeStatus(reply, app);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.action, P0Action::ReadReply);
  EXPECT_TRUE(app == mcu);

  std::array<std::uint8_t, 11> small{};
  EXPECT_EQ(encodeReport(mcu, small).error.view(), "output buffer too small: need 12 bytes, have 11");
}

TEST(P0Status, DecodeErrors) {
  EXPECT_EQ(statusError(gokit(), {}), "empty P0 payload");
  EXPECT_EQ(statusError(gokit(), {0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            "expected action 03 (read reply) or 04 (report), got 01");
  EXPECT_EQ(statusError(gokit(), {0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            "wrong length: status needs 12 bytes (action + 11 dev_status), got 11");
  EXPECT_EQ(statusError(gokit(), {0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}),
            "unused bit 4 of the fault bit field is set");
  EXPECT_EQ(statusError(gokit(), {0x04, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0}),
            "unused bit 1 of the status_readonly bit field is set");
  EXPECT_EQ(statusError(gokit(), {0x04, 0, 0, 0, 0, 0, 0, 0, 201, 0, 0, 0}),
            "attr 'Temperature': raw 201 outside 0..200");
  EXPECT_EQ(statusError(gokit(), {0x03, 0, 0, 0, 0, 0, 0, 0, 0, 101, 0, 0}),
            "attr 'Humidity': raw 101 outside 0..100");
}

TEST(P0Status, EnumValueOutOfRange) {
  // Air_Quality has 5 names in 3 bits (readonly bit field at dev_status byte 15): value 5 has no name.
  ByteVector p0(31, 0x00);
  p0[0] = 0x04;
  p0[2] = 0x00;     // Fan_Level must be >= 1
  p0[3] = 0x01;     // Fan_Level = 1 (byte 2 of dev_status)
  p0[16] = 5 << 1;  // Air_Quality = 5
  EXPECT_EQ(statusError(purifier(), p0), "attr 'Air_Quality': enum value 5 out of range (5 names)");
  p0[16] = 4 << 1;
  P0State state(purifier());
  EXPECT_TRUE(decodeStatus(p0, state).ok());
  EXPECT_EQ(state.enumName("Air_Quality"), "bad");
}

// ---- Appendix A vectors: the P0 inside "control w/ FF escape" and "report w/ FF escape" ----

TEST(P0Control, AppendixA_ControlWithFFEscape) {
  // Frame FF FF 00 08 03 04 00 00 01 01 FF 55 10 carries P0 01 01 FF: action 01, flags 01, value FF. That
  // is a control only for a product with one writable one-byte point.
  const Product one = loadOk(kOneByteProduct);
  EXPECT_EQ(control(one, {{"Level", 0xFF}}), (ByteVector{0x01, 0x01, 0xFF}));
  P0State state(one);
  ASSERT_TRUE(decodeControl(ByteVector{0x01, 0x01, 0xFF}, state).ok());
  EXPECT_EQ(state.raw("Level"), 0xFFu);
}

TEST(P0Status, AppendixA_ReportWithFFEscape) {
  // Frame FF FF 00 0A 05 43 00 00 04 01 7F FF 55 10 E5 carries P0 04 01 7F FF 10: a 4-byte dev_status, e.g.
  // writable bool On (bit field byte 0), read-only uint8 Level (byte 1) and uint16 Flow (bytes 2-3).
  const Product p = loadOk(R"({"name":"ff","protocolType":"standard","packetVersion":4,"entities":[{"attrs":[
    {"id":0,"name":"On","type":"status_writable","data_type":"bool",
     "position":{"byte_offset":0,"bit_offset":0,"len":1,"unit":"bit"}},
    {"id":1,"name":"Level","type":"status_readonly","data_type":"uint8",
     "position":{"byte_offset":1,"bit_offset":0,"len":1,"unit":"byte"},
     "uint_spec":{"min":0,"max":255,"ratio":1,"addition":0}},
    {"id":2,"name":"Flow","type":"status_readonly","data_type":"uint16",
     "position":{"byte_offset":2,"bit_offset":0,"len":2,"unit":"byte"},
     "uint_spec":{"min":0,"max":65535,"ratio":1,"addition":0}}]}]})");
  const ByteVector p0{0x04, 0x01, 0x7F, 0xFF, 0x10};
  P0State state(p);
  ASSERT_TRUE(decodeStatus(p0, state).ok());
  EXPECT_EQ(describe(state), "On=1 Level=127 Flow=65296");
  EXPECT_EQ(report(state), p0);
}

// ---- the air purifier: 2-byte attr_flags and a 2-byte bit field ----

TEST(P0Control, Proto1_11_TwoByteAttrFlagsAreBigEndian) {
  // Writable list: Power 0, Mode 1, Child_Lock 2, Ionizer 3, UV_Light 4, Display_Light 5, Buzzer 6,
  // Filter_Reset 7, Fan_Level 8, Off_Timer 9, Target_PM25 10, Schedule 11. Flag i = bit (i % 8) of byte
  // (1 - i / 8): Power -> 00 01, Buzzer -> 00 40, Fan_Level -> 01 00, Schedule -> 08 00.
  // attr_vals: bit field bytes 0-1 (Power bit 0 -> byte 1 bit 0; Buzzer bit 8 -> byte 0 bit 0), Fan_Level
  // byte 2, Off_Timer 3-4, Target_PM25 5-6, Schedule 7-14.
  EXPECT_EQ(control(purifier(), {{"Power", 1}, {"Buzzer", 1}, {"Fan_Level", 5}}),
            (ByteVector{0x01, 0x01, 0x41, 0x01, 0x01, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  const ByteVector schedule{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(control(purifier(), {{"Schedule", 0, schedule}, {"Off_Timer", 720}}),
            (ByteVector{0x01, 0x0A, 0x00, 0, 0, 0, 0x02, 0xD0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(control(purifier(), {{"Display_Light", 2}, {"Filter_Reset", 1}}),  // bits 6-7 and 9
            (ByteVector{0x01, 0x00, 0xA0, 0x02, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));

  P0State state(purifier());
  const ByteVector p0{0x01, 0x09, 0x40, 0x01, 0x00, 0x07, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9};
  const ControlDecode d = decodeControl(p0, state);
  ASSERT_TRUE(d.ok()) << d.error.view();
  EXPECT_EQ(d.flaggedCount, 3u);
  EXPECT_EQ(describeFlagged(state, d), "Buzzer=1 Fan_Level=7 Schedule=0909090909090909");
}

TEST(P0Control, TwoByteAttrFlagsWithoutAWritablePoint) {
  EXPECT_EQ(controlDecodeError(purifier(), {0x01, 0x10, 0x00, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            "attr_flags bit 12 is set but there are only 12 writable attrs");
  EXPECT_EQ(
      controlDecodeError(purifier(), {0x01, 0x00, 0x01, 0x04, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
      "unused bit 10 of the status_writable bit field is set");
  EXPECT_EQ(
      controlDecodeError(purifier(), {0x01, 0x00, 0x20, 0x00, 0xC0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
      "attr 'Display_Light': enum value 3 out of range (3 names)");
  EXPECT_EQ(controlError(purifier(), {{"Schedule", 0, ByteVector{1, 2, 3}}}),
            "attr 'Schedule': needs 8 binary bytes, got 3");
}

TEST(P0Status, Proto1_11_AirPurifierReportBytes) {
  P0State state(purifier());
  ASSERT_TRUE(state.setRaw("Power", 1).ok());
  ASSERT_TRUE(state.setEnum("Mode", "turbo").ok());
  ASSERT_TRUE(state.setRaw("Buzzer", 1).ok());
  ASSERT_TRUE(state.setRaw("Fan_Level", 7).ok());
  ASSERT_TRUE(state.setDisplay("Off_Timer", 90).ok());
  ASSERT_TRUE(state.setRaw("Target_PM25", 35).ok());
  const ByteVector schedule{1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(state.setBinary("Schedule", schedule).ok());
  ASSERT_TRUE(state.setRaw("Filter_Installed", 1).ok());
  ASSERT_TRUE(state.setEnum("Air_Quality", "poor").ok());
  ASSERT_TRUE(state.setRaw("PM25", 0x123).ok());
  ASSERT_TRUE(state.setDisplay("Temperature", 25.5).ok());
  ASSERT_TRUE(state.setRaw("Humidity", 45).ok());
  ASSERT_TRUE(state.setRaw("Filter_Life", 80).ok());
  ASSERT_TRUE(state.setDisplay("TVOC", 0.29).ok());
  ASSERT_TRUE(state.setDisplay("Energy", 1234.567).ok());
  ASSERT_TRUE(state.setRaw("Filter_Expired", 1).ok());
  ASSERT_TRUE(state.setRaw("Tip_Over", 1).ok());
  ASSERT_TRUE(state.setRaw("Sensor_Fault", 1).ok());
  const ByteVector expected{0x04, 0x01, 0x07,  // writable bit field: Buzzer bit 8, Mode 3 << 1, Power
                            0x07,              // Fan_Level
                            0x00, 0x5A,        // Off_Timer 90
                            0x00, 0x23,        // Target_PM25 35
                            1,    2,    3,    4,    5, 6, 7, 8,  // Schedule
                            0x07,        // read-only bit field: Air_Quality 3 << 1, Filter_Installed
                            0x01, 0x23,  // PM25
                            0x02, 0x8F,  // Temperature raw 655 = (25.5 + 40) / 0.1
                            0x2D,        // Humidity 45
                            0x50,        // Filter_Life 80
                            0x00, 0x1D,  // TVOC raw 29 = 0.29 / 0.01
                            0x00, 0x12, 0xD6, 0x87,  // Energy raw 1234567 = 1234.567 / 0.001
                            0x05,                    // alerts: Tip_Over, Filter_Expired
                            0x02};                   // faults: Sensor_Fault
  EXPECT_EQ(report(state), expected);
  EXPECT_EQ(
      describe(state),
      "Power=1 Mode=turbo Child_Lock=0 Ionizer=0 UV_Light=0 Display_Light=off Buzzer=1 Filter_Reset=0 "
      "Fan_Level=7 Off_Timer=90 Target_PM25=35 Schedule=0102030405060708 Filter_Installed=1 Air_Quality=poor "
      "PM25=291 Temperature=25.5 Humidity=45 Filter_Life=80 TVOC=0.29 Energy=1234.567 Filter_Expired=1 "
      "PM25_High=0 Tip_Over=1 Fan_Fault=0 Sensor_Fault=1 UV_Lamp_Fault=0");
  P0State app(purifier());
  ASSERT_TRUE(decodeStatus(expected, app).ok());
  EXPECT_TRUE(app == state);
}

// ---- display conversions ----

TEST(P0Display, Proto1_11_NegativeAddition) {
  const Attr& temperature = *gokit().find("Temperature");  // uint8, ratio 1, addition -13, raw 0..200
  EXPECT_EQ(toDisplay(temperature, 0).value, -13.0);
  EXPECT_EQ(toDisplay(temperature, 13).value, 0.0);
  EXPECT_EQ(toDisplay(temperature, 200).value, 187.0);
  EXPECT_EQ(toRaw(temperature, -13).raw, 0u);
  EXPECT_EQ(toRaw(temperature, 187).raw, 200u);
  EXPECT_EQ(toRaw(temperature, 188).error.view(), "attr 'Temperature': display 188 outside -13..187");
  EXPECT_EQ(toRaw(temperature, -14).error.view(), "attr 'Temperature': display -14 outside -13..187");
  EXPECT_EQ(toDisplay(temperature, 201).error.view(), "attr 'Temperature': raw 201 outside 0..200");

  const Attr& motor = *gokit().find("Motor_Speed");  // uint16, addition -5, raw 0..10
  EXPECT_EQ(toRaw(motor, -5).raw, 0u);
  EXPECT_EQ(toRaw(motor, 0).raw, 5u);
  EXPECT_EQ(toRaw(motor, 5).raw, 10u);
  EXPECT_EQ(toRaw(motor, 2.5).error.view(),
            "attr 'Motor_Speed': display 2.5 is not a multiple of ratio 1 from addition -5");
}

TEST(P0Display, FractionalRatioWithNegativeAddition) {
  const Attr& temperature = *purifier().find("Temperature");  // uint16, ratio 0.1, addition -40, raw 0..1250
  EXPECT_EQ(toDisplay(temperature, 0).value, -40.0);
  EXPECT_EQ(toDisplay(temperature, 400).value, 0.0);
  EXPECT_EQ(toDisplay(temperature, 655).value, 25.5);
  EXPECT_EQ(toDisplay(temperature, 1).value, -39.9);
  EXPECT_EQ(toDisplay(temperature, 1250).value, 85.0);
  EXPECT_EQ(toRaw(temperature, 25.5).raw, 655u);
  EXPECT_EQ(toRaw(temperature, -39.9).raw, 1u);
  EXPECT_EQ(toRaw(temperature, 85.1).error.view(), "attr 'Temperature': display 85.1 outside -40.0..85.0");
  EXPECT_EQ(toRaw(temperature, 25.55).error.view(),
            "attr 'Temperature': display 25.55 is not a multiple of ratio 0.1 from addition -40");
  EXPECT_EQ(toRaw(*purifier().find("TVOC"), 0.29).raw, 29u);  // 0.29 / 0.01 = 28.999999999999996
  EXPECT_EQ(toRaw(*purifier().find("Energy"), 4000000).raw, 4000000000u);
  EXPECT_EQ(toDisplay(*purifier().find("Energy"), 4000000000u).value, 4000000.0);
}

TEST(P0Display, BoolEnumAndBinary) {
  EXPECT_EQ(toRaw(*gokit().find("LED_Color"), 3).raw, 3u);
  EXPECT_EQ(toRaw(*gokit().find("LED_Color"), 4).error.view(), "attr 'LED_Color': display 4 outside 0..3");
  EXPECT_EQ(toDisplay(*gokit().find("LED_Color"), 4).error.view(),
            "attr 'LED_Color': enum value 4 out of range (4 names)");
  EXPECT_EQ(toRaw(*purifier().find("Schedule"), 1).error.view(),
            "attr 'Schedule': binary point has no display value");
  EXPECT_EQ(toDisplay(*purifier().find("Schedule"), 1).error.view(),
            "attr 'Schedule': binary point has no raw value");
  EXPECT_EQ(toRaw(*gokit().find("LED_R"), std::nan("")).error.view(),
            "attr 'LED_R': display value is not finite");
}

// ---- P0State ----

TEST(P0State, StartsAtMinimumRawValues) {
  const P0State state(purifier());
  EXPECT_EQ(state.raw("Fan_Level"), 1u);  // uint_spec.min 1
  EXPECT_EQ(state.raw("Power"), 0u);
  EXPECT_EQ(state.display("Temperature"), -40.0);
  EXPECT_EQ(state.binary("Schedule").size(), 8u);
  EXPECT_EQ(state.raw("Schedule"), std::nullopt);
  EXPECT_EQ(state.raw("Nope"), std::nullopt);
  EXPECT_EQ(state.display("Nope"), std::nullopt);
  EXPECT_EQ(state.enumName("Power"), std::nullopt);
  EXPECT_TRUE(state.binary("Power").empty());
  EXPECT_EQ(state.rawAt(999), 0u);
}

TEST(P0State, SetterErrors) {
  P0State state(purifier());
  EXPECT_EQ(state.setRaw("Nope", 1).error.view(), "unknown attr 'Nope'");
  EXPECT_EQ(state.setDisplay("Nope", 1).error.view(), "unknown attr 'Nope'");
  EXPECT_EQ(state.setEnum("Nope", "x").error.view(), "unknown attr 'Nope'");
  EXPECT_EQ(state.setBinary("Nope", {}).error.view(), "unknown attr 'Nope'");
  EXPECT_EQ(state.setRaw("Fan_Level", 0).error.view(), "attr 'Fan_Level': raw 0 outside 1..10");
  EXPECT_EQ(state.setRaw("Power", 2).error.view(), "attr 'Power': bool value 2 out of range 0..1");
  EXPECT_EQ(state.setRaw("Mode", 4).error.view(), "attr 'Mode': enum value 4 out of range (4 names)");
  EXPECT_EQ(state.setEnum("Mode", "eco").error.view(), "attr 'Mode': no enum value named 'eco'");
  EXPECT_EQ(state.setEnum("PM25", "eco").error.view(), "attr 'PM25': not an enum");
  EXPECT_EQ(state.setRaw("Schedule", 1).error.view(), "attr 'Schedule': binary point has no raw value");
  EXPECT_EQ(state.setBinary("PM25", ByteVector{1, 2}).error.view(), "attr 'PM25': not a binary point");
  EXPECT_EQ(state.setBinary("Schedule", ByteVector{1}).error.view(),
            "attr 'Schedule': needs 8 binary bytes, got 1");
  EXPECT_EQ(state.setDisplay("Temperature", 90).error.view(),
            "attr 'Temperature': display 90 outside -40.0..85.0");
  EXPECT_EQ(state.setRawAt(99, 1).error.view(), "no attr #99");
  EXPECT_EQ(state.setBinaryAt(99, {}).error.view(), "no attr #99");
  EXPECT_TRUE(state == P0State(purifier()));  // no failed setter changed anything
}

TEST(P0State, SetAndGetByName) {
  P0State state(gokit());
  EXPECT_TRUE(state.setEnum("LED_Color", "purple").ok());
  EXPECT_EQ(state.raw("LED_Color"), 2u);
  EXPECT_TRUE(state.setDisplay("Motor_Speed", -2).ok());
  EXPECT_EQ(state.raw("Motor_Speed"), 3u);
  EXPECT_EQ(state.display("Motor_Speed"), -2.0);
  EXPECT_TRUE(state.setRawAt(*gokit().indexOf("LED_B"), 200).ok());
  EXPECT_EQ(state.rawAt(*gokit().indexOf("LED_B")), 200u);
  EXPECT_FALSE(state == P0State(gokit()));
}

TEST(P0Message, CutsLongTextAtCapacity) {
  P0Message message;
  const std::string long_text(300, 'x');
  message.add(long_text).add("tail");
  EXPECT_EQ(message.view().size(), kP0MessageCapacity);
  P0Message numbers;
  numbers.addUint(18446744073709551615u).add(" ").addInt(-5).add(" ").addHex8(0xAB).add(" ").addNumber(-0.0);
  numbers.add(" ").addNumber(2.5, 2);
  EXPECT_EQ(numbers.view(), "18446744073709551615 -5 AB 0 2.50");
}
