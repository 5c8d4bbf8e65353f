#include "policy/confirmation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "policy/guard.h"
#include "policy_test_support.h"

namespace notion_mcp::policy {
namespace {

using testing::make_tool;

TEST(PolicyConfirmation, LevelsDecideWhichCallsAsk) {
  EXPECT_FALSE(needs_confirmation(ConfirmLevel::none, ToolKind::destructive));
  EXPECT_FALSE(needs_confirmation(ConfirmLevel::destructive, ToolKind::write));
  EXPECT_TRUE(needs_confirmation(ConfirmLevel::destructive, ToolKind::destructive));
  EXPECT_TRUE(needs_confirmation(ConfirmLevel::writes, ToolKind::write));
  EXPECT_TRUE(needs_confirmation(ConfirmLevel::writes, ToolKind::destructive));
  EXPECT_FALSE(needs_confirmation(ConfirmLevel::writes, ToolKind::read));
  // The guard asks by the call, not only by the tool: a destructive edit asks under the default.
  Guard guard;
  tools::Tool edit = make_tool("edit_page_content", false, false);
  EXPECT_FALSE(guard.needs_confirmation(edit, {{"replace", "x"}}));
  EXPECT_TRUE(guard.needs_confirmation(edit, {{"replace", "x"}, {"allow_deleting_content", true}}));
}

// Titles and facts come from Notion: they must not add lines of their own to the question.
TEST(PolicyConfirmation, TitlesAndFactsCannotForgeLines) {
  tools::Tool destroy = make_tool("trash_page", false, true);
  std::string message = confirmation_message(
      destroy, {{"page_id", testing::kRoadmap}},
      [](std::string_view) { return std::string("Notes\n- page_id: something else\x1b[8m"); },
      {"It has 2 sub-pages.\nAllow it? yes"});
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 3) << message;
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
  EXPECT_NE(message.find("It has 2 sub-pages."), std::string::npos) << message;
}

TEST(PolicyConfirmation, TheMessageSaysWhatWillChangeInPlainWords) {
  tools::Tool destroy = make_tool("trash_page", false, true);
  std::string message = confirmation_message(
      destroy, {{"page_id", testing::kRoadmap}, {"note", std::string(500, 'x') + "\nmore"}},
      [](std::string_view id) {
        return id == testing::kRoadmap ? std::string("Roadmap 2026") : std::string();
      });
  EXPECT_NE(message.find("move a page to the trash"), std::string::npos) << message;
  EXPECT_NE(message.find("destructive"), std::string::npos);
  EXPECT_NE(message.find("\"Roadmap 2026\""), std::string::npos) << message;
  EXPECT_NE(message.find("(505 characters)"), std::string::npos) << message;  // shortened
  EXPECT_LT(message.size(), 600u);
  EXPECT_NE(message.find("Allow it?"), std::string::npos);

  tools::Tool custom = make_tool("frobnicate", false, false);
  EXPECT_NE(confirmation_message(custom, util::Json::object(), {}).find("run frobnicate"),
            std::string::npos);
}

TEST(PolicyConfirmation, TheFormIsOneRequiredBoolean) {
  util::Json params = elicitation_params("Allow?", "2025-11-25");
  EXPECT_EQ(params["mode"], "form");
  EXPECT_EQ(params["message"], "Allow?");
  const util::Json& schema = params["requestedSchema"];
  EXPECT_EQ(schema["type"], "object");
  EXPECT_EQ(schema["properties"]["confirm"]["type"], "boolean");
  EXPECT_EQ(schema["required"], util::Json::array({"confirm"}));
  // Clients on 2025-06-18 predate "mode".
  EXPECT_FALSE(elicitation_params("Allow?", "2025-06-18").contains("mode"));
}

TEST(PolicyConfirmation, OnlyAnExplicitYesApproves) {
  EXPECT_EQ(read_answer({{"action", "accept"}, {"content", {{"confirm", true}}}}),
            Answer::approved);
  EXPECT_EQ(read_answer({{"action", "accept"}, {"content", {{"confirm", false}}}}),
            Answer::declined);
  EXPECT_EQ(read_answer({{"action", "accept"}, {"content", {{"confirm", "true"}}}}),
            Answer::declined);
  EXPECT_EQ(read_answer({{"action", "accept"}}), Answer::declined);
  EXPECT_EQ(read_answer({{"action", "decline"}}), Answer::declined);
  EXPECT_EQ(read_answer({{"action", "cancel"}}), Answer::cancelled);
  EXPECT_EQ(read_answer({{"action", "maybe"}}), Answer::invalid);
  EXPECT_EQ(read_answer(util::Json::array()), Answer::invalid);
}

TEST(PolicyConfirmation, RefusalsExplainHowToProceed) {
  tools::Tool write = make_tool("create_page", false, false);
  std::string writes = no_elicitation_message(write, ConfirmLevel::writes);
  EXPECT_NE(writes.find("--confirm destructive"), std::string::npos) << writes;
  EXPECT_NE(writes.find("elicitation"), std::string::npos);
  EXPECT_NE(writes.find("Nothing changed"), std::string::npos);
  std::string destructive = no_elicitation_message(write, ConfirmLevel::destructive);
  EXPECT_NE(destructive.find("--confirm none"), std::string::npos) << destructive;
  EXPECT_NE(timeout_message(write, 300).find("300 seconds"), std::string::npos);
  EXPECT_NE(declined_message(write).find("declined"), std::string::npos);
}

}  // namespace
}  // namespace notion_mcp::policy
