// `notion-mcp sandbox-check`: builds the worker's jail in a child exactly as `serve` does,
// prints which layers are active (or why not), then makes live escape attempts from inside
// fresh jailed workers and reports each as denied or ALLOWED. The escape suite (tests/sandbox)
// runs the same attempts with single layers switched off.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sandbox/jail.h"
#include "sandbox/spawn.h"
#include "sandbox/unique_fd.h"

namespace notion_mcp::sandbox {

// What the attempts aim at; every target is something the jailed worker must not reach.
struct EscapeTargets {
  uint16_t tcp_port = 0;                  // a listener on 127.0.0.1 (not the Notion port)
  std::string remote_host = "192.0.2.1";  // a non-Notion address (TEST-NET-1)
  uint16_t remote_port = 443;
  uint16_t udp_port = 0;                  // a UDP socket on 127.0.0.1
  std::string dns_server = "127.0.0.53";  // where a DNS query would go
  std::string unix_socket_path;           // a pathname socket listening outside the jail
  std::string abstract_name;              // an abstract socket (without the leading NUL)
  // The D-Bus session bus: $DBUS_SESSION_BUS_ADDRESS when it names a Unix socket, else a
  // stand-in listener; `dbus_source` says which, for the report.
  std::string dbus_socket;
  bool dbus_abstract = false;
  std::string dbus_source;
  std::string passwd_path = "/etc/passwd";
  std::string ssh_dir;                         // ~/.ssh, or a decoy when there is none
  std::string keyring_dir;                     // ~/.local/share/keyrings, or a decoy
  std::string broker_environ;                  // /proc/<broker>/environ
  std::string writable_dir;                    // a directory the broker's user may write
  pid_t broker_pid = 0;                        // in the broker's PID namespace
  int namespace_fd = -1;                       // the broker's network namespace, for setns
  std::string notion_host = "api.notion.com";  // the one endpoint the broker allows
  uint16_t notion_port = 443;
};

struct EscapeAttempt {
  std::string_view name;
  std::string_view description;
  // Runs inside the jailed worker; returns an attempt status (see sandbox_check.cpp).
  int (*run)(const EscapeTargets& targets, int channel);
};

// Every attempt, in the order the check prints them.
const std::vector<EscapeAttempt>& escape_attempts();

struct AttemptOutcome {
  std::string name;
  enum class Verdict { denied, allowed, not_tested, error } verdict = Verdict::error;
  std::string how;  // "EACCES", "killed by seccomp (SIGSYS)", "refused by the broker", ...
  // What exactly stopped it, so a test can tell one layer's denial from another's: the errno
  // the attempt got, the signal that ended the worker, or the broker's refusal.
  int error = 0;
  int signal = 0;
  bool refused_by_broker = false;
};

// The D-Bus session bus named by a $DBUS_SESSION_BUS_ADDRESS value: the first unix:path= or
// unix:abstract= entry, unescaped. Empty when the value names no such socket.
struct UnixSocketAddress {
  std::string name;
  bool abstract = false;
};
UnixSocketAddress parse_dbus_address(std::string_view address);

// The jail a check or an escape test builds (JailOptions::channel is filled in).
struct WorkerJail {
  SpawnOptions spawn;
  JailOptions jail;
};

// Starts a jailed worker that makes `attempt` against `targets`, serving it as the broker
// would (allowed endpoint: targets.notion_host:notion_port), and classifies the result.
AttemptOutcome run_escape_attempt(const EscapeAttempt& attempt, const EscapeTargets& targets,
                                  const WorkerJail& jail);

// Listeners, sockets and directories for the attempts, created outside the jail; removed on
// destruction. Where a real target is missing (no ~/.ssh, no keyring directory, no session
// bus), a decoy in the check's temporary directory stands in, so every attempt is really made;
// notes() says which.
class CheckTargets {
 public:
  CheckTargets();
  ~CheckTargets();
  CheckTargets(const CheckTargets&) = delete;
  CheckTargets& operator=(const CheckTargets&) = delete;
  const EscapeTargets& targets() const { return targets_; }
  EscapeTargets& targets() { return targets_; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  // A directory holding one secret-looking file, below the temporary directory.
  std::string make_decoy(const std::string& relative_dir, const std::string& file);

  EscapeTargets targets_;
  std::string temp_dir_;
  std::vector<std::string> created_;  // files and directories to remove, deepest last
  std::vector<UniqueFd> fds_;
  std::vector<std::string> notes_;
};

// Builds the jail in a worker and returns its report, plus what /proc says about the worker
// from outside ("Seccomp: 2", "NoNewPrivs: 1", descriptors).
struct JailProbe {
  JailReport report;
  std::vector<std::string> outside;  // lines like "Seccomp: 2 (filter)"
  std::string error;                 // non-empty when the worker could not be started
};
JailProbe probe_jail(const WorkerJail& jail);

// The whole check, printed to `out`. Returns 0 only when the layers --sandbox=require needs
// are active and every attempt was made and denied.
int run_sandbox_check(std::ostream& out, const WorkerJail& jail = {});

}  // namespace notion_mcp::sandbox
