#include "engineer/engineer_inject.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include "engineer/engineer_session.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::gui {

QByteArray parseHexBytes(const QString& text, QString& error) {
  error.clear();
  QByteArray digits;
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text.at(i);
    if (c.isSpace() || c == u':' || c == u'-') continue;
    const char16_t u = c.unicode();
    const bool hex = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
    if (!hex) {
      error = QObject::tr("'%1' at position %2 is not a hex digit (0-9, A-F)").arg(c).arg(i + 1);
      return {};
    }
    digits.append(static_cast<char>(u));
  }
  if (digits.isEmpty()) {
    error = QObject::tr("type the bytes in hex first, e.g. FF FF 00 05 ...");
    return {};
  }
  if (digits.size() % 2 != 0) {
    error = QObject::tr("%1 hex digits: an odd count, each byte takes two").arg(digits.size());
    return {};
  }
  return QByteArray::fromHex(digits);
}

EngineerInjectPanel::EngineerInjectPanel(EngineerSession& session, QWidget* parent)
    : QWidget(parent),
      hex_(new QLineEdit(this)),
      count_(new QSpinBox(this)),
      chunk_(new QSpinBox(this)),
      gap_(new QSpinBox(this)),
      delay_(new QSpinBox(this)),
      split_(new QCheckBox(tr("Split frames"), this)),
      late_(new QCheckBox(tr("Late ACK"), this)),
      silent_(new QCheckBox(tr("Silence (answer nothing)"), this)),
      armed_(new QLabel(this)),
      session_(session) {
  hex_->setObjectName(QStringLiteral("rawHex"));
  hex_->setPlaceholderText(tr("raw hex, sent unframed: FF FF 00 05 ..."));
  auto* send = new QPushButton(tr("Send raw"), this);
  send->setObjectName(QStringLiteral("sendRaw"));
  connect(send, &QPushButton::clicked, this, &EngineerInjectPanel::sendRawHex);
  connect(hex_, &QLineEdit::returnPressed, this, &EngineerInjectPanel::sendRawHex);
  auto* raw = new QHBoxLayout;
  raw->addWidget(hex_, 1);
  raw->addWidget(send);

  count_->setRange(1, 100);
  count_->setPrefix(tr("next "));
  count_->setSuffix(tr(" frame(s)"));
  chunk_->setRange(1, 64);
  chunk_->setValue(3);
  chunk_->setSuffix(tr(" B"));
  gap_->setRange(0, 5000);
  gap_->setValue(20);
  gap_->setSuffix(tr(" ms apart"));
  // §1.5: the module waits 200 ms for an ACK; the default is past it, so the late ACK is seen as one.
  delay_->setRange(0, 10000);
  delay_->setValue(300);
  delay_->setSuffix(tr(" ms"));
  auto* checksum = new QPushButton(tr("Bad checksum"), this);
  checksum->setObjectName(QStringLiteral("faultChecksum"));
  auto* unstuffed = new QPushButton(tr("Unstuffed FF"), this);
  unstuffed->setObjectName(QStringLiteral("faultUnstuffed"));
  auto* clear = new QPushButton(tr("Clear faults"), this);
  clear->setObjectName(QStringLiteral("faultClear"));
  connect(checksum, &QPushButton::clicked, this, &EngineerInjectPanel::armBadChecksums);
  connect(unstuffed, &QPushButton::clicked, this, &EngineerInjectPanel::armUnstuffedFf);
  connect(clear, &QPushButton::clicked, this, &EngineerInjectPanel::clearFaults);
  split_->setObjectName(QStringLiteral("faultSplit"));
  late_->setObjectName(QStringLiteral("faultLateAck"));
  silent_->setObjectName(QStringLiteral("faultSilent"));
  connect(split_, &QCheckBox::toggled, this, &EngineerInjectPanel::applySplit);
  connect(late_, &QCheckBox::toggled, this, &EngineerInjectPanel::applyLateAck);
  connect(silent_, &QCheckBox::toggled, this, &EngineerInjectPanel::applySilence);

  auto* grid = new QGridLayout;
  grid->addWidget(checksum, 0, 0);
  grid->addWidget(unstuffed, 0, 1);
  grid->addWidget(count_, 0, 2, 1, 2);
  grid->addWidget(split_, 1, 0);
  grid->addWidget(chunk_, 1, 1);
  grid->addWidget(gap_, 1, 2, 1, 2);
  grid->addWidget(late_, 2, 0);
  grid->addWidget(delay_, 2, 1);
  grid->addWidget(silent_, 2, 2, 1, 2);
  grid->addWidget(clear, 3, 0);
  grid->addWidget(armed_, 3, 1, 1, 3);
  armed_->setObjectName(QStringLiteral("faultsArmed"));
  armed_->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(raw);
  layout->addLayout(grid);
  // Frames use faults up (a count runs down as they go out): the line follows every frame the plug logs.
  connect(&session_, &EngineerSession::frameLogged, this, &EngineerInjectPanel::refresh);
  refresh();
}

bool EngineerInjectPanel::sendRawHex() {
  core::McuPlug* mcu = session_.mcu();
  if (mcu == nullptr) {
    emit message(tr("raw bytes: no module open"));
    return false;
  }
  QString error;
  const QByteArray bytes = parseHexBytes(hex_->text(), error);
  if (!error.isEmpty()) {
    emit message(tr("raw bytes not sent: %1").arg(error));
    return false;
  }
  mcu->sendRawBytes(bytes);
  emit message(tr("raw bytes: %1 B sent").arg(bytes.size()));
  return true;
}

void EngineerInjectPanel::armBadChecksums() {
  if (core::McuPlug* mcu = session_.mcu()) mcu->corruptChecksums(count_->value());
  refresh();
}

void EngineerInjectPanel::armUnstuffedFf() {
  if (core::McuPlug* mcu = session_.mcu()) mcu->sendUnstuffedFf(count_->value());
  refresh();
}

void EngineerInjectPanel::applySplit(bool on) {
  if (core::McuPlug* mcu = session_.mcu()) mcu->splitFrames(on ? chunk_->value() : 0, gap_->value());
  refresh();
}

void EngineerInjectPanel::applyLateAck(bool on) {
  if (core::McuPlug* mcu = session_.mcu()) mcu->delayAcks(on ? delay_->value() : 0);
  refresh();
}

void EngineerInjectPanel::applySilence(bool on) {
  if (core::McuPlug* mcu = session_.mcu()) mcu->setSilent(on);
  refresh();
}

void EngineerInjectPanel::clearFaults() {
  if (core::McuPlug* mcu = session_.mcu()) mcu->clearFaults();
  refresh();
}

QString EngineerInjectPanel::armedText() const {
  return armed_->text();
}

void EngineerInjectPanel::refresh() {
  const core::McuPlug* mcu = session_.mcu();
  setEnabled(mcu != nullptr);
  QStringList armed;
  if (mcu != nullptr) {
    const core::McuFaults& f = mcu->faults();
    if (f.corruptChecksums > 0) armed << tr("bad checksum x%1").arg(f.corruptChecksums);
    if (f.unstuffedFf > 0) armed << tr("unstuffed FF x%1").arg(f.unstuffedFf);
    if (f.splitChunkBytes > 0)
      armed << tr("split %1 B, %2 ms apart").arg(f.splitChunkBytes).arg(f.splitGapMs);
    if (f.ackDelayMs > 0) armed << tr("ACKs %1 ms late").arg(f.ackDelayMs);
    if (f.dropAcks > 0) armed << tr("dropping %1 ACK(s)").arg(f.dropAcks);
    if (mcu->isSilent()) armed << tr("silent");
  }
  // The check boxes show the plug's state, not what was last clicked (a scenario or Clear may change it).
  const QSignalBlocker b1(split_);
  const QSignalBlocker b2(late_);
  const QSignalBlocker b3(silent_);
  split_->setChecked(mcu != nullptr && mcu->faults().splitChunkBytes > 0);
  late_->setChecked(mcu != nullptr && mcu->faults().ackDelayMs > 0);
  silent_->setChecked(mcu != nullptr && mcu->isSilent());
  armed_->setText(armed.isEmpty() ? tr("Faults: none armed") : tr("Faults: %1").arg(armed.join(", ")));
}

}  // namespace gizrig::gui
