// The demo workspace's data: users, pages, blocks, databases, data sources and comments, held
// in memory and looked up by dashed id. Every page also has a `child_page` block with the same
// id that holds its content, as in Notion, so block and page endpoints share one tree.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace notion_mcp::demo {

enum class ParentKind { kWorkspace, kPage, kBlock, kDataSource, kDatabase };

struct Parent {
  ParentKind kind = ParentKind::kWorkspace;
  std::string id;  // empty for the workspace
};

// Who made and last changed an object, and when (Unix seconds).
struct Stamps {
  int64_t created_time = 0;
  int64_t last_edited_time = 0;
  std::string created_by;
  std::string last_edited_by;
};

struct User {
  std::string id;
  std::string name;
  std::string avatar_url;  // empty for none
  std::string email;       // people only
  bool bot = false;
};

struct Page {
  std::string id;
  Parent parent;  // workspace, page, block or data source
  // Property values by name in Notion's shape ({id, type, <type>: value}); computed ones
  // (created_time, last_edited_by, ...) are filled in when the page is serialised.
  util::Json properties = util::Json::object();
  util::Json icon;   // null or {type:"emoji",...}
  util::Json cover;  // null or {type:"external",...}
  Stamps stamps;
  bool in_trash = false;
};

struct Block {
  std::string id;
  std::string type;  // "paragraph", "child_page", ...
  Parent parent;     // page or block
  // The object under the type key, without children (e.g. {rich_text, color}). Empty for
  // child_page and child_database blocks, whose title comes from the page or database.
  util::Json content = util::Json::object();
  std::vector<std::string> children;
  Stamps stamps;
  bool in_trash = false;
};

struct Database {
  std::string id;
  Parent parent;  // page or workspace
  util::Json title = util::Json::array();
  util::Json description = util::Json::array();
  util::Json icon;
  util::Json cover;
  bool is_inline = false;
  std::vector<std::string> data_sources;
  Stamps stamps;
  bool in_trash = false;
};

struct DataSource {
  std::string id;
  std::string database_id;
  util::Json title = util::Json::array();
  util::Json description = util::Json::array();
  util::Json properties = util::Json::object();  // schema by property name
  Stamps stamps;
  bool in_trash = false;
};

struct Comment {
  std::string id;
  Parent parent;  // page or block
  std::string discussion_id;
  util::Json rich_text = util::Json::array();
  Stamps stamps;
};

// A file sent through the file upload API (POST /v1/file_uploads, then .../send). The bytes
// are not kept: only what the API reports about them.
struct FileUpload {
  std::string id;
  std::string filename;
  std::string content_type;
  std::string status = "pending";  // pending | uploaded
  int64_t content_length = -1;     // -1: nothing sent yet
  Stamps stamps;
};

class Store {
 public:
  // Lookups by dashed id; nullptr when absent.
  const User* user(std::string_view id) const;
  const Page* page(std::string_view id) const;
  Page* page(std::string_view id);
  const Block* block(std::string_view id) const;
  Block* block(std::string_view id);
  const Database* database(std::string_view id) const;
  Database* database(std::string_view id);
  const DataSource* data_source(std::string_view id) const;
  DataSource* data_source(std::string_view id);

  // In creation order, for listings that Notion returns in a stable order.
  const std::vector<User>& users() const { return users_; }
  const std::vector<std::string>& page_ids() const { return page_ids_; }
  const std::vector<std::string>& data_source_ids() const { return data_source_ids_; }
  const std::vector<Comment>& comments() const { return comments_; }

  // The integration's own bot user (GET /v1/users/me).
  const std::string& bot_id() const { return bot_id_; }
  const std::string& workspace_name() const { return workspace_name_; }
  void set_workspace(std::string workspace_name) { workspace_name_ = std::move(workspace_name); }

  void add_user(User user);

  // Adds a page and its child_page block. With `attach`, a page under a page or block is
  // appended to (or inserted at `position` in) that container's children.
  Page& add_page(Page page, bool attach = true, size_t position = SIZE_MAX);

  // Adds a block under `block.parent` (a page or block), at `position` in its children.
  Block& add_block(Block block, size_t position = SIZE_MAX);

  // Adds a database and its child_database block (attached to its parent page's children when
  // `attach`).
  Database& add_database(Database database, bool attach = true);
  DataSource& add_data_source(DataSource data_source);
  Comment& add_comment(Comment comment);
  FileUpload& add_file_upload(FileUpload upload);
  const FileUpload* file_upload(std::string_view id) const;
  FileUpload* file_upload(std::string_view id);

  // Inserts block `id` into its parent's children at `position` (the end by default).
  void attach_block(std::string_view id, size_t position = SIZE_MAX);
  // Removes `id` from its container's children list (the block itself stays, for reads by id).
  void detach_block(std::string_view id);
  // Moves block `id` (and the page or database it stands for) under `parent` at `position`.
  void reparent(std::string_view id, const Parent& parent, size_t position = SIZE_MAX);

  // The page whose content holds block `id` (the page itself for a page id), or nullptr.
  Page* owning_page(std::string_view id);
  // True when the page or any page or block above it is in the trash.
  bool in_trash_tree(const Page& page) const;

  // A fresh deterministic id for an object created at run time.
  std::string next_id(std::string_view kind);

  // The plain text of a page's title property.
  std::string page_title(const Page& page) const;
  // The title property's value ({id:"title", type:"title", title:[...]}), or null.
  const util::Json* title_property(const Page& page) const;

  // "https://www.notion.so/Title-Words-<32hex>" (just the hex for untitled pages).
  std::string page_url(const Page& page) const;
  std::string database_url(const Database& database) const;

  // The data source a page belongs to, or nullptr for pages outside databases.
  const DataSource* parent_data_source(const Page& page) const;

  // Total number of blocks under `block_id` (itself included); child pages count as one.
  size_t subtree_size(std::string_view block_id) const;

 private:
  std::vector<std::string>* children_of(const Parent& parent);

  std::vector<User> users_;
  std::map<std::string, size_t, std::less<>> user_index_;
  std::map<std::string, Page, std::less<>> pages_;
  std::map<std::string, Block, std::less<>> blocks_;
  std::map<std::string, Database, std::less<>> databases_;
  std::map<std::string, DataSource, std::less<>> data_sources_;
  std::vector<std::string> page_ids_;
  std::vector<std::string> data_source_ids_;
  std::vector<Comment> comments_;
  std::map<std::string, FileUpload, std::less<>> file_uploads_;
  std::string bot_id_;
  std::string workspace_name_;
  uint64_t id_counter_ = 0;
};

// "Acme-Handbook" from "Acme Handbook": the slug Notion puts before the id in page URLs.
std::string url_slug(std::string_view title);

}  // namespace notion_mcp::demo
