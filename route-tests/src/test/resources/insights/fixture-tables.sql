-- Stand-ins for the gold and stream tables the batch and stream pipelines create, with the DDL agreed with them.
-- Delete this file (and keep only the rows of InsightsFixture) once their warehouse migrations are merged.
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
CREATE TABLE IF NOT EXISTS stream.clicks_per_minute (
    minute DateTime,
    film_id UInt32,
    film_title String,
    category String,
    clicks UInt64
) ENGINE = SummingMergeTree ORDER BY (minute, film_id, film_title, category);
CREATE TABLE IF NOT EXISTS stream.active_users_per_minute (
    minute DateTime,
    users AggregateFunction(uniq, String)
) ENGINE = AggregatingMergeTree ORDER BY minute;
CREATE TABLE IF NOT EXISTS stream.device_event_per_minute (
    minute DateTime,
    device String,
    event_type String,
    clicks UInt64
) ENGINE = SummingMergeTree ORDER BY (minute, device, event_type);
CREATE TABLE IF NOT EXISTS stream.event_funnel_per_minute (
    minute DateTime,
    event_type String,
    clicks UInt64
) ENGINE = SummingMergeTree ORDER BY (minute, event_type);
