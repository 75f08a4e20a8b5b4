#!/usr/bin/env python3
"""report: turn scripts/bench's raw measurements into bench/results.md and bench/results.png.

    report.py --raw bench/tmp/raw.jsonl --md bench/results.md --png bench/results.png
              [--dockgate-log F] [--haproxy-log F] [--meta K=V ...]

Medians per load and target over the rounds, min-max spread, ratios, dockgate's targets with
pass/fail, anomalies (errors, non-2xx, missed events, log warnings, descriptors left open), the
machine and the exact command. Prints the main tables on stdout. The chart needs matplotlib
(Debian python3-matplotlib); without it, gnuplot is used if present; otherwise no PNG.
"""
import argparse
import collections
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys

TARGETS = ["direct", "haproxy", "dockgate"]
NAMES = {"direct": "direct socket", "haproxy": "HAProxy peer", "dockgate": "dockgate"}
LOADS = {
    "ping_c1": "`GET /_ping`, 1 connection",
    "unix_ping_c1": "`GET /_ping` on dockgate's Unix socket listener, 1 connection",
    "ping_c16": "`GET /_ping`, 16 connections",
    "unix_ping_c16": "`GET /_ping` on dockgate's Unix socket listener, 16 connections",
    "containers_c16": "`GET /v1.41/containers/json?all=1`, 16 connections",
    "unix_containers_c16": "`GET /v1.41/containers/json?all=1` on dockgate's Unix socket listener, 16 connections",
    "create_c4": "`POST /v1.41/containers/create` (checked body; answered 404), 4 connections",
    "forwarded_c4": "the same body to `POST /v1.41/networks/{id}/disconnect` (not checked; 404), 4 connections",
    "inspect_c4": "`GET /v1.41/containers/{id}/json` (environment redacted), 4 connections",
    "inspect_revealed_c4": "the same inspect through a rule with `reveal=env` (plain), 4 connections",
    "scoped_containers_c16": "`GET /v1.41/containers/json?all=1` through a profile scoped to the containers' label, 16 connections",
    "scoped_inspect_c4": "the plain inspect through that scoped profile (judged on the answer), 4 connections",
    "events": "`/events`, 1000 subscribers, 20 tags",
}

H2_LOADS = [load for load in LOADS if load != "events"]


def load_raw(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    return rows


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def spread(vals):
    vals = [v for v in vals if v is not None]
    return (min(vals), max(vals)) if vals else None


class Data:
    def __init__(self, rows):
        self.rows = rows
        self.by = collections.defaultdict(list)     # (target, load) -> rows
        for r in rows:
            self.by[(r.get("target"), r.get("load"))].append(r)
        self.rounds = sorted({int(r["round"]) for r in rows if str(r.get("round", "")).isdigit()})

    def vals(self, target, load, key, sub=None):
        out = []
        for r in self.by.get((target, load), []):
            v = r.get(key)
            if sub is not None:
                v = (v or {}).get(sub)
            out.append(v)
        return out

    def m(self, target, load, key, sub=None):
        return med(self.vals(target, load, key, sub))


# ---- formatting --------------------------------------------------------------------------------

def f_rps(v):
    return "" if v is None else f"{v:,.0f} req/s"


def f_us(v):
    if v is None:
        return ""
    return f"{v:,.0f} µs" if v < 10000 else f"{v / 1000:,.1f} ms"


def f_ms(v):
    return "" if v is None else f"{v:,.1f} ms"


def f_mb(kb):
    return "" if kb is None else f"{kb / 1024:,.1f} MB"


def f_cpu(v):
    return "" if v is None else f"{v:,.0f} µs"


def f_s(v):
    return "" if v is None else f"{v * 1000:,.0f} ms"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return ""
    return f"{a / b:.2f}×"


def rows_spec(d):
    """(label, metric, key function per target, formatter, ratio sense) for the main table."""
    spec = []
    for load, pretty in LOADS.items():
        if not any(d.by.get((t, load)) for t in TARGETS):
            continue
        if load == "events":
            subs = next((r.get("subscribers") for t in TARGETS for r in d.by.get((t, load), [])), 1000)
            tags = next((r.get("tags") for t in TARGETS for r in d.by.get((t, load), [])), 20)
            pretty = f"`/events`, {subs} subscribers, {tags} tags"
            spec.append((pretty, "delay tag → receipt, p50", lambda t: d.vals(t, "events", "p50_ms"), f_ms))
            spec.append((pretty, "delay tag → receipt, p99", lambda t: d.vals(t, "events", "p99_ms"), f_ms))
            spec.append((pretty, "delay tag → receipt, max", lambda t: d.vals(t, "events", "max_ms"), f_ms))
            spec.append((pretty, "time to subscribe all", lambda t: d.vals(t, "events", "connect_s"),
                         lambda v: "" if v is None else f"{v * 1000:,.0f} ms"))
        else:
            spec.append((pretty, "throughput", lambda t, l=load: d.vals(t, l, "rps"), f_rps))
            spec.append((pretty, "mean latency", lambda t, l=load: d.vals(t, l, "mean_us"), f_us))
            spec.append((pretty, "p99 latency", lambda t, l=load: d.vals(t, l, "p99_us"), f_us))
            spec.append((pretty, "proxy CPU time per request", lambda t, l=load: d.vals(t, l, "cpu_us_per_req", t),
                         f_cpu))
    spec.append(("resident memory (VmRSS)", "idle after start", lambda t: d.vals(t, "rss_idle", "rss_kb"), f_mb))
    spec.append(("resident memory (VmRSS)", "max under `/_ping` 16 connections",
                 lambda t: d.vals(t, "ping_c16", "rss_kb", t), f_mb))
    spec.append(("resident memory (VmRSS)", "max holding the /events streams",
                 lambda t: d.vals(t, "events", "rss_kb", t), f_mb))
    spec.append(("resident memory (VmRSS)", "idle at the end of the run", lambda t: d.vals(t, "rss_end", "rss_kb"), f_mb))
    spec.append(("start-up", "process start → port accepts connections",
                 lambda t: [r.get("listen_median_s") for r in d.by.get((t, "startup"), [])], f_s))
    spec.append(("start-up", "process start → first proxied `/_ping` answered",
                 lambda t: [r.get("median_s") for r in d.by.get((t, "startup"), [])], f_s))
    return spec


def main_table(d):
    out = ["| load | metric | direct socket | HAProxy peer | dockgate | dockgate ÷ direct | dockgate ÷ HAProxy |",
           "|---|---|---:|---:|---:|---:|---:|"]
    spread_out = ["| load | metric | direct socket | HAProxy peer | dockgate |", "|---|---|---:|---:|---:|"]
    for label, metric, get, fmt in rows_spec(d):
        meds = {t: med(get(t)) for t in TARGETS}
        cells = [fmt(meds[t]) for t in TARGETS]
        out.append(f"| {label} | {metric} | " + " | ".join(cells)
                   + f" | {ratio(meds['dockgate'], meds['direct'])} | {ratio(meds['dockgate'], meds['haproxy'])} |")
        sp = []
        for t in TARGETS:
            s = spread(get(t))
            n = len([v for v in get(t) if v is not None])
            sp.append("" if s is None else (fmt(s[0]) if n == 1 else f"{fmt(s[0])} – {fmt(s[1])} ({n})"))
        spread_out.append(f"| {label} | {metric} | " + " | ".join(sp) + " |")
    return out, spread_out


def by_round(d, target, load, key, sub=None):
    """round -> the median of one series' values in that round (several /events runs can share a round)."""
    got = collections.defaultdict(list)
    for r in d.by.get((target, load), []):
        v = r.get(key)
        if sub is not None:
            v = (v or {}).get(sub)
        if v is not None:
            got[str(r.get("round"))].append(v)
    return {k: med(v) for k, v in got.items()}


def paired(d, fn, *series):
    """fn(one value per series) per round, for the rounds that have them all: robust to drift between rounds.
    A series is (target, load, key[, sub]); fn may answer None for a round it cannot judge."""
    maps = [by_round(d, *s) for s in series]
    common = set(maps[0]).intersection(*maps[1:])
    vals = [fn(*(m[k] for m in maps)) for k in sorted(common, key=lambda x: int(x) if x.isdigit() else 0)]
    return [v for v in vals if v is not None]


def f_paired(vals, fmt, what=""):
    if not vals:
        return ""
    what = f" {what}" if what else ""
    if len(vals) == 1:
        return f"; in the one round{what}: {fmt(vals[0])}"
    return f"; per round{what}: median {fmt(med(vals))} ({fmt(min(vals))} to {fmt(max(vals))})"


def div(x, y):
    return x / y if y else None


def rps(target, load):
    return (target, load, "rps")


def cpu(target, load):
    return (target, load, "cpu_us_per_req", target)


def targets_table(d):
    out = ["| target | measured (medians over rounds; per-round comparison) | result |",
           "|---|---|---|"]
    rx = lambda v: f"{v:.2f}×"

    def row(name, measured, ok):
        res = "n/a" if ok is None else ("**pass**" if ok else "**FAIL**")
        out.append(f"| {name} | {measured} | {res} |")

    def against(name, a, b, limit, at_least, fmt):
        """a row judging series a against limit × series b, on the medians and round by round."""
        x, y = d.m(*a), d.m(*b)
        if x is None or not y:
            return row(name, "", None)
        row(name, f"{fmt(x)} vs {fmt(y)} = {ratio(x, y)}" + f_paired(paired(d, div, a, b), rx),
            x >= limit * y if at_least else x <= limit * y)

    against("`/_ping` 16 connections: dockgate ≥ 1.25× HAProxy throughput",
            rps("dockgate", "ping_c16"), rps("haproxy", "ping_c16"), 1.25, True, f_rps)
    latency_row(d, row, rx)
    against("`containers/json?all=1` 16 connections: dockgate ≥ 1.10× HAProxy throughput",
            rps("dockgate", "containers_c16"), rps("haproxy", "containers_c16"), 1.10, True, f_rps)
    for unix, tcp, what in (("unix_ping_c16", "ping_c16", "`/_ping` 16 connections"),
                            ("unix_containers_c16", "containers_c16", "`containers/json?all=1` 16 connections")):
        against(f"Unix listener ≥ 0.9× the TCP listener's throughput, {what}",
                rps("dockgate", unix), rps("dockgate", tcp), 0.9, True, f_rps)
    events_rows(d, row)
    rs = [v for v in d.vals("dockgate", "rss_idle", "rss_kb") if v is not None]
    row("RSS ≤ 48 MB idle (after start)", f"{f_mb(max(rs))}" if rs else "", None if not rs else max(rs) <= 48 * 1024)
    rs = [v for v in d.vals("dockgate", "events", "rss_kb", "dockgate") if v is not None]
    row("RSS ≤ 80 MB holding the 1000 `/events` streams (worst run)",
        f"max {f_mb(max(rs))}, median {f_mb(med(rs))} of {len(rs)} runs" if rs else "",
        None if not rs else max(rs) <= 80 * 1024)
    st = [r.get("median_s") for r in d.by.get(("dockgate", "startup"), [])]
    starts = [x for r in d.by.get(("dockgate", "startup"), []) for x in r.get("starts_s", [])]
    a = med(st)
    lst = med([r.get("listen_median_s") for r in d.by.get(("dockgate", "startup"), [])])
    row("start to first proxied call ≤ 0.3 s (median of starts)",
        ("" if a is None else f"median {f_s(a)} of {len(starts)} starts ({f_s(min(starts))} – {f_s(max(starts))})"
         + ("" if lst is None else "; ")) + ("" if lst is None else f"the port accepted connections after {f_s(lst)}"),
        None if a is None else a <= 0.3)
    for load, base, what in (("create_c4", "forwarded_c4", "checked create (`create_c4`) ≤ 1.2× forwarded (`forwarded_c4`)"),
                             ("inspect_c4", "inspect_revealed_c4",
                              "redacted inspect (`inspect_c4`) ≤ 1.2× revealed (`inspect_revealed_c4`)"),
                             ("scoped_containers_c16", "containers_c16",
                              "scoped list (`scoped_containers_c16`) ≤ 1.2× plain list (`containers_c16`)")):
        against(f"proxy CPU per request: {what}", cpu("dockgate", load), cpu("dockgate", base), 1.2, False, f_cpu)
    for load, peer in (("ping_c1", "ping_c1"), ("ping_c16", "ping_c16"), ("containers_c16", "containers_c16"),
                       ("create_c4", "create_c4"), ("forwarded_c4", "forwarded_c4"), ("inspect_c4", "inspect_c4"),
                       ("unix_ping_c1", "ping_c1"), ("unix_ping_c16", "ping_c16"),
                       ("unix_containers_c16", "containers_c16")):
        if not d.by.get(("dockgate", load)):
            continue
        peer_note = "" if load == peer else f" (HAProxy's `{peer}`, over TCP)"
        against(f"proxy CPU per request ≤ HAProxy's: `{load}`{peer_note}",
                cpu("dockgate", load), cpu("haproxy", peer), 1.0, False, f_cpu)
    return out


def latency_row(d, row, rx):
    """dockgate's latency on top of the direct socket's against HAProxy's, both on one connection."""
    dg, ha, di = (d.m(t, "ping_c1", "mean_us") for t in ("dockgate", "haproxy", "direct"))
    name = "`/_ping` 1 connection: dockgate's added latency (mean − direct mean) ≤ 0.8× HAProxy's"
    if None in (dg, ha, di):
        return row(name, "", None)
    added = lambda x, y, z: div(x - z, y - z) if y > z else None
    share = added(dg, ha, di)
    row(name, f"dockgate {f_us(dg)}, HAProxy {f_us(ha)}, direct {f_us(di)}: added {dg - di:+,.0f} µs vs "
        f"{ha - di:+,.0f} µs" + ("" if share is None else f" = {share:.2f}×")
        + f_paired(paired(d, added, *(("dockgate", "ping_c1", "mean_us"), ("haproxy", "ping_c1", "mean_us"),
                                      ("direct", "ping_c1", "mean_us"))), rx),
        None if share is None else share <= 0.8)


def events_rows(d, row):
    """Delivery in every run, and the delay against the direct socket's, of the /events runs through dockgate."""
    ev = d.by.get(("dockgate", "events"), [])
    subs = {r.get("subscribers") for r in ev}
    note = "" if not ev or subs == {1000} else f" (measured with {', '.join(str(n) for n in sorted(subs))} subscribers)"
    on_time = [r for r in ev if r.get("expected") and r.get("delivered") == r.get("expected")
               and r.get("max_ms") is not None and r["max_ms"] <= 2000]
    worst = max((r["max_ms"] for r in ev if r.get("max_ms") is not None), default=None)
    delivered, expected = sum(r.get("delivered", 0) for r in ev), sum(r.get("expected", 0) for r in ev)
    row("1000 `/events` subscribers: every event delivered to every subscriber within 2 s, in every run",
        "" if not ev else f"{len(on_time)} of {len(ev)} runs{note}; delivered {delivered:,}/{expected:,}; "
        f"worst delay {f_ms(worst)}", None if not ev else len(on_time) == len(ev))
    parts, checks = [], []
    for key, slack in (("p50_ms", 5), ("p99_ms", 10)):
        a, b = d.m("dockgate", "events", key), d.m("direct", "events", key)
        if a is None or b is None:
            checks.append(None)
            continue
        parts.append(f"{key[:3]} {f_ms(a)} vs {f_ms(b)} = direct {a - b:+,.1f} ms"
                     + f_paired(paired(d, lambda x, y: x - y, ("dockgate", "events", key), ("direct", "events", key)),
                                lambda v: f"{v:+,.1f} ms"))
        checks.append(a <= b + slack)
    n_direct = len(d.by.get(("direct", "events"), []))
    row("1000 `/events` subscribers: p50 ≤ direct + 5 ms and p99 ≤ direct + 10 ms",
        "" if not parts else "; ".join(parts) + f" (medians of {len(ev)} dockgate and {n_direct} direct runs){note}",
        None if None in checks else all(checks))


def anomalies(d, dg_log, ha_log):
    out = []
    # h2load problems
    for t in TARGETS:
        probs = collections.Counter()
        n = 0
        for load in H2_LOADS:
            for r in d.by.get((t, load), []):
                n += 1
                for k in ("failed", "errored", "timeout", "non2xx"):
                    if r.get(k):
                        probs[f"{load} {k}"] += r[k]
                if r.get("rps") is None or r.get("h2load_rc"):
                    probs[f"{load} h2load-run-failed"] += 1
        out.append(f"- h2load against {NAMES[t]} ({n} runs): "
                   + (", ".join(f"{k} {v:,}" for k, v in sorted(probs.items())) if probs
                      else "every request answered 2xx, none failed or timed out."))
    for t in TARGETS:
        ev = d.by.get((t, "events"), [])
        if not ev:
            continue
        delivered = sum(r.get("delivered", 0) for r in ev)
        expected = sum(r.get("expected", 0) for r in ev)
        errs = collections.Counter()
        tagerr = collections.Counter()
        for r in ev:
            errs.update(r.get("errors") or {})
            tagerr.update((r.get("tag_errors") or {}).values())
        line = f"- /events via {NAMES[t]}: delivered {delivered:,}/{expected:,}"
        if errs:
            line += "; subscriber errors: " + ", ".join(f"{k} ×{v}" for k, v in errs.most_common(5))
        if tagerr:
            line += "; tag calls not 201: " + ", ".join(f"{k} ×{v}" for k, v in tagerr.items())
        miss = [r.get("missing_per_tag") for r in ev if r.get("missing_per_tag")]
        if miss:
            line += f"; missing per tag (first run with misses): {miss[0]}"
        out.append(line + ".")
    for t in ("haproxy", "dockgate"):
        fd_idle = [r.get("fds") for r in d.by.get((t, "fds_idle"), [])]
        fd_after = [r.get("fds") for r in d.by.get((t, "fds_after_events"), [])]
        if fd_idle or fd_after:
            out.append(f"- open descriptors of {NAMES[t]}: idle after start {fd_idle}, "
                       f"1 s after each /events measurement closed its streams {fd_after}.")
    for r in d.by.get((None, "alive_at_end"), []):
        pass
    for r in d.rows:
        if r.get("load") == "alive_at_end":
            out.append(f"- still running at the end: {r.get('alive')}.")
        if r.get("load") == "startup" and r.get("failures"):
            out.append(f"- {NAMES.get(r.get('target'), r.get('target'))} start failures: {r['failures']}.")
    # dockgate's own log
    if dg_log and os.path.exists(dg_log):
        status = collections.Counter()
        levels = collections.Counter()
        samples = collections.OrderedDict()
        acc = re.compile(r' INFO access - \S+ "(\S+) ([^"]*)" (\S+) (\d{3}|-)')
        with open(dg_log, errors="replace") as f:
            for line in f:
                m = acc.search(line)
                if m:
                    status[f"{m.group(3)} {m.group(4)}"] += 1
                    continue
                lm = re.search(r"\s(WARN|ERROR|SEVERE|WARNING)\s", line[:60]) or (
                    re.match(r"\s*(Exception|Caused by|at )", line) and None)
                if lm:
                    levels[lm.group(1)] += 1
                    key = re.sub(r"\d+", "N", line.split(" - ", 1)[-1].strip())[:160]
                    if key not in samples and len(samples) < 6:
                        samples[key] = line.strip()[:300]
                elif "Exception" in line and len(samples) < 6 and line.strip()[:160] not in samples:
                    samples[line.strip()[:160]] = line.strip()[:300]
        out.append("- dockgate access log: " + (", ".join(f"{k} ×{v:,}" for k, v in status.most_common())
                                                or "no access lines") + ".")
        if levels or samples:
            out.append("- dockgate WARN/ERROR lines: " + (", ".join(f"{k} ×{v:,}" for k, v in levels.items()) or "none")
                       + (". Samples:" if samples else "."))
            for s in samples.values():
                out.append(f"    - `{s}`")
        else:
            out.append("- dockgate logged no WARN or ERROR line.")
    if ha_log and os.path.exists(ha_log):
        status = collections.Counter()
        rx = re.compile(r"\] \S+ \S+ [-\d/+]+ (-?\d{1,3}) ")
        with open(ha_log, errors="replace") as f:
            for line in f:
                m = rx.search(line)
                if m:
                    status[m.group(1)] += 1
        out.append("- HAProxy log: " + (", ".join(f"{k} ×{v:,}" for k, v in status.most_common()) or "no lines") + ".")
    return out


def machine(meta):
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def first_line(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return ((r.stdout or "") + (r.stderr or "")).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"
    busy = ""
    try:
        a0 = [int(x) for x in meta["cpu_start"].split()]
        a1 = [int(x) for x in meta["cpu_end"].split()]
        dd = [y - x for x, y in zip(a0, a1)]
        tot = sum(dd[:8]) or 1
        # user nice system idle iowait irq softirq steal
        busy = (f"; during the run the machine's CPUs were {100 * (tot - dd[3] - dd[4]) / tot:.0f}% busy, "
                f"{100 * dd[7] / tot:.0f}% stolen by the hypervisor (/proc/stat), load average at the end "
                f"{meta.get('loadavg', '?')}")
    except (KeyError, ValueError, IndexError):
        pass
    return [
        f"- CPUs: {os.cpu_count()} (`nproc`: {first_line(['nproc'])}), {cpu}",
        f"- memory: {mem}; kernel {platform.release()}; {first_line(['sh', '-c', '. /etc/os-release; echo $PRETTY_NAME'])}",
        f"- Java: `{first_line(['java', '-version'])}`",
        f"- load generator: `{first_line(['h2load', '--version'])}`, one thread; peer: `{first_line(['haproxy', '-v'])}`",
        f"- daemon: dockerd {meta.get('dockerd', '?')} (private, `scripts/dev-daemon`, vfs, {meta.get('containers', '?')} running containers)",
        f"- Python {platform.python_version()} for the /events and start-up probes",
        f"- shared: other work ran on the machine at the same time{busy}; that is why the rounds are interleaved "
        "and medians reported, and why absolute figures move from run to run.",
    ]


# ---- the chart ---------------------------------------------------------------------------------

COLORS = {"direct": "#9e9e9e", "haproxy": "#e07b39", "dockgate": "#2b6cb0"}


def chart_matplotlib(d, png, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axs = plt.subplots(2, 2, figsize=(13, 9))
    w = 0.26

    def bars(ax, groups, values, fmt, norm=None, log=False):
        for i, t in enumerate(TARGETS):
            ys, labels = [], []
            for g in range(len(groups)):
                v = values[t][g]
                base = norm[g] if norm else None
                y = (v / base) if (v is not None and base) else (v if not norm else None)
                ys.append(y if y is not None else 0)
                labels.append("" if v is None else fmt(v))
            xs = [g + (i - 1) * w for g in range(len(groups))]
            b = ax.bar(xs, ys, w, label=NAMES[t], color=COLORS[t])
            for rect, lab in zip(b, labels):
                if lab:
                    ax.annotate(lab, (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                                ha="center", va="bottom", fontsize=7, rotation=90, xytext=(0, 2),
                                textcoords="offset points")
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels(groups, fontsize=8)
        if log:
            ax.set_yscale("log")

    # 1. throughput, normalised to direct = 1.0
    ax = axs[0][0]
    # The Unix listener's loads are dockgate's only: they are drawn against the direct socket's TCP-form figure.
    loads = [("ping_c1", "ping_c1", "/_ping\n1 conn"), ("ping_c16", "ping_c16", "/_ping\n16 conns"),
             ("containers_c16", "containers_c16", "containers/json\n16 conns"),
             ("unix_ping_c16", "ping_c16", "/_ping 16 conns\nUnix listener"),
             ("unix_containers_c16", "containers_c16", "containers/json\n16 conns, Unix")]
    vals = {t: [d.m(t, l, "rps") for l, _, _ in loads] for t in TARGETS}
    norm = [d.m("direct", tcp, "rps") for _, tcp, _ in loads]
    bars(ax, [g for _, _, g in loads], vals, lambda v: f"{v:,.0f}/s", norm=norm)
    ax.axhline(1.0, color="black", lw=0.6, ls="--")
    # dockgate's throughput targets, as red marks over the dockgate bars.
    tg = []
    for g, factor in ((1, 1.25), (2, 1.10)):
        if vals["haproxy"][g] and norm[g]:
            tg.append((g, factor * vals["haproxy"][g] / norm[g], f"target\n{factor:.2f}× HAProxy"))
    for g, tcp in ((3, 1), (4, 2)):
        if vals["dockgate"][tcp] and norm[g]:
            tg.append((g, 0.9 * vals["dockgate"][tcp] / norm[g], "target\n0.9× TCP"))
    for g, y, lab in tg:
        x = g + w
        ax.plot([x - w / 2, x + w / 2], [y, y], color="red", lw=1.5)
        ax.annotate(lab, (x + w / 2, y), fontsize=6.5, color="red", ha="left", va="center", xytext=(2, 0),
                    textcoords="offset points")
    ax.set_ylabel("throughput, direct socket = 1.0")
    ax.set_title("Throughput (median req/s printed on bars)", fontsize=10)
    ax.set_ylim(0, max(1.3, max((v or 0) for v in ax.get_ylim())) * 1.25)
    ax.legend(fontsize=8, loc="upper left")

    # 2. /_ping latency
    ax = axs[0][1]
    groups = [("ping_c1", "mean_us", "1 conn\nmean"), ("ping_c1", "p99_us", "1 conn\np99"),
              ("ping_c16", "mean_us", "16 conns\nmean"), ("ping_c16", "p99_us", "16 conns\np99"),
              ("containers_c16", "mean_us", "containers/json\n16 conns mean")]
    vals = {t: [d.m(t, l, k) for l, k, _ in groups] for t in TARGETS}
    bars(ax, [g for _, _, g in groups], vals, lambda v: f_us(v), log=True)
    if vals["direct"][0] and vals["haproxy"][0] and vals["haproxy"][0] > vals["direct"][0]:
        y, x = vals["direct"][0] + 0.8 * (vals["haproxy"][0] - vals["direct"][0]), w
        ax.plot([x - w / 2, x + w / 2], [y, y], color="red", lw=1.5)
    ax.set_ylabel("latency, µs (log scale)")
    ax.set_title("Request latency (median of rounds); red: direct + 0.8× HAProxy's added", fontsize=10)
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi * 6)

    # 3. /events delay
    ax = axs[1][0]
    groups = [("p50_ms", "p50"), ("p99_ms", "p99")]
    vals = {t: [d.m(t, "events", k) for k, _ in groups] for t in TARGETS}
    bars(ax, [g for _, g in groups], vals, lambda v: f"{v:,.1f} ms")
    for g, slack in ((0, 5), (1, 10)):
        if vals["direct"][g] is not None:
            y, x = vals["direct"][g] + slack, g + w
            ax.plot([x - w / 2, x + w / 2], [y, y], color="red", lw=1.5)
            ax.annotate(f"target\ndirect + {slack} ms", (x + w / 2, y), fontsize=6.5, color="red", ha="left",
                        va="center", xytext=(2, 0), textcoords="offset points")
    ax.set_ylabel("delay from tag call to receipt, ms")
    deliv = []
    for t in TARGETS:
        ev = d.by.get((t, "events"), [])
        if ev:
            deliv.append(f"{NAMES[t]} {sum(r.get('delivered', 0) for r in ev):,}/{sum(r.get('expected', 0) for r in ev):,}")
    subs = next((r.get("subscribers") for t in TARGETS for r in d.by.get((t, "events"), [])), "")
    ax.set_title(f"/events, {subs} subscribers: delay from tag to receipt (median of runs)", fontsize=10)
    ax.text(0.02, 0.97, "delivered/expected:\n" + "\n".join(deliv), transform=ax.transAxes,
            fontsize=8, va="top", ha="left")
    lo, hi = ax.get_ylim()
    ax.set_ylim(0, hi * 1.45)
    ax.legend(fontsize=8, loc="upper right")

    # 4. memory
    ax = axs[1][1]
    groups = [("idle", "idle after start"), ("ping", "/_ping, 16 conns"), ("events", f"holding {subs} streams\n(worst run)")]
    mv = {}
    for t in ("haproxy", "dockgate"):
        held = [v for v in d.vals(t, "events", "rss_kb", t) if v is not None]
        mv[t] = [med(d.vals(t, "rss_idle", "rss_kb")), d.m(t, "ping_c16", "rss_kb", t), max(held) if held else None]
    for i, t in enumerate(("haproxy", "dockgate")):
        xs = [g + (i - 0.5) * w for g in range(len(groups))]
        ys = [(v or 0) / 1024 for v in mv[t]]
        b = ax.bar(xs, ys, w, label=NAMES[t], color=COLORS[t])
        for rect, v in zip(b, mv[t]):
            if v:
                ax.annotate(f"{v / 1024:.0f} MB", (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                            ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    for g, mb in ((0, 48), (2, 80)):
        x = g + 0.5 * w
        ax.plot([x - w / 2, x + w / 2], [mb, mb], color="red", lw=1.5)
        ax.annotate(f"target\n{mb} MB", (x + w / 2, mb), fontsize=6.5, color="red", ha="left", va="center",
                    xytext=(2, 0), textcoords="offset points")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([g for _, g in groups], fontsize=8)
    ax.set_ylabel("resident memory (VmRSS), MB")
    st = {t: med([r.get("median_s") for r in d.by.get((t, "startup"), [])]) for t in ("haproxy", "dockgate")}
    ax.set_title("Resident memory (max sampled; median of rounds, streams: worst run)", fontsize=10)
    # Above the bars: the axis reaches 1.2× the tallest.
    ax.text(0.36, 0.97, "start → first proxied /_ping (median):\n"
            + "\n".join(f"{NAMES[t]} {f_s(v)}" for t, v in st.items() if v is not None),
            transform=ax.transAxes, fontsize=8, va="top", ha="left")
    lo, hi = ax.get_ylim()
    ax.set_ylim(0, max(hi, 90) * 1.2)
    ax.legend(fontsize=8, loc="upper left")

    fig.suptitle(title, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(png, dpi=110)
    plt.close(fig)


def chart_gnuplot(d, png, title, tmpdir):
    """Fallback: the throughput panel (normalised) and the latency/delay/memory panels as bars."""
    dat = os.path.join(tmpdir, "chart.dat")
    panels = [
        ("throughput, direct = 1.0", [("/_ping 1c", "ping_c1", "rps"), ("/_ping 16c", "ping_c16", "rps"),
                                      ("containers 16c", "containers_c16", "rps")], True),
        ("latency, us", [("/_ping 1c mean", "ping_c1", "mean_us"), ("/_ping 16c mean", "ping_c16", "mean_us"),
                         ("/_ping 16c p99", "ping_c16", "p99_us")], False),
        ("/events delay, ms", [("p50", "events", "p50_ms"), ("p99", "events", "p99_ms")], False),
    ]
    blocks = []
    for title_p, groups, norm in panels:
        lines = []
        for lab, load, key in groups:
            vs = [d.m(t, load, key) or 0 for t in TARGETS]
            if norm and vs[0]:
                vs = [v / vs[0] for v in vs]
            lines.append(f'"{lab}" ' + " ".join(f"{v:.4g}" for v in vs))
        blocks.append("\n".join(lines))
    with open(dat, "w") as f:
        f.write("\n\n\n".join(blocks) + "\n")
    gp = [f'set terminal pngcairo size 1300,500; set output "{png}"',
          "set style data histograms; set style histogram clustered gap 1; set style fill solid 0.9",
          f'set multiplot layout 1,3 title "{title}"', "set key top left font ',8'"]
    for i, (title_p, _, _) in enumerate(panels):
        gp.append(f'set title "{title_p}"')
        gp.append(f'plot "{dat}" index {i} using 2:xtic(1) title "direct", "" index {i} using 3 title "HAProxy", '
                  f'"" index {i} using 4 title "dockgate"')
    gp.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(gp), text=True, check=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--raw", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--png", required=True)
    p.add_argument("--dockgate-log")
    p.add_argument("--haproxy-log")
    p.add_argument("--meta", action="append", default=[])
    a = p.parse_args()
    meta = dict(kv.split("=", 1) for kv in a.meta)
    d = Data(load_raw(a.raw))

    main_rows, spread_rows = main_table(d)
    tgt = targets_table(d)
    anom = anomalies(d, a.dockgate_log, a.haproxy_log)
    rounds = len(d.rounds)
    md = [
        "# dockgate benchmark",
        "",
        f"Generated by `scripts/bench` on {meta.get('date', '?')} (UTC); run time {meta.get('runtime', '?')}.",
        "",
        f"Command: `{meta.get('command', 'scripts/bench')}`  ",
        f"Rounds: {rounds} (each round runs every target once per load, the order of targets rotated from round to "
        f"round); h2load {meta.get('duration', '?')} s per measurement after a warm-up of every target; "
        f"figures are **medians over the rounds**. dockgate commit: `{meta.get('commit', '?')}`.",
        "",
        "Targets, all on this machine in the same run:",
        "",
        "- **direct socket**: h2load and the probes talk to the daemon's Unix socket (`h2load --h1 -B unix:SOCK`).",
        "- **HAProxy peer**: HAProxy with `bench/haproxy.cfg`, an allowlist shaped like the HAProxy-based Docker socket "
        "proxy (regex ACLs on the decoded path, `http-request deny unless ...`, `option http-server-close`, "
        "/events on a backend with `timeout server 0`, one log line per request), on a loopback TCP port.",
        "- **dockgate**: `scripts/dockgate --socket SOCK --listen 127.0.0.1:PORT` with the default JVM options and "
        "`conf/rules`; its log (one access line per request) goes to a file. The same process serves three more "
        "listeners: two TCP ports with the profiles of the revealed and the scoped loads, and a Unix socket "
        "(`--listen unix:PATH`, default profile) for the loads named *on dockgate's Unix socket listener*, which "
        "only dockgate has and which are compared with its own TCP figures.",
        "",
        "## Results",
        "",
        *main_rows,
        "",
        "## Targets",
        "",
        "Pass/fail is judged on the medians over the rounds (for `/events`, over the runs: every run must deliver "
        "every event in time). The per-round comparison (dockgate against the other figure measured in the same "
        "round, minutes apart at most; several dockgate `/events` runs in a round count as their median) shows how "
        "much of a gap is noise on a shared machine: a gap that holds in every round is real. Proxy CPU per "
        "request is user + system time of the proxy process over the load, divided by the requests answered.",
        "",
        *tgt,
        "",
        "## Spread: min – max over the rounds (number of values)",
        "",
        *spread_rows,
        "",
        "## Anomalies and checks",
        "",
        *anom,
        "",
        "## Machine",
        "",
        *machine(meta),
        "",
        "## Method",
        "",
        "- Load: `h2load --h1 -t 1 -c C -D DURATION --log-file ...` (one client thread); latency mean and p99 are "
        "computed from h2load's per-request log (every request of the measured period), throughput is h2load's req/s.",
        f"- `/events`: `bench/events-probe.py` opens the subscribers (`GET /v1.41/events`, one connection each, "
        f"HTTP/1.1) and waits until each has its 200 and headers; then it makes {meta.get('tags', 20)} tags on the "
        "daemon socket directly (`POST /images/local/busybox:test/tag?repo=bench/tag&tag=...`), one every "
        f"{meta.get('interval', '0.2')} s, and records for every subscriber when the matching `tag` event line arrived "
        "(chunked stream parsed line by line, matched by the tag name). Delay = receipt − moment the tag request was "
        "written. One Python thread and one epoll loop serve all subscribers, so the delay includes the time the "
        "probe itself takes to get round to each of them (the same for every target). The direct socket and "
        f"HAProxy are measured once per round, dockgate {meta.get('event_runs', '?')} times in all, spread over "
        "the rounds.",
        "- Memory: VmRSS from `/proc/PID/status`, idle 1 s after the first answered request, sampled every 0.2 s during "
        "the 16-connection `/_ping` load and while the /events streams are held (maximum per measurement), and "
        "idle again after the last round. Proxy CPU time per request: utime + stime from `/proc/PID/stat` "
        "around each h2load run, divided by the requests done.",
        "- Start-up: `bench/startup-probe.py` starts the process, polls `GET /_ping` on a fresh connection every 2 ms "
        "and reports the time to the first 200 (median of the starts), then stops the process.",
        "- Ratios are taken between medians; for latencies a ratio below 1.0 is better, for throughput above.",
        "",
    ]
    os.makedirs(os.path.dirname(os.path.abspath(a.md)), exist_ok=True)
    with open(a.md, "w") as f:
        f.write("\n".join(md))

    title = (f"dockgate vs direct socket vs HAProxy peer — medians of {rounds} round(s), "
             f"{meta.get('date', '')[:10]}, {os.cpu_count()} CPUs")
    png_done = None
    try:
        chart_matplotlib(d, a.png, title)
        png_done = "matplotlib"
    except ImportError:
        if shutil.which("gnuplot"):
            chart_gnuplot(d, a.png, title, os.path.dirname(os.path.abspath(a.raw)))
            png_done = "gnuplot"
    print("\n".join(["", "## Results", ""] + main_rows + ["", "## Targets", ""] + tgt
                     + ["", "## Anomalies and checks", ""] + anom))
    print(f"\nwrote {a.md}" + (f" and {a.png} ({png_done})" if png_done else "; no chart (no matplotlib or gnuplot)"))


if __name__ == "__main__":
    main()
