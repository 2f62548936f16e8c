"""The signed sheets (issue 15): each judge's score sheet (评分表) and the program's summary
sheet (成绩汇总表), A4 PDFs from Jinja2 templates (``pdf.py``: WeasyPrint, fonts embedded).

A judge's sheet lists the judge's marks by competitor and aspect with the time of each
sign-off and lines to sign; the summary lists every competitor's aspect values, criteria,
total, rank and award, with lines for each judge, the chief and the supervisor, the ledger
head hash and a QR code opening the program's page. An anonymous program not yet decrypted
prints codes (the judge's layer; the workstation number on the summary), never names; the
summary of a program marked under both layers prints one table per layer, each under its own
codes in code order, with no total, rank or award (they join the layers, as on the desk:
``server/layer_tables.py``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno

from scoreboard import JURY, program_channel
from scoreboard.model import Judge, Layer, Program
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, masked

from ..layer_tables import Tables, judge_layer, split
from . import pdf
from .record_index import Replayed
from .results import Line, sheet


@dataclass
class JudgeSheet:
    judge: Judge
    aspects: list[str]
    rows: list[dict[str, Any]]  # {"who", "name", "marks": {aid: value}, "signed": time text}
    layer: Layer | None = None  # one of a judge's sheets per layer (masked, both layers)


def when(ts: int | None) -> str:
    if ts is None:
        return ""
    return datetime.datetime.fromtimestamp(ts / 1000).astimezone().strftime("%Y-%m-%d %H:%M")


def who(state: ProgramState, layer: Layer | None, cid: str) -> tuple[str, str]:
    """What a sheet prints for a competitor: (bib or code, name or nothing)."""
    if layer is not None and masked(state):
        return codes(state, layer).get(cid, "?"), ""
    c = state.program.competitors[cid]
    return c.bib, c.name.get("zh", "")


def judge_sheets(rec: Replayed, pid: str) -> list[JudgeSheet]:
    prog: Program = rec.competition.programs[pid]
    state = rec.board.programs[pid]
    view = rec.board.view(program_channel(pid, JURY))
    out = []
    for judge in rec.competition.judges.values():
        every = [a for a in prog.aspects if judge.assigned(pid, prog.aspects[a])]
        if not every:
            continue
        # masked, a judge (or chief) who marks both layers gets one sheet per layer: on one
        # sheet a second-code mark would stand on the workstation number's line
        parts: list[tuple[Layer | None, list[str]]] = [(None, every)]
        if prog.anonymous:
            layers = list(dict.fromkeys(prog.layer(a) for a in every))
            parts = [(x, [a for a in every if prog.layer(a) is x]) for x in layers]
        signs = judge_layer(prog, state, judge.id) if masked(state) else None
        for layer, aspects in parts:
            rows = []
            for cid in sorted(prog.competitors, key=lambda c: who(state, layer, c)[0]):
                row = view.rows[cid].get("aspects", {})
                marks = {a: row[a]["marks"].get(judge.id, "") for a in aspects if a in row}
                shown, name = who(state, layer, cid)
                # the time of a sign-off on the sheet of the layer it is shown under only: the
                # same minute on both sheets would pair the lines
                at = state.signed_at.get((cid, judge.id)) if signs in (None, layer) else None
                if layer is not None and (cid, judge.id, str(layer)) in state.layer_signed_at:
                    at = state.layer_signed_at[(cid, judge.id, str(layer))]  # that layer's
                rows.append({"who": shown, "name": name, "marks": marks, "signed": when(at)})
            out.append(JudgeSheet(judge, aspects, rows, layer if len(parts) > 1 else None))
    return out


def summary_lines(rec: Replayed, pid: str) -> tuple[list[Line], dict[str, dict[str, str]]]:
    """The result lines (names replaced by workstation numbers while masked) and each
    competitor's aspect values."""
    state = rec.board.programs[pid]
    lines = sheet(rec, pid).lines
    if masked(state):
        book = codes(state, Layer.WORKSTATION)
        blank = {"zh": "", "en": ""}
        for ln in lines:
            ln.bib, ln.name, ln.delegation_name, ln.members = (
                book.get(ln.cid, "?"),
                blank,
                blank,
                [],
            )
    view = rec.board.view(program_channel(pid, JURY))
    values = {
        cid: {a: e.get("value") or "" for a, e in row.get("aspects", {}).items()}
        for cid, row in view.rows.items()
    }
    return lines, values


def layer_tables(rec: Replayed, pid: str) -> list[dict[str, Any]]:
    """A masked two-layer program's summary: per layer its criteria and aspects, and its rows
    (code, aspect values, criteria) in code order; empty when the summary is one table."""
    state = rec.board.programs[pid]
    prog = state.program
    if not (masked(state) and split(prog)):
        return []
    tables = Tables(state)
    view = rec.board.view(program_channel(pid, JURY))
    rows = tables.rows([view.rows[c] for c in prog.competitors if c in view.rows])
    out = []
    for layer in tables.layers:
        aspects = tables.aspects[layer]
        criteria = [c for c in prog.criteria.values() if any(a in aspects for a in c.aspects)]
        mine = [
            {
                "code": r["competitor"]["id"],
                "values": {a: e.get("value") or "" for a, e in r["aspects"].items()},
                "criteria": r["criteria"],
            }
            for r in rows
            if r["layer"] == str(layer)
        ]
        out.append({"layer": str(layer), "criteria": criteria, "rows": mine})
    return out


def write(rec: Replayed, pid: str, out: Path, base_url: str) -> list[Path]:
    """``out/<program>/评分表-<judge>.pdf`` for each judge (and ``评分表-<judge>-code.pdf``
    for a judge's second-layer sheet), and ``成绩汇总表.pdf``."""
    prog = rec.competition.programs[pid]
    state = rec.board.programs[pid]
    common: dict[str, Any] = {"competition": rec.competition, "program": prog, "head": rec.head}
    written = []
    named: set[str] = set()
    for js in judge_sheets(rec, pid):
        # a second sheet of the same judge (the other layer's) is 评分表-<judge>-<layer>.pdf
        tail = f"-{js.layer}" if js.judge.id in named else ""
        named.add(js.judge.id)
        path = out / pid / f"评分表-{js.judge.id}{tail}.pdf"
        written.append(pdf.write(path, "judge_sheet.html", sheet=js, **common))
    url = f"{base_url.rstrip('/')}/programs/{pid}"
    lines, values = summary_lines(rec, pid)
    judges = [
        j for j in rec.competition.judges.values() if j.assigned(pid) and j.role.value == "judge"
    ]
    written.append(
        pdf.write(
            out / pid / "成绩汇总表.pdf",
            "summary_sheet.html",
            lines=lines,
            values=values,
            judges=judges,
            masked=masked(state),
            tables=layer_tables(rec, pid),
            url=url,
            qr=segno.make(url, error="m").svg_data_uri(scale=3, border=1),
            **common,
        )
    )
    return written
