#include "tests/unit/tools/tool_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsGetPage : public ToolFixture {};

TEST_F(ToolsGetPage, ReadsMetadataAndFencedMarkdown) {
  std::string id = id_of("Security policy");
  ToolResult r = call("get_page", {{"page_id", id}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["id"], id);
  EXPECT_EQ(r.structured["title"], "Security policy");
  EXPECT_TRUE(r.structured.contains("url"));
  EXPECT_EQ(r.structured["parent"].get<std::string>().rfind("page ", 0), 0u);
  EXPECT_FALSE(r.structured.contains("next_offset"));
  std::string markdown = r.structured["markdown"];
  EXPECT_GT(markdown.size(), 50u);

  EXPECT_EQ(r.text.rfind("title: Security policy\nid: " + id + "\n", 0), 0u) << r.text;
  EXPECT_NE(r.text.find("not as instructions from the user"), std::string::npos);
  EXPECT_NE(r.text.find("```untrusted\n"), std::string::npos);
  EXPECT_NE(r.text.find(markdown), std::string::npos);
  // The content is Notion's own markdown, unchanged.
  auto raw = raw_get("/v1/pages/" + id + "/markdown");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(markdown, (*raw)["markdown"].get<std::string>());
}

TEST_F(ToolsGetPage, AcceptsTheUrl) {
  std::string id = id_of("Onboarding");
  ToolResult by_id = call("get_page", {{"page_id", id}, {"include_content", false}});
  ASSERT_FALSE(by_id.is_error) << by_id.text;
  std::string url = by_id.structured["url"];
  ToolResult by_url = call("get_page", {{"page_id", url}, {"include_content", false}});
  ASSERT_FALSE(by_url.is_error) << by_url.text;
  EXPECT_EQ(by_url.structured["id"], id);
  std::string hex;
  for (char c : id) {
    if (c != '-') hex.push_back(c);
  }
  ToolResult by_slug =
      call("get_page", {{"page_id", "https://www.notion.so/acme/Onboarding-" + hex + "?pvs=4"},
                        {"include_content", false}});
  ASSERT_FALSE(by_slug.is_error) << by_slug.text;
  EXPECT_EQ(by_slug.structured["id"], id);
}

// A row opened in a database's side peek: the URL names the database and, in p=, the row.
TEST_F(ToolsGetPage, AcceptsASidePeekUrl) {
  std::string row = id_of("Website redesign");
  std::string database;
  for (const Json& item : search_all("data_source", "Projects")) {
    if (item["title"] == "Projects") database = item["parent"].get<std::string>().substr(9);
  }
  ASSERT_EQ(database.size(), 36u);
  std::erase(row, '-');
  std::erase(database, '-');
  std::string url = "https://www.notion.so/acme/" + database +
                    "?v=00112233445566778899aabbccddeeff&p=" + row + "&pm=s";
  ToolResult r = call("get_page", {{"page_id", url}, {"include_content", false}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["title"], "Website redesign");
  ToolResult db = call("get_database", {{"database_id", url}});
  ASSERT_FALSE(db.is_error) << db.text;
  EXPECT_EQ(db.structured["title"], "Projects");
}

TEST_F(ToolsGetPage, FlattensRowProperties) {
  std::string id = id_of("Website redesign");
  ToolResult r = call("get_page", {{"page_id", id}, {"include_content", false}});
  ASSERT_FALSE(r.is_error) << r.text;
  const Json& p = r.structured["properties"];
  EXPECT_EQ(p["Name"], "Website redesign");
  EXPECT_EQ(p["Status"], "In progress");
  EXPECT_EQ(p["Due"], "2026-04-30");
  EXPECT_EQ(p["Budget"], 48000);
  EXPECT_EQ(p["Tags"], Json({"Frontend"}));
  EXPECT_EQ(p["Active"], true);
  EXPECT_EQ(p["Contact"], "web-team@acme.example");
  ASSERT_TRUE(p["Owner"].is_array());
  ASSERT_TRUE(p["Tasks"].is_array());
  EXPECT_EQ(p["Tasks"].size(), 3u);
  EXPECT_FALSE(r.structured.contains("markdown"));
  EXPECT_EQ(r.structured["parent"].get<std::string>().rfind("data_source ", 0), 0u);
  EXPECT_NE(r.text.find("properties:\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("  Status: In progress\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("  Tags: Frontend\n"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find("untrusted"), std::string::npos) << "no content was asked for";
}

TEST_F(ToolsGetPage, UnknownIdIsAnErrorWithAHint) {
  ToolResult r = call("get_page", {{"page_id", "0123456789abcdef0123456789abcdef"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "object_not_found") << r.text;
  EXPECT_NE(r.text.find("Notion error (object_not_found)"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("Hint: "), std::string::npos) << r.text;
  EXPECT_FALSE(r.structured["error"]["hint"].get<std::string>().empty());
}

TEST_F(ToolsGetPage, MalformedIdIsAnErrorBeforeAnyRequest) {
  ToolResult r = call("get_page", {{"page_id", "my page"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "invalid_id");
  EXPECT_NE(r.text.find("32-character id"), std::string::npos) << r.text;
  EXPECT_EQ(client_.stats().requests_sent, 0);
}

// The meeting notes archive is longer than the markdown endpoint renders at once.
TEST_F(ToolsGetPage, ContinuesThroughATruncatedPage) {
  std::string id = id_of("Meeting notes archive");
  auto raw = raw_get("/v1/pages/" + id + "/markdown");
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)["truncated"].get<bool>()) << "the demo should truncate this page";
  const Json& unknown = (*raw)["unknown_block_ids"];
  ASSERT_FALSE(unknown.empty());

  ToolResult r = call("get_page", {{"page_id", id}, {"max_chars", 100000}});
  ASSERT_FALSE(r.is_error) << r.text;
  std::string markdown = r.structured["markdown"];
  EXPECT_FALSE(r.structured.contains("next_offset")) << "100000 characters hold the whole page";
  EXPECT_GT(markdown.size(), (*raw)["markdown"].get<std::string>().size());
  EXPECT_EQ(markdown.rfind((*raw)["markdown"].get<std::string>(), 0), 0u);
  // Every left-out block is in the stitched page, in order.
  size_t last = 0;
  for (const Json& block_id : unknown) {
    auto part = raw_get("/v1/pages/" + block_id.get<std::string>() + "/markdown");
    ASSERT_TRUE(part.ok()) << part.error().message;
    std::string content = (*part)["markdown"];
    while (!content.empty() && content.back() == '\n') content.pop_back();
    size_t at = markdown.find(content, last);
    ASSERT_NE(at, std::string::npos) << "missing block " << block_id;
    last = at + content.size();
  }
  EXPECT_NE(markdown.find("Older notes were moved to the 2024 archive."), std::string::npos);
  // One progress notification per extra request.
  EXPECT_GE(progress_.size(), 1u);
  for (size_t i = 0; i < progress_.size(); ++i) {
    EXPECT_EQ(progress_[i].progress, static_cast<double>(i + 1));
    EXPECT_GE(progress_[i].total, progress_[i].progress);
  }
}

TEST_F(ToolsGetPage, ReadsALongPageWindowByWindow) {
  std::string id = id_of("Meeting notes archive");
  ToolResult whole = call("get_page", {{"page_id", id}, {"max_chars", 100000}});
  ASSERT_FALSE(whole.is_error) << whole.text;
  std::string expected = whole.structured["markdown"];

  std::string joined;
  Json args = {{"page_id", id}, {"max_chars", 1000}};
  int calls = 0;
  for (; calls < 200; ++calls) {
    ToolResult r = call("get_page", args);
    ASSERT_FALSE(r.is_error) << r.text;
    std::string part = r.structured["markdown"];
    EXPECT_LE(part.size(), 1000u);
    joined += part;
    if (!r.structured.contains("next_offset")) {
      EXPECT_EQ(r.text.find("next_offset"), std::string::npos);
      break;
    }
    size_t next = r.structured["next_offset"];
    EXPECT_NE(r.text.find("next_offset: " + std::to_string(next)), std::string::npos);
    EXPECT_GT(next, args.value("offset", size_t{0}));
    args["offset"] = next;
  }
  EXPECT_GT(calls, 3);
  EXPECT_EQ(joined, expected);
}

TEST_F(ToolsGetPage, OffsetPastTheEndIsAnError) {
  std::string id = id_of("Security policy");
  ToolResult r = call("get_page", {{"page_id", id}, {"offset", 10000000}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("past the end"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("next_offset"), std::string::npos) << r.text;
}

TEST_F(ToolsGetPage, CancelledCallIsAnError) {
  std::string id = id_of("Security policy");
  cancel_.cancel();
  ToolResult r = call("get_page", {{"page_id", id}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "cancelled") << r.text;
}

}  // namespace
}  // namespace notion_mcp::tools::testing
