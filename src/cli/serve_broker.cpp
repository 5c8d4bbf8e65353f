#include "cli/serve_broker.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <thread>

#include "audit/log_writer.h"
#include "auth/broker_credentials.h"
#include "notion/api_endpoint.h"
#include "sandbox/broker.h"
#include "sandbox/ipc.h"
#include "sandbox/landlock.h"
#include "sandbox/process_limits.h"
#include "sandbox/seccomp_policy.h"
#include "tools/upload_files.h"

namespace notion_mcp::cli {
namespace {

// An error from the TokenBroker as one sentence for the worker (the IPC failure carries a
// message only, so the hint travels in it).
std::string one_sentence(const util::Error& error) {
  std::string text = error.hint.empty() ? error.message : error.message + " " + error.hint;
  if (text.size() > 480) text = text.substr(0, 477) + "...";
  return text;
}

// upload_file in the broker: the error code "refused" marks a path outside the roots.
util::Result<sandbox::UniqueFd> open_upload_in_broker(const std::string& path,
                                                      const std::vector<std::string>& roots) {
  auto fd = tools::open_upload_file(path, roots);
  if (fd.ok()) return sandbox::UniqueFd(*fd);
  util::Error error = fd.error();
  if (error.code == "outside_upload_root" || error.code == "uploads_disabled") {
    error.code = "refused";
  }
  return error;
}

// While the broker starts (reading a keyring or waiting for another server's refresh can take
// a minute) run_broker's signalfd does not exist yet. The stop signals stay blocked in every
// thread (threads the keyring library starts inherit that), so none can end the broker the
// default way; a thread waits for them instead and ends the worker the way run_broker would,
// then the broker with the worker's status.
class StartupSignalWatch {
 public:
  explicit StartupSignalWatch(pid_t worker) {
    sigset_t quit;
    sigemptyset(&quit);
    sigaddset(&quit, kQuitWatching);
    ::pthread_sigmask(SIG_BLOCK, &quit, nullptr);  // inherited by the thread, for its sigwait
    thread_ = std::thread([worker] { watch(worker); });
  }
  StartupSignalWatch(const StartupSignalWatch&) = delete;
  StartupSignalWatch& operator=(const StartupSignalWatch&) = delete;
  ~StartupSignalWatch() {
    ::pthread_kill(thread_.native_handle(), kQuitWatching);
    thread_.join();
  }

 private:
  static constexpr int kQuitWatching = SIGUSR1;

  static void watch(pid_t worker) {
    sigset_t wanted = sandbox::stop_signal_set();
    sigaddset(&wanted, kQuitWatching);
    int sig = 0;
    while (::sigwait(&wanted, &sig) != 0) {
    }
    if (sig == kQuitWatching) return;
    ::kill(worker, sig);
    ::alarm(3);  // a worker that does not stop: SIGALRM ends the broker, the worker follows it
    int status = 0;
    while (::waitpid(worker, &status, 0) < 0 && errno == EINTR) {
    }
    ::_exit(sandbox::exit_code_from_wait_status(status));
  }

  std::thread thread_;
};

// The worker is running but the broker cannot serve it: stop it and say why.
int abandon_worker(sandbox::WorkerProcess& worker, const util::Logger& logger,
                   const util::Error& error) {
  logger.error(error.message + (error.hint.empty() ? "" : " " + error.hint));
  ::kill(worker.pid, SIGKILL);
  while (::waitpid(worker.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return kExitBrokerConfig;
}

}  // namespace

int run_serve_broker(const BrokerPlan& plan, sandbox::WorkerProcess& worker,
                     const util::Logger& logger) {
  // Before the credentials are read: no core file can hold them, and other processes of this
  // user can neither ptrace the broker nor read its memory or environment through /proc.
  if (auto dumpable = sandbox::set_not_dumpable(); dumpable.state != sandbox::LayerState::active) {
    logger.warning("broker: could not make itself undumpable: " + dumpable.detail);
  }
  std::optional<notion::ApiEndpoint> endpoint;
  if (!plan.demo) {
    auto loaded = endpoint_from_env();
    if (!loaded) return abandon_worker(worker, logger, loaded.error());
    endpoint = std::move(loaded).value();
  }
  std::unique_ptr<audit::LogWriter> audit_log;
  if (!plan.audit_log.empty()) {
    auto opened = audit::LogWriter::open(plan.audit_log);
    if (!opened) return abandon_worker(worker, logger, opened.error());
    audit_log = std::move(opened).value();
  }

  std::vector<std::string> broker_dirs;
  if (audit_log) broker_dirs.push_back(audit_log->directory());  // rotation renames there
  // Credentials are read (keyring, file) and an OAuth login refreshed before confinement; later
  // refreshes still need the lock and the credentials file's directory. NOTION_TOKEN and the
  // file key leave the environment here.
  std::unique_ptr<auth::TokenBroker> tokens;
  if (!plan.demo) {
    // This may take a minute: a stop signal (blocked since before the fork) is taken meanwhile.
    StartupSignalWatch stop_while_reading(worker.pid);
    auth::BrokerCredentialOptions credentials;
    credentials.settings = settings_from(plan.credentials);
    credentials.lock_dir = lock_dir_from_env();
    credentials.endpoint = &*endpoint;
    auto resolved = auth::make_token_broker(std::move(credentials), logger);
    tokens = std::move(resolved.broker);
    broker_dirs.insert(broker_dirs.end(), resolved.writable_dirs.begin(),
                       resolved.writable_dirs.end());
  }
  // The secrets are in the TokenBroker now (or were never needed): none stays in the
  // environment, NOTION_MCP_CLIENT_SECRET included.
  scrub_secret_environment();
  // From here on the stop signals wait for run_broker's signalfd.
  uint16_t test_port = endpoint && endpoint->loopback ? static_cast<uint16_t>(endpoint->port) : 0;
  auto landlock_options = sandbox::broker_landlock_defaults(broker_dirs, test_port);
  // The broker opens uploads for the worker: it may read (never write) the upload roots.
  for (const auto& root : plan.upload_roots) landlock_options.paths.push_back({root, false});
  auto landlock = sandbox::apply_broker_landlock(landlock_options);
  if (landlock.state != sandbox::LayerState::active) {
    logger.warning("broker: Landlock unavailable, its files are not confined: " + landlock.detail);
  }
  auto seccomp = sandbox::apply_seccomp(sandbox::broker_seccomp_policy());
  if (seccomp.state != sandbox::LayerState::active) {
    logger.warning("broker: seccomp unavailable: " + seccomp.detail);
  }

  sandbox::BrokerOptions broker;
  broker.endpoint = sandbox::Endpoint{endpoint ? endpoint->host : "api.notion.com",
                                      static_cast<uint16_t>(endpoint ? endpoint->port : 443)};
  broker.logger = &logger;
  sandbox::BrokerHandlers handlers;
  handlers.token = [&]() -> util::Result<sandbox::ipc::TokenGrant> {
    if (!tokens) return util::make_error("unauthorized", "The demo needs no Notion token.");
    auto current = tokens->token();
    if (!current) return util::make_error("unauthorized", one_sentence(current.error()));
    return sandbox::ipc::TokenGrant{current->generation, std::move(current->token)};
  };
  handlers.token_rejected = [&](uint32_t generation) -> util::Result<sandbox::ipc::TokenGrant> {
    if (!tokens) return util::make_error("unauthorized", "The demo needs no Notion token.");
    auto renewed = tokens->rejected(generation);
    if (std::string warning = tokens->take_warning(); !warning.empty()) logger.warning(warning);
    if (!renewed) {
      logger.warning("Notion refused the access token: " + one_sentence(renewed.error()));
      return util::make_error("unauthorized", one_sentence(renewed.error()));
    }
    logger.info("broker: renewed the access token after Notion refused it");
    return sandbox::ipc::TokenGrant{renewed->generation, std::move(renewed->token)};
  };
  if (!plan.upload_roots.empty()) {
    handlers.open_upload = [&](const std::string& path) {
      return open_upload_in_broker(path, plan.upload_roots);
    };
  }
  handlers.audit = [&](std::string_view line) {
    if (!audit_log) return;
    if (auto written = audit_log->append(line); !written) logger.warning(written.error().message);
  };
  handlers.ready = [&](uint32_t) { logger.debug("worker ready"); };
  sandbox::BrokerOutcome outcome = sandbox::run_broker(worker, broker, handlers);
  if (!outcome.reason.empty()) logger.error(outcome.reason);
  return outcome.exit_code;
}

}  // namespace notion_mcp::cli
