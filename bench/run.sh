#!/usr/bin/env bash
# Sweeps the load generator over several viewer counts against our server and writes a Markdown
# report under bench/results/. Usage:
#   bench/run.sh --viewers 10,50,100,200 --seconds 20 [--bitrate 2500000] [--join storm|gradual]
#                [--warmup-viewers 5] [--smoke] [--no-janus] [--pacing-factor 2.5] [--max-handshakes 8]
# Before each measured join, 5 viewers join and leave (--warmup-viewers 0 to measure a cold server:
# its first joins took ~14 s to connect in our first runs, which would swamp every other number).
# Each N gets a fresh server (packaged jar, temp data dir, own ports) so RSS and CPU are its own.
# SERVER_JAVA_OPTS / GENERATOR_JAVA_OPTS (environment): extra JVM options, e.g. a JFR recording.
# --pacing-factor: the publisher's video pacer as a multiple of the bitrate (2.5, libwebrtc's);
#   0 sends each frame in one burst (how runs before 28 Nov 2026 measured).
# --no-janus: measure our server only (quicker before/after comparisons while profiling).
# --smoke: one short run (default 5 viewers, 5 s) that fails on SRTP auth failures or no delivery.
#
# Soak (issue 14; not in CI, it eats a core for its length):
#   bench/run.sh soak [--minutes 30] [--viewers 100] [--sample-seconds 30] [--bitrate 2500000]
# One publisher and N viewers stay M minutes; the server's heap after GC, RSS, threads, file
# descriptors and endpoints are sampled every S seconds. Writes soak-samples.csv, soak.svg (the
# curves) and soak.md (figures, bounds, verdict) to bench/results/<timestamp>/; exits 2 when a bound
# broke (SoakBounds). SoakIT runs a 2-minute version of it in mvn verify.
#
# Calibration (issue 15; root for Janus's namespace; minutes per N):
#   bench/run.sh calibrate [--viewers 25,50] [--seconds 20] [--bitrate 2500000] [--warmup-viewers 5] [--no-janus]
#                          [--servers ours,janus] [--viewer-kinds generator,libwebrtc]
# --servers ours (same as --no-janus) or janus, --viewer-kinds libwebrtc: one column only, for quicker A/B runs.
# Each N is measured four ways in one run, each with a fresh server: our server with the generator's
# (libwebrtc-like) viewers, our server with real libwebrtc viewers (webrtc-java), and Janus VideoRoom
# with each of the two. The publisher is the generator's, sending a real VP8 clip (640x360, 30 fps, at
# the bitrate; made once with ffmpeg into bench/target/) plus Opus, so libwebrtc viewers decode it.
# Writes calibration.md (server CPU µs per forwarded packet, loss, ratios ours/Janus and
# generator/libwebrtc, the machine's load before and after) to bench/results/<timestamp>/.
#
# One cascade hop (issue 16; in one JVM, no server jar needed):
#   bench/run.sh cascade [--viewers 25,50] [--seconds 20] [--bitrate 2500000]
# A root bridge and a leaf bridge cascaded from it (CascadeBench: two MediaBridges on loopback), the
# generator's publisher on the root and N generator viewers on each bridge at once, so both sides see
# the same load. Writes cascade-N/cascade.md (latency p50/p95/p99 on each bridge and what the hop
# adds; each bridge's event loop CPU per forwarded packet; the link's counters; the load before and
# after) to bench/results/<timestamp>/.
#
# Three bridges, swept over viewer counts (issue 16; no server jar needed). --viewers 25,50 took 2.5 min
# with bridge processes at load 9-15 and 3.7-4 min at load 17-30 (1.6-2.3 min --in-process): starting
# the JVMs, opening the links and the joins are most of it on a loaded machine.
#   bench/run.sh cascade-sweep [--viewers 25,50] [--root-viewers 5] [--topologies star,chain] [--seconds 10]
#                              [--warmup-seconds 10] [--bitrate 2500000] [--in-process]
# star: root -> leaf-a and root -> leaf-b; chain: root -> province -> region (depth 2). The generator's
# publisher is on the root, a few reference viewers too (--root-viewers), N viewers on every other
# bridge. A shape's bridges stay up for the whole sweep (viewers are added as N grows, warm-up before
# the first point). Each bridge is a process of its own (CascadeSweep, BridgeProcessMain), as in production;
# --in-process puts the three in the generator's JVM instead (to compare). Writes cascade-sweep.md
# (per bridge: latency p50/p95/p99 and what each hop adds, packets/s, event loop and process CPU per
# packet, the link's losses, viewers that missed packets, the load) and the bridges' logs to
# bench/results/<timestamp>/. BRIDGE_JAVA_OPTS: extra JVM options for the bridge processes.
set -euo pipefail
cd "$(dirname "$0")/.."

viewers="10,50,100,200"; seconds=20; bitrate=2500000; join=storm; smoke=""; warmup=5; janus=yes; ours=yes; pacing=2.5; extra=()
viewer_kinds="generator,libwebrtc"
mode=sweep; minutes=30; sample_seconds=30
if [ "${1:-}" = soak ]; then mode=soak; viewers=100; shift; fi
if [ "${1:-}" = calibrate ]; then mode=calibrate; viewers=25,50; shift; fi
if [ "${1:-}" = cascade ]; then mode=cascade; viewers=25,50; shift; fi
if [ "${1:-}" = cascade-sweep ]; then mode=cascade-sweep; viewers=25,50; seconds=10; shift; fi
root_viewers=5; topologies=star,chain; in_process=""; warmup_seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --sample-seconds) sample_seconds="$2"; shift 2 ;;
    --viewers) viewers="$2"; shift 2 ;;
    --root-viewers) root_viewers="$2"; shift 2 ;;
    --topologies) topologies="$2"; shift 2 ;;
    --in-process) in_process="--in-process"; shift ;;
    --warmup-seconds) warmup_seconds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --bitrate) bitrate="$2"; shift 2 ;;
    --join) join="$2"; shift 2 ;;
    --warmup-viewers) warmup="$2"; shift 2 ;;
    --no-janus) janus=""; shift ;;
    --servers) case ",$2," in *,janus,*) janus=yes ;; *) janus="" ;; esac
               case ",$2," in *,ours,*) ours=yes ;; *) ours="" ;; esac; shift 2 ;;
    --viewer-kinds) viewer_kinds="$2"; shift 2 ;;
    --pacing-factor) pacing="$2"; shift 2 ;;
    --max-handshakes) extra+=(--max-handshakes "$2"); shift 2 ;;
    --smoke) smoke="--smoke"; viewers="${SMOKE_VIEWERS:-5}"; seconds="${SMOKE_SECONDS:-5}"; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

bench_jar=bench/target/bench.jar
if [ "$mode" = cascade-sweep ]; then
  if [ ! -f "$bench_jar" ] || [ -n "$(find pom.xml media-client media-server bench -newer "$bench_jar" -type f \
         \( -name pom.xml -o -path '*/src/main/*' \) -not -path '*/target/*' -print -quit)" ]; then
    echo "Building the bridge and the load generator..."
    mvn -B -q -pl bench -am -DskipTests package
  fi
  out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$out"
  echo "uptime before: $(uptime)" | tee "$out/uptime.txt"
  java ${GENERATOR_JAVA_OPTS:-} -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.CascadeSweep \
      --viewers "$viewers" --root-viewers "$root_viewers" --topologies "$topologies" --seconds "$seconds" \
      --warmup-seconds "$warmup_seconds" \
      --bitrate "$bitrate" $in_process --out "$out" 2>"$out/cascade-sweep.log" \
    || { echo "cascade-sweep: the run failed; see $out/cascade-sweep.log" >&2; exit 1; }
  echo "uptime after: $(uptime)" | tee -a "$out/uptime.txt"
  exit 0
fi
if [ "$mode" = cascade ]; then
  if [ ! -f "$bench_jar" ] || [ -n "$(find pom.xml media-client media-server bench -newer "$bench_jar" -type f \
         \( -name pom.xml -o -path '*/src/main/*' \) -not -path '*/target/*' -print -quit)" ]; then
    echo "Building the bridge and the load generator..."
    mvn -B -q -pl bench -am -DskipTests package
  fi
  out=bench/results/$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p "$out"
  IFS=',' read -ra counts <<<"$viewers"
  for n in "${counts[@]}"; do
    java ${GENERATOR_JAVA_OPTS:-} -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.CascadeBench \
        --viewers "$n" --seconds "$seconds" --bitrate "$bitrate" --out "$out/cascade-$n" \
        >"$out/cascade-$n.log" 2>&1 || { echo "cascade-$n: the run failed; see $out/cascade-$n.log" >&2; continue; }
    cat "$out/cascade-$n/cascade.md"
  done
  exit 0
fi
server_jar=${SERVER_JAR:-control-api/target/reception-control-api.jar} # SERVER_JAR: compare another build
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
[ -n "$smoke" ] && out=$(mktemp -d /tmp/bench-smoke.XXXXXX) # a smoke run is a check, not a report to keep
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
    java ${SERVER_JAVA_OPTS:-} -jar "$server_jar" --http.host=127.0.0.1 --http.port="$http_port" \
         --media.bind-host=127.0.0.1 --media.port="$media_port" --data.dir="$data_dir" \
         --limits.media-posts-per-minute-per-address=100000 \
         >"$out/server-$1.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$http_port"
  for _ in $(seq 1 600); do # up to 2 minutes: a loaded machine has taken over 20 s to start it
    curl -fsS "$base/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited; see $out/server-$1.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "server did not become healthy; see $out/server-$1.log" >&2; exit 1
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# Drives our server through its REST API the way a deployment does: sign in as the bootstrapped
# admin, add one room per viewer (BENCH-0001.., wards under the province office QN-VP), schedule a
# session hosted by QN-VP inviting every room, and issue each room its own join token (what a room
# console holds); the host publishes with QN-VP's token, viewer i plays with room i's token, so the
# join storm goes through the join-token check as real rooms' joins do.
prepare_session() {
  admin_token=$(curl -fsS -H 'Content-Type: application/json' \
      -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$base/api/v1/auth/login" | json_field token) || return 1
  python3 - "$base" "$admin_token" "$1" <<'ROOMS' || return 1
import json, sys, urllib.request, urllib.error
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(1, n + 1):
    body = json.dumps({"code": f"BENCH-{i:04d}", "name": f"Bench room {i}", "level": "WARD", "parentCode": "QN-VP"}).encode()
    req = urllib.request.Request(base + "/api/v1/rooms", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req).read()
    except urllib.error.HTTPError as e:
        if e.code != 409:  # already there (a second run against the same data dir)
            sys.exit(f"bench: could not create room BENCH-{i:04d}: {e.code} {e.read().decode()}")
ROOMS
  local start end body response
  start=$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%SZ); end=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
  body="{\"title\":\"bench\",\"scheduledStart\":\"$start\",\"scheduledEnd\":\"$end\",\"presidingOfficial\":\"bench\",
        \"hostRoomCode\":\"QN-VP\",\"invitation\":{\"type\":\"ALL\"},\"mode\":\"ONLINE\",\"recording\":false}"
  response=$(curl -sS -w '\n%{http_code}' -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
      -d "$body" "$base/api/v1/sessions")
  if [ "$(tail -n1 <<<"$response")" != "201" ]; then
    echo "bench: could not schedule a session: $response" >&2
    return 1
  fi
  session_id=$(head -n -1 <<<"$response" | json_field id)
  whip_url="$base/whip/$session_id"; whep_url="$base/whep/$session_id"
  view_tokens_file="$data_dir/view-tokens.txt" # secrets: next to the server's temp data, never in results
  python3 - "$base" "$admin_token" "$session_id" "$1" "$view_tokens_file" <<'TOKENS' || return 1
import json, sys, urllib.request
base, token, session, n, path = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def issue(room):
    req = urllib.request.Request(f"{base}/api/v1/sessions/{session}/rooms/{room}/join-token", data=b"", method="POST",
                                 headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))["token"]
with open(path, "w") as f:
    f.write(issue("QN-VP") + "\n")  # first line: the host room's token, for WHIP
    for i in range(1, n + 1):
        f.write(issue(f"BENCH-{i:04d}") + "\n")
TOKENS
  publish_token=$(head -n1 "$view_tokens_file")
  tail -n +2 "$view_tokens_file" > "$view_tokens_file.viewers" && mv "$view_tokens_file.viewers" "$view_tokens_file"
}

if [ "$mode" = soak ]; then
  case "$viewers" in *,*) echo "soak: --viewers takes one number" >&2; exit 1 ;; esac
  start_server "soak-$viewers"
  prepare_session "$viewers" || exit 3
  set +e
  java ${GENERATOR_JAVA_OPTS:-} -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.Soak \
      --whip "$whip_url" --publish-token "$publish_token" --view-tokens-file "$view_tokens_file" \
      --viewers "$viewers" --minutes "$minutes" --sample-seconds "$sample_seconds" --bitrate "$bitrate" \
      --pacing-factor "$pacing" --server-pid "$server_pid" --metrics "$base/metrics" --out "$out" 2>&1 | tee "$out/soak.txt"
  status=${PIPESTATUS[0]}
  set -e
  stop_server
  exit "$status"
fi

# Where the server's time went, per stage of the packet path (its own counters on /metrics, taken
# before it stops): packets, estimated ns per packet (time sampled on 1 packet in 64), drops.
stage_profile() {
  curl -fsS "$base/metrics" 2>/dev/null | python3 -c '
import re, sys
rows = {}
for line in sys.stdin:
    m = re.match(r"reception_media_stage_(packets|seconds|drops)_total\{(.*)\} (\S+)", line)
    if not m:
        continue
    tags = dict(re.findall(r"(\w+)=\"([^\"]*)\"", m.group(2)))
    row = rows.setdefault((tags["direction"], tags["stage"]), {"packets": 0.0, "seconds": 0.0, "drops": 0.0})
    row[m.group(1)] += float(m.group(3))
print("| direction | stage | packets | ns per packet (est.) | drops |")
print("|---|---|---|---|---|")
for (direction, stage), r in rows.items():
    per = r["seconds"] * 1e9 / r["packets"] if r["packets"] else 0
    print("| %s | %s | %.0f | %.0f | %.0f |" % (direction, stage, r["packets"], per, r["drops"]))
' | tee "$out/stages-$1.md" || echo "no stage profile for $1 viewers" >&2
}
if [ "$mode" = calibrate ]; then
  clip=bench/target/calibration-640x360-$bitrate.ivf
  if [ ! -s "$clip" ]; then
    echo "Encoding the calibration clip (VP8 640x360 30 fps, $bitrate bit/s, 10 s)..."
    # Noise keeps the encoder at its target rate (a test pattern alone compresses to a fraction of it);
    # keyframes every 2 s as the generator's; CBR so every second carries the bitrate.
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=30,noise=alls=12:allf=t" -t 10 \
        -c:v libvpx -deadline realtime -cpu-used 8 -b:v "$bitrate" -minrate "$bitrate" -maxrate "$bitrate" \
        -bufsize "$((bitrate / 2))" -g 60 -keyint_min 60 -auto-alt-ref 0 -f ivf "$clip"
  fi
  load_before=$(uptime)
  calibration_notes=""
  if [ -z "$janus" ]; then calibration_notes="Janus: not measured (--no-janus)."
  elif ! command -v janus >/dev/null; then calibration_notes="Janus: not measured — the Debian package 'janus' is not installed."
  elif [ "$(id -u)" -ne 0 ]; then calibration_notes="Janus: not measured — its network namespace needs root."; fi

  IFS=',' read -ra counts <<<"$viewers"
  IFS=',' read -ra kinds <<<"$viewer_kinds"
  for n in "${counts[@]}"; do
    for kind in "${kinds[@]}"; do
      [ -n "$ours" ] && start_server "$kind-$n"
      if [ -n "$ours" ] && prepare_session "$n"; then
        java ${GENERATOR_JAVA_OPTS:-} -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.LoadGenerator \
            --label "ours-$kind" --whip "$whip_url" --whep "$whep_url" \
            --publish-token "$publish_token" --view-tokens-file "$view_tokens_file" \
            --viewers "$n" --seconds "$seconds" --bitrate "$bitrate" --join gradual --join-per-second 10 \
            --server-pid "$server_pid" --metrics "$base/metrics" --json "$out/ours-$kind-$n.json" \
            --warmup-viewers "$warmup" --pacing-factor "$pacing" --viewer-kind "$kind" --vp8-clip "$clip" \
            ${extra[@]+"${extra[@]}"} 2>&1 | tee "$out/ours-$kind-$n.txt" || echo "ours-$kind-$n: the run failed" >&2
        stage_profile "$kind-$n"
      fi
      stop_server
      if [ -n "$janus" ] && command -v janus >/dev/null && [ "$(id -u)" -eq 0 ]; then
        address=""; [ "$kind" = libwebrtc ] && address=198.18.0.2
        JANUS_RUN_NAME="janus-$kind" JANUS_EXTRA_ADDRESS="$address" bench/janus-target.sh "$n" "$seconds" "$bitrate" \
            gradual "$out" --join-per-second 10 --warmup-viewers "$warmup" --pacing-factor "$pacing" \
            --viewer-kind "$kind" --vp8-clip "$clip" --label "janus-$kind" || echo "janus-$kind-$n: the run failed" >&2
      fi
    done
  done
  NOTES="$calibration_notes" LOAD_BEFORE="$load_before" LOAD_AFTER="$(uptime)" SECONDS_EACH="$seconds" CLIP="$clip" \
      python3 bench/calibration_report.py "$out" "$viewers"
  exit 0
fi

results=()
ours_note=""
janus_note=""
IFS=',' read -ra counts <<<"$viewers"
for n in "${counts[@]}"; do
  start_server "$n"
  if prepare_session "$n"; then
    java ${GENERATOR_JAVA_OPTS:-} -cp "$bench_jar:bench/target/lib/*" org.citizenreception.bench.LoadGenerator \
        --label citizen-reception --whip "$whip_url" --whep "$whep_url" \
        --publish-token "$publish_token" --view-tokens-file "$view_tokens_file" \
        --viewers "$n" --seconds "$seconds" --bitrate "$bitrate" --join "$join" \
        --server-pid "$server_pid" --metrics "$base/metrics" --json "$out/ours-$n.json" $smoke \
        --warmup-viewers "$warmup" --pacing-factor "$pacing" ${extra[@]+"${extra[@]}"} \
        | tee "$out/ours-$n.txt"
    results+=("$out/ours-$n.json")
    stage_profile "$n"
  else
    ours_note="Citizen Reception: not measured — no session could be prepared (see the message above)."
    [ -n "$smoke" ] && { stop_server; exit 3; }
  fi
  stop_server
  # Janus side by side, same N, same run (Debian package 'janus'; needs root for its namespace).
  if [ -n "$smoke" ] || [ -z "$janus" ]; then
    :
  elif ! command -v janus >/dev/null; then
    janus_note="Janus: not measured — the Debian package 'janus' is not installed."
  elif [ "$(id -u)" -ne 0 ]; then
    janus_note="Janus: not measured — its network namespace needs root."
  elif bench/janus-target.sh "$n" "$seconds" "$bitrate" "$join" "$out" --warmup-viewers "$warmup" --pacing-factor "$pacing"; then
    results+=("$out/janus-$n.json")
  else
    janus_note="Janus: a run failed; see $out/janus-*.log."
  fi
done
if [ ${#results[@]} -eq 0 ]; then
  echo "bench: nothing was measured. $ours_note $janus_note" >&2
  exit 3
fi

WARMUP="$warmup" NOTES="$ours_note $janus_note" python3 - "$out" "${results[@]}" <<'PY'
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
            "join p50/p95 (ms) | of which connect p50/p95 (ms) | KF requests in join | server CPU µs/pkt | CPU % | RSS MB | KB/viewer | live heap KB/viewer | SRTP auth failures | generator CPU % |\n")
    f.write("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for r in rows:
        f.write(f"| {r['label']} | {r['viewers']} | {r['viewersConnected']} | {r['packetsInPerSecond']:.0f} | "
                f"{r['packetsOutPerSecond']:.0f} | {r['mbitOutPerSecond']:.1f} | {r['lossPercent']:.3f} | "
                f"{r['latencyP50Micros']}/{r['latencyP99Micros']} | {r['joinP50Millis']}/{r['joinP95Millis']} | "
                f"{r['connectP50Millis']}/{r['connectP95Millis']} | "
                f"{r['keyframeRequestsDuringJoin']} | {r['serverCpuMicrosPerPacket']:.2f} | {r['serverCpuPercent']:.1f} | "
                f"{r['serverRssBytes']/1048576:.0f} | {r['rssBytesPerViewer']/1024:.0f} | "
                f"{r.get('liveHeapBytesPerViewer', -1)/1024:.0f} | {r['srtpAuthFailures']} | "
                f"{r.get('generatorCpuPercent', -1):.0f} |\n")
    phased = [r for r in rows if r.get('serverJoinPhases')]
    if phased:
        f.write("\n## The join as the server sees it\n\n"
                "From the server's /metrics before the viewers came and after they joined (its JoinPhase timers), "
                "beside the viewers' end-to-end figure, which also holds the generator's own ICE and DTLS work on the "
                "same cores. answer: WHEP POST to answer; ice and client_hello: waiting for the client; dtls: first "
                "DTLS record to keys (the server's queue for a core and its computing, plus the client's flights); "
                "first_keyframe: keys to the first keyframe packet sent; server = answer + dtls + first_keyframe; "
                "total = POST to first keyframe sent. core_wait and computing split the server's handshakes.\n\n")
        f.write("| server | N | phase | joins | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|\n")
        order = ['answer', 'ice', 'client_hello', 'dtls', 'first_keyframe', 'server', 'total', 'core_wait', 'computing']
        for r in phased:
            phases = r['serverJoinPhases']
            for key in sorted(phases, key=lambda k: order.index(k.split('/')[1]) if k.split('/')[1] in order else 99):
                p = phases[key]
                f.write(f"| {r['label']} | {r['viewers']} | {key} | {p['count']} | {p['p50Millis']:.1f} | "
                        f"{p['p95Millis']:.1f} | {p['p99Millis']:.1f} |\n")
            f.write(f"| {r['label']} | {r['viewers']} | end to end (viewers: connect start to keyframe) | "
                    f"{r['viewersConnected']} | {r['joinP50Millis']} | {r['joinP95Millis']} | |\n")
        f.write("\nKeyframe requests to the publisher during the join: "
                + ", ".join(f"N={r['viewers']}: {r['keyframeRequestsDuringJoin']} received by the publisher, "
                            f"{r.get('serverKeyframeRequestsDuringJoin', -1)} sent by the server" for r in phased) + ".\n")
        load = open('/proc/loadavg').read().split()[:3]
        f.write(f"\nLoad average when the report was written: {' '.join(load)} ({os.cpu_count()} cores).\n")
    notes = os.environ.get('NOTES', '').strip()
    if notes:
        f.write("\n" + notes + "\n")
    f.write("\nCPU is the server process's utime+stime from /proc (the load generator's own CPU is not counted), "
            "divided by the packets the viewers received. KB/viewer is the growth of the server's RSS over the join, "
            "which also counts heap the collector grew for garbage; live heap KB/viewer is the growth of the heap in use "
            "right after a full GC (jcmd GC.run, outside the measurement window), i.e. what viewers retain on the heap. Latency is from a send stamp inside each video packet "
            "(publisher and viewers share one JVM clock). Join = connect start to first complete VP8 keyframe; "
            "connect = connect start to SRTP ready (signalling, ICE, DTLS).\n")
    f.write(f"\nEach server was warmed up by {os.environ.get('WARMUP', '0')} viewers joining and leaving before the measured join.\n")
    f.write("\n![CPU per packet and loss against N](plot.svg)\n")
plot(rows, os.path.join(out, 'plot.svg'))
print(f"report: {os.path.join(out, 'report.md')}")
PY
