// McuPlug against an in-memory serial link and a manual clock: the MCU's answers byte for byte (protocol
// Appendix A where a vector applies), its requests with the §1.5 retries, status decoding (§1.9), every
// injected fault on the wire, and the frame capture's JSON-lines round trip.
#include "gizrig/plugs/mcu_plug.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QPointer>
#include <QTemporaryDir>
#include <algorithm>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "gagent/proto/mcu_frame.h"
#include "gagent/proto/mcu_payloads.h"
#include "test_bytes.h"

namespace gizrig::core {
namespace {

namespace proto = gagent::proto;
using proto::McuCmd;

QCoreApplication& app() {
  static int argc = 1;
  static char name[] = "mcu_plug_test";
  static char* argv[] = {name, nullptr};
  static QCoreApplication instance(argc, argv);
  return instance;
}

QByteArray hx(std::string_view text) {
  const auto bytes = gagent::test::hex(text);
  return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

std::string spaced(const QByteArray& bytes) {
  return bytes.toHex(' ').toUpper().toStdString();
}

// A module frame built with the proto codec (for answers whose sn no Appendix A vector has).
QByteArray moduleFrame(McuCmd cmd, std::uint8_t sn, const QByteArray& payload = {}) {
  const proto::Bytes body(reinterpret_cast<const std::uint8_t*>(payload.constData()),
                          static_cast<std::size_t>(payload.size()));
  std::vector<std::uint8_t> out(proto::kMcuMaxWireSize);
  out.resize(proto::encodeMcuFrame(proto::McuHeader{cmd, sn, 0}, body, out));
  return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(out.size()));
}

template <typename Build>
QByteArray payloadOf(Build&& build) {
  std::vector<std::uint8_t> buffer(256);
  proto::ByteWriter writer(buffer);
  build(writer);
  return QByteArray(reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(writer.size()));
}

// Time moves only when the test says so; due callbacks run in deadline order (ties: first scheduled first).
class ManualClock final : public RigClock {
 public:
  [[nodiscard]] RigMillis nowMs() const override { return now_; }
  TimerId callAt(RigMillis at, QObject* context, std::function<void()> fn) override {
    timers_.push_back({next_, at, context, context != nullptr, std::move(fn)});
    return next_++;
  }
  void cancel(TimerId id) override {
    std::erase_if(timers_, [id](const Timer& t) { return t.id == id; });
  }
  void advance(RigMillis ms) { advanceTo(now_ + ms); }
  void advanceTo(RigMillis target) {
    for (;;) {
      auto due = std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
        return a.at != b.at ? a.at < b.at : a.id < b.id;
      });
      if (due == timers_.end() || due->at > target) break;
      Timer timer = std::move(*due);
      timers_.erase(due);
      now_ = std::max(now_, timer.at);
      if (!timer.hasContext || timer.context) timer.fn();
    }
    now_ = std::max(now_, target);
  }

 private:
  struct Timer {
    TimerId id;
    RigMillis at;
    QPointer<QObject> context;
    bool hasContext;
    std::function<void()> fn;
  };
  RigMillis now_ = 1000;
  TimerId next_ = 1;
  std::vector<Timer> timers_;
};

// The module's end of the serial line, in memory: what the MCU writes is kept write by write.
class MemoryLink final : public SerialLink {
 public:
  bool open() override { return open_ = true; }
  void close() override { open_ = false; }
  [[nodiscard]] bool isOpen() const override { return open_; }
  void write(const QByteArray& bytes) override { writes.push_back(bytes); }
  [[nodiscard]] QString describe() const override { return QStringLiteral("memory"); }

  void inject(const QByteArray& bytes) { emit received(bytes); }
  // Everything written since the last take, as one byte string.
  QByteArray take() {
    QByteArray all;
    for (const QByteArray& w : writes) all += w;
    writes.clear();
    return all;
  }

  std::vector<QByteArray> writes;

 private:
  bool open_ = true;
};

struct Event {
  QString name;
  QVariantMap fields;
};

class McuPlugTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    QString error;
    auto product = McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", error);
    ASSERT_TRUE(product) << error.toStdString();
    plug = std::make_unique<McuPlug>(&link, &clock, std::move(*product));
    QObject::connect(plug.get(), &McuPlug::event, [this](const QString& name, const QVariantMap& fields) {
      events.push_back({name, fields});
    });
  }

  [[nodiscard]] std::vector<Event> named(const QString& name) const {
    std::vector<Event> out;
    for (const Event& e : events)
      if (e.name == name) out.push_back(e);
    return out;
  }

  // Gets the plug's sn counter to 1 so its next request matches the Appendix A vectors (they use sn 01).
  void useSnZero() {
    plug->sendCommand(McuCmd::P0FromMcu, hx("04 00 00 00 00 00 00 00 00 00 00 00"));
    link.inject(moduleFrame(McuCmd::P0FromMcuAck, 0));
    link.take();
    events.clear();
  }

  ManualClock clock;
  MemoryLink link;
  std::unique_ptr<McuPlug> plug;
  std::vector<Event> events;
};

constexpr std::string_view kGoKitInfoReply =
    "FF FF 00 4F 02 00 00 00 30 30 30 30 30 30 30 34 30 30 30 30 30 30 30 34 30 30 30 30 30 30 30 31 "
    "30 30 30 30 30 30 30 31 36 66 33 30 37 34 66 65 34 33 38 39 34 35 34 37 61 34 66 31 33 31 34 62 "
    "64 37 65 33 61 65 30 62 00 00 00 00 00 00 00 00 00 02 EF";

// ---- answers --------------------------------------------------------------------------------------------

TEST_F(McuPlugTest, S3_Protocol1_8_AnswersGetDeviceInfoWithTheProductsDeviceInfo) {
  link.inject(hx("FF FF 00 05 01 00 00 00 06"));  // Appendix A: info req
  EXPECT_EQ(spaced(link.take()), spaced(hx(kGoKitInfoReply)));
  ASSERT_EQ(named("mcu.handshake").size(), 1u);
  EXPECT_EQ(named("mcu.handshake")[0].fields.value("sn").toInt(), 0);
  EXPECT_EQ(named("mcu.handshake")[0].fields.value("time").toLongLong(), 1000);
  EXPECT_EQ(plug->handshakeCount(), 1);
}

TEST_F(McuPlugTest, Protocol1_8_DeviceInfoFieldsAreSettable) {
  McuDeviceInfo& info = plug->deviceInfo();
  info.hardVer = "HW000002";
  info.softVer = "04000007";
  info.bindTimeout = 0x012C;
  info.devAttr.clear();  // the basic 66-byte form
  link.inject(hx("FF FF 00 05 01 07 00 00 0D"));
  const QByteArray reply = link.take();
  ASSERT_EQ(reply.size(), 2 + 2 + 71);  // header, len field, len 71 bytes (no FF to stuff)
  EXPECT_EQ(spaced(reply.left(8)), "FF FF 00 47 02 07 00 00");
  EXPECT_EQ(reply.mid(24, 8), QByteArray("HW000002"));
  EXPECT_EQ(reply.mid(32, 8), QByteArray("04000007"));
  EXPECT_EQ(spaced(reply.mid(72, 2)), "01 2C");
  ASSERT_FALSE(plug->capture().entries().empty());
  const FrameLogEntry& logged = plug->capture().entries().back();
  EXPECT_EQ(logged.direction, FrameDirection::FromMcu);
  EXPECT_EQ(logged.field("hard_ver"), "HW000002");
  EXPECT_EQ(logged.field("bind_timeout"), "300");

  info.hardVer = "TOO-LONG-VERSION";
  link.inject(hx("FF FF 00 05 01 08 00 00 0E"));
  EXPECT_TRUE(link.take().isEmpty()) << "a wrong frame is never sent";
  ASSERT_EQ(named("mcu.error").size(), 1u);
  EXPECT_TRUE(named("mcu.error")[0].fields.value("error").toString().contains("hard_ver"));
}

TEST_F(McuPlugTest, S7_6_AcksHeartbeatsAndRecordsTheirTimes) {
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));  // Appendix A heartbeat
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
  clock.advance(55000);
  link.inject(hx("FF FF 00 05 07 FF 55 00 00 0B"));  // sn FF, stuffed
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 FF 55 00 00 0C");
  EXPECT_EQ(plug->heartbeatTimes(), (QList<RigMillis>{1000, 56000}));
  EXPECT_EQ(named("mcu.heartbeat").size(), 2u);
}

TEST_F(McuPlugTest, S4_2_StatusPushIsAckedDecodedAndSignalledOnChange) {
  std::vector<std::pair<quint16, RigMillis>> changes;
  QObject::connect(plug.get(), &McuPlug::statusChanged,
                   [&](quint16 word, RigMillis time) { changes.emplace_back(word, time); });
  link.inject(hx("FF FF 00 07 0D 01 00 00 07 1A 36"));  // Appendix A status push 0x071A
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 0E 01 00 00 14");
  ASSERT_EQ(plug->statusWord(), std::optional<quint16>(0x071A));
  const auto status = named("mcu.status");
  ASSERT_EQ(status.size(), 1u);
  const QVariantMap& f = status[0].fields;
  EXPECT_EQ(f.value("word").toInt(), 0x071A);
  EXPECT_FALSE(f.value("softap").toBool());
  EXPECT_TRUE(f.value("station").toBool());
  EXPECT_FALSE(f.value("onboarding").toBool());
  EXPECT_TRUE(f.value("bindable").toBool());
  EXPECT_TRUE(f.value("router").toBool());
  EXPECT_FALSE(f.value("cloud").toBool());
  EXPECT_EQ(f.value("rssi").toInt(), 7);
  EXPECT_FALSE(f.value("app").toBool());
  EXPECT_FALSE(f.value("test").toBool());
  EXPECT_TRUE(f.value("changed").toBool());

  clock.advance(10);
  link.inject(moduleFrame(McuCmd::WifiStatus, 2, hx("07 1A")));  // the same word again
  clock.advance(10);
  link.inject(moduleFrame(McuCmd::WifiStatus, 3, hx("07 3A")));  // + cloud
  EXPECT_EQ(changes, (std::vector<std::pair<quint16, RigMillis>>{{0x071A, 1000}, {0x073A, 1020}}));
  EXPECT_FALSE(named("mcu.status")[1].fields.value("changed").toBool());
  EXPECT_TRUE(named("mcu.status")[2].fields.value("cloud").toBool());
  EXPECT_EQ(plug->capture().entries()[0].field("rssi"), "7");
}

TEST_F(McuPlugTest, Protocol1_11_ControlIsAckedEmptyThenReportedWithTheNewValues) {
  // GoKit: LED_OnOff=1, LED_Color=yellow, LED_R=17, Motor_Speed=3 (raw 8); flags 0x27.
  link.inject(hx("FF FF 00 0D 03 10 00 00 01 27 03 11 00 00 00 08 64"));
  ASSERT_EQ(link.writes.size(), 2u);
  EXPECT_EQ(spaced(link.writes[0]), "FF FF 00 05 04 10 00 00 19");
  EXPECT_EQ(spaced(link.writes[1]), "FF FF 00 11 05 00 00 00 04 03 11 00 00 00 08 00 00 00 00 00 36");
  link.take();
  EXPECT_EQ(plug->dataPoint("LED_OnOff"), QVariant(true));
  EXPECT_EQ(plug->dataPoint("LED_Color"), QVariant(QStringLiteral("yellow")));
  EXPECT_EQ(plug->dataPoint("LED_R"), QVariant(17.0));
  EXPECT_EQ(plug->dataPoint("LED_G"), QVariant(0.0));
  EXPECT_EQ(plug->dataPoint("Motor_Speed"), QVariant(3.0));
  const auto control = named("mcu.control");
  ASSERT_EQ(control.size(), 1u);
  EXPECT_EQ(control[0].fields.value("LED_R").toDouble(), 17.0);
  EXPECT_EQ(control[0].fields.value("LED_Color").toString(), "yellow");
  EXPECT_FALSE(control[0].fields.contains("LED_G")) << "only flagged points";
  // The report waits for its 0x06 ACK; it comes, and the request completes.
  link.inject(hx("FF FF 00 05 06 00 00 00 0B"));
  ASSERT_EQ(named("mcu.ack").size(), 1u);
  EXPECT_EQ(named("mcu.ack")[0].fields.value("cmd").toInt(), 0x05);
  EXPECT_FALSE(plug->requests().outstanding());
  // The log names the P0.
  const auto& entries = plug->capture().entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].field("p0"), "LED_OnOff=1 LED_Color=yellow LED_R=17 Motor_Speed=3");
  EXPECT_EQ(entries[2].field("action"), "report");
}

TEST_F(McuPlugTest, Protocol1_11_ReadIsAnsweredWithReadReplyAndState) {
  ASSERT_EQ(plug->setDataPoints({{"LED_B", 254}, {"Temperature", 22}, {"Fault_IR", true}}, false), "");
  link.inject(hx("FF FF 00 06 03 03 00 00 02 0E"));  // Appendix A read status
  // 03 | 00 00 00 FE 00 00 | 00 23 00 | 00 | 08: B=254 (FE stuffed), Temperature raw 35, Fault_IR bit 3.
  EXPECT_EQ(spaced(link.take()),
            spaced(moduleFrame(McuCmd::P0ToMcuAck, 3, hx("03 00 00 00 FE 00 00 00 23 00 00 08"))));
  ASSERT_EQ(named("mcu.read").size(), 1u);
}

TEST_F(McuPlugTest, Protocol1_11_InvalidControlIsAckedButChangesNothing) {
  link.inject(moduleFrame(McuCmd::P0ToMcu, 9, hx("01 04 00 FF 00 00 00 00")));  // LED_R 255 > max 254
  EXPECT_EQ(spaced(link.take()), spaced(moduleFrame(McuCmd::P0ToMcuAck, 9)));
  EXPECT_EQ(plug->dataPoint("LED_R"), QVariant(0.0));
  ASSERT_EQ(named("mcu.p0.invalid").size(), 1u);
  EXPECT_TRUE(named("mcu.control").empty());
}

TEST_F(McuPlugTest, UserSetsDataPointsByNameAndTheMcuReports) {
  EXPECT_EQ(plug->setDataPoint("Temperature", 25.0), "");  // raw 38 = 0x26
  EXPECT_EQ(spaced(link.take()),
            spaced(moduleFrame(McuCmd::P0FromMcu, 0, hx("04 00 00 00 00 00 00 00 26 00 00 00"))));
  EXPECT_EQ(plug->dataPoint("Temperature"), QVariant(25.0));
  // Unknown names and out-of-range values change nothing and send nothing (all or nothing).
  EXPECT_NE(plug->setDataPoints({{"Humidity", 50}, {"NoSuchPoint", 1}}), "");
  EXPECT_NE(plug->setDataPoint("Humidity", 101), "");
  EXPECT_NE(plug->setDataPoint("LED_Color", "green"), "");
  EXPECT_EQ(plug->dataPoint("Humidity"), QVariant(0.0));
  EXPECT_TRUE(link.take().isEmpty());
  EXPECT_FALSE(plug->dataPoint("NoSuchPoint").isValid());
  EXPECT_EQ(plug->setDataPoint("LED_Color", 3, false), "");
  EXPECT_EQ(plug->dataPoint("LED_Color"), QVariant(QStringLiteral("pink")));
  EXPECT_EQ(plug->dataPoints().size(), 15);
}

TEST_F(McuPlugTest, Protocol1_10_IllegalNoticesAndBadFrames) {
  link.inject(hx("FF FF 00 06 11 77 00 00 01 8F"));  // Appendix A illegal (checksum)
  EXPECT_TRUE(link.take().isEmpty()) << "a notice is never answered";
  ASSERT_EQ(named("mcu.illegal").size(), 1u);
  EXPECT_EQ(named("mcu.illegal")[0].fields.value("code").toInt(), 1);
  EXPECT_EQ(named("mcu.illegal")[0].fields.value("sn").toInt(), 0x77);

  link.inject(hx("FF FF 00 05 07 05 00 00 12"));  // heartbeat with a bad checksum
  EXPECT_EQ(spaced(link.take()), "FF FF 00 06 12 05 00 00 01 1E");
  link.inject(hx("FF FF 00 05 60 20 00 00 85"));  // unknown command
  EXPECT_EQ(spaced(link.take()), "FF FF 00 06 12 20 00 00 02 3A");
  EXPECT_EQ(named("mcu.badframe").size(), 1u);
  EXPECT_EQ(named("mcu.unknown").size(), 1u);
  EXPECT_FALSE(plug->capture().entries()[1].ok);
  EXPECT_EQ(plug->capture().entries()[1].error, "checksum");
}

TEST_F(McuPlugTest, Protocol1_3_FramesInPiecesAndBackToBackAreAllAnswered) {
  const QByteArray heartbeat = hx("FF FF 00 05 07 05 00 00 11");
  for (const char byte : heartbeat) link.inject(QByteArray(1, byte));
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
  link.inject(hx("FF FF 00 05 07 06 00 00 12 FF FF 00 07 0D 01 00 00 07 1A 36"));  // sticky packets
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 06 00 00 13 FF FF 00 05 0E 01 00 00 14");
  EXPECT_EQ(spaced(plug->capture().entries()[2].raw), "FF FF 00 05 07 06 00 00 12");
}

TEST(McuPlugProduct, AMissingOrBadProductFileIsAClearError) {
  QString error;
  EXPECT_FALSE(McuPlug::loadProductFile("/nonexistent/product.json", error));
  EXPECT_TRUE(error.startsWith("/nonexistent/product.json: ")) << error.toStdString();
  QTemporaryDir dir;
  QFile bad(dir.filePath("bad.json"));
  ASSERT_TRUE(bad.open(QIODevice::WriteOnly));
  bad.write("{\"name\": \"x\"}");
  bad.close();
  EXPECT_FALSE(McuPlug::loadProductFile(bad.fileName(), error));
  EXPECT_TRUE(error.startsWith(bad.fileName() + ": ")) << error.toStdString();
}

// ---- the MCU's requests
// ------------------------------------------------------------------------------------

struct CommandCase {
  const char* name;
  std::function<std::uint8_t(McuPlug&)> send;
  const char* request;  // sn 01
  McuCmd ack;
  QByteArray ackPayload;
};

class McuPlugCommands : public McuPlugTest, public ::testing::WithParamInterface<CommandCase> {};

TEST_P(McuPlugCommands, Protocol1_5_SentWithRetriesThenAckedOrTimedOut) {
  const CommandCase& c = GetParam();
  useSnZero();
  EXPECT_EQ(c.send(*plug), 1);
  EXPECT_EQ(spaced(link.take()), spaced(hx(c.request)));
  // No ACK: resent at 200 and 400 ms with the same sn, then given up at 600 ms.
  clock.advance(199);
  EXPECT_TRUE(link.take().isEmpty());
  clock.advance(1);
  EXPECT_EQ(spaced(link.take()), spaced(hx(c.request)));
  clock.advance(200);
  EXPECT_EQ(spaced(link.take()), spaced(hx(c.request)));
  EXPECT_TRUE(named("mcu.timeout").empty());
  clock.advance(200);
  EXPECT_TRUE(link.take().isEmpty());
  ASSERT_EQ(named("mcu.timeout").size(), 1u);
  EXPECT_EQ(named("mcu.timeout")[0].fields.value("transmissions").toInt(), 3);
  EXPECT_EQ(named("mcu.timeout")[0].fields.value("sn").toInt(), 1);
  // The next one is ACKed after its second transmission.
  EXPECT_EQ(c.send(*plug), 2);
  link.take();
  clock.advance(200);
  link.take();
  link.inject(moduleFrame(c.ack, 2, c.ackPayload));
  ASSERT_EQ(named("mcu.ack").size(), 1u);
  EXPECT_EQ(named("mcu.ack")[0].fields.value("transmissions").toInt(), 2);
  clock.advance(1000);
  EXPECT_TRUE(link.take().isEmpty()) << "no resend after the ACK";
  EXPECT_EQ(named("mcu.timeout").size(), 1u);
}

const QByteArray kTimeReply = hx("07 E7 0B 0F 06 0D 17 65 53 F1 03");  // Appendix A time reply payload

INSTANTIATE_TEST_SUITE_P(
    All, McuPlugCommands,
    ::testing::Values(
        CommandCase{"report",
                    [](McuPlug& p) { return p.sendReport(); },
                    "FF FF 00 11 05 01 00 00 04 00 00 00 00 00 00 00 00 00 00 00 1B",
                    McuCmd::P0FromMcuAck,
                    {}},
        CommandCase{"softap",
                    [](McuPlug& p) { return p.sendConfigMode(proto::ConfigMethod::SoftAp); },
                    "FF FF 00 06 09 01 00 00 01 11",
                    McuCmd::ConfigModeAck,
                    {}},
        CommandCase{"airlink",
                    [](McuPlug& p) { return p.sendConfigMode(proto::ConfigMethod::AirLink); },
                    "FF FF 00 06 09 01 00 00 02 12",
                    McuCmd::ConfigModeAck,
                    {}},  // Appendix A
        CommandCase{"reset",
                    [](McuPlug& p) { return p.sendResetModule(); },
                    "FF FF 00 05 0B 01 00 00 11",
                    McuCmd::ResetModuleAck,
                    {}},  // Appendix A
        CommandCase{"production",
                    [](McuPlug& p) { return p.sendProductionTest(); },
                    "FF FF 00 05 13 01 00 00 19",
                    McuCmd::ProductionTestAck,
                    {}},  // Appendix A
        CommandCase{"bind",
                    [](McuPlug& p) { return p.sendBindWindow(); },
                    "FF FF 00 05 15 01 00 00 1B",
                    McuCmd::BindWindowAck,
                    {}},  // Appendix A
        CommandCase{"time", [](McuPlug& p) { return p.requestNetworkTime(); }, "FF FF 00 05 17 01 00 00 1D",
                    McuCmd::NetworkTime, kTimeReply},
        CommandCase{"moduleinfo", [](McuPlug& p) { return p.requestModuleInfo(); },
                    "FF FF 00 06 21 01 00 00 00 28", McuCmd::ModuleInfo, payloadOf([](proto::ByteWriter& w) {
                      proto::buildModuleInfo(
                          {"00000004", "GAGENTSM", "04020000", "02477F00000A", "127.0.0.10", {}}, w);
                    })},
        CommandCase{"restart",
                    [](McuPlug& p) { return p.sendRestartModule(); },
                    "FF FF 00 05 29 01 00 00 2F",
                    McuCmd::RestartModuleAck,
                    {}}),  // Appendix A
    [](const ::testing::TestParamInfo<CommandCase>& param) { return std::string(param.param.name); });

TEST_F(McuPlugTest, Protocol1_8_NetworkTimeReplyIsDecoded) {
  const std::uint8_t sn = plug->requestNetworkTime();
  link.inject(moduleFrame(McuCmd::NetworkTime, sn, kTimeReply));
  ASSERT_TRUE(plug->networkTime());
  EXPECT_EQ(plug->networkTime()->year, 2023);
  EXPECT_EQ(plug->networkTime()->month, 11);
  EXPECT_EQ(plug->networkTime()->second, 23);
  EXPECT_EQ(plug->networkTime()->ntp, 0x6553F103u);
  ASSERT_EQ(named("mcu.ack").size(), 1u);
  EXPECT_EQ(named("mcu.ack")[0].fields.value("local_time").toString(), "2023-11-15 06:13:23");
  EXPECT_EQ(named("mcu.ack")[0].fields.value("ntp").toLongLong(), 0x6553F103);
}

TEST_F(McuPlugTest, Protocol1_8_ModuleInfoReplyIsDecoded) {
  const std::uint8_t sn = plug->requestModuleInfo();
  link.inject(moduleFrame(
      McuCmd::ModuleInfo, sn, payloadOf([](proto::ByteWriter& w) {
        proto::buildModuleInfo({"00000004", "GAGENTSM", "04020000", "02477F00000A", "127.0.0.10", {}}, w);
      })));
  ASSERT_TRUE(plug->moduleInfo());
  EXPECT_EQ(plug->moduleInfo()->mac, "02477F00000A");
  EXPECT_EQ(plug->moduleInfo()->ip, "127.0.0.10");
  EXPECT_EQ(plug->moduleInfo()->softVer, "04020000");
  EXPECT_EQ(plug->moduleInfo()->hardVer, "GAGENTSM");
  EXPECT_EQ(plug->moduleInfo()->protocolVer, "00000004");
  EXPECT_EQ(named("mcu.ack")[0].fields.value("mac").toString(), "02477F00000A");
}

TEST_F(McuPlugTest, S9_OneOutstandingRequestAtATimeAndStrayAcksAreReported) {
  const std::uint8_t first = plug->sendBindWindow();
  const std::uint8_t second = plug->sendResetModule();
  EXPECT_EQ(spaced(link.take()), spaced(moduleFrame(McuCmd::BindWindow, first)));
  link.inject(moduleFrame(McuCmd::ResetModuleAck, second));  // not the outstanding one
  EXPECT_EQ(named("mcu.unmatched").size(), 1u);
  link.inject(moduleFrame(McuCmd::BindWindowAck, first));
  EXPECT_EQ(spaced(link.take()), spaced(moduleFrame(McuCmd::ResetModule, second)));
}

// ---- faults ---------------------------------------------------------------------------------------------

TEST_F(McuPlugTest, FaultDelayedAcksKeepTheirOrder) {
  plug->delayAcks(300);
  link.inject(hx("FF FF 00 0D 03 10 00 00 01 27 03 11 00 00 00 08 64"));  // control
  EXPECT_TRUE(link.take().isEmpty());
  clock.advance(299);
  EXPECT_TRUE(link.take().isEmpty());
  clock.advance(1);
  ASSERT_EQ(link.writes.size(), 2u) << "the report goes out right behind the late ACK";
  EXPECT_EQ(spaced(link.writes[0]), "FF FF 00 05 04 10 00 00 19");
  EXPECT_EQ(link.writes[1][4], 0x05);
  const auto& entries = plug->capture().entries();
  EXPECT_EQ(entries[1].time, 1300);
  EXPECT_EQ(entries[1].fault, "delayed 300 ms");
}

TEST_F(McuPlugTest, FaultDroppedAcks) {
  plug->dropAcks(1);
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  EXPECT_TRUE(link.take().isEmpty());
  EXPECT_EQ(plug->capture().entries().back().fault, "dropped (not sent)");
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));  // the module's resend
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
}

TEST_F(McuPlugTest, FaultCorruptChecksum) {
  plug->corruptChecksums(1);
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 13");
  EXPECT_FALSE(plug->capture().entries().back().ok);
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
  // Own requests too; a retransmission of it is clean again.
  useSnZero();
  plug->corruptChecksums(1);
  plug->sendBindWindow();
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 15 01 00 00 1C");
  clock.advance(200);
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 15 01 00 00 1B");
}

TEST_F(McuPlugTest, FaultUnstuffedFf) {
  plug->sendUnstuffedFf(2);
  link.inject(hx("FF FF 00 05 07 FF 55 00 00 0B"));  // sn FF: its stuffing is left out
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 FF 00 00 0C");
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));  // no FF in the frame: a bare one before the checksum
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 FF 12");
  EXPECT_EQ(plug->capture().entries().back().fault, "unstuffed FF");
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
}

TEST_F(McuPlugTest, FaultSplitFramesWithGaps) {
  plug->splitFrames(4, 20);
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  ASSERT_EQ(link.writes.size(), 1u);
  EXPECT_EQ(spaced(link.writes[0]), "FF FF 00 05");
  clock.advance(19);
  EXPECT_EQ(link.writes.size(), 1u);
  clock.advance(1);
  clock.advance(20);
  ASSERT_EQ(link.writes.size(), 3u);
  EXPECT_EQ(spaced(link.writes[1]), "08 05 00 00");
  EXPECT_EQ(spaced(link.writes[2]), "12");
  EXPECT_EQ(plug->capture().entries().back().fault, "split 3 x 4 B, 20 ms apart");
}

TEST_F(McuPlugTest, FaultSilenceAnswersNothingUntilLifted) {
  plug->setSilent(true);
  link.inject(hx("FF FF 00 05 01 00 00 00 06"));
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  link.inject(hx("FF FF 00 0D 03 10 00 00 01 27 03 11 00 00 00 08 64"));
  clock.advance(1000);
  EXPECT_TRUE(link.take().isEmpty());
  EXPECT_EQ(plug->capture().size(), 3u) << "received frames are still logged";
  EXPECT_EQ(named("mcu.heartbeat").size(), 1u);
  plug->setSilent(false);
  link.inject(hx("FF FF 00 05 07 05 00 00 11"));
  EXPECT_EQ(spaced(link.take()), "FF FF 00 05 08 05 00 00 12");
}

TEST_F(McuPlugTest, RawBytesGoOutAsGiven) {
  plug->sendRawBytes(hx("FF FF FF 00"));
  EXPECT_EQ(spaced(link.take()), "FF FF FF 00");
  EXPECT_EQ(plug->capture().entries().back().name, "raw bytes");
}

// ---- capture --------------------------------------------------------------------------------------------

TEST_F(McuPlugTest, CaptureRoundTripsThroughJsonLines) {
  std::vector<FrameLogEntry> logged;
  QObject::connect(plug.get(), &McuPlug::frameLogged, [&](const FrameLogEntry& e) { logged.push_back(e); });
  link.inject(hx("FF FF 00 05 01 00 00 00 06"));
  link.inject(hx("FF FF 00 07 0D 01 00 00 07 1A 36"));
  plug->corruptChecksums(1);
  link.inject(hx("FF FF 00 05 07 05 00 00 12"));  // bad frame in, bad notice out
  ASSERT_EQ(logged.size(), 6u);
  EXPECT_EQ(plug->capture().size(), 6u);

  QTemporaryDir dir;
  const QString path = dir.filePath("capture.jsonl");
  QString error;
  ASSERT_TRUE(plug->capture().save(path, error)) << error.toStdString();
  McuCapture loaded;
  ASSERT_TRUE(loaded.load(path, error)) << error.toStdString();
  ASSERT_EQ(loaded.size(), 6u);
  for (std::size_t i = 0; i < loaded.size(); ++i) EXPECT_EQ(loaded.at(i), logged[i]) << "entry " << i;
  EXPECT_EQ(loaded.at(0).direction, FrameDirection::ToMcu);
  EXPECT_EQ(loaded.at(1).field("product_key"), "6f3074fe43894547a4f1314bd7e3ae0b");
  EXPECT_EQ(loaded.at(5).fault, "bad checksum");

  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::Append));
  file.write("{\"t\":1,\"dir\":\"sideways\"}\n");
  file.close();
  EXPECT_FALSE(loaded.load(path, error));
  EXPECT_TRUE(error.contains(":7:")) << error.toStdString();
  EXPECT_EQ(loaded.size(), 6u) << "a failed load changes nothing";
}

TEST(McuCaptureTest, KeepsTheNewestEntries) {
  McuCapture capture(2);
  for (int i = 0; i < 5; ++i) {
    FrameLogEntry entry;
    entry.time = i;
    capture.append(entry);
  }
  ASSERT_EQ(capture.size(), 2u);
  EXPECT_EQ(capture.at(0).time, 3);
  EXPECT_EQ(capture.droppedCount(), 3u);
}

}  // namespace
}  // namespace gizrig::core
