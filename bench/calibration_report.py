#!/usr/bin/env python3
"""Writes calibration.md from one calibration run's JSON files (bench/run.sh calibrate; issue 15).

Usage: calibration_report.py OUT_DIR 25,50   (environment: LOAD_BEFORE, LOAD_AFTER, SECONDS_EACH, CLIP)
Each N has up to four rows: {ours,janus}-{generator,libwebrtc}-N.json. A missing file is reported
as not measured, never guessed.
"""
import json, os, platform, subprocess, sys

out, counts = sys.argv[1], [int(n) for n in sys.argv[2].split(',')]
SERVERS, KINDS = ('ours', 'janus'), ('generator', 'libwebrtc')


def load(server, kind, n):
    path = os.path.join(out, f'{server}-{kind}-{n}.json')
    return json.load(open(path)) if os.path.exists(path) else None


def ratio(a, b):
    if not a or not b or a['serverCpuMicrosPerPacket'] <= 0 or b['serverCpuMicrosPerPacket'] <= 0:
        return 'n/a'
    return f"{a['serverCpuMicrosPerPacket'] / b['serverCpuMicrosPerPacket']:.2f}"


cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
lines = [
    '# Calibration: generator viewers against real libwebrtc viewers, our server against Janus',
    '',
    f'Machine: {os.cpu_count()} cores, {cpu}, Linux {platform.release()}, {java}.',
    f"Load (`uptime`) at the start: `{os.environ.get('LOAD_BEFORE', '?').strip()}`; "
    f"at the end: `{os.environ.get('LOAD_AFTER', '?').strip()}`.",
    '',
    f"One publisher (the generator's, sending the real VP8 clip `{os.path.basename(os.environ.get('CLIP', '?'))}` "
    "640x360 at 30 fps plus Opus, paced as libwebrtc does), N viewers joining 10 per second, "
    f"{os.environ.get('SECONDS_EACH', '?')} s measured after the join; each row its own fresh server process. "
    "Generator viewers answer like libwebrtc receivers (reports per stream, transport-cc feedback or REMB, "
    "NACK with retries, PLI on unrepaired loss); libwebrtc viewers are webrtc-java peer connections, which "
    "decode the video (webrtc-java 0.14 takes no decoder factory), so their CPU is the generator's column, "
    "not the server's. Against our server the generator's viewers show no latency in this mode: the clip's "
    "packets carry no send stamp and the server forwards no header extensions (no abs-send-time).",
    '',
    '| N | server | viewers | connected | pkt/s out | loss % | server CPU µs/pkt | server CPU % | generator CPU % | join p50/p95 (ms) |',
    '|---|---|---|---|---|---|---|---|---|---|',
]
for n in counts:
    for server in SERVERS:
        for kind in KINDS:
            r = load(server, kind, n)
            if r is None:
                lines.append(f'| {n} | {server} | {kind} | not measured | | | | | | |')
                continue
            lines.append(f"| {n} | {server} | {kind} | {r['viewersConnected']} | {r['packetsOutPerSecond']:.0f} | "
                         f"{r['lossPercent']:.3f} | {r['serverCpuMicrosPerPacket']:.2f} | {r['serverCpuPercent']:.1f} | "
                         f"{r.get('generatorCpuPercent', -1):.0f} | {r['joinP50Millis']}/{r['joinP95Millis']} |")
if os.environ.get('NOTES', '').strip():
    lines += ['', os.environ['NOTES'].strip()]
lines += ['', '## Ratios of server CPU per forwarded packet', '',
          '| N | ours/Janus, generator viewers | ours/Janus, libwebrtc viewers | generator/libwebrtc, ours | generator/libwebrtc, Janus |',
          '|---|---|---|---|---|']
for n in counts:
    og, ol, jg, jl = (load(s, k, n) for s in SERVERS for k in KINDS)
    lines.append(f'| {n} | {ratio(og, jg)} | {ratio(ol, jl)} | {ratio(og, ol)} | {ratio(jg, jl)} |')
lines += ['', 'Server CPU is the server process\'s utime+stime from /proc over the window, divided by the packets '
          'the viewers received. A generator/libwebrtc ratio near 1 means the generator\'s figure can stand in for '
          'real viewers at counts where libwebrtc viewers no longer fit on the machine. Figures taken while the '
          'machine was loaded by other work (see the load above) are not comparable with a quiet machine\'s.', '']
# Where our server's time went with each kind of viewer: its own per-stage counters, read from
# /metrics just before it stopped (bench/run.sh's stage_profile); time is sampled on 1 packet in 64.
for n in counts:
    for kind in KINDS:
        path = os.path.join(out, f'stages-{kind}-{n}.md')
        if os.path.exists(path) and os.path.getsize(path) > 0:
            lines += [f'## Our server per stage, {n} {kind} viewers', '', open(path).read().rstrip(), '']
with open(os.path.join(out, 'calibration.md'), 'w') as f:
    f.write('\n'.join(lines))
print(f"report: {os.path.join(out, 'calibration.md')}")
