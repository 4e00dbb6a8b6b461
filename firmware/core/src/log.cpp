#include "gagent/core/log.h"

#include <cstdio>

namespace gagent::core {

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
  char text[kMaxMessage];
  const int n = std::vsnprintf(text, sizeof text, format, args);
  if (n < 0) return;
  const std::size_t length =
      static_cast<std::size_t>(n) < sizeof text ? static_cast<std::size_t>(n) : sizeof text - 1;
  for (auto& entry : entries_) {
    if (entry.sink != nullptr && level <= entry.threshold) entry.sink->write(level, module, {text, length});
  }
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
