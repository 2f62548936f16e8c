"""The real-scale run's figures from what judges and viewers recorded, matched through the ledger.

A mark's ack names its ledger ``seq``. Replaying the hub's own ledger through a fresh
``Scoreboard`` (the hub applies events in ledger order, and the core is pure) gives, for each
seq, the channels it changed and the version each reached: so a viewer of channel C showed mark
``seq`` when the first message at or past that version reached its socket. Exact, per viewer and
per mark, whatever mix of programs, jury and overview channels the viewers watch.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import msgpack
import numpy as np


def pct(ms: np.ndarray) -> dict[str, float]:
    if ms.size == 0:
        return {}
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "max_ms": round(float(ms.max()), 2),
        "mean_ms": round(float(ms.mean()), 2),
    }


def channel_kind(channel: str) -> str:
    if channel.startswith("program:"):
        return "program:jury" if channel.endswith(":jury") else "program"
    return channel  # overview, overview:jury, ticker


class JudgeRecords:
    """Every mark the judge processes sent: mark number, send time, ack time (kernel), seq."""

    def __init__(self, paths: list[Path]) -> None:
        parts = [np.load(p) for p in paths]
        self.mark = np.concatenate([d["mark"] for d in parts])
        self.t_send = np.concatenate([d["t_send"] for d in parts])
        self.t_ack = np.concatenate([d["t_ack"] for d in parts])
        self.seq = np.concatenate([d["seq"] for d in parts])

    def select(self, marks: list[int]) -> np.ndarray:
        return np.isin(self.mark, np.array(marks, dtype=np.int64))

    def acks(self, marks: list[int]) -> dict[str, Any]:
        sel = self.select(marks)
        sent, ack = self.t_send[sel], self.t_ack[sel]
        done = ~np.isnan(ack)
        out: dict[str, Any] = {
            "marks": int(len(marks)),
            "sent": int(sel.sum()),
            "acked": int((self.seq[sel] > 0).sum()),
            "unanswered": int((~done).sum()),
        }
        out.update(pct((ack[done] - sent[done]) * 1000))
        if done.any():
            out["first_send_to_last_ack_s"] = round(float(ack[done].max() - sent.min()), 3)
            out["send_span_s"] = round(float(sent.max() - sent.min()), 3)
        return out

    def sent_by_seq(self, marks: list[int]) -> dict[int, float]:
        sel = self.select(marks) & (self.seq > 0)
        return {int(s): float(t) for s, t in zip(self.seq[sel], self.t_send[sel], strict=True)}


def channel_versions(competition: Path, ledger: Path, upto: int) -> dict[int, dict[str, int]]:
    """seq → {channel: the version that event made it}, by replaying the ledger up to ``upto``."""
    from scoreboard import Scoreboard, event_from_dict
    from server import competition_file
    from server.config import Settings
    from server.ledger import RECORD_KINDS

    _data, comp = competition_file.load(str(competition))
    board = Scoreboard(comp, Settings().history)
    db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    out: dict[int, dict[str, int]] = {}
    try:
        rows = db.execute("SELECT seq, body FROM events WHERE seq <= ? ORDER BY seq", (upto,))
        for seq, body in rows:
            event = msgpack.unpackb(body)
            if event.get("kind") in RECORD_KINDS:  # the competition's definition (issue 13)
                out[int(seq)] = {}
                continue
            updates = board.apply(event_from_dict(event))
            out[int(seq)] = {u.channel: int(u.delta["version"]) for u in updates}
    finally:
        db.close()
    return out


class ViewerRecords:
    """Per viewer: its channel, and every message's version with the kernel's receive time."""

    def __init__(self, paths: list[Path], channels: list[list[str]]) -> None:
        self.viewers: list[tuple[str, np.ndarray, np.ndarray]] = []
        self.codes: dict[str, int] = {}
        for path, chans in zip(paths, channels, strict=True):
            d = np.load(path)
            conn, ver, ts = d["conn"], d["version"], d["ts"]
            order = np.argsort(conn, kind="stable")
            conn, ver, ts = conn[order], ver[order], ts[order]
            starts = np.searchsorted(conn, np.arange(len(chans)), side="left")
            ends = np.searchsorted(conn, np.arange(len(chans)), side="right")
            for i, ch in enumerate(chans):
                self.viewers.append((ch, ver[starts[i] : ends[i]], ts[starts[i] : ends[i]]))
            for c in d["codes"]:
                if int(c):
                    self.codes[str(int(c))] = self.codes.get(str(int(c)), 0) + 1

    def score_to_screen(
        self, sent: dict[int, float], versions: dict[int, dict[str, int]]
    ) -> dict[str, Any]:
        """From the judge's send to the first message at or past the mark's version, per viewer."""
        by_channel: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        wanted: dict[str, list[tuple[int, float, int]]] = {}
        for seq, t in sent.items():
            for ch, v in versions.get(seq, {}).items():
                wanted.setdefault(ch, []).append((v, t, seq))
        seq_of: dict[tuple[str, int], int] = {}
        for ch, triples in wanted.items():
            triples.sort()
            by_channel[ch] = (
                np.array([v for v, _, _ in triples]),
                np.array([t for _, t, _ in triples]),
            )
            seq_of.update({(ch, v): q for v, _, q in triples})
        kinds: dict[str, list[np.ndarray]] = {}
        never: dict[str, int] = {}
        last: dict[tuple[str, int], float] = {}  # (channel, version) → when its last viewer had it
        for ch, ver, ts in self.viewers:
            if ch not in by_channel:
                continue
            vs, t_sent = by_channel[ch]
            kind = channel_kind(ch)
            if ver.size == 0:
                never[kind] = never.get(kind, 0) + len(vs)
                continue
            cm = np.maximum.accumulate(ver)
            idx = np.searchsorted(cm, vs, side="left")
            ok = idx < len(cm)
            never[kind] = never.get(kind, 0) + int((~ok).sum())
            shown = ts[idx[ok]]
            kinds.setdefault(kind, []).append((shown - t_sent[ok]) * 1000)
            for v, s in zip(vs[ok], shown, strict=True):
                key = (ch, int(v))
                if s > last.get(key, 0.0):
                    last[key] = s
        out: dict[str, Any] = {"marks": len(sent), "by_channel": {}}
        every = [a for arrs in kinds.values() for a in arrs]
        allms = np.concatenate(every) if every else np.zeros(0)
        out.update(pct(allms))
        out["deliveries"] = int(allms.size)
        out["never_shown"] = sum(never.values())
        for kind, arrs in sorted(kinds.items()):
            ms = np.concatenate(arrs)
            out["by_channel"][kind] = {
                "deliveries": int(ms.size),
                "never_shown": never.get(kind, 0),
                **pct(ms),
            }
        # per mark: when the last screen of any channel it changed showed it
        per_mark: dict[int, float] = {}
        for key, s in last.items():
            q = seq_of[key]
            per_mark[q] = max(per_mark.get(q, 0.0), s - sent[q])
        out["last_screen"] = pct(np.array(list(per_mark.values())) * 1000)
        return out


def breaking(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The first step whose ack p99 passed 1 s (or left marks unanswered), and the last one below."""
    ok = [s for s in steps if not s["ack"]["unanswered"] and s["ack"].get("p99_ms", 0) <= 1000]
    broke = next((s for s in steps if s not in ok), None)
    return {
        "last_ok_rate": ok[-1]["rate"] if ok else None,
        "broke_at_rate": broke["rate"] if broke else None,
        "steps": [
            {"rate": s["rate"], "achieved": s["marks"] / max(s["ack"].get("send_span_s", 1), 1e-9)}
            | {k: s["ack"].get(k) for k in ("p50_ms", "p99_ms", "max_ms", "unanswered")}
            | {"cpu_share": s["core_busy"], "stall_ms": s["stalls"]["longest_ms"]}
            for s in steps
        ],
    }
