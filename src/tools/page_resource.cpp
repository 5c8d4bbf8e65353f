#include "tools/page_resource.h"

#include "tools/markdown_assembly.h"

namespace notion_mcp::tools {

util::Task<util::Result<std::string>> read_page_markdown(notion::Client& client, std::string id,
                                                         util::CancelToken cancel) {
  auto first_call = client.get("/v1/pages/" + id + "/markdown", cancel);
  auto first = co_await first_call;
  if (!first.ok()) co_return first.error();
  const util::Json no_ids = util::Json::array();
  const util::Json* unknown = util::member(*first, "unknown_block_ids");
  MarkdownAssembly assembly(util::string_or(*first, "markdown"), unknown ? *unknown : no_ids);
  for (int part = 0; part < kMaxPageParts; ++part) {
    auto next = assembly.next();
    if (!next) break;
    auto part_call = client.get("/v1/pages/" + next->block_id + "/markdown", cancel);
    auto fetched = co_await part_call;
    if (!fetched.ok()) {
      if (fetched.error().code == "cancelled") co_return fetched.error();
      assembly.drop(next->block_id);  // its placeholder stays: the rest is still worth having
      continue;
    }
    const util::Json* more = util::member(*fetched, "unknown_block_ids");
    assembly.fill(next->block_id, util::string_or(*fetched, "markdown"), more ? *more : no_ids);
  }
  co_return assembly.markdown();
}

}  // namespace notion_mcp::tools
