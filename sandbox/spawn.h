// Starts the worker: the broker starts a short-lived intermediate that enters the namespaces and
// creates the worker (pid 1 of the new PID namespace, with a memory of its own) as the broker's
// own child, then exits. The intermediate is vfork-like, sharing the broker's memory while the
// broker waits, unless it must change ids (see intermediate_shares_memory).
// The broker gets the worker's exit status directly; the worker dies with the broker
// (parent-death signal, plus end of file on the channel).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "sandbox/namespaces.h"
#include "sandbox/status.h"
#include "sandbox/unique_fd.h"
#include "util/result.h"

namespace notion_mcp::sandbox {

struct SpawnOptions {
  NamespaceOptions namespaces;
};

struct WorkerProcess {
  pid_t pid = -1;    // in the broker's PID namespace
  UniqueFd pidfd;    // readable when the worker exits; invalid on kernels before 5.3
  UniqueFd channel;  // the broker's end of the SOCK_SEQPACKET channel
};

// Runs in the worker with its end of the channel and the namespace statuses; returns the
// worker's exit status.
using WorkerMain = std::function<int(int channel, std::vector<LayerStatus> namespaces)>;

// Exit status of a worker whose broker was already gone when it started.
inline constexpr int kExitBrokerGone = 125;

// Whether the intermediate may share the broker's memory: not when it drops root, because a
// process's ids and dumpable flag decide who may attach to its memory.
bool intermediate_shares_memory(const NamespaceOptions& namespaces);

// Starts the worker (see the file comment). Call it from the broker before it starts threads of
// its own: the intermediate and the worker assume a single-threaded process. Returns only in
// the broker.
util::Result<WorkerProcess> spawn_worker(const SpawnOptions& options, const WorkerMain& main);

// A shell-style exit code for a wait status: the exit code, or 128 + the signal number.
int exit_code_from_wait_status(int status);
// "exited with status 3", "killed by SIGSYS (a system call outside the seccomp allow-list)".
std::string describe_wait_status(int status);

}  // namespace notion_mcp::sandbox
