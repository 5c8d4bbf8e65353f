#include "audit/summary.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include "audit/printable.h"
#include "util/json.h"

namespace notion_mcp::audit {
namespace {

using Clock = std::chrono::system_clock;

struct Line {
  Clock::time_point time;
  std::string client, tool, kind, outcome, detail, result_id;
  util::Json targets;
  bool demo = false;
};

std::string local_time(Clock::time_point time) {
  std::time_t t = Clock::to_time_t(time);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &tm);
  return buffer;
}

std::string short_id(const std::string& id) { return id.size() > 8 ? id.substr(0, 8) + "…" : id; }

std::string target_text(const util::Json& targets) {
  std::string out;
  if (!targets.is_array()) return out;
  for (const auto& target : targets) {
    if (!out.empty()) out += ", ";
    std::string arg = printable(util::string_or(target, "arg"));
    std::string title = printable(util::string_or(target, "title"));
    std::string id = printable(util::string_or(target, "id"));
    if (arg != "page_id" && arg != "block_id" && arg != "uri" && !arg.empty()) out += arg + " ";
    out += title.empty() ? short_id(id) : "\"" + title + "\" (" + short_id(id) + ")";
  }
  return out;
}

std::string counts(const std::map<std::string, int>& tally, size_t limit = 8) {
  std::vector<std::pair<std::string, int>> sorted(tally.begin(), tally.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < limit; ++i) {
    if (!out.empty()) out += ", ";
    out += sorted[i].first + " " + std::to_string(sorted[i].second);
  }
  if (sorted.size() > limit) out += ", …";
  return out;
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

util::Result<std::chrono::seconds> parse_duration(std::string_view text) {
  long long value = 0;
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && digits < 9) {
    value = value * 10 + (text[digits] - '0');
    ++digits;
  }
  std::string_view unit = text.substr(digits);
  long long factor = 0;
  if (unit == "s") factor = 1;
  if (unit == "m" || unit == "min") factor = 60;
  if (unit == "h") factor = 3600;
  if (unit == "d") factor = 86400;
  if (unit == "w") factor = 7 * 86400;
  if (digits == 0 || factor == 0) {
    std::string message(1, '"');
    message.append(text.substr(0, 40));
    message.append("\" is not a duration: use a number and a unit, such as 30m, 24h, 7d or 2w.");
    return util::make_error("invalid_duration", std::move(message));
  }
  return std::chrono::seconds(value * factor);
}

std::optional<Clock::time_point> parse_time(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20) return std::nullopt;
  std::string copy(text.substr(0, 19));
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::time_t t = ::timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return Clock::from_time_t(t);
}

std::string summarize(const std::vector<std::string>& lines, const SummaryOptions& options,
                      std::string_view source) {
  std::vector<Line> entries;
  size_t unreadable = 0;
  size_t lost_lines = 0;
  for (const auto& text : lines) {
    if (text.empty()) continue;
    auto parsed = util::parse_json(text);
    auto time = parsed.ok() ? parse_time(util::string_or(*parsed, "time")) : std::nullopt;
    if (!parsed.ok() || !time) {
      ++unreadable;
      continue;
    }
    if (options.since && *time < *options.since) continue;
    const util::Json& json = *parsed;
    if (const util::Json* lost = util::member(json, "lost_lines");
        lost && lost->is_number_integer()) {
      lost_lines += static_cast<size_t>(std::clamp<int64_t>(lost->get<int64_t>(), 0, 1 << 30));
      continue;  // a note from the server, not a call
    }
    Line line;
    line.time = *time;
    // Everything read from the log is shown on a terminal: no escape sequences get through.
    line.client = printable(util::string_or(json, "client", "?"));
    line.tool = printable(util::string_or(json, "tool", "?"));
    line.kind = printable(util::string_or(json, "kind", "read"));
    line.outcome = printable(util::string_or(json, "outcome", "?"));
    line.detail = printable(util::string_or(json, "detail"));
    line.result_id = printable(util::string_or(json, "result_id"));
    if (const util::Json* targets = util::member(json, "targets")) line.targets = *targets;
    line.demo = util::bool_or(json, "demo", false);
    entries.push_back(std::move(line));
  }

  std::string out = "Audit log " + printable(source);
  if (options.since) out += ", since " + local_time(*options.since);
  out += ": " + std::to_string(entries.size()) + (entries.size() == 1 ? " call" : " calls") + "\n";
  if (unreadable > 0) {
    out += "(" + std::to_string(unreadable) + " lines could not be read and were skipped)\n";
  }
  if (lost_lines > 0) {
    out += "(" + std::to_string(lost_lines) +
           " lines are missing: the server could not hand them to the log in time; calls were "
           "made that this summary does not show)\n";
  }
  if (entries.empty()) return out + "Nothing recorded in this period.\n";

  std::map<std::string, int> by_kind, by_outcome, clients, reads_by_tool, pages_read, destroyed,
      restored;
  for (const auto& entry : entries) {
    ++by_kind[entry.kind];
    ++by_outcome[entry.outcome];
    ++clients[entry.client];
    if (entry.kind == "read" && entry.outcome == "ok") {
      ++reads_by_tool[entry.tool];
      std::string target = target_text(entry.targets);
      if (!target.empty()) ++pages_read[target];
    }
    // restore_page is destructive for the profiles (it changes what is live) but brings a page
    // back rather than destroying one.
    if (entry.kind == "destructive" && entry.outcome == "ok") {
      ++(entry.tool == "restore_page" ? restored : destroyed)[entry.tool];
    }
  }
  out += "  reads " + std::to_string(by_kind["read"]) + " · writes " +
         std::to_string(by_kind["write"]) + " · destructive " +
         std::to_string(by_kind["destructive"]) + "   (ok " + std::to_string(by_outcome["ok"]) +
         ", failed " + std::to_string(by_outcome["error"]) + ", refused " +
         std::to_string(by_outcome["refused"]) + ", declined " +
         std::to_string(by_outcome["declined"]) + ", cancelled " +
         std::to_string(by_outcome["cancelled"]) + ")\n";
  out += "  clients: " + counts(clients) + "\n";

  out += "\nChanges (writes and destructive calls), oldest first:\n";
  size_t changes = 0;
  for (const auto& entry : entries) {
    if (entry.kind == "read") continue;
    ++changes;
    std::string line = "  " + local_time(entry.time) + "  " + pad(entry.tool, 19) + " " +
                       pad(entry.outcome, 9) + " " + target_text(entry.targets);
    if (!entry.result_id.empty()) line += " → " + short_id(entry.result_id);
    if (entry.outcome != "ok" && !entry.detail.empty()) line += "  (" + entry.detail + ")";
    line += "  [" + entry.client + (entry.demo ? ", demo" : "") + "]";
    out += line + "\n";
  }
  if (changes == 0) out += "  none\n";
  out += "Destroyed (trashed or deleted): " + (destroyed.empty() ? "nothing" : counts(destroyed)) +
         "\n";
  if (!restored.empty()) out += "Restored from the trash: " + counts(restored) + "\n";
  if (options.writes_only) return out;

  out += "\nWhat was read:\n";
  out += "  by tool: " + (reads_by_tool.empty() ? std::string("nothing") : counts(reads_by_tool)) +
         "\n";
  if (!pages_read.empty()) out += "  most read: " + counts(pages_read, 10) + "\n";
  return out;
}

}  // namespace notion_mcp::audit
