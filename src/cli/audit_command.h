// `notion-mcp audit [--since DURATION] [--writes]`: a readable summary of the audit log.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace notion_mcp::cli {

struct AuditOptions {
  std::string since;           // "7d", "24h", ...; empty: everything in the log
  bool writes = false;         // only writes and destructive calls
  std::string log;             // --audit-log PATH; empty: the config file's, else the default
  std::string config_profile;  // which config profile's audit_log to use
};

CLI::App* add_audit_command(CLI::App& app, AuditOptions& options);

// Returns the exit status; the summary goes to `out`, problems to `err`.
int run_audit_command(const AuditOptions& options, std::ostream& out, std::ostream& err);

}  // namespace notion_mcp::cli
