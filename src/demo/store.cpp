#include "demo/store.h"

#include <algorithm>

#include "demo/ids.h"
#include "demo/rich_text.h"

namespace notion_mcp::demo {

namespace {

template <class Map>
auto* find_in(Map& map, std::string_view id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

const User* Store::user(std::string_view id) const {
  auto it = user_index_.find(id);
  return it == user_index_.end() ? nullptr : &users_[it->second];
}

const Page* Store::page(std::string_view id) const { return find_in(pages_, id); }
Page* Store::page(std::string_view id) { return find_in(pages_, id); }
const Block* Store::block(std::string_view id) const { return find_in(blocks_, id); }
Block* Store::block(std::string_view id) { return find_in(blocks_, id); }
const Database* Store::database(std::string_view id) const { return find_in(databases_, id); }
Database* Store::database(std::string_view id) { return find_in(databases_, id); }
const DataSource* Store::data_source(std::string_view id) const {
  return find_in(data_sources_, id);
}
DataSource* Store::data_source(std::string_view id) { return find_in(data_sources_, id); }

void Store::add_user(User user) {
  if (user.bot && bot_id_.empty()) bot_id_ = user.id;
  user_index_[user.id] = users_.size();
  users_.push_back(std::move(user));
}

std::vector<std::string>* Store::children_of(const Parent& parent) {
  if (parent.kind != ParentKind::kPage && parent.kind != ParentKind::kBlock) return nullptr;
  Block* container = block(parent.id);
  return container ? &container->children : nullptr;
}

Page& Store::add_page(Page page, bool attach, size_t position) {
  Block block;
  block.id = page.id;
  block.type = "child_page";
  block.parent = page.parent;
  block.stamps = page.stamps;
  block.in_trash = page.in_trash;
  const std::string id = page.id;
  if (auto* siblings = attach ? children_of(page.parent) : nullptr) {
    siblings->insert(siblings->begin() + std::min(position, siblings->size()), id);
  }
  blocks_.insert_or_assign(id, std::move(block));
  page_ids_.push_back(id);
  return pages_.insert_or_assign(id, std::move(page)).first->second;
}

Block& Store::add_block(Block block, size_t position) {
  const std::string id = block.id;
  if (auto* siblings = children_of(block.parent)) {
    siblings->insert(siblings->begin() + std::min(position, siblings->size()), id);
  }
  return blocks_.insert_or_assign(id, std::move(block)).first->second;
}

Database& Store::add_database(Database database, bool attach) {
  Block block;
  block.id = database.id;
  block.type = "child_database";
  block.parent = database.parent;
  block.stamps = database.stamps;
  if (auto* siblings = attach ? children_of(database.parent) : nullptr) {
    siblings->push_back(database.id);
  }
  blocks_.insert_or_assign(database.id, std::move(block));
  const std::string id = database.id;
  return databases_.insert_or_assign(id, std::move(database)).first->second;
}

DataSource& Store::add_data_source(DataSource data_source) {
  if (Database* db = database(data_source.database_id)) {
    db->data_sources.push_back(data_source.id);
  }
  data_source_ids_.push_back(data_source.id);
  const std::string id = data_source.id;
  return data_sources_.insert_or_assign(id, std::move(data_source)).first->second;
}

Comment& Store::add_comment(Comment comment) {
  comments_.push_back(std::move(comment));
  return comments_.back();
}

FileUpload& Store::add_file_upload(FileUpload upload) {
  std::string id = upload.id;
  return file_uploads_.insert_or_assign(std::move(id), std::move(upload)).first->second;
}

const FileUpload* Store::file_upload(std::string_view id) const {
  auto it = file_uploads_.find(id);
  return it == file_uploads_.end() ? nullptr : &it->second;
}

FileUpload* Store::file_upload(std::string_view id) {
  auto it = file_uploads_.find(id);
  return it == file_uploads_.end() ? nullptr : &it->second;
}

void Store::attach_block(std::string_view id, size_t position) {
  const Block* b = block(id);
  if (!b) return;
  if (auto* siblings = children_of(b->parent)) {
    siblings->insert(siblings->begin() + std::min(position, siblings->size()), std::string(id));
  }
}

void Store::detach_block(std::string_view id) {
  const Block* b = block(id);
  if (!b) return;
  if (auto* siblings = children_of(b->parent)) {
    siblings->erase(std::remove(siblings->begin(), siblings->end(), id), siblings->end());
  }
}

void Store::reparent(std::string_view id, const Parent& parent, size_t position) {
  Block* b = block(id);
  if (!b) return;
  detach_block(id);
  b->parent = parent;
  if (Page* p = page(id)) p->parent = parent;
  if (Database* d = database(id)) d->parent = parent;
  attach_block(id, position);
}

Page* Store::owning_page(std::string_view id) {
  std::string current(id);
  for (int guard = 0; guard < 10000; ++guard) {
    if (Page* p = page(current)) return p;
    const Block* b = block(current);
    if (!b || (b->parent.kind != ParentKind::kPage && b->parent.kind != ParentKind::kBlock)) {
      return nullptr;
    }
    current = b->parent.id;
  }
  return nullptr;
}

bool Store::in_trash_tree(const Page& start) const {
  const Parent* parent = &start.parent;
  if (start.in_trash) return true;
  for (int guard = 0; guard < 10000; ++guard) {
    if (parent->kind == ParentKind::kDataSource) {
      const DataSource* ds = data_source(parent->id);
      const Database* db = ds ? database(ds->database_id) : nullptr;
      return (ds && ds->in_trash) || (db && db->in_trash);
    }
    if (parent->kind != ParentKind::kPage && parent->kind != ParentKind::kBlock) return false;
    const Block* b = block(parent->id);
    if (!b || b->in_trash) return b != nullptr;
    if (const Page* p = page(parent->id); p && p->in_trash) return true;
    parent = &b->parent;
  }
  return false;
}

std::string Store::next_id(std::string_view kind) {
  return derived_id("run-time/" + std::string(kind) + "/" + std::to_string(++id_counter_));
}

const util::Json* Store::title_property(const Page& page) const {
  for (const auto& [name, value] : page.properties.items()) {
    if (util::string_or(value, "type") == "title") return &value;
  }
  return nullptr;
}

std::string Store::page_title(const Page& page) const {
  const util::Json* title = title_property(page);
  return title ? plain_text(title->value("title", util::Json::array())) : std::string();
}

std::string url_slug(std::string_view title) {
  std::string slug;
  bool pending_dash = false;
  for (char c : title) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!keep) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) slug.push_back('-');
    pending_dash = false;
    slug.push_back(c);
  }
  return slug;
}

std::string Store::page_url(const Page& page) const {
  const std::string slug = url_slug(page_title(page));
  return "https://www.notion.so/" + (slug.empty() ? "" : slug + "-") + compact_id(page.id);
}

std::string Store::database_url(const Database& database) const {
  return "https://www.notion.so/" + compact_id(database.id);
}

const DataSource* Store::parent_data_source(const Page& page) const {
  if (page.parent.kind != ParentKind::kDataSource) return nullptr;
  return data_source(page.parent.id);
}

size_t Store::subtree_size(std::string_view block_id) const {
  const Block* b = block(block_id);
  if (!b) return 0;
  if (b->type == "child_page" || b->type == "child_database") return 1;
  size_t total = 1;
  for (const std::string& child : b->children) total += subtree_size(child);
  return total;
}

}  // namespace notion_mcp::demo
