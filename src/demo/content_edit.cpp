#include "demo/content_edit.h"

#include <set>

#include "demo/api_errors.h"
#include "demo/rich_text.h"
#include "demo/serialize.h"
#include "demo/str_cat.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

size_t count_matches(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// Page and database blocks anywhere under `id`.
void collect_references(const Store& store, const std::string& id, std::set<std::string>& out) {
  const Block* block = store.block(id);
  if (!block) return;
  for (const std::string& child : block->children) {
    const Block* b = store.block(child);
    if (!b || block_hidden(store, *b)) continue;
    if (b->type == "child_page" || b->type == "child_database") {
      out.insert(child);
    } else {
      collect_references(store, child, out);
    }
  }
}

void trash_subtree(Store& store, const std::string& id) {
  Block* block = store.block(id);
  if (!block || block->type == "child_page" || block->type == "child_database") return;
  block->in_trash = true;
  for (const std::string& child : block->children) trash_subtree(store, child);
}

// Keeps references to this page's own children; a reference to any other page becomes a
// mention, so that editing one page never moves another.
void resolve_references(Store& store, std::vector<NewBlock>& blocks,
                        const std::set<std::string>& own, std::set<std::string>& used) {
  for (NewBlock& block : blocks) {
    if (!block.existing_id.empty()) {
      if (own.count(block.existing_id) && used.insert(block.existing_id).second) continue;
      const std::string id = block.existing_id;
      Json rich = Json::array();
      if (const Page* page = store.page(id)) {
        rich.push_back(page_mention_item(id, store.page_title(*page), store.page_url(*page)));
      } else if (const Database* db = store.database(id)) {
        rich.push_back(text_item(plain_text(db->title), {}, store.database_url(*db)));
      }
      block = NewBlock{"paragraph", Json{{"rich_text", rich}, {"color", "default"}}, {}, {}};
      continue;
    }
    resolve_references(store, block.children, own, used);
  }
}

}  // namespace

util::Result<std::string> apply_text_edits(std::string markdown, const Json& updates) {
  if (!updates.is_array() || updates.empty() || updates.size() > 100) {
    return validation_error(
        "body failed validation: body.update_content.content_updates should be an array of 1 "
        "to 100 {old_str, new_str} edits.");
  }
  for (size_t i = 0; i < updates.size(); ++i) {
    const Json& edit = updates[i];
    const std::string where = "body.update_content.content_updates[" + std::to_string(i) + "]";
    const Json* old_str = util::member(edit, "old_str");
    const Json* new_str = util::member(edit, "new_str");
    if (!old_str || !old_str->is_string() || old_str->get<std::string>().empty() || !new_str ||
        !new_str->is_string()) {
      return validation_error(cat({"body failed validation: ", where,
                                   " should have a non-empty string old_str and a string "
                                   "new_str, instead was `",
                                   util::dump_json(edit), "`."}));
    }
    const std::string from = old_str->get<std::string>();
    const std::string to = new_str->get<std::string>();
    const size_t matches = count_matches(markdown, from);
    if (matches == 0) {
      return validation_error(cat({where,
                                   ".old_str was not found in the page content. Fetch "
                                   "the page's Markdown again and copy the text exactly, "
                                   "including formatting marks."}));
    }
    const bool all = util::bool_or(edit, "replace_all_matches", false);
    if (matches > 1 && !all) {
      return validation_error(cat({where, ".old_str matches ", std::to_string(matches),
                                   " places in the page. Add surrounding text to make it unique, "
                                   "or set replace_all_matches to true."}));
    }
    std::string out;
    size_t pos = 0;
    for (size_t hit = markdown.find(from); hit != std::string::npos;
         hit = markdown.find(from, hit + from.size())) {
      out.append(markdown, pos, hit - pos);
      out += to;
      pos = hit + from.size();
      if (!all) break;
    }
    out.append(markdown, pos, std::string::npos);
    markdown = std::move(out);
  }
  return markdown;
}

util::Result<std::pair<size_t, size_t>> find_selection(const std::string& markdown,
                                                       const std::string& selection) {
  const size_t dots = selection.find("...");
  const std::string start = selection.substr(0, dots);
  const std::string end = dots == std::string::npos ? std::string() : selection.substr(dots + 3);
  const size_t begin = start.empty() ? 0 : markdown.find(start);
  if (begin == std::string::npos) {
    return validation_error("The selection start \"" + start +
                            "\" was not found in the page content.");
  }
  if (end.empty()) return std::pair<size_t, size_t>(begin, begin + start.size());
  const size_t finish = markdown.find(end, begin + start.size());
  if (finish == std::string::npos) {
    return validation_error("The selection end \"" + end +
                            "\" was not found after its start in the page content.");
  }
  return std::pair<size_t, size_t>(begin, finish + end.size());
}

util::Result<void> replace_page_content(Store& store, const std::string& page_id,
                                        std::vector<NewBlock> blocks, bool allow_deleting,
                                        const Stamps& stamps) {
  Block* container = store.block(page_id);
  if (!container) return not_found("page", page_id);
  std::set<std::string> own, used;
  collect_references(store, page_id, own);
  resolve_references(store, blocks, own, used);
  std::vector<std::string> dropped;
  for (const std::string& id : own) {
    if (!used.count(id)) dropped.push_back(id);
  }
  if (!dropped.empty() && !allow_deleting) {
    std::string names;
    for (const std::string& id : dropped) {
      std::string title;
      if (const Page* p = store.page(id)) title = store.page_title(*p);
      if (const Database* d = store.database(id)) title = plain_text(d->title);
      names += cat({names.empty() ? "" : ", ", "\"", title, "\" (", id, ")"});
    }
    return validation_error(cat({"The new content leaves out ", names,
                                 ". Keep their <page>/<database> lines, or set "
                                 "allow_deleting_content to true to move them to the trash."}));
  }
  for (const std::string& id : dropped) {
    if (Page* p = store.page(id)) p->in_trash = true;
    if (Database* d = store.database(id)) d->in_trash = true;
  }
  const std::vector<std::string> old_children = container->children;
  for (const std::string& child : old_children) trash_subtree(store, child);
  for (const std::string& child : old_children) {
    // Kept references are re-attached by insert_blocks; the rest stay readable by id only.
    store.detach_block(child);
  }
  insert_blocks(store, Parent{ParentKind::kPage, page_id}, std::move(blocks), 0, stamps);
  return {};
}

}  // namespace notion_mcp::demo
