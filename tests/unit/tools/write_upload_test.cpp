// upload_file on the demo workspace, reading from a temporary upload root through the same
// reader the server uses (read_upload_file): attach as a block or a files property, and the
// refusals (outside the root, a symlink out of it, too big, unsupported type, no root).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/tools/write_fixture.h"

namespace notion_mcp::tools::testing {
namespace {

namespace fs = std::filesystem;

class ToolsWriteUpload : public WriteFixture {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/notion-mcp-upload-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    base_ = pattern;
    root_ = base_ / "root";
    fs::create_directories(root_ / "sub");
    fs::create_directories(base_ / "outside");
    upload_roots_ = {root_.string()};
    read_upload_ = [this](const std::string& path) {
      ++reads_;
      return read_upload_file(path, upload_roots_);
    };
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  static void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }

  fs::path base_;
  fs::path root_;
  int reads_ = 0;
};

// A PNG signature and a few bytes, with a CRLF and a NUL: the multipart body must carry them.
const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR--notion", 28);

TEST_F(ToolsWriteUpload, UploadsAnImageAndAppendsItToAPage) {
  write_file(root_ / "chart.png", kPng);
  std::string page = scratch_page("Pictures");
  progress_.clear();
  ToolResult r = call_uploading("upload_file", {{"path", "chart.png"}, {"page_id", page}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["name"], "chart.png");
  EXPECT_EQ(r.structured["content_type"], "image/png");
  EXPECT_EQ(r.structured["bytes"], kPng.size());
  EXPECT_EQ(r.structured["page_id"], page);
  std::string upload = r.structured["file_upload_id"];
  auto status = raw_get("/v1/file_uploads/" + upload);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ((*status)["status"], "uploaded");
  EXPECT_EQ((*status)["content_length"], kPng.size());

  std::vector<Json> blocks = children(page);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]["type"], "image");
  EXPECT_EQ(blocks[0]["id"], r.structured["block_id"]);
  EXPECT_EQ(blocks[0]["image"]["type"], "file");
  EXPECT_NE(blocks[0]["image"]["file"]["url"].get<std::string>().find("chart.png"),
            std::string::npos);
  // Create, send, attach: progress before each step.
  ASSERT_EQ(progress_.size(), 3u);
  EXPECT_EQ(progress_[0].total, 3);
  EXPECT_EQ(progress_[2].progress, 2);
  EXPECT_NE(progress_[1].message.find("Sending"), std::string::npos);
}

TEST_F(ToolsWriteUpload, SetsAFilesPropertyAndUploadsWithoutAttaching) {
  write_file(root_ / "sub" / "report.pdf", "%PDF-1.4 tiny");
  std::string parent = scratch_page("Reports");
  ToolResult db = call(
      "create_database",
      {{"parent_id", parent}, {"title", "Reports"}, {"properties", {{"Attachment", "files"}}}});
  ASSERT_FALSE(db.is_error) << db.text;
  ToolResult row =
      call("create_page", {{"parent_id", db.structured["data_source_id"]}, {"title", "Q1"}});
  ASSERT_FALSE(row.is_error) << row.text;
  std::string absolute = (root_ / "sub" / "report.pdf").string();
  ToolResult r = call_uploading(
      "upload_file",
      {{"path", absolute}, {"page_id", row.structured["id"]}, {"property", "Attachment"}});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.structured["property"], "Attachment");
  ToolResult read =
      call("get_page", {{"page_id", row.structured["id"]}, {"include_content", false}});
  EXPECT_EQ(read.structured["properties"]["Attachment"], Json({"report.pdf"})) << read.text;

  // Without page_id: uploaded only, with a hint on how to attach it.
  ToolResult alone = call_uploading("upload_file", {{"path", "sub/report.pdf"}});
  ASSERT_FALSE(alone.is_error) << alone.text;
  EXPECT_FALSE(alone.structured.contains("page_id"));
  EXPECT_NE(alone.text.find("\"type\": \"file_upload\""), std::string::npos) << alone.text;
  // The hint works: append_blocks attaches the upload as a pdf block.
  std::string page = scratch_page("Later");
  Json block = {
      {"type", "pdf"},
      {"pdf",
       {{"type", "file_upload"}, {"file_upload", {{"id", alone.structured["file_upload_id"]}}}}}};
  ToolResult attached =
      call("append_blocks", {{"block_id", page}, {"blocks", Json::array({block})}});
  ASSERT_FALSE(attached.is_error) << attached.text;
  EXPECT_EQ(children(page)[0]["pdf"]["name"], "report.pdf");
}

TEST_F(ToolsWriteUpload, RefusesPathsOutsideTheRoot) {
  write_file(base_ / "outside" / "secret.txt", "secret");
  for (const std::string& path :
       {(base_ / "outside" / "secret.txt").string(), std::string("../outside/secret.txt"),
        std::string("sub/../../outside/secret.txt"), std::string("/etc/hostname")}) {
    SCOPED_TRACE(path);
    ToolResult r = call_uploading("upload_file", {{"path", path}});
    ASSERT_TRUE(r.is_error);
    EXPECT_EQ(r.structured["error"]["code"], "outside_upload_root") << r.text;
  }
  EXPECT_EQ(reads_, 0) << "a path outside the root reached the reader";

  // A symlink inside the root that points out of it: caught when the real path is resolved.
  fs::create_symlink(base_ / "outside" / "secret.txt", root_ / "link.txt");
  ToolResult link = call_uploading("upload_file", {{"path", "link.txt"}});
  ASSERT_TRUE(link.is_error);
  EXPECT_EQ(link.structured["error"]["code"], "outside_upload_root") << link.text;
  fs::create_directory_symlink(base_ / "outside", root_ / "dirlink");
  ToolResult through_dir = call_uploading("upload_file", {{"path", "dirlink/secret.txt"}});
  ASSERT_TRUE(through_dir.is_error);
  EXPECT_EQ(through_dir.structured["error"]["code"], "outside_upload_root");
  // A root prefix is not a root: /tmp/x/root2 is not inside /tmp/x/root.
  fs::create_directories(base_ / "root2");
  write_file(base_ / "root2" / "a.txt", "a");
  ToolResult sibling =
      call_uploading("upload_file", {{"path", (base_ / "root2" / "a.txt").string()}});
  ASSERT_TRUE(sibling.is_error);
  EXPECT_EQ(sibling.structured["error"]["code"], "outside_upload_root");
}

TEST_F(ToolsWriteUpload, RefusesLargeFilesUnsupportedTypesAndMissingFiles) {
  // A sparse file over 20 MB: refused from its size, before anything is read or sent.
  { std::ofstream out(root_ / "big.pdf", std::ios::binary); }
  fs::resize_file(root_ / "big.pdf", kMaxUploadBytes + 1);
  int before = client_.stats().requests_sent;
  ToolResult big = call_uploading("upload_file", {{"path", "big.pdf"}});
  ASSERT_TRUE(big.is_error);
  EXPECT_EQ(big.structured["error"]["code"], "file_too_large") << big.text;
  EXPECT_EQ(client_.stats().requests_sent, before) << "a refused upload talked to Notion";

  // A reader that returns more than the limit (another reader) is checked again by the tool.
  read_upload_ = [](const std::string&) -> util::Result<std::string> {
    return std::string(kMaxUploadBytes + 10, 'x');
  };
  write_file(root_ / "fine.txt", "x");
  ToolResult oversized = call_uploading("upload_file", {{"path", "fine.txt"}});
  ASSERT_TRUE(oversized.is_error);
  EXPECT_EQ(oversized.structured["error"]["code"], "file_too_large");
  read_upload_ = [this](const std::string& path) { return read_upload_file(path, upload_roots_); };

  write_file(root_ / "tool.exe", "MZ");
  ToolResult exe = call_uploading("upload_file", {{"path", "tool.exe"}});
  ASSERT_TRUE(exe.is_error);
  EXPECT_EQ(exe.structured["error"]["code"], "unsupported_file_type");
  EXPECT_NE(exe.text.find("pdf"), std::string::npos) << exe.text;
  write_file(root_ / "noext", "x");
  EXPECT_TRUE(call_uploading("upload_file", {{"path", "noext"}}).is_error);

  ToolResult missing = call_uploading("upload_file", {{"path", "nothere.png"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_EQ(missing.structured["error"]["code"], "file_not_found") << missing.text;
  fs::create_directories(root_ / "folder.png");
  ToolResult folder = call_uploading("upload_file", {{"path", "folder.png"}});
  ASSERT_TRUE(folder.is_error);
  write_file(root_ / "empty.txt", "");
  ToolResult empty = call_uploading("upload_file", {{"path", "empty.txt"}});
  ASSERT_TRUE(empty.is_error);
  ToolResult property_alone =
      call_uploading("upload_file", {{"path", "fine.txt"}, {"property", "Files"}});
  ASSERT_TRUE(property_alone.is_error);
}

TEST_F(ToolsWriteUpload, IsRefusedWithoutAnUploadRoot) {
  write_file(root_ / "a.png", kPng);
  upload_roots_.clear();
  ToolResult r = call_uploading("upload_file", {{"path", (root_ / "a.png").string()}});
  ASSERT_TRUE(r.is_error);
  EXPECT_EQ(r.structured["error"]["code"], "uploads_disabled");
  EXPECT_NE(r.text.find("--upload-root"), std::string::npos) << r.text;
  // Roots but no reader (a server that has not wired one): refused too, with the same advice.
  upload_roots_ = {root_.string()};
  read_upload_ = nullptr;
  ToolResult no_reader = call_uploading("upload_file", {{"path", "a.png"}});
  ASSERT_TRUE(no_reader.is_error);
  EXPECT_EQ(no_reader.structured["error"]["code"], "uploads_disabled");
}

TEST(ToolsWriteUploadFiles, MultipartBodyCarriesTheBytesUnchanged) {
  std::string data = kPng + "\r\n--x";
  std::string boundary = make_boundary(data);
  EXPECT_EQ(data.find(boundary), std::string::npos);
  std::string body = multipart_body(boundary, "we\"ird\r\nname.png", "image/png", data);
  EXPECT_NE(body.find("filename=\"we_ird__name.png\""), std::string::npos);
  EXPECT_NE(body.find("\r\n\r\n" + data + "\r\n--" + boundary + "--\r\n"), std::string::npos);
  EXPECT_EQ(upload_type_for("A.JPG")->content_type, "image/jpeg");
  EXPECT_EQ(upload_type_for("dir.pdf/file"), nullptr);
}

TEST_F(ToolsWriteUpload, RootsAreCheckedAtStartAndMadeReal) {
  fs::create_symlink(root_, base_ / "link-to-root");
  auto roots =
      canonical_upload_roots({(base_ / "link-to-root").string(), (root_ / "sub").string()});
  ASSERT_TRUE(roots.ok()) << roots.error().message;
  EXPECT_EQ(*roots, (std::vector<std::string>{fs::canonical(root_).string(),
                                              fs::canonical(root_ / "sub").string()}));
  write_file(root_ / "plain.txt", "x");
  for (const std::string& bad : {(base_ / "missing").string(), (root_ / "plain.txt").string(),
                                 std::string("/"), std::string()}) {
    auto refused = canonical_upload_roots({bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, "invalid_flag");
  }
}

TEST_F(ToolsWriteUpload, AnOpenedUploadIsReadFromItsDescriptorUpToTheLimit) {
  write_file(root_ / "notes.txt", "hello upload");
  auto fd = open_upload_file("notes.txt", upload_roots_);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_EQ(::fcntl(*fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  auto data = read_opened_upload(*fd);
  ::close(*fd);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "hello upload");

  // The limit is checked again on the descriptor (the file may have grown since it was opened).
  auto again = open_upload_file("notes.txt", upload_roots_);
  ASSERT_TRUE(again.ok());
  write_file(root_ / "notes.txt", std::string(64, 'y'));
  auto grown = read_opened_upload(*again, 32);
  ::close(*again);
  ASSERT_FALSE(grown.ok());
  EXPECT_EQ(grown.error().code, "file_too_large");

  // Not a regular file: a directory opened by descriptor is refused.
  int dir = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir, 0);
  EXPECT_FALSE(read_opened_upload(dir).ok());
  ::close(dir);
  EXPECT_FALSE(open_upload_file("sub", upload_roots_).ok());
}

}  // namespace
}  // namespace notion_mcp::tools::testing
