#include "mcp/resources.h"

#include "tools/ids.h"
#include "tools/page_resource.h"
#include "tools/render.h"

namespace notion_mcp::mcp {
util::Json resource_templates() {
  return {{"resourceTemplates",
           util::Json::array({{{"uriTemplate", std::string(kPageUriPrefix) + "{id}"},
                               {"name", "notion-page"},
                               {"title", "Notion page"},
                               {"description",
                                "A Notion page as Markdown. {id} is the page's id (from search) "
                                "or its URL."},
                               {"mimeType", "text/markdown"}}})}};
}

util::Json resource_list() { return {{"resources", util::Json::array()}}; }

util::Result<std::string> page_id_from_uri(std::string_view uri) {
  if (uri.substr(0, kPageUriPrefix.size()) != kPageUriPrefix) {
    return util::make_error("invalid_uri",
                            "Unknown resource URI: only notion://page/{id} resources exist.",
                            "Use notion://page/ followed by a page id from search.");
  }
  auto id = tools::parse_page_id(uri.substr(kPageUriPrefix.size()));
  if (!id.ok()) {
    return util::make_error("invalid_uri", "The resource URI does not name a page id.",
                            "Use notion://page/ followed by a page id from search.");
  }
  return id;
}

util::Task<util::Result<std::string>> read_page_resource(notion::Client& client, std::string id,
                                                         util::CancelToken cancel) {
  // The page itself first: its title heads the text, and an id that is not a page fails here.
  auto page_call = client.get("/v1/pages/" + id, cancel);
  auto page = co_await page_call;
  if (!page.ok()) co_return page.error();
  auto reading = tools::read_page_markdown(client, id, cancel);
  auto markdown = co_await reading;
  if (!markdown.ok()) co_return markdown.error();
  std::string title = tools::title_of(*page);
  std::string text = title.empty() ? std::string() : "# " + title + "\n\n";
  text += *markdown;
  // Resources reach the model as context, like get_page's content: fenced as data.
  co_return tools::fence_untrusted(text);
}

}  // namespace notion_mcp::mcp
