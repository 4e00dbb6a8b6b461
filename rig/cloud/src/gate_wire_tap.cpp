#include "gizrig/cloud/gate_wire_tap.h"

#include "gizrig/cloud/m2m_gate.h"

namespace gizrig::cloud {

GateWireTap::GateWireTap(M2mGate& gate, core::RigClock& clock, QObject* parent)
    : QObject(parent), gate_(gate), clock_(clock) {
  connect(&gate_, &M2mGate::wireBytes, this, &GateWireTap::onBytes);
  connect(&gate_, &M2mGate::wireClosed, this, &GateWireTap::onClosed);
}

void GateWireTap::onBytes(quint64 connection, bool fromDevice, const QString& device,
                          const QByteArray& bytes) {
  if (!onlyDevice_.isEmpty() && !device.startsWith(onlyDevice_ + QLatin1Char(':'))) return;
  // From the module's side the other end is the gate: the address it logged in to.
  const std::string peer = "127.0.0.1:" + std::to_string(gate_.port());
  const std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                           static_cast<std::size_t>(bytes.size()));
  for (const core::WirePacket& p :
       tap_.stream(clock_.nowMs(), std::to_string(connection), false, fromDevice, peer, span))
    emit packet(p);
}

void GateWireTap::onClosed(quint64 connection) {
  for (const core::WirePacket& p : tap_.closed(clock_.nowMs(), std::to_string(connection))) emit packet(p);
}

}  // namespace gizrig::cloud
