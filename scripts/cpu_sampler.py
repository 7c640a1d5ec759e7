"""The CPU a load test costs per request, on a machine where other work runs too.

Throughput measured with wrk depends on everything else the machine is doing; the CPU
time the served requests used does not (much). This samples, twice a second until it
receives SIGTERM or SIGINT, the CPU time (user + system, from /proc) of every child of a
gunicorn master and of every PostgreSQL backend connected to one database, and prints
what they used in between, in seconds:

    python scripts/cpu_sampler.py MASTER_PID DATABASE_NAME > cpu.json

Processes that start during the run (a recycled worker, a new connection) count from
zero, processes that end count up to their last sample, so nothing is counted twice and
little is lost (at most half a second of a process that ends).

It also reports the largest memory any app worker held (resident, and proportional: the
pages it shares with the master and the other workers, the facet index read before they
forked, counted as its share), in MB, from /proc/PID/smaps_rollup.
"""

import json
import os
import signal
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mb(pid):
    """(resident, proportional) memory of a process in MB, or None once it has ended."""
    found = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss"):
                    found[name] = int(rest.split()[0]) / 1024
    except OSError:
        return None
    return found.get("Rss", 0.0), found.get("Pss", 0.0)


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def backends(database):
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-Atc",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(p) for p in out.split()]


def main(master, database):
    first, last = {}, {}
    rss = pss = 0.0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    started = time.monotonic()
    initial = True
    while True:
        for kind, pids in (("app", children(master)), ("database", backends(database))):
            for pid in pids:
                seconds = cpu_seconds(pid)
                if seconds is None:
                    continue
                key = (kind, pid)
                first.setdefault(key, seconds if initial else 0.0)
                last[key] = seconds
                memory = memory_mb(pid) if kind == "app" else None
                if memory:
                    rss, pss = max(rss, memory[0]), max(pss, memory[1])
        initial = False
        if stop:
            break
        time.sleep(0.5)
    used = {"app": 0.0, "database": 0.0}
    for key, seconds in last.items():
        used[key[0]] += seconds - first[key]
    used["wall"] = time.monotonic() - started
    used["worker_rss_mb"], used["worker_pss_mb"] = rss, pss
    print(json.dumps({k: round(v, 2) for k, v in used.items()}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
