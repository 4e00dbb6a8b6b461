#pragma once
// The operator station's settings (engineer mode only): station file, slot count, records database. Apply
// loads them and saves them (QSettings, gui/app/gui_settings.h), so the station comes up the same after a
// restart; the window opens the saved records database unless --db says otherwise.

#include <QGroupBox>

class QLineEdit;
class QPushButton;
class QSpinBox;

namespace gizrig::gui {

class OperatorSettings : public QGroupBox {
  Q_OBJECT
 public:
  // Starts from the saved values, else the defaults given.
  OperatorSettings(const QString& defaultStationFile, int defaultSlots, const QString& recordsDb,
                   QWidget* parent = nullptr);

  [[nodiscard]] QString stationFile() const;
  [[nodiscard]] int slotCount() const;
  [[nodiscard]] QString recordsDb() const;
  void setSlotCount(int count);  // what the station file made of it
  void save() const;
  [[nodiscard]] QLineEdit* stationFileField() const { return stationFile_; }
  [[nodiscard]] QSpinBox* slotsField() const { return slots_; }
  [[nodiscard]] QLineEdit* recordsDbField() const { return recordsDb_; }
  [[nodiscard]] QPushButton* applyButton() const { return apply_; }

 signals:
  void applyRequested();

 private:
  QLineEdit* stationFile_;
  QSpinBox* slots_;
  QLineEdit* recordsDb_;
  QPushButton* apply_;
};

}  // namespace gizrig::gui
