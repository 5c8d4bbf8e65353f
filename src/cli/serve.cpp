#include "cli/serve.h"

#include <fcntl.h>
#include <malloc.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>

#include "audit/channel_sink.h"
#include "audit/log_writer.h"
#include "auth/broker_credentials.h"
#include "cli/broker_launch.h"
#include "cli/credential_settings.h"
#include "cli/mcp_server.h"
#include "cli/serve_broker.h"
#include "notion/api_endpoint.h"
#include "notion/connector.h"
#include "notion/curl_library.h"
#include "policy/config_file.h"
#include "sandbox/broker.h"
#include "sandbox/broker_connector.h"
#include "sandbox/ipc.h"
#include "sandbox/jail.h"
#include "sandbox/spawn.h"
#include "tools/upload_files.h"
#include "util/log.h"
#include "util/secret.h"

namespace notion_mcp::cli {
namespace {

// Exit statuses besides the worker's own (which the broker passes on).
constexpr int kExitConfig = 2;           // bad settings: the message says which
constexpr int kExitSandboxRefused = 78;  // --sandbox=require and the host cannot provide it
constexpr int kExitSpawnFailed = 71;

// Without a sandbox the TokenBroker answers directly.
void in_process_tokens(std::shared_ptr<auth::TokenBroker> broker, ServerParts& parts) {
  parts.tokens = [broker]() -> util::Result<util::Secret> {
    auto current = broker->token();
    if (!current) return current.error();
    return std::move(current->token);
  };
  parts.token_rejected = [broker](const util::Secret& rejected) -> util::Result<util::Secret> {
    auto current = broker->token();
    if (current && !(current->token == rejected)) return std::move(current->token);
    auto renewed = broker->rejected(current ? current->generation : 0);
    if (!renewed) return renewed.error();
    return std::move(renewed->token);
  };
}

// The worker's access token and its generation, as the broker last granted it.
struct BrokeredToken {
  util::Secret token;
  uint32_t generation = 0;
};

// Waits long enough for the broker's first refresh (several servers take turns under the lock).
constexpr int kTokenCallTimeoutMs = 60000;

util::Result<util::Secret> ask_broker(int channel, sandbox::ipc::Body request,
                                      BrokeredToken& cached) {
  auto answer = sandbox::call_broker(channel, sandbox::ipc::Message{0, std::move(request)},
                                     kTokenCallTimeoutMs);
  if (!answer.ok()) {
    return util::make_error(
        "unauthorized", "The credential broker did not answer (" + answer.error().message + ").",
        "Restart the MCP server; if it persists, run `notion-mcp status`.");
  }
  if (auto* grant = std::get_if<sandbox::ipc::TokenGrant>(&answer->message.body)) {
    cached.token = std::move(grant->token);
    cached.generation = grant->generation;
    return cached.token;
  }
  std::string why = "No Notion credentials are configured.";
  if (auto* failure = std::get_if<sandbox::ipc::Failure>(&answer->message.body)) {
    why = failure->message;
  }
  return util::make_error("unauthorized", why,
                          "Run `notion-mcp status` in a terminal to see which credential is used.");
}

// The worker asks the broker once and keeps the access token; on a 401 it reports the token's
// generation and gets a renewed one. It never sees a refresh token or client secret.
void brokered_tokens(int channel, ServerParts& parts) {
  auto cached = std::make_shared<BrokeredToken>();
  parts.tokens = [channel, cached]() -> util::Result<util::Secret> {
    if (!cached->token.empty()) return cached->token;
    return ask_broker(channel, sandbox::ipc::TokenRequest{}, *cached);
  };
  parts.token_rejected = [channel,
                          cached](const util::Secret& rejected) -> util::Result<util::Secret> {
    // Another call already renewed it: use that one.
    if (!cached->token.empty() && !(cached->token == rejected)) return cached->token;
    return ask_broker(channel, sandbox::ipc::TokenRejected{cached->generation}, *cached);
  };
}

// Points the broker's stdin and stdout at /dev/null: only the worker speaks MCP.
void detach_broker_stdio() {
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) return;
  ::dup2(null_fd, STDIN_FILENO);
  ::dup2(null_fd, STDOUT_FILENO);
  if (null_fd > STDOUT_FILENO) ::close(null_fd);
}

// upload_file in the worker: the broker checks the path against --upload-root and passes the
// file opened read-only; the worker, which can open nothing, reads the descriptor.
UploadReader brokered_uploads(int channel) {
  return [channel](const std::string& path) -> util::Result<std::string> {
    auto answer = sandbox::call_broker(
        channel, sandbox::ipc::Message{0, sandbox::ipc::OpenUpload{path}}, kTokenCallTimeoutMs);
    if (!answer.ok()) {
      return util::make_error("upload_failed",
                              "The broker did not answer (" + answer.error().message + ").",
                              "Restart the MCP server and try again.");
    }
    if (auto* failure = std::get_if<sandbox::ipc::Failure>(&answer->message.body)) {
      return util::make_error(failure->code == sandbox::ipc::FailureCode::refused
                                  ? "outside_upload_root"
                                  : "upload_failed",
                              failure->message);
    }
    if (!answer->descriptor) {
      return util::make_error("upload_failed", "The broker answered without the file.");
    }
    return tools::read_opened_upload(answer->descriptor.get());
  };
}

int serve_in_process(const ServeOptions& options, util::Logger& logger,
                     const std::optional<notion::ApiEndpoint>& endpoint,
                     auth::BrokerCredentialOptions credentials, ServerParts parts) {
  logger.warning(
      "SANDBOX OFF (--sandbox=off): the server runs unconfined with the credentials in the same "
      "process. Use this only for debugging.");
  notion::DirectConnector connector;
  if (!options.demo) {
    auto curl = notion::CurlLibrary::load();
    if (!curl) {
      logger.error(curl.error().message);
      return kExitConfig;
    }
    parts.endpoint = &*endpoint;
    parts.curl = std::move(curl).value();
    parts.connector = &connector;
    in_process_tokens(auth::make_token_broker(std::move(credentials), logger).broker, parts);
  }
  return run_mcp_server(options, logger, parts);
}

}  // namespace

int run_serve(const ServeOptions& options) {
  util::Logger logger(util::parse_log_level(options.log_level).value_or(util::LogLevel::warning));
  // Everything the worker needs from files or the environment happens here, before any jail:
  // the time zone, libsodium's random source, the API endpoint and its CA certificates.
  ::tzset();
  if (sodium_init() < 0) {
    logger.error("libsodium could not be initialised.");
    return kExitConfig;
  }
  auto mode = sandbox::parse_sandbox_mode(options.sandbox);
  if (!mode) {
    logger.error("--sandbox must be require, best-effort or off.");
    return kExitConfig;
  }

  std::optional<notion::ApiEndpoint> endpoint;
  if (!options.demo) {
    auto loaded = endpoint_from_env();
    if (!loaded) {
      logger.error(loaded.error().message + " " + loaded.error().hint);
      return kExitConfig;
    }
    endpoint = std::move(loaded).value();
  }

  // The policy: the settings file (read here, before any jail) with the flags over it.
  auto settings = policy::load_settings(options.policy);
  if (!settings) {
    logger.error(settings.error().message + " " + settings.error().hint);
    return kExitConfig;
  }
  // Upload roots become real absolute paths now: the broker's Landlock rules name them.
  if (auto roots = tools::canonical_upload_roots(settings->upload_roots); roots.ok()) {
    settings->upload_roots = std::move(roots).value();
  } else {
    logger.error(roots.error().message + " " + roots.error().hint);
    return kExitConfig;
  }
  // The audit log is opened here to report a bad path before anything starts; the broker
  // opens it again for itself.
  auto audit_path = audit::resolve_log_path(settings->audit_log, options.demo);
  std::shared_ptr<audit::LogWriter> audit_log;
  if (audit_path && !audit_path->empty()) {
    auto opened = audit::LogWriter::open(*audit_path);
    if (opened) audit_log = std::move(opened).value();
    if (!opened) audit_path = opened.error();
  }
  if (!audit_path) {
    logger.error(audit_path.error().message + " " + audit_path.error().hint);
    return kExitConfig;
  }

  if (*mode == sandbox::SandboxMode::off) {
    ServerParts parts;
    parts.settings = *settings;
    if (audit_log) {
      parts.audit = [audit_log, &logger](std::string line) {
        if (auto written = audit_log->append(line); !written) {
          logger.warning(written.error().message);
        }
      };
    }
    if (!settings->upload_roots.empty()) {
      parts.read_upload = [roots = settings->upload_roots](const std::string& path) {
        return tools::read_upload_file(path, roots);
      };
    }
    auth::BrokerCredentialOptions credentials;
    credentials.settings = settings_from(options.credentials);
    credentials.lock_dir = lock_dir_from_env();
    if (endpoint) credentials.endpoint = &*endpoint;
    return serve_in_process(options, logger, endpoint, std::move(credentials), std::move(parts));
  }
  audit_log.reset();

  BrokerPlan plan;
  plan.demo = options.demo;
  plan.log_level = options.log_level;
  plan.audit_log = *audit_path;
  plan.upload_roots = settings->upload_roots;
  plan.credentials = options.credentials;
  // Found before the fork, so that what is exec'd is what was found.
  auto broker_program = open_broker_executable();

  // The worker's libcurl is loaded now: once in its jail the worker cannot open a file. The
  // broker drops it with the exec (it stays mapped only in the in-process fallback below).
  std::shared_ptr<const notion::CurlLibrary> curl;
  std::optional<util::Error> curl_error;
  if (!options.demo) {
    auto loaded = notion::CurlLibrary::load();
    if (loaded) {
      curl = std::move(loaded).value();
    } else {
      curl_error = loaded.error();
    }
  }
  sandbox::SpawnOptions spawn;

  sandbox::WorkerMain worker_main = [&](int channel,
                                        std::vector<sandbox::LayerStatus> namespaces) -> int {
    // The credential variables stay in the broker's environment (it reads them after exec);
    // the worker's copy is overwritten before anything else happens in it.
    scrub_secret_environment();
    if (curl_error) {
      logger.error(curl_error->message);
      return kExitConfig;
    }
    sandbox::JailOptions jail;
    jail.channel = channel;
    sandbox::JailReport report = sandbox::enter_worker_jail(jail, std::move(namespaces));
    sandbox::log_jail_report(report, *mode, logger);
    if (auto allowed = sandbox::check_sandbox_mode(report, *mode); !allowed.ok()) {
      logger.error(allowed.error().message + " " + allowed.error().hint);
      return kExitSandboxRefused;
    }
    (void)sandbox::ipc::send_message(
        channel, sandbox::ipc::Message{0, sandbox::ipc::Ready{sandbox::active_layer_bits(report)}},
        -1, 1000);

    ServerParts parts;
    std::optional<sandbox::BrokerConnector> connector;
    if (!options.demo) {
      connector.emplace(channel, endpoint->host, static_cast<uint16_t>(endpoint->port));
      parts.endpoint = &*endpoint;
      parts.curl = curl;
      parts.connector = &*connector;
      brokered_tokens(channel, parts);
    }
    parts.settings = *settings;
    if (!plan.audit_log.empty()) parts.audit = audit::channel_sink(channel, logger);
    if (!settings->upload_roots.empty()) parts.read_upload = brokered_uploads(channel);
    return run_mcp_server(options, logger, parts);
  };

  // Heap pages the start-up has freed (the command line, the settings file) go back to the
  // system instead of being copied into the worker's memory with the fork.
  ::malloc_trim(0);
  sandbox::block_stop_signals();
  auto worker = sandbox::spawn_worker(spawn, worker_main);
  if (!worker) {
    logger.error(worker.error().message);
    return kExitSpawnFailed;
  }

  // From here on this process is the broker: only the worker speaks MCP.
  detach_broker_stdio();
  if (broker_program) {
    util::Error failed = exec_broker(*broker_program, plan, *worker);
    logger.warning(failed.message + " The broker runs inside this process instead.");
  } else {
    logger.warning(broker_program.error().message + " " + broker_program.error().hint +
                   " Until then the broker runs inside this process, which uses more memory.");
  }
  return run_serve_broker(plan, *worker, logger);
}

}  // namespace notion_mcp::cli
