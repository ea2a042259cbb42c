#!/usr/bin/env bash
# Packs dvd_dashboards/ into the ZIP that Superset/Preset imports, with the ClickHouse connection from the environment:
#   SUPERSET_CLICKHOUSE_URI=clickhousedb://user:XXXXXXXXXX@clickhouse.example:8123/default ./package.sh [out.zip]
# The password stays masked (XXXXXXXXXX): Superset's UI import asks for it. `superset import-dashboards` cannot ask:
# set SUPERSET_CLICKHOUSE_PASSWORD and it goes into the package only (mode 600; import it, then delete it). An empty
# SUPERSET_CLICKHOUSE_PASSWORD (a user without password) takes the mask out of the URI. Needs bash and python3, no JDK.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/dvd_dashboards.zip}")
mkdir -p "$(dirname "$out")"
python3 - "$here/dvd_dashboards" "$out" <<'PY'
import json, os, re, sys, zipfile

bundle, out = sys.argv[1], sys.argv[2]
uri = os.environ.get("SUPERSET_CLICKHOUSE_URI")
password = os.environ.get("SUPERSET_CLICKHOUSE_PASSWORD")
MASK = "XXXXXXXXXX"

def database(text):
    if uri:
        text = re.sub(r"(?m)^sqlalchemy_uri: .*$", lambda m: "sqlalchemy_uri: " + json.dumps(uri), text)
    if password == "":
        # No password to ask for: user@host instead of user:XXXXXXXXXX@host.
        text = text.replace(":" + MASK + "@", "@")
    elif password is not None:
        # Superset's importer takes it from here (ImportV1DatabaseSchema.password) and keeps the URI masked.
        text = text.rstrip("\n") + "\npassword: " + json.dumps(password) + "\n"
    return text

secret = bool(password) or bool(uri and re.search(r"://[^:/@]+:(?!" + MASK + "@)[^@]+@", uri))
if os.path.exists(out):
    os.remove(out)
with os.fdopen(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644), "wb") as file, \
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as package:
    for folder, folders, files in os.walk(bundle):
        folders.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            entry = "dvd_dashboards/" + os.path.relpath(path, bundle).replace(os.sep, "/")
            with open(path, encoding="utf-8") as source:
                text = source.read()
            package.writestr(entry, database(text) if entry == "dvd_dashboards/databases/ClickHouse.yaml" else text)
print("wrote " + out + (" (it holds the ClickHouse password: import it, then delete it)" if secret else ""))
PY
