#include "demo/markdown_inline.h"

#include <gtest/gtest.h>

#include "demo/mentions.h"
#include "demo/seed.h"
#include "demo/store.h"

namespace notion_mcp::demo {
namespace {

using util::Json;

TEST(DemoMarkdownInline, ParsesMarksIntoAnnotatedItems) {
  const Json rich =
      parse_inline("plain **bold** *italic* ~~gone~~ `code` [link](https://a.example)");
  ASSERT_TRUE(rich.is_array());
  std::vector<std::pair<std::string, std::string>> seen;  // text, what is set
  for (const Json& item : rich) {
    std::string marks;
    for (const char* key : {"bold", "italic", "strikethrough", "code"}) {
      if (item["annotations"][key].get<bool>()) marks += key;
    }
    if (!item["href"].is_null()) marks += "href=" + item["href"].get<std::string>();
    seen.emplace_back(item["plain_text"].get<std::string>(), marks);
  }
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"plain ", ""}, {"bold", "bold"},
      {" ", ""},      {"italic", "italic"},
      {" ", ""},      {"gone", "strikethrough"},
      {" ", ""},      {"code", "code"},
      {" ", ""},      {"link", "href=https://a.example"}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(rich[9]["text"]["link"]["url"], "https://a.example");
  EXPECT_EQ(rich[0]["type"], "text");
  EXPECT_EQ(rich[0]["annotations"]["color"], "default");
}

TEST(DemoMarkdownInline, LeavesUnmatchedMarkersAndSnakeCaseAlone) {
  EXPECT_EQ(parse_inline("5 * 3 = 15")[0]["plain_text"], "5 * 3 = 15");
  EXPECT_EQ(parse_inline("use snake_case_names")[0]["plain_text"], "use snake_case_names");
  EXPECT_EQ(parse_inline("_underscored_")[0]["annotations"]["italic"], true);
  EXPECT_EQ(parse_inline("a \\*star\\*")[0]["plain_text"], "a *star*");
  EXPECT_EQ(parse_inline("").size(), 0u);
}

TEST(DemoMarkdownInline, SpansLineBreaksAndEquations) {
  const Json rich = parse_inline(
      "<span color=\"red\">hot</span> and <span underline=\"true\">under</span> a<br>b $x^2$");
  EXPECT_EQ(rich[0]["annotations"]["color"], "red");
  EXPECT_EQ(rich[2]["annotations"]["underline"], true);
  EXPECT_EQ(rich[3]["plain_text"], " a\nb ");
  EXPECT_EQ(rich[4]["type"], "equation");
  EXPECT_EQ(rich[4]["equation"]["expression"], "x^2");
}

TEST(DemoMarkdownInline, RendersWhatItParses) {
  for (const char* text :
       {"plain **bold** and *italic* with `code`", "a [link](https://x.example/a) here",
        "~~old~~ <span underline=\"true\">new</span>", "<span color=\"blue_bg\">blue</span>",
        "math $e=mc^2$ inline", "line one<br>line two", "escaped \\* \\[ \\] \\< \\> \\$"}) {
    EXPECT_EQ(render_inline(parse_inline(text)), text);
  }
  // Overlapping marks may be spelled differently (spaces move outside markers), but the text
  // and the marks on the words survive.
  const Json nested = parse_inline("**bold *and italic***");
  EXPECT_EQ(nested[1]["annotations"]["italic"], true);
  EXPECT_EQ(nested[1]["annotations"]["bold"], true);
  const Json again = parse_inline(render_inline(nested));
  EXPECT_EQ(plain_text(again), "bold and italic");
  EXPECT_EQ(again.back()["plain_text"], "and italic");
  EXPECT_EQ(again.back()["annotations"]["italic"], true);
  EXPECT_EQ(again.back()["annotations"]["bold"], true);
}

TEST(DemoMarkdownInline, RenderKeepsSpacesOutsideMarkers) {
  Json rich = Json::array({text_item("bold ", Annotations{true}), text_item("rest")});
  EXPECT_EQ(render_inline(rich), "**bold** rest");
}

TEST(DemoMarkdownInline, ResolvesMentionsAgainstTheStore) {
  Store store;
  seed_workspace(store);
  const MentionResolver resolver = mention_resolver(store);
  const Json rich = parse_inline(
      "See <mention-page url=\"https://www.notion.so/Security-policy-"
      "4c6e8a0b2d3f4b5c9e7a9c1d3e5f7a8b\"/>, ask <mention-user url=\"user://" +
          std::string(seed_ids::kJonasUser) +
          "\"/> by <mention-date start=\"2026-04-01\"/>. <mention-page url=\"nope\"/>",
      resolver);
  ASSERT_GE(rich.size(), 6u);
  EXPECT_EQ(rich[1]["mention"]["type"], "page");
  EXPECT_EQ(rich[1]["mention"]["page"]["id"], seed_ids::kSecurityPolicyPage);
  EXPECT_EQ(rich[1]["plain_text"], "Security policy");
  EXPECT_EQ(rich[3]["mention"]["user"]["name"], "Jonas Weber");
  EXPECT_EQ(rich[5]["mention"]["date"]["start"], "2026-04-01");
  // An unknown page stays text.
  EXPECT_NE(rich.back()["plain_text"].get<std::string>().find("mention-page"), std::string::npos);
  // And the mentions render back to tags.
  const std::string rendered = render_inline(rich);
  EXPECT_NE(
      rendered.find("<mention-user url=\"user://" + std::string(seed_ids::kJonasUser) + "\"/>"),
      std::string::npos);
  EXPECT_NE(rendered.find("<mention-date start=\"2026-04-01\"/>"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::demo
