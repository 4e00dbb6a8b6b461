#include "engineer/engineer_ota.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "engineer/engineer_session.h"
#include "gagent/core/firmware_image.h"
#include "gizrig/files/capped_file.h"
#include "gizrig/plugs/mcu_plug.h"

namespace gizrig::gui {

EngineerOtaPanel::EngineerOtaPanel(EngineerSession& session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      hardware_(new QLineEdit(QStringLiteral("GAGENTSM"), this)),
      software_(new QLineEdit(QStringLiteral("04020001"), this)),
      fid_(new QSpinBox(this)),
      size_(new QSpinBox(this)),
      file_(new QLineEdit(this)),
      synthetic_(new QPushButton(tr("Synthetic"), this)),
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
  file_->setReadOnly(true);
  file_->setObjectName(QStringLiteral("otaImageFile"));
  file_->setPlaceholderText(tr("synthetic: a valid image of the size below"));
  auto* choose = new QPushButton(tr("Choose…"), this);
  choose->setObjectName(QStringLiteral("otaChooseImage"));
  synthetic_->setToolTip(tr("Forget the file: push a synthetic image of the size below"));
  synthetic_->setEnabled(false);
  connect(choose, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Firmware image for OTA"), {},
                                                      tr("Firmware images (*.bin *.img);;All files (*)"));
    if (!path.isEmpty()) setImageFile(path);
  });
  connect(synthetic_, &QPushButton::clicked, this, &EngineerOtaPanel::useSyntheticImage);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(file_, 1);
  fileRow->addWidget(choose);
  fileRow->addWidget(synthetic_);
  auto* form = new QFormLayout;
  form->addRow(tr("Image file"), fileRow);
  form->addRow(tr("Hardware version (8)"), hardware_);
  form->addRow(tr("Software version (8)"), software_);
  form->addRow(tr("Firmware id"), fid_);
  form->addRow(tr("Payload size (bytes)"), size_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(pushButton_);
  buttons->addWidget(cancelButton_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch(1);
  connect(pushButton_, &QPushButton::clicked, this, &EngineerOtaPanel::push);
  connect(cancelButton_, &QPushButton::clicked, this, &EngineerOtaPanel::cancel);
  connect(&session_, &EngineerSession::mcuEvent, this, &EngineerOtaPanel::onMcuEvent);
  connect(&session_, &EngineerSession::opened, this, &EngineerOtaPanel::updateButtons);
  connect(&session_, &EngineerSession::closed, this, &EngineerOtaPanel::updateButtons);
  updateButtons();
}

void EngineerOtaPanel::setStage(Stage stage, const QString& text) {
  stage_ = stage;
  progress_->setValue(stage == Stage::Done ? 4 : std::max(0, static_cast<int>(stage) - 1));
  updateButtons();
  status_->setText(text);
  emit message(tr("OTA: %1").arg(text));
}

void EngineerOtaPanel::updateButtons() {
  pushButton_->setEnabled(!busy() && session_.mcu() != nullptr);  // a push needs a module to follow
  cancelButton_->setEnabled(busy());
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

bool EngineerOtaPanel::setImageFile(const QString& path) {
  QString error;
  const std::optional<QByteArray> bytes = core::readCappedFile(path, kMaxImageBytes, &error);
  if (!bytes) {
    emit message(tr("OTA image not used: %1").arg(error));
    return false;
  }
  const auto check = gagent::core::validateFirmwareImage(
      {reinterpret_cast<const std::uint8_t*>(bytes->constData()), static_cast<std::size_t>(bytes->size())},
      {});
  if (!check.ok()) {
    emit message(
        tr("OTA image not used: %1 is not a valid firmware image (%2); build one with gizrig image")
            .arg(QFileInfo(path).fileName(),
                 QString::fromStdString(std::string(gagent::core::firmwareImageErrorName(check.error)))));
    return false;
  }
  imageFile_ = path;
  image_ = *bytes;
  // The cloud publishes the image under the versions it carries: the form shows them and cannot differ.
  hardware_->setText(QString::fromStdString(std::string(check.header.hardwareVersion.view())));
  software_->setText(QString::fromStdString(std::string(check.header.softwareVersion.view())));
  file_->setText(path);
  for (QWidget* w : std::initializer_list<QWidget*>{hardware_, software_, size_}) w->setEnabled(false);
  size_->setValue(static_cast<int>(check.header.payloadLength));
  synthetic_->setEnabled(true);
  emit message(
      tr("OTA image: %1, %2 bytes, software %3").arg(path).arg(image_.size()).arg(software_->text()));
  return true;
}

void EngineerOtaPanel::useSyntheticImage() {
  imageFile_.clear();
  image_.clear();
  file_->clear();
  for (QWidget* w : std::initializer_list<QWidget*>{hardware_, software_, size_}) w->setEnabled(true);
  synthetic_->setEnabled(false);
}

void EngineerOtaPanel::push() {
  readBack_.clear();
  const int attempt = ++attempt_;
  setStage(Stage::Publishing, tr("publishing %1 fid %2…").arg(software_->text()).arg(fid_->value()));
  QVariantMap params{{QStringLiteral("hardwareVersion"), hardware_->text()},
                     {QStringLiteral("softwareVersion"), software_->text()},
                     {QStringLiteral("fid"), fid_->value()},
                     {QStringLiteral("size"), size_->value()}};
  if (!image_.isEmpty()) params.insert(QStringLiteral("imageHex"), QString::fromLatin1(image_.toHex()));
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
