#include "operator/operator_settings.h"

#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "app/gui_settings.h"

namespace gizrig::gui {

OperatorSettings::OperatorSettings(const QString& defaultStationFile, int defaultSlots,
                                   const QString& recordsDb, QWidget* parent)
    : QGroupBox(tr("Settings (engineer mode)"), parent),
      stationFile_(new QLineEdit(this)),
      slots_(new QSpinBox(this)),
      recordsDb_(new QLineEdit(this)),
      apply_(new QPushButton(tr("Apply"), this)) {
  const auto settings = openGuiSettings();
  stationFile_->setText(settings->value(settingsKey::kStationFile, defaultStationFile).toString());
  slots_->setRange(1, 64);
  slots_->setValue(settings->value(settingsKey::kSlotCount, defaultSlots).toInt());
  recordsDb_->setText(recordsDb);
  connect(apply_, &QPushButton::clicked, this, &OperatorSettings::applyRequested);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Station file"), stationFile_);
  form->addRow(tr("Slots"), slots_);
  form->addRow(tr("Records DB"), recordsDb_);
  form->addRow(apply_);
}

QString OperatorSettings::stationFile() const {
  return stationFile_->text();
}

int OperatorSettings::slotCount() const {
  return slots_->value();
}

QString OperatorSettings::recordsDb() const {
  return recordsDb_->text();
}

void OperatorSettings::setSlotCount(int count) {
  slots_->setValue(count);
}

void OperatorSettings::save() const {
  const auto settings = openGuiSettings();
  settings->setValue(settingsKey::kStationFile, stationFile());
  settings->setValue(settingsKey::kSlotCount, slotCount());
  settings->setValue(settingsKey::kRecordsDb, recordsDb());
}

}  // namespace gizrig::gui
