// GET /v1/pages/{id}/markdown: Notion-flavored Markdown, truncation and continuation.
#include <gtest/gtest.h>

#include <functional>

#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

Answer markdown(Workspace& ws, std::string_view id) {
  return get(ws, "/v1/pages/" + std::string(id) + "/markdown");
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text + "\n").find("\n" + line + "\n") != std::string::npos;
}

TEST(DemoMarkdown, RendersBlockTypesInNotionFlavor) {
  auto ws = Workspace::seeded();
  const Answer a = markdown(*ws, seed_ids::kOnboardingPage);
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["object"], "page_markdown");
  EXPECT_EQ(a.body["id"], seed_ids::kOnboardingPage);
  EXPECT_EQ(a.body["truncated"], false);
  EXPECT_EQ(a.body["unknown_block_ids"], Json::array());
  const std::string md = a.body["markdown"];
  EXPECT_TRUE(has_line(md, "## Before day one")) << md;
  EXPECT_TRUE(has_line(md, "- [x] Sign the contract and the NDA"));
  EXPECT_TRUE(has_line(md, "- [ ] Pick your laptop (MacBook Pro 14\" or ThinkPad X1 Carbon)"));
  EXPECT_TRUE(has_line(md, "1. Meet your onboarding buddy"));
  EXPECT_TRUE(has_line(md, "\t- Book a 30-minute coffee chat for *every* day of week one"));
  EXPECT_TRUE(has_line(md,
                       "2. Turn on two-factor authentication for Google Workspace, GitHub "
                       "and 1Password"));
  EXPECT_TRUE(has_line(md,
                       "<details>\n<summary>What if I get stuck?</summary>\n\tAsk in "
                       "**#help-onboarding**. No question is too small."));
  EXPECT_TRUE(has_line(md,
                       "\tFor access problems, open a ticket at "
                       "[it.acme.example](https://it.acme.example/new).\n</details>"));
  EXPECT_TRUE(has_line(md, "> The best onboarding is the one you improve for the next person."));
  EXPECT_NE(md.find("\n<page url=\"https://www.notion.so/First-week-checklist-"),
            std::string::npos);
  EXPECT_NE(md.find("\">First week checklist</page>"), std::string::npos);
  EXPECT_NE(md.find("Read the <mention-page url=\"https://www.notion.so/Security-policy-"
                    "4c6e8a0b2d3f4b5c9e7a9c1d3e5f7a8b\"/> and sign"),
            std::string::npos);

  const std::string eng = markdown(*ws, seed_ids::kEngineeringPracticesPage).body["markdown"];
  EXPECT_TRUE(has_line(eng, "```bash\ngit switch -c feature/short-name"));
  EXPECT_TRUE(has_line(eng, "We use trunk-based development. `main` is always deployable."));
  EXPECT_TRUE(has_line(eng, "<table_of_contents/>"));
  EXPECT_TRUE(has_line(eng, "$$"));
  EXPECT_TRUE(has_line(eng,
                       "<callout icon=\"⚠️\" color=\"yellow_bg\">\n\tNever deploy on Friday "
                       "afternoons unless you are on call.\n</callout>"));
  EXPECT_NE(eng.find("$\\geq 80\\%$"), std::string::npos);

  const std::string security = markdown(*ws, seed_ids::kSecurityPolicyPage).body["markdown"];
  EXPECT_TRUE(has_line(security, "<table header-row=\"true\">\n\t<tr>\n\t\t<td>Class</td>"));
  EXPECT_NE(security.find("~~sticky notes~~"), std::string::npos);

  const std::string hub = markdown(*ws, seed_ids::kProductEngineeringPage).body["markdown"];
  EXPECT_TRUE(has_line(hub,
                       "<database url=\"https://www.notion.so/"
                       "6a8c0e2f4b6d4f8a8c0e2a4b6d8f0a1b\">Projects</database>"));
}

TEST(DemoMarkdown, OnlyTheArchiveIsTruncatedByDefault) {
  auto ws = Workspace::seeded();
  const Json pages =
      post(*ws, "/v1/search", {{"filter", {{"property", "object"}, {"value", "page"}}}}).body;
  int truncated = 0;
  for (const Json& page : pages["results"]) {
    const Answer a = markdown(*ws, page["id"].get<std::string>());
    ASSERT_EQ(a.status, 200);
    if (a.body["truncated"].get<bool>()) {
      ++truncated;
      EXPECT_EQ(page["id"], seed_ids::kMeetingNotesPage);
    }
  }
  EXPECT_EQ(truncated, 1);
}

TEST(DemoMarkdown, ContinuationRebuildsTheLongPage) {
  auto ws = Workspace::seeded();
  const Answer first = markdown(*ws, seed_ids::kMeetingNotesPage);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body["truncated"], true);
  const Json& unknown = first.body["unknown_block_ids"];
  ASSERT_GT(unknown.size(), 3u);
  std::string rebuilt = first.body["markdown"];
  for (const Json& id : unknown) {
    const Answer part = markdown(*ws, id.get<std::string>());
    ASSERT_EQ(part.status, 200) << part.raw.body;
    EXPECT_EQ(part.body["id"], id);
    EXPECT_EQ(part.body["truncated"], false);
    rebuilt += '\n';
    rebuilt += part.body["markdown"].get<std::string>();
  }
  // The same page rendered in one go, with a limit it fits in.
  auto unlimited = Workspace::seeded(WorkspaceOptions{100000, {}});
  const Answer whole = markdown(*unlimited, seed_ids::kMeetingNotesPage);
  EXPECT_EQ(whole.body["truncated"], false);
  EXPECT_EQ(rebuilt, whole.body["markdown"].get<std::string>());
  EXPECT_TRUE(has_line(rebuilt, "<summary>Weekly sync — 2026-05-04</summary>"));  // the last one
}

// Drops indentation and list numbers, which depend on where a piece was cut.
std::string normalized_line(std::string line) {
  line.erase(0, line.find_first_not_of('\t'));
  const size_t dot = line.find(". ");
  if (dot != std::string::npos && dot > 0 && line.find_first_not_of("0123456789") == dot) {
    line = "#. " + line.substr(dot + 2);
  }
  return line;
}

std::string normalized(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += normalized_line(text.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return out;
}

TEST(DemoMarkdown, TinyLimitsStillMakeProgressAndLoseNoText) {
  auto ws = Workspace::seeded(WorkspaceOptions{3, {}});
  auto full = Workspace::seeded(WorkspaceOptions{100000, {}});
  const std::string expected =
      normalized(markdown(*full, seed_ids::kOnboardingPage).body["markdown"]);
  std::string collected;
  int calls = 0;
  std::function<void(const std::string&)> fetch = [&](const std::string& id) {
    ASSERT_LT(++calls, 200);
    const Answer a = markdown(*ws, id);
    ASSERT_EQ(a.status, 200);
    collected += normalized(a.body["markdown"]);
    for (const Json& next : a.body["unknown_block_ids"]) {
      // A child page id would fetch that page's own content: a caller that rebuilds the page
      // renders it as a reference instead (GET /v1/blocks/{id} says it is a child_page).
      const Answer block = get(*ws, "/v1/blocks/" + next.get<std::string>());
      if (block.body["type"] == "child_page") {
        collected += "<page ref=\"" + next.get<std::string>() + "\"/>\n";
        continue;
      }
      fetch(next.get<std::string>());
    }
  };
  fetch(std::string(seed_ids::kOnboardingPage));
  EXPECT_GT(calls, 5);
  size_t start = 0;
  while (start < expected.size()) {
    const size_t end = expected.find('\n', start);
    const std::string line = expected.substr(start, end - start);
    start = end + 1;
    if (line.rfind("<page url=", 0) == 0) continue;  // rendered as a reference above
    EXPECT_NE(collected.find(line), std::string::npos) << line << "\n---\n" << collected;
  }
}

TEST(DemoMarkdown, ABlockIdRendersThatBlock) {
  auto ws = Workspace::seeded();
  const Json children =
      get(*ws, "/v1/blocks/" + std::string(seed_ids::kOnboardingPage) + "/children").body;
  std::string toggle;
  for (const Json& b : children["results"]) {
    if (b["type"] == "toggle") toggle = b["id"];
  }
  const Answer a = markdown(*ws, toggle);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(
      a.body["markdown"].get<std::string>().rfind("<details>\n<summary>What if I get stuck?", 0),
      0u);
}

TEST(DemoMarkdown, UnknownIdsAreNotFound) {
  auto ws = Workspace::seeded();
  expect_error(markdown(*ws, "00000000-0000-4000-8000-000000000000"), 404, "object_not_found");
  expect_error(markdown(*ws, seed_ids::kProjectsDatabase), 404, "object_not_found");
  expect_error(markdown(*ws, "abc"), 400, "validation_error");
}

}  // namespace
}  // namespace notion_mcp::demo
