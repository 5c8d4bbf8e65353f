// The "Product & Engineering" hub: the Projects and Tasks databases (one data source each,
// related both ways), their rows, the roadmap, decision records and company goals.
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "demo/ids.h"
#include "demo/rich_text.h"
#include "demo/seed.h"
#include "demo/seed_builder.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

using namespace seed_ids;
using util::Json;

Json option(std::string_view name, std::string_view color) {
  return Json{{"id", short_id("option/" + std::string(name))},
              {"name", std::string(name)},
              {"color", std::string(color)},
              {"description", nullptr}};
}

Json schema(std::string_view id, std::string_view name, std::string_view type,
            Json config = Json::object()) {
  return Json{{"id", std::string(id)},
              {"name", std::string(name)},
              {"type", std::string(type)},
              {"description", nullptr},
              {std::string(type), std::move(config)}};
}

// The value of a select-like property: the option as the schema defines it, minus description.
Json option_value(const Json& property_schema, std::string_view name) {
  const std::string type = property_schema["type"];
  for (const Json& o : property_schema[type]["options"]) {
    if (o["name"] == name) return Json{{"id", o["id"]}, {"name", o["name"]}, {"color", o["color"]}};
  }
  return Json(nullptr);
}

Json value(const Json& property_schema, Json typed_value) {
  const std::string type = property_schema["type"];
  return Json{{"id", property_schema["id"]}, {"type", type}, {type, std::move(typed_value)}};
}

// Whole numbers as JSON integers, as Notion sends them (48000, not 48000.0).
Json number_value(std::optional<double> number) {
  if (!number) return Json(nullptr);
  const auto whole = static_cast<int64_t>(*number);
  return static_cast<double>(whole) == *number ? Json(whole) : Json(*number);
}

Json date_value(const char* start) {
  if (!start) return Json(nullptr);
  return Json{{"start", start}, {"end", nullptr}, {"time_zone", nullptr}};
}

Json projects_schema() {
  Json status_options = Json::array(
      {option("Not started", "default"), option("In progress", "blue"), option("Done", "green")});
  Json groups = Json::array({Json{{"id", short_id("group/To-do")},
                                  {"name", "To-do"},
                                  {"color", "gray"},
                                  {"option_ids", {status_options[0]["id"]}}},
                             Json{{"id", short_id("group/In progress")},
                                  {"name", "In progress"},
                                  {"color", "blue"},
                                  {"option_ids", {status_options[1]["id"]}}},
                             Json{{"id", short_id("group/Complete")},
                                  {"name", "Complete"},
                                  {"color", "green"},
                                  {"option_ids", {status_options[2]["id"]}}}});
  Json tags = Json::array({option("Backend", "purple"), option("Frontend", "pink"),
                           option("Infra", "brown"), option("Security", "red"),
                           option("Mobile", "orange"), option("Data", "blue")});
  Json out = Json::object();
  out["Name"] = schema("title", "Name", "title");
  out["Status"] =
      schema("kV%3Ea", "Status", "status", {{"options", status_options}, {"groups", groups}});
  out["Owner"] = schema("Ow%7Cn", "Owner", "people");
  out["Due"] = schema("d%3Due", "Due", "date");
  out["Budget"] = schema("Bg%40t", "Budget", "number", {{"format", "dollar"}});
  out["Tags"] = schema("T%5Bgs", "Tags", "multi_select", {{"options", tags}});
  out["Active"] = schema("AcTv", "Active", "checkbox");
  out["Tasks"] = schema(
      "tsk%2F", "Tasks", "relation",
      {{"data_source_id", kTasksDataSource},
       {"database_id", kTasksDatabase},
       {"type", "dual_property"},
       {"dual_property", {{"synced_property_name", "Project"}, {"synced_property_id", "Pj%5Dt"}}}});
  out["Spec"] = schema("sP3c", "Spec", "url");
  out["Contact"] = schema("c%3Fnt", "Contact", "email");
  out["Created"] = schema("cRtd", "Created", "created_time");
  out["Last edited"] = schema("lEdt", "Last edited", "last_edited_time");
  return out;
}

Json tasks_schema() {
  Json out = Json::object();
  out["Name"] = schema("title", "Name", "title");
  out["Done"] = schema("D%3Bne", "Done", "checkbox");
  out["Priority"] = schema(
      "pr%3Ao", "Priority", "select",
      {{"options",
        Json::array({option("High", "red"), option("Medium", "yellow"), option("Low", "gray")})}});
  out["Project"] = schema(
      "Pj%5Dt", "Project", "relation",
      {{"data_source_id", kProjectsDataSource},
       {"database_id", kProjectsDatabase},
       {"type", "dual_property"},
       {"dual_property", {{"synced_property_name", "Tasks"}, {"synced_property_id", "tsk%2F"}}}});
  out["Estimate"] = schema("Es%2Bt", "Estimate", "number", {{"format", "number"}});
  out["Notes"] = schema("nTs", "Notes", "rich_text");
  out["Assignee"] = schema("aS%26g", "Assignee", "people");
  return out;
}

struct ProjectSeed {
  const char* name;
  const char* status;
  std::vector<std::string_view> owners;
  const char* due;  // nullptr: no date
  std::optional<double> budget;
  std::vector<const char*> tags;
  bool active;
  const char* spec;     // nullptr: empty
  const char* contact;  // nullptr: empty
  int created_day;
  int edited_day;
};

struct TaskSeed {
  const char* name;
  int project;  // index into the projects, -1 for none
  bool done;
  const char* priority;  // nullptr: empty
  std::optional<double> estimate;
  const char* notes;
  std::string_view assignee;  // empty: nobody
  int created_day;
  int edited_day;
};

const std::vector<ProjectSeed>& projects() {
  static const std::vector<ProjectSeed> kProjects = {
      {"Website redesign",
       "In progress",
       {kMayaUser},
       "2026-04-30",
       48000,
       {"Frontend"},
       true,
       "https://specs.acme.example/website-redesign",
       "web-team@acme.example",
       60,
       262},
      {"Mobile app v2",
       "In progress",
       {kMayaUser, kJonasUser},
       "2026-06-15",
       120000,
       {"Mobile", "Frontend"},
       true,
       "https://specs.acme.example/mobile-v2",
       nullptr,
       72,
       259},
      {"Data warehouse migration",
       "Not started",
       {kPriyaUser},
       "2026-09-01",
       75000,
       {"Data", "Infra"},
       true,
       nullptr,
       "data@acme.example",
       90,
       230},
      {"SOC 2 Type II audit",
       "In progress",
       {kJonasUser},
       "2026-03-31",
       35000,
       {"Security"},
       true,
       "https://specs.acme.example/soc2",
       "security@acme.example",
       95,
       255},
      {"Customer portal",
       "Done",
       {kMayaUser},
       "2025-11-14",
       60000,
       {"Frontend", "Backend"},
       false,
       nullptr,
       nullptr,
       20,
       170},
      {"Kubernetes upgrade",
       "Done",
       {kJonasUser},
       "2025-10-03",
       8000,
       {"Infra"},
       false,
       nullptr,
       nullptr,
       40,
       125},
      {"Search relevance",
       "Not started",
       {},
       nullptr,
       std::nullopt,
       {"Data", "Backend"},
       true,
       nullptr,
       nullptr,
       150,
       151},
      {"Billing revamp",
       "In progress",
       {kPriyaUser, kMayaUser},
       "2026-05-20",
       90000,
       {"Backend"},
       true,
       "https://specs.acme.example/billing",
       "billing@acme.example",
       130,
       248},
      {"Design system",
       "Done",
       {kMayaUser},
       "2025-12-19",
       25000,
       {"Frontend"},
       false,
       nullptr,
       nullptr,
       30,
       200},
      {"Incident tooling",
       "Not started",
       {kJonasUser},
       "2026-07-31",
       15000,
       {"Infra", "Security"},
       false,
       nullptr,
       nullptr,
       170,
       210},
  };
  return kProjects;
}

const std::vector<TaskSeed>& tasks() {
  static const std::vector<TaskSeed> kTasks = {
      {"Homepage wireframes", 0, true, "High", 16, "Approved by marketing on Jan 12.", kMayaUser,
       61, 120},
      {"Migrate blog to the new CMS", 0, false, "Medium", 24, "", kMayaUser, 63, 260},
      {"Accessibility audit", 0, false, "High", 12, "WCAG 2.2 AA is the target.", kPriyaUser, 64,
       261},
      {"Offline mode", 1, false, "High", 40, "Sync conflicts resolved last-writer-wins.",
       kJonasUser, 73, 258},
      {"Push notification settings", 1, true, "Medium", 8, "", kMayaUser, 74, 150},
      {"App store screenshots", 1, false, "Low", 4, "", {}, 75, 240},
      {"Inventory current ETL jobs", 2, false, "Medium", 10, "37 jobs found so far.", kPriyaUser,
       91, 229},
      {"Choose warehouse vendor", 2, false, "High", std::nullopt, "", kPriyaUser, 92, 228},
      {"Collect access reviews", 3, true, "High", 6, "Q4 reviews done.", kJonasUser, 96, 200},
      {"Vendor risk assessments", 3, false, "Medium", 20, "Waiting on two vendors.", kJonasUser, 97,
       254},
      {"Evidence for change management", 3, false, "High", 14, "", kJonasUser, 98, 256},
      {"Portal launch checklist", 4, true, "High", 6, "", kMayaUser, 22, 168},
      {"Upgrade node pools to 1.31", 5, true, "Medium", 5, "Done without downtime.", kJonasUser, 41,
       124},
      {"Define relevance metrics", 6, false, "Low", 8, "", {}, 152, 152},
      {"Proration rules", 7, false, "High", 18, "Finance wants daily proration.", kPriyaUser, 131,
       247},
      {"Invoice PDF template", 7, true, "Low", 3, "", kMayaUser, 132, 190},
      {"Token audit of components", 8, true, "Medium", 9, "", kMayaUser, 31, 199},
      {"Write postmortem template", -1, false, nullptr, 2, "Not tied to a project yet.", kJonasUser,
       171, 209},
  };
  return kTasks;
}

std::string project_id(size_t index) {
  if (index == 0) return std::string(kWebsiteRedesignRow);
  return derived_id("seed/project/" + std::string(projects()[index].name));
}

std::string task_id(size_t index) {
  return derived_id("seed/task/" + std::string(tasks()[index].name));
}

void add_databases(SeedBuilder& b) {
  Store& store = b.store();
  const Parent hub{ParentKind::kPage, std::string(kProductEngineeringPage)};

  Database projects_db;
  projects_db.id = std::string(kProjectsDatabase);
  projects_db.parent = hub;
  projects_db.title = plain_rich_text("Projects");
  projects_db.description = plain_rich_text("Every project at Acme, active and finished.");
  projects_db.icon = Json{{"type", "emoji"}, {"emoji", "📁"}};
  projects_db.stamps = SeedBuilder::stamps(18, 262, kMayaUser);
  store.add_database(std::move(projects_db), /*attach=*/false);

  DataSource projects_ds;
  projects_ds.id = std::string(kProjectsDataSource);
  projects_ds.database_id = std::string(kProjectsDatabase);
  projects_ds.title = plain_rich_text("Projects");
  projects_ds.properties = projects_schema();
  projects_ds.stamps = SeedBuilder::stamps(18, 262, kMayaUser);
  store.add_data_source(std::move(projects_ds));

  Database tasks_db;
  tasks_db.id = std::string(kTasksDatabase);
  tasks_db.parent = hub;
  tasks_db.title = plain_rich_text("Tasks");
  tasks_db.description = plain_rich_text("Work items, each linked to a project.");
  tasks_db.icon = Json{{"type", "emoji"}, {"emoji", "✅"}};
  tasks_db.stamps = SeedBuilder::stamps(19, 261, kMayaUser);
  store.add_database(std::move(tasks_db), /*attach=*/false);

  DataSource tasks_ds;
  tasks_ds.id = std::string(kTasksDataSource);
  tasks_ds.database_id = std::string(kTasksDatabase);
  tasks_ds.title = plain_rich_text("Tasks");
  tasks_ds.properties = tasks_schema();
  tasks_ds.stamps = SeedBuilder::stamps(19, 261, kMayaUser);
  store.add_data_source(std::move(tasks_ds));
}

void add_rows(SeedBuilder& b) {
  Store& store = b.store();
  const Json& pschema = store.data_source(kProjectsDataSource)->properties;
  const Json& tschema = store.data_source(kTasksDataSource)->properties;
  auto people = [&](const std::vector<std::string_view>& ids) {
    Json out = Json::array();
    for (std::string_view id : ids) out.push_back(user_json(*store.user(id), store));
    return out;
  };

  for (size_t i = 0; i < projects().size(); ++i) {
    const ProjectSeed& p = projects()[i];
    Page page;
    page.id = project_id(i);
    page.parent = Parent{ParentKind::kDataSource, std::string(kProjectsDataSource)};
    page.stamps = SeedBuilder::stamps(p.created_day, p.edited_day,
                                      p.owners.empty() ? kMayaUser : p.owners.front());
    Json& props = page.properties;
    props["Name"] = value(pschema["Name"], b.rich(p.name));
    props["Status"] = value(pschema["Status"], option_value(pschema["Status"], p.status));
    props["Owner"] = value(pschema["Owner"], people(p.owners));
    props["Due"] = value(pschema["Due"], date_value(p.due));
    props["Budget"] = value(pschema["Budget"], number_value(p.budget));
    Json tags = Json::array();
    for (const char* tag : p.tags) tags.push_back(option_value(pschema["Tags"], tag));
    props["Tags"] = value(pschema["Tags"], tags);
    props["Active"] = value(pschema["Active"], p.active);
    Json related = Json::array();
    for (size_t t = 0; t < tasks().size(); ++t) {
      if (tasks()[t].project == static_cast<int>(i)) related.push_back(Json{{"id", task_id(t)}});
    }
    props["Tasks"] = value(pschema["Tasks"], related);
    props["Tasks"]["has_more"] = false;
    props["Spec"] = value(pschema["Spec"], p.spec ? Json(p.spec) : Json(nullptr));
    props["Contact"] = value(pschema["Contact"], p.contact ? Json(p.contact) : Json(nullptr));
    store.add_page(std::move(page));
  }

  for (size_t t = 0; t < tasks().size(); ++t) {
    const TaskSeed& task = tasks()[t];
    Page page;
    page.id = task_id(t);
    page.parent = Parent{ParentKind::kDataSource, std::string(kTasksDataSource)};
    page.stamps = SeedBuilder::stamps(task.created_day, task.edited_day,
                                      task.assignee.empty() ? kMayaUser : task.assignee);
    Json& props = page.properties;
    props["Name"] = value(tschema["Name"], b.rich(task.name));
    props["Done"] = value(tschema["Done"], task.done);
    props["Priority"] =
        value(tschema["Priority"],
              task.priority ? option_value(tschema["Priority"], task.priority) : Json(nullptr));
    Json related = Json::array();
    if (task.project >= 0) related.push_back(Json{{"id", project_id(task.project)}});
    props["Project"] = value(tschema["Project"], related);
    props["Project"]["has_more"] = false;
    props["Estimate"] = value(tschema["Estimate"], number_value(task.estimate));
    props["Notes"] = value(tschema["Notes"], b.rich(task.notes));
    props["Assignee"] =
        value(tschema["Assignee"], task.assignee.empty() ? Json::array() : people({task.assignee}));
    store.add_page(std::move(page));
  }

  // Some rows have content of their own.
  BlockWriter website(b, project_id(0));
  website.heading(2, "Goal");
  website.paragraph("Relaunch acme.example with the new design system and a **faster** checkout.");
  website.heading(2, "Milestones");
  website.todo("Wireframes signed off", true);
  website.todo("Content migrated", false);
  website.todo("Launch", false);
  BlockWriter soc2(b, project_id(3));
  soc2.paragraph("Audit window: January to March 2026. Auditor: Example & Partners LLP.");
}

}  // namespace

void seed_product_engineering(SeedBuilder& b) {
  b.page(std::string(kProductEngineeringPage), Parent{}, "Product & Engineering", "🚀",
         SeedBuilder::stamps(17, 262, kMayaUser));
  const Parent hub{ParentKind::kPage, std::string(kProductEngineeringPage)};
  add_databases(b);
  add_rows(b);
  const std::string roadmap = b.page("", hub, "Roadmap 2026", "🗺️",
                                     SeedBuilder::stamps(180, 252, kMayaUser, kPriyaUser));
  const std::string adrs = b.page("", hub, "Architecture decision records", "📐",
                                  SeedBuilder::stamps(25, 215, kMayaUser));
  const Parent adr_parent{ParentKind::kPage, adrs};
  const std::string adr1 = b.page("", adr_parent, "ADR-001: Use PostgreSQL for the core store", "",
                                  SeedBuilder::stamps(26, 60, kMayaUser));
  const std::string adr2 = b.page("", adr_parent, "ADR-002: Adopt trunk-based development", "",
                                  SeedBuilder::stamps(45, 46, kJonasUser));
  const std::string goals = b.page("", Parent{}, "Company goals 2026", "🎯",
                                   SeedBuilder::stamps(200, 245, kPriyaUser, kMayaUser));

  BlockWriter w(b, std::string(kProductEngineeringPage));
  w.paragraph("Everything product and engineering: plans, decisions and the work itself.");
  w.heading(2, "Databases");
  w.child(std::string(kProjectsDatabase));
  w.child(std::string(kTasksDatabase));
  w.heading(2, "Plans and decisions");
  w.child(roadmap);
  w.child(adrs);

  BlockWriter r(b, roadmap);
  r.paragraph("What we plan to ship in 2026, by quarter. Dates are targets, not promises.");
  r.heading(2, "Q1");
  r.bullet("<mention-page url=\"" + project_id(3) + "\"/> finishes in March");
  r.bullet("Website relaunch beta");
  r.heading(2, "Q2");
  r.bullet("<mention-page url=\"" + project_id(0) + "\"/> goes live");
  r.bullet("Mobile app v2 in the stores");
  r.bullet("Billing revamp with daily proration");
  r.heading(2, "Second half");
  r.bullet("Data warehouse migration");
  r.bullet("Incident tooling");

  BlockWriter a(b, adrs);
  a.paragraph("Short records of decisions that shape our architecture. Newest last.");
  a.child(adr1);
  a.child(adr2);
  for (const auto& [id, context, decision] :
       {std::tuple{adr1, "We need one reliable primary store for accounts and billing.",
                   "Use **PostgreSQL 16** with logical replication to the warehouse."},
        std::tuple{adr2, "Long-lived branches caused painful merges in 2025.",
                   "Everyone merges to `main` at least daily behind feature flags."}}) {
    BlockWriter adr(b, id);
    adr.heading(2, "Context");
    adr.paragraph(context);
    adr.heading(2, "Decision");
    adr.paragraph(decision);
    adr.heading(2, "Status");
    adr.paragraph("Accepted", "green");
  }

  BlockWriter g(b, goals);
  g.heading(1, "Three goals for 2026");
  const std::string revenue = g.numbered("Grow revenue to **€12M** ARR");
  g.under(revenue).bullet("Net revenue retention above 115%");
  g.under(revenue).bullet("Launch the self-serve plan");
  const std::string reliability = g.numbered("Make reliability boring");
  g.under(reliability).bullet("99.95% availability for the API");
  g.under(reliability).bullet("No customer-visible incident longer than one hour");
  g.numbered("Pass SOC 2 Type II");
  const std::string faq = g.heading(2, "Frequently asked questions", /*toggleable=*/true);
  g.under(faq).paragraph("**Who owns the goals?** The leadership team, reviewed every quarter.");
  g.under(faq).paragraph("**Where do I see progress?** In the Projects database.");
  g.callout("📈", "Progress is reviewed at the first all-hands of each quarter.", "blue_background");
}

}  // namespace notion_mcp::demo
