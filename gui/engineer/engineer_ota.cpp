#include "engineer/engineer_ota.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "gizrig/plugs/mcu_plug.h"
#include "engineer/engineer_session.h"

namespace gizrig::gui {

EngineerOtaPanel::EngineerOtaPanel(EngineerSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      hardware_(new QLineEdit(QStringLiteral("GAGENTSM"), this)),
      software_(new QLineEdit(QStringLiteral("04020001"), this)),
      fid_(new QSpinBox(this)),
      size_(new QSpinBox(this)),
      pushButton_(new QPushButton(tr("Publish and push OTA"), this)),
      cancelButton_(new QPushButton(tr("Cancel"), this)),
      progress_(new QProgressBar(this)),
      status_(new QLabel(tr("idle"), this)) {
  fid_->setRange(1, 65535);
  fid_->setValue(2);
  size_->setRange(256, 1 << 20);
  size_->setSingleStep(4096);
  size_->setValue(16384);
  hardware_->setMaxLength(8);
  software_->setMaxLength(8);
  progress_->setRange(0, 4);
  progress_->setValue(0);
  progress_->setFormat(QStringLiteral("%v / %m"));
  status_->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("Hardware version (8)"), hardware_);
  form->addRow(tr("Software version (8)"), software_);
  form->addRow(tr("Firmware id"), fid_);
  form->addRow(tr("Image size (bytes)"), size_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(pushButton_);
  buttons->addWidget(cancelButton_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  cancelButton_->setEnabled(false);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch(1);
  connect(pushButton_, &QPushButton::clicked, this, &EngineerOtaPanel::push);
  connect(cancelButton_, &QPushButton::clicked, this, &EngineerOtaPanel::cancel);
  connect(&session_, &EngineerSession::mcuEvent, this, &EngineerOtaPanel::onMcuEvent);
}

void EngineerOtaPanel::setStage(Stage stage, const QString& text) {
  stage_ = stage;
  progress_->setValue(stage == Stage::Done ? 4 : std::max(0, static_cast<int>(stage) - 1));
  pushButton_->setEnabled(!busy());
  cancelButton_->setEnabled(busy());
  status_->setText(text);
  emit message(tr("OTA: %1").arg(text));
}

bool EngineerOtaPanel::busy() const {
  return stage_ != Stage::Idle && stage_ != Stage::Done;
}

void EngineerOtaPanel::cancel() {
  if (!busy()) return;
  ++attempt_;
  const bool pushed = stage_ == Stage::WaitingReboot || stage_ == Stage::WaitingInfo;
  setStage(Stage::Idle,
           pushed ? tr("cancelled; the push was sent and the module may still update") : tr("cancelled"));
}

void EngineerOtaPanel::push() {
  readBack_.clear();
  const int attempt = ++attempt_;
  setStage(Stage::Publishing, tr("publishing %1 fid %2…").arg(software_->text()).arg(fid_->value()));
  const QVariantMap params{{QStringLiteral("hardwareVersion"), hardware_->text()},
                           {QStringLiteral("softwareVersion"), software_->text()},
                           {QStringLiteral("fid"), fid_->value()},
                           {QStringLiteral("size"), size_->value()}};
  session_.runAction(
      QStringLiteral("cloud.publishFirmware"), params, [this, attempt](const core::ActionResult& r) {
        if (attempt != attempt_) return;
        if (r.outcome != core::Outcome::Pass)
          return setStage(Stage::Idle, tr("publish failed: %1").arg(r.message));
        setStage(Stage::Pushing, tr("pushing to %1…").arg(session_.did()));
        session_.runAction(QStringLiteral("cloud.pushOta"), {}, [this, attempt](const core::ActionResult& p) {
          if (attempt != attempt_) return;
          if (p.outcome != core::Outcome::Pass)
            return setStage(Stage::Idle, tr("push failed: %1").arg(p.message));
          setStage(Stage::WaitingReboot, tr("pushed; the module downloads, verifies and reboots…"));
        });
      });
}

void EngineerOtaPanel::onMcuEvent(const QString& name, const QVariantMap& fields) {
  if (stage_ == Stage::WaitingReboot && name == QLatin1String("mcu.handshake")) {
    setStage(Stage::WaitingInfo, tr("rebooted; asking the version (0x21)…"));
    if (session_.mcu() != nullptr) session_.mcu()->requestModuleInfo();
  } else if (stage_ == Stage::WaitingInfo && name == QLatin1String("mcu.ack") &&
             fields.contains(QStringLiteral("soft_ver"))) {
    readBack_ = fields.value(QStringLiteral("soft_ver")).toString();
    const bool same = readBack_ == software_->text();
    setStage(Stage::Done, same ? tr("done: the module runs %1").arg(readBack_)
                               : tr("the module reports %1, not %2").arg(readBack_, software_->text()));
  } else if (stage_ == Stage::WaitingInfo && name == QLatin1String("mcu.timeout")) {
    setStage(Stage::Done, tr("the module did not answer 0x21"));
  }
}

}  // namespace gizrig::gui
