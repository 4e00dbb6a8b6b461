#pragma once
// The firmware: owns every module, wires their listeners together and runs them from one loop (S12).
//
//   agent.start(now);
//   for (;;) { agent.poll(now); port.waitUntil(agent.nextDeadline()); }
//
// The agent keeps no protocol logic of its own: it routes events between modules (MCU link, WiFi, onboarding,
// production, LAN, cloud), derives the status word and LED pattern from their states, persists the config
// and decides when to reboot. Its handlers are split by area: agent_mcu.cpp, agent_network.cpp,
// agent_cloud.cpp.

#include <cstdint>
#include <string_view>

#include "gagent/core/bind_window.h"
#include "gagent/core/cloud_client.h"
#include "gagent/core/config_store.h"
#include "gagent/core/forwarder.h"
#include "gagent/core/lan_log_sink.h"
#include "gagent/core/lan_server.h"
#include "gagent/core/lan_udp.h"
#include "gagent/core/led_driver.h"
#include "gagent/core/log.h"
#include "gagent/core/mcu_link.h"
#include "gagent/core/module_identity.h"
#include "gagent/core/mqtt_session.h"
#include "gagent/core/onboarding.h"
#include "gagent/core/ota_updater.h"
#include "gagent/core/production_mode.h"
#include "gagent/core/status_reporter.h"
#include "gagent/core/timer.h"
#include "gagent/core/web_config.h"
#include "gagent/core/wifi_manager.h"
#include "gagent/hal/hal.h"

namespace gagent::core {

struct AgentOptions {
  std::string_view wifiHardwareVersion = "GAGENTSM";  // S2.1: vendor code + model
  std::string_view wifiSoftwareVersion = "04020000";  // S2.2; an installed OTA image's version wins
  CloudSettings cloud;
  hal::Ipv4 broadcastAddress = LanUdp::kDefaultBroadcast;  // the virtual lab passes 127.255.255.255
  std::uint16_t webConfigPort = WebConfigServer::kDefaultPort;
  std::int32_t timeZoneSeconds = 8 * 3600;  // protocol §1.8: v4.2.6 answers 0x18 in UTC+8
};

class Agent final : private McuLinkListener,
                    private StatusSink,
                    private ForwarderOutputs,
                    private WifiListener,
                    private ProductionListener,
                    private OnboardingListener,
                    private WebConfigListener,
                    private LanUdpListener,
                    private LanServerListener,
                    private BindWindowListener,
                    private CloudListener,
                    private OtaListener,
                    private MqttSessionListener,
                    private LanLogListener {
 public:
  static constexpr Millis kResetRebootDelay = hal::seconds(2);  // protocol §1.8: 0x0B, then reboot 2 s later
  static constexpr Millis kRestartRebootDelay = 100;            // protocol §1.8: 0x29
  // S6.2.5, S6.3.3: the AP stays up this long after credentials were taken, so the 0002 / success page
  // leave the radio and an app that missed the 0002 and resends (once a second) is answered again.
  static constexpr Millis kConfiguredRebootDelay = 1500;
  static constexpr Millis kWatchdogFeedInterval = hal::seconds(30);  // well inside S12.4's 5 minutes
  static constexpr Millis kProductionScanInterval = ProductionMode::kScanInterval;  // S5.2

  Agent(hal::Board& board, LogHub& logs, const AgentOptions& options = {});

  void start(Millis now);
  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const;

  // A reboot was asked of the board (System::reboot); the port restarts the core.
  [[nodiscard]] bool rebootRequested() const { return rebooted_; }
  [[nodiscard]] const DeviceConfig& config() const { return store_.config(); }
  [[nodiscard]] const ModuleIdentity& identity() const { return identity_; }
  [[nodiscard]] std::uint16_t statusWord() const { return status_.word(); }
  [[nodiscard]] LedMode ledMode() const { return leds_.mode(); }

 private:
  // agent.cpp
  void loadConfig();
  void loadIdentity();
  void startNetwork(Millis now);
  void refresh(Millis now);
  [[nodiscard]] proto::WifiStatus deriveStatus(Millis now) const;
  [[nodiscard]] LedMode deriveLedMode() const;
  void scheduleReboot(Millis delay, const char* reason, Millis now);
  void saveConfig();

  // agent_network.cpp
  void onInterfaceChanged(Millis now);
  void restoreScanCadence(Millis now);
  void saveCredentialsAndReboot(std::string_view ssid, std::string_view password, ConfigSource source,
                                Millis now);

  // agent_cloud.cpp
  void startCloudIfReady(Millis now);
  void stopCloud();

  // McuLinkListener (agent_mcu.cpp)
  void onDeviceInfo(const proto::DeviceInfo& info, Millis now) override;
  void onHandshakeFailed(Millis now) override;
  void onP0Answer(RequestTag tag, proto::Bytes p0, Millis now) override;
  void onP0Failed(RequestTag tag, Millis now) override;
  void onMcuReport(proto::Bytes p0, Millis now) override;
  void onConfigModeRequest(const proto::ConfigModeRequest& request, Millis now) override;
  void onResetRequest(Millis now) override;
  void onProductionTestRequest(Millis now) override;
  void onBindWindowRequest(Millis now) override;
  void onRestartRequest(Millis now) override;
  proto::NetworkTime networkTime(Millis now) override;
  void buildModuleInfo(proto::ByteWriter& out) override;
  void onMcuSilent(Millis now) override;
  // StatusSink
  void pushStatus(std::uint16_t word, Millis now) override;
  // ForwarderOutputs
  bool sendToMcu(proto::Bytes p0, RequestTag tag, Millis now) override;
  void answerLanClient(std::size_t slot, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0) override;
  void answerCloudClient(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn,
                         proto::Bytes p0) override;
  void reportToEveryone(proto::Bytes p0) override;

  // WifiListener, ProductionListener, OnboardingListener, WebConfigListener, LanUdpListener,
  // LanServerListener, BindWindowListener (agent_network.cpp)
  void onRouterConnected(Millis now) override;
  void onRouterLost(Millis now) override;
  void onSignal(std::uint8_t raw, Millis now) override;
  void onScanDone(std::span<const hal::AccessPoint> results, Millis now) override;
  void onTestRouterChosen(std::string_view ssid, std::string_view password, Millis now) override;
  void onProductionWindowExpired(Millis now) override;
  void onModeChanged(OnboardingState previous, OnboardingState current, Millis now) override;
  void onConfigured(std::string_view ssid, std::string_view password, ConfigSource source,
                    Millis now) override;
  void onWebCredentials(std::string_view ssid, std::string_view password, Millis now) override;
  void onOnboardingCredentials(std::string_view ssid, std::string_view password, Millis now) override;
  void onConfigSuccessSent(Millis now) override;
  void onAppCommand(LanClientId client, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                    Millis now) override;
  void onAppCountChanged(std::size_t loggedIn, Millis now) override;
  void onExitProductionTest(Millis now) override;
  std::span<const hal::AccessPoint> scanCache() override;
  void onBindableChanged(bool bindable, Millis now) override;

  // CloudListener, OtaListener, MqttSessionListener (agent_cloud.cpp)
  void onRegistered(std::string_view did, Millis now) override;
  void onServerTime(std::uint64_t epochSeconds, Millis now) override;
  void onThirdPartyCloud(std::string_view name, std::string_view product, Millis now) override;
  void onM2mServerReady(hal::Endpoint m2m, Millis now) override;
  void onM2mAddressChanged(hal::Endpoint m2m, Millis now) override;
  void onUnregistered(bool ok, Millis now) override;
  void onFirmwareInstalled(std::uint32_t fid, std::string_view softwareVersion,
                           std::string_view firmwareVersion, Millis now) override;
  void onOtaFailed(OtaFailure failure, Millis now) override;
  void onCloudConnected(Millis now) override;
  void onCloudDisconnected(Millis now) override;
  void onCredentialsRejected(Millis now) override;
  void onReprovisionNeeded(Millis now) override;
  void onRebootNeeded(Millis now) override;
  void onCloudAppCommand(std::string_view clientId, proto::LanCmd cmd, std::uint32_t sn, proto::Bytes p0,
                         Millis now) override;
  void onCloudAppCount(std::uint16_t count, Millis now) override;
  void onOtaPush(proto::OtaFirmwareType type, Millis now) override;
  // LanLogListener: a LAN log client hears about a corrupt config found at boot (S13.3, issue 16).
  void onLogSubscribed(Millis) override { store_.reportLoadProblems(); }

  hal::Board& board_;
  LogHub& logs_;
  Logger log_;
  AgentOptions options_;

  ConfigStore store_;
  ModuleIdentity identity_;

  McuLink mcu_;
  StatusReporter status_;
  LedDriver leds_;
  Forwarder forwarder_;
  WifiManager wifi_;
  ProductionMode production_;
  Onboarding onboarding_;
  WebConfigServer webConfig_;
  BindWindow bindWindow_;
  LanUdp lanUdp_;
  LanServer lanServer_;
  LanLogSink lanLog_;
  CloudClient cloud_;
  MqttSession mqtt_;

  bool started_ = false;
  bool rebooted_ = false;
  bool announced_ = false;  // S7.1.1: once per boot, when the station is first up
  bool cloudStarted_ = false;
  bool resetting_ = false;         // 0x0B: unregistering, then reboot
  bool productionJoined_ = false;  // S5.3: joined a test router (not stored)
  std::uint16_t cloudAppCount_ = 0;
  // Network time (protocol §1.8): the provision's server_ts at a known loop time.
  bool timeKnown_ = false;
  std::uint64_t timeBaseEpoch_ = 0;
  Millis timeBaseAt_ = 0;
  Millis lastPoll_ = 0;
  Timer reboot_;
  Timer watchdog_;
};

}  // namespace gagent::core
