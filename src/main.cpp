// notion-mcp: a local MCP server for Notion. main wires the parts together; each part lives in
// its own folder (mcp/, notion/, tools/, demo/, util/).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/audit_command.h"
#include "cli/credentials_command.h"
#include "cli/login_command.h"
#include "cli/logout_command.h"
#include "cli/policy_flags.h"
#include "cli/serve.h"
#include "cli/status_command.h"
#include "sandbox/sandbox_check.h"
#include "util/redact.h"

namespace {

using namespace notion_mcp;

constexpr const char* kDescription =
    "notion-mcp: a local MCP server for Notion.\n"
    "\n"
    "MCP clients (Claude Desktop, Claude Code, CI agents) start it and talk JSON-RPC over\n"
    "stdin/stdout. 'serve' is the default when stdin is not a terminal.";

constexpr const char* kExamples =
    "\nExamples:\n"
    "  notion-mcp serve --demo            serve the offline demo workspace (no account needed)\n"
    "  NOTION_TOKEN=ntn_... notion-mcp    serve your workspace with an internal integration token\n"
    "  claude mcp add notion -- notion-mcp serve\n"
    "  notion-mcp serve --profile read --scope URL\n"
    "                                     read-only, confined to one page's subtree\n"
    "  notion-mcp serve --profile full --confirm writes --upload-root ~/Uploads\n"
    "                                     every tool; the person confirms each change\n"
    "  notion-mcp login --client-id ID    OAuth login in the browser (redirect URI to register:\n"
    "                                     http://127.0.0.1:8787/callback)\n"
    "  notion-mcp login --token < file    save an integration token in the keyring\n"
    "\n"
    "Environment:\n"
    "  NOTION_TOKEN                integration or personal token (wins over saved logins)\n"
    "  NOTION_MCP_CREDENTIALS      encrypted credentials file (see `credentials export`)\n"
    "  NOTION_MCP_CREDENTIALS_KEY  its key; or --credentials-key-file, or systemd credentials\n"
    "  NOTION_MCP_CLIENT_SECRET    OAuth client secret for `login` (else prompted or stdin)\n"
    "  NOTION_MCP_API_URL          API base (default https://api.notion.com; else loopback only)\n"
    "  NOTION_MCP_CA_FILE          CA bundle for a loopback test server\n";

// An unexpected argument longer than any subcommand or flag may be a pasted secret of any
// shape (not only what the redactor recognises): say how long it was instead of showing it.
std::string without_long_words(std::string_view text) {
  constexpr size_t kLongestShown = 24;
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {  // one word or one space per round
    size_t end = text.find(' ', pos);
    if (end == pos) {
      out += ' ';
      ++pos;
      continue;
    }
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    if (word.size() > kLongestShown) {
      out += "[" + std::to_string(word.size()) + " characters, not shown]";
    } else {
      out += word;
    }
    pos = end;
  }
  return util::redact(out);
}

// What the command line asks for. CLI11 is gone once it is known: serve forks its worker with
// a heap that holds no parser (every page the parent has touched counts in the worker's memory).
struct Command {
  enum class Kind { serve, login, status, logout, credentials_export, audit, sandbox_check };
  Kind kind = Kind::serve;
  std::optional<int> exit_status;  // help, version, a parse error: nothing left to run
  cli::ServeOptions serve;
  cli::LoginOptions login;
  cli::StatusOptions status;
  cli::LogoutOptions logout;
  cli::ExportOptions credentials_export;
  cli::AuditOptions audit;
};

Command parse_command_line(int argc, char** argv) {
  Command command;
  CLI::App app{kDescription, "notion-mcp"};
  app.footer(kExamples);
  app.set_version_flag("-V,--version", std::string("notion-mcp ") + NOTION_MCP_VERSION);
  app.require_subcommand(0, 1);

  auto* serve_cmd = app.add_subcommand("serve", "Serve MCP on stdin/stdout (the default)");
  serve_cmd->add_flag("--demo", command.serve.demo,
                      "Serve the built-in demo workspace: no network, no credentials");
  serve_cmd
      ->add_option("--max-message-bytes", command.serve.max_message_bytes,
                   "Largest accepted JSON-RPC line; longer lines are refused")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  serve_cmd
      ->add_option("--rate-limit", command.serve.rate_limit,
                   "Notion requests per second (3 for most plans, 10 for 600/min plans)")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 1000.0));
  serve_cmd
      ->add_option("--rate-burst", command.serve.rate_burst,
                   "Requests that may go at once after a quiet spell")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 1000.0));
  serve_cmd->add_option("--log-level", command.serve.log_level, "Least severity written to stderr")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "notice", "warning", "error"}));

  serve_cmd
      ->add_option("--sandbox", command.serve.sandbox,
                   "require: refuse to start without seccomp plus Landlock or namespaces; "
                   "best-effort: use what the host allows; off: no sandbox (debugging only)")
      ->capture_default_str()
      ->check(CLI::IsMember({"require", "best-effort", "off"}));
  cli::add_policy_flags(*serve_cmd, command.serve.policy);
  serve_cmd->footer(cli::kPolicyHelp);

  cli::add_credential_flags(serve_cmd, command.serve.credentials);
  auto* login_cmd = cli::add_login_command(app, command.login);
  auto* status_cmd = cli::add_status_command(app, command.status);
  auto* logout_cmd = cli::add_logout_command(app, command.logout);
  auto* credentials_cmd = cli::add_credentials_command(app, command.credentials_export);

  auto* audit_cmd = cli::add_audit_command(app, command.audit);

  auto* check_cmd = app.add_subcommand(
      "sandbox-check", "Show which sandbox layers this host allows, then try to escape from them");

  auto done = [&command](int status) {
    command.exit_status = status;
    return std::move(command);
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print as they are; every other message may quote what was typed
    // (a token pasted as an argument), so it goes through the redactor like all other output.
    if (e.get_exit_code() == 0) return done(app.exit(e));
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      cli::print_err("notion-mcp: " + without_long_words(e.what()) +
                     "\n  Secrets never go on the command line: `login --token` reads the token "
                     "from a hidden prompt or stdin, `login` the client secret from a prompt, "
                     "stdin or NOTION_MCP_CLIENT_SECRET. Run with --help for more information.\n");
      return done(e.get_exit_code());
    }
    std::ostringstream out;
    std::ostringstream err;
    int code = app.exit(e, out, err);
    cli::print_out(out.str());
    cli::print_err(err.str());
    return done(code);
  }

  using Kind = Command::Kind;
  if (*check_cmd) command.kind = Kind::sandbox_check;
  if (*login_cmd) command.kind = Kind::login;
  if (*status_cmd) command.kind = Kind::status;
  if (*logout_cmd) command.kind = Kind::logout;
  if (*credentials_cmd) command.kind = Kind::credentials_export;
  if (*audit_cmd) command.kind = Kind::audit;
  if (app.get_subcommands().empty() && ::isatty(STDIN_FILENO)) {
    // A person at a terminal: explain instead of waiting silently for JSON-RPC.
    std::cout << app.help()
              << "\nserve speaks MCP on stdin/stdout and is meant to be started "
                 "by an MCP client; try `notion-mcp serve --demo`.\n";
    return done(0);
  }
  return command;
}

}  // namespace

int main(int argc, char** argv) {
  Command command = parse_command_line(argc, argv);
  if (command.exit_status) return *command.exit_status;
  switch (command.kind) {
    case Command::Kind::sandbox_check:
      return sandbox::run_sandbox_check(std::cout);
    case Command::Kind::login:
      return cli::run_login(command.login);
    case Command::Kind::status:
      return cli::run_status(command.status);
    case Command::Kind::logout:
      return cli::run_logout(command.logout);
    case Command::Kind::credentials_export:
      return cli::run_credentials_export(command.credentials_export);
    case Command::Kind::audit:
      return cli::run_audit_command(command.audit, std::cout, std::cerr);
    case Command::Kind::serve:
      return cli::run_serve(command.serve);
  }
  return 0;
}
