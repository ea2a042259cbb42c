-- Stand-ins for the gold and stream tables the batch and stream pipelines create: the stream tables and
-- gold.batch_freshness as in their migrations (V201__stream_click_views.sql, V100__batch_layers.sql on their
-- branches), gold.report_rentals with the columns of their model. Delete this file (and its loading in
-- InsightsFixture) once their warehouse migrations are merged.
CREATE DATABASE IF NOT EXISTS gold;
CREATE DATABASE IF NOT EXISTS stream;
CREATE TABLE IF NOT EXISTS gold.report_rentals (
    rental_id Int32,
    rental_date DateTime,
    return_date Nullable(DateTime),
    rental_duration_days Int32,
    is_returned UInt8,
    film_id Int32,
    film_title String,
    category_name String,
    customer_id Int32,
    country String,
    city String,
    rental_day_name String,
    rental_date_day Date
) ENGINE = MergeTree ORDER BY rental_id;
CREATE TABLE IF NOT EXISTS gold.batch_freshness (
    run_id       String,
    refreshed_at DateTime64(3),
    models       Array(String)
) ENGINE = MergeTree
ORDER BY refreshed_at;
CREATE TABLE IF NOT EXISTS stream.clicks_per_minute
(
    minute     DateTime('UTC'),
    film_id    UInt32,
    film_title String,
    category   LowCardinality(String),
    clicks     UInt64
)
ENGINE = SummingMergeTree(clicks)
ORDER BY (minute, category, film_id, film_title)
SETTINGS non_replicated_deduplication_window = 10000;
CREATE TABLE IF NOT EXISTS stream.active_users_per_minute
(
    minute DateTime('UTC'),
    users  AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY minute
SETTINGS non_replicated_deduplication_window = 10000;
CREATE TABLE IF NOT EXISTS stream.device_event_per_minute
(
    minute     DateTime('UTC'),
    device     LowCardinality(String),
    event_type LowCardinality(String),
    clicks     UInt64
)
ENGINE = SummingMergeTree(clicks)
ORDER BY (minute, device, event_type)
SETTINGS non_replicated_deduplication_window = 10000;
CREATE TABLE IF NOT EXISTS stream.event_funnel_per_minute
(
    minute     DateTime('UTC'),
    event_type LowCardinality(String),
    clicks     SimpleAggregateFunction(sum, UInt64),
    sessions   AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY (minute, event_type)
SETTINGS non_replicated_deduplication_window = 10000;
