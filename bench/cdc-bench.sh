#!/usr/bin/env bash
# Change data capture benchmark (a measurement, not a test), on the real local services of a stack of its own
# (DVD_STACK, default cdc-bench; DVD_PORT_BASE moves its ports):
#   - initial snapshot rate: the server with dvd.batch.capture=cdc takes a new snapshot of the source at scale factor
#     N into bronze, beside, in the same run, the cursor extract of a full batch run (capture off) and ClickHouse's own
#     INSERT ... SELECT FROM postgresql(...) on the same tables (the engine's speed on the same work);
#   - change -> bronze latency p50/p99 at RATE single-row transactions per second for SECONDS (CaptureLatencyBench:
#     first time a change is seen in bronze, polled every 100 ms, minus its source commit time);
#   - change -> gold freshness with the one-minute schedule (dvd.batch.schedule.cdc-cron as shipped): GOLD_SAMPLES
#     times, at a random second of the minute, a customer's email is changed at the source and gold.dim_customer is
#     polled every 0.5 s until it shows it (the time from before the UPDATE to the first poll that sees it);
#   - the load average while it ran (the machine is shared).
# Prints a Markdown table and appends it to bench/results/cdc-<date>.md.
# usage: bench/cdc-bench.sh [--scale N] [--reuse-source] [--rate R] [--seconds S] [--gold-samples N]
#        (CDC_BENCH_SKIP_BUILD=1: use the jars built)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=100; SEED=yes; RATE=1000; SECONDS_=60; GOLD_SAMPLES=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --reuse-source) SEED=no; shift ;;
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --gold-samples) GOLD_SAMPLES=$2; shift 2 ;;
    *) echo "usage: $0 [--scale N] [--reuse-source] [--rate R] [--seconds S] [--gold-samples N]" >&2; exit 2 ;;
  esac
done
export DVD_STACK=${DVD_STACK:-cdc-bench}
source bench/bench-stack.sh
load() { cut -d' ' -f1 /proc/loadavg; }
LOADS=()

if [[ "${CDC_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "==> building the server and the latency probe"
  ./mvnw -B -ntp -q -pl routes,reliability -am package -DskipTests
fi
JAR=$(ls routes/target/routes-*-exec.jar | head -1)

if [[ $SEED == yes ]]; then
  echo "==> seeding the source at scale factor $SCALE"
  ./dvd producer seed --scale "$SCALE" --replace | tail -1
fi
SOURCE_ROWS=0
TABLES="actor address category city country customer film film_actor film_category inventory language payment rental staff store"
for t in $TABLES; do SOURCE_ROWS=$((SOURCE_ROWS + $(src "SELECT count(*) FROM $t"))); done

SERVER_PID=
start_server() {  # $1: capture mode; then server arguments (default: the schedules off)
  local mode=$1; shift
  [[ $# -gt 0 ]] || set -- --dvd.batch.schedule.enabled=false
  echo "==> starting the server on port $PORT, capture $mode (log: $HOME_DIR/logs/bench-server.log)"
  DVD_SECURITY_ADMINUSER=bench DVD_SECURITY_ADMINPASSWORD=$PASS SERVER_PORT=$PORT DVD_BATCH_CAPTURE=$mode \
    DVD_STREAM_PRODUCER_ENABLED=false java -Xmx1g -jar "$JAR" "$@" \
    >>"$HOME_DIR/logs/bench-server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready $SERVER_PID 600
}
stop_server() { [[ -n $SERVER_PID ]] && kill $SERVER_PID 2>/dev/null && wait $SERVER_PID 2>/dev/null || true; SERVER_PID=; }
trap stop_server EXIT
api() { curl -fsS -u "bench:$PASS" -H 'Content-Type: application/json' "$@"; }

echo "==> empty warehouse and batch state"
for t in $(ch "SELECT name FROM system.tables WHERE database = 'bronze'"); do ch "TRUNCATE TABLE bronze.$t"; done
state "TRUNCATE batch_watermark, batch_node_state" 2>/dev/null || true
state "UPDATE batch_run SET state = 'ABANDONED', error = 'benchmark reset' WHERE state = 'RUNNING'" 2>/dev/null || true

start_server cursor
echo "==> cursor extract: a full batch run"
LOADS+=("$(load)")
RUN=$(api -d '{"mode":"full"}' "http://127.0.0.1:$PORT/api/batch/runs" | jq -r .runId)
while [[ $(state "SELECT state FROM batch_run WHERE run_id = '$RUN'") == RUNNING ]]; do sleep 1; done
EXTRACT_ROWS=$(state "SELECT sum(rows_written) FROM batch_step WHERE run_id = '$RUN' AND kind = 'extract'")
EXTRACT_S=$(state "SELECT round(extract(epoch FROM max(finished_at) - min(started_at))::numeric, 2) FROM batch_step WHERE run_id = '$RUN' AND kind = 'extract'")
LOADS+=("$(load)")
stop_server

echo "==> ClickHouse INSERT ... SELECT FROM postgresql(...) on the same tables"
ch "DROP DATABASE IF EXISTS bench_native"; ch "CREATE DATABASE bench_native"
NATIVE_ROWS=0; start=$(date +%s.%N)
for t in $TABLES; do
  ch "CREATE TABLE bench_native.$t ENGINE = MergeTree ORDER BY tuple() EMPTY AS SELECT * FROM postgresql('$PG_HOST:$PG_PORT', 'dvdrental', '$t', 'postgres', '')"
  ch "INSERT INTO bench_native.$t SELECT * FROM postgresql('$PG_HOST:$PG_PORT', 'dvdrental', '$t', 'postgres', '') SETTINGS async_insert = 0"
  NATIVE_ROWS=$((NATIVE_ROWS + $(ch "SELECT count() FROM bench_native.$t")))
done
NATIVE_S=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
ch "DROP DATABASE bench_native"
LOADS+=("$(load)")

start_server cdc
echo "==> initial snapshot (capture on, a new generation)"
start=$(date +%s.%N)
GEN=$(api -X POST "http://127.0.0.1:$PORT/api/cdc/resnapshot" | jq -r .generation)
bronze_rows() { local n=0; for t in $TABLES; do n=$((n + $(ch "SELECT count() FROM bronze.$t WHERE _run_id = 'cdc-$GEN' AND _op = 'r'"))); done; echo $n; }
while [[ $(bronze_rows) -lt $SOURCE_ROWS ]]; do sleep 1; done
SNAPSHOT_S=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
LOADS+=("$(load)")
while [[ $(api "http://127.0.0.1:$PORT/api/cdc" | jq -r .state) != STREAMING ]]; do sleep 1; done

echo "==> change -> bronze latency at $RATE changes/s for $SECONDS_ s"
LAT=$(java -cp "reliability/target/classes:$(cat reliability/target/harness.classpath)" \
  io.dvdrental.pipelines.reliability.CaptureLatencyBench "$DVD_SOURCE_URL" "$CH" "$GEN" "$RATE" "$SECONDS_")
LOADS+=("$(load)")
echo "    $LAT"
field() { echo "$LAT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
PEAK_MB=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' /proc/$SERVER_PID/status)
# The slot stays: the server started again below resumes the capture from its offsets.
stop_server

NEVER="0 0 3 1 1 ? 2099"
start_server cdc --dvd.batch.schedule.enabled=true "--dvd.batch.schedule.daily-cron=$NEVER" \
  "--dvd.batch.schedule.dim-date-cron=$NEVER"
STARTED=$(state "SELECT now()")
echo "==> change -> gold with the one-minute schedule: the first scheduled run (rebuilds every model)"
until [[ $(state "SELECT count(*) FROM batch_run WHERE trigger = 'schedule' AND state <> 'RUNNING' AND started_at > '$STARTED'") -ge 1 ]]; do
  sleep 2
done
echo "    $(state "SELECT state || ' in ' || round(extract(epoch FROM finished_at - started_at)) || ' s' FROM batch_run WHERE trigger = 'schedule' ORDER BY started_at DESC LIMIT 1")"
SAMPLING=$(state "SELECT now()")
GOLD=()
for i in $(seq 1 "$GOLD_SAMPLES"); do
  sleep $((RANDOM % 60))  # a random second of the schedule's minute
  marker="gold-probe-$i-$RANDOM@example.com"
  start=$(date +%s.%N)
  src "UPDATE customer SET email = '$marker' WHERE customer_id = 1"
  until [[ $(ch "SELECT count() FROM gold.dim_customer WHERE customer_id = 1 AND email = '$marker'") == 1 ]]; do
    if python3 -c "import sys; sys.exit(0 if $(date +%s.%N) - $start > 900 else 1)"; then
      echo "    sample $i: not in gold after 900 s" >&2; break
    fi
    sleep 0.5
  done
  GOLD+=("$(python3 -c "print(round($(date +%s.%N) - $start, 1))")")
  echo "    sample $i: ${GOLD[-1]} s"
done
LOADS+=("$(load)")
GOLD_RUNS=$(state "SELECT count(*) || ' runs, ' || round(avg(extract(epoch FROM finished_at - started_at))) || ' s on average, longest ' || round(max(extract(epoch FROM finished_at - started_at))) || ' s' FROM batch_run WHERE trigger = 'schedule' AND started_at > '$SAMPLING' AND state <> 'RUNNING'")
api -X POST "http://127.0.0.1:$PORT/api/cdc/slot/drop" >/dev/null || true
stop_server
GOLD_STATS=$(printf '%s\n' "${GOLD[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%s s / %s s / %s s", v[1], v[int((NR + 1) / 2)], v[NR]}')

SNAP_RATE=$(python3 -c "print(round($SOURCE_ROWS / $SNAPSHOT_S))")
EXTRACT_RATE=$(python3 -c "print(round($EXTRACT_ROWS / $EXTRACT_S))")
NATIVE_RATE=$(python3 -c "print(round($NATIVE_ROWS / $NATIVE_S))")
OUT=bench/results/cdc-$(date -u +%F).md
{
  echo "## Change data capture benchmark, scale factor $SCALE ($(date -u +%FT%TZ), $(nproc) cores, load average during the steps: ${LOADS[*]})"
  echo
  echo "| Measure | Value |"
  echo "|---|---|"
  echo "| Source rows (15 tables) | $SOURCE_ROWS |"
  echo "| Initial snapshot into bronze (capture on: Debezium snapshot, key order, batches of up to 10,000) | $SNAPSHOT_S s, $SNAP_RATE rows/s |"
  echo "| Cursor extract of a full batch run (capture off, same rows) | $EXTRACT_S s, $EXTRACT_RATE rows/s |"
  echo "| ClickHouse INSERT ... SELECT FROM postgresql(...) (engine baseline, tables one after another) | $NATIVE_S s, $NATIVE_RATE rows/s |"
  echo "| Snapshot / cursor extract; snapshot / engine baseline | $(python3 -c "print(round($SNAP_RATE / $EXTRACT_RATE, 2))"); $(python3 -c "print(round($SNAP_RATE / $NATIVE_RATE, 2))") |"
  echo "| Changes made (single-row transactions, target $RATE/s for $SECONDS_ s) | $(field changes) at $(field rate)/s |"
  echo "| Change -> bronze latency p50 / p99 / max (polled every 100 ms) | $(field p50_ms) ms / $(field p99_ms) ms / $(field max_ms) ms (goal p99 <= 2000 ms) |"
  echo "| Changes not seen in bronze within 30 s of the end | $(field unseen) |"
  echo "| Change -> gold with the one-minute schedule, min / median / max of $GOLD_SAMPLES samples | $GOLD_STATS (goal <= 90 s) |"
  echo "| Scheduled runs while sampling (each waits for the capture, then rebuilds the changed models whole; a quiet minute's run writes nothing) | $GOLD_RUNS |"
  echo "| Server peak memory (VmHWM, -Xmx1g) | $PEAK_MB MB |"
  echo
} | tee -a "$OUT"
echo
echo "written to $OUT"
