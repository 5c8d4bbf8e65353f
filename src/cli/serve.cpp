#include "cli/serve.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>

#include "cli/mcp_server.h"
#include "notion/api_endpoint.h"
#include "notion/connector.h"
#include "notion/curl_library.h"
#include "sandbox/broker.h"
#include "sandbox/broker_connector.h"
#include "sandbox/ipc.h"
#include "sandbox/jail.h"
#include "sandbox/landlock.h"
#include "sandbox/seccomp_policy.h"
#include "sandbox/spawn.h"
#include "util/log.h"
#include "util/secret.h"

namespace notion_mcp::cli {
namespace {

// Exit statuses besides the worker's own (which the broker passes on).
constexpr int kExitConfig = 2;           // bad settings: the message says which
constexpr int kExitSandboxRefused = 78;  // --sandbox=require and the host cannot provide it
constexpr int kExitSpawnFailed = 71;

std::optional<std::string_view> env_value(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string_view(value);
}

// Moves a secret out of the environment: the variable's bytes are overwritten in place (the
// initial environment is what /proc/PID/environ shows) and the variable is removed, so neither
// the worker nor a later child inherits it.
util::Secret take_secret_from_env(const char* name) {
  char* value = std::getenv(name);
  if (value == nullptr) return {};
  util::Secret secret(value);
  sodium_memzero(value, std::strlen(value));
  ::unsetenv(name);
  return secret;
}

notion::TokenSource static_tokens(std::shared_ptr<util::Secret> token) {
  return [token]() -> util::Result<util::Secret> {
    if (token->empty()) {
      return util::make_error("unauthorized", "No Notion credentials are configured.",
                              "Set NOTION_TOKEN to an internal integration token in the MCP "
                              "client's server entry, or run `notion-mcp login`.");
    }
    return *token;
  };
}

// The worker asks the broker once and keeps the access token; it never sees other secrets.
notion::TokenSource brokered_tokens(int channel) {
  auto cached = std::make_shared<util::Secret>();
  return [channel, cached]() -> util::Result<util::Secret> {
    if (!cached->empty()) return *cached;
    auto answer =
        sandbox::call_broker(channel, sandbox::ipc::Message{0, sandbox::ipc::TokenRequest{}}, 5000);
    if (!answer.ok()) {
      return util::make_error(
          "unauthorized", "The credential broker did not answer (" + answer.error().message + ").",
          "Restart the MCP server; if it persists, run `notion-mcp status`.");
    }
    if (auto* grant = std::get_if<sandbox::ipc::TokenGrant>(&answer->message.body)) {
      *cached = std::move(grant->token);
      return *cached;
    }
    std::string why = "No Notion credentials are configured.";
    if (auto* failure = std::get_if<sandbox::ipc::Failure>(&answer->message.body)) {
      why = failure->message;
    }
    return util::make_error("unauthorized", why,
                            "Set NOTION_TOKEN to an internal integration token in the MCP "
                            "client's server entry, or run `notion-mcp login`.");
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

int serve_in_process(const ServeOptions& options, util::Logger& logger,
                     const std::optional<notion::ApiEndpoint>& endpoint,
                     std::shared_ptr<util::Secret> token) {
  logger.warning(
      "SANDBOX OFF (--sandbox=off): the server runs unconfined with the credentials in the same "
      "process. Use this only for debugging.");
  ServerParts parts;
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
    parts.tokens = static_tokens(std::move(token));
  }
  return run_mcp_server(options, logger, parts);
}

}  // namespace

int run_serve(const ServeOptions& options) {
  util::Logger logger(util::parse_log_level(options.log_level).value_or(util::LogLevel::warning));
  // Everything that reads files or the environment happens here, before any jail: the time
  // zone, libsodium's random source, the API endpoint and its CA certificates, the token.
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
  auto token = std::make_shared<util::Secret>(take_secret_from_env("NOTION_TOKEN"));
  if (!options.demo) {
    auto loaded =
        notion::load_api_endpoint(env_value("NOTION_MCP_API_URL"), env_value("NOTION_MCP_CA_FILE"));
    if (!loaded) {
      logger.error(loaded.error().message + " " + loaded.error().hint);
      return kExitConfig;
    }
    endpoint = std::move(loaded).value();
    if (token->empty()) {
      logger.warning(
          "no Notion credentials: set NOTION_TOKEN (or use --demo). Tools will answer with an "
          "explanation until then.");
    }
  }

  if (*mode == sandbox::SandboxMode::off) return serve_in_process(options, logger, endpoint, token);

  // The worker's libcurl is loaded in the intermediate process, so the broker never maps it.
  std::shared_ptr<const notion::CurlLibrary> curl;
  std::optional<util::Error> curl_error;
  sandbox::SpawnOptions spawn;
  spawn.prepare_worker = [&] {
    if (options.demo) return;
    auto loaded = notion::CurlLibrary::load();
    if (loaded) {
      curl = std::move(loaded).value();
    } else {
      curl_error = loaded.error();
    }
  };

  sandbox::WorkerMain worker_main = [&](int channel,
                                        std::vector<sandbox::LayerStatus> namespaces) -> int {
    // The worker's copy of the broker's memory holds the token: wipe it; the worker asks for
    // the access token over the channel when it needs it.
    *token = util::Secret();
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
      parts.tokens = brokered_tokens(channel);
    }
    return run_mcp_server(options, logger, parts);
  };

  auto worker = sandbox::spawn_worker(spawn, worker_main);
  if (!worker) {
    logger.error(worker.error().message);
    return kExitSpawnFailed;
  }

  // From here on this process is the broker: it holds the token, opens connections to the one
  // endpoint, and confines itself before it reads a single message from the worker.
  detach_broker_stdio();
  uint16_t test_port = endpoint && endpoint->loopback ? static_cast<uint16_t>(endpoint->port) : 0;
  auto landlock = sandbox::apply_broker_landlock(sandbox::broker_landlock_defaults({}, test_port));
  if (landlock.state != sandbox::LayerState::active) logger.info("broker: " + landlock.detail);
  auto seccomp = sandbox::apply_seccomp(sandbox::broker_seccomp_policy());
  if (seccomp.state != sandbox::LayerState::active) logger.warning("broker: " + seccomp.detail);

  sandbox::BrokerOptions broker;
  broker.endpoint = sandbox::Endpoint{endpoint ? endpoint->host : "api.notion.com",
                                      static_cast<uint16_t>(endpoint ? endpoint->port : 443)};
  broker.logger = &logger;
  sandbox::BrokerHandlers handlers;
  handlers.token = [&]() -> util::Result<sandbox::ipc::TokenGrant> {
    if (token->empty()) {
      return util::make_error("unauthorized", "No Notion credentials are configured.");
    }
    return sandbox::ipc::TokenGrant{1, *token};
  };
  handlers.token_rejected = [](uint32_t) -> util::Result<sandbox::ipc::TokenGrant> {
    return util::make_error("unauthorized",
                            "Notion rejected the token and it cannot be refreshed.");
  };
  handlers.audit = [](std::string_view) {};
  handlers.ready = [&](uint32_t) { logger.debug("worker ready"); };
  sandbox::BrokerOutcome outcome = sandbox::run_broker(*worker, broker, handlers);
  if (!outcome.reason.empty()) logger.error(outcome.reason);
  return outcome.exit_code;
}

}  // namespace notion_mcp::cli
