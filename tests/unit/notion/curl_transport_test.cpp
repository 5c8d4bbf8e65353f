// The real transport end to end: libcurl on the event loop, TLS against tests/fake_notion on
// loopback with a CA generated at test time, and the client's retries over the wire.
#include "notion/curl_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "notion/api_endpoint.h"
#include "notion/client.h"

namespace notion_mcp::notion {
namespace {

using Clock = util::EventLoop::Clock;
using std::chrono::milliseconds;

constexpr std::string_view kToken = "ntn_fakeTestToken0123456789abcdefghijklmnopqrstu";

// One fake_notion process: started with flags, stopped (stdin EOF, then SIGTERM, then SIGKILL)
// when the test ends.
class FakeNotion {
 public:
  static std::unique_ptr<FakeNotion> start(const std::vector<std::string>& flags,
                                           std::string* error) {
#ifndef FAKE_NOTION_PATH
    (void)flags;
    *error = "fake_notion is not built";
    return nullptr;
#else
    auto fake = std::unique_ptr<FakeNotion>(new FakeNotion());
    char pattern[] = "/tmp/notion-curl-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      *error = "mkdtemp failed";
      return nullptr;
    }
    fake->dir_ = pattern;
    fake->ca_file = fake->dir_ + "/ca.pem";
    std::vector<std::string> args = {FAKE_NOTION_PATH, "--ca-out", fake->ca_file, "--port", "0"};
    args.insert(args.end(), flags.begin(), flags.end());

    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    fake->pid_ = pid;
    fake->stdin_ = in[1];
    fake->stdout_ = out[0];
    if (pid < 0) {
      *error = "fork failed";
      return nullptr;
    }
    // Wait (bounded) for "PORT <n>".
    std::string line;
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      pollfd p{fake->stdout_, POLLIN, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
        *error = "fake_notion did not print its port in time";
        return nullptr;
      }
      char buffer[256];
      ssize_t n = ::read(fake->stdout_, buffer, sizeof buffer);
      if (n <= 0) {
        *error = "fake_notion exited before printing its port";
        return nullptr;
      }
      line.append(buffer, n);
    }
    if (std::sscanf(line.c_str(), "PORT %d", &fake->port) != 1 || fake->port <= 0) {
      *error = "unexpected first line from fake_notion: " + line;
      return nullptr;
    }
    fake->base_url = "https://127.0.0.1:" + std::to_string(fake->port);
    return fake;
#endif
  }

  ~FakeNotion() {
    if (stdin_ >= 0) ::close(stdin_);  // EOF on stdin ends the fake
    if (pid_ > 0) {
      int status = 0;
      bool reaped = false;
      for (int i = 0; i < 200 && !reaped; ++i) {  // up to 2 s
        reaped = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (!reaped) ::usleep(10000);
        if (i == 100) ::kill(pid_, SIGTERM);
      }
      if (!reaped) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
    if (stdout_ >= 0) ::close(stdout_);
    if (!ca_file.empty()) ::unlink(ca_file.c_str());
    if (!dir_.empty()) ::rmdir(dir_.c_str());
  }

  std::string ca_file;
  std::string base_url;
  int port = 0;

 private:
  FakeNotion() = default;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string dir_;
};

// Counts the sockets it hands to curl, to show the connector is used and connections reused.
class CountingConnector : public Connector {
 public:
  util::Result<ConnectorSocket> open_socket(const SocketRequest& request) override {
    ++opened;
    char text[INET6_ADDRSTRLEN] = {};
    if (request.family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(request.address);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      last_address = std::string(text) + ":" + std::to_string(ntohs(in->sin_port));
    }
    return direct_.open_socket(request);
  }
  int opened = 0;
  std::string last_address;

 private:
  DirectConnector direct_;
};

// Hands curl a socket that was connected before curl asked for it (and before the seccomp
// filter below), as the sandbox broker will.
class PreconnectedConnector : public Connector {
 public:
  explicit PreconnectedConnector(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  bool ready() const { return fd_ >= 0; }
  util::Result<ConnectorSocket> open_socket(const SocketRequest&) override {
    if (fd_ < 0) return util::make_error("network_error", "The one pre-connected socket is used.");
    return ConnectorSocket{std::exchange(fd_, -1), true};
  }

 private:
  int fd_ = -1;
};

#if defined(__x86_64__)
constexpr uint32_t kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr uint32_t kAuditArch = AUDIT_ARCH_AARCH64;
#else
constexpr uint32_t kAuditArch = 0;
#endif

// The sandbox's answer to libcurl 7.88's connect() on an already connected socket: connect()
// fails with EINPROGRESS, so curl waits for the socket to be writable and carries on.
[[maybe_unused]] bool install_connect_einprogress_filter() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_connect, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EINPROGRESS & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) == 0;
}

using JsonResult = util::Result<util::Json>;

util::Task<void> store(util::Task<JsonResult> task, std::optional<JsonResult>* out) {
  out->emplace(co_await std::move(task));
}

class NotionCurlTransport : public ::testing::Test {
 protected:
  // Starts a fake with `flags` and a client that trusts its CA.
  bool start(const std::vector<std::string>& flags, ClientOptions options = fast_options()) {
    std::string error;
    fake_ = FakeNotion::start(flags, &error);
    if (!fake_) {
      ADD_FAILURE() << error;
      return false;
    }
    auto endpoint = load_api_endpoint(fake_->base_url, fake_->ca_file);
    if (!endpoint.ok()) {
      ADD_FAILURE() << endpoint.error().message;
      return false;
    }
    return connect(endpoint->base_url, endpoint->ca_pem, options);
  }

  bool connect(const std::string& base_url, const std::string& ca_pem, ClientOptions options,
               CurlTransportOptions transport_options = {}) {
    client_.reset();
    transport_.reset();
    transport_options.base_url = base_url;
    transport_options.ca_pem = ca_pem;
    transport_options.connector = &connector_;
    auto transport = CurlTransport::create(loop_, transport_options);
    if (!transport.ok()) {
      ADD_FAILURE() << transport.error().message;
      return false;
    }
    transport_ = std::move(transport).value();
    client_ = std::make_unique<Client>(
        loop_, *transport_, [] { return util::Result<util::Secret>(util::Secret(kToken)); },
        options);
    return true;
  }

  static ClientOptions fast_options() {
    ClientOptions options;
    options.rate_limit.enabled = false;
    options.max_attempts = 4;
    options.backoff_base = milliseconds(10);
    options.backoff_ceiling = milliseconds(50);
    return options;
  }

  JsonResult run(util::Task<JsonResult> task, milliseconds limit = milliseconds(20000)) {
    std::optional<JsonResult> out;
    EXPECT_TRUE(util::run_to_completion(loop_, store(std::move(task), &out), limit));
    if (!out) return util::make_error("test_timeout", "did not finish");
    return std::move(*out);
  }

  util::EventLoop loop_;
  CountingConnector connector_;
  std::unique_ptr<FakeNotion> fake_;
  std::unique_ptr<CurlTransport> transport_;
  std::unique_ptr<Client> client_;
};

#ifndef FAKE_NOTION_PATH
TEST(NotionCurlTransportSetup, FakeNotionIsBuilt) {
  GTEST_SKIP() << "tests/fake_notion is not part of this build";
}
#else

TEST_F(NotionCurlTransport, GetsThroughTlsWithTheGeneratedCa) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_TRUE(me.ok()) << me.error().code << ": " << me.error().message;
  EXPECT_EQ(util::string_or(*me, "object"), "user");
  EXPECT_GE(connector_.opened, 1);
  EXPECT_EQ(transport_->active(), 0u);
}

TEST_F(NotionCurlTransport, ReusesTheConnection) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  for (int i = 0; i < 3; ++i) {
    auto me = run(client_->get("/v1/users/me", {}));
    ASSERT_TRUE(me.ok()) << me.error().message;
  }
  EXPECT_EQ(connector_.opened, 1);
}

TEST_F(NotionCurlTransport, NotionErrorsArriveMapped) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  auto missing = run(client_->get("/v1/pages/00000000000000000000000000000000", {}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "object_not_found");
  EXPECT_EQ(missing.error().status, 404);
  EXPECT_FALSE(missing.error().hint.empty());
}

TEST_F(NotionCurlTransport, EveryThirdRateLimitedStillAllSucceed) {
  ClientOptions options = fast_options();
  options.rate_limit = {.requests_per_second = 100, .burst = 3, .enabled = true};
  ASSERT_TRUE(start(
      {"--token", std::string(kToken), "--rate-limit-every", "3", "--retry-after", "1"}, options));
  std::vector<std::optional<JsonResult> > results(6);
  auto begin = Clock::now();
  for (auto& slot : results) util::spawn(store(client_->get("/v1/users/me", {}), &slot));
  ASSERT_TRUE(loop_.run_until(
      [&] {
        for (auto& slot : results) {
          if (!slot) return false;
        }
        return true;
      },
      milliseconds(20000)));
  for (auto& slot : results) {
    ASSERT_TRUE(slot->ok()) << slot->error().code << ": " << slot->error().message;
  }
  EXPECT_GE(client_->stats().rate_limited_responses, 2);
  EXPECT_EQ(client_->stats().requests_sent, 6 + client_->stats().rate_limited_responses);
  // Retry-After: 1 was honoured.
  EXPECT_GE(Clock::now() - begin, milliseconds(999));
}

TEST_F(NotionCurlTransport, TruncatedBodyIsInvalidResponse) {
  ClientOptions options = fast_options();
  options.max_attempts = 2;
  ASSERT_TRUE(start({"--token", std::string(kToken), "--truncate-every", "1"}, options));
  auto cut = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, "invalid_response");
  EXPECT_EQ(cut.error().status, 200);
  EXPECT_EQ(client_->stats().requests_sent, 2);  // a read is tried again
}

TEST_F(NotionCurlTransport, WrongTokenGivesTheLoginHint) {
  ASSERT_TRUE(start({"--token", "ntn_theRightTokenIsDifferent0123456789abcdefghij"}));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "unauthorized");
  EXPECT_EQ(me.error().status, 401);
  EXPECT_EQ(me.error().hint,
            "Notion rejected the token. Run `notion-mcp login` (or set NOTION_TOKEN to a valid "
            "internal integration token).");
  EXPECT_EQ(me.error().message.find(kToken), std::string::npos);
  EXPECT_EQ(client_->stats().requests_sent, 1);
}

TEST_F(NotionCurlTransport, CertificateFromAnotherCaIsRefused) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  std::string error;
  auto other = FakeNotion::start({}, &error);
  ASSERT_TRUE(other) << error;
  auto other_ca = load_api_endpoint(other->base_url, other->ca_file);
  ASSERT_TRUE(other_ca.ok());
  // Talk to the first fake while trusting only the second fake's CA.
  ASSERT_TRUE(connect(fake_->base_url, other_ca->ca_pem, fast_options()));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "tls_error");
  EXPECT_NE(me.error().hint.find("NOTION_MCP_CA_FILE"), std::string::npos);
  EXPECT_EQ(client_->stats().requests_sent, 1);  // a TLS failure is not retried
}

TEST_F(NotionCurlTransport, SystemCaDoesNotTrustTheTestServer) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  auto system = load_api_endpoint(fake_->base_url, std::nullopt);
  if (!system.ok()) GTEST_SKIP() << system.error().message;
  ASSERT_TRUE(connect(fake_->base_url, system->ca_pem, fast_options()));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "tls_error");
}

TEST_F(NotionCurlTransport, CancelMidTransferIsPrompt) {
  ASSERT_TRUE(start({"--token", std::string(kToken), "--slow-ms", "5000"}));
  util::CancelSource cancel;
  std::optional<JsonResult> out;
  auto begin = Clock::now();
  util::spawn(store(client_->get("/v1/users/me", cancel.token()), &out));
  loop_.add_timer(milliseconds(200), [&] { cancel.cancel(); });
  ASSERT_TRUE(loop_.run_until([&] { return out.has_value(); }, milliseconds(4000)));
  EXPECT_LT(Clock::now() - begin, milliseconds(1000));
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, "cancelled");
  EXPECT_EQ(transport_->active(), 0u);
  EXPECT_GE(connector_.opened, 1);  // the request really was on the wire
}

TEST_F(NotionCurlTransport, ConcurrentSlowCallsRunTogether) {
  ASSERT_TRUE(start({"--token", std::string(kToken), "--slow-ms", "400"}));
  std::vector<std::optional<JsonResult> > results(4);
  auto begin = Clock::now();
  for (auto& slot : results) util::spawn(store(client_->get("/v1/users/me", {}), &slot));
  ASSERT_TRUE(loop_.run_until(
      [&] {
        for (auto& slot : results) {
          if (!slot) return false;
        }
        return true;
      },
      milliseconds(10000)));
  for (auto& slot : results) ASSERT_TRUE(slot->ok()) << slot->error().message;
  EXPECT_LT(Clock::now() - begin, milliseconds(1500));  // not 4 x 400 ms one after another
}

TEST_F(NotionCurlTransport, PinnedNameNeedsNoDnsAndIsStillVerified) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  std::string ca = load_api_endpoint(fake_->base_url, fake_->ca_file)->ca_pem;
  CurlTransportOptions pinned;
  pinned.pinned_address = "127.0.0.1";
  // ".invalid" never resolves: reaching the fake at all proves the pin was used, and the
  // certificate (issued for 127.0.0.1, ::1, localhost) must not match this name.
  ASSERT_TRUE(connect("https://notion-mcp-test.invalid:" + std::to_string(fake_->port), ca,
                      fast_options(), pinned));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "tls_error") << me.error().message;
  EXPECT_EQ(connector_.last_address, "127.0.0.1:" + std::to_string(fake_->port));

  ASSERT_TRUE(
      connect("https://localhost:" + std::to_string(fake_->port), ca, fast_options(), pinned));
  auto ok = run(client_->get("/v1/users/me", {}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
}

TEST_F(NotionCurlTransport, OversizedResponseIsRefused) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  std::string ca = load_api_endpoint(fake_->base_url, fake_->ca_file)->ca_pem;
  CurlTransportOptions small;
  small.max_response_bytes = 16;
  ASSERT_TRUE(connect(fake_->base_url, ca, fast_options(), small));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "response_too_large");
  EXPECT_EQ(client_->stats().requests_sent, 1);
}

// In a child process, because the filter cannot be removed again.
TEST_F(NotionCurlTransport, AlreadyConnectedSocketWorksUnderTheConnectFilter) {
  if (kAuditArch == 0) GTEST_SKIP() << "no seccomp architecture constant for this CPU";
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  std::string ca = load_api_endpoint(fake_->base_url, fake_->ca_file)->ca_pem;
  std::string base_url = fake_->base_url;
  int port = fake_->port;
  EXPECT_EXIT(
      {
        util::EventLoop loop;
        PreconnectedConnector connector(port);
        CurlTransportOptions options;
        options.base_url = base_url;
        options.ca_pem = ca;
        options.connector = &connector;
        auto transport = CurlTransport::create(loop, options);
        if (!connector.ready() || !transport.ok() || !install_connect_einprogress_filter()) {
          ::_exit(2);
        }
        Client client(
            loop, **transport, [] { return util::Result<util::Secret>(util::Secret(kToken)); },
            fast_options());
        std::optional<JsonResult> out;
        util::run_to_completion(loop, store(client.get("/v1/users/me", {}), &out),
                                milliseconds(10000));
        if (out && !out->ok()) std::fprintf(stderr, "%s\n", out->error().message.c_str());
        ::_exit(out && out->ok() && client.stats().requests_sent == 1 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(NotionCurlTransport, RefusedConnectionIsANetworkError) {
  ASSERT_TRUE(start({"--token", std::string(kToken)}));
  std::string ca = load_api_endpoint(fake_->base_url, fake_->ca_file)->ca_pem;
  int port = fake_->port;
  fake_.reset();  // nothing listens there any more
  ClientOptions options = fast_options();
  options.max_attempts = 2;
  ASSERT_TRUE(connect("https://127.0.0.1:" + std::to_string(port), ca, options));
  auto me = run(client_->get("/v1/users/me", {}));
  ASSERT_FALSE(me.ok());
  EXPECT_EQ(me.error().code, "network_error");
  EXPECT_NE(me.error().message.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(client_->stats().requests_sent, 2);
}

#endif

TEST(NotionCurlTransportSetup, NeedsACaBundle) {
  util::EventLoop loop;
  CurlTransportOptions options;
  options.base_url = "https://127.0.0.1:9";
  auto transport = CurlTransport::create(loop, options);
  ASSERT_FALSE(transport.ok());
  EXPECT_EQ(transport.error().code, "ca_unreadable");
}

TEST(NotionCurlTransportSetup, KeepsTheGivenLibraryAlive) {
  auto library = CurlLibrary::load();
  ASSERT_TRUE(library.ok()) << library.error().message;
  std::shared_ptr<const CurlLibrary> shared = std::move(library).value();
  util::EventLoop loop;
  CurlTransportOptions options;
  options.base_url = "https://127.0.0.1:9";
  options.ca_pem = "-----BEGIN CERTIFICATE-----\n";
  options.library = shared;
  auto transport = CurlTransport::create(loop, options);
  ASSERT_TRUE(transport.ok()) << transport.error().message;
  options.library.reset();
  EXPECT_EQ(shared.use_count(), 2);  // ours and the transport's
  transport = util::make_error("dropped", "the transport is destroyed");
  EXPECT_EQ(shared.use_count(), 1);
}

TEST(NotionCurlTransportSetup, InvalidBaseUrlIsRefused) {
  util::EventLoop loop;
  CurlTransportOptions options;
  options.base_url = "https://[not an address";
  options.ca_pem = "-----BEGIN CERTIFICATE-----\n";
  auto transport = CurlTransport::create(loop, options);
  ASSERT_FALSE(transport.ok());
  EXPECT_EQ(transport.error().code, "invalid_api_url");
}

TEST(NotionCurlTransportSetup, NonLoopbackOverrideIsRefused) {
  auto endpoint = load_api_endpoint("https://notion.example.com", std::nullopt);
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().code, "invalid_api_url");
  EXPECT_NE(endpoint.error().message.find("loopback"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::notion
