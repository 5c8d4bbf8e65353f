#include "mcp/dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "notion/http.h"

namespace notion_mcp::mcp {
namespace {

using std::chrono::milliseconds;

// A transport that is never used: these tests exercise dispatch with tools of their own.
class UnusedTransport : public notion::Transport {
 public:
  void start(notion::HttpRequest, const util::CancelToken&, Completion done) override {
    done(util::make_error("network_error", "not used in this test"));
  }
};

constexpr std::string_view kNoArguments =
    R"({"type":"object","additionalProperties":false,"properties":{},"required":[]})";

// One line the dispatcher sent, parsed: every line must be a complete JSON document.
util::Json parsed_line(const std::string& line) {
  auto parsed = util::parse_json(line);
  if (!parsed) {
    ADD_FAILURE() << "not JSON: " << line;
    return util::Json();
  }
  return std::move(parsed).value();
}

std::vector<tools::Tool> test_tools() {
  std::vector<tools::Tool> out;
  tools::Tool echo;
  echo.name = "echo";
  echo.description = "Echoes its text.";
  echo.input_schema =
      R"({"type":"object","additionalProperties":false,"properties":{"text":{"type":"string"}},)"
      R"("required":["text"]})";
  echo.annotations.read_only = true;
  echo.run = [](tools::ToolContext&, const util::Json& args) -> util::Task<tools::ToolResult> {
    tools::ToolResult result;
    result.text = args["text"].get<std::string>();
    result.structured = {{"echo", args["text"]}};
    co_return result;
  };
  out.push_back(echo);

  tools::Tool slow;
  slow.name = "slow";
  slow.description = "Waits ten seconds unless cancelled.";
  slow.input_schema = kNoArguments;
  slow.run = [](tools::ToolContext& ctx, const util::Json&) -> util::Task<tools::ToolResult> {
    ctx.report_progress(1, 2, "waiting");
    bool elapsed = co_await util::sleep_for(ctx.loop, milliseconds(10000), ctx.cancel);
    co_return tools::ToolResult::error(elapsed ? "elapsed" : "cancelled");
  };
  out.push_back(slow);

  tools::Tool boom;
  boom.name = "boom";
  boom.description = "Throws.";
  boom.input_schema = kNoArguments;
  boom.run = [](tools::ToolContext&, const util::Json&) -> util::Task<tools::ToolResult> {
    throw std::runtime_error("kaboom");
    co_return tools::ToolResult{};
  };
  out.push_back(boom);
  return out;
}

class McpDispatcherTest : public ::testing::Test {
 protected:
  McpDispatcherTest()
      : client_(
            loop_, transport_, [] { return util::Result<util::Secret>(util::Secret("t")); },
            notion::ClientOptions{}),
        registry_(test_tools()),
        logger_(util::LogLevel::emergency),
        dispatcher_(loop_, client_, registry_, logger_, identity(), [this](std::string l) {
          sent_.push_back(parsed_line(l));
          lines_.push_back(std::move(l));
        }) {}

  static ServerIdentity identity() {
    ServerIdentity id;
    id.version = "test";
    return id;
  }

  void line(std::string_view text) { dispatcher_.handle_line(text); }
  void initialize() {
    line(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})");
    line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    sent_.clear();
    lines_.clear();
  }
  util::Json last() { return sent_.empty() ? util::Json() : sent_.back(); }
  bool run_until(const std::function<bool()>& done) {
    return loop_.run_until(done, milliseconds(5000));
  }

  util::EventLoop loop_;
  UnusedTransport transport_;
  notion::Client client_;
  ToolRegistry registry_;
  util::Logger logger_;
  std::vector<util::Json> sent_;
  std::vector<std::string> lines_;  // as sent, before parsing
  Dispatcher dispatcher_;
};

TEST_F(McpDispatcherTest, PingWorksBeforeInitializeButOtherRequestsAreRefused) {
  line(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  EXPECT_EQ(last()["result"], util::Json::object());
  line(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})");
  EXPECT_EQ(last()["id"], 2);
  EXPECT_EQ(last()["error"]["code"], error_code::kNotInitialized);
  // An unknown method is unknown before initialize too, not "not yet".
  line(R"({"jsonrpc":"2.0","id":3,"method":"no/such/method"})");
  EXPECT_EQ(last()["id"], 3);
  EXPECT_EQ(last()["error"]["code"], error_code::kMethodNotFound);
  line(R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"notion://x"}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kNotInitialized);
}

TEST_F(McpDispatcherTest, ParseErrorsHaveNullIdAndTheStreamContinues) {
  line("{not json");
  EXPECT_EQ(last()["error"]["code"], error_code::kParseError);
  EXPECT_TRUE(last()["id"].is_null());
  line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xc3\x28\"}");
  EXPECT_EQ(last()["error"]["code"], error_code::kParseError);
  line(R"({"jsonrpc":"2.0","id":3,"method":"ping"})");
  EXPECT_EQ(last()["id"], 3);
  dispatcher_.handle_oversized(1024);
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidRequest);
  EXPECT_TRUE(last()["id"].is_null());
}

TEST_F(McpDispatcherTest, UnknownMethodsAndTools) {
  initialize();
  line(R"({"jsonrpc":"2.0","id":4,"method":"resources/subscribe"})");
  EXPECT_EQ(last()["error"]["code"], error_code::kMethodNotFound);
  line(R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"nope"}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidParams);
  line(R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidParams);
  line(R"({"jsonrpc":"2.0","method":"unknown/notification"})");  // silently ignored
  EXPECT_EQ(last()["id"], 6);
}

TEST_F(McpDispatcherTest, EveryLineLeavesRedacted) {
  initialize();
  // Built here, so that no token-shaped constant sits in the source.
  const std::string token = "ntn_" + std::string(40, 'k');
  util::Json call = {{"jsonrpc", "2.0"},
                     {"id", 1},
                     {"method", "tools/call"},
                     {"params", {{"name", "echo"}, {"arguments", {{"text", "key " + token}}}}}};
  line(util::dump_json(call));
  // A request id is the client's own, but it is echoed: it goes through the redactor too,
  // also on the tools/list answer, which is put together from text.
  line(R"({"jsonrpc":"2.0","id":")" + token + R"(","method":"tools/list"})");
  line(R"({"jsonrpc":"2.0","id":")" + token + R"(","method":"ping"})");
  ASSERT_EQ(lines_.size(), 3u);
  for (const auto& sent : lines_) {
    EXPECT_EQ(sent.find(token), std::string::npos) << sent;
    EXPECT_NE(sent.find("[REDACTED]"), std::string::npos) << sent;
  }
  EXPECT_EQ(sent_[1]["result"]["tools"].size(), 3u);
}

// A tool that declares no schemas is still described as valid JSON: any object in, nothing
// declared out.
TEST(McpToolRegistry, DescribesAToolWithoutSchemas) {
  tools::Tool bare;
  bare.name = "bare";
  bare.description = "Quotes \"and\" newlines\n are escaped.";
  util::Json described = parsed_line(ToolRegistry::describe(bare));
  EXPECT_EQ(described["inputSchema"], util::Json({{"type", "object"}}));
  EXPECT_FALSE(described.contains("outputSchema"));
  EXPECT_FALSE(described.contains("title"));
  EXPECT_EQ(described["description"], bare.description);
}

TEST_F(McpDispatcherTest, ListsToolsWithAnnotationsAndPaginates) {
  initialize();
  line(R"({"jsonrpc":"2.0","id":7,"method":"tools/list"})");
  auto tools = last()["result"]["tools"];
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0]["annotations"]["readOnlyHint"], true);
  EXPECT_EQ(tools[1]["annotations"]["readOnlyHint"], false);
  EXPECT_FALSE(last()["result"].contains("nextCursor"));
  line(R"({"jsonrpc":"2.0","id":8,"method":"tools/list","params":{"cursor":"bogus"}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidParams);

  ToolRegistry paged(test_tools(), 2);
  std::string first_text;
  ASSERT_TRUE(paged.list(util::Json::object(), first_text).ok());
  util::Json first = parsed_line(first_text);
  EXPECT_EQ(first["tools"].size(), 2u);
  std::string second_text = "[";  // appended to what the caller has
  ASSERT_TRUE(paged.list({{"cursor", first["nextCursor"]}}, second_text).ok());
  second_text += "]";
  util::Json second = parsed_line(second_text)[0];
  EXPECT_EQ(second["tools"].size(), 1u);
  EXPECT_EQ(second["tools"][0]["name"], "boom");
  EXPECT_FALSE(second.contains("nextCursor"));
}

TEST_F(McpDispatcherTest, CallsToolsAndValidatesArguments) {
  initialize();
  line(
      R"({"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}})");
  ASSERT_TRUE(run_until([&] { return !sent_.empty(); }));
  EXPECT_EQ(last()["id"], "a");
  EXPECT_EQ(last()["result"]["content"][0]["text"], "hi");
  EXPECT_EQ(last()["result"]["structuredContent"]["echo"], "hi");
  EXPECT_FALSE(last()["result"].contains("isError"));

  line(
      R"({"jsonrpc":"2.0","id":"b","method":"tools/call","params":{"name":"echo","arguments":{"text":3}}})");
  EXPECT_EQ(last()["result"]["isError"], true);
  EXPECT_NE(last()["result"]["content"][0]["text"].get<std::string>().find("text must be a string"),
            std::string::npos);
}

TEST_F(McpDispatcherTest, ToolExceptionsBecomeErrorResultsAndServingContinues) {
  initialize();
  line(R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"boom"}})");
  ASSERT_TRUE(run_until([&] { return !sent_.empty(); }));
  EXPECT_EQ(last()["result"]["isError"], true);
  EXPECT_EQ(last()["result"]["content"][0]["text"].get<std::string>().find("kaboom"),
            std::string::npos);  // internals are logged, not shown
  line(R"({"jsonrpc":"2.0","id":10,"method":"ping"})");
  EXPECT_EQ(last()["id"], 10);
}

TEST_F(McpDispatcherTest, CancelledCallsAreAbortedAndNeverAnswered) {
  initialize();
  line(
      R"({"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"slow","_meta":{"progressToken":"p1"}}})");
  EXPECT_EQ(dispatcher_.in_flight(), 1u);
  ASSERT_FALSE(sent_.empty());  // the progress notification
  EXPECT_EQ(last()["method"], "notifications/progress");
  EXPECT_EQ(last()["params"]["progressToken"], "p1");
  EXPECT_EQ(last()["params"]["total"], 2);
  sent_.clear();

  // A ping is answered while the call waits.
  line(R"({"jsonrpc":"2.0","id":12,"method":"ping"})");
  EXPECT_EQ(last()["id"], 12);
  // The same id cannot be reused while in flight.
  line(R"({"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"slow"}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidRequest);
  sent_.clear();

  auto started = util::EventLoop::Clock::now();
  line(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":11,"reason":"user"}})");
  ASSERT_TRUE(run_until([&] { return dispatcher_.in_flight() == 0; }));
  EXPECT_LT(util::EventLoop::Clock::now() - started, milliseconds(1000));
  loop_.run_once(milliseconds(10));
  EXPECT_TRUE(sent_.empty());  // no answer for a cancelled request
}

TEST_F(McpDispatcherTest, LoggingSetLevelForwardsRedactedMessages) {
  initialize();
  line(R"({"jsonrpc":"2.0","id":13,"method":"logging/setLevel","params":{"level":"loud"}})");
  EXPECT_EQ(last()["error"]["code"], error_code::kInvalidParams);
  line(R"({"jsonrpc":"2.0","id":14,"method":"logging/setLevel","params":{"level":"info"}})");
  EXPECT_EQ(last()["id"], 14);
  logger_.debug("not forwarded");
  EXPECT_EQ(last()["id"], 14);
  logger_.info("token ntn_1234567890abcdefghijklmnop leaked?");
  EXPECT_EQ(last()["method"], "notifications/message");
  EXPECT_EQ(last()["params"]["level"], "info");
  EXPECT_EQ(last()["params"]["data"], "token [REDACTED] leaked?");
}

}  // namespace
}  // namespace notion_mcp::mcp
