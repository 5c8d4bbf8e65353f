#include "policy/scope.h"

#include <algorithm>
#include <array>

#include "tools/ids.h"

namespace notion_mcp::policy {
namespace {

// Notion pages nest deeply in practice, but not this deeply; a longer chain is refused.
constexpr int kMaxDepth = 48;

std::string_view path_prefix(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::page:
      return "/v1/pages/";
    case ObjectKind::block:
      return "/v1/blocks/";
    case ObjectKind::database:
      return "/v1/databases/";
    case ObjectKind::data_source:
      return "/v1/data_sources/";
    default:
      return {};
  }
}

// An id handed over with the wrong kind (a database id as a data source, a page as a block) is
// looked up as the other kinds, in this order, when Notion says the first guess does not exist.
constexpr std::array kFallbackOrder = {ObjectKind::page, ObjectKind::block, ObjectKind::data_source,
                                       ObjectKind::database};

bool worth_another_kind(const util::Error& error) {
  return error.code == "object_not_found" || error.code == "validation_error" ||
         error.code == "invalid_request_url";
}

// Fetches `ref` (trying the other kinds when its kind is unknown or wrong) so `index` learns it.
util::Task<util::Result<void>> fetch(ObjectRef ref, ObjectIndex& index, notion::Client& client,
                                     util::CancelToken cancel) {
  std::vector<ObjectKind> kinds;
  if (ref.kind != ObjectKind::unknown) kinds.push_back(ref.kind);
  for (ObjectKind kind : kFallbackOrder) {
    if (kind != ref.kind) kinds.push_back(kind);
  }
  std::optional<util::Error> first_error;
  for (ObjectKind kind : kinds) {
    auto call = client.get(std::string(path_prefix(kind)) + ref.id, cancel);
    auto answer = co_await call;
    if (answer.ok()) {
      index.learn(*answer, ObjectIndex::Clock::now());
      if (index.find(ref.id) != nullptr) co_return util::Result<void>();
      break;  // an answer without a parent we understand: other kinds will not do better
    }
    if (!first_error) first_error = answer.error();
    if (!worth_another_kind(answer.error())) break;
  }
  if (first_error) co_return *first_error;
  co_return util::make_error("unknown_parent", "Notion's answer did not name a parent.");
}

}  // namespace

util::Result<Scope> Scope::parse(const std::vector<std::string>& inputs) {
  Scope scope;
  for (const auto& input : inputs) {
    // A URL opened in a database's side peek means the page shown, as elsewhere.
    auto id = tools::parse_page_id(input);
    if (!id.ok()) {
      return util::make_error(
          "invalid_scope",
          "--scope \"" + input.substr(0, 120) + "\" is not a Notion page, database or data source.",
          "Pass the id or the URL of a page or database (copy it from Notion's Share menu).");
    }
    std::string normalized = normalize_id(*id);
    if (std::find(scope.roots_.begin(), scope.roots_.end(), normalized) == scope.roots_.end()) {
      scope.roots_.push_back(std::move(normalized));
    }
  }
  return scope;
}

bool Scope::is_root(std::string_view id) const {
  return std::find(roots_.begin(), roots_.end(), id) != roots_.end();
}

std::string describe_object(const ObjectRef& ref, const ObjectIndex& index) {
  std::string out(object_kind_name(ref.kind));
  std::string title = index.title(ref.id);
  if (!title.empty()) out += " \"" + title + "\"";
  out += title.empty() ? " " + ref.id : " (" + ref.id + ")";
  return out;
}

std::string describe_object(const ObjectRef& ref) {
  return std::string(object_kind_name(ref.kind)) + " " + ref.id;
}

std::string Scope::describe(const ObjectIndex& index) const {
  std::string out;
  for (const auto& root : roots_) {
    if (!out.empty()) out += ", ";
    std::string title = index.title(root);
    out += title.empty() ? root : "\"" + title + "\" (" + root + ")";
  }
  return out;
}

util::Task<Scope::Verdict> Scope::check(ObjectRef target, ObjectIndex& index,
                                        notion::Client& client, util::CancelToken cancel) const {
  if (!active()) co_return Verdict{true, false, {}};
  const ObjectRef original = target;
  auto outside = [&](std::string detail) {
    return Verdict{false, false,
                   describe_object(original) +
                       " is outside the part of the workspace this "
                       "server is limited to (--scope " +
                       describe(index) + ")" + detail +
                       ". Work with pages inside that scope (search shows only those), or ask the "
                       "person running the server to widen --scope."};
  };
  ObjectRef current = std::move(target);
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    if (current.kind == ObjectKind::workspace) co_return outside("");
    if (current.id.empty()) co_return outside(": its parent is of a kind this server cannot check");
    if (is_root(current.id)) co_return Verdict{true, false, {}};
    const ObjectIndex::Entry* entry = index.fresh(current.id, ObjectIndex::Clock::now());
    if (entry == nullptr) {
      auto fetched = co_await fetch(current, index, client, cancel);
      if (!fetched.ok()) {
        const util::Error& error = fetched.error();
        if (error.code == "cancelled") co_return Verdict{false, true, "The call was cancelled."};
        co_return Verdict{false, true,
                          "Could not check that " + describe_object(original) +
                              " is inside this server's scope (--scope " + describe(index) +
                              "): Notion said: " + error.message +
                              " Check the id (search shows the pages inside the scope)."};
      }
      entry = index.find(current.id);  // just fetched: trust it whatever the age limit
      if (entry == nullptr) co_return outside(": Notion did not say where it is");
    }
    current = entry->parent;
  }
  co_return outside(": it is nested too deeply to check");
}

}  // namespace notion_mcp::policy
