#!/usr/bin/env bash
# What naming films at query time costs: the streaming insights' trending-films and top-categories queries with the
# join on stream.film_reference (as StreamInsights runs them) against the same queries on the stored names only
# (the baseline: what they were before), on a day of per-minute rows in a scratch database of the test stack's
# ClickHouse. Median of RUNS timed runs each (after one warm-up), as ClickHouse itself measured them (elapsed_ns).
# Prints a table and writes it to bench/results/stream-reference-join.md.
#   bench/reference-join-bench.sh                 # 1,000 films x 1,440 minutes; windows of 15 (default) and 1,440
#   FILMS=5000 RUNS=30 bench/reference-join-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DVD_STACK=${DVD_STACK:-test}
FILMS=${FILMS:-1000}
MINUTES=${MINUTES:-1440}
RUNS=${RUNS:-20}
OUT=${OUT:-$PWD/bench/results/stream-reference-join.md}

./dvd services up clickhouse >/dev/null
# shellcheck disable=SC1090
source <(grep '^DVD_WAREHOUSE_URL=' ".local/$DVD_STACK/services.env")
HTTP=http://$(sed -E 's#jdbc:clickhouse://([^/]+)/.*#\1#' <<<"$DVD_WAREHOUSE_URL")
DB=bench_reference_join

ch() { curl -fsS "$HTTP/" --data-binary "$1"; }

ch "DROP DATABASE IF EXISTS $DB"
ch "CREATE DATABASE $DB"
ch "CREATE TABLE $DB.clicks_per_minute AS stream.clicks_per_minute"
ch "CREATE TABLE $DB.film_reference AS stream.film_reference"
# Every film every minute of the window; a third of them stored as 'Unknown' (they came before the reference).
ch "INSERT INTO $DB.clicks_per_minute SELECT toStartOfMinute(now()) - toIntervalMinute(intDiv(number, $FILMS)),
      (number % $FILMS) + 1, if(number % 3 = 0, 'Unknown', concat('Film ', toString((number % $FILMS) + 1))),
      if(number % 3 = 0, 'Unknown', concat('Category ', toString(number % 16))), 1 + number % 7
    FROM numbers($FILMS * $MINUTES)"
# Three loaded versions, as after two new exports.
ch "INSERT INTO $DB.film_reference SELECT (number % $FILMS) + 1, concat('Film ', toString((number % $FILMS) + 1)),
      concat('Category ', toString(number % 16)), concat('v', toString(intDiv(number, $FILMS))),
      now64(3) - toIntervalSecond(intDiv(number, $FILMS))
    FROM numbers($FILMS * 3)"
ch "OPTIMIZE TABLE $DB.clicks_per_minute FINAL"

# The queries of one answer over the last $2 minutes: stored names (baseline) or named from the reference.
query() {
  local answer=$1 window="minute >= toStartOfMinute(now()) - toIntervalMinute($2 - 1)" names=$3 rows
  if [[ $names == stored ]]; then
    rows="SELECT film_id, film_title AS title, category, clicks FROM $DB.clicks_per_minute WHERE $window"
  else
    rows="SELECT c.film_id AS film_id, coalesce(nullIf(r.title, ''), c.film_title) AS title,
            coalesce(nullIf(r.category, ''), c.category) AS category, c.clicks AS clicks
          FROM (SELECT film_id, argMax(film_title, minute) AS film_title, argMax(category, minute) AS category,
                       sum(clicks) AS clicks
                FROM $DB.clicks_per_minute WHERE $window GROUP BY film_id) AS c
          LEFT JOIN (SELECT film_id, argMax(title, loaded_at) AS title, argMax(category, loaded_at) AS category
                     FROM $DB.film_reference GROUP BY film_id) AS r ON r.film_id = c.film_id"
  fi
  if [[ $answer == trending-films ]]; then
    echo "SELECT film_id, title, category, sum(clicks) AS total FROM ($rows) GROUP BY film_id, title, category
          ORDER BY total DESC, title LIMIT 10"
  else
    echo "SELECT category, sum(clicks) AS total FROM ($rows) GROUP BY category ORDER BY total DESC, category LIMIT 10"
  fi
}

# The server's own time for the query (elapsed_ns of the X-ClickHouse-Summary header), median of RUNS.
median_ms() {
  local sql=$1
  ch "$sql FORMAT Null" >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    curl -fsS -D - -o /dev/null "$HTTP/" --data-binary "$sql FORMAT Null" \
      | sed -nE 's/.*X-ClickHouse-Summary:.*"elapsed_ns":"([0-9]+)".*/\1/ip'
  done | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1e6 }'
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "Query-time film names, $(date -u +%FT%TZ), $(nproc) CPUs, load average $load; ClickHouse of stack $DVD_STACK."
  echo "$FILMS films x $MINUTES minutes = $((FILMS * MINUTES)) per-minute rows (a third stored as 'Unknown'),"
  echo "stream.film_reference with 3 versions of every film; median of $RUNS runs (ClickHouse's elapsed_ns)."
  echo
  echo "| answer | stored names (baseline) | named from the reference | cost |"
  echo "|---|---:|---:|---:|"
  for window in 15 "$MINUTES"; do
    for answer in trending-films top-categories; do
      stored=$(median_ms "$(query "$answer" "$window" stored)")
      named=$(median_ms "$(query "$answer" "$window" named)")
      echo "| $answer, last $window minutes | $stored ms | $named ms | $(awk -v a="$stored" -v b="$named" 'BEGIN { printf "%+.1f ms", b - a }') |"
    done
  done
} >"$OUT"
ch "DROP DATABASE $DB"
echo "==> $OUT"
cat "$OUT"
