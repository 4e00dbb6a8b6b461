#pragma once
// One real-time lab with one virtual module for the rt tests of issue 4: the lab service (stand-in cloud,
// mosquitto, M2M gate, gagent-air, gagent-sim), the rig as the module's MCU on its pty, and helpers that
// onboard the module over SoftAP through the virtual air. Every process is stopped when the test ends, pass
// or fail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <memory>

#include "gagent/air/air_client.h"
#include "gizrig/cloud/device_registry.h"
#include "gizrig/cloud/m2m_gate.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/links/qt_lan_links.h"
#include "gizrig/clock/rig_clock.h"
#include "gizrig/lab/lab_service.h"
#include "rt_support.h"

namespace gizrig::test {

inline constexpr quint16 kRouterBit = 1u << 4;
inline constexpr quint16 kCloudBit = 1u << 5;

class LabModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app();
    ASSERT_TRUE(dir_.isValid());
    lab::LabOptions options;
    options.runDir = dir_.path();
    options.modules = 1;
    options.firstAddress = 0;  // a free block: other labs of tests run in parallel
    options.freshModules = true;
    customise(options);
    service_ = std::make_unique<lab::LabService>(options);
    QString error;
    ASSERT_TRUE(service_->start(&error)) << error.toStdString();
    module_ = service_->state().modules.at(0);
    QObject::connect(&service_->gate(), &cloud::M2mGate::loginHandled,
                     [this](const QString&, cloud::GateVerdict verdict, quint8 code) {
                       verdicts_ << verdict;
                       codes_ << code;
                     });
    QString productError;
    const auto product =
        core::McuPlug::loadProductFile(GAGENT_FIXTURES_DIR "/products/gokit-demo.json", productError);
    ASSERT_TRUE(product) << productError.toStdString();
    link_ = std::make_unique<core::QSerialPortLink>(module_.pty);
    mcu_ = std::make_unique<core::McuPlug>(link_.get(), &clock_, *product);
    ASSERT_TRUE(mcu_->open());
    ASSERT_TRUE(spinUntil([&] { return mcu_->statusWord().has_value(); }, 15000)) << "no handshake/status";
  }

  void TearDown() override {
    mcu_.reset();
    link_.reset();
    if (service_) service_->stop();
  }

  virtual void customise(lab::LabOptions&) {}

  // The phone joins the module's SoftAP in the air and sends the home router's credentials (S6.2.5).
  void onboardToHomeRouter() {
    using namespace std::chrono_literals;
    gagent::air::AirClient air;
    ASSERT_TRUE(air.connect("127.0.0.1", service_->state().airPort, 2000ms));
    const QStringList modules = tokens(air.request("MODULES", 2000ms));
    ASSERT_GE(modules.size(), 6) << "no module in the air";
    const QString softAp = modules.at(4);
    ASSERT_TRUE(softAp.startsWith("XPG-GAgent-")) << softAp.toStdString();
    const QStringList joined =
        tokens(air.request("SOFTAP-JOIN " + softAp.toStdString() + " 123456789", 2000ms));
    ASSERT_EQ(joined.size(), 1);
    ASSERT_EQ(joined[0], module_.ip);
    core::QtLanLinkFactory links;
    core::AppPlug phone(clock_, links);
    std::optional<core::AppReply> onboarded;
    phone.softApOnboard(QHostAddress(module_.ip), "HomeNet", "password1", {},
                        [&](const core::AppReply& reply) { onboarded = reply; });
    ASSERT_TRUE(spinUntil([&] { return onboarded.has_value(); }, 15000));
    ASSERT_EQ(onboarded->outcome, core::AppOutcome::Ok) << onboarded->error.toStdString();
  }

  [[nodiscard]] quint16 status() const { return mcu_->statusWord().value_or(0); }
  bool waitForBit(quint16 bit, bool on, int guardMs) {
    return spinUntil([&] { return ((status() & bit) != 0) == on; }, guardMs);
  }
  void onboardAndWaitForCloud() {
    onboardToHomeRouter();
    ASSERT_TRUE(waitForBit(kCloudBit, true, 45000)) << "status 0x" << std::hex << status();
  }
  [[nodiscard]] QString did() const {
    const auto devices = service_->registry().devices();
    return devices.isEmpty() ? QString() : devices.front().did;
  }

  static QStringList tokens(const std::optional<std::string>& reply) {
    if (!reply) return {};
    return QString::fromStdString(*reply).split(' ', Qt::SkipEmptyParts).mid(1);
  }

  QTemporaryDir dir_;
  std::unique_ptr<lab::LabService> service_;
  lab::ModuleEntry module_;
  core::RealClock clock_;
  std::unique_ptr<core::QSerialPortLink> link_;
  std::unique_ptr<core::McuPlug> mcu_;
  QList<cloud::GateVerdict> verdicts_;
  QList<quint8> codes_;
};

}  // namespace gizrig::test
