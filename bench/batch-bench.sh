#!/usr/bin/env bash
# Batch pipeline benchmark (a measurement, not a test): seeds the source at scale factor N, then measures on the
# real local services of a stack of its own (DVD_STACK, default batch-bench; DVD_PORT_BASE moves its ports):
#   - bronze load rows/s of the server's extract (all tables, in parallel) against ClickHouse's own
#     INSERT ... SELECT FROM postgresql(...) on the same tables in the same run,
#   - full run wall time, a no-change rerun, an incremental run after 1% of the rentals changed,
#   - the server's peak memory (VmHWM of its process).
# The server starts as ./dvd server start starts it (ServerLaunch: its JVM options config/server-jvm.options).
# Prints Markdown tables (the figures, and the rerun's and the incremental run's stages) and writes them on top of
# bench/results/batch-<date>-sf<N>.md.
# usage: bench/batch-bench.sh [--scale N] [--reuse-source] [--heap SIZE] [--jvm-option OPTION]...
#   --scale N          default 100; --scale 10 for a quick run
#   --reuse-source     keep the source seeded by the previous run of this script (same scale)
#   --heap SIZE        the server's -Xmx instead of its own
#   --jvm-option OPT   one more JVM option for the server (e.g. -XX:NativeMemoryTracking=summary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=100
SEED=yes
HEAP=$(sed -n 's/^-Xmx\([^ ]*\).*/\1/p' config/server-jvm.options)
JVM_OPTIONS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --reuse-source) SEED=no; shift ;;
    --heap) HEAP=$2; JVM_OPTIONS+=("-Xmx$2"); shift 2 ;;
    --jvm-option) JVM_OPTIONS+=("$2"); shift 2 ;;
    *) echo "usage: $0 [--scale N] [--reuse-source] [--heap SIZE] [--jvm-option OPTION]..." >&2; exit 2 ;;
  esac
done
export DVD_STACK=${DVD_STACK:-batch-bench}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
source bench/bench-stack.sh

if [[ $SEED == yes ]]; then
  echo "==> seeding the source at scale factor $SCALE"
  ./dvd producer seed --scale "$SCALE" --replace | tail -1
else
  # A source seeded by an older release gets the schema's later migrations (its indexes) all the same.
  ./dvd producer migrate | tail -1
fi

JAR=$(server_jar)

echo "==> starting the server on port $PORT (log: $HOME_DIR/logs/bench-server.log)"
LAUNCH=$(./dvd services server-command "$JAR" "${JVM_OPTIONS[@]}")
mapfile -t COMMAND <<<"$LAUNCH"
DVD_SECURITY_ADMINUSER=bench DVD_SECURITY_ADMINPASSWORD=$PASS SERVER_PORT=$PORT \
  "${COMMAND[@]}" --dvd.batch.schedule.enabled=false >"$HOME_DIR/logs/bench-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
wait_ready $SERVER_PID 240

echo "==> empty warehouse and batch state"
for t in $(ch "SELECT name FROM system.tables WHERE database = 'bronze'"); do ch "TRUNCATE TABLE bronze.$t"; done
ch "SELECT concat(database, '.', name) FROM system.tables WHERE database IN ('silver', 'gold') AND name NOT IN ('quarantine', 'batch_freshness')" \
  | while read -r t; do ch "DROP TABLE IF EXISTS $t" || ch "DROP VIEW IF EXISTS $t"; done
ch "TRUNCATE TABLE silver.quarantine"
state "TRUNCATE batch_watermark, batch_node_state"
# A run left RUNNING by an interrupted benchmark would hold the run lock.
state "UPDATE batch_run SET state = 'ABANDONED', error = 'benchmark reset' WHERE state = 'RUNNING'"

# Starts a run, waits for its end, prints its id.
run() {
  local id
  id=$(curl -fsS -u "bench:$PASS" -H 'Content-Type: application/json' -d "$1" \
    "http://127.0.0.1:$PORT/api/batch/runs" | jq -r .runId) || { echo "could not start a run" >&2; exit 1; }
  while [[ $(state "SELECT state FROM batch_run WHERE run_id = '$id'") == RUNNING ]]; do sleep 0.5; done
  echo "$id"
}
wall() { state "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 1) FROM batch_run WHERE run_id = '$1'"; }
outcome() { state "SELECT state FROM batch_run WHERE run_id = '$1'"; }

echo "==> full run"
FULL=$(run '{"mode":"full"}')
BRONZE_ROWS=$(state "SELECT sum(rows_written) FROM batch_step WHERE run_id = '$FULL' AND kind = 'extract'")
EXTRACT_S=$(state "SELECT round(extract(epoch FROM max(finished_at) - min(started_at))::numeric, 2) FROM batch_step WHERE run_id = '$FULL' AND kind = 'extract'")

echo "==> ClickHouse INSERT ... SELECT FROM postgresql(...) on the same tables"
ch "DROP DATABASE IF EXISTS bench_native"
ch "CREATE DATABASE bench_native"
NATIVE_ROWS=0
start=$(date +%s.%N)
for t in actor address category city country customer film film_actor film_category inventory language payment rental staff store; do
  ch "CREATE TABLE bench_native.$t ENGINE = MergeTree ORDER BY tuple() EMPTY AS SELECT * FROM postgresql('$PG_HOST:$PG_PORT', 'dvdrental', '$t', 'postgres', '')"
  ch "INSERT INTO bench_native.$t SELECT * FROM postgresql('$PG_HOST:$PG_PORT', 'dvdrental', '$t', 'postgres', '') SETTINGS async_insert = 0"
  NATIVE_ROWS=$((NATIVE_ROWS + $(ch "SELECT count() FROM bench_native.$t")))
done
NATIVE_S=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
ch "DROP DATABASE bench_native"

echo "==> rerun without source changes"
NOCHANGE=$(run '{}')

echo "==> incremental run after 1% of the rentals changed"
# (the same rentals each time: a rerun of the script with --reuse-source changes them again)
CHANGED=$(src "WITH c AS (UPDATE rental SET return_date = coalesce(return_date, rental_date) + interval '1 day' WHERE rental_id % 100 = 0 RETURNING 1) SELECT count(*) FROM c")
INCR=$(run '{}')
INCR_ROWS=$(state "SELECT sum(rows_read) FROM batch_step WHERE run_id = '$INCR' AND kind = 'extract'")

PEAK_MB=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' /proc/$SERVER_PID/status)
# Resident now, split: anonymous (heap, metaspace, code) and file-backed (the jars and the start archive mapped: clean
# pages the kernel may drop and re-read).
RSS_SPLIT=$(awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {printf "%.0f MiB anonymous, %.0f MiB file-backed", a / 1024, f / 1024}' /proc/$SERVER_PID/status)
STARTED_FROM=$(if grep -qa -- "-XX:AOTCache=\|-XX:SharedArchiveFile=" /proc/$SERVER_PID/cmdline 2>/dev/null; then echo "from the start archive"; else echo "no start archive yet: this start writes it"; fi)
FULL_S=$(wall "$FULL"); NOCHANGE_S=$(wall "$NOCHANGE"); INCR_S=$(wall "$INCR")
RATE=$(python3 -c "print(round($BRONZE_ROWS / $EXTRACT_S))")
NATIVE_RATE=$(python3 -c "print(round($NATIVE_ROWS / $NATIVE_S))")

OUT=bench/results/batch-$(date -u +%F)-sf$SCALE.md
NEW=$(mktemp)
{
  echo "## Batch pipeline benchmark, scale factor $SCALE ($(date -u +%FT%TZ), $(nproc) cores, load $LOAD_BEFORE at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  echo
  echo "| Measure | Value |"
  echo "|---|---|"
  echo "| Source rows extracted to bronze (15 tables) | $BRONZE_ROWS |"
  echo "| Bronze load, server (COPY text checked and loaded by ClickHouse, chunks of $(sed -n "s/^    chunk-size: //p" config/spring/batch.yml | head -1), 4 tables in parallel) | $EXTRACT_S s, $RATE rows/s |"
  echo "| Bronze load, ClickHouse INSERT ... SELECT FROM postgresql(...) (tables one after another) | $NATIVE_S s, $NATIVE_RATE rows/s |"
  echo "| Server rate / ClickHouse rate | $(python3 -c "print(round($RATE / $NATIVE_RATE, 2))") |"
  echo "| Full run wall time (extract, silver, gold, quality, export) | $FULL_S s ($(outcome "$FULL")) |"
  echo "| Rerun without source changes | $NOCHANGE_S s ($(outcome "$NOCHANGE")) |"
  echo "| Incremental run after 1% of rentals changed ($CHANGED rentals; $INCR_ROWS rows read incl. lookback) | $INCR_S s ($(outcome "$INCR")) |"
  echo "| Incremental / full | $(python3 -c "print(round($INCR_S / $FULL_S, 3))") |"
  echo "| Server peak memory (VmHWM, -Xmx$HEAP; $STARTED_FROM) | $PEAK_MB MiB (at the end: $RSS_SPLIT) |"
  for pair in "Rerun without source changes:$NOCHANGE" "Incremental run after 1% of rentals changed:$INCR"; do
    echo
    echo "${pair%%:*}, by stage (first start to last end of its steps):"
    echo
    echo "| Stage | States | Rows read | Time |"
    echo "|---|---|---|---|"
    state "WITH s AS (SELECT CASE WHEN kind = 'model' THEN split_part(step, '.', 1) ELSE step END AS stage, *
             FROM batch_step WHERE run_id = '${pair#*:}' AND kind <> 'extract'
           UNION ALL SELECT 'extract', * FROM batch_step WHERE run_id = '${pair#*:}' AND kind = 'extract')
           SELECT '| ' || stage || ' | ' || string_agg(DISTINCT state, ', ') || ' | ' || sum(rows_read) || ' | '
                  || round(extract(epoch FROM max(finished_at) - min(started_at))::numeric, 2) || ' s |'
           FROM s GROUP BY stage ORDER BY min(started_at)"
  done
} | tee "$NEW"
# The newest measurement on top of the day's earlier ones.
if [[ -f $OUT ]]; then { echo; cat "$OUT"; } >>"$NEW"; fi
cat "$NEW" >"$OUT"
rm -f "$NEW"
echo
echo "written to $OUT"
