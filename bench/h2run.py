#!/usr/bin/env python3
"""h2run: one h2load measurement, summarised as one JSON line (stdout) and one progress line (stderr).

    h2run.py --label round=1 --label target=dockgate --label load=ping_c16 [--rss-pid NAME=PID ...]
             --log FILE -- h2load --h1 -t 1 -c 16 -D 5 ... URL

Runs the given h2load command with `--log-file FILE` added, samples VmRSS of the given PIDs every
0.2 s while it runs (maximum reported) and their CPU time (per request), then reads h2load's summary (req/s, failed, errored,
status classes) and its per-request log (mean and p99 latency over every request of the main
duration). Standard library only.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--label", action="append", default=[], type=lambda v: tuple(v.split("=", 1)))
    p.add_argument("--rss-pid", action="append", default=[], type=lambda v: (v.split("=")[0], int(v.split("=")[1])))
    p.add_argument("--log", required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--expect", default="2xx", choices=["2xx", "4xx"],
                   help="the status class every answer must have (a create of a missing image is a 404)")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    cmd = cmd[:1] + [f"--log-file={a.log}"] + cmd[1:]

    try:
        os.unlink(a.log)                     # h2load appends to an existing --log-file
    except FileNotFoundError:
        pass
    cpu0 = {name: cpu_ticks(pid) for name, pid in a.rss_pid}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rss = {name: [] for name, _ in a.rss_pid}
    deadline = time.monotonic() + a.timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            break
        for name, pid in a.rss_pid:
            v = rss_kb(pid)
            if v is not None:
                rss[name].append(v)
        time.sleep(0.2)
    out_text = proc.communicate()[0]
    cpu1 = {name: cpu_ticks(pid) for name, pid in a.rss_pid}

    res = dict(a.label)
    m = re.search(r"finished in ([\d.]+)s, ([\d.]+) req/s", out_text)
    res["rps"] = float(m.group(2)) if m else None
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                  r"(\d+) errored, (\d+) timeout", out_text)
    if m:
        res.update(done=int(m.group(3)), succeeded=int(m.group(4)), failed=int(m.group(5)),
                   errored=int(m.group(6)), timeout=int(m.group(7)))
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out_text)
    if m:
        classes = {"2xx": int(m.group(1)), "3xx": int(m.group(2)), "4xx": int(m.group(3)), "5xx": int(m.group(4))}
        # Answers of another class than the one expected; the key keeps its name for the report.
        res["non2xx"] = sum(n for k, n in classes.items() if k != a.expect)
        if a.expect == "4xx" and "failed" in res:
            # h2load counts every answer of 4xx or 5xx as failed; here the 4xx are the answers wanted.
            res["failed"] = max(0, res["failed"] - classes["4xx"])
    lat = []
    bad_status = 0
    try:
        with open(a.log) as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) >= 3:
                    lat.append(int(parts[2]))
                    if not parts[1].startswith(a.expect[0]):
                        bad_status += 1
    except OSError:
        pass
    lat.sort()
    if lat:
        res["mean_us"] = round(sum(lat) / len(lat), 1)
        res["p50_us"] = lat[max(0, math.ceil(0.50 * len(lat)) - 1)]
        res["p99_us"] = lat[max(0, math.ceil(0.99 * len(lat)) - 1)]
        res["logged"] = len(lat)
    res["rss_kb"] = {k: (max(v) if v else None) for k, v in rss.items()}
    # CPU time the proxy spent per request (user + system), from /proc/PID/stat before and after.
    hz = os.sysconf("SC_CLK_TCK")
    res["cpu_us_per_req"] = {k: (round((cpu1[k] - cpu0[k]) / hz * 1e6 / res["done"], 1)
                                 if cpu0.get(k) is not None and cpu1.get(k) is not None and res.get("done") else None)
                             for k in cpu0}
    res["h2load_rc"] = proc.returncode
    if res.get("rps") is None:
        res["h2load_output"] = out_text[-2000:]

    lab = " ".join(v for k, v in a.label if k != "round")
    line = f"{lab:<28} "
    line += f"{res['rps']:>10,.0f} req/s" if res.get("rps") is not None else "   h2load failed"
    if lat:
        line += f"  mean {res['mean_us']:>7,.0f} us  p99 {res['p99_us']:>7,} us"
    for k, v in res["rss_kb"].items():
        if v:
            line += f"  rss {k} {v / 1024:.0f} MB"
    for k, v in res["cpu_us_per_req"].items():
        if v is not None:
            line += f"  cpu {v:,.0f} us/req"
    probs = {k: res.get(k) for k in ("failed", "errored", "timeout", "non2xx") if res.get(k)}
    if probs or res["h2load_rc"]:
        line += f"  PROBLEMS {probs} rc={res['h2load_rc']}"
    print(line, file=sys.stderr, flush=True)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
