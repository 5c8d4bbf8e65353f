// Calls the demo workspace the way the Notion client does and parses the answer.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "demo/workspace.h"
#include "notion/http.h"
#include "util/json.h"

namespace notion_mcp::demo::testing {

struct Answer {
  int status = 0;
  util::Json body;
  notion::HttpResponse raw;
};

inline Answer call(Workspace& workspace, std::string method, std::string path,
                   const util::Json& body = nullptr, std::string version = "2026-03-11") {
  notion::HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  if (!version.empty()) request.headers.emplace_back("Notion-Version", version);
  request.headers.emplace_back("Authorization", "Bearer ntn_demo");
  if (!body.is_null()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = util::dump_json(body);
  }
  Answer answer;
  answer.raw = workspace.handle(request);
  answer.status = answer.raw.status;
  auto parsed = util::parse_json(answer.raw.body);
  EXPECT_TRUE(parsed.ok()) << "response body is not JSON: " << answer.raw.body;
  if (parsed) answer.body = std::move(*parsed);
  return answer;
}

inline Answer get(Workspace& workspace, std::string path) {
  return call(workspace, "GET", std::move(path));
}

inline Answer post(Workspace& workspace, std::string path, const util::Json& body) {
  return call(workspace, "POST", std::move(path), body);
}

inline Answer patch(Workspace& workspace, std::string path, const util::Json& body) {
  return call(workspace, "PATCH", std::move(path), body);
}

}  // namespace notion_mcp::demo::testing

namespace notion_mcp::demo::testing {

// Titles of the pages in a list answer, in order.
inline std::vector<std::string> titles(const util::Json& list) {
  std::vector<std::string> out;
  for (const util::Json& item : list["results"]) {
    if (item["object"] == "data_source") {
      out.push_back(item["title"].empty() ? "" : item["title"][0]["plain_text"].get<std::string>());
      continue;
    }
    for (const auto& [name, value] : item["properties"].items()) {
      if (value["type"] == "title") {
        std::string text;
        for (const util::Json& part : value["title"]) text += part["plain_text"].get<std::string>();
        out.push_back(text);
      }
    }
  }
  return out;
}

// Checks Notion's error shape and returns the message.
inline std::string expect_error(const Answer& answer, int status, const std::string& code) {
  EXPECT_EQ(answer.status, status) << answer.raw.body;
  EXPECT_EQ(answer.body.value("object", ""), "error");
  EXPECT_EQ(answer.body.value("status", 0), status);
  EXPECT_EQ(answer.body.value("code", ""), code) << answer.raw.body;
  EXPECT_TRUE(answer.body.contains("request_id"));
  return answer.body.value("message", "");
}

}  // namespace notion_mcp::demo::testing
