#!/usr/bin/env bash
# A/B of server builds with real libwebrtc viewers, interleaved so each pair shares the machine's load:
#   bench/ab-calibrate.sh --viewers 25,50 --rounds 2 NAME=DIR[:JAVA_OPTS] NAME=DIR[:JAVA_OPTS] ...
# DIR holds a packaged server (reception-control-api.jar and its lib/; copy control-api/target/ of each
# build); JAVA_OPTS (optional) are the server's extra JVM options, e.g. -Dreception.media.fanout-helpers=0.
# Each round runs every variant once per N (bench/run.sh calibrate --no-janus, libwebrtc viewers only);
# prints one line per run: round, N, variant, server CPU µs per forwarded packet, pkt/s out, loss, load.
set -euo pipefail
cd "$(dirname "$0")/.."
viewers=25,50; rounds=1; seconds=20; kinds=libwebrtc; variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) viewers="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --viewer-kinds) kinds="$2"; shift 2 ;;
    *=*) variants+=("$1"); shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
IFS=',' read -ra counts <<<"$viewers"
printf '%-5s %-4s %-12s %-10s %10s %10s %8s  %s\n' round N variant kind 'us/pkt' 'pkt/s out' 'loss %' load
for round in $(seq 1 "$rounds"); do
  for n in "${counts[@]}"; do
    for variant in "${variants[@]}"; do
      name=${variant%%=*}; spec=${variant#*=}; dir=${spec%%:*}; opts=""
      [ "$spec" != "$dir" ] && opts=${spec#*:}
      load=$(uptime | sed 's/.*load average: //')
      log=$(SERVER_JAR="$dir/reception-control-api.jar" SERVER_JAVA_OPTS="$opts" \
            bench/run.sh calibrate --no-janus --viewer-kinds "$kinds" --viewers "$n" --seconds "$seconds" 2>&1) || true
      report=$(sed -n 's/^report: //p' <<<"$log")
      IFS=',' read -ra ks <<<"$kinds"
      for kind in "${ks[@]}"; do
        json="$(dirname "${report:-/nonexistent/x}")/ours-$kind-$n.json"
        if [ -f "$json" ]; then
          python3 - "$json" "$round" "$n" "$name" "$kind" "$load" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); round_, n, name, kind, load = sys.argv[2:]
print(f"{round_:<5} {n:<4} {name:<12} {kind:<10} {r.get('serverCpuMicrosPerPacket', -1):10.2f} "
      f"{r.get('packetsOutPerSecond', -1):10.0f} {r.get('lossPercent', -1):8.3f}  {load}")
PY
        else
          echo "$round $n $name $kind: no result (see the log below)"; tail -5 <<<"$log"
        fi
      done
    done
  done
done
