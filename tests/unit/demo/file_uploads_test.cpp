// The demo workspace's file upload API: create, send (multipart/form-data), status, and
// attaching an upload to a block or a files property; plus GET /v1/comments/{id}.
#include "tests/unit/demo/demo_test_support.h"

namespace notion_mcp::demo::testing {
namespace {

using util::Json;

Answer send_multipart(Workspace& workspace, const std::string& id, const std::string& body,
                      const std::string& content_type) {
  notion::HttpRequest request;
  request.method = "POST";
  request.path = "/v1/file_uploads/" + id + "/send";
  request.headers = {{"Notion-Version", "2026-03-11"}, {"Content-Type", content_type}};
  request.body = body;
  Answer answer;
  answer.raw = workspace.handle(request);
  answer.status = answer.raw.status;
  auto parsed = util::parse_json(answer.raw.body);
  EXPECT_TRUE(parsed.ok()) << answer.raw.body;
  if (parsed) answer.body = std::move(*parsed);
  return answer;
}

std::string form(const std::string& data, const std::string& type = "image/png") {
  std::string body = "--B0undary\r\nContent-Disposition: form-data; name=\"file\"; ";
  body += "filename=\"pic.png\"\r\nContent-Type: " + type + "\r\n\r\n";
  body += data;
  body += "\r\n--B0undary--\r\n";
  return body;
}

const std::string kMultipart = "multipart/form-data; boundary=B0undary";

std::string first_page(Workspace& workspace) {
  Answer found =
      post(workspace, "/v1/search", {{"filter", {{"property", "object"}, {"value", "page"}}}});
  return found.body["results"][0]["id"];
}

TEST(DemoFileUploads, CreateSendAndAttachAsABlock) {
  auto workspace = Workspace::seeded();
  Answer created = post(*workspace, "/v1/file_uploads",
                        {{"filename", "pic.png"}, {"content_type", "image/png"}});
  ASSERT_EQ(created.status, 200) << created.raw.body;
  EXPECT_EQ(created.body["object"], "file_upload");
  EXPECT_EQ(created.body["status"], "pending");
  std::string id = created.body["id"];
  EXPECT_EQ(created.body["upload_url"], "https://api.notion.com/v1/file_uploads/" + id + "/send");

  // Not yet sent: cannot be attached.
  Json new_page = {{"parent", {{"page_id", first_page(*workspace)}}}, {"markdown", "# Pictures"}};
  std::string page = post(*workspace, "/v1/pages", new_page).body["id"];
  Json block = {{"type", "image"},
                {"image", {{"type", "file_upload"}, {"file_upload", {{"id", id}}}}}};
  expect_error(patch(*workspace, "/v1/blocks/" + page + "/children", {{"children", {block}}}), 400,
               "validation_error");

  std::string data("\x89PNG\r\n\0--B0und", 14);
  Answer sent = send_multipart(*workspace, id, form(data), kMultipart);
  ASSERT_EQ(sent.status, 200) << sent.raw.body;
  EXPECT_EQ(sent.body["status"], "uploaded");
  EXPECT_EQ(sent.body["content_length"], data.size());
  EXPECT_TRUE(sent.body["upload_url"].is_null());
  EXPECT_EQ(get(*workspace, "/v1/file_uploads/" + id).body["status"], "uploaded");
  // Sent once only; single-part uploads are not completed.
  expect_error(send_multipart(*workspace, id, form(data), kMultipart), 400, "validation_error");
  expect_error(post(*workspace, "/v1/file_uploads/" + id + "/complete", Json::object()), 400,
               "validation_error");

  Answer appended = patch(*workspace, "/v1/blocks/" + page + "/children", {{"children", {block}}});
  ASSERT_EQ(appended.status, 200) << appended.raw.body;
  const Json& image = appended.body["results"][0]["image"];
  EXPECT_EQ(image["type"], "file");
  EXPECT_NE(image["file"]["url"].get<std::string>().find("pic.png"), std::string::npos);
  EXPECT_TRUE(image["file"].contains("expiry_time"));
  std::string markdown = get(*workspace, "/v1/pages/" + page + "/markdown").body["markdown"];
  EXPECT_NE(markdown.find("pic.png"), std::string::npos);
}

TEST(DemoFileUploads, RefusesMalformedOrMismatchedContents) {
  auto workspace = Workspace::seeded();
  std::string id =
      post(*workspace, "/v1/file_uploads", {{"content_type", "application/pdf"}}).body["id"];
  expect_error(send_multipart(*workspace, id, form("x"), "multipart/form-data"), 400,
               "validation_error");
  expect_error(send_multipart(*workspace, id, "--B0undary\r\nno end", kMultipart), 400,
               "validation_error");
  expect_error(send_multipart(*workspace, id, form("x", "image/png"), kMultipart), 400,
               "validation_error");
  std::string other =
      "--B0undary\r\nContent-Disposition: form-data; name=\"part_number\"\r\n\r\n"
      "1\r\n--B0undary--\r\n";
  expect_error(send_multipart(*workspace, id, other, kMultipart), 400, "validation_error");
  expect_error(post(*workspace, "/v1/file_uploads", {{"mode", "multi_part"}}), 400,
               "validation_error");
  expect_error(get(*workspace, "/v1/file_uploads/0123456789abcdef0123456789abcdef"), 404,
               "object_not_found");
}

TEST(DemoFileUploads, FilesPropertiesTakeUploadsAndExternalUrls) {
  auto workspace = Workspace::seeded();
  Json properties = {{"Name", {{"title", Json::object()}}}, {"Files", {{"files", Json::object()}}}};
  Json request = {{"parent", {{"page_id", first_page(*workspace)}}},
                  {"title", Json::array({{{"text", {{"content", "Docs"}}}}})},
                  {"initial_data_source", {{"properties", properties}}}};
  Answer database = post(*workspace, "/v1/databases", request);
  ASSERT_EQ(database.status, 200) << database.raw.body;
  std::string source = database.body["data_sources"][0]["id"];
  std::string id = post(*workspace, "/v1/file_uploads", {{"filename", "a.pdf"}}).body["id"];
  ASSERT_EQ(send_multipart(*workspace, id, form("%PDF", "application/pdf"), kMultipart).status,
            200);
  Json files = Json::array(
      {{{"type", "file_upload"}, {"file_upload", {{"id", id}}}},
       {{"name", "site"}, {"type", "external"}, {"external", {{"url", "https://x.test/"}}}}});
  Answer row = post(
      *workspace, "/v1/pages",
      {{"parent", {{"data_source_id", source}}}, {"properties", {{"Files", {{"files", files}}}}}});
  ASSERT_EQ(row.status, 200) << row.raw.body;
  const Json& stored = row.body["properties"]["Files"]["files"];
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0]["name"], "a.pdf");
  EXPECT_EQ(stored[0]["type"], "file");
  EXPECT_EQ(stored[1]["external"]["url"], "https://x.test/");
}

TEST(DemoFileUploads, CommentsCanBeReadById) {
  auto workspace = Workspace::seeded();
  std::string page = first_page(*workspace);
  Json comment = {{"parent", {{"page_id", page}}},
                  {"rich_text", Json::array({{{"text", {{"content", "hi"}}}}})}};
  Answer created = post(*workspace, "/v1/comments", comment);
  ASSERT_EQ(created.status, 200) << created.raw.body;
  Answer read = get(*workspace, "/v1/comments/" + created.body["id"].get<std::string>());
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["id"], created.body["id"]);
  expect_error(get(*workspace, "/v1/comments/0123456789abcdef0123456789abcdef"), 404,
               "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::demo::testing
