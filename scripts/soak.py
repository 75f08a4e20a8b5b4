#!/usr/bin/env python3
"""Soak client for dockgate (Python 3.11 stdlib, asyncio, raw HTTP/1.1 on loopback).

Started by scripts/soak, which runs the gateway and a private dockerd. CLIENTS coroutines loop for SECONDS,
mixing allowed calls, denied calls and /events streams, and check every answer strictly: the expected status,
a complete body (Content-Length bytes, or the chunked terminator), JSON that parses. Meanwhile the gateway's
RSS and open files are sampled. Prints a summary; exits 1 on any error or unexpected status.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict

READ_TIMEOUT = 15.0  # any single read that waits longer is an error


class Failure(Exception):
    pass


class Conn:
    """One keep-alive client connection."""

    def __init__(self, reader, writer):
        self.r, self.w = reader, writer

    @classmethod
    async def open(cls, port):
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), READ_TIMEOUT)
        return cls(r, w)

    @classmethod
    async def open_unix(cls, path):
        r, w = await asyncio.wait_for(asyncio.open_unix_connection(path), READ_TIMEOUT)
        return cls(r, w)

    def close(self):
        self.w.close()

    async def send(self, method, target, body=None, host="dockgate-soak"):
        head = f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n"
        data = b""
        if body is not None:
            data = body.encode()
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        self.w.write((head + "\r\n").encode() + data)
        await self.w.drain()

    async def line(self, timeout=READ_TIMEOUT):
        raw = await asyncio.wait_for(self.r.readline(), timeout)
        if not raw:
            raise EOFError("connection closed")
        if not raw.endswith(b"\n"):
            raise EOFError("connection closed inside a line")
        return raw.rstrip(b"\r\n").decode("latin-1")

    async def head(self):
        status_line = await self.line()
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise Failure(f"bad status line {status_line!r}")
        headers = {}
        while True:
            h = await self.line()
            if not h:
                break
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        return int(parts[1]), headers

    async def chunk(self, timeout=READ_TIMEOUT):
        """The next chunk's bytes, or None at the terminating chunk."""
        size_line = await self.line(timeout)
        n = int(size_line.split(";")[0].strip(), 16)
        if n == 0:
            while await self.line():  # trailers, then the empty line
                pass
            return None
        data = await asyncio.wait_for(self.r.readexactly(n + 2), timeout)
        if data[-2:] != b"\r\n":
            raise Failure("chunk not followed by CRLF")
        return data[:-2]

    async def body(self, headers):
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while (c := await self.chunk()) is not None:
                parts.append(c)
            return b"".join(parts)
        if "content-length" in headers:
            n = int(headers["content-length"])
            try:
                return await asyncio.wait_for(self.r.readexactly(n), READ_TIMEOUT)
            except asyncio.IncompleteReadError as e:
                raise Failure(f"body cut short: {len(e.partial)} of {n} bytes") from None
        raise Failure(f"response without Content-Length or chunked framing: {headers}")


class Stats:
    def __init__(self):
        self.by_kind_status = Counter()
        self.latency = defaultdict(list)  # kind -> seconds
        self.errors = Counter()
        self.error_samples = []
        self.events_received = 0
        self.bounded_terminated = 0

    def error(self, kind, message):
        self.errors[kind] += 1
        if len(self.error_samples) < 20:
            self.error_samples.append(f"{kind}: {message}")


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def proc_sample(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        return rss, fds
    except (OSError, StopIteration):
        return None


async def request(stats, conn_box, port, kind, method, target, expect, check, body=None):
    """One call on the client's kept-alive connection; reconnects when the gateway closed it."""
    if conn_box[0] is None:
        conn_box[0] = await Conn.open(port)
    conn = conn_box[0]
    t0 = time.monotonic()
    try:
        await conn.send(method, target, body)
        status, headers = await conn.head()
        data = await conn.body(headers)
    except (Failure, EOFError, asyncio.IncompleteReadError, asyncio.TimeoutError, OSError) as e:
        conn.close()
        conn_box[0] = None
        stats.error(kind, f"{method} {target}: {type(e).__name__}: {e}")
        return
    stats.latency[kind].append(time.monotonic() - t0)
    stats.by_kind_status[(kind, status)] += 1
    if status != expect:
        stats.error(kind, f"{method} {target}: status {status}, expected {expect}: {data[:200]!r}")
    else:
        try:
            check(data)
        except Exception as e:  # noqa: BLE001 - any check failure is an error to report
            stats.error(kind, f"{method} {target}: bad body ({e}): {data[:200]!r}")
    if headers.get("connection", "").lower() == "close":
        conn.close()
        conn_box[0] = None


def check_ok(data):
    if data != b"OK":
        raise ValueError("not OK")


def check_json_list(minimum):
    def check(data):
        v = json.loads(data)
        if not isinstance(v, list) or len(v) < minimum:
            raise ValueError(f"expected a JSON list of at least {minimum}")
    return check


def check_inspect(cid):
    def check(data):
        if json.loads(data).get("Id") != cid:
            raise ValueError("wrong container")
    return check


def check_denied(data):
    if "is not allowed by the rules" not in json.loads(data)["message"]:
        raise ValueError("not a refusal message")


def check_events(data, stats, pending=b""):
    """Every complete line is one JSON event; returns the unfinished last line. HTTP chunk boundaries mean
    nothing (a proxy may cut an event across two chunks when it reads it in two pieces), so a line is
    parsed only once its newline has arrived."""
    *lines, rest = (pending + data).split(b"\n")
    for line in lines:
        if line.strip():
            json.loads(line)
            stats.events_received += 1
    return rest


async def stream_held(stats, port, deadline):
    """GET /events held for 2-5 s, every chunk JSON; then the client leaves."""
    hold = random.uniform(2, 5)
    t0 = time.monotonic()
    try:
        conn = await Conn.open(port)
    except (OSError, asyncio.TimeoutError) as e:
        stats.error("events-held", f"connect: {e}")
        return
    try:
        await conn.send("GET", "/v1.41/events")
        status, headers = await conn.head()
        stats.latency["events-held"].append(time.monotonic() - t0)  # time to the response head
        stats.by_kind_status[("events-held", status)] += 1
        if status != 200 or headers.get("transfer-encoding", "").lower() != "chunked":
            stats.error("events-held", f"status {status} headers {headers}")
            return
        end = min(time.monotonic() + hold, deadline + 1)
        pending = b""
        while (left := end - time.monotonic()) > 0:
            try:
                c = await conn.chunk(timeout=left)
            except asyncio.TimeoutError:
                break  # quiet until the end of the hold: fine
            if c is None:
                stats.error("events-held", "open-ended stream ended by itself")
                return
            pending = check_events(c, stats, pending)
    except (Failure, EOFError, asyncio.IncompleteReadError, asyncio.TimeoutError, OSError, ValueError) as e:
        stats.error("events-held", f"{type(e).__name__}: {e}")
    finally:
        conn.close()


async def stream_bounded(stats, port):
    """GET /events?since=-5s&until=+1s: must end by itself with the chunked terminator."""
    now = int(time.time())
    target = f"/v1.41/events?since={now - 5}&until={now + 1}"
    t0 = time.monotonic()
    try:
        conn = await Conn.open(port)
    except (OSError, asyncio.TimeoutError) as e:
        stats.error("events-bounded", f"connect: {e}")
        return
    try:
        await conn.send("GET", target)
        status, headers = await conn.head()
        stats.by_kind_status[("events-bounded", status)] += 1
        if status != 200:
            stats.error("events-bounded", f"status {status}")
            return
        data = await conn.body(headers)  # chunked: raises unless the terminator arrives
        if check_events(data, stats).strip():
            raise ValueError("the stream ended inside an event")
        stats.bounded_terminated += 1
        stats.latency["events-bounded"].append(time.monotonic() - t0)  # whole stream
    except (Failure, EOFError, asyncio.IncompleteReadError, asyncio.TimeoutError, OSError, ValueError) as e:
        stats.error("events-bounded", f"{target}: {type(e).__name__}: {e}")
    finally:
        conn.close()


async def client(n, args, stats, ids, deadline):
    rnd = random.Random(n)
    box = [None]
    kinds = ["ping"] * 30 + ["containers"] * 20 + ["images"] * 10 + ["inspect"] * 20 + ["denied"] * 10 \
        + ["events-held"] * 5 + ["events-bounded"] * 5
    while time.monotonic() < deadline:
        kind = rnd.choice(kinds)
        if kind == "ping":
            await request(stats, box, args.port, kind, "GET", "/_ping", 200, check_ok)
        elif kind == "containers":
            await request(stats, box, args.port, kind, "GET", "/v1.41/containers/json?all=1", 200,
                          check_json_list(len(ids)))
        elif kind == "images":
            await request(stats, box, args.port, kind, "GET", "/v1.41/images/json", 200, check_json_list(1))
        elif kind == "inspect":
            cid = rnd.choice(ids)
            await request(stats, box, args.port, kind, "GET", f"/v1.41/containers/{cid}/json", 200,
                          check_inspect(cid))
        elif kind == "denied":
            await request(stats, box, args.port, kind, "POST", "/v1.41/containers/create", 403, check_denied,
                          body='{"Image":"local/busybox:test","Cmd":["true"]}')
        elif kind == "events-held":
            await stream_held(stats, args.port, deadline)
        else:
            await stream_bounded(stats, args.port)
    if box[0] is not None:
        box[0].close()


async def event_source(args, deadline, stats):
    """Keeps events flowing: a volume created and removed directly on the daemon every 0.5 s."""
    i = 0
    while time.monotonic() < deadline:
        name = f"dgsoak-{os.getpid()}-{i}"
        i += 1
        for method, target, body in (("POST", "/v1.41/volumes/create", json.dumps({"Name": name})),
                                     ("DELETE", f"/v1.41/volumes/{name}", None)):
            try:
                c = await Conn.open_unix(args.daemon_socket)
                await c.send(method, target, body, host="d")
                status, headers = await c.head()
                if status != 204:
                    await c.body(headers)
                c.close()
            except Exception as e:  # noqa: BLE001
                stats.error("event-source", f"{method} {target}: {e}")
        await asyncio.sleep(0.5)  # pacing of the event source, not synchronisation


async def sampler(pid, samples, stop):
    while not stop.is_set():
        s = proc_sample(pid)
        if s:
            samples.append(s)
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--ids", required=True, help="comma-separated container ids")
    ap.add_argument("--daemon-socket", required=True)
    args = ap.parse_args()
    ids = [i for i in args.ids.split(",") if i]
    stats = Stats()

    before = proc_sample(args.pid)
    cpu_before, client_cpu_before = cpu_seconds(args.pid), time.process_time()
    samples = []
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler(args.pid, samples, stop))
    t0 = time.monotonic()
    deadline = t0 + args.seconds
    source = asyncio.create_task(event_source(args, deadline, stats))
    await asyncio.gather(*(client(n, args, stats, ids, deadline) for n in range(args.clients)))
    elapsed = time.monotonic() - t0
    cpu_gateway, cpu_client = cpu_seconds(args.pid) - cpu_before, time.process_time() - client_cpu_before
    await source
    stop.set()
    await sampling

    # After: the gateway should let go of what the clients held (the daemon pool keeps up to 64 idle).
    settle_deadline = time.monotonic() + 15
    after = proc_sample(args.pid)
    while after and before and after[1] > before[1] + 64 and time.monotonic() < settle_deadline:
        await asyncio.sleep(0.2)  # poll interval
        after = proc_sample(args.pid)

    total = sum(stats.by_kind_status.values())
    print(f"soak: {args.clients} clients for {args.seconds} s against 127.0.0.1:{args.port} (gateway pid {args.pid}),"
          f" {len(ids)} containers; {total} calls in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    print(f"{'kind':16} {'status':>6} {'count':>8} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for kind in ["ping", "containers", "images", "inspect", "denied", "events-held", "events-bounded"]:
        lat = [x * 1000 for x in stats.latency[kind]]
        for (k, status), count in sorted(stats.by_kind_status.items()):
            if k == kind:
                print(f"{kind:16} {status:>6} {count:>8} {pct(lat, 50):>9.2f} {pct(lat, 99):>9.2f} "
                      f"{max(lat) if lat else float('nan'):>9.2f}")
    print("  (events-held latency: time to the response head; events-bounded: whole stream incl. the wait for until=)")
    print(f"events received on streams: {stats.events_received}; bounded streams ended with the terminator: "
          f"{stats.bounded_terminated}")
    rss = [s[0] for s in samples]
    fds = [s[1] for s in samples]
    if before and samples and after:
        print(f"gateway RSS MB: before {before[0] / 1024:.1f}, during median {statistics.median(rss) / 1024:.1f} "
              f"max {max(rss) / 1024:.1f}, after {after[0] / 1024:.1f}")
        print(f"gateway open files: before {before[1]}, during median {statistics.median(fds):.0f} max {max(fds)}, "
              f"after {after[1]}")
    print(f"CPU during the run: gateway {cpu_gateway:.1f} s ({cpu_gateway / elapsed * 100:.0f}% of a core), "
          f"this client {cpu_client:.1f} s ({cpu_client / elapsed * 100:.0f}% of a core; latencies include its "
          f"own queueing when it is near 100%), {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    errors = sum(stats.errors.values())
    print(f"errors: {errors} {dict(stats.errors) if errors else ''}")
    for e in stats.error_samples:
        print(f"  {e}")
    failed = errors > 0 or total == 0
    if after and before and after[1] > before[1] + 64:
        print(f"FAIL: open files did not settle: {before[1]} before, {after[1]} after")
        failed = True
    print("soak: FAIL" if failed else "soak: PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
