#include "mcp/jsonrpc.h"

#include <gtest/gtest.h>

namespace notion_mcp::mcp {
namespace {

util::Json parse(std::string_view text) { return util::parse_json(text).value(); }

TEST(McpJsonRpc, ClassifiesRequestNotificationResponse) {
  auto request = classify(parse(R"({"jsonrpc":"2.0","id":7,"method":"ping"})"));
  ASSERT_TRUE(request.ok);
  EXPECT_EQ(request.message.kind, Message::Kind::request);
  EXPECT_EQ(request.message.id, 7);

  auto note = classify(parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  ASSERT_TRUE(note.ok);
  EXPECT_EQ(note.message.kind, Message::Kind::notification);

  auto response = classify(parse(R"({"jsonrpc":"2.0","id":"a","result":{}})"));
  ASSERT_TRUE(response.ok);
  EXPECT_EQ(response.message.kind, Message::Kind::response);
}

TEST(McpJsonRpc, RejectsBatchesWithInvalidRequestAndNullId) {
  auto batch = classify(parse(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"));
  ASSERT_FALSE(batch.ok);
  EXPECT_EQ(batch.error_response["error"]["code"], error_code::kInvalidRequest);
  EXPECT_TRUE(batch.error_response["id"].is_null());
}

TEST(McpJsonRpc, RejectsBadEnvelopes) {
  struct Case {
    const char* text;
    int code;
    bool id_kept;
  };
  for (const Case& c : {
           Case{R"({"id":1,"method":"ping"})", error_code::kInvalidRequest, true},
           Case{R"({"jsonrpc":"1.0","id":1,"method":"ping"})", error_code::kInvalidRequest, true},
           Case{R"({"jsonrpc":"2.0","id":{},"method":"ping"})", error_code::kInvalidRequest, false},
           Case{R"({"jsonrpc":"2.0","id":null,"method":"ping"})", error_code::kInvalidRequest,
                false},
           Case{R"({"jsonrpc":"2.0","id":2,"method":5})", error_code::kInvalidRequest, true},
           Case{R"({"jsonrpc":"2.0","id":3,"method":"x","params":[1]})", error_code::kInvalidParams,
                true},
           Case{R"("just a string")", error_code::kInvalidRequest, false},
           Case{R"({"jsonrpc":"2.0","id":4})", error_code::kInvalidRequest, true},
       }) {
    auto result = classify(parse(c.text));
    ASSERT_FALSE(result.ok) << c.text;
    EXPECT_EQ(result.error_response["error"]["code"], c.code) << c.text;
    EXPECT_EQ(result.error_response["id"].is_null(), !c.id_kept) << c.text;
    EXPECT_FALSE(result.error_response["error"]["message"].get<std::string>().empty());
  }
}

TEST(McpJsonRpc, BuildsMessages) {
  EXPECT_EQ(util::dump_json(make_result(1, {{"x", 1}})),
            R"({"id":1,"jsonrpc":"2.0","result":{"x":1}})");
  auto error = make_error("q", -32601, "nope");
  EXPECT_EQ(error["error"]["code"], -32601);
  EXPECT_FALSE(error["error"].contains("data"));
  auto note = make_notification("notifications/progress", {{"progress", 1}});
  EXPECT_FALSE(note.contains("id"));
}

}  // namespace
}  // namespace notion_mcp::mcp
