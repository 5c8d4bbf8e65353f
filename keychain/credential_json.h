// Credential <-> JSON, for the secret inside a keyring item and the plaintext of the encrypted
// file. Not util::parse_json: that copies strings into std::string and nlohmann trees that are
// freed unzeroed. This small strict codec writes and reads through ScrubbedString only, and
// secrets go straight into util::Secret. Error messages say where, never what.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "keychain/scrubbed_string.h"
#include "keychain/store.h"
#include "util/result.h"

namespace notion_mcp::keychain {

inline constexpr int kCredentialFormatVersion = 1;

// {"version":1,"kind":"oauth","refresh_token":"…",…}; empty fields are left out.
ScrubbedString credential_to_json(const Credential& credential);
// Accepts what credential_to_json writes (unknown members are skipped, for later versions)
// and checks it with validate_credential. `where` names the source in messages
// ("the keyring item for profile default").
util::Result<Credential> credential_from_json(std::string_view text, std::string_view where);

// Several profiles: {"version":1,"profiles":{"default":{…},"work":{…}}}.
using ProfileMap = std::map<std::string, Credential, std::less<>>;
ScrubbedString profiles_to_json(const ProfileMap& profiles);
util::Result<ProfileMap> profiles_from_json(std::string_view text, std::string_view where);

}  // namespace notion_mcp::keychain
