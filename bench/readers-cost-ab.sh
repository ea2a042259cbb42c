#!/usr/bin/env bash
# What one dashboard reader request costs the server's CPU, for two server jars side by side (a measurement, not a
# test): both run at once on the readers-bench stack (run bench/readers-bench.sh once first: it seeds the source and
# builds gold), so that both see the same machine; they are flooded in turn (10 readers asking again at once,
# bench/readers.py) for ROUNDS rounds of 15 s, and each one's CPU time (user + system, /proc) over its answers is
# compared. Prints a Markdown table and appends it to bench/results/readers-<date>-cost.md.
# usage: bench/readers-cost-ab.sh JAR_A JAR_B [ROUNDS]   (e.g. a jar built from main, and routes/target/*-exec.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAR_A=$1 JAR_B=$2 ROUNDS=${3:-4}
export DVD_STACK=${DVD_STACK:-readers-bench}
source bench/bench-stack.sh

declare -A PID_OF PORT_OF
for side in A B; do
  jar=JAR_$side
  port=$(free_port)
  DVD_SECURITY_ADMINUSER=bench DVD_SECURITY_ADMINPASSWORD=$PASS SERVER_PORT=$port \
    java -Xmx1g -jar "${!jar}" --dvd.batch.schedule.enabled=false >"$HOME_DIR/logs/readers-cost-$side.log" 2>&1 &
  PID_OF[$side]=$! PORT_OF[$side]=$port
done
trap 'kill ${PID_OF[A]} ${PID_OF[B]} 2>/dev/null || true' EXIT
for side in A B; do PORT=${PORT_OF[$side]} wait_ready "${PID_OF[$side]}" 300; done

flood() { python3 bench/readers.py "http://127.0.0.1:${PORT_OF[$1]}" --readers 10 --period 0 --duration "$2"; }
for side in A B; do flood $side 10 >/dev/null; done  # warms the JIT of both

declare -A CPU REQ
CPU[A]=0 CPU[B]=0 REQ[A]=0 REQ[B]=0
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    before=$(cpu_ms "${PID_OF[$side]}"); other=$([[ $side == A ]] && echo B || echo A)
    before_other=$(cpu_ms "${PID_OF[$other]}")
    answered=$(flood $side 15 | jq -r .requests)
    # The other server idles meanwhile: its CPU over the same 15 s is what idling costs.
    idle=$(python3 -c "print($(cpu_ms "${PID_OF[$other]}") - $before_other)")
    CPU[$side]=$(python3 -c "print(${CPU[$side]} + $(cpu_ms "${PID_OF[$side]}") - $before - $idle)")
    REQ[$side]=$((REQ[$side] + answered))
    echo "round $round, $side: $answered answers (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done

OUT=bench/results/readers-$(date -u +%F)-cost.md
{
  echo "## CPU per reader request, two servers side by side ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "10 readers asking again at once, each server in turn, $ROUNDS rounds of 15 s; CPU less what the other server"
  echo "spent idle meanwhile. Command: \`bench/readers-cost-ab.sh $JAR_A $JAR_B $ROUNDS\`."
  echo
  echo "| Server | Jar | Answers | CPU per answer |"
  echo "|---|---|---:|---:|"
  for side in A B; do
    jar=JAR_$side
    echo "| $side | ${!jar} | ${REQ[$side]} | $(python3 -c "print(round(${CPU[$side]} / ${REQ[$side]}, 3))") ms |"
  done
} | tee -a "$OUT"
