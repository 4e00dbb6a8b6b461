#include "gagent/stm32f2/usart_port.h"

#include "gagent/stm32f2/registers.h"

namespace gagent::stm32f2 {

void UsartPort::start(std::uint32_t peripheralHz, std::uint32_t baud) {
  using namespace usart;
  // Oversampling by 16: BRR holds USARTDIV in 12.4 fixed point, which is peripheralHz / baud rounded.
  reg(base_ + kBrr) = (peripheralHz + baud / 2) / baud;
  reg(base_ + kCr1) = kCr1Ue | kCr1Te | kCr1Re | kCr1RxneIe;
  enableIrq(irq_);
}

hal::IoResult UsartPort::read(std::span<std::uint8_t> out) {
  std::size_t n = 0;
  while (n < out.size() && rx_.pop(out[n])) ++n;
  return n == 0 ? hal::IoResult::wouldBlock() : hal::IoResult::done(n);
}

hal::IoResult UsartPort::write(std::span<const std::uint8_t> data) {
  std::size_t n = 0;
  while (n < data.size() && tx_.push(data[n])) ++n;
  if (n > 0) {
    enableTransmitInterrupt();
    service();
  }
  return n == 0 && !data.empty() ? hal::IoResult::wouldBlock() : hal::IoResult::done(n);
}

void UsartPort::enableTransmitInterrupt() {
  InterruptGuard guard;  // CR1 is also written by the interrupt handler
  reg(base_ + usart::kCr1) |= usart::kCr1TxeIe;
}

void UsartPort::service() {
  if (tx_.empty()) return;
  InterruptGuard guard;  // the interrupt handler pops from the same ring
  sendWhileFree();
}

void UsartPort::sendWhileFree() {
  std::uint8_t byte = 0;
  while ((reg(base_ + usart::kSr) & usart::kSrTxe) != 0 && tx_.pop(byte)) reg(base_ + usart::kDr) = byte;
}

void UsartPort::onInterrupt() {
  using namespace usart;
  const std::uint32_t status = reg(base_ + kSr);
  if ((status & (kSrRxne | kSrOre)) != 0) {
    // Reading DR after SR clears both RXNE and an overrun.
    const auto byte = static_cast<std::uint8_t>(reg(base_ + kDr));
    if ((status & kSrOre) != 0) dropped_ = dropped_ + 1;  // the byte before this one was lost
    if (!rx_.push(byte)) dropped_ = dropped_ + 1;
  }
  if ((status & kSrTxe) != 0 && (reg(base_ + kCr1) & kCr1TxeIe) != 0) {
    std::uint8_t byte = 0;
    if (tx_.pop(byte)) {
      reg(base_ + kDr) = byte;
    } else {
      reg(base_ + kCr1) &= ~kCr1TxeIe;  // nothing left: stop the transmit-empty interrupt
    }
  }
}

}  // namespace gagent::stm32f2
