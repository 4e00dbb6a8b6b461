// Issue 6, engineer view against a virtual lab in real time: one click starts a lab module (gagent-sim on a
// pty, the air, the stand-in cloud on mosquitto) without blocking the GUI; the console decodes its handshake,
// the composer's phone onboards it through the air, and the MQTT tab shows its login through the lab's M2M
// gate, decoded. Closing stops the lab and leaves no process behind.
#include <gtest/gtest.h>

#include <QPushButton>
#include <QTabWidget>

#include "engineer/engineer_composer.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_frame_filter.h"
#include "engineer/engineer_frame_model.h"
#include "engineer/engineer_ota.h"
#include "engineer/engineer_wire.h"
#include "engineer/engineer_wire_model.h"
#include "engineer_test_fixture.h"
#include "gizrig/plugs/mcu_capture.h"
#include "lab_process_support.h"

using namespace gizrig::gui;
using gizrig::core::FrameDirection;
using gizrig::core::WireKind;
using gizrig::core::WirePacket;
using gui_b_test::labChildren;
using gui_b_test::waitUntil;

namespace {

class EngineerLabTest : public gui_b_test::EngineerViewFixture {
 protected:
  bool sawFrame(const QString& code, FrameDirection direction) const {
    for (const auto& e : view_->console()->model()->entries())
      if (commandCode(e) == code && e.direction == direction) return true;
    return false;
  }
  // What the module said and did, for a failure message.
  std::string trafficSoFar() const {
    std::string out;
    for (const auto& e : view_->console()->model()->entries())
      out += QString("%1 %2 %3\n").arg(e.time).arg(e.name, fieldsText(e)).toStdString();
    for (const WirePacket& p : view_->wireModel()->entries()) out += p.item.name + "\n";
    return out;
  }
  const WirePacket* packetNamed(const std::string& name, bool fromModule) const {
    for (const WirePacket& p : view_->wireModel()->entries())
      if (p.kind == WireKind::Mqtt && p.item.name == name && p.fromModule == fromModule) return &p;
    return nullptr;
  }
};

TEST_F(EngineerLabTest,
       S1_8_S6_2_5_S8_5_S9_6_ALabModuleInRealTimeHandshakesOnboardsLogsInDecodedAndTakesAnOta) {
  ASSERT_TRUE(view_->startLabModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")))
      << view_->lastMessage().toStdString();
  // The lab starts on its own thread: the GUI thread keeps turning meanwhile.
  EXPECT_TRUE(view_->session().labStarting());
  int turns = 0;
  ASSERT_TRUE(waitUntil(
      [&] {
        ++turns;
        return view_->session().kind() == EngineerSession::Kind::Lab;
      },
      30000))
      << view_->lastMessage().toStdString();
  EXPECT_GT(turns, 5);
  EXPECT_FALSE(labChildren().isEmpty());  // gagent-sim, gagent-air, mosquitto are running for us

  ASSERT_TRUE(waitUntil([&] { return sawFrame("0x02", FrameDirection::FromMcu); }, 15000));
  EXPECT_TRUE(sawFrame("0x01", FrameDirection::ToMcu));

  QPushButton* onboard = nullptr;
  for (auto* b : view_->composer()->findChildren<QPushButton*>())
    if (b->text().startsWith("Onboard to")) onboard = b;
  ASSERT_NE(onboard, nullptr);
  onboard->click();
  ASSERT_TRUE(waitUntil([&] { return packetNamed("CONNACK", false) != nullptr; }, 60000))
      << view_->lastMessage().toStdString() << "\n"
      << trafficSoFar();
  const WirePacket* connect = packetNamed("CONNECT", true);
  ASSERT_NE(connect, nullptr);
  EXPECT_TRUE(connect->item.ok);
  EXPECT_FALSE(view_->session().did().isEmpty());  // learnt from the CONNECT's client id (S8.5)
  bool clientIsDid = false;
  for (const auto& [name, value] : connect->item.fields)
    if (name == "client") clientIsDid = QString::fromStdString(value) == view_->session().did();
  EXPECT_TRUE(clientIsDid);
  // Accepted by the gate and mosquitto: CONNACK code 0.
  EXPECT_EQ(packetNamed("CONNACK", false)->bytes, (std::vector<std::uint8_t>{0x20, 0x02, 0x00, 0x00}));
  EXPECT_TRUE(waitUntil([&] { return view_->lastMessage().contains("onboarding: done"); }, 10000))
      << view_->lastMessage().toStdString();

  view_->tabs()->setCurrentWidget(view_->mqttWireView());
  ASSERT_TRUE(gui_b_test::screenshot(*view_, "engineer-lab-mqtt"));

  // S9.1/S9.6 through the lab's cloud: the OTA panel publishes, pushes, and reads the new version back after
  // the module's reboot.
  QPushButton* push = nullptr;
  for (auto* b : view_->otaPanel()->findChildren<QPushButton*>())
    if (b->text().startsWith("Publish and push OTA")) push = b;
  ASSERT_NE(push, nullptr);
  push->click();
  ASSERT_TRUE(waitUntil([&] { return !view_->otaPanel()->readBackVersion().isEmpty(); }, 60000))
      << view_->lastMessage().toStdString();
  EXPECT_EQ(view_->otaPanel()->readBackVersion(), QStringLiteral("04020001"));

  view_->closeModule();
  EXPECT_TRUE(waitUntil([] { return labChildren().isEmpty(); }, 10000))
      << labChildren().join(' ').toStdString();
}

TEST_F(EngineerLabTest, Issue13_TheMessageLineSaysTheLabModuleIsUpOnceItIsAndClosedAfterClose) {
  ASSERT_TRUE(view_->startLabModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  EXPECT_TRUE(view_->lastMessage().contains("starting a lab module")) << view_->lastMessage().toStdString();
  ASSERT_TRUE(waitUntil([&] { return view_->session().kind() == EngineerSession::Kind::Lab; }, 30000))
      << view_->lastMessage().toStdString();
  // Not "starting…" any more: the module is up, and the line names it.
  EXPECT_TRUE(view_->lastMessage().contains("module open: " + view_->session().describe()))
      << view_->lastMessage().toStdString();
  // Close once the module is onboarded: closing a fresh lab module while the lab phone's MQTT client has
  // not logged in yet aborts in cloud::AppClient's destructor (Paho refuses to drop callbacks during a
  // connect) - a rig/cloud bug reported apart, not this test's subject.
  ASSERT_TRUE(waitUntil([&] { return sawFrame("0x02", FrameDirection::FromMcu); }, 15000));
  view_->session().onboard([](const QString&) {});
  ASSERT_TRUE(waitUntil([&] { return packetNamed("CONNACK", false) != nullptr; }, 60000)) << trafficSoFar();
  view_->closeModule();
  EXPECT_TRUE(view_->lastMessage().contains("module closed")) << view_->lastMessage().toStdString();
  EXPECT_TRUE(waitUntil([] { return labChildren().isEmpty(); }, 10000))
      << labChildren().join(' ').toStdString();
}

TEST_F(EngineerLabTest, Issue6_CloseWhileTheLabStartsCancelsItAndLeavesNothingBehind) {
  ASSERT_TRUE(view_->startLabModule(QStringLiteral(GAGENT_FIXTURES_DIR "/products/gokit-demo.json")));
  ASSERT_TRUE(view_->session().labStarting());
  view_->closeModule();
  EXPECT_FALSE(view_->session().labStarting());
  EXPECT_EQ(view_->session().kind(), EngineerSession::Kind::None);
  // The cancelled lab is stopped once its start returns; it never opens the session.
  EXPECT_TRUE(waitUntil([] { return labChildren().isEmpty(); }, 15000))
      << labChildren().join(' ').toStdString();
  gui_b_test::waitUntil([] { return false; }, 500);
  EXPECT_EQ(view_->session().kind(), EngineerSession::Kind::None);
}

TEST_F(EngineerLabTest, ABadProductIsAClearErrorAndNoLab) {
  EXPECT_FALSE(view_->startLabModule(QStringLiteral("/nonexistent/product.json")));
  EXPECT_FALSE(view_->session().labStarting());
  EXPECT_TRUE(view_->lastMessage().contains("/nonexistent/product.json"))
      << view_->lastMessage().toStdString();
}

}  // namespace
