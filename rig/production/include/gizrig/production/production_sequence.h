#pragma once
// The end-of-line production test of one DUT (S5 plus the usual checks), as OpenHTF-style phases with
// measurements and limits:
//   [flash: the station's image through the ROM loader, unless the module already reports its version] ->
//   handshake -> production mode (0x13) -> versions and MAC (0x21, read while the module joins) -> test
//   routers up -> joined with the test flags -> LAN discovery (by MAC) -> passcode + login -> control a data
//   point: the MCU gets it, the app gets the report -> signal level >= limit -> exit test (0017): back to
//   SoftAP, station and test mode off (S5.6).
// A phase that the DUT does not complete in time FAILs the run; one the rig cannot perform is an ERROR. The
// run stops at the first phase that does not pass. Every wait is a deadline on the RigClock.

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "gizrig/production/slot_flasher.h"
#include "gizrig/production/station_config.h"
#include "gizrig/records/run_record.h"

namespace gizrig::core {

class AppPlug;
class McuPlug;
class RouterControl;

struct ProductionSlot {
  QString name;
  McuPlug* mcu = nullptr;
  AppPlug* app = nullptr;
  RouterControl* routers = nullptr;  // optional: the test routers are switched on when present
  QHostAddress module;               // known address, or null: found by MAC through discovery
  QString serial;                    // the scanned barcode
  QString linkError;                 // the serial port did not open (OS reason): the run is an ERROR
  // Power-cycles the module (the station's power_cycle command, a USB relay); empty: the slot has none. Used
  // when a running module does not restart on 0x29 (GAgent's Linux port only prints "Please restart").
  std::function<void()> powerCycle;
  // Writes the station's flash image to this slot's module (the flash step); null: the slot cannot flash.
  SlotFlasher* flasher = nullptr;
};

class ProductionSequence : public QObject {
  Q_OBJECT
 public:
  ProductionSequence(RigClock& clock, const StationConfig& station, ProductionSlot slot, RunMode mode,
                     QObject* parent = nullptr);
  ~ProductionSequence() override;

  void start();
  // Ends a running sequence at once as ABORTED (Ctrl-C, SIGTERM, the operator's Abort): the step in progress
  // is recorded ABORTED with `why` and what it measured so far; finished() follows before this returns.
  void abort(const QString& why);
  [[nodiscard]] const RunRecord& record() const { return record_; }
  [[nodiscard]] bool running() const { return running_; }

  // The phase names in order (for progress bars and the GUI's step list); "flash" first when the station has
  // a flash step.
  static QStringList phaseNames(bool withFlash = false);
  // The exit test's failure in words from the status words seen (the one when 0017 went out first) and
  // whether 0018 arrived: "0018 arrived, status went 0x171A -> 0x0F1A, SoftAP never came on (S5.6)".
  static QString describeExitTest(const QList<quint16>& words, bool replied);

 signals:
  void stepStarted(const QString& name, int index, int total);
  void stepFinished(const gizrig::core::StepRecord& step);
  // Progress inside a long step (the flash step's bytes written), 0-100.
  void stepProgress(const QString& name, int percent);
  void finished(const gizrig::core::RunRecord& run);

 private:
  // One phase in progress: measurements, a deadline, and a context object whose death disconnects everything
  // the phase listened to.
  struct Phase;
  using PhaseBody = std::function<void(Phase&)>;

  void runPhase(std::size_t index);
  void endPhase(Outcome outcome, const QString& message);
  void finishRun();
  // The wall-clock date (UTC ms) of a rig-clock instant of this run.
  [[nodiscard]] std::int64_t wallAt(RigMillis rigTime) const;

  void flash(Phase& phase);
  void writeImage(const QString& before);
  void handshake(Phase& phase);
  void versions(Phase& phase);
  void productionMode(Phase& phase);
  void testRouters(Phase& phase);
  // One test router after the other (the air, like a real router's API, takes one request at a time).
  void switchOnNextTestRouter(std::shared_ptr<QStringList> remaining, QPointer<QObject> context);
  void joinTestRouter(Phase& phase);
  void discover(Phase& phase);
  void login(Phase& phase);
  void control(Phase& phase);
  void signalLevel(Phase& phase);
  void exitTest(Phase& phase);

  RigClock& clock_;
  StationConfig station_;
  ProductionSlot slot_;
  RunRecord record_;
  std::vector<std::pair<QString, PhaseBody>> phases_;
  std::unique_ptr<Phase> phase_;
  std::size_t phaseIndex_ = 0;
  RigMillis productionModeAt_ = 0;
  // When the status word first said "joined, test mode on" after 0x13: the join may complete while the
  // versions are read, before its own phase starts. The watch lives from 0x13 to the end of the join phase.
  std::optional<RigMillis> joinedAt_;
  std::unique_ptr<QObject> joinWatch_;
  RigMillis clockStartMs_ = 0;  // the rig clock at start()
  // Handshakes seen when the flash step wrote the module (-1: not flashed): the next handshake must be the
  // new firmware's, and its 0x22 must carry the station's version.
  int handshakesAtFlash_ = -1;
  bool flashing_ = false;  // the flasher holds the slot's port
  bool running_ = false;
};

}  // namespace gizrig::core
