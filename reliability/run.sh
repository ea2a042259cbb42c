#!/usr/bin/env bash
# The reliability harness: breaks things on purpose against the real local services and writes
# reliability/results/latest.md (and a dated copy).
#   reliability/run.sh                                   every scenario, full figures (long: about an hour)
#   reliability/run.sh --quick                           every scenario, CI sizes (a few minutes)
#   reliability/run.sh --scenario bad-input --scenario access
#   reliability/run.sh --help                            scenarios and options
# Environment: DVD_STACK (default: reliability), DVD_PORT_BASE, DVD_CACHE as for ./dvd; DVD_SERVER_PORT for the
# server the harness starts (default 8095). RELIABILITY_SKIP_BUILD=1 uses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
export DVD_ROOT=$PWD
export DVD_STACK=${DVD_STACK:-reliability}

if [[ "${RELIABILITY_SKIP_BUILD:-0}" != 1 ]]; then
  echo "==> building the server and the harness (tests skipped)"
  ./mvnw -B -ntp -q -pl routes,reliability -am package -DskipTests
fi
exec java -Xmx1g -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -cp "reliability/target/classes:$(cat reliability/target/harness.classpath)" \
  io.dvdrental.pipelines.reliability.ReliabilityCli --command-line "reliability/run.sh $*" "$@"
