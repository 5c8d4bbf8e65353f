#include "audit/record.h"

#include <ctime>

#include "util/redact.h"

namespace notion_mcp::audit {
namespace {

constexpr size_t kMaxArrayItems = 10;
constexpr int kMaxDepth = 4;
constexpr size_t kMaxRequestIds = 20;

bool secret_key(std::string_view key) {
  std::string name(key);
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (std::string_view word :
       {"token", "secret", "password", "passphrase", "authorization", "api_key", "cookie"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string shorten(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…[" + std::to_string(text.size()) + " chars]";
}

util::Json shorten_value(const util::Json& value, size_t max_string, int depth) {
  if (value.is_string()) return shorten(value.get<std::string>(), max_string);
  if (depth >= kMaxDepth && (value.is_object() || value.is_array())) {
    std::string summary(1, '[');
    summary += std::to_string(value.size());
    summary += value.is_object() ? " members]" : " items]";
    return summary;
  }
  if (value.is_array()) {
    util::Json out = util::Json::array();
    for (size_t i = 0; i < value.size() && i < kMaxArrayItems; ++i) {
      out.push_back(shorten_value(value[i], max_string, depth + 1));
    }
    if (value.size() > kMaxArrayItems) {
      std::string more = "…[";
      more += std::to_string(value.size() - kMaxArrayItems);
      more += " more]";
      out.push_back(std::move(more));
    }
    return out;
  }
  if (value.is_object()) {
    util::Json out = util::Json::object();
    for (const auto& [key, child] : value.items()) {
      out[key] =
          secret_key(key) ? util::Json("[REDACTED]") : shorten_value(child, max_string, depth + 1);
    }
    return out;
  }
  return value;
}

util::Json to_json(const Record& record, const util::Json& arguments) {
  util::Json line{{"time", format_time(record.time)},
                  {"client", shorten(record.client, 100)},
                  {"tool", record.tool},
                  {"kind", record.kind},
                  {"arguments", arguments}};
  if (!record.targets.empty()) {
    util::Json targets = util::Json::array();
    for (const auto& target : record.targets) {
      util::Json item{{"arg", target.argument}, {"id", target.id}};
      if (!target.title.empty()) item["title"] = shorten(target.title, 120);
      targets.push_back(std::move(item));
    }
    line["targets"] = std::move(targets);
  }
  if (!record.result_id.empty()) line["result_id"] = record.result_id;
  util::Json ids = util::Json::array();
  for (size_t i = 0; i < record.request_ids.size() && i < kMaxRequestIds; ++i) {
    ids.push_back(record.request_ids[i]);
  }
  line["request_ids"] = std::move(ids);
  line["outcome"] = record.outcome;
  if (!record.detail.empty()) line["detail"] = shorten(record.detail, 300);
  line["duration_ms"] = record.duration.count();
  if (record.demo) line["demo"] = true;
  util::redact_json(line);
  return line;
}

// DEL passes JSON unescaped, but a log line must hold no control characters at all.
std::string dump_line(const util::Json& value) {
  std::string text = util::dump_json(value);
  if (text.find('\x7f') == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    if (c == '\x7f') {
      out += "\\u007f";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

util::Json shorten_arguments(const util::Json& arguments, size_t max_string) {
  return shorten_value(arguments, max_string, 0);
}

std::string format_time(std::chrono::system_clock::time_point time) {
  auto since_epoch = time.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis.count()));
  return buffer;
}

std::string format_line(const Record& record) {
  // Shrink step by step until the line fits: shorter strings, then no arguments at all.
  for (size_t limit : {size_t{200}, size_t{60}, size_t{16}}) {
    std::string line = dump_line(to_json(record, shorten_arguments(record.arguments, limit)));
    if (line.size() <= kMaxLineBytes) return line;
  }
  Record bare = record;
  bare.targets.clear();
  std::string line = dump_line(to_json(bare, util::Json{{"omitted", "too large"}}));
  if (line.size() <= kMaxLineBytes) return line;
  bare.client.assign(1, '?');
  bare.detail.clear();
  return dump_line(to_json(bare, util::Json{{"omitted", "too large"}}));
}

}  // namespace notion_mcp::audit
