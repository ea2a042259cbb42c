-- Per-minute aggregates of stream.dvd_clicks for the dashboards, fed by materialized views at insert time.
-- Every target table has non_replicated_deduplication_window > 0 so that a redelivered batch (same insert
-- deduplication token, see V200) is not counted twice here either. Always read them with sum() / uniqMerge()
-- and GROUP BY: rows of one key are merged only in the background.

-- Clicks per minute and film; title and category are already on the row (no join at query time).
--   minute (UTC), film_id, film_title, category, clicks
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

CREATE MATERIALIZED VIEW IF NOT EXISTS stream.clicks_per_minute_mv TO stream.clicks_per_minute AS
SELECT toStartOfMinute(event_ts) AS minute, film_id, film_title, category, count() AS clicks
FROM stream.dvd_clicks
GROUP BY minute, film_id, film_title, category;

-- Distinct users per minute: uniqMerge(users) over any window of minutes.
--   minute (UTC), users AggregateFunction(uniq, String)
CREATE TABLE IF NOT EXISTS stream.active_users_per_minute
(
    minute DateTime('UTC'),
    users  AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
ORDER BY minute
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS stream.active_users_per_minute_mv TO stream.active_users_per_minute AS
SELECT toStartOfMinute(event_ts) AS minute, uniqState(user_id) AS users
FROM stream.dvd_clicks
GROUP BY minute;

-- Device x event type per minute.
--   minute (UTC), device, event_type, clicks
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

CREATE MATERIALIZED VIEW IF NOT EXISTS stream.device_event_per_minute_mv TO stream.device_event_per_minute AS
SELECT toStartOfMinute(event_ts) AS minute, device, event_type, count() AS clicks
FROM stream.dvd_clicks
GROUP BY minute, device, event_type;

-- The event-type funnel (view -> detail_view -> watch_trailer -> add_to_watchlist) per minute: clicks and the
-- distinct sessions that reached each step (uniqMerge(sessions)).
--   minute (UTC), event_type, clicks SimpleAggregateFunction(sum), sessions AggregateFunction(uniq, String)
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

CREATE MATERIALIZED VIEW IF NOT EXISTS stream.event_funnel_per_minute_mv TO stream.event_funnel_per_minute AS
SELECT toStartOfMinute(event_ts) AS minute, event_type, count() AS clicks, uniqState(session_id) AS sessions
FROM stream.dvd_clicks
GROUP BY minute, event_type;
