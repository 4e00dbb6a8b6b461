#pragma once
// The flash step on a slot's serial port: the MCU plug lets go of the port, the ROM loader flasher
// (rig/flash SerialFlasher: the DTR/RTS reset into the loader, sync, write, verify, run) takes it, and the
// MCU plug has it back at 9600 for the module's first handshake of the new firmware.

#include <QObject>
#include <memory>

#include "gizrig/production/slot_flasher.h"

namespace gizrig::flash {
class SerialFlasher;
}

namespace gizrig::core {

class McuPlug;

class SerialSlotFlasher final : public QObject, public SlotFlasher {
  Q_OBJECT
 public:
  SerialSlotFlasher(QString portName, McuPlug* mcu, QObject* parent = nullptr);
  ~SerialSlotFlasher() override;

  void start(const FlashJob& job, Progress progress, Done done) override;
  void cancel() override;

 private:
  void finish(FlashJobResult result);

  QString portName_;
  McuPlug* mcu_;
  std::unique_ptr<flash::SerialFlasher> flasher_;
  Progress progress_;
  Done done_;
};

}  // namespace gizrig::core
