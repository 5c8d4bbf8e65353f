// What a confirmation question should tell the person besides the tool's name: the title of
// each page or database the call names and, for trash_page, the sub-pages that go with it.
// A fresh session has seen nothing yet, so whatever the object index does not know is fetched
// first (a few GETs, bounded); a fetch that fails only leaves the id without a title.
#pragma once

#include <string>
#include <vector>

#include "notion/client.h"
#include "policy/object_index.h"
#include "tools/tool.h"
#include "util/cancel.h"
#include "util/json.h"
#include "util/task.h"

namespace notion_mcp::policy {

// Learns the titles of the call's targets into `index` and returns extra lines for the
// message ("It has 3 sub-pages, which go to the trash with it.").
util::Task<std::vector<std::string>> gather_confirmation_facts(const tools::Tool& tool,
                                                               const util::Json& arguments,
                                                               ObjectIndex& index,
                                                               notion::Client& client,
                                                               util::CancelToken cancel);

}  // namespace notion_mcp::policy
