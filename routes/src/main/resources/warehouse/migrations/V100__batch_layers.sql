-- The batch layers. Bronze tables are created from the source-table specs at start-up (one definition per table).
CREATE DATABASE IF NOT EXISTS bronze;
CREATE DATABASE IF NOT EXISTS silver;
CREATE DATABASE IF NOT EXISTS gold;

-- Source rows that cannot enter the warehouse, with the reason. Re-detecting the same problem keeps one row.
CREATE TABLE IF NOT EXISTS silver.quarantine (
    table_name  LowCardinality(String),
    row_key     String,
    reason      String,
    raw_row     String,
    run_id      String,
    detected_at DateTime64(3)
) ENGINE = ReplacingMergeTree(detected_at)
ORDER BY (table_name, row_key, reason);

-- When gold was last refreshed, for the dashboards' freshness badge.
CREATE TABLE IF NOT EXISTS gold.batch_freshness (
    run_id       String,
    refreshed_at DateTime64(3),
    models       Array(String)
) ENGINE = MergeTree
ORDER BY refreshed_at;
