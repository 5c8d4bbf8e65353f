// notion-mcp-broker: the broker half of `notion-mcp serve` (see cli/broker_launch.h for why it
// is a program of its own). `serve` forks the sandboxed worker, then execs this in its place;
// it holds the credentials, writes the audit log and opens the one allowed connection.
#include <sodium.h>
#include <sys/prctl.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "cli/broker_launch.h"
#include "cli/serve_broker.h"
#include "util/log.h"
#include "util/redact.h"

int main(int argc, char** argv) {
  using namespace notion_mcp;
  // execveat() by descriptor names the process after the descriptor ("3") on kernels before
  // 6.14: give ps, top and pgrep a name.
  ::prctl(PR_SET_NAME, "notion-mcp-brok", 0, 0, 0);
  std::vector<std::string> arguments(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto invocation = cli::parse_broker_arguments(arguments);
  if (!invocation) {
    // Redacted: whatever was typed on the command line may be a secret.
    std::string text = util::redact(invocation.error().message + " " + invocation.error().hint);
    std::fprintf(stderr, "notion-mcp-broker: %s\n", text.c_str());
    return cli::kExitBrokerConfig;
  }
  util::Logger logger(
      util::parse_log_level(invocation->plan.log_level).value_or(util::LogLevel::warning));
  // As in `serve`: the time zone and libsodium's random source before any confinement.
  ::tzset();
  if (sodium_init() < 0) {
    logger.error("libsodium could not be initialised.");
    return cli::kExitBrokerConfig;
  }
  return cli::run_serve_broker(invocation->plan, invocation->worker, logger);
}
