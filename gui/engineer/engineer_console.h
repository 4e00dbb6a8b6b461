#pragma once
// The serial console: the frame table with its filter bar, the selected frame in full below it, and save /
// load / replay of a capture (McuCapture JSON lines, the same files `gizrig decode` reads).

#include <QTimer>
#include <QWidget>
#include <deque>

#include "gizrig/plugs/mcu_capture.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace gizrig::gui {

class FrameDetailPane;
class FrameTableModel;
class FrameFilterProxy;

class EngineerConsole : public QWidget {
  Q_OBJECT
 public:
  explicit EngineerConsole(QWidget* parent = nullptr);

  void addFrame(const core::FrameLogEntry& entry);
  void clear();

  // Every frame in the table (not only the visible ones) -> JSON lines; false + error on a write failure.
  bool saveCapture(const QString& path, QString& error) const;
  // Reads a capture and shows it in place of the table; it can then be replayed. False + error (naming the
  // line) on a bad file, the table unchanged.
  bool loadCapture(const QString& path, QString& error);
  // Plays the loaded capture into an emptied table with its recorded spacing, `speed` times faster.
  void replay(double speed = 10);
  [[nodiscard]] bool replaying() const { return replayTimer_.isActive(); }

  [[nodiscard]] FrameTableModel* model() const { return model_; }
  [[nodiscard]] FrameFilterProxy* proxy() const { return proxy_; }
  [[nodiscard]] QTableView* table() const { return table_; }
  [[nodiscard]] FrameDetailPane* detail() const { return detail_; }
  void setFilterText(const QString& command, int direction, const QString& text);

 signals:
  void message(const QString& text);

 private:
  void applyFilter();
  void replayNext();
  void updateCount();
  void showSelected();

  FrameTableModel* model_;
  FrameFilterProxy* proxy_;
  QTableView* table_;
  FrameDetailPane* detail_;
  QLineEdit* commandFilter_;
  QComboBox* directionFilter_;
  QLineEdit* textFilter_;
  QLabel* count_;
  bool follow_ = true;

  std::deque<core::FrameLogEntry> loaded_;
  std::deque<core::FrameLogEntry> replayQueue_;
  QTimer replayTimer_;
  double replaySpeed_ = 10;
};

}  // namespace gizrig::gui
