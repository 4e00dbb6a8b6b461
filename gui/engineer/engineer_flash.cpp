#include "engineer/engineer_flash.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSerialPortInfo>
#include <QVBoxLayout>

#include "gizrig/flash/flash_inputs.h"
#include "gizrig/flash/serial_flasher.h"

namespace gizrig::gui {

EngineerFlashPanel::EngineerFlashPanel(QWidget* parent)
    : QWidget(parent),
      port_(new QComboBox(this)),
      baud_(new QComboBox(this)),
      image_(new QLineEdit(this)),
      address_(new QLineEdit(QStringLiteral("0x2000"), this)),
      verify_(new QCheckBox(tr("Verify (MD5 of the written flash)"), this)),
      browse_(new QPushButton(tr("Choose…"), this)),
      readButton_(new QPushButton(tr("Read chip / MAC"), this)),
      flashButton_(new QPushButton(tr("Flash"), this)),
      cancelButton_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      result_(new QLabel(this)) {
  port_->setEditable(true);
  port_->setInsertPolicy(QComboBox::NoInsert);
  port_->setMinimumContentsLength(28);
  port_->lineEdit()->setPlaceholderText(tr("a USB-serial adapter, or gagent-sim --boot rom's pty"));
  auto* refresh = new QPushButton(tr("Ports"), this);
  refresh->setToolTip(tr("List the serial ports again (an adapter plugged in since)"));
  // The loader starts at 115200; a higher rate is asked for after sync where the loader can change it.
  for (const int baud : {115200, 230400, 460800, 921600}) baud_->addItem(QString::number(baud), baud);
  baud_->setCurrentIndex(2);
  baud_->setToolTip(
      tr("CP2102/FT232R: 921600; CH340: 460800 (docs/flashing.md). An ESP8266 ROM stays at 115200."));
  image_->setPlaceholderText(tr("an image file (gizrig image makes one)"));
  address_->setToolTip(tr("4 KiB aligned; GAgent boots its application from 0x2000"));
  verify_->setChecked(true);
  progress_->setRange(0, 100);
  progress_->setValue(0);
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  cancelButton_->setEnabled(false);

  auto* portRow = new QHBoxLayout;
  portRow->addWidget(port_, 1);
  portRow->addWidget(refresh);
  auto* imageRow = new QHBoxLayout;
  imageRow->addWidget(image_, 1);
  imageRow->addWidget(browse_);
  auto* form = new QFormLayout;
  form->addRow(tr("Port"), portRow);
  form->addRow(tr("Baud"), baud_);
  form->addRow(tr("Image"), imageRow);
  form->addRow(tr("Address"), address_);
  form->addRow(QString(), verify_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(readButton_);
  buttons->addWidget(flashButton_);
  buttons->addWidget(cancelButton_);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(progress_);
  layout->addWidget(result_);
  layout->addStretch(1);

  connect(refresh, &QPushButton::clicked, this, &EngineerFlashPanel::refreshPorts);
  connect(browse_, &QPushButton::clicked, this, &EngineerFlashPanel::chooseImage);
  connect(readButton_, &QPushButton::clicked, this, &EngineerFlashPanel::readChip);
  connect(flashButton_, &QPushButton::clicked, this, &EngineerFlashPanel::flash);
  connect(cancelButton_, &QPushButton::clicked, this, &EngineerFlashPanel::cancel);
  refreshPorts();
}

EngineerFlashPanel::~EngineerFlashPanel() = default;

void EngineerFlashPanel::refreshPorts() {
  const QString typed = port_->currentText();
  port_->clear();
  for (const QSerialPortInfo& port : QSerialPortInfo::availablePorts()) {
    const QString about =
        port.description().isEmpty() ? QString() : QStringLiteral(" (%1)").arg(port.description());
    port_->addItem(port.systemLocation() + about, port.systemLocation());
  }
  port_->setEditText(typed);
}

void EngineerFlashPanel::chooseImage() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Firmware image"), image_->text(),
                                                    tr("Images (*.img *.bin);;All files (*)"));
  if (!path.isEmpty()) image_->setText(path);
}

QString EngineerFlashPanel::portPath() const {
  // A listed port carries its device path as data; a typed one is the text itself.
  const QString typed = port_->currentText().trimmed();
  const int index = port_->currentIndex();
  if (index >= 0 && port_->itemText(index) == typed) return port_->itemData(index).toString();
  return typed;
}

QString EngineerFlashPanel::resultText() const {
  return result_->text();
}

bool EngineerFlashPanel::readChip() {
  return begin(Job::ReadChip);
}

bool EngineerFlashPanel::flash() {
  return begin(Job::Flash);
}

bool EngineerFlashPanel::begin(Job job) {
  if (busy()) return false;
  const auto refuse = [this](const QString& why) {
    result_->setText(why);
    emit message(tr("Flash: %1").arg(why));
    return false;
  };
  const QString port = portPath();
  if (port.isEmpty()) return refuse(tr("no port: pick one or type a path"));
  flash::FlashPlan plan;
  plan.baud = baud_->currentData().toUInt();
  plan.verify = verify_->isChecked();
  if (job == Job::ReadChip) {
    plan.identifyOnly = true;
    plan.runAfter = false;  // the module waits in its loader for the write that usually follows
  } else {
    if (image_->text().trimmed().isEmpty()) return refuse(tr("no image: choose a file"));
    // The same rules as gizrig flash FILE@ADDR: a regular, size-capped file at a 4 KiB-aligned address.
    QString error;
    const auto image =
        flash::loadImageArgument(image_->text().trimmed() + "@" + address_->text().trimmed(), &error);
    if (!image) return refuse(error);
    plan.images.push_back(*image);
  }
  job_ = job;
  flasher_ = std::make_unique<flash::SerialFlasher>(port, std::move(plan));
  connect(flasher_.get(), &flash::SerialFlasher::progressed, this, &EngineerFlashPanel::onProgress);
  connect(flasher_.get(), &flash::SerialFlasher::done, this, &EngineerFlashPanel::onDone);
  progress_->setValue(0);
  result_->setText(job == Job::ReadChip ? tr("asking the loader…") : tr("connecting to the loader…"));
  elapsed_.start();
  setBusy(true);
  if (!flasher_->start()) {
    const QString why = flasher_->portError();  // the OS's reason
    flasher_.reset();
    setBusy(false);
    return refuse(why);
  }
  return true;
}

void EngineerFlashPanel::cancel() {
  if (!busy()) return;
  flasher_->disconnect(this);
  flasher_.release()->deleteLater();  // closes its port; the module stays wherever the write left it
  setBusy(false);
  result_->setText(tr("cancelled: the module may hold a partial image; flash it again"));
  emit finished(false);
}

void EngineerFlashPanel::onProgress() {
  const flash::FlashProgress& p = flasher_->progress();
  if (p.total > 0) progress_->setValue(static_cast<int>(p.done * 100 / p.total));
  if (job_ == Job::Flash && p.total > 0)
    result_->setText(tr("%1 %2 of %3 bytes").arg(QString::fromStdString(p.phase)).arg(p.done).arg(p.total));
}

void EngineerFlashPanel::onDone() {
  const flash::FlashReport report = flasher_->report();
  const qint64 ms = std::max<qint64>(1, elapsed_.elapsed());
  flasher_->disconnect(this);
  flasher_.release()->deleteLater();  // we are inside its done() signal
  setBusy(false);
  QString text = describe(report);
  if (report.ok() && job_ == Job::Flash && !report.images.empty()) {
    progress_->setValue(100);
    const double seconds = static_cast<double>(ms) / 1000.0;
    text += tr("\n%1 bytes (%2 on the wire) at %3 baud in %4 s: %5 KiB/s")
                .arg(report.images[0].bytes)
                .arg(report.images[0].wireBytes)
                .arg(report.baud)
                .arg(seconds, 0, 'f', 1)
                .arg(static_cast<double>(report.images[0].bytes) / 1024.0 / seconds, 0, 'f', 1);
  }
  result_->setText(text);
  emit message(tr("Flash: %1").arg(text.section('\n', 0, 0)));
  emit finished(report.ok());
}

QString EngineerFlashPanel::describe(const flash::FlashReport& report) const {
  if (!report.ok())
    return tr("FAILED (%1): %2")
        .arg(QLatin1String(flash::failureName(report.failure)), QString::fromStdString(report.message));
  QStringList lines;
  lines << tr("Chip %1, MAC %2")
               .arg(QLatin1String(flash::chipName(report.chip)),
                    QString::fromStdString(flash::macText(report.mac)));
  for (const flash::ImageReport& image : report.images) {
    lines << tr("0x%1: MD5 %2 - %3")
                 .arg(image.address, 0, 16)
                 .arg(QString::fromStdString(image.md5),
                      image.verified ? tr("the module's MD5 matches") : tr("not verified"));
  }
  for (const std::string& note : report.notes) lines << QString::fromStdString(note);
  return lines.join('\n');
}

void EngineerFlashPanel::setBusy(bool busy) {
  readButton_->setEnabled(!busy);
  flashButton_->setEnabled(!busy);
  browse_->setEnabled(!busy);
  cancelButton_->setEnabled(busy);
}

}  // namespace gizrig::gui
