#include "gagent/sim/udp_impairment.h"

namespace gagent::sim {

bool UdpImpairer::chance(double probability) {
  if (probability <= 0.0) return false;
  if (probability >= 1.0) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_) < probability;
}

hal::Millis UdpImpairer::delay(const UdpImpairment& impairment) {
  hal::Millis d = impairment.minDelay;
  if (impairment.jitter > 0) d += std::uniform_int_distribution<hal::Millis>(0, impairment.jitter)(engine_);
  if (chance(impairment.reorder)) d += impairment.reorderDelay;
  return d;
}

DatagramFate UdpImpairer::decide(const UdpImpairment& impairment) {
  DatagramFate fate;
  if (chance(impairment.loss)) {
    fate.copies = 0;
    return fate;
  }
  fate.copies = chance(impairment.duplicate) ? 2 : 1;
  for (std::size_t i = 0; i < fate.copies; ++i) fate.delays[i] = delay(impairment);
  return fate;
}

}  // namespace gagent::sim
