#pragma once
// The WiFi status word the module keeps for the MCU (S4.2, protocol §1.9): pushed with all fields whenever
// any field changes (S4.4.1; a signal-level jump counts) and forced every 10 minutes (S4.4.2). The agent
// derives the fields from its modules and publishes them here; the signal goes through the S4.3 quantiser.

#include <cstdint>

#include "gagent/core/log.h"
#include "gagent/core/signal_level.h"
#include "gagent/core/timer.h"
#include "gagent/proto/mcu_payloads.h"

namespace gagent::core {

class StatusSink {
 public:
  virtual ~StatusSink() = default;
  virtual void pushStatus(std::uint16_t word, Millis now) = 0;
};

class StatusReporter {
 public:
  static constexpr Millis kForcedInterval = hal::minutes(10);  // S4.4.2

  StatusReporter(StatusSink& sink, LogHub& logs);

  // First push and the start of the 10-minute cycle.
  void start(const proto::WifiStatus& status, Millis now);
  // Pushes when the word differs from the last one pushed (S4.4.1), or always with `evenIfUnchanged` (an
  // entry the MCU waits to see confirmed, S6.2.6). The RSSI field is filled here.
  void publish(proto::WifiStatus status, Millis now, bool evenIfUnchanged = false);
  // A raw 0-100 reading of the joined router (S4.3, S4.4.3). True when the reported level changed.
  bool onSignal(std::uint8_t raw);
  // The router is gone: the level is meaningless until the next reading (protocol §1.9: bits 8-10 need bit
  // 4).
  void clearSignal() { quantiser_.reset(); }

  void poll(Millis now);
  [[nodiscard]] Millis nextDeadline() const { return forced_.deadline(); }
  [[nodiscard]] const proto::WifiStatus& status() const { return status_; }
  [[nodiscard]] std::uint16_t word() const { return status_.toWord(); }
  [[nodiscard]] std::uint8_t signalLevel() const { return quantiser_.level(); }

 private:
  void push(Millis now);

  StatusSink& sink_;
  Logger log_;
  SignalQuantiser quantiser_;
  proto::WifiStatus status_;
  bool started_ = false;
  Timer forced_;
};

}  // namespace gagent::core
