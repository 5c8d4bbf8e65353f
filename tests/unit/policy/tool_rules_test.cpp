#include "policy/tool_rules.h"

#include <gtest/gtest.h>

#include "policy/call_kind.h"
#include "policy/guard.h"
#include "policy_test_support.h"

namespace notion_mcp::policy {
namespace {

using testing::make_tool;

TEST(PolicyGlob, MatchesStarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("get_*", "get_page"));
  EXPECT_TRUE(glob_match("get_*", "get_"));
  EXPECT_FALSE(glob_match("get_*", "search"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("*_page", "trash_page"));
  EXPECT_FALSE(glob_match("*_page", "trash_pages"));
  EXPECT_TRUE(glob_match("*a*e*", "update_page"));
  EXPECT_TRUE(glob_match("get_?ser", "get_user"));
  EXPECT_FALSE(glob_match("get_?ser", "get_uuser"));
  EXPECT_TRUE(glob_match("trash_page", "trash_page"));
  EXPECT_FALSE(glob_match("trash_page", "trash_page_now"));
  EXPECT_FALSE(glob_match("", "x"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_TRUE(glob_match("**", ""));
  // A pattern with many stars against a long name stays fast (no exponential backtracking).
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

TEST(PolicyGlob, PatternsAreToolNamesOnly) {
  EXPECT_TRUE(validate_pattern("get_*").ok());
  EXPECT_TRUE(validate_pattern("trash_page").ok());
  EXPECT_FALSE(validate_pattern("").ok());
  EXPECT_FALSE(validate_pattern("get page").ok());
  EXPECT_FALSE(validate_pattern("../etc").ok());
  auto bad = validate_pattern("[abc]");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'get_*'"), std::string::npos);
}

class PolicyToolRulesTest : public ::testing::Test {
 protected:
  tools::Tool read_ = make_tool("get_page", true, false);
  tools::Tool write_ = make_tool("create_page", false, false);
  tools::Tool comment_ = make_tool("create_comment", false, false);
  tools::Tool destroy_ = make_tool("trash_page", false, true);

  static ToolRules rules(Profile profile, std::vector<std::string> allow = {},
                         std::vector<std::string> deny = {}) {
    Settings settings;
    settings.profile = profile;
    settings.allow = std::move(allow);
    settings.deny = std::move(deny);
    return ToolRules(settings);
  }
};

TEST_F(PolicyToolRulesTest, ProfilesSeparateReadWriteAndDestroy) {
  ToolRules read = rules(Profile::read);
  EXPECT_TRUE(read.decide(read_).allowed);
  EXPECT_FALSE(read.decide(write_).allowed);
  EXPECT_FALSE(read.decide(destroy_).allowed);

  ToolRules write = rules(Profile::write);
  EXPECT_TRUE(write.decide(read_).allowed);
  EXPECT_TRUE(write.decide(write_).allowed);
  EXPECT_FALSE(write.decide(destroy_).allowed);

  ToolRules full = rules(Profile::full);
  EXPECT_TRUE(full.decide(read_).allowed);
  EXPECT_TRUE(full.decide(write_).allowed);
  EXPECT_TRUE(full.decide(destroy_).allowed);

  EXPECT_EQ(ToolRules().profile(), Profile::write);  // the default
}

TEST_F(PolicyToolRulesTest, RefusalsNameTheRuleAndHowToAllow) {
  ToolDecision destructive = rules(Profile::write).decide(destroy_);
  EXPECT_EQ(destructive.rule, "profile");
  EXPECT_NE(destructive.reason.find("--profile write"), std::string::npos) << destructive.reason;
  EXPECT_NE(destructive.reason.find("--profile full"), std::string::npos);
  EXPECT_NE(destructive.reason.find("--allow trash_page"), std::string::npos);

  ToolDecision write = rules(Profile::read).decide(write_);
  EXPECT_NE(write.reason.find("--profile read"), std::string::npos) << write.reason;
  EXPECT_NE(write.reason.find("--profile write"), std::string::npos);

  ToolDecision denied = rules(Profile::full, {}, {"trash_*"}).decide(destroy_);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.rule, "deny");
  EXPECT_NE(denied.reason.find("--deny 'trash_*'"), std::string::npos) << denied.reason;
  EXPECT_NE(denied.reason.find("remove that pattern"), std::string::npos);
}

TEST_F(PolicyToolRulesTest, AllowAddsToTheProfileAndDenyWins) {
  ToolRules commenter = rules(Profile::read, {"create_comment"});
  EXPECT_TRUE(commenter.decide(comment_).allowed);
  EXPECT_FALSE(commenter.decide(write_).allowed);
  EXPECT_TRUE(commenter.decide(read_).allowed);

  ToolRules one_destructive = rules(Profile::write, {"trash_*"});
  EXPECT_TRUE(one_destructive.decide(destroy_).allowed);

  // Deny wins over the profile and over --allow.
  ToolRules both = rules(Profile::full, {"trash_page"}, {"trash_page"});
  EXPECT_FALSE(both.decide(destroy_).allowed);
  ToolRules no_gets = rules(Profile::full, {}, {"get_*"});
  EXPECT_FALSE(no_gets.decide(read_).allowed);
  EXPECT_TRUE(no_gets.decide(write_).allowed);
}

TEST_F(PolicyToolRulesTest, EveryCatalogToolGetsADecisionAndUnusedPatternsAreReported) {
  std::vector<tools::Tool> catalog = tools::all_tools();
  ToolRules read = rules(Profile::read);
  for (const auto& tool : catalog) {
    ToolDecision decision = read.decide(tool);
    EXPECT_EQ(decision.allowed, tool.annotations.read_only) << tool.name;
    if (!decision.allowed) {
      EXPECT_FALSE(decision.reason.empty()) << tool.name;
    }
  }
  ToolRules typo = rules(Profile::write, {"get_*"}, {"trash_pages", "search"});
  auto unused = typo.unused_patterns(catalog);
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0], "trash_pages");
}

// --allow widens the profile and never narrows it: `--allow 'get_*'` under the default profile
// offers every write tool still, and the start-up warning says so and how to narrow instead.
TEST_F(PolicyToolRulesTest, AnAllowThatAddsNothingIsReportedWithTheWayToNarrow) {
  std::vector<tools::Tool> catalog = tools::all_tools();
  ToolRules gets = rules(Profile::write, {"get_*", "trash_page", "list_*"});
  EXPECT_TRUE(gets.decide(write_).allowed);  // still offered: allow does not narrow
  EXPECT_EQ(gets.redundant_allows(catalog), (std::vector<std::string>{"get_*", "list_*"}));
  EXPECT_TRUE(rules(Profile::read, {"get_*"}).redundant_allows(catalog).size() == 1u);
  EXPECT_TRUE(rules(Profile::read, {"create_*"}).redundant_allows(catalog).empty());
  EXPECT_TRUE(rules(Profile::write, {"no_such_*"}).redundant_allows(catalog).empty());  // unused
  std::string message = redundant_allow_message("get_*", Profile::write);
  EXPECT_NE(message.find("--allow 'get_*' adds nothing"), std::string::npos) << message;
  EXPECT_NE(message.find("--profile write"), std::string::npos) << message;
  EXPECT_NE(message.find("--deny"), std::string::npos) << message;
}

// A write tool's destructive call needs a profile with destructive tools.
TEST_F(PolicyToolRulesTest, DestructiveCallsOfWriteToolsNeedTheFullProfile) {
  tools::Tool edit = make_tool("edit_page_content", false, false);
  tools::Tool schema = make_tool("update_data_source", false, false);
  util::Json deleting = {{"page_id", "x"}, {"replace", ""}, {"allow_deleting_content", true}};
  util::Json dropping = {{"properties", {{"Keep", "select"}, {"Old", nullptr}}}};
  EXPECT_EQ(kind_of_call(edit, deleting).kind, ToolKind::destructive);
  EXPECT_EQ(kind_of_call(edit, {{"replace", ""}}).kind, ToolKind::write);
  EXPECT_EQ(kind_of_call(edit, {{"allow_deleting_content", false}}).kind, ToolKind::write);
  EXPECT_EQ(kind_of_call(schema, dropping).kind, ToolKind::destructive);
  EXPECT_NE(kind_of_call(schema, dropping).destroys.find("\"Old\""), std::string::npos);
  EXPECT_EQ(kind_of_call(schema, {{"properties", {{"New", "select"}}}}).kind, ToolKind::write);
  EXPECT_EQ(kind_of_call(read_, deleting).kind, ToolKind::read);

  for (Profile profile : {Profile::read, Profile::write}) {
    ToolRules rules_for(rules(profile, {"edit_page_content", "update_data_source"}));
    ToolDecision refused = rules_for.decide(edit, kind_of_call(edit, deleting));
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.rule, "profile");
    EXPECT_NE(refused.reason.find("allows deleting content"), std::string::npos) << refused.reason;
    EXPECT_NE(refused.reason.find("--profile full"), std::string::npos) << refused.reason;
    EXPECT_FALSE(rules_for.decide(schema, kind_of_call(schema, dropping)).allowed);
    EXPECT_TRUE(rules_for.decide(edit, kind_of_call(edit, {{"replace", "x"}})).allowed);
  }
  ToolRules full = rules(Profile::full);
  EXPECT_TRUE(full.decide(edit, kind_of_call(edit, deleting)).allowed);
  // Deny still wins.
  EXPECT_FALSE(rules(Profile::full, {}, {"edit_*"}).decide(edit, kind_of_call(edit, {})).allowed);
  // A destructive tool is decided by its own rule, as before.
  EXPECT_TRUE(
      rules(Profile::write, {"trash_page"}).decide(destroy_, kind_of_call(destroy_, {})).allowed);
}

TEST(PolicyGuard, CreateRejectsBadPatternsAndScopes) {
  Settings settings;
  settings.deny = {"get page"};
  EXPECT_FALSE(Guard::create(settings).ok());
  settings.deny.clear();
  settings.scope = {"not-a-page"};
  auto bad_scope = Guard::create(settings);
  ASSERT_FALSE(bad_scope.ok());
  EXPECT_NE(bad_scope.error().message.find("not-a-page"), std::string::npos);
  settings.scope = {"https://www.notion.so/Acme-Handbook-1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c"};
  auto good = Guard::create(settings);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->scope().is_root(testing::kHandbook));
}

TEST(PolicySettings, NamesRoundTrip) {
  for (Profile p : {Profile::read, Profile::write, Profile::full}) {
    EXPECT_EQ(parse_profile(profile_name(p)), p);
  }
  for (ConfirmLevel c : {ConfirmLevel::none, ConfirmLevel::destructive, ConfirmLevel::writes}) {
    EXPECT_EQ(parse_confirm(confirm_name(c)), c);
  }
  EXPECT_FALSE(parse_profile("admin"));
  EXPECT_FALSE(parse_confirm("always"));
}

}  // namespace
}  // namespace notion_mcp::policy
