// The broker's half of `notion-mcp serve`, after the worker has been forked: it reads the
// credentials, opens the audit log, confines itself and serves the worker's requests until the
// worker exits. It runs in the notion-mcp-broker executable (see cli/broker_launch.h), or in
// the serve process itself when that executable is missing.
#pragma once

#include <string>
#include <vector>

#include "cli/credential_settings.h"
#include "sandbox/spawn.h"
#include "util/log.h"

namespace notion_mcp::cli {

// What the broker needs from the serve process, already checked there. Everything else
// (NOTION_TOKEN, the credentials file's key, the API URL and CA file, the lock directory) it
// reads from the environment it inherits.
struct BrokerPlan {
  bool demo = false;
  std::string log_level = "warning";
  std::string audit_log;                  // resolved path; empty: no audit log
  std::vector<std::string> upload_roots;  // real absolute paths
  CredentialFlags credentials;
};

// Exit status of a broker that could not read what the serve process had checked a moment
// before (a file changed in between): the worker is stopped.
inline constexpr int kExitBrokerConfig = 2;

// Returns the exit status for the serve process: the worker's own, or the broker's reason.
int run_serve_broker(const BrokerPlan& plan, sandbox::WorkerProcess& worker,
                     const util::Logger& logger);

}  // namespace notion_mcp::cli
