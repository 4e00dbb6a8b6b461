#pragma once
// The MCU's serial line in the virtual-time world: the MCU side of sim::SimUart as a SerialLink. write() puts
// the bytes on the wire at once (mcuSend); what the module wrote reaches `received` at the clock's next turn
// after it became readable (instantly, or at 9600 baud when the SimUart is paced).

#include <QPointer>

#include "gizrig/links/links.h"
#include "gizrig/virtual/virtual_rig_clock.h"

namespace gagent::sim {
class SimUart;
}

namespace gizrig::core {

class SimUartLink final : public SerialLink {
  Q_OBJECT
 public:
  // The SimUart must outlive the link, or detach() must be called before it goes.
  SimUartLink(gagent::sim::SimUart& uart, VirtualRigClock& clock, QObject* parent = nullptr);
  ~SimUartLink() override;

  // Bytes the module wrote while the link was closed are delivered after open(), as a UART's receive buffer
  // would hold them.
  bool open() override;
  void close() override;
  [[nodiscard]] bool isOpen() const override { return open_; }
  void write(const QByteArray& bytes) override;
  [[nodiscard]] QString describe() const override { return QStringLiteral("sim uart"); }

  // The world is going away: the link closes and never touches the SimUart again.
  void detach();

 private:
  bool service();

  gagent::sim::SimUart* uart_;
  QPointer<VirtualRigClock> clock_;
  VirtualRigClock::ServiceId serviceId_ = 0;
  bool open_ = false;
};

}  // namespace gizrig::core
