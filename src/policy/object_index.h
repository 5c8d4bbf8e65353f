// What this server has learnt about Notion objects from the answers it has seen: each object's
// parent and title. The scope check walks parents through it (fetching only what is missing),
// and confirmations and the audit log name pages by title. Bounded in size and in age, because
// pages move and the cache must not vouch for a parent forever.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/json.h"

namespace notion_mcp::policy {

enum class ObjectKind { unknown, page, block, database, data_source, workspace };
std::string_view object_kind_name(ObjectKind kind);

struct ObjectRef {
  ObjectKind kind = ObjectKind::unknown;
  std::string id;  // dashed lowercase UUID; empty for the workspace
};

// Notion's parent object ({"type":"page_id","page_id":...}) as a reference; kind unknown when
// the shape is not one we know (which the scope check treats as "not inside").
ObjectRef parent_ref(const util::Json& parent);

// A Notion id (dashed or not, any case) in the one form the index uses; empty if not a UUID.
std::string normalize_id(std::string_view id);

class ObjectIndex {
 public:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    ObjectKind kind = ObjectKind::unknown;
    ObjectRef parent;
    std::string title;
    Clock::time_point seen;
  };

  explicit ObjectIndex(size_t capacity = 4096,
                       std::chrono::seconds max_age = std::chrono::minutes(10))
      : capacity_(capacity == 0 ? 1 : capacity), max_age_(max_age) {}

  // Learns from a Notion answer: one object, or a list ({"results": [...]}) of them.
  void observe(const util::Json& body, Clock::time_point now);
  // Learns one object ({"object":"page"|"block"|"database"|"data_source", "id", "parent"}).
  void learn(const util::Json& object, Clock::time_point now);
  void remember(std::string id, Entry entry);

  // The entry for `id` if it is recent enough to trust its parent; null otherwise.
  const Entry* fresh(std::string_view id, Clock::time_point now) const;
  // The entry for `id` however old (just after fetching it, say); null when unknown.
  const Entry* find(std::string_view id) const;
  // The title last seen for `id`, however old; empty when unknown.
  std::string title(std::string_view id) const;
  size_t size() const { return entries_.size(); }

 private:
  size_t capacity_;
  std::chrono::seconds max_age_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace notion_mcp::policy
