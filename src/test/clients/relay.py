#!/usr/bin/env python3
"""relay.py [--drop-bodies] LISTEN_SOCKET DAEMON_SOCKET LOG: a recording relay in front of a Docker daemon.

Listens on a Unix socket, opens one daemon connection per client connection, and appends each request to LOG
as a JSON line: connection number, method, target, headers as sent, framing (Content-Length, chunked with its
raw chunk bytes, or none) and the body bytes. Responses are relayed unchanged.

--drop-bodies plays what the gateway does: on start, stop, restart, kill, wait and image tag it
forwards no body and no Content-Type (Content-Length: 0); every other request goes through as it came. Put it
between dockgate and the daemon (DOCKGATE_TEST_SOCKET=LISTEN_SOCKET) to run the tests against that behaviour.

Used by hand to record what real clients send (src/test/clients/README.md); the tests do not run it.
An upgraded connection (attach, exec) stops being parsed and is relayed as bytes.
"""
import json
import os
import re
import socket
import sys
import threading

args = sys.argv[1:]
drop_bodies = args[:1] == ["--drop-bodies"]
listen_path, daemon_path, log_path = args[1:] if drop_bodies else args
BODYLESS = re.compile(r"^(/v[0-9]+\.[0-9]+)?/(containers/[^/?]+/(start|stop|restart|kill|wait)|images/.+/tag)(\?|$)")
log_lock = threading.Lock()
connections = iter(range(1, 1 << 62))


def log(entry):
    with log_lock, open(log_path, "a") as f:
        f.write(json.dumps(entry) + "\n")


class Reader:
    """Buffered reads from the client; None once it has closed."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def until(self, mark):
        while mark not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data
        i = self.buf.index(mark)
        out, self.buf = self.buf[:i], self.buf[i + len(mark):]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def relay_requests(client, upstream, conn):
    r = Reader(client)
    while True:
        head = r.until(b"\r\n\r\n")
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
        lower = {k.lower(): v for k, v in headers}
        if "content-length" in lower:
            body = r.exactly(int(lower["content-length"]))
            framing, raw = "Content-Length: " + lower["content-length"], body
        elif lower.get("transfer-encoding", "").lower() == "chunked":
            body, raw = b"", b""
            while True:
                size_line = r.until(b"\r\n")
                if size_line is None:
                    return
                size = int(size_line.split(b";")[0], 16)
                chunk = r.exactly(size + 2)
                if chunk is None:
                    return
                raw += size_line + b"\r\n" + chunk
                body += chunk[:size]
                if size == 0:
                    break
            framing = "Transfer-Encoding: chunked " + repr(raw)
        else:
            body, framing, raw = b"", "none", b""
        if body is None:
            return
        entry = {"conn": conn, "method": method, "target": target, "headers": headers, "framing": framing,
                 "body": repr(body)}
        if drop_bodies and method == "POST" and BODYLESS.match(target):
            entry["forwarded"] = "no body, no Content-Type"
            kept = [(k, v) for k, v in headers
                    if k.lower() not in ("content-length", "transfer-encoding", "content-type")]
            head = "\r\n".join([lines[0]] + ["%s: %s" % kv for kv in kept] + ["Content-Length: 0"]).encode("latin-1")
            upstream.sendall(head + b"\r\n\r\n")
        else:
            upstream.sendall(head + b"\r\n\r\n" + raw)
        log(entry)
        if "upgrade" in lower:
            upstream.sendall(r.buf)
            pump(client, upstream)
            return


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass


def serve(client):
    upstream = socket.socket(socket.AF_UNIX)
    upstream.connect(daemon_path)
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    try:
        relay_requests(client, upstream, next(connections))
    except OSError:
        pass
    finally:
        try:
            upstream.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    back.join()
    client.close()
    upstream.close()


if os.path.exists(listen_path):
    os.unlink(listen_path)
server = socket.socket(socket.AF_UNIX)
server.bind(listen_path)
server.listen(64)
while True:
    conn, _ = server.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
