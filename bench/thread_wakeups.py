#!/usr/bin/env python3
"""Where a process's idle and timed work goes: per thread, the CPU time and the wake-ups
(voluntary + involuntary context switches) over a window, from /proc/<pid>/task/*.

Usage: bench/thread_wakeups.py <pid> <seconds>
Prints a Markdown table sorted by CPU, threads of the same name pattern (digits folded) summed, and
the process's totals: CPU ms per second and wake-ups per second. Wake-ups are what a timer costs
beyond its own work (a scheduler switch, cache misses), so they are counted apart from CPU.
"""
import os, re, sys, time

TICK = os.sysconf('SC_CLK_TCK')

def sample(pid):
    threads = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                stat = f.read()
            with open(f'/proc/{pid}/task/{tid}/status') as f:
                status = f.read()
        except FileNotFoundError:
            continue
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat[stat.rindex(')') + 2:].split()
        cpu = int(fields[11]) + int(fields[12])
        switches = sum(int(m) for m in re.findall(r'(?:non)?voluntary_ctxt_switches:\s+(\d+)', status))
        threads[tid] = (name, cpu, switches)
    return threads

def main():
    pid, seconds = int(sys.argv[1]), float(sys.argv[2])
    before = sample(pid)
    start = time.monotonic()
    time.sleep(seconds)
    after = sample(pid)
    elapsed = time.monotonic() - start
    groups = {}
    for tid, (name, cpu, switches) in after.items():
        _, cpu0, switches0 = before.get(tid, (name, 0, 0))
        key = re.sub(r'\d+', '#', name)
        g = groups.setdefault(key, [0, 0, 0])
        g[0] += 1
        g[1] += (cpu - cpu0) * 1000 / TICK
        g[2] += switches - switches0
    total_cpu = sum(g[1] for g in groups.values())
    total_wakeups = sum(g[2] for g in groups.values())
    print(f"| thread (digits folded) | threads | CPU ms/s | wake-ups/s |")
    print("|---|---|---|---|")
    for key, (count, cpu, wakeups) in sorted(groups.items(), key=lambda kv: (-kv[1][1], -kv[1][2])):
        if cpu == 0 and wakeups == 0:
            continue
        print(f"| {key} | {count} | {cpu / elapsed:.1f} | {wakeups / elapsed:.1f} |")
    print(f"| **total** ({len(after)} threads) | | **{total_cpu / elapsed:.1f}** | **{total_wakeups / elapsed:.1f}** |")

if __name__ == '__main__':
    main()
