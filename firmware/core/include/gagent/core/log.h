#pragma once
// One logger for the firmware: levels, a module prefix, and pluggable sinks (the port's console, the LAN log
// facility of S13). Formats into a fixed buffer; never allocates.

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string_view>

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

  bool attach(LogSink& sink, LogLevel threshold);
  void detach(LogSink& sink);
  void setThreshold(LogSink& sink, LogLevel threshold);
  [[nodiscard]] bool enabled(LogLevel level) const;
  void log(LogLevel level, std::string_view module, const char* format, va_list args);

 private:
  struct Entry {
    LogSink* sink = nullptr;
    LogLevel threshold = LogLevel::Info;
  };
  Entry entries_[kMaxSinks]{};
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
