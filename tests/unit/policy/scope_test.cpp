#include "policy/scope.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "demo/seed.h"
#include "policy/guard.h"
#include "policy/scope_arguments.h"
#include "policy_test_support.h"

namespace notion_mcp::policy {
namespace {

using namespace testing;

class PolicyScopeTest : public ::testing::Test {
 protected:
  Scope scope(std::vector<std::string> roots) {
    auto parsed = Scope::parse(roots);
    EXPECT_TRUE(parsed.ok());
    return parsed.ok() ? std::move(parsed).value() : Scope();
  }

  Scope::Verdict check(const Scope& s, ObjectKind kind, std::string id) {
    Scope::Verdict out;
    out.why = "(did not finish)";
    auto body = [&]() -> util::Task<void> {
      auto c = s.check(ObjectRef{kind, std::move(id)}, index_, demo_.client, {});
      out = co_await c;
    };
    EXPECT_TRUE(util::run_to_completion(demo_.loop, body()));
    return out;
  }

  DemoNotion demo_;
  ObjectIndex index_;
};

TEST_F(PolicyScopeTest, AnInactiveScopeAdmitsEverythingWithoutRequests) {
  Scope everything;
  EXPECT_FALSE(everything.active());
  EXPECT_TRUE(check(everything, ObjectKind::page, kRoadmap).inside);
  EXPECT_EQ(demo_.requests(), 0);
}

TEST_F(PolicyScopeTest, PagesBelowARootAreInsideThroughTheParentChain) {
  Scope handbook = scope({kHandbook});
  EXPECT_TRUE(check(handbook, ObjectKind::page, kHandbook).inside);  // the root itself
  EXPECT_TRUE(check(handbook, ObjectKind::page, kEngineeringPractices).inside);
  EXPECT_TRUE(check(handbook, ObjectKind::page, kOnCallRunbook).inside);  // a grandchild
  Scope::Verdict roadmap = check(handbook, ObjectKind::page, kRoadmap);
  EXPECT_FALSE(roadmap.inside);
  EXPECT_FALSE(roadmap.failed);
  // The refusal names the object by id only (its title would reveal what lies outside) and
  // the scope.
  EXPECT_NE(roadmap.why.find(kRoadmap), std::string::npos) << roadmap.why;
  EXPECT_EQ(roadmap.why.find("Roadmap 2026"), std::string::npos) << roadmap.why;
  EXPECT_NE(roadmap.why.find(kHandbook), std::string::npos) << roadmap.why;
  EXPECT_NE(roadmap.why.find("--scope"), std::string::npos);
  // A top-level page outside: its parent is the workspace.
  EXPECT_FALSE(check(handbook, ObjectKind::page, kProductEngineering).inside);
}

TEST_F(PolicyScopeTest, ParentsAreCachedSoRepeatedChecksCostNothing) {
  Scope handbook = scope({kHandbook});
  EXPECT_TRUE(check(handbook, ObjectKind::page, kOnCallRunbook).inside);
  int after_first = demo_.requests();
  EXPECT_GE(after_first, 2);  // the runbook and its parent page
  EXPECT_TRUE(check(handbook, ObjectKind::page, kOnCallRunbook).inside);
  EXPECT_TRUE(check(handbook, ObjectKind::page, kEngineeringPractices).inside);
  EXPECT_EQ(demo_.requests(), after_first);
}

TEST_F(PolicyScopeTest, StaleEntriesAreFetchedAgain) {
  ObjectIndex short_lived(16, std::chrono::seconds(0));
  Scope handbook = scope({kHandbook});
  auto run = [&]() {
    Scope::Verdict out;
    auto body = [&]() -> util::Task<void> {
      auto c = handbook.check(ObjectRef{ObjectKind::page, kEngineeringPractices}, short_lived,
                              demo_.client, {});
      out = co_await c;
    };
    EXPECT_TRUE(util::run_to_completion(demo_.loop, body()));
    return out;
  };
  EXPECT_TRUE(run().inside);
  int first = demo_.requests();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_TRUE(run().inside);
  EXPECT_GT(demo_.requests(), first);
}

TEST_F(PolicyScopeTest, DatabasesDataSourcesAndRows) {
  // A database as the root: its data source and rows are inside.
  Scope projects = scope({kProjectsDatabase});
  EXPECT_TRUE(check(projects, ObjectKind::data_source, kProjectsDataSource).inside);
  EXPECT_TRUE(check(projects, ObjectKind::page, kWebsiteRedesign).inside);
  EXPECT_FALSE(check(projects, ObjectKind::data_source, kTasksDataSource).inside);
  // A data source id given where a database was expected is still found (kind fallback).
  EXPECT_TRUE(check(projects, ObjectKind::database, kProjectsDataSource).inside);
  // A page above the database makes all of it inside; a database id passed as a page too.
  Scope everything_under_pe = scope({kProductEngineering});
  Scope::Verdict row = check(everything_under_pe, ObjectKind::page, kWebsiteRedesign);
  EXPECT_EQ(row.inside, check(everything_under_pe, ObjectKind::page, kProjectsDatabase).inside);
}

TEST_F(PolicyScopeTest, UnknownIdsFailClosedWithNotionsReason) {
  Scope handbook = scope({kHandbook});
  Scope::Verdict missing =
      check(handbook, ObjectKind::page, "00000000-0000-4000-8000-000000000000");
  EXPECT_FALSE(missing.inside);
  EXPECT_TRUE(missing.failed);
  EXPECT_NE(missing.why.find("Could not check"), std::string::npos) << missing.why;
}

TEST_F(PolicyScopeTest, RootsAcceptUrlsAndDeduplicate) {
  auto parsed =
      Scope::parse({"https://www.notion.so/Acme-Handbook-1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c",
                    "1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c"});
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->roots().size(), 1u);
  EXPECT_EQ(parsed->roots()[0], kHandbook);
  EXPECT_FALSE(Scope::parse({"https://example.com/"}).ok());
}

TEST(PolicyObjectIndex, LearnsParentsTitlesAndRowLinks) {
  ObjectIndex index(3);
  auto now = ObjectIndex::Clock::now();
  util::Json row = {
      {"object", "page"},
      {"id", "D4F6A8C03E5A4C9B8F4D6B8D0F2A4C7E"},
      {"parent",
       {{"type", "data_source_id"},
        {"data_source_id", kProjectsDataSource},
        {"database_id", kProjectsDatabase}}},
      {"properties", {{"Name", {{"type", "title"}, {"title", {{{"plain_text", "Website"}}}}}}}}};
  index.observe({{"object", "list"}, {"results", {row}}}, now);
  const auto* entry = index.fresh(kWebsiteRedesign, now);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->parent.kind, ObjectKind::data_source);
  EXPECT_EQ(index.title(kWebsiteRedesign), "Website");
  const auto* data_source = index.fresh(kProjectsDataSource, now);
  ASSERT_NE(data_source, nullptr);
  EXPECT_EQ(data_source->parent.id, kProjectsDatabase);
  // Bounded: past capacity it starts over rather than grow.
  for (int i = 0; i < 10; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "%08d-0000-4000-8000-000000000000", i);
    index.learn({{"object", "page"}, {"id", id}, {"parent", {{"type", "workspace"}}}}, now);
  }
  EXPECT_LE(index.size(), 3u);
  EXPECT_EQ(parent_ref({{"type", "team_id"}, {"team_id", "x"}}).kind, ObjectKind::unknown);
  EXPECT_EQ(normalize_id("1F3A5C7E9B2D4E6F8A0C2D4E6F8A0B1C"), kHandbook);
  EXPECT_EQ(normalize_id("not an id"), "");
}

TEST(PolicyScopeArguments, FindsIdArgumentsByNameIncludingParents) {
  auto targets = scope_targets(
      {{"page_id", "https://www.notion.so/Acme-Handbook-1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c"},
       {"parent", {{"type", "page_id"}, {"page_id", kRoadmap}}},
       {"new_parent_id", kProductEngineering},
       {"title", kEngineeringPractices},  // not an id argument, even if it looks like one
       {"markdown", "# hi"}});
  ASSERT_TRUE(targets.ok());
  ASSERT_EQ(targets->size(), 3u);
  std::map<std::string, ObjectRef> by_arg;
  for (const auto& t : *targets) by_arg[t.argument] = t.ref;
  EXPECT_EQ(by_arg["page_id"].id, kHandbook);
  EXPECT_EQ(by_arg["page_id"].kind, ObjectKind::page);
  EXPECT_EQ(by_arg["parent.page_id"].id, kRoadmap);
  EXPECT_EQ(by_arg["new_parent_id"].kind, ObjectKind::unknown);

  auto bad = scope_targets({{"block_id", "nonsense"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("block_id"), std::string::npos);
}

TEST(PolicyScopeArguments, TheRuleTableAndTheCatalogAgree) {
  EXPECT_FALSE(scope_rule("get_self").check_arguments);
  EXPECT_FALSE(scope_rule("list_users").check_arguments);
  EXPECT_TRUE(scope_rule("search").filter_results);
  EXPECT_FALSE(scope_rule("search").check_arguments);
  EXPECT_TRUE(scope_rule("query_data_source").filter_results);
  EXPECT_TRUE(scope_rule("query_data_source").check_arguments);
  EXPECT_TRUE(scope_rule("upload_file").targets_optional);
  EXPECT_TRUE(scope_rule("some_new_tool").check_arguments);  // unknown tools are checked
  EXPECT_FALSE(scope_rule("some_new_tool").targets_optional);
  // Every catalog tool whose arguments are checked has an id argument the table knows: a new
  // tool with an unknown argument name would otherwise be refused under every --scope.
  for (const auto& tool : tools::all_tools()) {
    ScopeRule rule = scope_rule(tool.name);
    if (!rule.check_arguments || rule.targets_optional) continue;
    EXPECT_TRUE(names_scope_argument(tool.input_schema)) << tool.name;
  }
}

// The guard applies the table: writes inside pass, a move out of the scope is refused.
class PolicyGuardScopeTest : public PolicyScopeTest {
 protected:
  PolicyGuardScopeTest() {
    Settings settings;
    settings.scope = {kHandbook};
    auto created = Guard::create(settings);
    if (created.ok()) guard_ = std::move(created).value();
  }
  std::optional<util::Error> check_call(const tools::Tool& tool, util::Json args) {
    std::optional<util::Error> out = util::make_error("unfinished", "did not finish");
    auto body = [&]() -> util::Task<void> {
      auto c = guard_.check_scope(tool, args, demo_.client, {});
      out = co_await c;
    };
    EXPECT_TRUE(util::run_to_completion(demo_.loop, body()));
    return out;
  }
  Guard guard_;
};

TEST_F(PolicyGuardScopeTest, WritesInsidePassAndMovesOutAreRefused) {
  tools::Tool move = make_tool("move_page", false, false,
                               R"({"type":"object","properties":{"page_id":{"type":"string"},)"
                               R"("new_parent_id":{"type":"string"}}})");
  EXPECT_FALSE(check_call(move, {{"page_id", kOnCallRunbook}, {"new_parent_id", kHandbook}}));
  auto out = check_call(move, {{"page_id", kOnCallRunbook}, {"new_parent_id", kRoadmap}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->code, "outside_scope");
  EXPECT_NE(out->message.find("new_parent_id"), std::string::npos) << out->message;
  // Moving something from outside in is refused too.
  EXPECT_TRUE(check_call(move, {{"page_id", kRoadmap}, {"new_parent_id", kHandbook}}));

  tools::Tool create = make_tool("create_page", false, false);
  EXPECT_FALSE(check_call(create, {{"parent", {{"page_id", kEngineeringPractices}}}}));
  auto nowhere = check_call(create, {{"title", "x"}});  // names no page: refused under a scope
  ASSERT_TRUE(nowhere);
  EXPECT_NE(nowhere->message.find("names no page"), std::string::npos) << nowhere->message;

  tools::Tool users = make_tool("list_users", true, false);
  EXPECT_FALSE(check_call(users, util::Json::object()));
}

// The id of the first block on `page` (blocks have generated ids in the seed).
std::string first_block_of(DemoNotion& demo, const std::string& page) {
  std::string id;
  auto body = [&]() -> util::Task<void> {
    auto call = demo.client.get("/v1/blocks/" + page + "/children", {});
    auto answer = co_await call;
    if (answer.ok() && !(*answer)["results"].empty()) id = (*answer)["results"][0]["id"];
  };
  EXPECT_TRUE(util::run_to_completion(demo.loop, body()));
  EXPECT_FALSE(id.empty());
  return id;
}

std::string undashed(std::string id) {
  std::erase(id, '-');
  return id;
}

// A URL carries up to three ids (its path's, a side peek's ?p= page, a #block) and tools pick
// among them by context: each must be inside, whatever the argument's kind.
TEST_F(PolicyGuardScopeTest, EveryIdAUrlCarriesIsChecked) {
  tools::Tool create =
      make_tool("create_page", false, false,
                R"({"type":"object","properties":{"parent_id":{"type":"string"}}})");
  const std::string meetings(demo::seed_ids::kMeetingNotesPage);
  // The path names the handbook (inside), the side peek a page outside: create_page would
  // create the page under the peeked page.
  auto peek = check_call(create, {{"parent_id", "https://www.notion.so/" + undashed(kHandbook) +
                                                    "?v=1&p=" + undashed(meetings)}});
  ASSERT_TRUE(peek);
  EXPECT_EQ(peek->code, "outside_scope");
  EXPECT_NE(peek->message.find(meetings), std::string::npos) << peek->message;
  EXPECT_NE(peek->message.find("?p="), std::string::npos) << peek->message;

  tools::Tool move = make_tool("move_page", false, false,
                               R"({"type":"object","properties":{"page_id":{"type":"string"},)"
                               R"("new_parent_id":{"type":"string"}}})");
  EXPECT_TRUE(check_call(move, {{"page_id", kOnCallRunbook},
                                {"new_parent_id", "https://www.notion.so/x-" + undashed(kHandbook) +
                                                      "?p=" + undashed(meetings)}}));

  // A comment on the handbook's URL whose #fragment is a block of a page outside.
  tools::Tool comment =
      make_tool("create_comment", false, false,
                R"({"type":"object","properties":{"page_id":{"type":"string"}}})");
  std::string outside_block = first_block_of(demo_, kRoadmap);
  auto fragment =
      check_call(comment, {{"page_id", "https://www.notion.so/Acme-Handbook-" +
                                           undashed(kHandbook) + "#" + undashed(outside_block)}});
  ASSERT_TRUE(fragment);
  EXPECT_EQ(fragment->code, "outside_scope");
  EXPECT_NE(fragment->message.find(outside_block), std::string::npos) << fragment->message;

  // The same shapes with every id inside pass.
  std::string inside_block = first_block_of(demo_, kEngineeringPractices);
  EXPECT_FALSE(
      check_call(comment, {{"page_id", "https://www.notion.so/" + undashed(kEngineeringPractices) +
                                           "#" + undashed(inside_block)}}));
  EXPECT_FALSE(check_call(create, {{"parent_id", "https://www.notion.so/" + undashed(kHandbook) +
                                                     "?v=1&p=" + undashed(kOnCallRunbook)}}));
}

TEST_F(PolicyGuardScopeTest, SearchResultsOutsideTheScopeAreDropped) {
  tools::ToolResult result;
  result.structured = {{"results",
                        {{{"type", "page"}, {"id", kEngineeringPractices}},
                         {{"type", "page"}, {"id", kRoadmap}},
                         {{"type", "data_source"}, {"id", kProjectsDataSource}}}}};
  result.text = std::string("- page · Engineering practices · ") + kEngineeringPractices +
                "\n- page · Roadmap 2026 · " + kRoadmap + "\n- data_source · Projects · " +
                kProjectsDataSource + "\n";
  tools::Tool search = make_tool("search", true, false);
  auto body = [&]() -> util::Task<void> {
    auto f = guard_.filter_results(search, result, demo_.client, {});
    co_await f;
  };
  ASSERT_TRUE(util::run_to_completion(demo_.loop, body()));
  ASSERT_EQ(result.structured["results"].size(), 1u);
  EXPECT_EQ(result.structured["results"][0]["id"], kEngineeringPractices);
  EXPECT_EQ(result.text.find(kRoadmap), std::string::npos) << result.text;
  EXPECT_EQ(result.text.find(kProjectsDataSource), std::string::npos) << result.text;
  EXPECT_NE(result.text.find("2 results outside"), std::string::npos) << result.text;
}

}  // namespace
}  // namespace notion_mcp::policy
