#include "policy/config_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "policy/scope.h"
#include "policy/tool_rules.h"
#include "util/redact.h"

namespace notion_mcp::policy {
namespace {

constexpr size_t kMaxConfigBytes = 256 * 1024;
constexpr std::array<std::string_view, 7> kSettingKeys = {
    "profile", "allow", "deny", "scope", "confirm", "audit_log", "upload_roots"};
// Words that mark a secret by name even when its value does not look like a token.
constexpr std::array<std::string_view, 7> kSecretWords = {
    "token", "secret", "password", "passphrase", "credential", "api_key", "authorization"};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

util::Error refused(const std::string& path, const std::string& why, std::string fix) {
  return util::make_error("config_refused", "The config file " + path + " was refused: " + why,
                          std::move(fix));
}

util::Error invalid(const std::string& path, const std::string& why) {
  return util::make_error("config_invalid", "The config file " + path + " is not valid: " + why,
                          "Fix the file (it is JSON; see `notion-mcp serve --help` for the keys).");
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool secret_name(std::string_view key) {
  std::string name = lower(key);
  for (auto word : kSecretWords) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

// Finds a key that names a secret anywhere in the tree.
std::string find_secret_key(const util::Json& value, const std::string& where) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      // Profile names are names people chose ("notion-token-free"), not settings.
      if (where != "profiles." && secret_name(key)) return where + key;
      std::string inner = find_secret_key(child, where + key + ".");
      if (!inner.empty()) return inner;
    }
  } else if (value.is_array()) {
    for (const auto& child : value) {
      std::string inner = find_secret_key(child, where);
      if (!inner.empty()) return inner;
    }
  }
  return {};
}

bool known_setting(std::string_view key) {
  for (auto known : kSettingKeys) {
    if (known == key) return true;
  }
  return false;
}

std::string known_list() {
  std::string out;
  for (auto key : kSettingKeys) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

util::Result<void> check_settings(const util::Json& object, const std::string& where,
                                  const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    if (key == "profiles" && where.empty()) continue;
    if (key == "description" || key == "comment" || key == "$schema") continue;
    if (!known_setting(key)) {
      return invalid(path, "unknown setting \"" + key + "\"" + where + " (known: " + known_list() +
                               ", and \"profiles\" at the top level).");
    }
    if (key == "allow" || key == "deny" || key == "scope" || key == "upload_roots") {
      bool ok = value.is_string() || value.is_array();
      if (value.is_array()) {
        for (const auto& item : value) ok = ok && item.is_string();
      }
      if (!ok) return invalid(path, "\"" + key + "\"" + where + " must be a list of strings.");
    } else if (!value.is_string()) {
      return invalid(path, "\"" + key + "\"" + where + " must be a string.");
    }
    if (key == "profile" && !parse_profile(value.get<std::string>())) {
      return invalid(path, "\"profile\"" + where + " must be read, write or full.");
    }
    if (key == "confirm" && !parse_confirm(value.get<std::string>())) {
      return invalid(path, "\"confirm\"" + where + " must be none, destructive or writes.");
    }
  }
  return {};
}

std::vector<std::string> string_list(const util::Json& value) {
  if (value.is_string()) return {value.get<std::string>()};
  std::vector<std::string> out;
  for (const auto& item : value) out.push_back(item.get<std::string>());
  return out;
}

// Applies the (validated) settings in `object` over `settings`.
void apply(const util::Json& object, Settings& settings) {
  if (const util::Json* v = util::member(object, "profile")) {
    settings.profile = *parse_profile(v->get<std::string>());
  }
  if (const util::Json* v = util::member(object, "confirm")) {
    settings.confirm = *parse_confirm(v->get<std::string>());
  }
  if (const util::Json* v = util::member(object, "allow")) settings.allow = string_list(*v);
  if (const util::Json* v = util::member(object, "deny")) settings.deny = string_list(*v);
  if (const util::Json* v = util::member(object, "scope")) settings.scope = string_list(*v);
  if (const util::Json* v = util::member(object, "audit_log")) {
    settings.audit_log = v->get<std::string>();
  }
  if (const util::Json* v = util::member(object, "upload_roots")) {
    settings.upload_roots = string_list(*v);
  }
}

}  // namespace

std::string default_config_path() {
  std::string base = env_or_empty("XDG_CONFIG_HOME");
  if (base.empty() || base[0] != '/') {
    std::string home = env_or_empty("HOME");
    if (home.empty()) return {};
    base = home + "/.config";
  }
  return base + "/notion-mcp/config.json";
}

util::Result<std::optional<util::Json>> read_config_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<util::Json>();
    return refused(path, std::string("it cannot be read (") + std::strerror(errno) + ").",
                   "Make it a file you own and can read, or remove it.");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return refused(path, "it is not a regular file.", "Make it a plain JSON file, or remove it.");
  }
  if (st.st_uid != ::geteuid()) {
    ::close(fd);
    return refused(path, "it belongs to another user, who could change this server's policy.",
                   "Create your own copy: it must be owned by you.");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return refused(path,
                   std::string("other users can ") + ((st.st_mode & 022) != 0 ? "change" : "read") +
                       " it (mode " + mode + ").",
                   "Run: chmod 600 " + path);
  }
  if (st.st_size > static_cast<off_t>(kMaxConfigBytes)) {
    ::close(fd);
    return refused(path, "it is larger than 256 KiB, far more than settings need.",
                   "Keep only the settings in it.");
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(done);
  if (util::looks_like_secret(text)) {
    return refused(path,
                   "it contains something shaped like a Notion token. The config file holds "
                   "settings only; a token there is readable by every program you run.",
                   "Remove the token from the file (and consider rotating it); keep the token in "
                   "NOTION_TOKEN or store it with `notion-mcp login`.");
  }
  auto parsed = util::parse_json(text);
  if (!parsed.ok()) return invalid(path, parsed.error().message);
  if (auto valid = validate_config(*parsed, path); !valid.ok()) return valid.error();
  return std::optional<util::Json>(std::move(parsed).value());
}

util::Result<void> validate_config(const util::Json& config, const std::string& path) {
  if (!config.is_object()) return invalid(path, "the top level must be a JSON object.");
  if (std::string key = find_secret_key(config, ""); !key.empty()) {
    return refused(path,
                   "it has a setting named \"" + key +
                       "\"; the config file holds settings only, never secrets.",
                   "Remove it; keep the token in NOTION_TOKEN or store it with "
                   "`notion-mcp login`.");
  }
  if (auto top = check_settings(config, "", path); !top.ok()) return top;
  if (const util::Json* profiles = util::member(config, "profiles")) {
    if (!profiles->is_object()) return invalid(path, "\"profiles\" must be an object of names.");
    for (const auto& [name, entry] : profiles->items()) {
      if (!entry.is_object()) {
        return invalid(path, "profile \"" + name + "\" must be an object of settings.");
      }
      if (auto ok = check_settings(entry, " in profile \"" + name + "\"", path); !ok.ok()) {
        return ok;
      }
    }
  }
  return {};
}

util::Result<Settings> resolve_settings(const CommandLine& flags,
                                        const std::optional<util::Json>& config,
                                        const std::string& path) {
  Settings settings;
  if (config) apply(*config, settings);
  if (!flags.config_profile.empty()) {
    const util::Json* profiles = config ? util::member(*config, "profiles") : nullptr;
    const util::Json* entry = profiles ? util::member(*profiles, flags.config_profile) : nullptr;
    if (entry == nullptr) {
      std::string names;
      if (profiles) {
        for (const auto& [name, value] : profiles->items()) {
          (void)value;
          names += (names.empty() ? "" : ", ") + name;
        }
      }
      std::string where = path.empty() ? std::string("the config file") : path;
      return util::make_error(
          "config_invalid",
          "--config-profile " + flags.config_profile + ": " +
              (config ? where + " has no such profile" +
                            (names.empty() ? "" : " (it has: " + names + ")")
                      : "there is no config file (" + where + ")") +
              ".",
          "Add the profile under \"profiles\" in the config file, or drop --config-profile.");
    }
    apply(*entry, settings);
    settings.config_profile = flags.config_profile;
  }
  if (flags.profile) {
    auto profile = parse_profile(*flags.profile);
    if (!profile) {
      return util::make_error("invalid_flag", "--profile must be read, write or full.");
    }
    settings.profile = *profile;
  }
  if (flags.confirm) {
    auto confirm = parse_confirm(*flags.confirm);
    if (!confirm) {
      return util::make_error("invalid_flag", "--confirm must be none, destructive or writes.");
    }
    settings.confirm = *confirm;
  }
  if (flags.allow) settings.allow = *flags.allow;
  if (flags.deny) settings.deny = *flags.deny;
  if (flags.scope) settings.scope = *flags.scope;
  if (flags.audit_log) settings.audit_log = *flags.audit_log;
  if (flags.upload_roots) settings.upload_roots = *flags.upload_roots;
  // Checked here, before any worker starts, so that a typo stops the start with its reason.
  for (const auto* list : {&settings.allow, &settings.deny}) {
    for (const auto& pattern : *list) {
      if (auto valid = validate_pattern(pattern); !valid.ok()) return valid.error();
    }
  }
  if (auto scope = Scope::parse(settings.scope); !scope.ok()) return scope.error();
  return settings;
}

util::Result<Settings> load_settings(const CommandLine& flags) {
  std::string path = default_config_path();
  std::optional<util::Json> config;
  if (!path.empty()) {
    auto read = read_config_file(path);
    if (!read.ok()) return read.error();
    config = std::move(read).value();
  }
  return resolve_settings(flags, config, path);
}

}  // namespace notion_mcp::policy
