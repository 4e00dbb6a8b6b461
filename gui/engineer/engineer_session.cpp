#include "engineer/engineer_session.h"

#include <QFileInfo>
#include <QMetaObject>
#include <cmath>

#include "gagent/sim/sim_board.h"
#include "gizrig/cloud/cloud_plug.h"
#include "gizrig/cloud/gate_wire_tap.h"
#include "gizrig/lab/lab_module_plugs.h"
#include "gizrig/links/qserialport_link.h"
#include "gizrig/plugs/app_plug.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/virtual/sim_net_tap.h"
#include "gizrig/virtual/virtual_world.h"
#include "shared/lab_thread.h"

namespace gizrig::gui {

EngineerSession::EngineerSession(core::RigClock* realClock, QObject* parent)
    : QObject(parent), realClock_(realClock), actions_(core::standardActions()) {
  pump_.setInterval(25);
  connect(&pump_, &QTimer::timeout, this, &EngineerSession::tick);
}

EngineerSession::~EngineerSession() {
  close();
}

void EngineerSession::close() {
  pump_.stop();
  const bool wasOpen = kind_ != Kind::None;
  // Plugs made on the world's clock and links go before the world (virtual_world.h).
  context_.reset();
  app_.reset();
  tap_.reset();
  if (mcu_ != nullptr) mcu_->disconnect(this);
  // A lab: its plugs before the lab that owns their ptys and ports.
  gateTap_.reset();
  labPlugs_.reset();
  lab_.reset();  // stops the lab (its children end on SIGTERM) or forgets a start in progress
  labProduct_.reset();
  labDid_.clear();
  ownMcu_.reset();
  serial_.reset();
  world_.reset();
  mcu_ = nullptr;
  clock_ = nullptr;
  kind_ = Kind::None;
  description_.clear();
  if (wasOpen) emit closed();
}

bool EngineerSession::startVirtual(const QString& productFile, QString& error) {
  close();
  core::VirtualWorldOptions options;
  options.productFile = productFile;
  world_ = core::VirtualWorld::create(options, error);
  if (!world_) return false;
  kind_ = Kind::Virtual;
  mcu_ = world_->mcu();
  clock_ = &world_->clock();
  app_ = std::make_unique<core::AppPlug>(world_->clock(), world_->lanLinks());
  app_->setProduct(world_->sharedProduct());
  connect(app_.get(), &core::AppPlug::event, this, &EngineerSession::appEvent);
  connect(app_.get(), &core::AppPlug::roundTripMeasured, this, &EngineerSession::roundTrip);
  connect(&world_->cloudControl(), &core::SimCloudControl::event, this, &EngineerSession::cloudEvent);
  // The GUI is the record's only reader here: the tap clears it, so a long session does not grow it.
  tap_ = std::make_unique<core::SimNetTap>(world_->board().net(), core::SimNetTap::Consume::Clear);
  description_ = tr("virtual module %1 (%2)")
                     .arg(core::VirtualWorld::moduleStationAddress().toString(),
                          QFileInfo(productFile).completeBaseName());
  wireMcu();
  context_->app = app_.get();
  context_->cloud = &world_->cloudControl();
  context_->module = core::VirtualWorld::moduleStationAddress();
  context_->broadcast = core::VirtualWorld::homeLanBroadcast();
  context_->routerSsid = QString::fromLatin1(core::kVirtualHomeSsid);
  sinceTick_.start();
  debt_ = 0;
  pump_.start();
  emit opened(description_);
  return true;
}

bool EngineerSession::openSerial(const QString& path, const QString& productFile, QString& error,
                                 qint32 baud) {
  close();
  auto product = core::McuPlug::loadProductFile(productFile, error);
  if (!product) return false;
  if (realClock_ == nullptr) {
    if (!ownClock_) ownClock_ = std::make_unique<core::RealClock>();
    realClock_ = ownClock_.get();
  }
  core::SerialSettings settings;
  settings.baud = baud;
  serial_ = std::make_unique<core::QSerialPortLink>(path, settings);
  QString reason;  // the OS's words (no such device, permission denied + dialout, busy + by whom)
  connect(serial_.get(), &core::SerialLink::errorOccurred, this, [&reason](const QString& m) { reason = m; });
  ownMcu_ = std::make_unique<core::McuPlug>(serial_.get(), realClock_, std::move(*product));
  const bool portOpen = ownMcu_->open();
  serial_->disconnect(this);
  if (!portOpen) {
    error = reason.isEmpty() ? tr("cannot open %1").arg(path) : reason;
    ownMcu_.reset();
    serial_.reset();
    return false;
  }
  kind_ = Kind::Serial;
  mcu_ = ownMcu_.get();
  clock_ = realClock_;
  description_ = serial_->describe();
  wireMcu();
  emit opened(description_);
  return true;
}

void EngineerSession::attach(core::McuPlug* plug, core::RigClock* clock) {
  close();
  if (plug == nullptr || clock == nullptr) return;
  kind_ = Kind::Attached;
  mcu_ = plug;
  // The owner may close the plug first (the operator reopens its slots, the lab stops): close with it.
  connect(plug, &QObject::destroyed, this, [this] {
    mcu_ = nullptr;
    close();
  });
  clock_ = clock;
  description_ = plug->link() != nullptr ? plug->link()->describe() : tr("attached MCU");
  wireMcu();
  emit opened(description_);
}

bool EngineerSession::startLab(const QString& productFile, QString& error) {
  close();
  auto product = core::McuPlug::loadProductFile(productFile, error);
  if (!product) return false;
  labProduct_ = std::make_shared<const gagent::proto::Product>(std::move(*product));
  labProductName_ = QFileInfo(productFile).completeBaseName();
  if (realClock_ == nullptr) {
    if (!ownClock_) ownClock_ = std::make_unique<core::RealClock>();
    realClock_ = ownClock_.get();
  }
  lab_ = std::make_unique<LabThread>();
  connect(lab_.get(), &LabThread::started, this, &EngineerSession::onLabStarted);
  lab::LabOptions options;
  options.modules = 1;
  options.freshModules = true;  // factory new: in SoftAP, ready to onboard
  lab_->start(options);
  return true;
}

bool EngineerSession::labStarting() const {
  return lab_ && lab_->starting();
}

void EngineerSession::onLabStarted(bool ok, const QString& error) {
  if (!ok || lab_->state().modules.isEmpty()) {
    // Not deleted here: this runs inside the lab thread object's own signal.
    lab_.release()->deleteLater();
    emit failed(tr("the lab did not start: %1").arg(error.isEmpty() ? tr("no module") : error));
    return;
  }
  const lab::LabState state = lab_->state();
  labPlugs_ = std::make_unique<lab::LabModulePlugs>(state, state.modules.front(), labProduct_, *realClock_);
  QString openError;
  if (!labPlugs_->open(&openError)) {
    labPlugs_.reset();
    lab_.release()->deleteLater();
    emit failed(openError);
    return;
  }
  kind_ = Kind::Lab;
  mcu_ = &labPlugs_->mcu();
  clock_ = realClock_;
  description_ = tr("lab module %1 (%2, real time)").arg(state.modules.front().ip, labProductName_);
  connect(&labPlugs_->app(), &core::AppPlug::event, this, &EngineerSession::appEvent);
  connect(&labPlugs_->app(), &core::AppPlug::roundTripMeasured, this, &EngineerSession::roundTrip);
  connect(&labPlugs_->cloud(), &cloud::CloudPlug::event, this, &EngineerSession::cloudEvent);
  if (cloud::M2mGate* gate = lab_->gate()) {
    gateTap_ = std::make_unique<cloud::GateWireTap>(*gate, *realClock_);
    gateTap_->setOnlyDevice(state.modules.front().ip);
    connect(gateTap_.get(), &cloud::GateWireTap::packet, this, [this](const core::WirePacket& packet) {
      // S8.5: the client id of the module's CONNECT is its DID, which the cloud actions need.
      if (packet.fromModule && packet.item.ok && packet.item.name == "CONNECT")
        for (const auto& [name, value] : packet.item.fields)
          if (name == "client") labDid_ = QString::fromStdString(value);
      emit wirePacket(packet);
    });
  }
  wireMcu();
  labPlugs_->fill(*context_);
  emit opened(description_);
}

void EngineerSession::onboard(std::function<void(const QString&)> done) {
  if (kind_ == Kind::Lab) {
    labPlugs_->onboard(std::move(done));
    return;
  }
  if (kind_ != Kind::Virtual) {
    done(tr("only a virtual or lab module has a phone to onboard it"));
    return;
  }
  runAction(QStringLiteral("app.onboard"),
            {{QStringLiteral("ssid"), QString::fromLatin1(core::kVirtualHomeSsid)},
             {QStringLiteral("password"), QString::fromLatin1(core::kVirtualHomePassword)},
             {QStringLiteral("address"), core::VirtualWorld::moduleSoftApAddress().toString()}},
            [done](const core::ActionResult& r) {
              done(r.outcome == core::Outcome::Pass ? QString() : r.message);
            });
}

void EngineerSession::wireMcu() {
  context_ = std::make_unique<core::RunContext>(*clock_);
  context_->mcu = mcu_;
  if (mcu_ == nullptr) return;
  connect(mcu_, &core::McuPlug::frameLogged, this, &EngineerSession::frameLogged);
  connect(mcu_, &core::McuPlug::event, this, &EngineerSession::mcuEvent);
  connect(mcu_, &core::McuPlug::statusChanged, this,
          [this](quint16 word, core::RigMillis time) { emit statusSample(time, word); });
  connect(mcu_, &core::McuPlug::heartbeatReceived, this, &EngineerSession::heartbeat);
  // Frames logged before the view connected (the boot handshake of an attached plug) are in the capture.
  for (const auto& entry : mcu_->capture().entries()) emit frameLogged(entry);
}

void EngineerSession::setPumping(bool on) {
  if (kind_ != Kind::Virtual) return;
  if (on) {
    sinceTick_.restart();
    pump_.start();
  } else {
    pump_.stop();
  }
}

void EngineerSession::runVirtualFor(core::RigMillis ms) {
  if (world_) runWorld(ms);
}

void EngineerSession::runWorld(core::RigMillis ms) {
  world_->runFor(ms);
  if (!tap_) return;
  for (const core::WirePacket& packet : tap_->poll()) emit wirePacket(packet);
}

void EngineerSession::tick() {
  if (!world_) return;
  debt_ += static_cast<double>(sinceTick_.restart()) * speed_;
  const auto step = static_cast<core::RigMillis>(std::min(std::floor(debt_), double(kMaxTickMs)));
  debt_ = std::min(debt_ - static_cast<double>(step), double(kMaxTickMs));
  if (step > 0) runWorld(step);
}

QString EngineerSession::did() const {
  return world_ ? world_->did() : labDid_;
}

void EngineerSession::runAction(const QString& name, const QVariantMap& params, ActionCallback done) {
  const auto* spec = actions_.find(name);
  if (spec == nullptr || !context_) {
    done(core::ActionResult::error(spec == nullptr ? tr("unknown action %1").arg(name)
                                                   : tr("no module open")));
    return;
  }
  if (spec->validate) {
    const QString problem = spec->validate(params);
    if (!problem.isEmpty()) {
      done(core::ActionResult::error(problem));
      return;
    }
  }
  context_->did = did();
  core::ActionCall call;
  call.action = name;
  call.params = params;
  call.timeoutMs = spec->defaultTimeoutMs;
  // The handler may complete later, on a clock turn: guard against a session closed in between.
  QPointer<EngineerSession> self(this);
  auto once = std::make_shared<bool>(false);
  spec->handler(call, *context_, [self, once, done](const core::ActionResult& result) {
    if (*once || self.isNull()) return;
    *once = true;
    done(result);
  });
}

}  // namespace gizrig::gui
