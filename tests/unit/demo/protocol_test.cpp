// What every answer shares: headers, error bodies, version checks, routing and body parsing.
#include <gtest/gtest.h>

#include <set>

#include "demo/ids.h"
#include "demo/seed.h"
#include "unit/demo/demo_test_support.h"

namespace notion_mcp::demo {
namespace {

using namespace testing;
using util::Json;

class DemoProtocol : public ::testing::Test {
 protected:
  std::unique_ptr<Workspace> ws_ = Workspace::seeded();
};

TEST_F(DemoProtocol, EveryAnswerHasJsonAndARequestId) {
  std::set<std::string> ids;
  for (const Answer& a :
       {get(*ws_, "/v1/users/me"), get(*ws_, "/v1/nothing/here"), get(*ws_, "/v1/users")}) {
    EXPECT_EQ(notion::find_header(a.raw.headers, "content-type"), "application/json");
    const std::string id(notion::find_header(a.raw.headers, "x-request-id"));
    EXPECT_EQ(normalize_id(id), id);
    EXPECT_TRUE(ids.insert(id).second);
    if (a.body["object"] == "error" || a.body["object"] == "list") {
      EXPECT_EQ(a.body["request_id"], id);
    }
  }
}

TEST_F(DemoProtocol, MissingOrUnsupportedVersion) {
  const Answer missing = call(*ws_, "GET", "/v1/users/me", nullptr, "");
  EXPECT_EQ(expect_error(missing, 400, "missing_version"),
            "Notion-Version header failed validation: Notion-Version header should be defined, "
            "instead was `undefined`.");
  expect_error(call(*ws_, "GET", "/v1/users/me", nullptr, "2022-06-28"), 400, "validation_error");
  EXPECT_EQ(call(*ws_, "GET", "/v1/users/me", nullptr, "2025-09-03").status, 200);
}

TEST_F(DemoProtocol, UnknownRoutesAndMethods) {
  EXPECT_EQ(expect_error(get(*ws_, "/v1/nothing"), 400, "invalid_request_url"),
            "Invalid request URL.");
  expect_error(get(*ws_, "/v2/users"), 400, "invalid_request_url");
  expect_error(get(*ws_, "/v1/search"), 400, "invalid_request_url");  // search is POST
  expect_error(call(*ws_, "PUT", "/v1/pages/" + std::string(seed_ids::kHandbookPage)), 400,
               "invalid_request_url");
  expect_error(call(*ws_, "DELETE", "/v1/users"), 400, "invalid_request_url");
  expect_error(get(*ws_, "/v1/pages/" + std::string(seed_ids::kHandbookPage) + "/extra"), 400,
               "invalid_request_url");
}

TEST_F(DemoProtocol, BodiesMustBeJsonObjects) {
  notion::HttpRequest request{
      "POST", "/v1/search", {{"Notion-Version", "2026-03-11"}}, "{not json"};
  const notion::HttpResponse raw = ws_->handle(request);
  EXPECT_EQ(raw.status, 400);
  auto body = util::parse_json(raw.body);
  ASSERT_TRUE(body);
  EXPECT_EQ((*body)["code"], "invalid_json");
  EXPECT_EQ((*body)["message"], "Error parsing JSON body.");
  EXPECT_EQ((*body)["object"], "error");
  EXPECT_EQ((*body)["status"], 400);

  request.body = "[1,2]";
  EXPECT_EQ(util::parse_json(ws_->handle(request).body)->at("code"), "validation_error");
  request.body = "\xff\xfe";
  EXPECT_EQ(util::parse_json(ws_->handle(request).body)->at("code"), "invalid_json");
}

TEST_F(DemoProtocol, QueryStringsAreDecoded) {
  const Answer a = get(*ws_, "/v1/comments?block_id=" + std::string(seed_ids::kSecurityPolicyPage) +
                                 "&page_size=1&x=a+b%20c");
  ASSERT_EQ(a.status, 200) << a.raw.body;
  EXPECT_EQ(a.body["results"].size(), 1u);
}

TEST_F(DemoProtocol, AnswersAreDeterministic) {
  auto other = Workspace::seeded();
  const std::string path = "/v1/pages/" + std::string(seed_ids::kWebsiteRedesignRow);
  EXPECT_EQ(get(*ws_, path).raw.body, get(*other, path).raw.body);
}

}  // namespace
}  // namespace notion_mcp::demo
