"""Judge load for the real-scale run: hundreds of judge connections in one process, raw sockets.

    python3 -m bench.realscale_judges --port 8000 --competition /tmp/x/competition.json

Each judge is a non-blocking socket on epoll (no asyncio): the WebSocket handshake by hand
(``scorecast.json``), ``auth`` with its own credential, then the marks it is told to send, each
at its time. The marks are ``bench.realscale.marks`` of the competition file, numbered in tablet
order; mark ``k`` goes out as ``{"type": "mark", "id": "m<k>", ...}`` on its judge's connection.
For each mark it records the wall time just before the send, and the kernel's receive time
(``SO_TIMESTAMPNS``) and ``seq`` of its ack. A refusal with ``retry`` is resent after 0.25 s.

Controlled by JSON lines on stdin, answered by JSON lines on stdout: ``connect`` (judges:
[[id, token]], timeout), ``send`` (schedule: [[mark, wall time]]), ``status``, ``dump`` (path),
``exit``.
"""

from __future__ import annotations

import argparse
import base64
import heapq
import json
import os
import selectors
import socket
import sys
import time
from typing import Any

from .realscale import marks
from .viewers import ANC, SO_TIMESTAMPNS, client_frame

CONNECTING, HANDSHAKE, AUTH, READY, CLOSED = range(5)
RETRY_DELAY = 0.25


def kernel_time(anc: list[tuple[int, int, bytes]]) -> float:
    for level, kind, raw in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(raw) >= 16:
            sec, nsec = int.from_bytes(raw[:8], "little"), int.from_bytes(raw[8:16], "little")
            return sec + nsec * 1e-9
    return time.time()


class Judge:
    __slots__ = ("jid", "token", "sock", "state", "buf", "out")

    def __init__(self, jid: str, token: str, sock: socket.socket) -> None:
        self.jid = jid
        self.token = token
        self.sock = sock
        self.state = CONNECTING
        self.buf = b""
        self.out = b""  # what the kernel did not take yet


class Judges:
    def __init__(self, port: int, competition: str) -> None:
        self.port = port
        with open(competition, encoding="utf-8") as f:
            self.marks = list(marks(json.load(f)))
        self.sel = selectors.DefaultSelector()
        self.by_id: dict[str, Judge] = {}
        self.queue: list[tuple[float, int]] = []  # (when, mark): scheduled sends and retries
        self.t_send: dict[int, float] = {}
        self.t_ack: dict[int, float] = {}
        self.seq: dict[int, int] = {}
        self.errors: dict[str, int] = {}
        self.refused: set[int] = set()
        self.pending_connect: dict[str, Any] | None = None
        self.running = True
        self.stdin_buf = b""

    # -- connections -----------------------------------------------------------

    def open(self, jid: str, token: str) -> None:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        j = Judge(jid, token, s)
        self.by_id[jid] = j
        s.connect_ex(("127.0.0.1", self.port))
        self.sel.register(s, selectors.EVENT_WRITE, j)

    def fail(self, j: Judge, why: str) -> None:
        if j.state == CLOSED:
            return
        self.errors[f"closed:{why}"] = self.errors.get(f"closed:{why}", 0) + 1
        j.state = CLOSED
        try:
            self.sel.unregister(j.sock)
        except (KeyError, ValueError):
            pass
        j.sock.close()

    def send(self, j: Judge, data: bytes) -> None:
        if j.out:
            j.out += data
            return
        try:
            n = j.sock.send(data)
        except BlockingIOError:
            n = 0
        except OSError:
            self.fail(j, "send")
            return
        if n < len(data):
            j.out = data[n:]
            self.sel.modify(j.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, j)

    def on_writable(self, j: Judge) -> None:
        if j.state == CONNECTING:
            if j.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                self.fail(j, "connect")
                return
            key = base64.b64encode(os.urandom(16)).decode()
            req = (
                f"GET /ws/judge HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: scorecast.json\r\n\r\n"
            )
            j.state = HANDSHAKE
            self.sel.modify(j.sock, selectors.EVENT_READ, j)
            self.send(j, req.encode())
            return
        out, j.out = j.out, b""
        self.sel.modify(j.sock, selectors.EVENT_READ, j)
        self.send(j, out)

    def on_readable(self, j: Judge) -> None:
        try:
            data, anc, _flags, _addr = j.sock.recvmsg(262144, ANC)
        except BlockingIOError:
            return
        except OSError:
            self.fail(j, "recv")
            return
        if not data:
            self.fail(j, "eof")
            return
        ts = kernel_time(anc)
        data = j.buf + data
        j.buf = b""
        if j.state == HANDSHAKE:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                j.buf = data
                return
            if not data.startswith(b"HTTP/1.1 101"):
                self.fail(j, "handshake")
                return
            data = data[end + 4 :]
            j.state = AUTH
            auth = {"type": "auth", "token": j.token, "device": "realscale-bench"}
            self.send(j, client_frame(json.dumps(auth).encode()))
        i, n = 0, len(data)
        while n - i >= 2:
            ln, h = data[i + 1] & 0x7F, 2
            if ln == 126:
                if n - i < 4:
                    break
                ln, h = int.from_bytes(data[i + 2 : i + 4], "big"), 4
            elif ln == 127:
                if n - i < 10:
                    break
                ln, h = int.from_bytes(data[i + 2 : i + 10], "big"), 10
            if n - i < h + ln:
                break
            op, payload = data[i] & 0x0F, data[i + h : i + h + ln]
            i += h + ln
            if op == 1:
                self.message(j, json.loads(payload), ts)
            elif op == 9:
                self.send(j, client_frame(payload, 0xA))
            elif op == 8:
                self.fail(j, "close")
                return
        j.buf = data[i:]

    def message(self, j: Judge, m: dict[str, Any], ts: float) -> None:
        kind = m.get("type")
        if kind == "welcome":
            j.state = READY
        elif kind == "ack":
            k = int(m["id"][1:])
            if k not in self.t_ack:
                self.t_ack[k] = ts
                self.seq[k] = int(m["seq"])
        elif kind == "error":
            code = str(m.get("code"))
            self.errors[code] = self.errors.get(code, 0) + 1
            ref = m.get("id")
            if isinstance(ref, str) and ref.startswith("m"):
                k = int(ref[1:])
                if m.get("retry"):
                    heapq.heappush(self.queue, (time.time() + RETRY_DELAY, k))
                else:
                    self.refused.add(k)
                    self.t_ack.setdefault(k, ts)
            elif j.state == AUTH:
                self.fail(j, f"auth:{code}")

    def send_mark(self, k: int) -> None:
        jid, frame = self.marks[k]
        j = self.by_id.get(jid)
        if j is None or j.state != READY:
            self.errors["no_connection"] = self.errors.get("no_connection", 0) + 1
            return
        data = client_frame(json.dumps({**frame, "id": f"m{k}"}).encode())
        self.t_send.setdefault(k, time.time())
        self.send(j, data)

    # -- control ---------------------------------------------------------------

    def reply(self, obj: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    def command(self, cmd: dict[str, Any]) -> None:
        kind = cmd["cmd"]
        if kind == "connect":
            for jid, token in cmd["judges"]:
                self.open(jid, token)
            now, ids = time.monotonic(), [jid for jid, _ in cmd["judges"]]
            deadline = now + float(cmd.get("timeout", 60))
            self.pending_connect = {"ids": ids, "started": now, "deadline": deadline}
        elif kind == "send":
            for k, at in cmd["schedule"]:
                heapq.heappush(self.queue, (float(at), int(k)))
            self.reply({"ok": True, "queued": len(self.queue)})
        elif kind == "status":
            sent, acked = set(self.t_send), set(self.t_ack)
            ready = sum(1 for j in self.by_id.values() if j.state == READY)
            st = {"sent": len(sent), "acked": len(acked), "unanswered": len(sent - acked)}
            self.reply({**st, "queued": len(self.queue), "errors": self.errors, "open": ready})
        elif kind == "dump":
            import numpy as np

            ks = sorted(self.t_send)
            np.savez(
                cmd["path"],
                mark=np.array(ks, dtype=np.int64),
                t_send=np.array([self.t_send[k] for k in ks]),
                t_ack=np.array([self.t_ack.get(k, np.nan) for k in ks]),
                seq=np.array([self.seq.get(k, -1) for k in ks], dtype=np.int64),
            )
            self.reply({"ok": True, "marks": len(ks)})
        elif kind == "exit":
            self.running = False

    def check_connect(self) -> None:
        pc = self.pending_connect
        if pc is None:
            return
        states = [self.by_id[jid].state for jid in pc["ids"]]
        done = all(s in (READY, CLOSED) for s in states)
        if done or time.monotonic() > pc["deadline"]:
            self.pending_connect = None
            ready = sum(1 for s in states if s == READY)
            secs = round(time.monotonic() - pc["started"], 3)
            self.reply({"ready": ready, "failed": len(states) - ready, "seconds": secs})

    def run(self) -> None:
        os.set_blocking(0, False)
        self.sel.register(0, selectors.EVENT_READ, None)
        while self.running:
            now = time.time()
            while self.queue and self.queue[0][0] <= now:
                self.send_mark(heapq.heappop(self.queue)[1])
            wait = min(0.05, self.queue[0][0] - now) if self.queue else 0.05
            for key, mask in self.sel.select(max(0.0, wait)):
                j = key.data
                if j is None:
                    chunk = os.read(0, 1 << 20)
                    if not chunk:
                        self.running = False
                    self.stdin_buf += chunk
                    while b"\n" in self.stdin_buf:
                        line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
                        if line.strip():
                            self.command(json.loads(line))
                    continue
                if mask & selectors.EVENT_WRITE:
                    self.on_writable(j)
                if mask & selectors.EVENT_READ and j.state != CLOSED:
                    self.on_readable(j)
            self.check_connect()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--competition", required=True)
    args = p.parse_args()
    Judges(args.port, args.competition).run()


if __name__ == "__main__":
    main()
