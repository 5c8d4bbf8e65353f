// Small pieces every write handler needs: stamps for new and edited objects, parents, icons
// and covers, and Notion's refusal to edit trashed content.
#pragma once

#include <string_view>

#include "demo/handlers.h"
#include "demo/store.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

// Created and last edited now, by the integration's bot.
Stamps fresh_stamps(const Context& context);

// Marks `stamps` as edited now by the bot.
void mark_edited(Stamps& stamps, const Context& context);

// Marks the page that holds block `id` (or page `id`) as edited.
void touch_page_of(Context& context, std::string_view id);

// Parses a parent object ({page_id} | {data_source_id} | {database_id}, with or without
// `type`). `allow_workspace` also accepts {workspace: true}.
util::Result<Parent> parse_parent(const util::Json& parent, const Store& store,
                                  std::string_view where, bool allow_workspace);

// Validates an icon (emoji or external file) or cover (external file); null removes it.
util::Result<util::Json> parse_icon(const util::Json& icon, std::string_view where);
util::Result<util::Json> parse_cover(const util::Json& cover, std::string_view where);

// Notion's answer when content in the trash is edited.
util::Error archived_error(std::string_view kind);

}  // namespace notion_mcp::demo
