#include "gagent/posix/stream_log_sink.h"

namespace gagent::posix {

void StreamLogSink::write(core::LogLevel level, std::string_view module, std::string_view message) {
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_)
          .count();
  const std::string_view name = core::logLevelName(level);
  std::fprintf(stream_, "%6lld.%03lld %-5.*s %.*s: %.*s\n", static_cast<long long>(elapsed / 1000),
               static_cast<long long>(elapsed % 1000), static_cast<int>(name.size()), name.data(),
               static_cast<int>(module.size()), module.data(), static_cast<int>(message.size()),
               message.data());
  std::fflush(stream_);
}

}  // namespace gagent::posix
