#include "sandbox/broker.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sandbox/jail.h"
#include "unit/sandbox/child.h"
#include "unit/sandbox/curl_fetch.h"
#include "unit/sandbox/tls_server.h"

namespace notion_mcp::sandbox {
namespace {

using testing::exited_with;
using testing::listen_on_loopback;
using testing::run_in_child;

uint16_t peer_port(int fd) {
  sockaddr_in peer{};
  socklen_t length = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return 0;
  return ntohs(peer.sin_port);
}

TEST(SandboxBroker, AllowsExactlyTheConfiguredEndpoint) {
  Endpoint endpoint{"api.notion.com", 443};
  EXPECT_TRUE(endpoint_allowed({"api.notion.com", 443}, endpoint));
  EXPECT_TRUE(endpoint_allowed({"API.Notion.COM", 443}, endpoint));
  EXPECT_FALSE(endpoint_allowed({"api.notion.com", 80}, endpoint));
  EXPECT_FALSE(endpoint_allowed({"api.notion.com.evil.example", 443}, endpoint));
  EXPECT_FALSE(endpoint_allowed({"api.notion.co", 443}, endpoint));
  EXPECT_FALSE(endpoint_allowed({"127.0.0.1", 443}, endpoint));
}

TEST(SandboxBroker, ConnectRequestsGetASocketOnlyForTheEndpoint) {
  auto listener = listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  BrokerOptions options;
  options.endpoint = {"127.0.0.1", listener.port};
  BrokerHandlers none;
  Answer refused = handle_request({7, ipc::Connect{"example.com", listener.port}}, options, none);
  ASSERT_TRUE(refused.reply.has_value());
  EXPECT_EQ(refused.reply->id, 7u);
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(refused.reply->body));
  EXPECT_EQ(std::get<ipc::Failure>(refused.reply->body).code, ipc::FailureCode::refused);
  EXPECT_FALSE(refused.descriptor.valid());
  Answer other_port = handle_request(
      {8, ipc::Connect{"127.0.0.1", static_cast<uint16_t>(listener.port + 1)}}, options, none);
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(other_port.reply->body));
  Answer connected = handle_request({9, ipc::Connect{"127.0.0.1", listener.port}}, options, none);
  ASSERT_TRUE(std::holds_alternative<ipc::Connected>(connected.reply->body));
  ASSERT_TRUE(connected.descriptor.valid());
  EXPECT_EQ(peer_port(connected.descriptor.get()), listener.port);
  int accepted = ::accept(listener.fd, nullptr, nullptr);
  EXPECT_GE(accepted, 0);
  ::close(accepted);
  ::close(listener.fd);
}

TEST(SandboxBroker, UnreachableEndpointIsAFailureWithTheReason) {
  auto listener = listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  uint16_t port = listener.port;
  ::close(listener.fd);  // nothing listens there any more
  BrokerOptions options;
  options.endpoint = {"127.0.0.1", port};
  Answer answer = handle_request({1, ipc::Connect{"127.0.0.1", port}}, options, {});
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(answer.reply->body));
  const auto& failure = std::get<ipc::Failure>(answer.reply->body);
  EXPECT_EQ(failure.code, ipc::FailureCode::unreachable);
  EXPECT_NE(failure.message.find("ECONNREFUSED"), std::string::npos) << failure.message;
}

TEST(SandboxBroker, TokenAuditAndReadyGoToTheHandlers) {
  BrokerOptions options;
  EXPECT_EQ(
      std::get<ipc::Failure>(handle_request({1, ipc::TokenRequest{}}, options, {}).reply->body)
          .code,
      ipc::FailureCode::unauthorized);
  std::vector<std::string> audit_lines;
  uint32_t ready_bits = 0;
  uint32_t rejected_generation = 0;
  BrokerHandlers handlers;
  handlers.token = [] { return ipc::TokenGrant{3, util::Secret("ntn_first")}; };
  handlers.token_rejected = [&](uint32_t generation) -> util::Result<ipc::TokenGrant> {
    rejected_generation = generation;
    return util::make_error("refresh_failed", "The refresh token was revoked;\nrun login.");
  };
  handlers.audit = [&](std::string_view line) { audit_lines.emplace_back(line); };
  handlers.ready = [&](uint32_t bits) { ready_bits = bits; };
  Answer token = handle_request({2, ipc::TokenRequest{}}, options, handlers);
  ASSERT_TRUE(std::holds_alternative<ipc::TokenGrant>(token.reply->body));
  EXPECT_EQ(std::get<ipc::TokenGrant>(token.reply->body).generation, 3u);
  Answer rejected = handle_request({3, ipc::TokenRejected{3}}, options, handlers);
  EXPECT_EQ(rejected_generation, 3u);
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(rejected.reply->body));
  // The handler's sentence is passed on, made safe to encode (the newline is replaced).
  ipc::Encoded encoded;
  EXPECT_TRUE(ipc::encode_into(*rejected.reply, encoded).ok());
  EXPECT_FALSE(handle_request({4, ipc::Audit{"{\"tool\":\"search\"}"}}, options, handlers).reply);
  EXPECT_FALSE(handle_request({5, ipc::Ready{0x21}}, options, handlers).reply);
  EXPECT_EQ(audit_lines, std::vector<std::string>{"{\"tool\":\"search\"}"});
  EXPECT_EQ(ready_bits, 0x21u);
}

TEST(SandboxBroker, OpenUploadPassesTheHandlersDescriptorOrItsRefusal) {
  BrokerOptions options;
  // No handler (no --upload-root): refused, with no descriptor.
  Answer off = handle_request({1, ipc::OpenUpload{"a.png"}}, options, {});
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(off.reply->body));
  EXPECT_EQ(std::get<ipc::Failure>(off.reply->body).code, ipc::FailureCode::refused);
  EXPECT_FALSE(off.descriptor.valid());

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  UniqueFd write_end(pipe_fds[1]);
  std::vector<std::string> asked;
  BrokerHandlers handlers;
  handlers.open_upload = [&](const std::string& path) -> util::Result<UniqueFd> {
    asked.push_back(path);
    if (path == "ok.png") return UniqueFd(pipe_fds[0]);
    if (path == "../x") return util::make_error("refused", "Outside the roots.", "Move it.");
    return util::make_error("file_not_found", "Missing\nfile.");
  };
  Answer opened = handle_request({2, ipc::OpenUpload{"ok.png"}}, options, handlers);
  ASSERT_TRUE(std::holds_alternative<ipc::UploadOpened>(opened.reply->body));
  EXPECT_EQ(opened.reply->id, 2u);
  ASSERT_TRUE(opened.descriptor.valid());
  ASSERT_EQ(::write(write_end.get(), "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(::read(opened.descriptor.get(), &byte, 1), 1);
  EXPECT_EQ(byte, 'x');

  Answer outside = handle_request({3, ipc::OpenUpload{"../x"}}, options, handlers);
  ASSERT_TRUE(std::holds_alternative<ipc::Failure>(outside.reply->body));
  const auto& refusal = std::get<ipc::Failure>(outside.reply->body);
  EXPECT_EQ(refusal.code, ipc::FailureCode::refused);
  EXPECT_EQ(refusal.message, "Outside the roots. Move it.");
  EXPECT_FALSE(outside.descriptor.valid());
  Answer missing = handle_request({4, ipc::OpenUpload{"gone.png"}}, options, handlers);
  const auto& failure = std::get<ipc::Failure>(missing.reply->body);
  EXPECT_EQ(failure.code, ipc::FailureCode::internal);
  ipc::Encoded encoded;  // the newline from the handler does not break the answer
  EXPECT_TRUE(ipc::encode_into(*missing.reply, encoded).ok());
  EXPECT_EQ(asked, (std::vector<std::string>{"ok.png", "../x", "gone.png"}));
}

// Everything below runs the broker in a child: spawn_worker gives its caller children to reap
// and run_broker blocks termination signals while it runs.

TEST(SandboxBroker, ServesARealWorkerAndEndsWithItsStatus) {
  auto listener = listen_on_loopback();
  ASSERT_GE(listener.fd, 0);
  int status = run_in_child([&] {
    auto worker = spawn_worker(SpawnOptions{}, [&](int channel, std::vector<LayerStatus> ns) {
      JailOptions options;
      options.channel = channel;
      JailReport report = enter_worker_jail(options, std::move(ns));
      CHILD_CHECK(report.is_active(layer::kSeccomp));
      CHILD_CHECK(ipc::send_message(channel, {0, ipc::Ready{active_layer_bits(report)}}).ok());
      CHILD_CHECK(ipc::send_message(channel, {0, ipc::Audit{"{\"tool\":\"get_page\"}"}}).ok());
      auto token = call_broker(channel, {1, ipc::TokenRequest{}}, 5000);
      CHILD_CHECK(token.ok());
      CHILD_CHECK(std::get<ipc::TokenGrant>(token->message.body).token.reveal() == "ntn_one");
      auto fresh = call_broker(channel, {2, ipc::TokenRejected{1}}, 5000);
      CHILD_CHECK(fresh.ok());
      CHILD_CHECK(std::get<ipc::TokenGrant>(fresh->message.body).generation == 2);
      auto refused = call_broker(channel, {3, ipc::Connect{"example.com", 443}}, 5000);
      CHILD_CHECK(refused.ok());
      CHILD_CHECK(std::holds_alternative<ipc::Failure>(refused->message.body));
      auto connected = call_broker(channel, {4, ipc::Connect{"127.0.0.1", listener.port}}, 5000);
      CHILD_CHECK(connected.ok());
      CHILD_CHECK(connected->descriptor.valid());
      CHILD_CHECK(::write(connected->descriptor.get(), "hello", 5) == 5);
      return 42;
    });
    CHILD_CHECK(worker.ok());
    std::vector<std::string> audit;
    uint32_t ready = 0;
    BrokerHandlers handlers;
    handlers.token = [] { return ipc::TokenGrant{1, util::Secret("ntn_one")}; };
    handlers.token_rejected = [](uint32_t) { return ipc::TokenGrant{2, util::Secret("ntn_two")}; };
    handlers.audit = [&](std::string_view line) { audit.emplace_back(line); };
    handlers.ready = [&](uint32_t bits) { ready = bits; };
    BrokerOptions options;
    options.endpoint = {"127.0.0.1", listener.port};
    BrokerOutcome outcome = run_broker(*worker, options, handlers);
    CHILD_CHECK(outcome.exit_code == 42);
    CHILD_CHECK(outcome.reason.empty());
    CHILD_CHECK(audit.size() == 1 && audit[0] == "{\"tool\":\"get_page\"}");
    CHILD_CHECK(layer_names_from_bits(ready).size() >= 8);
    int accepted = ::accept(listener.fd, nullptr, nullptr);
    char buffer[5];
    CHILD_CHECK(accepted >= 0 && ::read(accepted, buffer, 5) == 5);
    CHILD_CHECK(std::string(buffer, 5) == "hello");
    return 0;
  });
  ::close(listener.fd);
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxBroker, AMalformedMessageEndsTheWorker) {
  int status = run_in_child([] {
    auto worker = spawn_worker(SpawnOptions{}, [](int channel, std::vector<LayerStatus>) -> int {
      (void)::send(channel, "\x01\x00garbage", 9, 0);
      for (;;) ::pause();
    });
    CHILD_CHECK(worker.ok());
    BrokerOutcome outcome = run_broker(*worker, BrokerOptions{}, {});
    CHILD_CHECK(outcome.exit_code == kExitProtocolViolation);
    CHILD_CHECK(outcome.reason.find("malformed") != std::string::npos);
    CHILD_CHECK(testing::killed_by(outcome.wait_status, SIGKILL));
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxBroker, AWorkerKilledBySeccompIsReportedAsSuch) {
  int status = run_in_child([] {
    auto worker = spawn_worker(SpawnOptions{}, [](int channel, std::vector<LayerStatus> ns) {
      JailOptions options;
      options.channel = channel;
      (void)enter_worker_jail(options, std::move(ns));
      (void)::socket(AF_INET, SOCK_STREAM, 0);
      return 0;
    });
    CHILD_CHECK(worker.ok());
    BrokerOutcome outcome = run_broker(*worker, BrokerOptions{}, {});
    CHILD_CHECK(outcome.exit_code == 128 + SIGSYS);
    CHILD_CHECK(outcome.reason.find("SIGSYS") != std::string::npos);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

TEST(SandboxBroker, TerminationSignalsAreForwardedThenEnforced) {
  for (bool worker_obeys : {true, false}) {
    int status = run_in_child([&] {
      auto worker = spawn_worker(SpawnOptions{}, [&](int channel, std::vector<LayerStatus>) -> int {
        // As pid 1 of its namespace the worker gets SIGTERM only through a handler (or a
        // signalfd, as the server uses).
        ::signal(SIGTERM, worker_obeys ? +[](int) { ::_exit(15); } : SIG_IGN);
        CHILD_CHECK(ipc::send_message(channel, {0, ipc::Ready{0}}).ok());
        for (;;) ::pause();
      });
      CHILD_CHECK(worker.ok());
      BrokerHandlers handlers;
      // SIGTERM reaches the broker while it runs (as from an MCP client that stops it).
      handlers.ready = [](uint32_t) { ::kill(::getpid(), SIGTERM); };
      BrokerOptions options;
      options.stop_grace_ms = 200;
      BrokerOutcome outcome = run_broker(*worker, options, handlers);
      CHILD_CHECK(outcome.exit_code == (worker_obeys ? 15 : 128 + SIGKILL));
      return 0;
    });
    EXPECT_TRUE(exited_with(status, 0))
        << describe_wait_status(status) << " obeys=" << worker_obeys;
  }
}

// The whole design in one test: a worker in the full jail (namespaces included) gets its
// socket from the broker with CONNECT and completes a verified TLS transfer over it.
TEST(SandboxBroker, AJailedWorkerFetchesOverTlsThroughTheBroker) {
  testing::TlsServer server;
  if (!server.ok()) GTEST_SKIP() << server.why();
  int status = run_in_child([&] {
    auto worker = spawn_worker(SpawnOptions{}, [&](int channel, std::vector<LayerStatus> ns) {
      // Libraries read their configuration before the jail; nothing is opened afterwards.
      CHILD_CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK);
      JailOptions options;
      options.channel = channel;
      JailReport report = enter_worker_jail(options, std::move(ns));
      CHILD_CHECK(report.is_active(layer::kSeccomp) && report.is_active(layer::kLandlock));
      uint32_t next_id = 1;
      auto connect = [&]() -> int {
        auto answer =
            call_broker(channel, {next_id++, ipc::Connect{"localhost", server.port()}}, 5000);
        return answer.ok() ? answer->descriptor.release() : -1;
      };
      auto result = testing::fetch_over(connect, server.port(), server.ca_pem());
      if (result.code != CURLE_OK)
        std::fprintf(stderr, "curl: %s\n", curl_easy_strerror(result.code));
      CHILD_CHECK(result.code == CURLE_OK && result.status == 200);
      CHILD_CHECK(result.body.find("s_server") != std::string::npos);
      // And the worker still cannot make a socket of its own: that would be fatal.
      return 0;
    });
    CHILD_CHECK(worker.ok());
    BrokerOptions options;
    options.endpoint = {"localhost", server.port()};
    BrokerOutcome outcome = run_broker(*worker, options, {});
    if (!outcome.reason.empty()) std::fprintf(stderr, "%s\n", outcome.reason.c_str());
    CHILD_CHECK(outcome.exit_code == 0);
    return 0;
  });
  EXPECT_TRUE(exited_with(status, 0)) << describe_wait_status(status);
}

}  // namespace
}  // namespace notion_mcp::sandbox
