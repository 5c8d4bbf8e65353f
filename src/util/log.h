// Logging: always to stderr (stdout carries only MCP messages), and to the MCP client as
// notifications/message once it asks with logging/setLevel. Every line is redacted.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace notion_mcp::util {

// RFC 5424 severities, as MCP's logging/setLevel uses them.
enum class LogLevel { debug, info, notice, warning, error, critical, alert, emergency };

std::optional<LogLevel> parse_log_level(std::string_view name);
std::string_view log_level_name(LogLevel level);

class Logger {
 public:
  using Sink = std::function<void(LogLevel, const std::string& redacted_message)>;

  explicit Logger(LogLevel stderr_level = LogLevel::warning) : stderr_level_(stderr_level) {}

  void log(LogLevel level, std::string_view message) const;
  void debug(std::string_view m) const { log(LogLevel::debug, m); }
  void info(std::string_view m) const { log(LogLevel::info, m); }
  void warning(std::string_view m) const { log(LogLevel::warning, m); }
  void error(std::string_view m) const { log(LogLevel::error, m); }

  void set_stderr_level(LogLevel level) { stderr_level_ = level; }
  // The client's chosen level; messages at or above it also go to `sink`.
  void set_client_sink(Sink sink, LogLevel level) {
    client_sink_ = std::move(sink);
    client_level_ = level;
  }

 private:
  LogLevel stderr_level_;
  Sink client_sink_;
  LogLevel client_level_ = LogLevel::emergency;
};

}  // namespace notion_mcp::util
