#!/usr/bin/env bash
# Streaming dashboard reads as clicks pile up (a measurement, not a test). On a stack of its own (DVD_STACK, default
# stream-readers-bench; DVD_PORT_BASE moves its ports) it starts the server (its migrations make the stream tables),
# has ClickHouse insert N clicks of the last hour from U users into stream.dvd_clicks in blocks of 10,000 rows (the
# route's batch size), so the materialized views fill as they do from the route, then times every stream endpoint of
# the insights API from outside, C calls each with no answer kept (cache-ttl 0), after 5 untimed calls. Beside the endpoints, ClickHouse alone
# on the same rows: the active-users reads from the view's uniqCombined sketches, and from uniq states (the view
# before V205) built from the same clicks into a scratch table.
# Prints a Markdown table and writes it to bench/results/stream-readers-<date>.md.
# usage: bench/stream-readers-bench.sh [--clicks N] [--users U] [--calls C]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CLICKS=10000000 USERS=50000 CALLS=50
while [[ $# -gt 0 ]]; do
  case $1 in
    --clicks) CLICKS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    *) echo "usage: $0 [--clicks N] [--users U] [--calls C]" >&2; exit 2 ;;
  esac
done
export DVD_STACK=${DVD_STACK:-stream-readers-bench}
source bench/bench-stack.sh
JAR=$(server_jar)

echo "==> starting the server on port $PORT (log: $HOME_DIR/logs/stream-readers-bench-server.log)"
DVD_SECURITY_ADMINUSER=bench DVD_SECURITY_ADMINPASSWORD=$PASS SERVER_PORT=$PORT \
  java -Xmx512m -jar "$JAR" --dvd.batch.schedule.enabled=false --dvd.insights.cache-ttl=0s \
  >"$HOME_DIR/logs/stream-readers-bench-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
wait_ready "$SERVER_PID" 300

echo "==> $CLICKS clicks of the last hour from $USERS users, through the views, in blocks of 10,000"
ch "TRUNCATE TABLE stream.dvd_clicks"
for view in clicks_per_minute users_per_minute device_event_per_minute event_funnel_per_minute; do
  ch "TRUNCATE TABLE stream.$view"
done
# Ordered by time as the route inserts them; the films are the ones a seeded source has (1..1000).
CLICK_ROWS="SELECT generateUUIDv4(number) AS event_id,
    now64(3) - toIntervalMillisecond(3600000 - intDiv(number * 3600000, $CLICKS)) AS event_ts,
    concat('user-', toString(cityHash64(number) % $USERS)) AS user_id, concat('session-', toString(intDiv(number, 20))) AS session_id,
    toUInt32(1 + cityHash64(number, 1) % 1000) AS film_id,
    ['view', 'click', 'add_to_list', 'play', 'search'][1 + number % 5] AS event_type, 'catalog' AS page,
    toUInt8(number % 20) AS position, ['web', 'ios', 'android'][1 + number % 3] AS device, 'direct' AS referrer,
    concat('Film ', toString(film_id)) AS film_title, 'Drama' AS category, 'PG' AS rating, toUInt16(100) AS length,
    'bench' AS kafka_topic, 'bench' AS kafka_topic_id, toUInt16(number % 3) AS kafka_partition, number AS kafka_offset
  FROM numbers($CLICKS)"
start=$(date +%s.%N)
ch "INSERT INTO stream.dvd_clicks (event_id, event_ts, user_id, session_id, film_id, event_type, page, position, device,
    referrer, film_title, category, rating, length, kafka_topic, kafka_topic_id, kafka_partition, kafka_offset)
  $CLICK_ROWS SETTINGS max_block_size = 10000, min_insert_block_size_rows = 10000, min_insert_block_size_bytes = 0"
fill_s=$(awk -v from="$start" -v to="$(date +%s.%N)" 'BEGIN {printf "%.0f", to - from}')
users_parts=$(ch "SELECT count() FROM system.parts WHERE database = 'stream' AND table = 'users_per_minute' AND active")

# The view before V205: uniq states of the same clicks, per minute, in blocks as the view wrote them.
ch "DROP TABLE IF EXISTS default.bench_uniq_users_per_minute"
ch "CREATE TABLE default.bench_uniq_users_per_minute (minute DateTime('UTC'), users AggregateFunction(uniq, String))
  ENGINE = AggregatingMergeTree ORDER BY minute"
ch "INSERT INTO default.bench_uniq_users_per_minute SELECT toStartOfMinute(event_ts), uniqState(user_id)
  FROM stream.dvd_clicks GROUP BY intDiv(kafka_offset, 10000), toStartOfMinute(event_ts)"

# p50, p95 and max (ms) of the times (s) on stdin.
percentiles() { sort -n | awk '{t[NR] = $1 * 1000} END {
  i50 = int(NR * 0.50 + 0.5); i95 = int(NR * 0.95 + 0.5); if (i50 < 1) i50 = 1; if (i95 < 1) i95 = 1;
  printf "%.0f | %.0f | %.0f", t[i50], t[i95], t[NR]}'; }
# Each read is timed after 5 untimed ones (the server's code compiled, ClickHouse's caches warm).
time_url() { for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "$1"; done
  for _ in $(seq 1 "$CALLS"); do curl -fsS -o /dev/null -w '%{time_total}\n' "$1"; done | percentiles; }
time_sql() { for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "$CH" --data-binary "$1"; done
  for _ in $(seq 1 "$CALLS"); do curl -fsS -o /dev/null -w '%{time_total}\n' "$CH" --data-binary "$1"; done | percentiles; }

WINDOW="minute >= toStartOfMinute(now()) - toIntervalMinute(60 - 1)"
rows=()
for endpoint in trending-films top-categories active-users clicks-per-minute device-activity event-funnel; do
  echo "==> timing /api/insights/stream/$endpoint?minutes=60"
  rows+=("| server: \`/api/insights/stream/$endpoint?minutes=60\` | $(time_url "http://127.0.0.1:$PORT/api/insights/stream/$endpoint?minutes=60") |")
done
echo "==> timing ClickHouse alone on the active users"
for kind in uniqCombined uniq; do
  table=$([[ $kind == uniq ]] && echo default.bench_uniq_users_per_minute || echo stream.users_per_minute)
  rows+=("| ClickHouse alone: users per minute, ${kind} states | $(time_sql "SELECT minute, ${kind}Merge(users) FROM $table WHERE $WINDOW GROUP BY minute ORDER BY minute FORMAT Null") |")
  rows+=("| ClickHouse alone: users of the hour, ${kind} states | $(time_sql "SELECT ${kind}Merge(users) FROM $table WHERE $WINDOW FORMAT Null") |")
done
exact=$(ch "SELECT uniqExact(user_id) FROM stream.dvd_clicks WHERE toStartOfMinute(event_ts) >= toStartOfMinute(now()) - toIntervalMinute(59)")
sketch=$(ch "SELECT uniqCombinedMerge(users) FROM stream.users_per_minute WHERE $WINDOW")
old=$(ch "SELECT uniqMerge(users) FROM default.bench_uniq_users_per_minute WHERE $WINDOW")
ch "DROP TABLE default.bench_uniq_users_per_minute"

OUT=bench/results/stream-readers-$(date -u +%F).md
COMMIT=$(git rev-parse --short HEAD)
{
  echo "## Streaming dashboard reads at $CLICKS clicks in the last hour ($(date -u +%FT%TZ), $(nproc) cores, commit $COMMIT)"
  echo
  echo "$CLICKS clicks from $USERS users inserted by ClickHouse through the views in blocks of 10,000 rows in $fill_s s;"
  echo "users_per_minute had $users_parts active parts when timed. $CALLS calls each, one after another, no answer kept;"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| read | p50 ms | p95 ms | max ms |"
  echo "|---|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Users of the hour: exact $exact; uniqCombined sketches $sketch; uniq states $old."
} | tee "$OUT"
echo "==> $OUT"
