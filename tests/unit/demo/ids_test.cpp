#include "demo/ids.h"

#include <gtest/gtest.h>

#include <set>

#include "demo/timestamps.h"

namespace notion_mcp::demo {
namespace {

TEST(DemoIds, NormalizesWithAndWithoutDashes) {
  EXPECT_EQ(normalize_id("1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c"),
            "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c");
  EXPECT_EQ(normalize_id("1F3A5C7E9B2D4E6F8A0C2D4E6F8A0B1C"),
            "1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c");
  EXPECT_FALSE(normalize_id("1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1"));       // 31 digits
  EXPECT_FALSE(normalize_id("1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1g"));  // not hex
  EXPECT_FALSE(normalize_id("1f3a5c7e9-b2d-4e6f-8a0c-2d4e6f8a0b1c"));  // dash misplaced
  EXPECT_FALSE(normalize_id(""));
  EXPECT_EQ(compact_id("1f3a5c7e-9b2d-4e6f-8a0c-2d4e6f8a0b1c"), "1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c");
}

TEST(DemoIds, DerivedIdsAreStableUniqueAndWellFormed) {
  EXPECT_EQ(derived_id("seed/page/Onboarding"), derived_id("seed/page/Onboarding"));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = derived_id("label/" + std::to_string(i));
    ASSERT_EQ(normalize_id(id), id);
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(seen.insert(id).second);
  }
  EXPECT_EQ(short_id("x").size(), 4u);
}

TEST(DemoTimestamps, FormatsAndParses) {
  const int64_t t = days_from_civil(2026, 3, 11) + 9 * 3600 + 30 * 60;
  EXPECT_EQ(format_timestamp(t), "2026-03-11T09:30:00.000Z");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  auto parsed = parse_timestamp("2026-03-11T09:30:00.000Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->unix_seconds, t);
  EXPECT_FALSE(parsed->date_only);
  auto offset = parse_timestamp("2026-03-11T11:30:00+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(offset->unix_seconds, t);
  auto date = parse_timestamp("2026-03-11");
  ASSERT_TRUE(date);
  EXPECT_TRUE(date->date_only);
  EXPECT_EQ(date->unix_seconds, days_from_civil(2026, 3, 11));
  EXPECT_TRUE(parse_timestamp("2026-03-11T09:30"));
  EXPECT_FALSE(parse_timestamp("2026-13-01"));
  EXPECT_FALSE(parse_timestamp("March 11"));
  EXPECT_FALSE(parse_timestamp("2026-03-11T09:30:00.000Q"));
}

}  // namespace
}  // namespace notion_mcp::demo
