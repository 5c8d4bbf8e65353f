// The client's own behaviour (headers, retries, error mapping, cancellation) against a scripted
// Transport: the seam below the client, answering from the event loop like a real transport.
#include "notion/client.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <vector>

namespace notion_mcp::notion {
namespace {

using Clock = util::EventLoop::Clock;
using std::chrono::milliseconds;

constexpr std::string_view kToken = "ntn_1234567890abcdefghijklmnopqrstuvwxyzABCDEF";

struct Step {
  util::Result<HttpResponse> outcome;
  milliseconds delay{0};
};

Step answer(int status, std::string body, Headers headers = {}) {
  return Step{HttpResponse{status, std::move(headers), std::move(body)}, milliseconds(0)};
}

std::string notion_error(int status, std::string_view code, std::string_view message,
                         util::Json additional = nullptr) {
  util::Json body = {{"object", "error"},
                     {"status", status},
                     {"code", code},
                     {"message", message},
                     {"request_id", "11111111-2222-3333-4444-555555555555"}};
  if (!additional.is_null()) body["additional_data"] = std::move(additional);
  return body.dump();
}

// Answers each request with the next scripted step, from the loop, after the step's delay.
class ScriptedTransport : public Transport {
 public:
  explicit ScriptedTransport(util::EventLoop& loop) : loop_(loop) {}

  void add(Step step) { steps_.push_back(std::move(step)); }

  void start(HttpRequest request, const util::CancelToken& cancel, Completion done) override {
    sent.push_back(request);
    sent_at.push_back(Clock::now());
    Step step = steps_.empty() ? answer(500, "script ran out") : std::move(steps_.front());
    if (!steps_.empty()) steps_.pop_front();
    auto pending = std::make_shared<Pending>();
    pending->done = std::move(done);
    pending->timer = loop_.add_timer(step.delay, [pending, outcome = std::move(step.outcome)] {
      pending->registration.reset();
      if (pending->done) std::exchange(pending->done, nullptr)(outcome);
    });
    pending->registration = cancel.on_cancel([this, pending] {
      loop_.cancel_timer(pending->timer);
      loop_.post([pending] {
        if (pending->done) {
          std::exchange(pending->done, nullptr)(util::make_error("cancelled", "Cancelled."));
        }
      });
    });
  }

  std::vector<HttpRequest> sent;
  std::vector<Clock::time_point> sent_at;

 private:
  struct Pending {
    Completion done;
    util::EventLoop::TimerId timer = 0;
    util::CancelRegistration registration;
  };
  util::EventLoop& loop_;
  std::deque<Step> steps_;
};

ClientOptions fast_options() {
  ClientOptions options;
  options.rate_limit.enabled = false;
  options.max_attempts = 4;
  options.backoff_base = milliseconds(1);
  options.backoff_ceiling = milliseconds(5);
  return options;
}

TokenSource static_token() {
  return [] { return util::Result<util::Secret>(util::Secret(kToken)); };
}

using JsonResult = util::Result<util::Json>;

util::Task<void> store(util::Task<JsonResult> task, std::optional<JsonResult>* out) {
  out->emplace(co_await std::move(task));
}

class NotionClientTest : public ::testing::Test {
 protected:
  JsonResult run(util::Task<JsonResult> task) {
    std::optional<JsonResult> out;
    EXPECT_TRUE(util::run_to_completion(loop_, store(std::move(task), &out), milliseconds(5000)));
    if (!out) return util::make_error("test_timeout", "did not finish");
    return std::move(*out);
  }

  util::EventLoop loop_;
  ScriptedTransport transport_{loop_};
  Client client_{loop_, transport_, static_token(), fast_options()};
};

TEST_F(NotionClientTest, SendsVersionTokenAndJsonHeaders) {
  transport_.add(answer(200, R"({"object":"page","id":"abc"})"));
  transport_.add(answer(200, R"({"object":"list","results":[]})"));
  auto page = run(client_.get("/v1/pages/abc", {}));
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(util::string_or(*page, "id"), "abc");
  auto search = run(client_.post("/v1/search", util::Json{{"query", "Roadmap"}}, {}));
  ASSERT_TRUE(search.ok());

  ASSERT_EQ(transport_.sent.size(), 2u);
  const auto& get = transport_.sent[0];
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.path, "/v1/pages/abc");
  EXPECT_EQ(find_header(get.headers, "notion-version"), "2026-03-11");
  EXPECT_EQ(find_header(get.headers, "Authorization"), "Bearer " + std::string(kToken));
  EXPECT_EQ(find_header(get.headers, "Accept"), "application/json");
  EXPECT_EQ(find_header(get.headers, "Content-Type"), "");
  EXPECT_TRUE(get.body.empty());

  const auto& post = transport_.sent[1];
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(find_header(post.headers, "Content-Type"), "application/json");
  EXPECT_EQ(util::parse_json(post.body).value(), (util::Json{{"query", "Roadmap"}}));
  EXPECT_EQ(client_.stats().requests_sent, 2);
  EXPECT_EQ(client_.stats().retries, 0);
}

TEST_F(NotionClientTest, RateLimitedCallIsRetriedAfterRetryAfter) {
  transport_.add(
      answer(429, notion_error(429, "rate_limited", "Slow down."), {{"Retry-After", "0.15"}}));
  transport_.add(answer(200, R"({"object":"page","id":"abc"})"));
  auto start = Clock::now();
  auto result = run(client_.patch("/v1/pages/abc", util::Json::object(), {}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(transport_.sent.size(), 2u);
  EXPECT_GE(transport_.sent_at[1] - start, milliseconds(149));
  EXPECT_EQ(client_.stats().rate_limited_responses, 1);
  EXPECT_EQ(client_.stats().retries, 1);
  EXPECT_EQ(client_.stats().requests_sent, 2);
}

TEST_F(NotionClientTest, RateLimitPausesOtherCallsToo) {
  transport_.add(
      Step{HttpResponse{429, {{"Retry-After", "0.2"}}, notion_error(429, "rate_limited", "x")},
           milliseconds(0)});
  transport_.add(answer(200, R"({"object":"user"})"));
  transport_.add(answer(200, R"({"object":"user"})"));
  std::optional<JsonResult> first, second;
  auto start = Clock::now();
  util::spawn(store(client_.get("/v1/users/a", {}), &first));
  // The second call starts after the 429 arrived and must wait for the shared pause.
  loop_.add_timer(milliseconds(30),
                  [&] { util::spawn(store(client_.get("/v1/users/b", {}), &second)); });
  ASSERT_TRUE(loop_.run_until([&] { return first && second; }, milliseconds(3000)));
  ASSERT_TRUE(first->ok());
  ASSERT_TRUE(second->ok());
  ASSERT_EQ(transport_.sent.size(), 3u);
  EXPECT_EQ(transport_.sent[1].path.substr(0, 10), "/v1/users/");
  EXPECT_GE(transport_.sent_at[1] - start, milliseconds(199));
  EXPECT_GE(transport_.sent_at[2] - start, milliseconds(199));
}

TEST_F(NotionClientTest, BlockedIsReturnedAtOnce) {
  transport_.add(answer(429,
                        notion_error(429, "rate_limited", "Blocked.",
                                     {{"rate_limit_reason", "public_api_request_blocked"}}),
                        {{"Retry-After", "1"}}));
  auto result = run(client_.get("/v1/users", {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "rate_limited");
  EXPECT_EQ(result.error().status, 429);
  EXPECT_NE(result.error().hint.find("do not retry"), std::string::npos);
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(NotionClientTest, ServerErrorRetriesReadsButNotWrites) {
  transport_.add(answer(502, "<html>bad gateway</html>"));
  transport_.add(answer(500, notion_error(500, "internal_server_error", "Oops.")));
  transport_.add(answer(200, R"({"object":"block"})"));
  auto read = run(client_.get("/v1/blocks/x", {}));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(transport_.sent.size(), 3u);
  EXPECT_EQ(client_.stats().retries, 2);

  transport_.add(answer(500, notion_error(500, "internal_server_error", "Oops.")));
  auto write = run(client_.post("/v1/pages", util::Json::object(), {}));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, "internal_server_error");
  EXPECT_EQ(write.error().request_id, "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(transport_.sent.size(), 4u);
}

TEST_F(NotionClientTest, WriteThatMayHaveCommittedIsNotRepeated) {
  transport_.add(answer(503, notion_error(503, "service_unavailable", "Try later.",
                                          {{"retry_guidance", "re-read"},
                                           {"committed_resource_id", "abcdef12-3456"}})));
  auto result = run(client_.post("/v1/pages", util::Json{{"parent", "x"}}, {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "write_may_have_committed");
  EXPECT_NE(result.error().message.find("abcdef12-3456"), std::string::npos);
  EXPECT_NE(result.error().hint.find("Re-read the resource before retrying"), std::string::npos);
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(NotionClientTest, NetworkErrorsRetryReadsOnly) {
  transport_.add(Step{util::make_error("network_error", "Connection reset."), milliseconds(0)});
  transport_.add(answer(200, R"({"object":"list"})"));
  ASSERT_TRUE(run(client_.get("/v1/users", {})).ok());
  EXPECT_EQ(client_.stats().network_errors, 1);

  transport_.add(Step{util::make_error("network_error", "Connection reset."), milliseconds(0)});
  auto write = run(client_.patch("/v1/pages/x", util::Json::object(), {}));
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, "network_error");
  EXPECT_FALSE(write.error().hint.empty());
  EXPECT_EQ(transport_.sent.size(), 3u);
}

TEST_F(NotionClientTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 10; ++i)
    transport_.add(answer(503, notion_error(503, "service_unavailable", "Down.")));
  auto result = run(client_.get("/v1/users", {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "service_unavailable");
  EXPECT_EQ(transport_.sent.size(), 4u);
  EXPECT_EQ(client_.stats().retries, 3);
}

TEST_F(NotionClientTest, UnauthorizedHasLoginHintAndNoToken) {
  transport_.add(answer(401, notion_error(401, "unauthorized", "API token is invalid.")));
  auto result = run(client_.get("/v1/users/me", {}));
  ASSERT_FALSE(result.ok());
  const auto& error = result.error();
  EXPECT_EQ(error.code, "unauthorized");
  EXPECT_EQ(error.status, 401);
  EXPECT_NE(error.hint.find("notion-mcp login"), std::string::npos);
  for (const std::string* text : {&error.message, &error.hint, &error.request_id}) {
    EXPECT_EQ(text->find(kToken), std::string::npos);
  }
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(NotionClientTest, MissingTokenFailsWithoutSending) {
  Client client(
      loop_, transport_,
      [] {
        return util::Result<util::Secret>(
            util::make_error("unauthorized", "No Notion token is configured."));
      },
      fast_options());
  auto result = run(client.get("/v1/users/me", {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "unauthorized");
  EXPECT_NE(result.error().hint.find("notion-mcp login"), std::string::npos);
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(NotionClientTest, EmptyTokenSaysHowToSetOne) {
  Client client(
      loop_, transport_, [] { return util::Result<util::Secret>(util::Secret()); }, fast_options());
  auto result = run(client.get("/v1/users/me", {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "unauthorized");
  EXPECT_NE(result.error().hint.find("NOTION_TOKEN"), std::string::npos);
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(NotionClientTest, UnreadableBodyIsInvalidResponse) {
  ClientOptions once = fast_options();
  once.max_attempts = 1;
  Client client(loop_, transport_, static_token(), once);
  transport_.add(answer(200, R"({"object":"page","id":)"));
  auto cut = run(client.get("/v1/pages/x", {}));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, "invalid_response");
  EXPECT_EQ(cut.error().status, 200);
  EXPECT_EQ(cut.error().message.find("\"object\""), std::string::npos);  // never the raw body

  transport_.add(answer(200, "[1,2]"));
  EXPECT_EQ(run(client.get("/v1/pages/x", {})).error().code, "invalid_response");
}

TEST_F(NotionClientTest, TruncatedReadIsRetried) {
  transport_.add(answer(200, R"({"object":"page","id":)"));
  transport_.add(answer(200, R"({"object":"page","id":"x"})"));
  ASSERT_TRUE(run(client_.get("/v1/pages/x", {})).ok());
  EXPECT_EQ(transport_.sent.size(), 2u);
}

TEST_F(NotionClientTest, RedactsTokensThatNotionEchoes) {
  transport_.add(answer(400, notion_error(400, "validation_error",
                                          "body.text should not contain " + std::string(kToken))));
  auto result = run(client_.post("/v1/comments", util::Json::object(), {}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.find(kToken), std::string::npos);
  EXPECT_NE(result.error().message.find("[REDACTED]"), std::string::npos);
}

TEST_F(NotionClientTest, CancelDuringTransferReturnsPromptly) {
  transport_.add(Step{HttpResponse{200, {}, "{}"}, milliseconds(5000)});
  util::CancelSource cancel;
  std::optional<JsonResult> out;
  auto start = Clock::now();
  util::spawn(store(client_.get("/v1/pages/slow", cancel.token()), &out));
  loop_.add_timer(milliseconds(20), [&] { cancel.cancel(); });
  ASSERT_TRUE(loop_.run_until([&] { return out.has_value(); }, milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(500));
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->error().code, "cancelled");
}

TEST_F(NotionClientTest, CancelDuringBackoffReturnsPromptly) {
  ClientOptions slow = fast_options();
  slow.backoff_base = milliseconds(3000);
  slow.backoff_ceiling = milliseconds(3000);
  Client client(loop_, transport_, static_token(), slow);
  transport_.add(answer(503, notion_error(503, "service_unavailable", "Down.")));
  util::CancelSource cancel;
  std::optional<JsonResult> out;
  auto start = Clock::now();
  util::spawn(store(client.get("/v1/users", cancel.token()), &out));
  loop_.add_timer(milliseconds(30), [&] { cancel.cancel(); });
  ASSERT_TRUE(loop_.run_until([&] { return out.has_value(); }, milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(500));
  EXPECT_EQ(out->error().code, "cancelled");
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(NotionClientTest, CancelDuringRateLimitPauseReturnsPromptly) {
  transport_.add(answer(429, notion_error(429, "rate_limited", "x"), {{"Retry-After", "30"}}));
  util::CancelSource cancel;
  std::optional<JsonResult> out;
  auto start = Clock::now();
  util::spawn(store(client_.get("/v1/users", cancel.token()), &out));
  loop_.add_timer(milliseconds(30), [&] { cancel.cancel(); });
  ASSERT_TRUE(loop_.run_until([&] { return out.has_value(); }, milliseconds(2000)));
  EXPECT_LT(Clock::now() - start, milliseconds(500));
  EXPECT_EQ(out->error().code, "cancelled");
}

TEST_F(NotionClientTest, AlreadyCancelledSendsNothing) {
  util::CancelSource cancel;
  cancel.cancel();
  auto result = run(client_.get("/v1/users", cancel.token()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "cancelled");
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(NotionClientTest, SharedLimiterSpacesConcurrentCalls) {
  ClientOptions limited = fast_options();
  limited.rate_limit = {.requests_per_second = 50, .burst = 2, .enabled = true};
  Client client(loop_, transport_, static_token(), limited);
  std::vector<std::optional<JsonResult>> out(6);
  for (int i = 0; i < 6; ++i) transport_.add(answer(200, "{}"));
  auto start = Clock::now();
  for (auto& slot : out) util::spawn(store(client.get("/v1/users", {}), &slot));
  ASSERT_TRUE(loop_.run_until(
      [&] {
        for (auto& slot : out) {
          if (!slot) return false;
        }
        return true;
      },
      milliseconds(3000)));
  ASSERT_EQ(transport_.sent_at.size(), 6u);
  EXPECT_GE(transport_.sent_at[5] - start, milliseconds(79));  // 2 at once, then one per 20 ms
}

}  // namespace
}  // namespace notion_mcp::notion
