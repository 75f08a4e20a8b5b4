#!/usr/bin/env python3
"""startup-probe: time from process start to the first successful proxied GET /_ping.

    startup-probe.py --port 23760 --starts 5 --log FILE --label target=dockgate [--env K=V ...] -- CMD ARGS...

`{port}` in CMD ARGS and --env values is replaced by --port. For each start: note the time, spawn
the command (stdout+stderr appended to --log), then poll `GET /_ping` on 127.0.0.1:PORT in a tight
loop (a fresh connection every 2 ms) until it answers 200 (noting when the first connection was
accepted, i.e. when the port listened); then SIGTERM that one process (SIGKILL
after 10 s) and wait for it. Prints a progress line per start on stderr and one JSON line on stdout.
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def ping(port, on_connect):
    """GET /_ping on a fresh connection: True on 200. Calls on_connect() once the TCP connect succeeded."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            on_connect()
            s.sendall(b"GET /_ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--log", required=True)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--label", action="append", default=[], type=lambda v: tuple(v.split("=", 1)))
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    a = p.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    cmd = [c.replace("{port}", str(a.port)) for c in cmd]
    env = dict(os.environ)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v.replace("{port}", str(a.port))
    lab = " ".join(v for k, v in a.label if k != "round")

    times, listens, failures = [], [], []
    with open(a.log, "ab") as log:
        for n in range(a.starts):
            t_wait = time.monotonic() + 5
            while not port_free(a.port) and time.monotonic() < t_wait:
                time.sleep(0.05)
            t0 = time.monotonic()
            proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=env)
            ok = False
            first_conn = []

            def connected():
                if not first_conn:
                    first_conn.append(time.monotonic() - t0)
            while time.monotonic() - t0 < a.timeout:
                if ping(a.port, connected):
                    ok = True
                    break
                if proc.poll() is not None:
                    break
                time.sleep(0.002)
            dt = time.monotonic() - t0
            if ok:
                times.append(dt)
                listens.append(first_conn[0] if first_conn else dt)
            else:
                failures.append(f"start {n + 1}: no 200 within {a.timeout} s (exit {proc.poll()})")
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            print(f"{lab:<28} start {n + 1}/{a.starts}: "
                  + (f"accepting connections after {listens[-1] * 1000:.0f} ms, first proxied /_ping answered "
                     f"after {dt * 1000:.0f} ms" if ok else "FAILED"),
                  file=sys.stderr, flush=True)
    res = dict(a.label)
    res.update({"load": "startup", "starts_s": [round(t, 4) for t in times],
                "median_s": round(statistics.median(times), 4) if times else None,
                "listen_s": [round(t, 4) for t in listens],
                "listen_median_s": round(statistics.median(listens), 4) if listens else None,
                "failures": failures})
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
