#!/usr/bin/env python3
"""events-probe: many /events subscribers, image tags made on the daemon, delay from tag to receipt.

    events-probe.py --target unix:/tmp/d/docker.sock | tcp:127.0.0.1:2375  --daemon /tmp/d/docker.sock
                    [--subscribers 1000] [--tags 20] [--interval 0.2] [--rss-pid NAME=PID ...]
                    [--label round=1 --label target=dockgate ...]

Opens N HTTP/1.1 `GET /v1.41/events` streams, each on its own connection, and waits until every one
has answered 200 with its headers. Then makes T image tags directly on the daemon socket
(`POST /images/local/busybox:test/tag?repo=bench/tag&tag=<nonce>-<i>`), one every --interval
seconds, and for every subscriber records when the matching `"Action":"tag"` line arrived on its
stream (chunked encoding parsed, one JSON object per line, matched by the tag name). The delay is
measured from the moment the tag request was written to the daemon to the moment the subscriber's
recv() returned the end of that line.

Prints one JSON object on stdout (p50/p99/max delay, delivered/expected, errors, RSS maxima of the
given PIDs while the streams are held) and one progress line on stderr. Standard library only; one
thread, one epoll loop, so timestamps are taken exactly where data arrives. Everything is bounded:
connect phase (--connect-timeout), tag phase (T x interval), drain phase (--drain-timeout).
"""
import argparse
import errno
import json
import math
import os
import selectors
import socket
import sys
import time

IMAGE = "local/busybox:test"


def now_ns():
    return time.monotonic_ns()


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(sorted_vals, q):
    if not sorted_vals:
        return None
    k = max(0, min(len(sorted_vals) - 1, math.ceil(q * len(sorted_vals)) - 1))
    return sorted_vals[k]


class Sub:
    """One subscriber: connection state, header/chunk/line parser, and what it received."""
    __slots__ = ("idx", "sock", "state", "buf", "chunked", "left", "line", "got", "err", "t_conn")

    def __init__(self, idx):
        self.idx = idx
        self.sock = None
        self.state = "new"      # new -> connecting -> headers -> size|data|crlf|raw -> closed
        self.buf = bytearray()
        self.chunked = False
        self.left = 0
        self.line = bytearray()
        self.got = {}           # tag index -> receive time (ns)
        self.err = None
        self.t_conn = 0


class Probe:
    def __init__(self, a):
        self.a = a
        self.sel = selectors.EpollSelector()
        kind, _, rest = a.target.partition(":")
        if kind == "unix":
            self.family, self.addr, host = socket.AF_UNIX, rest, "docker"
        elif kind == "tcp":
            h, _, p = rest.rpartition(":")
            self.family, self.addr, host = socket.AF_INET, (h, int(p)), rest
        else:
            sys.exit(f"events-probe: bad --target {a.target!r} (unix:PATH or tcp:HOST:PORT)")
        self.request = (f"GET /v1.41/events HTTP/1.1\r\nHost: {host}\r\n"
                        f"User-Agent: dockgate-bench\r\nAccept: application/json\r\n\r\n").encode()
        self.nonce = f"{os.getpid():x}{time.time_ns() & 0xffffffff:x}"
        self.marker = f"bench/tag:{self.nonce}-".encode()
        self.subs = [Sub(i) for i in range(a.subscribers)]
        self.pending = list(reversed(self.subs))   # not yet connecting
        self.inflight = 0                          # connecting or waiting for headers
        self.ready = 0                             # headers received, status 200
        self.failed = 0
        self.t_send = {}                           # tag index -> send time (ns)
        self.tag_status = {}                       # tag index -> HTTP status (or error text)
        self.tagger = None                         # (sock, index, buffer) of the tag call in flight
        self.rss = {name: [] for name, _ in a.rss_pid}
        self.delivered = 0

    # ---- subscribers -------------------------------------------------------------------------

    def start_more(self):
        while self.pending and self.inflight < self.a.parallel_connect:
            s = self.pending.pop()
            sock = socket.socket(self.family, socket.SOCK_STREAM)
            sock.setblocking(False)
            if self.family == socket.AF_INET:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sock, s.state, s.t_conn = sock, "connecting", now_ns()
            rc = sock.connect_ex(self.addr)
            if rc in (errno.EAGAIN, errno.EWOULDBLOCK) and self.family == socket.AF_UNIX:
                sock.close()                    # Unix socket backlog full: retry this one later
                s.sock, s.state = None, "new"
                self.pending.append(s)
                return
            if rc not in (0, errno.EINPROGRESS):
                self.fail(s, f"connect: {os.strerror(rc)}", counted=False)
                continue
            self.inflight += 1
            self.sel.register(sock, selectors.EVENT_WRITE, s)

    def fail(self, s, why, counted=True):
        if s.state == "closed":
            return
        if s.state in ("connecting", "headers") and counted:
            self.inflight -= 1
        if s.state in ("connecting", "headers"):
            self.failed += 1
        s.err = why
        s.state = "closed"
        try:
            self.sel.unregister(s.sock)
        except (KeyError, ValueError):
            pass
        s.sock.close()

    def on_writable(self, s):
        err = s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self.fail(s, f"connect: {os.strerror(err)}")
            return
        try:
            s.sock.send(self.request)           # tiny: goes out whole on a fresh connection
        except OSError as e:
            self.fail(s, f"send: {e}")
            return
        s.state = "headers"
        self.sel.modify(s.sock, selectors.EVENT_READ, s)

    def on_readable(self, s):
        try:
            data = s.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.fail(s, f"recv: {e}")
            return
        t = now_ns()
        if not data:
            self.fail(s, "connection closed by peer" if s.state != "headers" else "closed before headers")
            return
        s.buf += data
        if s.state == "headers":
            end = s.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(s.buf) > 65536:
                    self.fail(s, "headers too long")
                return
            head = bytes(s.buf[:end]).decode("latin-1").split("\r\n")
            del s.buf[:end + 4]
            status = head[0].split(" ", 2)
            if len(status) < 2 or status[1] != "200":
                self.fail(s, f"status: {head[0]}")
                return
            hdrs = {}
            for h in head[1:]:
                k, _, v = h.partition(":")
                hdrs[k.strip().lower()] = v.strip().lower()
            s.chunked = "chunked" in hdrs.get("transfer-encoding", "")
            s.state = "size" if s.chunked else "raw"
            self.inflight -= 1
            self.ready += 1
        self.parse_body(s, t)

    def parse_body(self, s, t):
        buf = s.buf
        while buf:
            st = s.state
            if st == "raw":
                self.feed(s, bytes(buf), t)
                buf.clear()
            elif st == "size":
                nl = buf.find(b"\r\n")
                if nl < 0:
                    return
                try:
                    size = int(bytes(buf[:nl]).split(b";")[0].strip(), 16)
                except ValueError:
                    self.fail(s, f"bad chunk size {bytes(buf[:nl])[:40]!r}")
                    return
                del buf[:nl + 2]
                if size == 0:
                    self.fail(s, "stream ended (last chunk)")
                    return
                s.left, s.state = size, "data"
            elif st == "data":
                n = min(s.left, len(buf))
                self.feed(s, bytes(buf[:n]), t)
                del buf[:n]
                s.left -= n
                if s.left == 0:
                    s.state = "crlf"
            elif st == "crlf":
                if len(buf) < 2:
                    return
                if buf[:2] != b"\r\n":
                    self.fail(s, "chunk not followed by CRLF")
                    return
                del buf[:2]
                s.state = "size"
            else:
                return

    def feed(self, s, data, t):
        s.line += data
        while True:
            nl = s.line.find(b"\n")
            if nl < 0:
                return
            line = bytes(s.line[:nl])
            del s.line[:nl + 1]
            if self.marker not in line:
                continue
            try:
                ev = json.loads(line)
                name = ev["Actor"]["Attributes"]["name"]
                action = ev.get("Action") or ev.get("status")
            except (ValueError, KeyError, TypeError):
                continue
            if action != "tag" or not name.startswith(self.marker.decode()):
                continue
            try:
                i = int(name[len(self.marker):])
            except ValueError:
                continue
            if i not in s.got:
                s.got[i] = t
                self.delivered += 1

    # ---- the tag calls, on the daemon socket -------------------------------------------------

    def send_tag(self, i):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(self.a.daemon)          # local Unix socket: immediate
        req = (f"POST /v1.41/images/{IMAGE}/tag?repo=bench/tag&tag={self.nonce}-{i} HTTP/1.1\r\n"
               f"Host: docker\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").encode()
        sock.setblocking(False)
        self.t_send[i] = now_ns()            # the moment the tag call is made
        sock.send(req)
        self.tagger = (sock, i, bytearray())
        self.sel.register(sock, selectors.EVENT_READ, "tagger")

    def on_tagger(self):
        sock, i, buf = self.tagger
        try:
            data = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            data, self.tag_status[i] = b"", f"error {e}"
        buf += data
        if not data or b"\r\n\r\n" in buf:
            if i not in self.tag_status:
                line = bytes(buf.split(b"\r\n", 1)[0]).decode("latin-1")
                parts = line.split(" ")
                self.tag_status[i] = parts[1] if len(parts) > 1 else f"bad response {line!r}"
            self.sel.unregister(sock)
            sock.close()
            self.tagger = None

    # ---- the run -----------------------------------------------------------------------------

    def sample_rss(self):
        for name, pid in self.a.rss_pid:
            v = rss_kb(pid)
            if v is not None:
                self.rss[name].append(v)

    def loop_once(self, timeout):
        for key, mask in self.sel.select(timeout):
            s = key.data
            if s == "tagger":
                self.on_tagger()
            elif mask & selectors.EVENT_WRITE:
                self.on_writable(s)
            else:
                self.on_readable(s)

    def run(self):
        a = self.a
        t0 = time.monotonic()
        deadline = t0 + a.connect_timeout
        while (self.pending or self.inflight) and time.monotonic() < deadline:
            self.start_more()
            self.loop_once(0.05)
        connect_s = time.monotonic() - t0
        for s in self.subs:
            if s.state in ("new", "connecting", "headers"):
                if s.state == "new":
                    s.state, s.err = "closed", "not connected in time"
                    self.failed += 1
                else:
                    self.fail(s, "no headers within --connect-timeout")
        # Settle, then hold the streams: RSS while holding them, tags, deliveries.
        t_settle = time.monotonic() + a.settle
        while time.monotonic() < t_settle:
            self.loop_once(0.05)
        self.sample_rss()
        start = time.monotonic()
        next_tag, next_rss = 0, start
        end = start + a.tags * a.interval + a.drain_timeout
        expected = a.subscribers * a.tags
        while True:
            tnow = time.monotonic()
            if next_tag < a.tags and self.tagger is None and tnow >= start + next_tag * a.interval:
                try:
                    self.send_tag(next_tag)
                except OSError as e:
                    self.tag_status[next_tag] = f"error {e}"
                next_tag += 1
            if tnow >= next_rss:
                self.sample_rss()
                next_rss = tnow + 0.2
            if next_tag >= a.tags and self.tagger is None:
                if self.delivered >= self.ready * a.tags or tnow >= end:
                    break
            waits = [0.05, max(0.0, next_rss - tnow)]
            if next_tag < a.tags and self.tagger is None:
                waits.append(max(0.0, start + next_tag * a.interval - tnow))
            self.loop_once(min(waits))
        # Let any straggler settle a moment after the last expected delivery, then close everything.
        still_open = sum(1 for s in self.subs if s.state not in ("closed",))
        for s in self.subs:
            if s.state != "closed":
                try:
                    self.sel.unregister(s.sock)
                except (KeyError, ValueError):
                    pass
                s.sock.close()
                s.state = "closed"

        delays = []
        for s in self.subs:
            for i, t in s.got.items():
                if i in self.t_send:
                    delays.append((t - self.t_send[i]) / 1e6)
        delays.sort()
        errs = {}
        for s in self.subs:
            if s.err:
                errs[s.err] = errs.get(s.err, 0) + 1
        tag_bad = {str(i): st for i, st in self.tag_status.items() if st != "201"}
        missing_tags = sum(1 for i in range(a.tags) if i not in self.t_send)
        per_tag_missing = {}
        for i in range(a.tags):
            m = sum(1 for s in self.subs if i not in s.got)
            if m:
                per_tag_missing[str(i)] = m
        out = dict(a.label)
        out.update({
            "load": "events",
            "nonce": self.nonce,
            "subscribers": a.subscribers,
            "connected": self.ready,
            "connect_s": round(connect_s, 3),
            "tags": a.tags,
            "expected": expected,
            "delivered": self.delivered,
            "open_at_end": still_open,
            "p50_ms": percentile(delays, 0.50),
            "p99_ms": percentile(delays, 0.99),
            "max_ms": delays[-1] if delays else None,
            "errors": errs,
            "tag_errors": tag_bad,
            "tags_not_sent": missing_tags,
            "missing_per_tag": per_tag_missing,
            "rss_kb": {k: (max(v) if v else None) for k, v in self.rss.items()},
        })
        return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--daemon", required=True, help="daemon socket for the tag calls")
    p.add_argument("--subscribers", type=int, default=1000)
    p.add_argument("--tags", type=int, default=20)
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("--parallel-connect", type=int, default=100)
    p.add_argument("--connect-timeout", type=float, default=30)
    p.add_argument("--settle", type=float, default=0.5)
    p.add_argument("--drain-timeout", type=float, default=5)
    p.add_argument("--rss-pid", action="append", default=[], type=lambda v: (v.split("=")[0], int(v.split("=")[1])))
    p.add_argument("--label", action="append", default=[], type=lambda v: tuple(v.split("=", 1)))
    a = p.parse_args()
    out = Probe(a).run()
    lab = " ".join(f"run {v}" if k == "run" else v for k, v in a.label if k != "round")

    def fmt(v):
        return "-" if v is None else f"{v:.1f} ms"
    rss = " ".join(f"rss {k} {v / 1024:.0f} MB" for k, v in out["rss_kb"].items() if v)
    extra = ""
    if out["errors"]:
        extra += f" errors {out['errors']}"
    if out["tag_errors"]:
        extra += f" tag-errors {out['tag_errors']}"
    print(f"{lab:<28} events {out['connected']}/{out['subscribers']} subscribed in {out['connect_s']:.2f} s, "
          f"delivered {out['delivered']}/{out['expected']}, p50 {fmt(out['p50_ms'])}, p99 {fmt(out['p99_ms'])}"
          f"{', ' + rss if rss else ''}{extra}", file=sys.stderr, flush=True)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
