#include "gagent/core/status_reporter.h"

namespace gagent::core {

StatusReporter::StatusReporter(StatusSink& sink, LogHub& logs) : sink_(sink), log_(logs, "status") {}

void StatusReporter::start(const proto::WifiStatus& status, Millis now) {
  started_ = true;
  status_ = status;
  status_.rssiLevel = status_.routerConnected ? quantiser_.ordinal() : 0;
  push(now);
  forced_.start(now, kForcedInterval);
}

void StatusReporter::publish(proto::WifiStatus status, Millis now, bool evenIfUnchanged) {
  status.rssiLevel = status.routerConnected ? quantiser_.ordinal() : 0;
  if (!started_ || (status == status_ && !evenIfUnchanged)) {
    status_ = status;
    return;
  }
  status_ = status;
  push(now);
}

bool StatusReporter::onSignal(std::uint8_t raw) {
  const std::uint8_t before = quantiser_.level();
  const bool hadValue = quantiser_.update(raw);
  return hadValue && quantiser_.level() != before;
}

void StatusReporter::poll(Millis now) {
  if (forced_.fire(now)) {
    log_.debug("forced 10-minute status push");
    push(now);
    forced_.start(now, kForcedInterval);  // a fixed cadence, whatever was pushed in between
  }
}

void StatusReporter::push(Millis now) {
  const std::uint16_t word = status_.toWord();
  log_.info("status 0x%04X", word);
  sink_.pushStatus(word, now);
}

}  // namespace gagent::core
