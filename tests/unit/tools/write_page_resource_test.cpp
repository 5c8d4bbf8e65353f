// read_page_markdown: a page's whole Markdown, stitched like get_page stitches it, for
// resources/read and for edit_page_content's check of what a replace would delete.
#include "tests/unit/tools/write_fixture.h"
#include "tools/page_resource.h"

namespace notion_mcp::tools::testing {
namespace {

class ToolsWritePageResource : public WriteFixture {
 protected:
  util::Result<std::string> read(const std::string& id) {
    util::Result<std::string> out = util::make_error("unfinished", "did not finish");
    auto task = [](notion::Client& client, std::string page,
                   util::Result<std::string>& result) -> util::Task<void> {
      auto reading = read_page_markdown(client, std::move(page), {});
      result = co_await reading;
    };
    EXPECT_TRUE(util::run_to_completion(loop_, task(client_, id, out)));
    return out;
  }
};

TEST_F(ToolsWritePageResource, IsTheSameMarkdownGetPageReturns) {
  for (const char* title : {"Security policy", "Meeting notes archive"}) {
    SCOPED_TRACE(title);
    std::string id = id_of(title);
    auto markdown = read(id);
    ASSERT_TRUE(markdown.ok()) << markdown.error().message;
    ToolResult page = call("get_page", {{"page_id", id}, {"max_chars", 100000}});
    ASSERT_FALSE(page.is_error) << page.text;
    EXPECT_EQ(*markdown, page.structured["markdown"].get<std::string>());
  }
  auto missing = read("01234567-89ab-cdef-0123-456789abcdef");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "object_not_found");
}

}  // namespace
}  // namespace notion_mcp::tools::testing
