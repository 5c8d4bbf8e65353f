#include "policy/scope_arguments.h"

#include <array>

#include "tools/ids.h"

namespace notion_mcp::policy {
namespace {

struct IdArgument {
  std::string_view name;
  ObjectKind kind;  // unknown: any kind (the check looks the id up as each kind in turn)
};

// Argument names that hold the id (or URL) of a page, block, database or data source.
constexpr std::array kIdArguments = {
    IdArgument{"page_id", ObjectKind::page},
    IdArgument{"block_id", ObjectKind::block},
    IdArgument{"database_id", ObjectKind::database},
    IdArgument{"data_source_id", ObjectKind::data_source},
    IdArgument{"parent_id", ObjectKind::unknown},
    IdArgument{"parent_page_id", ObjectKind::page},
    IdArgument{"parent_block_id", ObjectKind::block},
    IdArgument{"parent_database_id", ObjectKind::database},
    IdArgument{"parent_data_source_id", ObjectKind::data_source},
    IdArgument{"new_parent_id", ObjectKind::unknown},
    IdArgument{"target_id", ObjectKind::unknown},
    IdArgument{"parent", ObjectKind::unknown},
    IdArgument{"new_parent", ObjectKind::unknown},
    IdArgument{"destination", ObjectKind::unknown},
};

// Tools that touch no page content: people, the integration itself.
constexpr std::array<std::string_view, 3> kNoContent = {"list_users", "get_user", "get_self"};
// Tools whose own arguments name no page (search) but whose results are filtered.
constexpr std::array<std::string_view, 1> kFilterOnly = {"search"};
// Tools whose results are filtered besides their arguments being checked.
constexpr std::array<std::string_view, 1> kFilterToo = {"query_data_source"};
// Tools that may name no page at all: an upload is attached by a later call that is checked.
constexpr std::array<std::string_view, 1> kTargetsOptional = {"upload_file"};

template <size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
  for (auto entry : list) {
    if (entry == name) return true;
  }
  return false;
}

const IdArgument* id_argument(std::string_view name) {
  for (const auto& argument : kIdArguments) {
    if (argument.name == name) return &argument;
  }
  return nullptr;
}

// Adds `id` unless it is empty or already a target (a URL whose ?p= repeats its path's id).
void add_target(std::vector<ScopeTarget>& out, std::string argument, ObjectKind kind,
                const std::string& id) {
  std::string normalized = normalize_id(id);
  if (normalized.empty()) return;
  for (const auto& target : out) {
    if (target.ref.id == normalized) return;
  }
  out.push_back({std::move(argument), {kind, std::move(normalized)}});
}

// Every id the value carries is a target: whichever of them the tool acts on (the path's id,
// the side-peek page or the #block) must be inside, so a URL cannot smuggle one past the check.
util::Result<void> add_targets(std::vector<ScopeTarget>& out, const std::string& name,
                               const std::string& value, ObjectKind kind) {
  auto ids = tools::ids_in(value);
  if (!ids.ok()) {
    return util::make_error("invalid_id", name + " is not a Notion id or URL.",
                            "Pass the id or the URL of the page (search finds both).");
  }
  add_target(out, name, kind, ids->path);
  add_target(out, name + " (the page in its ?p=)", ObjectKind::page, ids->peek_page);
  add_target(out, name + " (the block in its #)", ObjectKind::block, ids->block);
  return {};
}

util::Result<void> collect(const util::Json& object, const std::string& prefix,
                           std::vector<ScopeTarget>& out, int depth) {
  for (const auto& [key, value] : object.items()) {
    const IdArgument* argument = id_argument(key);
    if (argument == nullptr) continue;
    std::string name = prefix + key;
    if (value.is_string()) {
      auto added = add_targets(out, name, value.get_ref<const std::string&>(), argument->kind);
      if (!added.ok()) return added;
    } else if (value.is_object() && depth == 0) {
      // A parent written as Notion writes it: {"page_id": ...} or {"type": ..., "page_id": ...}.
      if (auto nested = collect(value, name + ".", out, depth + 1); !nested.ok()) return nested;
    }
  }
  return {};
}

}  // namespace

ScopeRule scope_rule(std::string_view tool_name) {
  if (listed(kNoContent, tool_name)) return {false, true, false};
  if (listed(kFilterOnly, tool_name)) return {false, true, true};
  ScopeRule rule;
  rule.filter_results = listed(kFilterToo, tool_name);
  rule.targets_optional = listed(kTargetsOptional, tool_name);
  return rule;
}

util::Result<std::vector<ScopeTarget>> scope_targets(const util::Json& arguments) {
  std::vector<ScopeTarget> out;
  if (!arguments.is_object()) return out;
  if (auto collected = collect(arguments, "", out, 0); !collected.ok()) return collected.error();
  return out;
}

bool names_scope_argument(std::string_view input_schema) {
  auto schema = util::parse_json(input_schema);
  if (!schema) return false;
  const util::Json* properties = util::member(*schema, "properties");
  if (properties == nullptr || !properties->is_object()) return false;
  for (const auto& [key, value] : properties->items()) {
    (void)value;
    if (id_argument(key) != nullptr) return true;
  }
  return false;
}

}  // namespace notion_mcp::policy
