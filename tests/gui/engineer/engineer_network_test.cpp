// The engineer view's network side (issue 6) on a virtual module: the LAN and MQTT traffic tabs decode the
// packets of onboarding, discovery and the cloud login the same way the serial console decodes frames; the
// app / cloud events tab runs the phone's actions; the OTA panel pushes an image through the stand-in cloud
// and reads the new version back after the reboot.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <functional>

#include "engineer_test_fixture.h"
#include "gizrig/clock/rig_clock.h"
#include "gui_b_test_support.h"
#include "engineer/engineer_composer.h"
#include "engineer/engineer_lan.h"
#include "engineer/engineer_ota.h"
#include "engineer/engineer_session.h"
#include "engineer/engineer_view.h"
#include "engineer/engineer_wire.h"
#include "engineer/engineer_wire_model.h"

using namespace gizrig::gui;
using gizrig::core::WireKind;
using gizrig::core::WirePacket;

namespace {

WirePacket packet(WireKind kind, bool fromModule, const std::string& name, std::vector<std::uint8_t> bytes) {
  WirePacket p;
  p.kind = kind;
  p.fromModule = fromModule;
  p.peer = "10.0.0.1:1883";
  p.item.name = name;
  p.item.fields = {{"client", "did42"}};
  p.bytes = std::move(bytes);
  return p;
}

TEST(WireFilter, Issue6_TrafficFilterByProtocolAndByNameFieldPeerOrHex) {
  const WirePacket connect = packet(WireKind::Mqtt, true, "CONNECT", {0x10, 0x2A});
  WireFilter lanOnly;
  lanOnly.kinds = {WireKind::Lan};
  EXPECT_FALSE(lanOnly.matches(connect));
  WireFilter mqtt;
  mqtt.kinds = {WireKind::Mqtt, WireKind::Http};
  EXPECT_TRUE(mqtt.matches(connect));
  for (const char* text : {"connect", "did42", "1883", "10 2a", "102A"}) {
    mqtt.text = QString::fromLatin1(text);
    EXPECT_TRUE(mqtt.matches(connect)) << text;
  }
  mqtt.text = QStringLiteral("SUBSCRIBE");
  EXPECT_FALSE(mqtt.matches(connect));
  EXPECT_EQ(wireDirectionText(connect), QStringLiteral("module → 10.0.0.1:1883"));
  WirePacket lost = connect;
  lost.fromModule = false;
  lost.udp = true;
  lost.item.ok = false;
  lost.item.error = "lost";
  EXPECT_EQ(wireDirectionText(lost), QStringLiteral("module ← 10.0.0.1:1883 (UDP)"));
  EXPECT_EQ(wireVerdict(lost), QStringLiteral("bad: lost"));
  EXPECT_EQ(wireFieldsText(connect), QStringLiteral("client=did42"));
}

class EngineerNetworkTest : public gui_b_test::EngineerViewFixture {
 protected:
  void SetUp() override {
    EngineerViewFixture::SetUp();
    ASSERT_TRUE(view_->startVirtualModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
        << view_->lastMessage().toStdString();
    view_->session().setPumping(false);  // the test owns virtual time
  }

  QPushButton* button(QWidget* parent, const QString& startsWith) const {
    for (auto* b : parent->findChildren<QPushButton*>())
      if (b->text().startsWith(startsWith)) return b;
    return nullptr;
  }

  // Rows the view shows (after its filter) whose Packet column is `name`.
  static int rowsNamed(const EngineerWireView& view, const QString& name) {
    const QAbstractItemModel* model = view.table()->model();
    int count = 0;
    for (int row = 0; row < model->rowCount(); ++row)
      if (model->index(row, WireTableModel::Packet).data().toString() == name) ++count;
    return count;
  }

  bool wireHas(WireKind kind, const std::string& name) const {
    for (const WirePacket& p : view_->wireModel()->entries())
      if (p.kind == kind && p.item.name == name) return true;
    return false;
  }

  // The composer's onboarding button: the virtual phone sends 0001 over the SoftAP; the module joins HomeNet,
  // registers and logs in to M2M.
  void onboardThroughTheComposer() {
    QPushButton* onboard = button(view_->composer(), QStringLiteral("Onboard to"));
    ASSERT_NE(onboard, nullptr);
    runUntil([] { return false; }, 1000);  // the factory-new module's SoftAP is up
    onboard->click();
    ASSERT_TRUE(runUntil([&] { return wireHas(WireKind::Mqtt, "CONNACK"); }, 120000))
        << view_->lastMessage().toStdString();
    ASSERT_FALSE(view_->session().did().isEmpty());
  }
};

TEST_F(EngineerNetworkTest, S6_2_5_S8_5_OnboardingShowsDecodedLanAndMqttPacketsInTheirTabs) {
  onboardThroughTheComposer();
  EngineerWireView& lan = *view_->lanWireView();
  EngineerWireView& mqtt = *view_->mqttWireView();
  EXPECT_EQ(rowsNamed(lan, "0x0001 onboarding request"), 1);
  EXPECT_EQ(rowsNamed(lan, "CONNECT"), 0);  // the LAN tab shows LAN packets only
  EXPECT_EQ(rowsNamed(mqtt, "CONNECT"), 1);
  EXPECT_EQ(rowsNamed(mqtt, "CONNACK"), 1);
  EXPECT_EQ(rowsNamed(mqtt, "POST /dev/devices HTTP/1.1"), 1);  // S8.3 registration before the login
  EXPECT_EQ(rowsNamed(mqtt, "0x0001 onboarding request"), 0);

  // The CONNECT row reads like a console row: direction, the client id = the DID (S8.5), verdict, hex.
  const QAbstractItemModel* rows = mqtt.table()->model();
  int connectRow = -1;
  for (int row = 0; row < rows->rowCount(); ++row)
    if (rows->index(row, WireTableModel::Packet).data().toString() == "CONNECT") connectRow = row;
  ASSERT_GE(connectRow, 0);
  EXPECT_TRUE(rows->index(connectRow, WireTableModel::Direction).data().toString().startsWith("module → "));
  EXPECT_TRUE(rows->index(connectRow, WireTableModel::Fields)
                  .data()
                  .toString()
                  .contains("client=" + view_->session().did()));
  EXPECT_EQ(rows->index(connectRow, WireTableModel::Verdict).data().toString(), "ok");
  EXPECT_TRUE(rows->index(connectRow, WireTableModel::Raw).data().toString().startsWith("10 "));  // CONNECT

  // The text filter narrows the tab without dropping packets.
  const int all = rows->rowCount();
  mqtt.setTextFilter(QStringLiteral("SUBACK"));
  EXPECT_GE(rows->rowCount(), 1);
  EXPECT_LT(rows->rowCount(), all);
  for (int row = 0; row < rows->rowCount(); ++row)
    EXPECT_EQ(rows->index(row, WireTableModel::Packet).data().toString(), "SUBACK");
  mqtt.setTextFilter({});
  EXPECT_EQ(rows->rowCount(), all);

  view_->tabs()->setCurrentWidget(&mqtt);
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-mqtt"));
  view_->tabs()->setCurrentWidget(&lan);
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-lan"));
}

TEST_F(EngineerNetworkTest, S7_1_S7_3_TheEventsTabRunsTheAppsDiscoveryAndLoginAndTheirPacketsAreOnTheWire) {
  onboardThroughTheComposer();
  EngineerLanView& events = *view_->lanView();
  QPushButton* discover = button(&events, QStringLiteral("Discover"));
  QPushButton* login = button(&events, QStringLiteral("Login"));
  ASSERT_NE(discover, nullptr);
  ASSERT_NE(login, nullptr);
  discover->click();
  ASSERT_TRUE(runUntil([&] { return wireHas(WireKind::Lan, "0x0004 discovery reply"); }, 10000));
  login->click();
  ASSERT_TRUE(runUntil([&] { return wireHas(WireKind::Lan, "0x0009 login result"); }, 10000));
  ASSERT_TRUE(runUntil([&] { return view_->lastMessage().contains("app.login: PASS"); }, 5000))
      << view_->lastMessage().toStdString();
  // The app's events are in the events table, with the DID the module announced in 0004.
  QTableWidget* table = events.table();
  bool sawDevice = false;
  for (int row = 0; row < table->rowCount(); ++row)
    if (table->item(row, 3)->text().contains(view_->session().did())) sawDevice = true;
  EXPECT_TRUE(sawDevice);
  EXPECT_EQ(rowsNamed(*view_->lanWireView(), "0x0006 passcode request"), 1);
  EXPECT_EQ(rowsNamed(*view_->lanWireView(), "0x0008 login"), 1);
}

TEST_F(EngineerNetworkTest, S9_1_S9_6_TheOtaPanelPushesAnImageAndReadsTheNewVersionBackAfterTheReboot) {
  onboardThroughTheComposer();
  QPushButton* push = button(view_->otaPanel(), QStringLiteral("Publish and push OTA"));
  ASSERT_NE(push, nullptr);
  push->click();
  ASSERT_TRUE(runUntil([&] { return !view_->otaPanel()->readBackVersion().isEmpty(); }, 10 * 60000))
      << view_->lastMessage().toStdString();
  EXPECT_EQ(view_->otaPanel()->readBackVersion(), QStringLiteral("04020001"));  // the panel's default image
  EXPECT_TRUE(view_->lastMessage().contains("done: the module runs 04020001"))
      << view_->lastMessage().toStdString();
  // The MQTT tab shows the cloud's push reaching the module, then the module's OTA check over HTTP (S9.1).
  bool pushed = false;
  for (const WirePacket& p : view_->wireModel()->entries())
    if (p.kind == WireKind::Mqtt && !p.fromModule && p.item.name == "PUBLISH") pushed = true;
  EXPECT_TRUE(pushed);
  EXPECT_TRUE(wireHas(WireKind::Http, "POST /dev/ota/v4.1/update_and_check/" +
                                          view_->session().did().toStdString() + " HTTP/1.1"));
  view_->tabs()->setCurrentWidget(view_->otaPanel());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-ota"));
}

}  // namespace

namespace {

TEST_F(EngineerNetworkTest, Issue6_AnOtaPushCanBeCancelledAndThePanelStopsFollowingTheModule) {
  onboardThroughTheComposer();
  QPushButton* push = button(view_->otaPanel(), QStringLiteral("Publish and push OTA"));
  QPushButton* cancel = button(view_->otaPanel(), QStringLiteral("Cancel"));
  ASSERT_NE(push, nullptr);
  ASSERT_NE(cancel, nullptr);
  EXPECT_FALSE(cancel->isEnabled());  // nothing to cancel yet
  push->click();
  ASSERT_TRUE(view_->otaPanel()->busy());
  EXPECT_FALSE(push->isEnabled());
  EXPECT_TRUE(cancel->isEnabled());
  cancel->click();
  EXPECT_FALSE(view_->otaPanel()->busy());
  EXPECT_TRUE(push->isEnabled());
  EXPECT_TRUE(view_->lastMessage().contains("cancelled")) << view_->lastMessage().toStdString();
  // Whatever the module does now, the cancelled attempt reads nothing back.
  runUntil([] { return false; }, 5 * 60000);
  EXPECT_TRUE(view_->otaPanel()->readBackVersion().isEmpty());
  EXPECT_FALSE(view_->otaPanel()->busy());
}

}  // namespace
