#include "cli/audit_command.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <vector>

#include "audit/log_writer.h"
#include "audit/summary.h"
#include "policy/config_file.h"

namespace notion_mcp::cli {
namespace {

bool read_lines(const std::string& path, std::vector<std::string>& lines) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  // Bounded by the log's rotation size; a line longer than a record can be is skipped.
  while (std::getline(in, line)) {
    if (line.size() <= 64 * 1024) lines.push_back(std::move(line));
  }
  return true;
}

}  // namespace

CLI::App* add_audit_command(CLI::App& app, AuditOptions& options) {
  auto* command = app.add_subcommand(
      "audit", "Summarise the audit log: what was read, written and destroyed, and when");
  command->add_option("--since", options.since,
                      "Only calls in this recent period, e.g. 30m, 24h, 7d, 2w");
  command->add_flag("--writes", options.writes, "Only writes and destructive calls");
  command->add_option("--audit-log", options.log,
                      "The log to read (default: the one serve writes)");
  command->add_option("--config-profile", options.config_profile,
                      "Read the log that this config profile names");
  return command;
}

int run_audit_command(const AuditOptions& options, std::ostream& out, std::ostream& err) {
  audit::SummaryOptions summary;
  summary.writes_only = options.writes;
  if (!options.since.empty()) {
    auto period = audit::parse_duration(options.since);
    if (!period) {
      err << "notion-mcp audit: " << period.error().message << "\n";
      return 2;
    }
    summary.since = std::chrono::system_clock::now() - *period;
  }

  std::string path = options.log;
  if (path.empty()) {
    policy::CommandLine flags;
    flags.config_profile = options.config_profile;
    auto settings = policy::load_settings(flags);
    if (!settings) {
      err << "notion-mcp audit: " << settings.error().message << " " << settings.error().hint
          << "\n";
      return 2;
    }
    path = settings->audit_log;
  }
  if (path == "off") {
    err << "notion-mcp audit: the audit log is off in this configuration (audit_log: off).\n";
    return 2;
  }
  if (path.empty()) path = audit::default_log_path();
  if (path.empty()) {
    err << "notion-mcp audit: neither XDG_STATE_HOME nor HOME is set; name the log with "
           "--audit-log PATH.\n";
    return 2;
  }

  std::vector<std::string> lines;
  bool have_rotated = read_lines(path + ".1", lines);  // older lines first
  if (!read_lines(path, lines) && !have_rotated) {
    out << "No audit log at " << path
        << " yet: nothing has been recorded there (serve writes it unless --audit-log off; the "
           "demo workspace is not logged unless --audit-log is given).\n";
    return 0;
  }
  out << audit::summarize(lines, summary, path);
  return 0;
}

}  // namespace notion_mcp::cli
