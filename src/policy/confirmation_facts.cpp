#include "policy/confirmation_facts.h"

#include "policy/scope_arguments.h"
#include "tools/ids.h"
#include "tools/render.h"

namespace notion_mcp::policy {
namespace {

// A confirmation names a handful of objects; more would only delay the question.
constexpr size_t kMaxLookups = 4;
constexpr size_t kMaxBlockText = 120;

std::vector<std::string_view> paths_for(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::page:
      return {"/v1/pages/"};
    case ObjectKind::block:
      return {"/v1/blocks/"};
    case ObjectKind::database:
      return {"/v1/databases/"};
    case ObjectKind::data_source:
      return {"/v1/data_sources/", "/v1/databases/"};
    default:
      return {"/v1/pages/", "/v1/databases/"};  // a parent: a page or a database
  }
}

// A block has no title: its type and the start of its text say what it is.
std::string block_line(const util::Json& block) {
  std::string type = util::string_or(block, "type", "block");
  std::string text = tools::block_text(block);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (text.size() > kMaxBlockText) {
    size_t cut = kMaxBlockText;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  std::string line = "The block is a " + type;
  if (!text.empty()) line += ": \"" + text + "\"";
  return line + ".";
}

// Sub-pages and databases directly on the page (one request: the first 100 blocks).
// `page_id` by value: the task runs after the caller's temporaries are gone.
util::Task<std::string> subpages_line(std::string page_id, notion::Client& client,
                                      util::CancelToken cancel) {
  auto call = client.get("/v1/blocks/" + page_id + "/children?page_size=100", cancel);
  auto answer = co_await call;
  if (!answer.ok()) co_return std::string();
  const util::Json* results = util::member(*answer, "results");
  if (results == nullptr || !results->is_array()) co_return std::string();
  size_t pages = 0, databases = 0;
  for (const auto& block : *results) {
    std::string type = util::string_or(block, "type");
    if (type == "child_page") ++pages;
    if (type == "child_database") ++databases;
  }
  bool more = util::bool_or(*answer, "has_more", false);
  if (pages == 0 && databases == 0) {
    co_return more ? std::string() : std::string("It has no sub-pages.");
  }
  std::string what;
  if (pages > 0) what = std::to_string(pages) + (pages == 1 ? " sub-page" : " sub-pages");
  if (databases > 0) {
    if (!what.empty()) what += " and ";
    what += std::to_string(databases) + (databases == 1 ? " database" : " databases");
  }
  co_return "It has " + std::string(more ? "at least " : "") + what +
      ", which go to the trash with it.";
}

}  // namespace

util::Task<std::vector<std::string>> gather_confirmation_facts(const tools::Tool& tool,
                                                               const util::Json& arguments,
                                                               ObjectIndex& index,
                                                               notion::Client& client,
                                                               util::CancelToken cancel) {
  std::vector<std::string> lines;
  auto targets = scope_targets(arguments);
  if (!targets.ok()) co_return lines;
  size_t looked_up = 0;
  for (const ScopeTarget& target : *targets) {
    if (looked_up == kMaxLookups || cancel.cancelled()) break;
    const std::string& id = target.ref.id;
    bool is_block = target.ref.kind == ObjectKind::block;
    if (!is_block && !index.title(id).empty()) continue;
    ++looked_up;
    for (std::string_view prefix : paths_for(target.ref.kind)) {
      auto call = client.get(std::string(prefix) + id, cancel);
      auto answer = co_await call;
      if (!answer.ok()) continue;
      index.learn(*answer, ObjectIndex::Clock::now());
      if (is_block) {
        // delete_block on a sub-page's block deletes the page: its title is learnt above.
        std::string title = index.title(id);
        lines.push_back(title.empty() ? block_line(*answer)
                                      : "The block is the sub-page \"" + title + "\".");
      }
      break;
    }
  }
  // The page trash_page acts on: the one its own id parsing picks (a side peek's ?p= wins).
  auto trashed = tool.name == "trash_page"
                     ? tools::parse_page_id(util::string_or(arguments, "page_id"))
                     : util::Result<std::string>(util::make_error("none", "not trash_page"));
  if (trashed.ok() && !cancel.cancelled()) {
    auto counting = subpages_line(normalize_id(*trashed), client, cancel);
    std::string line = co_await counting;
    if (!line.empty()) lines.push_back(std::move(line));
  }
  co_return lines;
}

}  // namespace notion_mcp::policy
