#!/usr/bin/env bash
# Packs dvd_dashboards/ into a ZIP that Superset/Preset imports (Dashboards > Import, or
# `superset import-dashboards -p dvd_dashboards.zip`), with the ClickHouse connection taken from the environment:
#   SUPERSET_CLICKHOUSE_URI=clickhousedb://user:XXXXXXXXXX@clickhouse.example:8123/default ./package.sh [out.zip]
# Superset asks for the password on import when it is masked as XXXXXXXXXX; never put a real one in a file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/dvd_dashboards.zip}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/dvd_dashboards" "$work/"
if [[ -n "${SUPERSET_CLICKHOUSE_URI:-}" ]]; then
  uri=${SUPERSET_CLICKHOUSE_URI//|/\\|}
  sed -i "s|^sqlalchemy_uri: .*|sqlalchemy_uri: ${uri}|" "$work/dvd_dashboards/databases/ClickHouse.yaml"
fi
rm -f "$out"
(cd "$work" && jar --create --no-manifest --file "$out" dvd_dashboards)
echo "wrote $out"
