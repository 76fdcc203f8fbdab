-- The console's and the member API's usage of one organisation filter on org_id over a range of days; the
-- primary key leads with the day, so without this every such page scanned the whole window
-- (bench/console/RESULTS.md: "usage of an organisation").
CREATE INDEX usage_daily_org_day ON usage_daily(org_id, day);
