#!/usr/bin/env bash
# Runs the load generator against Janus (Debian package 'janus', VideoRoom plugin, HTTP API) for one N,
# following ../shared/TESTING.md: Janus gathers no candidates on 'lo', so the run happens inside its own
# network namespace where a veth end carries 127.0.0.2; Janus is told to use only that interface.
# Usage (called by run.sh): bench/janus-target.sh N SECONDS BITRATE JOIN OUT_DIR [extra load-generator args]
# JANUS_RUN_NAME (environment, default janus): prefix of the files written to OUT_DIR, so one run can
#   hold several Janus measurements (calibration: generator and libwebrtc viewers).
# JANUS_EXTRA_ADDRESS (environment, e.g. 198.18.0.2): a second, non-loopback address on v0 (RFC 2544
#   benchmark range). libwebrtc gathers no candidates on 127/8 addresses, so its viewers reach Janus there.
# Needs root (unshare -n, ip link). Everything stays inside the namespace and 127.0.0.0/8.
# The load generator binds 127.0.0.2 as well: libnice sends out of v0 only, and a 127/8 peer on
# another device is unreachable from there (ARP fails), while its own address is delivered locally.
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1; seconds=$2; bitrate=$3; join=$4; out=$5; shift 5

jdir=$(mktemp -d /tmp/janus-bench.XXXXXX)
cp /etc/janus/janus.jcfg /etc/janus/janus.transport.http.jcfg /etc/janus/janus.plugin.videoroom.jcfg "$jdir/"
python3 - "$jdir" <<'PY'
import os, re, sys
d = sys.argv[1]
lib = '/usr/lib/x86_64-linux-gnu/janus'
def others(folder, keep):
    return ','.join(sorted(f for f in os.listdir(os.path.join(lib, folder)) if f.endswith('.so') and f not in keep))
p = os.path.join(d, 'janus.jcfg'); s = open(p).read()
s = re.sub(r'configs_folder = "[^"]*"', f'configs_folder = "{d}"', s, count=1)
s = re.sub(r'debug_level = \d+', 'debug_level = ' + os.environ.get('JANUS_DEBUG_LEVEL', '3'), s, count=1)
for section, folder, keep in (('plugins', 'plugins', {'libjanus_videoroom.so'}),
                              ('transports', 'transports', {'libjanus_http.so'}),
                              ('loggers', 'loggers', set()), ('events', 'events', set())):
    at = s.index(section + ': {')
    i = s.index('#disable = ', at)
    j = s.index('\n', i)
    s = s[:i] + f'disable = "{others(folder, keep)}"' + s[j:]
open(p, 'w').write(s)
p = os.path.join(d, 'janus.transport.http.jcfg'); s = open(p).read()
s = s.replace('#ip = "192.168.0.1"', 'ip = "127.0.0.1"', 1)
open(p, 'w').write(s)
p = os.path.join(d, 'janus.plugin.videoroom.jcfg'); s = open(p).read()
s = s.replace('bitrate = 128000', 'bitrate = 4000000', 1).replace('publishers = 6', 'publishers = 2', 1)
s = s.replace('#audiocodec = "opus"', 'audiocodec = "opus"', 1).replace('#videocodec = "vp8"', 'videocodec = "vp8"', 1)
open(p, 'w').write(s)
PY

cp_bench="bench/target/bench.jar:bench/target/lib/*"
name=${JANUS_RUN_NAME:-janus}
extra_address=${JANUS_EXTRA_ADDRESS:-}
unshare -n bash -s -- "$n" "$seconds" "$bitrate" "$join" "$out" "$jdir" "$cp_bench" "$name" "$extra_address" "$@" <<'INNER'
set -euo pipefail
n=$1; seconds=$2; bitrate=$3; join=$4; out=$5; jdir=$6; cp_bench=$7; name=$8; extra_address=$9; shift 9
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 127.0.0.2/32 dev v0
[ -n "$extra_address" ] && ip addr add "$extra_address/32" dev v0
ip link set v0 up; ip link set v1 up
janus -C "$jdir/janus.jcfg" -F "$jdir" -o -E v0 >"$out/$name-$n.log" 2>&1 &
jpid=$!
trap 'kill $jpid 2>/dev/null; wait $jpid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS http://127.0.0.1:8088/janus/info >/dev/null 2>&1 && break
  kill -0 "$jpid" 2>/dev/null || { echo "janus exited; see $out/$name-$n.log" >&2; exit 1; }
  sleep 0.1
done
java -cp "$cp_bench" org.citizenreception.bench.LoadGenerator --label janus \
    --janus http://127.0.0.1:8088/janus --janus-room 1234 --bind-host 127.0.0.2 \
    --viewers "$n" --seconds "$seconds" --bitrate "$bitrate" --join "$join" \
    --server-pid "$jpid" --json "$out/$name-$n.json" "$@" | tee "$out/$name-$n.txt"
INNER
rm -rf "$jdir"
