#include "policy/guard.h"

#include <string>
#include <vector>

#include "policy/call_kind.h"
#include "policy/confirmation.h"
#include "policy/scope_arguments.h"

namespace notion_mcp::policy {
namespace {

util::Error outside_scope(std::string message) {
  return util::make_error("outside_scope", std::move(message),
                          "Stay inside the scope; the person running the server decides it.");
}

ObjectKind result_kind(const util::Json& item) {
  std::string type = util::string_or(item, "type");
  if (type == "data_source") return ObjectKind::data_source;
  if (type == "database") return ObjectKind::database;
  if (type == "block") return ObjectKind::block;
  return ObjectKind::page;  // search hits and query rows are pages unless they say otherwise
}

// Removes the text lines that mention `id` (each result is one line naming its id).
void drop_lines_with(std::string& text, const std::string& id) {
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string_view line(text.data() + start, next - start);
    if (line.find(id) == std::string_view::npos) out.append(line);
    start = next;
  }
  text = std::move(out);
}

}  // namespace

util::Result<Guard> Guard::create(const Settings& settings) {
  for (const auto* list : {&settings.allow, &settings.deny}) {
    for (const auto& pattern : *list) {
      if (auto valid = validate_pattern(pattern); !valid.ok()) return valid.error();
    }
  }
  auto scope = Scope::parse(settings.scope);
  if (!scope.ok()) return scope.error();
  return Guard(settings, std::move(scope).value());
}

ToolDecision Guard::decide(const tools::Tool& tool, const util::Json& arguments) const {
  return rules_.decide(tool, kind_of_call(tool, arguments));
}

bool Guard::needs_confirmation(const tools::Tool& tool, const util::Json& arguments) const {
  return policy::needs_confirmation(confirm_, kind_of_call(tool, arguments).kind);
}

void Guard::observe(const util::Json& body) { index_.observe(body, ObjectIndex::Clock::now()); }

util::Task<std::optional<util::Error>> Guard::check_scope(const tools::Tool& tool,
                                                          const util::Json& arguments,
                                                          notion::Client& client,
                                                          util::CancelToken cancel) {
  if (!scope_.active()) co_return std::nullopt;
  ScopeRule rule = scope_rule(tool.name);
  if (!rule.check_arguments) co_return std::nullopt;
  auto targets = scope_targets(arguments);
  if (!targets.ok()) co_return targets.error();
  if (targets->empty()) {
    if (rule.targets_optional) co_return std::nullopt;
    co_return outside_scope(
        tool.name + " was refused: this server is limited to part of the workspace (--scope " +
        scope_.describe(index_) +
        ") and this call names no page inside it. Pass the id of a page inside the scope (for "
        "a new page: a parent inside the scope).");
  }
  for (const ScopeTarget& target : *targets) {
    auto check = scope_.check(target.ref, index_, client, cancel);
    Scope::Verdict verdict = co_await check;
    if (verdict.inside) continue;
    if (verdict.failed) co_return util::make_error("scope_check_failed", verdict.why);
    co_return outside_scope(tool.name + " was refused (" + target.argument + "): " + verdict.why);
  }
  co_return std::nullopt;
}

util::Task<std::optional<util::Error>> Guard::check_object(ObjectRef ref, notion::Client& client,
                                                           util::CancelToken cancel) {
  if (!scope_.active()) co_return std::nullopt;
  auto check = scope_.check(std::move(ref), index_, client, cancel);
  Scope::Verdict verdict = co_await check;
  if (verdict.inside) co_return std::nullopt;
  if (verdict.failed) co_return util::make_error("scope_check_failed", verdict.why);
  co_return outside_scope(verdict.why);
}

util::Task<void> Guard::filter_results(const tools::Tool& tool, tools::ToolResult& result,
                                       notion::Client& client, util::CancelToken cancel) {
  if (!scope_.active() || result.is_error || !scope_rule(tool.name).filter_results) co_return;
  util::Json* results = result.structured.is_object() && result.structured.contains("results")
                            ? &result.structured["results"]
                            : nullptr;
  if (results == nullptr || !results->is_array()) co_return;
  util::Json kept = util::Json::array();
  size_t dropped = 0;
  for (util::Json& item : *results) {
    std::string id = normalize_id(util::string_or(item, "id"));
    bool inside = false;
    if (!id.empty() && !cancel.cancelled()) {
      auto check = scope_.check(ObjectRef{result_kind(item), id}, index_, client, cancel);
      inside = (co_await check).inside;
    }
    if (inside) {
      kept.push_back(std::move(item));
      continue;
    }
    ++dropped;
    std::string raw_id = util::string_or(item, "id");
    if (!raw_id.empty()) drop_lines_with(result.text, raw_id);
  }
  *results = std::move(kept);
  if (dropped == 0) co_return;
  if (results->empty() && result.text.find_first_not_of(" \n") == std::string::npos) {
    result.text = "Nothing found inside this server's scope.\n";
  }
  result.text += "(" + std::to_string(dropped) + (dropped == 1 ? " result" : " results") +
                 " outside this server's scope (--scope " + scope_.describe(index_) +
                 ") left out.)\n";
}

}  // namespace notion_mcp::policy
