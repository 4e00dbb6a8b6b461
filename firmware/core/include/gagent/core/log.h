#pragma once
// One logger for the firmware: levels, a module prefix, and pluggable sinks (the port's console, the LAN log
// facility of S13). Formats into a fixed buffer; never allocates.
//
// Flood control (issue 16): once the owner's loop calls tick(now), at most kFloodBurst lines per call site
// (the format string is the kind; 7 tracked, the rest share kFloodSharedBurst) go out per second; the rest
// are counted and reported once per kind after the second ("... 3417 more like this suppressed"), so a flood
// of bad input cannot drown the log, the console or the LAN log, and the first line of each kind is kept.
// Without tick nothing is limited (a hub used on its own, e.g. in a unit test, has no clock).

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gagent/core/repeat_limiter.h"

namespace gagent::core {

// S13.4: levels as the LAN log protocol numbers them (0 most severe).
enum class LogLevel : std::uint8_t { Error = 0, Warning = 1, Info = 2, Debug = 3, Dump = 4 };

std::string_view logLevelName(LogLevel level);

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(LogLevel level, std::string_view module, std::string_view message) = 0;
};

// Fans one message out to up to kMaxSinks sinks, each with its own threshold.
class LogHub {
 public:
  static constexpr std::size_t kMaxSinks = 4;
  static constexpr std::size_t kMaxMessage = 192;
  static constexpr std::uint8_t kFloodBurst = 10;
  static constexpr Millis kFloodWindow = 1000;
  static constexpr std::size_t kFloodKinds = 8;
  // Lines of kinds beyond the table's first 7 in one second: a boot's one-off lines fit, a flood does not.
  static constexpr std::uint8_t kFloodSharedBurst = 40;

  bool attach(LogSink& sink, LogLevel threshold);
  void detach(LogSink& sink);
  void setThreshold(LogSink& sink, LogLevel threshold);
  [[nodiscard]] bool enabled(LogLevel level) const;
  void log(LogLevel level, std::string_view module, const char* format, va_list args);

  // The owner's loop: the time flood control counts in, and when a finished window's counts are reported.
  void tick(Millis now);
  [[nodiscard]] Millis nextDeadline() const { return flood_.nextDeadline(); }

 private:
  void write(LogLevel level, std::string_view module, std::string_view message);
  void reportSuppressed(const char* format, LogLevel level, unsigned count);

  struct Entry {
    LogSink* sink = nullptr;
    LogLevel threshold = LogLevel::Info;
  };
  Entry entries_[kMaxSinks]{};
  RepeatLimiter<const char*, kFloodKinds, kFloodBurst, kFloodWindow, kFloodSharedBurst> flood_;
  Millis now_ = 0;
  bool limiting_ = false;  // set by the first tick
};

// A module's handle on the hub: Logger log{hub, "mcu"}; log.info("sent %u", n);
class Logger {
 public:
  Logger(LogHub& hub, std::string_view module) : hub_(&hub), module_(module) {}

  void error(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void warning(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void info(const char* format, ...) __attribute__((format(printf, 2, 3)));
  void debug(const char* format, ...) __attribute__((format(printf, 2, 3)));

 private:
  LogHub* hub_;
  std::string_view module_;
};

}  // namespace gagent::core
