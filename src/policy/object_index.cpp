#include "policy/object_index.h"

#include "tools/render.h"

namespace notion_mcp::policy {
namespace {

constexpr size_t kMaxTitle = 120;

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string short_title(std::string title) {
  if (title.size() <= kMaxTitle) return title;
  size_t cut = kMaxTitle;
  while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
  return title.substr(0, cut) + "…";
}

ObjectKind kind_of_object(const util::Json& object) {
  std::string type = util::string_or(object, "object");
  if (type == "page") return ObjectKind::page;
  if (type == "database") return ObjectKind::database;
  if (type == "data_source") return ObjectKind::data_source;
  if (type == "block") {
    // A child page or database is that page or database seen as a block.
    std::string block_type = util::string_or(object, "type");
    if (block_type == "child_page") return ObjectKind::page;
    if (block_type == "child_database") return ObjectKind::database;
    return ObjectKind::block;
  }
  return ObjectKind::unknown;
}

}  // namespace

std::string_view object_kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::page:
      return "page";
    case ObjectKind::block:
      return "block";
    case ObjectKind::database:
      return "database";
    case ObjectKind::data_source:
      return "data source";
    case ObjectKind::workspace:
      return "workspace";
    case ObjectKind::unknown:
      break;
  }
  return "object";
}

std::string normalize_id(std::string_view id) {
  std::string hex;
  hex.reserve(32);
  for (char c : id) {
    if (c == '-') continue;
    if (!is_hex(c) || hex.size() == 32) return {};
    hex.push_back(static_cast<char>(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c));
  }
  if (hex.size() != 32) return {};
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

ObjectRef parent_ref(const util::Json& parent) {
  std::string type = util::string_or(parent, "type");
  if (type == "workspace") return {ObjectKind::workspace, {}};
  struct Known {
    const char* type;
    ObjectKind kind;
  };
  static constexpr Known kKnown[] = {{"page_id", ObjectKind::page},
                                     {"block_id", ObjectKind::block},
                                     {"database_id", ObjectKind::database},
                                     {"data_source_id", ObjectKind::data_source}};
  for (const auto& known : kKnown) {
    if (type != known.type) continue;
    std::string id = normalize_id(util::string_or(parent, known.type));
    if (id.empty()) return {};
    return {known.kind, std::move(id)};
  }
  return {};
}

void ObjectIndex::observe(const util::Json& body, Clock::time_point now) {
  if (!body.is_object()) return;
  if (util::string_or(body, "object") == "list") {
    const util::Json* results = util::member(body, "results");
    if (results == nullptr || !results->is_array()) return;
    for (const util::Json& item : *results) learn(item, now);
    return;
  }
  learn(body, now);
}

void ObjectIndex::learn(const util::Json& object, Clock::time_point now) {
  if (!object.is_object()) return;
  ObjectKind kind = kind_of_object(object);
  if (kind == ObjectKind::unknown) return;
  std::string id = normalize_id(util::string_or(object, "id"));
  const util::Json* parent = util::member(object, "parent");
  if (id.empty() || parent == nullptr) return;
  ObjectRef ref = parent_ref(*parent);
  if (ref.kind == ObjectKind::unknown) return;
  // A row names its data source and that data source's database: learn both links at once.
  if (ref.kind == ObjectKind::data_source) {
    std::string database = normalize_id(util::string_or(*parent, "database_id"));
    if (!database.empty() && fresh(ref.id, now) == nullptr) {
      Entry link;
      link.kind = ObjectKind::data_source;
      link.parent.kind = ObjectKind::database;
      link.parent.id = std::move(database);
      link.title = title(ref.id);
      link.seen = now;
      remember(ref.id, std::move(link));
    }
  }
  Entry entry;
  entry.kind = kind;
  entry.parent = std::move(ref);
  entry.title = short_title(tools::title_of(object));
  entry.seen = now;
  remember(std::move(id), std::move(entry));
}

void ObjectIndex::remember(std::string id, Entry entry) {
  if (entries_.size() >= capacity_ && entries_.find(id) == entries_.end()) {
    // Forgetting everything is crude but bounded and safe: entries are only a cache.
    entries_.clear();
  }
  auto& slot = entries_[std::move(id)];
  if (entry.title.empty()) entry.title = std::move(slot.title);  // keep a title seen earlier
  slot = std::move(entry);
}

const ObjectIndex::Entry* ObjectIndex::fresh(std::string_view id, Clock::time_point now) const {
  auto found = entries_.find(std::string(id));
  if (found == entries_.end() || now - found->second.seen > max_age_) return nullptr;
  return &found->second;
}

const ObjectIndex::Entry* ObjectIndex::find(std::string_view id) const {
  auto found = entries_.find(std::string(id));
  return found == entries_.end() ? nullptr : &found->second;
}

std::string ObjectIndex::title(std::string_view id) const {
  auto found = entries_.find(std::string(id));
  return found == entries_.end() ? std::string() : found->second.title;
}

}  // namespace notion_mcp::policy
