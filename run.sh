#!/usr/bin/env bash
# Builds what is missing or stale, then starts the whole server on its embedded defaults
# (SQLite under data/, web UI on http://localhost:8080, media on UDP 10000).
# Any --key=value argument overrides config/reception.conf, e.g. ./run.sh --http.port=8081
# A media bridge of its own (control-api then runs with --media.bridges=remote and the same secret):
#   RECEPTION_BRIDGE_SECRET=... ./run.sh --bridge.role=bridge --bridge.control-url=http://control-host:8080 --bridge.region=QN-VP
set -euo pipefail
cd "$(dirname "$0")"
jar=control-api/target/reception-control-api.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml media-server control-api web-client -newer "$jar" -type f -not -path '*/target/*' -print -quit)" ]; then
  echo "Building (the first build downloads dependencies and takes a few minutes)..."
  mvn -B -q -DskipTests package
fi
exec java -jar "$jar" "$@"
