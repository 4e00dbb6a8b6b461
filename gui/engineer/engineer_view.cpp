#include "engineer/engineer_view.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSerialPortInfo>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "engineer/engineer_composer.h"
#include "engineer/engineer_console.h"
#include "engineer/engineer_flash.h"
#include "engineer/engineer_lan.h"
#include "engineer/engineer_ota.h"
#include "engineer/engineer_plots.h"
#include "engineer/engineer_session.h"
#include "engineer/engineer_wire.h"
#include "engineer/engineer_wire_model.h"
#include "gizrig/plugs/mcu_plug.h"
#include "gizrig/records/sql_record_store.h"

namespace gizrig::gui {

EngineerView::EngineerView(GuiContext& context, QWidget* parent)
    : QWidget(parent),
      context_(context),
      session_(new EngineerSession(context.clock, this)),
      product_(new QComboBox(this)),
      serialPort_(new QComboBox(this)),
      baud_(new QComboBox(this)),
      speed_(new QComboBox(this)),
      source_(new QLabel(tr("no module"), this)),
      tabs_(new QTabWidget(this)),
      console_(new EngineerConsole(this)),
      composer_(new EngineerComposer(*session_, this)),
      lan_(new EngineerLanView(*session_, this)),
      wireModel_(new WireTableModel(this)),
      lanWire_(new EngineerWireView(*wireModel_, {core::WireKind::Lan}, this)),
      mqttWire_(new EngineerWireView(*wireModel_, {core::WireKind::Mqtt, core::WireKind::Http}, this)),
      ota_(new EngineerOtaPanel(*session_, this)),
      flash_(new EngineerFlashPanel(this)),
      plots_(new EngineerPlots(this)),
      message_(new QLabel(this)) {
  const QDir products(QDir(context_.fixturesDir).filePath(QStringLiteral("products")));
  for (const QFileInfo& file : products.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
    product_->addItem(file.completeBaseName(), file.absoluteFilePath());
  serialPort_->setEditable(true);
  serialPort_->setInsertPolicy(QComboBox::NoInsert);
  serialPort_->lineEdit()->setPlaceholderText(tr("a port, or a lab slot's uart.pty path"));
  serialPort_->setMinimumContentsLength(24);
  refreshSerialPorts();
  for (const int baud : {9600, 19200, 38400, 57600, 115200}) baud_->addItem(QString::number(baud), baud);
  baud_->setToolTip(tr("S3.2: the module's MCU line runs at 9600 8N1"));
  for (const int s : {1, 10, 60, 600}) speed_->addItem(tr("×%1").arg(s), s);

  auto* startVirtual = new QPushButton(tr("Start virtual module"), this);
  auto* startLab = new QPushButton(tr("Start lab module (real time)"), this);
  startLab->setToolTip(tr("gagent-sim on a pty with the virtual air and the stand-in cloud (mosquitto)"));
  auto* openSerial = new QPushButton(tr("Open serial"), this);
  auto* close = new QPushButton(tr("Close"), this);
  connect(startVirtual, &QPushButton::clicked, this, [this] { startVirtualModule(); });
  connect(startLab, &QPushButton::clicked, this, [this] { startLabModule(); });
  auto* refreshPorts = new QPushButton(tr("Ports"), this);
  refreshPorts->setToolTip(tr("List the serial ports again (an adapter plugged in since)"));
  connect(refreshPorts, &QPushButton::clicked, this, &EngineerView::refreshSerialPorts);
  connect(openSerial, &QPushButton::clicked, this, [this] {
    // A listed port carries its device path as data; a typed one is the text itself.
    const QString listed = serialPort_->currentData().toString();
    const QString typed = serialPort_->currentText().trimmed();
    openSerialPort(!listed.isEmpty() && serialPort_->itemText(serialPort_->currentIndex()) == typed ? listed
                                                                                                    : typed);
  });
  connect(close, &QPushButton::clicked, this, &EngineerView::closeModule);
  connect(speed_, &QComboBox::currentIndexChanged, this,
          [this] { session_->setVirtualSpeed(speed_->currentData().toDouble()); });

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Product"), this));
  bar->addWidget(product_);
  bar->addWidget(startVirtual);
  bar->addWidget(new QLabel(tr("speed"), this));
  bar->addWidget(speed_);
  bar->addWidget(startLab);
  bar->addSpacing(16);
  bar->addWidget(serialPort_, 1);
  bar->addWidget(refreshPorts);
  bar->addWidget(baud_);
  bar->addWidget(openSerial);
  bar->addWidget(close);

  // The console stays in view while the engineer composes: they sit side by side.
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(console_);
  split->addWidget(composer_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  tabs_->addTab(split, tr("Serial console"));
  tabs_->addTab(lan_, tr("App / cloud events"));
  tabs_->addTab(lanWire_, tr("LAN traffic"));
  tabs_->addTab(mqttWire_, tr("MQTT / HTTP traffic"));
  tabs_->addTab(ota_, tr("OTA"));
  tabs_->addTab(flash_, tr("Flash"));
  tabs_->addTab(plots_, tr("Plots"));

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(source_);
  layout->addWidget(tabs_, 1);
  layout->addWidget(message_);

  // Runs recorded by another process (gizrig production) show up when the engineer looks at the plots.
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (tabs_->currentWidget() == plots_) refreshRecords();
  });
  connect(session_, &EngineerSession::frameLogged, console_, &EngineerConsole::addFrame);
  connect(session_, &EngineerSession::wirePacket, wireModel_, &WireTableModel::append);
  connect(session_, &EngineerSession::statusSample, plots_, &EngineerPlots::addStatus);
  connect(session_, &EngineerSession::heartbeat, plots_, &EngineerPlots::addHeartbeat);
  connect(session_, &EngineerSession::roundTrip, plots_,
          [this](const QString&, core::RigMillis ms) { plots_->addRoundTrip(ms); });
  connect(session_, &EngineerSession::opened, this, [this](const QString& description) {
    source_->setText(tr("Module: %1").arg(description));
    composer_->rebuild();
    // The message line said "starting…" for a lab; once the module is up it must say so (issue 13).
    showMessage(tr("module open: %1").arg(description));
    const auto kind = session_->kind();
    if (kind == EngineerSession::Kind::Virtual) {
      const QString note = tr("Every packet on the virtual LAN, decoded (times are virtual seconds).");
      lanWire_->setSourceNote(note);
      mqttWire_->setSourceNote(note);
    } else if (kind == EngineerSession::Kind::Lab) {
      lanWire_->setSourceNote(tr("A lab module's LAN is not tapped: see its packets in the virtual world."));
      mqttWire_->setSourceNote(tr("The module's MQTT connections through the lab's M2M gate, in real time."));
    } else {
      const QString note =
          tr("No network tap for this module: its packets are seen in the virtual world "
             "and (MQTT) in a lab module.");
      lanWire_->setSourceNote(note);
      mqttWire_->setSourceNote(note);
    }
  });
  connect(session_, &EngineerSession::closed, this, [this] {
    source_->setText(tr("no module"));
    composer_->rebuild();
    showMessage(tr("module closed"));
  });
  connect(session_, &EngineerSession::failed, this, &EngineerView::showMessage);
  connect(console_, &EngineerConsole::message, this, &EngineerView::showMessage);
  connect(composer_, &EngineerComposer::message, this, &EngineerView::showMessage);
  connect(lan_, &EngineerLanView::message, this, &EngineerView::showMessage);
  connect(ota_, &EngineerOtaPanel::message, this, &EngineerView::showMessage);
  connect(flash_, &EngineerFlashPanel::message, this, &EngineerView::showMessage);
  refreshRecords();
}

EngineerView::~EngineerView() {
  session_->close();
}

QString EngineerView::productPath() const {
  return product_->currentData().toString();
}

bool EngineerView::startVirtualModule(const QString& productFile) {
  QString error;
  clearTraffic();
  const QString product = productFile.isEmpty() ? productPath() : productFile;
  showProduct(product);
  const bool ok = session_->startVirtual(product, error);
  if (ok) session_->setVirtualSpeed(speed_->currentData().toDouble());
  showMessage(ok ? tr("virtual module started") : tr("cannot start the virtual module: %1").arg(error));
  return ok;
}

bool EngineerView::startLabModule(const QString& productFile) {
  clearTraffic();
  QString error;
  const QString product = productFile.isEmpty() ? productPath() : productFile;
  showProduct(product);
  const bool ok = session_->startLab(product, error);
  showMessage(ok ? tr("starting a lab module (gagent-sim, air, cloud)…") : error);
  return ok;
}

bool EngineerView::openSerialPort(const QString& path, const QString& productFile, qint32 baud) {
  if (path.trimmed().isEmpty()) {
    showMessage(tr("choose a serial port or type a path first"));
    return false;
  }
  QString error;
  clearTraffic();
  const qint32 speed = baud > 0 ? baud : baud_->currentData().toInt();
  const bool ok =
      session_->openSerial(path.trimmed(), productFile.isEmpty() ? productPath() : productFile, error, speed);
  showMessage(ok ? tr("opened %1").arg(path) : error);
  return ok;
}

void EngineerView::refreshSerialPorts() {
  const QString typed = serialPort_->currentText();
  serialPort_->clear();
  for (const QSerialPortInfo& port : QSerialPortInfo::availablePorts()) {
    QStringList about;
    if (!port.description().isEmpty()) about << port.description();
    if (!port.manufacturer().isEmpty()) about << port.manufacturer();
    if (!port.serialNumber().isEmpty()) about << tr("serial %1").arg(port.serialNumber());
    serialPort_->addItem(about.isEmpty()
                             ? port.systemLocation()
                             : QStringLiteral("%1 (%2)").arg(port.systemLocation(), about.join(", ")),
                         port.systemLocation());
  }
  serialPort_->setEditText(typed);
}

void EngineerView::attachMcu(core::McuPlug* plug, core::RigClock* clock) {
  clearTraffic();
  session_->attach(plug, clock);
}

void EngineerView::showProduct(const QString& productFile) {
  const int shown = product_->findData(QFileInfo(productFile).absoluteFilePath());
  if (shown >= 0) product_->setCurrentIndex(shown);
}

void EngineerView::clearTraffic() {
  console_->clear();
  plots_->clear();
  wireModel_->clear();
}

void EngineerView::closeModule() {
  session_->close();
}

void EngineerView::refreshRecords() {
  if (context_.recordsDb.isEmpty()) return;
  QString error;
  auto store = core::SqlRecordStore::open(context_.recordsDb, &error);
  if (!store) return showMessage(tr("records: %1").arg(error));
  plots_->setRuns(store->runs({}));
}

QString EngineerView::lastMessage() const {
  return message_->text();
}

void EngineerView::showMessage(const QString& text) {
  message_->setText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + text);
}

}  // namespace gizrig::gui
