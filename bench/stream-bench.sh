#!/usr/bin/env bash
# Click stream benchmark on the real local services of the test stack (see ClickIngestBenchmark):
# producer top rate, plain Kafka consumer rate, ingest route rate on the same backlog, ClickHouse's own insert of the
# same rows (second baseline), freshness at a paced rate, peak memory. Prints a table and puts it on top of
# bench/results/stream-bench.md (older runs stay below it).
#   bench/stream-bench.sh                      # 1,000,000 events, freshness at 5,000/s for 60 s, server heap 512 MiB
#   EVENTS=200000 FRESHNESS_SECONDS=20 HEAP=1536m bench/stream-bench.sh -Ddvd.stream.consumers=4
# Extra arguments go to Maven (e.g. -Ddvd.stream.batch-size=20000 to try another batch size, or
# -Ddvd.benchmark.jfr=/tmp/stream.jfr for a flight recording of the server during the drain).
set -euo pipefail
cd "$(dirname "$0")/.."
export DVD_STACK=${DVD_STACK:-test}
EVENTS=${EVENTS:-1000000}
FRESHNESS_RATE=${FRESHNESS_RATE:-5000}
FRESHNESS_SECONDS=${FRESHNESS_SECONDS:-60}
HEAP=${HEAP:-512m}
OUT=${OUT:-$PWD/bench/results/stream-bench.md}
RUN=$(mktemp)
trap 'rm -f "$RUN"' EXIT

./dvd services up >/dev/null
# A fresh ClickHouse process, so that its peak memory (VmHWM) is this run's.
./dvd services down clickhouse >/dev/null
./dvd services up clickhouse >/dev/null

./mvnw -B -ntp -q -pl route-tests -am verify -Dtest=ClickIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddvd.benchmark=true -Ddvd.benchmark.events="$EVENTS" -Ddvd.benchmark.freshness.rate="$FRESHNESS_RATE" \
  -Ddvd.benchmark.freshness.seconds="$FRESHNESS_SECONDS" -Ddvd.benchmark.output="$RUN" -Ddvd.test.heap="$HEAP" \
  -Ddvd.test.jvm= -Ddvd.test.forks=1 "$@"
if [ -s "$OUT" ]; then
  { cat "$RUN"; echo; cat "$OUT"; } > "$OUT.new" && mv "$OUT.new" "$OUT"
else
  cp "$RUN" "$OUT"
fi
echo "==> $OUT (this run on top)"
cat "$RUN"
