#!/usr/bin/env bash
# Click stream benchmark on the real local services of the test stack (see ClickIngestBenchmark):
# producer top rate, plain Kafka consumer rate, ingest route rate on the same backlog, freshness at a paced
# rate, peak memory. Prints a table and writes it to bench/results/stream-bench.md.
#   bench/stream-bench.sh                      # 1,000,000 events, freshness at 5,000/s for 60 s
#   EVENTS=200000 FRESHNESS_SECONDS=20 bench/stream-bench.sh -Ddvd.stream.consumers=4
# Extra arguments go to Maven (e.g. -Ddvd.stream.batch-size=20000 to try another batch size).
set -euo pipefail
cd "$(dirname "$0")/.."
export DVD_STACK=${DVD_STACK:-test}
EVENTS=${EVENTS:-1000000}
FRESHNESS_RATE=${FRESHNESS_RATE:-5000}
FRESHNESS_SECONDS=${FRESHNESS_SECONDS:-60}
OUT=${OUT:-$PWD/bench/results/stream-bench.md}

./dvd services up >/dev/null
# A fresh ClickHouse process, so that its peak memory (VmHWM) is this run's.
./dvd services down clickhouse >/dev/null
./dvd services up clickhouse >/dev/null

./mvnw -B -ntp -q -pl route-tests -am verify -Dtest=ClickIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddvd.benchmark=true -Ddvd.benchmark.events="$EVENTS" -Ddvd.benchmark.freshness.rate="$FRESHNESS_RATE" \
  -Ddvd.benchmark.freshness.seconds="$FRESHNESS_SECONDS" -Ddvd.benchmark.output="$OUT" "$@"
echo "==> $OUT"
cat "$OUT"
