#include "gizrig/virtual/sim_uart_link.h"

#include <span>
#include <vector>

#include "gagent/sim/sim_uart.h"

namespace gizrig::core {

SimUartLink::SimUartLink(gagent::sim::SimUart& uart, VirtualRigClock& clock, QObject* parent)
    : SerialLink(parent), uart_(&uart), clock_(&clock) {}

SimUartLink::~SimUartLink() {
  close();
}

bool SimUartLink::open() {
  if (open_) return true;
  if (uart_ == nullptr || !clock_) {
    emit errorOccurred(QStringLiteral("sim uart: the virtual world is gone"));
    return false;
  }
  open_ = true;
  serviceId_ = clock_->addService([this](RigMillis) { return service(); });
  return true;
}

void SimUartLink::close() {
  if (!open_) return;
  open_ = false;
  if (clock_ && serviceId_ != 0) clock_->removeService(serviceId_);
  serviceId_ = 0;
}

void SimUartLink::detach() {
  close();
  uart_ = nullptr;
}

void SimUartLink::write(const QByteArray& bytes) {
  if (!open_ || uart_ == nullptr) {
    emit errorOccurred(QStringLiteral("sim uart: write on a closed link"));
    return;
  }
  if (clock_) clock_->requestPass();
  uart_->mcuSend(std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                           static_cast<std::size_t>(bytes.size())));
}

bool SimUartLink::service() {
  if (!open_ || uart_ == nullptr || uart_->mcuReadable() == 0) return false;
  const std::vector<std::uint8_t> bytes = uart_->mcuReceive();
  emit received(
      QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())));
  return true;
}

}  // namespace gizrig::core
