#!/usr/bin/env bash
# Puts Apache ECharts from the npm registry into the server's static files, so the dashboards need no internet.
# usage: bundle-echarts.sh VERSION OUTPUT_DIR WORK_DIR   (npm checks the package's integrity; its cache makes
# later builds offline-capable)
set -euo pipefail
version=$1 out=$2 work=$3
if [[ -f "$out/echarts.min.js" && "$(cat "$out/VERSION" 2>/dev/null)" == "$version" ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm is needed to bundle echarts@$version (apt-get install -y npm)" >&2; exit 1; }
mkdir -p "$out" "$work"
(cd "$work" && npm pack --silent --prefer-offline "echarts@$version" >/dev/null)
tgz="$work/echarts-$version.tgz"
tar -xzf "$tgz" -C "$out" --strip-components=2 package/dist/echarts.min.js
tar -xzf "$tgz" -C "$out" --strip-components=1 package/LICENSE package/NOTICE
echo "$version" >"$out/VERSION"
