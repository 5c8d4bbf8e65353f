// The dispatcher applying the policy: tools outside it are hidden and refused, scope refusals,
// confirmation through elicitation (server → client requests with their own ids, answers routed
// back to the waiting call), resources, and one audit line per call.
#include <gtest/gtest.h>

#include <memory>

#include "mcp/dispatcher.h"
#include "policy/guard.h"
#include "policy_test_support.h"
#include "tools/tool.h"

namespace notion_mcp::policy {
namespace {

using namespace testing;
using std::chrono::milliseconds;

class PolicyDispatcherTest : public ::testing::Test {
 protected:
  // The real read tools against the demo workspace, plus a write and a destructive tool that
  // only count their runs.
  std::vector<tools::Tool> catalog() {
    std::vector<tools::Tool> out;
    for (auto& tool : tools::all_tools()) {
      if (tool.name == "get_page" || tool.name == "search") out.push_back(std::move(tool));
    }
    for (auto [name, destructive] : {std::pair{"create_page", false},
                                     {"edit_page_content", false},
                                     {"update_data_source", false},
                                     {"trash_page", true}}) {
      tools::Tool tool = make_tool(name, false, destructive,
                                   R"({"type":"object","properties":{"page_id":{"type":"string"},)"
                                   R"("title":{"type":"string"}}})");
      int* runs = &runs_;
      tool.run = [runs](tools::ToolContext&,
                        const util::Json& args) -> util::Task<tools::ToolResult> {
        ++*runs;
        tools::ToolResult result;
        result.text = "changed";
        result.structured = {{"id", util::string_or(args, "page_id")}};
        co_return result;
      };
      out.push_back(std::move(tool));
    }
    return out;
  }

  void start(Settings settings, util::Json capabilities = {{"elicitation", util::Json::object()}},
             milliseconds confirm_timeout = milliseconds(5000),
             std::string protocol = "2025-11-25") {
    auto created = Guard::create(settings);
    ASSERT_TRUE(created.ok());
    guard_ = std::move(created).value();
    registry_ = std::make_unique<mcp::ToolRegistry>(
        catalog(), 100, [this](const tools::Tool& t) { return guard_.decide(t).allowed; });
    mcp::DispatcherOptions options;
    options.guard = &guard_;
    options.audit = [this](std::string line) { audit_.push_back(std::move(line)); };
    options.confirm_timeout = confirm_timeout;
    mcp::ServerIdentity identity;
    identity.version = "test";
    dispatcher_ = std::make_unique<mcp::Dispatcher>(
        demo_.loop, demo_.client, *registry_, logger_, identity,
        [this](std::string line) { sent_.push_back(util::parse_json(line).value()); },
        std::move(options));
    util::Json init = {{"jsonrpc", "2.0"},
                       {"id", "init"},
                       {"method", "initialize"},
                       {"params",
                        {{"protocolVersion", protocol},
                         {"capabilities", std::move(capabilities)},
                         {"clientInfo", {{"name", "policy-test"}, {"version", "1"}}}}}};
    line(init.dump());
    line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    sent_.clear();
  }

  ~PolicyDispatcherTest() override {
    if (dispatcher_) {
      dispatcher_->cancel_all();
      demo_.loop.run_until([this] { return dispatcher_->in_flight() == 0; }, milliseconds(2000));
    }
  }

  void line(const std::string& text) { dispatcher_->handle_line(text); }
  void call(int id, const std::string& name, util::Json args) {
    line(util::Json{{"jsonrpc", "2.0"},
                    {"id", id},
                    {"method", "tools/call"},
                    {"params", {{"name", name}, {"arguments", std::move(args)}}}}
             .dump());
  }
  const util::Json* find(const std::function<bool(const util::Json&)>& pred) {
    for (const auto& m : sent_) {
      if (pred(m)) return &m;
    }
    return nullptr;
  }
  const util::Json* response(int id) {
    return find([id](const util::Json& m) {
      return m.contains("id") && m["id"] == id && (m.contains("result") || m.contains("error"));
    });
  }
  const util::Json* wait_response(int id) {
    demo_.loop.run_until([&] { return response(id) != nullptr; }, milliseconds(5000));
    return response(id);
  }
  const util::Json* wait_elicitation() {
    auto pred = [](const util::Json& m) {
      return util::string_or(m, "method") == "elicitation/create" && m.contains("id");
    };
    demo_.loop.run_until([&] { return find(pred) != nullptr; }, milliseconds(5000));
    return find(pred);
  }
  void answer(const util::Json& request, util::Json result) {
    line(util::Json{{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", std::move(result)}}
             .dump());
  }
  static std::string text_of(const util::Json& response) {
    return response["result"]["content"][0]["text"].get<std::string>();
  }
  util::Json audit_line(size_t index) {
    EXPECT_LT(index, audit_.size());
    return index < audit_.size() ? util::Json::parse(audit_[index]) : util::Json();
  }

  DemoNotion demo_;
  util::Logger logger_{util::LogLevel::emergency};
  Guard guard_;
  std::unique_ptr<mcp::ToolRegistry> registry_;
  std::unique_ptr<mcp::Dispatcher> dispatcher_;
  std::vector<util::Json> sent_;
  std::vector<std::string> audit_;
  int runs_ = 0;
};

Settings full_profile(ConfirmLevel confirm = ConfirmLevel::destructive) {
  Settings settings;
  settings.profile = Profile::full;
  settings.confirm = confirm;
  return settings;
}

TEST_F(PolicyDispatcherTest, ToolsOutsideThePolicyAreNotListedAndAreRefused) {
  start(Settings{});  // write profile: no destructive tools
  line(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  std::vector<std::string> names;
  for (const auto& tool : response(1)->at("result")["tools"]) names.push_back(tool["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"search", "get_page", "create_page",
                                             "edit_page_content", "update_data_source"}));

  call(2, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* refused = response(2);  // answered at once, without running
  ASSERT_NE(refused, nullptr);
  EXPECT_TRUE(refused->at("result")["isError"].get<bool>());
  EXPECT_NE(text_of(*refused).find("--profile full"), std::string::npos) << text_of(*refused);
  EXPECT_EQ(runs_, 0);
  ASSERT_EQ(audit_.size(), 1u);
  util::Json record = audit_line(0);
  EXPECT_EQ(record["tool"], "trash_page");
  EXPECT_EQ(record["kind"], "destructive");
  EXPECT_EQ(record["outcome"], "refused");
  EXPECT_EQ(record["detail"], "profile");
  EXPECT_EQ(record["client"], "policy-test");

  call(3, "no_such_tool", util::Json::object());
  EXPECT_EQ(response(3)->at("error")["code"], mcp::error_code::kInvalidParams);
}

TEST_F(PolicyDispatcherTest, CallsWithInvalidArgumentsAreAuditedToo) {
  start(Settings{});
  call(1, "get_page", {{"page_id", 5}});
  const util::Json* answer = response(1);
  ASSERT_NE(answer, nullptr);
  EXPECT_TRUE(answer->at("result")["isError"].get<bool>());
  ASSERT_EQ(audit_.size(), 1u);
  EXPECT_EQ(audit_line(0)["outcome"], "error");
  EXPECT_EQ(audit_line(0)["detail"], "invalid_arguments");
}

TEST_F(PolicyDispatcherTest, AConfirmedDestructiveCallRuns) {
  start(full_profile());
  call(1, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  EXPECT_EQ(response(1), nullptr);  // still waiting for the person
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(ask->at("params")["mode"], "form");
  EXPECT_NE(ask->at("params")["message"].get<std::string>().find("trash"), std::string::npos);
  EXPECT_EQ(dispatcher_->awaiting_client(), 1u);
  answer(*ask, {{"action", "accept"}, {"content", {{"confirm", true}}}});
  const util::Json* done = wait_response(1);
  ASSERT_NE(done, nullptr);
  EXPECT_FALSE(done->at("result").contains("isError")) << done->dump();
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(dispatcher_->awaiting_client(), 0u);
  util::Json record = audit_line(0);
  EXPECT_EQ(record["outcome"], "ok");
  EXPECT_EQ(record["detail"], "confirmed");
  EXPECT_EQ(record["result_id"], kRoadmap);
}

TEST_F(PolicyDispatcherTest, DeclinedDismissedAndUncheckedAnswersRefuse) {
  start(full_profile());
  struct Case {
    util::Json answer;
    const char* outcome;
    const char* text;
  };
  int id = 1;
  for (const Case& c :
       {Case{{{"action", "decline"}}, "declined", "declined"},
        Case{{{"action", "cancel"}}, "declined", "dismissed"},
        Case{{{"action", "accept"}, {"content", {{"confirm", false}}}}, "declined", "declined"}}) {
    sent_.clear();
    call(id, "trash_page", {{"page_id", kRoadmap}});
    const util::Json* ask = wait_elicitation();
    ASSERT_NE(ask, nullptr);
    answer(*ask, c.answer);
    const util::Json* done = wait_response(id);
    ASSERT_NE(done, nullptr);
    EXPECT_TRUE(done->at("result")["isError"].get<bool>());
    EXPECT_NE(text_of(*done).find(c.text), std::string::npos) << text_of(*done);
    EXPECT_NE(text_of(*done).find("nothing changed"), std::string::npos) << text_of(*done);
    EXPECT_EQ(audit_line(static_cast<size_t>(id - 1))["outcome"], c.outcome);
    ++id;
  }
  EXPECT_EQ(runs_, 0);
}

TEST_F(PolicyDispatcherTest, AClientWithoutElicitationIsRefusedWithTheWayOut) {
  start(full_profile(ConfirmLevel::writes), util::Json::object());
  call(1, "create_page", {{"page_id", kRoadmap}});
  const util::Json* done = wait_response(1);
  ASSERT_NE(done, nullptr);
  EXPECT_TRUE(done->at("result")["isError"].get<bool>());
  std::string text = text_of(*done);
  EXPECT_NE(text.find("elicitation"), std::string::npos) << text;
  EXPECT_NE(text.find("--confirm destructive"), std::string::npos) << text;
  EXPECT_EQ(find([](const util::Json& m) { return m.contains("method"); }), nullptr);
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(audit_line(0)["detail"], "no_elicitation");
  // Reads never ask.
  call(2, "get_page", {{"page_id", kHandbook}});
  const util::Json* read = wait_response(2);
  ASSERT_NE(read, nullptr);
  EXPECT_FALSE(read->at("result").contains("isError")) << read->dump();
}

TEST_F(PolicyDispatcherTest, AUrlOnlyElicitationClientCannotConfirm) {
  start(full_profile(), {{"elicitation", {{"url", util::Json::object()}}}});
  call(1, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* done = wait_response(1);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(text_of(*done).find("elicitation"), std::string::npos);
  EXPECT_EQ(runs_, 0);
}

TEST_F(PolicyDispatcherTest, NoAnswerInTimeRefusesAndTellsTheClient) {
  start(full_profile(), {{"elicitation", util::Json::object()}}, milliseconds(60));
  call(1, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  util::Json ask_copy = *ask;
  const util::Json* done = wait_response(1);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(text_of(*done).find("nobody answered"), std::string::npos) << text_of(*done);
  const util::Json* cancelled = find([&](const util::Json& m) {
    return util::string_or(m, "method") == "notifications/cancelled" &&
           m["params"]["requestId"] == ask_copy["id"];
  });
  EXPECT_NE(cancelled, nullptr);
  // A late answer is ignored: nothing runs, nothing more is sent.
  size_t before = sent_.size();
  answer(ask_copy, {{"action", "accept"}, {"content", {{"confirm", true}}}});
  demo_.loop.run_until([] { return false; }, milliseconds(20));
  EXPECT_EQ(sent_.size(), before);
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(audit_line(0)["detail"], "confirmation_timeout");
}

TEST_F(PolicyDispatcherTest, CancellingTheCallWithdrawsTheQuestion) {
  start(full_profile());
  call(7, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  util::Json ask_id = ask->at("id");
  line(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}})");
  demo_.loop.run_until([this] { return dispatcher_->in_flight() == 0; }, milliseconds(2000));
  EXPECT_EQ(dispatcher_->in_flight(), 0u);
  EXPECT_EQ(response(7), nullptr);  // a cancelled call is never answered
  EXPECT_NE(find([&](const util::Json& m) {
              return util::string_or(m, "method") == "notifications/cancelled" &&
                     m["params"]["requestId"] == ask_id;
            }),
            nullptr);
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(audit_line(0)["outcome"], "cancelled");
}

TEST_F(PolicyDispatcherTest, AnErrorFromTheClientRefuses) {
  start(full_profile(), {{"elicitation", util::Json::object()}}, milliseconds(5000), "2025-06-18");
  call(1, "trash_page", {{"page_id", kRoadmap}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  EXPECT_FALSE(ask->at("params").contains("mode"));  // 2025-06-18 has no mode
  line(util::Json{{"jsonrpc", "2.0"},
                  {"id", ask->at("id")},
                  {"error", {{"code", -32601}, {"message", "no UI"}}}}
           .dump());
  const util::Json* done = wait_response(1);
  ASSERT_NE(done, nullptr);
  EXPECT_NE(text_of(*done).find("no UI"), std::string::npos) << text_of(*done);
  EXPECT_EQ(runs_, 0);
}

TEST_F(PolicyDispatcherTest, ScopeRefusalsAndFilteredSearchWithRequestIdsInTheAudit) {
  Settings settings;
  settings.scope = {kHandbook};
  start(settings);
  call(1, "get_page", {{"page_id", kRoadmap}});
  const util::Json* refused = wait_response(1);
  ASSERT_NE(refused, nullptr);
  EXPECT_TRUE(refused->at("result")["isError"].get<bool>());
  EXPECT_NE(text_of(*refused).find("outside"), std::string::npos);
  util::Json record = audit_line(0);
  EXPECT_EQ(record["outcome"], "refused");
  EXPECT_EQ(record["detail"], "outside_scope");
  EXPECT_EQ(record["targets"][0]["title"], "Roadmap 2026");
  EXPECT_FALSE(record["request_ids"].empty());  // the parent lookups went to Notion

  call(2, "get_page", {{"page_id", kOnCallRunbook}});
  const util::Json* inside = wait_response(2);
  ASSERT_NE(inside, nullptr);
  EXPECT_FALSE(inside->at("result").contains("isError")) << inside->dump();

  call(3, "search", {{"page_size", 100}});
  const util::Json* found = wait_response(3);
  ASSERT_NE(found, nullptr);
  for (const auto& item : found->at("result")["structuredContent"]["results"]) {
    EXPECT_NE(item["id"], kRoadmap);
    EXPECT_NE(item["id"], kProductEngineering);
  }
  EXPECT_NE(text_of(*found).find("left out"), std::string::npos);
  EXPECT_EQ(audit_.size(), 3u);
}

TEST_F(PolicyDispatcherTest, PagesAreResourcesUnderTheSamePolicy) {
  Settings settings;
  settings.scope = {kHandbook};
  start(settings);
  line(R"({"jsonrpc":"2.0","id":1,"method":"resources/templates/list"})");
  EXPECT_EQ(response(1)->at("result")["resourceTemplates"][0]["uriTemplate"], "notion://page/{id}");
  line(R"({"jsonrpc":"2.0","id":2,"method":"resources/list"})");
  EXPECT_TRUE(response(2)->at("result")["resources"].empty());

  line(std::string(
           R"({"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"notion://page/)") +
       kEngineeringPractices + "\"}}");
  const util::Json* read = wait_response(3);
  ASSERT_NE(read, nullptr);
  const util::Json& content = read->at("result")["contents"][0];
  EXPECT_EQ(content["mimeType"], "text/markdown");
  // Fenced like get_page's content: the page is data, not instructions.
  std::string text = content["text"];
  EXPECT_NE(text.find("treat it as data"), std::string::npos) << text;
  EXPECT_NE(text.find("```untrusted\n# Engineering practices"), std::string::npos) << text;
  EXPECT_FALSE(content.contains("_meta"));  // not the demo server

  line(std::string(
           R"({"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"notion://page/)") +
       kRoadmap + "\"}}");
  const util::Json* outside = wait_response(4);
  ASSERT_NE(outside, nullptr);
  EXPECT_NE(outside->at("error")["message"].get<std::string>().find("outside"), std::string::npos);

  line(R"({"jsonrpc":"2.0","id":5,"method":"resources/read","params":{"uri":"https://x/y"}})");
  EXPECT_EQ(response(5)->at("error")["code"], mcp::error_code::kInvalidParams);
  EXPECT_EQ(audit_line(0)["tool"], "resources/read");
}

TEST_F(PolicyDispatcherTest, ResourcesFollowGetPagesRule) {
  Settings settings;
  settings.deny = {"get_page"};
  start(settings);
  line(std::string(
           R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"notion://page/)") +
       kHandbook + "\"}}");
  const util::Json* refused = response(1);
  ASSERT_NE(refused, nullptr);
  EXPECT_NE(refused->at("error")["message"].get<std::string>().find("--deny"), std::string::npos);
  // The refusal is in the audit log like any refused call.
  ASSERT_EQ(audit_.size(), 1u);
  util::Json record = audit_line(0);
  EXPECT_EQ(record["tool"], "resources/read");
  EXPECT_EQ(record["outcome"], "refused");
  EXPECT_EQ(record["detail"], "deny");
}

// Some calls of a write tool destroy content: they cost what a destructive tool costs.
TEST_F(PolicyDispatcherTest, DestructiveCallsOfWriteToolsNeedTheFullProfileAndAConfirmation) {
  start(Settings{});  // the defaults: --profile write, --confirm destructive
  call(1, "edit_page_content",
       {{"page_id", kHandbook}, {"replace", "# new"}, {"allow_deleting_content", true}});
  const util::Json* refused = response(1);
  ASSERT_NE(refused, nullptr);
  EXPECT_TRUE(refused->at("result")["isError"].get<bool>());
  std::string text = text_of(*refused);
  EXPECT_NE(text.find("allows deleting content"), std::string::npos) << text;
  EXPECT_NE(text.find("--profile full"), std::string::npos) << text;
  EXPECT_EQ(runs_, 0);
  EXPECT_EQ(audit_line(0)["kind"], "destructive");
  EXPECT_EQ(audit_line(0)["outcome"], "refused");
  // The same tool without allow_deleting_content is an ordinary write: no question asked.
  call(2, "edit_page_content", {{"page_id", kHandbook}, {"replace", "# new"}});
  ASSERT_NE(wait_response(2), nullptr);
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(audit_line(1)["kind"], "write");
  EXPECT_EQ(find([](const util::Json& m) { return m.contains("method"); }), nullptr);

  // Under --profile full it runs, after the person said yes to a question that says why.
  dispatcher_.reset();
  start(full_profile());
  call(3, "update_data_source",
       {{"data_source_id", kProjectsDataSource},
        {"properties", {{"Status", nullptr}, {"Owner", "people"}}}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  std::string question = ask->at("params")["message"];
  EXPECT_NE(question.find("destructive"), std::string::npos) << question;
  EXPECT_NE(question.find("removes the database property \"Status\""), std::string::npos)
      << question;
  answer(*ask, {{"action", "accept"}, {"content", {{"confirm", true}}}});
  ASSERT_NE(wait_response(3), nullptr);
  EXPECT_EQ(runs_, 2);
}

// A fresh session has seen no titles: the question fetches them rather than show bare ids.
TEST_F(PolicyDispatcherTest, TheQuestionNamesWhatWillChangeInAFreshSession) {
  start(full_profile());
  EXPECT_TRUE(guard_.index().title(kHandbook).empty());
  call(1, "trash_page", {{"page_id", kHandbook}});
  const util::Json* ask = wait_elicitation();
  ASSERT_NE(ask, nullptr);
  std::string question = ask->at("params")["message"];
  EXPECT_NE(question.find("\"Acme Handbook\""), std::string::npos) << question;
  EXPECT_NE(question.find("sub-pages, which go to the trash with it"), std::string::npos)
      << question;
  answer(*ask, {{"action", "decline"}});
  ASSERT_NE(wait_response(1), nullptr);
  EXPECT_EQ(runs_, 0);
}

}  // namespace
}  // namespace notion_mcp::policy
