#!/usr/bin/env bash
# Readers during a batch run (a measurement, not a test): does a crowd on the dashboards slow the batch pipeline?
# On a stack of its own (DVD_STACK, default readers-bench; DVD_PORT_BASE moves its ports), with the source seeded at
# scale factor N, it times full batch runs alternately quiet and with R dashboard readers (bench/readers.py: each
# refreshes both dashboards and /api/pipelines every 10 s, as the streaming page does), round after round, so that
# both kinds see the same machine (odd rounds start quiet, even rounds with readers). A full run here: bronze
# emptied, silver dropped, watermarks and model state reset; gold stays, so the readers' questions are answered from it
# all along, and a run that builds the same gold again leaves the readers' batch answers as they were.
# Prints a Markdown table and writes it to bench/results/readers-<date>-sf<N>.md.
# usage: bench/readers-bench.sh [--scale N] [--readers R] [--period S] [--rounds K] [--reuse-source] [--jfr FILE]
#   --scale N        default 10       --readers R   default 50     --period S  default 10 (0: ask again at once)
#   --rounds K       default 3 (each: one quiet run, one with readers; medians are compared)
#   --reuse-source   keep the source seeded by the previous run of this script (same scale)
#   --jfr FILE       record the server with Java Flight Recorder (profile settings) into FILE
#   --cost-only      measure only what one reader request costs the server (CPU), no batch runs compared
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCALE=10 READERS=50 PERIOD=10 ROUNDS=3 SEED=yes JFR= COST_ONLY=no
while [[ $# -gt 0 ]]; do
  case $1 in
    --scale) SCALE=$2; shift 2 ;;
    --readers) READERS=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --reuse-source) SEED=no; shift ;;
    --jfr) JFR=$2; shift 2 ;;
    --cost-only) COST_ONLY=yes; shift ;;
    *) echo "usage: $0 [--scale N] [--readers R] [--period S] [--rounds K] [--reuse-source] [--jfr FILE] [--cost-only]" >&2; exit 2 ;;
  esac
done
export DVD_STACK=${DVD_STACK:-readers-bench}
source bench/bench-stack.sh

if [[ $SEED == yes ]]; then
  echo "==> seeding the source at scale factor $SCALE"
  ./dvd producer seed --scale "$SCALE" --replace | tail -1
fi

JAR=$(server_jar)

JAVA_OPTS=(-Xmx1g)
[[ -n $JFR ]] && JAVA_OPTS+=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true")
echo "==> starting the server on port $PORT (log: $HOME_DIR/logs/readers-bench-server.log)"
DVD_SECURITY_ADMINUSER=bench DVD_SECURITY_ADMINPASSWORD=$PASS SERVER_PORT=$PORT \
  java "${JAVA_OPTS[@]}" -jar "$JAR" --dvd.batch.schedule.enabled=false \
  >"$HOME_DIR/logs/readers-bench-server.log" 2>&1 &
SERVER_PID=$!
READERS_PID=
trap 'kill $READERS_PID $SERVER_PID 2>/dev/null || true' EXIT
wait_ready $SERVER_PID 300

# Every run does the whole work again: bronze empty, silver dropped, watermarks and model state reset; gold stays.
reset() {
  for t in $(ch "SELECT name FROM system.tables WHERE database = 'bronze'"); do ch "TRUNCATE TABLE bronze.$t"; done
  ch "SELECT name FROM system.tables WHERE database = 'silver' AND name != 'quarantine'" \
    | while read -r t; do ch "DROP TABLE IF EXISTS silver.$t" || ch "DROP VIEW IF EXISTS silver.$t"; done
  state "TRUNCATE batch_watermark, batch_node_state"
  state "UPDATE batch_run SET state = 'ABANDONED', error = 'benchmark reset' WHERE state = 'RUNNING'"
}
# Starts a full run, waits for its end, prints its id.
run() {
  local id
  id=$(curl -fsS -u "bench:$PASS" -H 'Content-Type: application/json' -d '{"mode":"full"}' \
    "http://127.0.0.1:$PORT/api/batch/runs" | jq -r .runId) || { echo "could not start a run" >&2; exit 1; }
  while [[ $(state "SELECT state FROM batch_run WHERE run_id = '$id'") == RUNNING ]]; do sleep 0.5; done
  echo "$id"
}
wall() { state "SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 1) FROM batch_run WHERE run_id = '$1'"; }
outcome() { state "SELECT state FROM batch_run WHERE run_id = '$1'"; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "==> warm-up run (builds gold for the readers; not counted)"
reset; WARM=$(run); echo "    $(wall "$WARM") s, $(outcome "$WARM")"

# What a reader request costs the server, with no batch running: 10 readers asking again at once for 20 s; the
# server's CPU time (user + system, from /proc) over the requests answered, less what it spends idle in as long.
python3 bench/readers.py "http://127.0.0.1:$PORT" --readers 10 --period 0 --duration 5 >/dev/null  # warms the JIT
CPU0=$(cpu_ms $SERVER_PID); sleep 10; IDLE_MS=$(python3 -c "print($(cpu_ms $SERVER_PID) - $CPU0)")
CPU0=$(cpu_ms $SERVER_PID)
COST=$(python3 bench/readers.py "http://127.0.0.1:$PORT" --readers 10 --period 0 --duration 20)
CPU1=$(cpu_ms $SERVER_PID)
COST_MS=$(python3 -c "print(round(($CPU1 - $CPU0 - 2 * $IDLE_MS) / $(jq -r .requests <<<"$COST"), 3))")
echo "==> one reader request costs the server $COST_MS ms of CPU ($(jq -r .per_second <<<"$COST") requests/s, p50 $(jq -r .p50_ms <<<"$COST") ms, load $(load))"
[[ $COST_ONLY == yes ]] && exit 0

quiet_run() {
  reset
  Q=$(run)
  echo "==> round $round: quiet run $(wall "$Q") s ($(outcome "$Q"), load $(load))"
}
busy_run() {
  reset
  STATS=$HOME_DIR/logs/readers-$round.json
  python3 bench/readers.py "http://127.0.0.1:$PORT" --readers "$READERS" --period "$PERIOD" >"$STATS" &
  READERS_PID=$!
  # The readers are all reading before the run starts.
  sleep "$(python3 -c "print(max(2, float('$PERIOD')))")"
  B=$(run)
  kill -TERM $READERS_PID; wait $READERS_PID || true; READERS_PID=
  echo "==> round $round: run with $READERS readers $(wall "$B") s ($(outcome "$B"), load $(load)); readers: $(cat "$STATS")"
}
QUIET=() BUSY=() RATIOS=() ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  # Odd rounds start quiet, even rounds with readers: a machine that speeds up or slows down over the benchmark
  # favours neither kind.
  if (( round % 2 )); then quiet_run; busy_run; else busy_run; quiet_run; fi
  QUIET+=("$(wall "$Q")"); BUSY+=("$(wall "$B")")
  RATIOS+=("$(python3 -c "print(round($(wall "$B") / $(wall "$Q"), 3))")")
  R=$(cat "$STATS")
  ROWS+=("| $round | $(wall "$Q") s ($(outcome "$Q")) | $(wall "$B") s ($(outcome "$B")) | ${RATIOS[-1]} | $(jq -r '.per_second' <<<"$R") | $(jq -r '.failed' <<<"$R") of $(jq -r '.requests' <<<"$R") | $(jq -r '.p50_ms' <<<"$R") / $(jq -r '.p99_ms' <<<"$R") ms | $(jq -r '.client_cpu_s' <<<"$R") s |")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
MQ=$(median "${QUIET[@]}"); MB=$(median "${BUSY[@]}"); MR=$(median "${RATIOS[@]}")
PEAK_MB=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' /proc/$SERVER_PID/status)
COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- routes security config || echo "+changes")

OUT=bench/results/readers-$(date -u +%F)-sf$SCALE.md
{
  echo "## Readers during a full batch run, scale factor $SCALE ($(date -u +%FT%TZ), $(nproc) cores, commit $COMMIT)"
  echo
  echo "$READERS readers, each refreshing both dashboards and /api/pipelines (13 requests) every $PERIOD s, during"
  echo "a full run; quiet runs alternate with them (odd rounds start quiet). Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Round | Quiet full run | Full run with readers | With readers / quiet | Reader requests/s | Reader requests failed | Reader latency p50 / p99 | Readers' own CPU (this machine) |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "| Measure | Value |"
  echo "|---|---|"
  echo "| Median quiet full run | $MQ s |"
  echo "| Median full run with $READERS readers | $MB s |"
  echo "| With readers / quiet, medians | $(python3 -c "print(round($MB / $MQ, 3))") (aim: at most 1.1) |"
  echo "| With readers / quiet, median of the rounds' ratios | $MR |"
  echo "| Server CPU per reader request (10 readers asking at once, no batch run) | $COST_MS ms ($(jq -r .per_second <<<"$COST") requests/s) |"
  echo "| Server peak memory (VmHWM, -Xmx1g) | $PEAK_MB MB |"
} | tee "$OUT"
echo
echo "written to $OUT"
