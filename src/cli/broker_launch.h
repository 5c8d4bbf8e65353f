// How `notion-mcp serve` hands the broker's half over to the notion-mcp-broker executable.
//
// Why a second executable: after the fork, the broker holds only credentials, the audit log
// and the CONNECT/OPEN_UPLOAD answers. The serve binary maps the MCP server, the tools, the
// demo workspace and CLI11; exec'ing a program that contains none of them more than halves
// the broker's memory. The serve
// process forks the worker first, then execs the broker in its own place: same pid (the MCP
// client's child), still the worker's parent, with the channel and the worker's
// pidfd inherited by number.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "cli/serve_broker.h"
#include "sandbox/spawn.h"
#include "sandbox/unique_fd.h"
#include "util/result.h"

namespace notion_mcp::cli {

inline constexpr std::string_view kBrokerExecutableName = "notion-mcp-broker";

// The broker executable beside this one (a build tree), else at its installed place relative
// to it (../libexec/notion-mcp/ by default). Only a program that nobody but root and this user
// can replace is used: it receives the credentials. Opened O_PATH, so that what is exec'd later
// is the file that was checked. The error names where it looked, or why a program was refused.
util::Result<sandbox::UniqueFd> open_broker_executable();
// The same for a binary in `binary_dir`.
util::Result<sandbox::UniqueFd> open_broker_executable_beside(const std::string& binary_dir);

// The broker executable's command line for `plan` and `worker`.
std::vector<std::string> broker_arguments(const BrokerPlan& plan,
                                          const sandbox::WorkerProcess& worker);

// Replaces this process with the broker executable (the environment is passed on: the broker
// reads the credential variables from it). Returns only when exec failed.
util::Error exec_broker(const sandbox::UniqueFd& executable, const BrokerPlan& plan,
                        const sandbox::WorkerProcess& worker);

// The broker executable's side: its command line back into a plan and the worker it serves.
// Checks that both come from the same notion-mcp version, that the channel is a SOCK_SEQPACKET
// socket, the worker this process's child and the pidfd that worker's, so that running the
// program by hand gives a clear error instead of a hang.
struct BrokerInvocation {
  BrokerPlan plan;
  sandbox::WorkerProcess worker;
};
util::Result<BrokerInvocation> parse_broker_arguments(const std::vector<std::string>& arguments);

}  // namespace notion_mcp::cli
