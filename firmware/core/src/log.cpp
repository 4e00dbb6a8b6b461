#include "gagent/core/log.h"

#include <cstdio>

namespace gagent::core {

namespace {

// The length vsnprintf's result leaves in a buffer of `capacity` (it truncates; n < 0 is an encoding error).
std::size_t formattedLength(int n, std::size_t capacity) {
  if (n < 0) return 0;
  return static_cast<std::size_t>(n) < capacity ? static_cast<std::size_t>(n) : capacity - 1;
}

}  // namespace

std::string_view logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Error:
      return "ERROR";
    case LogLevel::Warning:
      return "WARN";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Dump:
      return "DUMP";
  }
  return "?";
}

bool LogHub::attach(LogSink& sink, LogLevel threshold) {
  for (auto& entry : entries_) {
    if (entry.sink == &sink || entry.sink == nullptr) {
      entry = {&sink, threshold};
      return true;
    }
  }
  return false;
}

void LogHub::detach(LogSink& sink) {
  for (auto& entry : entries_) {
    if (entry.sink == &sink) entry = {};
  }
}

void LogHub::setThreshold(LogSink& sink, LogLevel threshold) {
  for (auto& entry : entries_) {
    if (entry.sink == &sink) entry.threshold = threshold;
  }
}

bool LogHub::enabled(LogLevel level) const {
  for (const auto& entry : entries_) {
    if (entry.sink != nullptr && level <= entry.threshold) return true;
  }
  return false;
}

void LogHub::log(LogLevel level, std::string_view module, const char* format, va_list args) {
  if (!enabled(level)) return;
  if (limiting_ && !flood_.admit(format, now_, static_cast<std::uint8_t>(level))) return;
  char text[kMaxMessage];
  const int n = std::vsnprintf(text, sizeof text, format, args);
  if (n < 0) return;
  write(level, module, {text, formattedLength(n, sizeof text)});
}

void LogHub::write(LogLevel level, std::string_view module, std::string_view message) {
  for (auto& entry : entries_) {
    if (entry.sink != nullptr && level <= entry.threshold) entry.sink->write(level, module, message);
  }
}

void LogHub::tick(Millis now) {
  now_ = now;
  limiting_ = true;
  flood_.roll(now, [&](const char* format, std::uint8_t level, unsigned count) {
    reportSuppressed(format, static_cast<LogLevel>(level), count);
  });
}

void LogHub::reportSuppressed(const char* format, LogLevel level, unsigned count) {
  // The format, not a formatted line: its arguments differed from line to line.
  char text[kMaxMessage];
  const auto window = static_cast<unsigned>(kFloodWindow);
  const int n = format == nullptr
                    ? std::snprintf(text, sizeof text, "%u more lines of other kinds suppressed in %u ms",
                                    count, window)
                    : std::snprintf(text, sizeof text, "%u more lines like \"%s\" suppressed in %u ms", count,
                                    format, window);
  if (n < 0) return;
  write(level, "log", {text, formattedLength(n, sizeof text)});
}

#define GAGENT_LOGGER_METHOD(name, level)      \
  void Logger::name(const char* format, ...) { \
    va_list args;                              \
    va_start(args, format);                    \
    hub_->log(level, module_, format, args);   \
    va_end(args);                              \
  }

GAGENT_LOGGER_METHOD(error, LogLevel::Error)
GAGENT_LOGGER_METHOD(warning, LogLevel::Warning)
GAGENT_LOGGER_METHOD(info, LogLevel::Info)
GAGENT_LOGGER_METHOD(debug, LogLevel::Debug)

#undef GAGENT_LOGGER_METHOD

}  // namespace gagent::core
