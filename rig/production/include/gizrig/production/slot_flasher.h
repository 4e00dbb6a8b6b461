#pragma once
// What the production sequence's flash step needs from the thing that writes a slot's module: start with an
// image, hear the progress, hear the outcome once. On a line (and against gagent-sim --boot rom) it is the
// ROM serial loader on the slot's own port (SerialSlotFlasher); the virtual-time tests give one that writes
// the in-process module's flash through the same loader protocol. The sequence stays apart from both.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

#include "gizrig/flash/flash_plan.h"

namespace gizrig::core {

struct FlashJob {
  QString image;  // the file it came from, for messages
  QByteArray bytes;
  quint32 address = 0x2000;
  qint32 baud = 115200;
  bool verify = true;
  std::optional<gizrig::flash::FlasherStub> stub;  // uploaded first when set
};

struct FlashJobResult {
  // ModuleFailed: the module did not sync, refused, timed out or failed verification (the DUT's FAIL);
  // RigError: the port could not be opened, the image could not be given (the rig's ERROR).
  enum class Kind { Ok, ModuleFailed, RigError } kind = Kind::Ok;
  QString message;        // the flasher's own words when it failed
  QStringList notes;      // what it skipped and why ("not verified: the ESP8266 ROM has no MD5")
  QString chip;           // "ESP8266", "ESP32"
  QString mac;            // the eFuse MAC the loader reported, aa:bb:cc:dd:ee:ff
  QString md5;            // of the image written, hex
  bool verified = false;  // the module's MD5 matched
  qint64 bytes = 0;       // image bytes
  qint64 wireBytes = 0;   // what went on the wire (compressed or padded)
  qint32 baud = 0;        // the rate the image went at
};

class SlotFlasher {
 public:
  using Progress = std::function<void(qint64 done, qint64 total)>;
  using Done = std::function<void(const FlashJobResult&)>;

  virtual ~SlotFlasher() = default;
  // Writes `job` and leaves the loader into the new firmware. `done` comes exactly once, never inside this
  // call; `progress` while the image goes out.
  virtual void start(const FlashJob& job, Progress progress, Done done) = 0;
  // Stops a write in progress (an abort): `done` does not come.
  virtual void cancel() = 0;
};

}  // namespace gizrig::core
