"""Viewer load: thousands of WebSocket viewers in one process, with the kernel's receive timestamps.

    python3 -m bench.viewers --proto floor|scorecast|socketio --ports 8001[,8002] [--path /ws/live]

Each viewer is a raw non-blocking socket on epoll (no asyncio, no per-viewer
task): it opens the WebSocket, subscribes to the leaderboard, answers pings
and records, for every message received, the version it carries and the time
the kernel received it (``SO_TIMESTAMPNS``). So a viewer process that falls
behind reading does not inflate the latency it measures: the timestamp is
taken when the server's write reached the socket, as in the baseline.

Controlled by JSON lines on stdin, answered by JSON lines on stdout:
``connect`` (n, timeout; ``subscribe``: optional subscribe frames, one for each new viewer in
turn), ``status`` (version), ``dump`` (path), ``reset``, ``close``, ``exit``.
"""

from __future__ import annotations

import argparse
import base64
import errno
import json
import os
import re
import selectors
import socket
import struct
import sys
import time
from array import array
from typing import Any

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
ANC = socket.CMSG_SPACE(16)
VERSION = re.compile(rb'"version":\s*(\d+)')
INFLIGHT = 64  # handshakes in progress per process: more overflow the listen backlog

CONNECTING, HANDSHAKE, OPEN, READY, CLOSED = range(5)


def client_frame(payload: bytes, op: int = 1) -> bytes:
    """A masked client frame (the zero mask: legal, and the payload stays as it is)."""
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | op, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | op, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | op, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + b"\0\0\0\0" + payload


class Conn:
    __slots__ = ("idx", "sock", "port", "state", "buf", "fd", "sub")

    def __init__(self, idx: int, sock: socket.socket, port: int, sub: bytes) -> None:
        self.idx = idx
        self.sock = sock
        self.port = port
        self.state = CONNECTING
        self.buf = b""
        self.fd = sock.fileno()
        self.sub = sub  # the subscribe frame it sends once open


class Viewers:
    def __init__(self, proto: str, ports: list[int], path: str) -> None:
        self.proto = proto
        self.ports = ports
        self.path = path
        self.sel = selectors.DefaultSelector()
        self.conns: list[Conn] = []
        self.by_fd: dict[int, Conn] = {}
        self.last = array("q")  # per viewer: the highest version received (-1: none)
        self.codes = array(
            "i"
        )  # per viewer: 0 open; the close code (1006 when the server just hung up)
        self.rec_conn = array("i")
        self.rec_version = array("q")
        self.rec_ts = array("d")
        self.rec_bytes = 0  # payload bytes of the messages recorded
        self.to_open = 0
        self.inflight = 0
        self.batch_ready = 0
        self.batch_failed = 0
        self.batch_started = 0.0
        self.batch_deadline = 0.0
        self.batch_pending = False
        self.errors = 0
        self.running = True
        self.stdin_buf = b""
        self.sub_frames: list[bytes] = []  # per new viewer, in turn (empty: self.subscribe)
        subproto = {"scorecast": "Sec-WebSocket-Protocol: scorecast.json\r\n"}.get(proto, "")
        self.request_tpl = (
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            + subproto
            + "\r\n"
        )
        if proto == "socketio":
            self.subscribe = b""  # after the Engine.IO and Socket.IO handshakes
        elif proto == "scorecast":
            self.subscribe = client_frame(
                b'{"type":"subscribe","channel":"program:bench","features":["ranks"]}'
            )
        else:
            self.subscribe = client_frame(b'{"type":"subscribe"}')

    # -- connections -----------------------------------------------------------

    def open_one(self) -> None:
        idx = len(self.conns)
        port = self.ports[idx % len(self.ports)]
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sub = self.sub_frames.pop() if self.sub_frames else self.subscribe
        c = Conn(idx, s, port, sub)
        self.conns.append(c)
        self.last.append(-1)
        self.codes.append(0)
        self.by_fd[c.fd] = c
        self.inflight += 1
        err = s.connect_ex(("127.0.0.1", port))
        if err not in (0, errno.EINPROGRESS):
            self.fail(c, 1006)
            return
        self.sel.register(s, selectors.EVENT_WRITE, c)

    def fail(self, c: Conn, code: int) -> None:
        if c.state == CLOSED:
            return
        if c.state != READY:
            self.inflight -= 1
            self.batch_failed += 1
        self.codes[c.idx] = code
        c.state = CLOSED
        try:
            self.sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        self.by_fd.pop(c.fd, None)
        c.sock.close()

    def ready(self, c: Conn) -> None:
        if c.state != READY:
            c.state = READY
            self.inflight -= 1
            self.batch_ready += 1

    def send(self, c: Conn, data: bytes) -> None:
        try:
            c.sock.send(data)  # small frames; the socket buffer is empty in practice
        except OSError:
            self.fail(c, 1006)

    def on_writable(self, c: Conn) -> None:
        err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self.fail(c, 1006)
            return
        key = base64.b64encode(os.urandom(16)).decode()
        req = self.request_tpl.format(path=self.path, port=c.port, key=key).encode()
        self.sel.modify(c.sock, selectors.EVENT_READ, c)
        c.state = HANDSHAKE
        self.send(c, req)

    def on_readable(self, c: Conn) -> None:
        try:
            data, anc, _flags, _addr = c.sock.recvmsg(262144, ANC)
        except BlockingIOError:
            return
        except OSError:
            self.fail(c, 1006)
            return
        if not data:
            self.fail(c, 1006)
            return
        ts = 0.0
        for level, kind, raw in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(raw) >= 16:
                sec, nsec = struct.unpack_from("@qq", raw)
                ts = sec + nsec * 1e-9
        if not ts:
            ts = time.time()
        if c.state == HANDSHAKE:
            data = c.buf + data
            end = data.find(b"\r\n\r\n")
            if end < 0:
                c.buf = data
                return
            if not data.startswith(b"HTTP/1.1 101"):
                self.fail(c, 1002)
                return
            c.buf = b""
            data = data[end + 4 :]
            c.state = OPEN
            if c.sub:
                self.send(c, c.sub)
            if not data:
                return
        self.parse(c, data, ts)

    def parse(self, c: Conn, data: bytes, ts: float) -> None:
        if c.buf:
            data = c.buf + data
            c.buf = b""
        i, n = 0, len(data)
        while n - i >= 2:
            b1 = data[i + 1]
            ln = b1 & 0x7F
            h = 2
            if ln == 126:
                if n - i < 4:
                    break
                ln = int.from_bytes(data[i + 2 : i + 4], "big")
                h = 4
            elif ln == 127:
                if n - i < 10:
                    break
                ln = int.from_bytes(data[i + 2 : i + 10], "big")
                h = 10
            if n - i < h + ln:
                break
            op = data[i] & 0x0F
            payload = data[i + h : i + h + ln]
            i += h + ln
            if op == 1 or op == 2:
                self.message(c, payload, ts)
            elif op == 9:
                self.send(c, client_frame(payload, 0xA))
            elif op == 8:
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self.fail(c, code)
                return
        if i < n:
            c.buf = data[i:]

    def message(self, c: Conn, payload: bytes, ts: float) -> None:
        if self.proto == "socketio":
            head = payload[:3]
            if head == b"42[":
                pass  # an event: the leaderboard
            elif head == b"431":
                self.ready(c)  # the subscribe ack carries the board
            elif payload == b"2":
                self.send(c, client_frame(b"3"))
                return
            elif head.startswith(b"0{"):
                self.send(c, client_frame(b"40"))
                return
            elif head.startswith(b"40"):
                self.send(c, client_frame(b'421["subscribe"]'))
                return
            else:
                return
        m = VERSION.search(payload, 0, 200)
        if m is None:
            self.errors += 1
            return
        v = int(m.group(1))
        idx = c.idx
        self.rec_conn.append(idx)
        self.rec_version.append(v)
        self.rec_ts.append(ts)
        self.rec_bytes += len(payload)
        if v > self.last[idx]:
            self.last[idx] = v
        if c.state == OPEN:
            self.ready(c)

    # -- control ---------------------------------------------------------------

    def reply(self, obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def command(self, cmd: dict[str, Any]) -> None:
        kind = cmd["cmd"]
        if kind == "connect":
            self.to_open += int(cmd["n"])
            self.batch_ready = self.batch_failed = 0
            self.batch_started = time.monotonic()
            self.batch_deadline = self.batch_started + float(cmd.get("timeout", 120))
            self.batch_pending = True
            self.batch_n = int(cmd["n"])
            self.sub_frames = [client_frame(f.encode()) for f in reversed(cmd.get("subscribe", []))]
        elif kind == "status":
            v = int(cmd.get("version", 0))
            last = self.last
            self.reply(
                {
                    "at_least": sum(1 for x in last if x >= v),
                    "open": sum(1 for x in self.codes if x == 0),
                    "viewers": len(last),
                    "records": len(self.rec_ts),
                }
            )
        elif kind == "reset":
            self.rec_conn = array("i")
            self.rec_version = array("q")
            self.rec_ts = array("d")
            self.rec_bytes = 0
            self.reply({"ok": True})
        elif kind == "dump":
            import numpy as np

            np.savez(
                cmd["path"],
                conn=np.frombuffer(self.rec_conn, dtype=np.int32),
                version=np.frombuffer(self.rec_version, dtype=np.int64),
                ts=np.frombuffer(self.rec_ts, dtype=np.float64),
                last=np.frombuffer(self.last, dtype=np.int64),
                codes=np.frombuffer(self.codes, dtype=np.int32),
            )
            self.reply({"ok": True, "records": len(self.rec_ts), "bytes": self.rec_bytes})
        elif kind == "close":
            for c in self.conns:
                if c.state != CLOSED:
                    self.fail(c, 1000)
            self.conns, self.by_fd = [], {}
            self.last, self.codes = array("q"), array("i")
            self.inflight = 0
            self.reply({"ok": True})
        elif kind == "exit":
            self.running = False

    def on_stdin(self) -> None:
        chunk = os.read(0, 65536)
        if not chunk:
            self.running = False
            return
        self.stdin_buf += chunk
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self.command(json.loads(line))

    def run(self) -> None:
        os.set_blocking(0, False)
        self.sel.register(0, selectors.EVENT_READ, None)
        select = self.sel.select
        while self.running:
            while self.to_open and self.inflight < INFLIGHT:
                self.to_open -= 1
                self.open_one()
            for key, mask in select(0.05):
                c = key.data
                if c is None:
                    self.on_stdin()
                elif mask & selectors.EVENT_WRITE and c.state == CONNECTING:
                    self.on_writable(c)
                else:
                    self.on_readable(c)
            if self.batch_pending:
                done = self.batch_ready + self.batch_failed >= self.batch_n
                if done or time.monotonic() > self.batch_deadline:
                    self.batch_pending = False
                    self.to_open = 0
                    self.reply(
                        {
                            "ready": self.batch_ready,
                            "failed": self.batch_failed,
                            "timed_out": not done,
                            "seconds": round(time.monotonic() - self.batch_started, 3),
                        }
                    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--proto", choices=["floor", "scorecast", "socketio"], required=True)
    p.add_argument("--ports", required=True)
    p.add_argument("--path", default="/")
    args = p.parse_args()
    Viewers(args.proto, [int(x) for x in args.ports.split(",")], args.path).run()


if __name__ == "__main__":
    main()
