#include "cli/policy_flags.h"

#include <string>
#include <vector>

namespace notion_mcp::cli {

const char* const kPolicyHelp =
    "\nPolicy (least privilege):\n"
    "  --profile read|write|full   read: reading only; write (default): also create and change,\n"
    "                              nothing destructive; full: also trash_page, restore_page,\n"
    "                              delete_block. Tools outside the policy are not listed.\n"
    "  --allow/--deny GLOB         add tools to the profile or remove them by name\n"
    "                              ('trash_page', 'delete_*'); deny wins. --allow never narrows:\n"
    "                              for fewer tools use a smaller --profile or --deny.\n"
    "  --scope ID_OR_URL           confine reads and writes to these pages/databases and\n"
    "                              everything below them (repeatable).\n"
    "  --confirm none|destructive|writes\n"
    "                              ask the person (MCP elicitation) before destructive calls\n"
    "                              (default) or every change; a client that cannot ask is "
    "refused.\n"
    "  --upload-root DIR           let upload_file read files under DIR (repeatable); without\n"
    "                              it, uploads are off. Only the broker opens the files.\n"
    "  --config-profile NAME       use the named entry of\n"
    "                              $XDG_CONFIG_HOME/notion-mcp/config.json, e.g.\n"
    "                              {\"profiles\": {\"notion-read\": {\"profile\": \"read\",\n"
    "                              \"scope\": [\"<page url>\"]}}}; keys: profile, allow, deny,\n"
    "                              scope, confirm, audit_log, upload_roots. Flags override the\n"
    "                              file. The file must be private (chmod 600) and hold no tokens.\n"
    "  --audit-log PATH|off        one JSON line per call, default\n"
    "                              $XDG_STATE_HOME/notion-mcp/audit.jsonl (0600; off for --demo\n"
    "                              unless given); `notion-mcp audit` summarises it.\n";

void add_policy_flags(CLI::App& serve, policy::CommandLine& flags) {
  serve
      .add_option_function<std::string>(
          "--profile", [&flags](const std::string& value) { flags.profile = value; },
          "Which tools: read, write (default: no destructive tools) or full")
      ->check(CLI::IsMember({"read", "write", "full"}));
  serve.add_option_function<std::vector<std::string>>(
      "--allow", [&flags](const std::vector<std::string>& value) { flags.allow = value; },
      "Also offer the tools matching this name glob, beyond the profile (repeatable; adds only)");
  serve.add_option_function<std::vector<std::string>>(
      "--deny", [&flags](const std::vector<std::string>& value) { flags.deny = value; },
      "Never offer the tools matching this name glob (repeatable; wins over everything)");
  serve.add_option_function<std::vector<std::string>>(
      "--scope", [&flags](const std::vector<std::string>& value) { flags.scope = value; },
      "Confine every read and write to this page's or database's subtree (repeatable)");
  serve
      .add_option_function<std::string>(
          "--confirm", [&flags](const std::string& value) { flags.confirm = value; },
          "Ask the person before: none, destructive (default) or writes")
      ->check(CLI::IsMember({"none", "destructive", "writes"}));
  serve.add_option_function<std::string>(
      "--audit-log", [&flags](const std::string& value) { flags.audit_log = value; },
      "Audit log file, or off (default: $XDG_STATE_HOME/notion-mcp/audit.jsonl)");
  serve.add_option_function<std::vector<std::string>>(
      "--upload-root",
      [&flags](const std::vector<std::string>& value) { flags.upload_roots = value; },
      "Directory upload_file may read files from (repeatable; default: uploads are off)");
  serve.add_option("--config-profile", flags.config_profile,
                   "Use this named profile from the config file "
                   "($XDG_CONFIG_HOME/notion-mcp/config.json)");
}

}  // namespace notion_mcp::cli
