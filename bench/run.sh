#!/usr/bin/env bash
# Sweeps the load generator over several viewer counts against our server and writes a Markdown
# report under bench/results/. Usage:
#   bench/run.sh --viewers 10,50,100,200 --seconds 20 [--bitrate 2500000] [--join storm|gradual] [--smoke]
# Each N gets a fresh server (packaged jar, temp data dir, own ports) so RSS and CPU are its own.
# --smoke: one short run (default 5 viewers, 5 s) that fails on SRTP auth failures or no delivery.
set -euo pipefail
cd "$(dirname "$0")/.."

viewers="10,50,100,200"; seconds=20; bitrate=2500000; join=storm; smoke=""
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) viewers="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --bitrate) bitrate="$2"; shift 2 ;;
    --join) join="$2"; shift 2 ;;
    --smoke) smoke="--smoke"; viewers="${SMOKE_VIEWERS:-5}"; seconds="${SMOKE_SECONDS:-5}"; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

server_jar=control-api/target/reception-control-api.jar
bench_jar=bench/target/bench.jar
built=bench/target/.built
if [ ! -f "$server_jar" ] || [ ! -f "$bench_jar" ] || [ ! -f "$built" ] \
   || [ -n "$(find pom.xml media-client media-server control-api web-client bench -newer "$built" -type f \
              \( -name pom.xml -o -path '*/src/main/*' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "Building server and load generator..."
  mvn -B -q -DskipTests package
  touch "$built"
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results/$stamp
mkdir -p "$out"
admin_password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_pid=""

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

start_server() {
  data_dir=$(mktemp -d /tmp/reception-bench.XXXXXX)
  http_port=$(free_port); media_port=$(free_udp_port)
  RECEPTION_ADMIN_PASSWORD="$admin_password" RECEPTION_MEDIA_ADVERTISED_ADDRESSES=127.0.0.1 \
    java -jar "$server_jar" --http.host=127.0.0.1 --http.port="$http_port" \
         --media.bind-host=127.0.0.1 --media.port="$media_port" --data.dir="$data_dir" \
         >"$out/server-$1.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$http_port"
  for _ in $(seq 1 100); do
    curl -fsS "$base/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited; see $out/server-$1.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "server did not become healthy; see $out/server-$1.log" >&2; exit 1
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# ---------------------------------------------------------------------------------------------
# SERVER-DRIVING PART — PENDING the session and WHIP/WHEP routes (issue 4; not in main yet).
# What exists today: POST /api/v1/auth/login {"username","password"} -> {"token"}.
# What this needs, once the routes land (adjust the paths to what control-api declares):
#   1. create a session (POST /api/v1/sessions) and start it (state LIVE),
#   2. get the host's WHIP token and one room join token for WHEP,
#   3. set whip_url, whep_url, publish_token, view_token below.
# Until then the function stops the sweep with a clear message instead of measuring nothing.
# ---------------------------------------------------------------------------------------------
prepare_session() {
  admin_token=$(curl -fsS -H 'Content-Type: application/json' \
      -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$base/api/v1/auth/login" | json_field token)
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $admin_token" \
      -H 'Content-Type: application/json' -d '{}' "$base/api/v1/sessions")
  if [ "$status" = "404" ] || [ "$status" = "405" ]; then
    echo "bench: the server has no session routes yet (POST /api/v1/sessions -> $status);" \
         "the WHIP/WHEP part of issue 4 must land before the sweep can run." >&2
    return 1
  fi
  # TODO(issue 4): replace with the real calls once the routes exist.
  whip_url="$base/whip/SESSION_ID"; whep_url="$base/whep/SESSION_ID"
  publish_token="$admin_token"; view_token="$admin_token"
}

results=()
ours_note=""
janus_note=""
IFS=',' read -ra counts <<<"$viewers"
for n in "${counts[@]}"; do
  start_server "$n"
  if prepare_session; then
    java -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.LoadGenerator \
        --label citizen-reception --whip "$whip_url" --whep "$whep_url" \
        --publish-token "$publish_token" --view-token "$view_token" \
        --viewers "$n" --seconds "$seconds" --bitrate "$bitrate" --join "$join" \
        --server-pid "$server_pid" --metrics "$base/metrics" --json "$out/ours-$n.json" $smoke \
        | tee "$out/ours-$n.txt"
    results+=("$out/ours-$n.json")
  else
    ours_note="Citizen Reception: not measured — the server has no session/WHIP/WHEP routes yet (issue 4)."
    [ -n "$smoke" ] && { stop_server; exit 3; }
  fi
  stop_server
  # Janus side by side, same N, same run (Debian package 'janus'; needs root for its namespace).
  if [ -n "$smoke" ]; then
    :
  elif ! command -v janus >/dev/null; then
    janus_note="Janus: not measured — the Debian package 'janus' is not installed."
  elif [ "$(id -u)" -ne 0 ]; then
    janus_note="Janus: not measured — its network namespace needs root."
  elif bench/janus-target.sh "$n" "$seconds" "$bitrate" "$join" "$out"; then
    results+=("$out/janus-$n.json")
  else
    janus_note="Janus: a run failed; see $out/janus-*.log."
  fi
done
if [ ${#results[@]} -eq 0 ]; then
  echo "bench: nothing was measured. $ours_note $janus_note" >&2
  exit 3
fi

NOTES="$ours_note $janus_note" python3 - "$out" "${results[@]}" <<'PY'
import json, os, platform, subprocess, sys
out, files = sys.argv[1], sys.argv[2:]
rows = [json.load(open(f)) for f in files]

def plot(rows, path):
    """Two small SVG line charts side by side: server CPU µs/packet and loss % against N, one line per server."""
    colors = {'citizen-reception': '#1f77b4', 'janus': '#d62728'}
    series = {}
    for r in rows:
        series.setdefault(r['label'], []).append(r)
    W, H, M = 360, 240, 48
    def chart(x0, key, title):
        values = [max(0.0, r[key]) for r in rows] or [1]
        ns = sorted({r['viewers'] for r in rows})
        vmax = max(values) * 1.15 or 1
        nmax = max(ns) or 1
        X = lambda n: x0 + M + (W - 2 * M) * n / nmax
        Y = lambda v: H - M + 10 - (H - 2 * M) * v / vmax
        g = [f'<text x="{x0 + W / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>',
             f'<line x1="{x0 + M}" y1="{H - M + 10}" x2="{x0 + W - M}" y2="{H - M + 10}" stroke="black"/>',
             f'<line x1="{x0 + M}" y1="{H - M + 10}" x2="{x0 + M}" y2="{M - 10}" stroke="black"/>',
             f'<text x="{x0 + W / 2}" y="{H - 8}" text-anchor="middle" font-size="11">viewers (N)</text>',
             f'<text x="{x0 + 6}" y="{M - 14}" font-size="10">{vmax:.3g}</text>']
        for n in ns:
            g.append(f'<text x="{X(n)}" y="{H - M + 24}" text-anchor="middle" font-size="10">{n}</text>')
        for label, rs in series.items():
            rs = sorted(rs, key=lambda r: r['viewers'])
            pts = ' '.join(f'{X(r["viewers"]):.1f},{Y(max(0.0, r[key])):.1f}' for r in rs)
            c = colors.get(label, '#2ca02c')
            g.append(f'<polyline fill="none" stroke="{c}" stroke-width="2" points="{pts}"/>')
            g += [f'<circle cx="{X(r["viewers"]):.1f}" cy="{Y(max(0.0, r[key])):.1f}" r="3" fill="{c}"/>' for r in rs]
        return g
    parts = chart(0, 'serverCpuMicrosPerPacket', 'server CPU µs per forwarded packet') + chart(W, 'lossPercent', 'loss %')
    legend = [f'<text x="{10 + 170 * i}" y="{H + 14}" font-size="11" fill="{colors.get(l, "#2ca02c")}">■ {l}</text>'
              for i, l in enumerate(series)]
    with open(path, 'w') as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 24}" font-family="sans-serif">'
                + ''.join(parts + legend) + '</svg>\n')
cpu = next((l.split(':',1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
java = subprocess.run(['java','-version'], capture_output=True, text=True).stderr.splitlines()[0]
with open(os.path.join(out, 'report.md'), 'w') as f:
    f.write(f"# Benchmark: 1 publisher -> N viewers\n\nMachine: {os.cpu_count()} cores, {cpu}, "
            f"Linux {platform.release()}, {java}.\n\n")
    f.write("| server | N | connected | pkt/s in | pkt/s out | Mbit/s out | loss % | latency p50/p99 (µs) | "
            "join p50/p95 (ms) | KF requests in join | server CPU µs/pkt | CPU % | RSS MB | KB/viewer | SRTP auth failures |\n")
    f.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        f.write(f"| {r['label']} | {r['viewers']} | {r['viewersConnected']} | {r['packetsInPerSecond']:.0f} | "
                f"{r['packetsOutPerSecond']:.0f} | {r['mbitOutPerSecond']:.1f} | {r['lossPercent']:.3f} | "
                f"{r['latencyP50Micros']}/{r['latencyP99Micros']} | {r['joinP50Millis']}/{r['joinP95Millis']} | "
                f"{r['keyframeRequestsDuringJoin']} | {r['serverCpuMicrosPerPacket']:.2f} | {r['serverCpuPercent']:.1f} | "
                f"{r['serverRssBytes']/1048576:.0f} | {r['rssBytesPerViewer']/1024:.0f} | {r['srtpAuthFailures']} |\n")
    notes = os.environ.get('NOTES', '').strip()
    if notes:
        f.write("\n" + notes + "\n")
    f.write("\nCPU is the server process's utime+stime from /proc (the load generator's own CPU is not counted), "
            "divided by the packets the viewers received. Latency is from a send stamp inside each video packet "
            "(publisher and viewers share one JVM clock). Join = connect start to first complete VP8 keyframe.\n")
    f.write("\n![CPU per packet and loss against N](plot.svg)\n")
plot(rows, os.path.join(out, 'plot.svg'))
print(f"report: {os.path.join(out, 'report.md')}")
PY
