// PATCH /v1/pages/{id}/markdown and the Markdown parser behind it.
#include <gtest/gtest.h>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

Answer markdown(Workspace& ws, std::string_view id) {
  return get(ws, "/v1/pages/" + std::string(id) + "/markdown");
}

Answer edit(Workspace& ws, std::string_view id, const Json& body) {
  return patch(ws, "/v1/pages/" + std::string(id) + "/markdown", body);
}

Json replace(const std::string& text, bool allow_deleting = false) {
  return Json{{"type", "replace_content"},
              {"replace_content", {{"new_str", text}, {"allow_deleting_content", allow_deleting}}}};
}

Json update(const std::string& from, const std::string& to, bool all = false) {
  return Json{
      {"type", "update_content"},
      {"update_content",
       {{"content_updates",
         Json::array({{{"old_str", from}, {"new_str", to}, {"replace_all_matches", all}}})}}}};
}

TEST(DemoMarkdownWrites, EverySeededPageSurvivesARoundTrip) {
  auto ws = Workspace::seeded(WorkspaceOptions{100000, {}});
  const Json pages =
      post(*ws, "/v1/search", {{"filter", {{"property", "object"}, {"value", "page"}}}}).body;
  ASSERT_GT(pages["results"].size(), 40u);
  for (const Json& page : pages["results"]) {
    const std::string id = page["id"];
    const std::string before = markdown(*ws, id).body["markdown"];
    const Answer written = edit(*ws, id, replace(before));
    ASSERT_EQ(written.status, 200) << id << ": " << written.raw.body << "\n" << before;
    EXPECT_EQ(written.body["markdown"], before) << id;
    EXPECT_EQ(markdown(*ws, id).body["markdown"], before) << id;
  }
}

TEST(DemoMarkdownWrites, UpdateContentReplacesExactText) {
  auto ws = Workspace::seeded();
  const std::string page(seed_ids::kOnboardingPage);
  const Answer a = edit(*ws, page, update("Ship a small change", "Ship a **tiny** change"));
  ASSERT_EQ(a.status, 200) << a.raw.body;
  const std::string md = markdown(*ws, page).body["markdown"];
  EXPECT_NE(md.find("4. Ship a **tiny** change to production (yes, in week one)"),
            std::string::npos);
  // The block is a real numbered item with bold text now.
  const Json children = get(*ws, "/v1/blocks/" + page + "/children").body;
  bool found = false;
  for (const Json& b : children["results"]) {
    if (b["type"] != "numbered_list_item") continue;
    for (const Json& part : b["numbered_list_item"]["rich_text"]) {
      if (part["plain_text"] == "tiny") {
        found = true;
        EXPECT_EQ(part["annotations"]["bold"], true);
      }
    }
  }
  EXPECT_TRUE(found);
  // The child page is still there, with the same id.
  EXPECT_EQ(get(*ws, "/v1/pages/" + page).body["in_trash"], false);
  EXPECT_NE(md.find("First week checklist</page>"), std::string::npos);
}

TEST(DemoMarkdownWrites, UpdateContentNeedsAUniqueMatchUnlessAskedForAll) {
  auto ws = Workspace::seeded();
  const std::string page(seed_ids::kSecurityPolicyPage);
  const std::string many =
      expect_error(edit(*ws, page, update("- ", "* ")), 400, "validation_error");
  EXPECT_NE(many.find("matches"), std::string::npos);
  EXPECT_NE(many.find("replace_all_matches"), std::string::npos);
  const std::string none =
      expect_error(edit(*ws, page, update("no such text", "x")), 400, "validation_error");
  EXPECT_NE(none.find("not found"), std::string::npos);
  ASSERT_EQ(edit(*ws, page, update("Google Workspace", "Google Workspace and Slack", true)).status,
            200);
  EXPECT_NE(markdown(*ws, page).body["markdown"].get<std::string>().find("and Slack"),
            std::string::npos);
}

TEST(DemoMarkdownWrites, ReplaceContentProtectsChildPages) {
  auto ws = Workspace::seeded();
  const std::string page(seed_ids::kOnboardingPage);
  const std::string message = expect_error(edit(*ws, page, replace("# Fresh start\nNothing else.")),
                                           400, "validation_error");
  EXPECT_NE(message.find("First week checklist"), std::string::npos);
  EXPECT_NE(message.find("allow_deleting_content"), std::string::npos);
  // Unchanged after the refusal.
  EXPECT_NE(markdown(*ws, page).body["markdown"].get<std::string>().find("Before day one"),
            std::string::npos);

  const Answer ok = edit(*ws, page, replace("# Fresh start\nNothing else.", true));
  ASSERT_EQ(ok.status, 200) << ok.raw.body;
  EXPECT_EQ(ok.body["markdown"], "# Fresh start\nNothing else.");
  const Json children = get(*ws, "/v1/blocks/" + page + "/children").body;
  ASSERT_EQ(children["results"].size(), 2u);
  EXPECT_EQ(children["results"][0]["type"], "heading_1");
  // The dropped child page went to the trash and out of search.
  const Json search = post(*ws, "/v1/search", {{"query", "First week checklist"}}).body;
  EXPECT_TRUE(search["results"].empty());
}

TEST(DemoMarkdownWrites, ParsesEveryBlockKind) {
  auto ws = Workspace::seeded();
  const std::string page(seed_ids::kHandbookPage);
  const std::string text =
      "# Title {color=\"blue\"}\n"
      "## Section {toggle=\"true\"}\n"
      "\tHidden detail\n"
      "Plain *text* with [a link](https://x.example)\n"
      "- bullet\n"
      "\t- nested\n"
      "1. one\n"
      "2. two\n"
      "- [ ] open\n"
      "- [x] done\n"
      "> quoted\n"
      "<details>\n<summary>More</summary>\n\tinside\n</details>\n"
      "<callout icon=\"💡\" color=\"blue_bg\">\n\tTip text\n\t- tip bullet\n</callout>\n"
      "```python\nprint('hi')\n\tindented = True\n```\n"
      "$$\na^2 + b^2 = c^2\n$$\n"
      "---\n"
      "![A chart](https://img.example/chart.png)\n"
      "<table_of_contents/>\n"
      "<empty-block/>\n"
      "<table header-row=\"true\">\n\t<tr>\n\t\t<td>A</td>\n\t\t<td>B</td>\n\t</tr>\n\t<tr>\n"
      "\t\t<td>1</td>\n\t\t<td>2</td>\n\t</tr>\n</table>\n"
      "<columns>\n\t<column>\n\t\tLeft\n\t</column>\n\t<column>\n\t\tRight\n\t</column>\n"
      "</columns>";
  const Answer a = edit(*ws, page, replace(text, true));
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["markdown"], text);
  const Json children = get(*ws, "/v1/blocks/" + page + "/children").body;
  std::vector<std::string> types;
  for (const Json& b : children["results"]) types.push_back(b["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{
                       "heading_1", "heading_2", "paragraph", "bulleted_list_item",
                       "numbered_list_item", "numbered_list_item", "to_do", "to_do", "quote",
                       "toggle", "callout", "code", "equation", "divider", "image",
                       "table_of_contents", "paragraph", "table", "column_list"}));
  EXPECT_EQ(children["results"][0]["heading_1"]["color"], "blue");
  EXPECT_EQ(children["results"][1]["heading_2"]["is_toggleable"], true);
  EXPECT_EQ(children["results"][10]["callout"]["color"], "blue_background");
  EXPECT_EQ(children["results"][11]["code"]["language"], "python");
  EXPECT_EQ(children["results"][11]["code"]["rich_text"][0]["plain_text"],
            "print('hi')\n\tindented = True");
}

TEST(DemoMarkdownWrites, DeprecatedInsertAndRangeEdits) {
  auto ws = Workspace::seeded();
  const std::string page(seed_ids::kSecurityPolicyPage);
  ASSERT_EQ(
      edit(*ws, page,
           {{"type", "insert_content"},
            {"insert_content", {{"content", "Appended line."}, {"position", {{"type", "end"}}}}}})
          .status,
      200);
  std::string md = markdown(*ws, page).body["markdown"];
  EXPECT_EQ(md.substr(md.size() - 15), "\nAppended line.");
  ASSERT_EQ(edit(*ws, page,
                 {{"type", "replace_content_range"},
                  {"replace_content_range",
                   {{"content", "## Devices\n- Laptops only"},
                    {"content_range", "## Devices...release"}}}})
                .status,
            200);
  md = markdown(*ws, page).body["markdown"];
  EXPECT_NE(md.find("## Devices\n- Laptops only\n## Data classification"), std::string::npos);
}

TEST(DemoMarkdownWrites, Errors) {
  auto ws = Workspace::seeded();
  expect_error(
      edit(*ws, seed_ids::kOnboardingPage, {{"type", "rewrite"}, {"rewrite", Json::object()}}), 400,
      "validation_error");
  expect_error(edit(*ws, seed_ids::kOnboardingPage, Json::object()), 400, "validation_error");
  expect_error(edit(*ws, "00000000-0000-4000-8000-000000000000", replace("x")), 404,
               "object_not_found");
  expect_error(edit(*ws, seed_ids::kTrashedPage, replace("x")), 400, "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo
