"""Data feeds for graphics systems: ``/feeds/programs/{id}.json``, ``.csv``, ``.xml``.

A flat table, one row per competitor, in board order: the shape vMix data
sources (and spreadsheets) read. Built from the program's public snapshot; a
hidden program's table has no rows, only its ``visibility`` in the headers.

Every row, and the headers, carry the program's lifecycle (``display/lifecycle.py``):
``stage`` (marking, review, publication, final), in 公示 ``objections_until`` (ISO 8601
with the hub's UTC offset), ``appealed`` (申诉中, where the program shows appeals to the
public) and ``corrected_from`` (更正: the value before the latest correction).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any
from xml.etree import ElementTree as ET

from starlette.requests import Request
from starlette.responses import Response

from scoreboard import Program

from .data import NotFound, Site

COLUMNS = [
    "program",
    "program_zh",
    "program_en",
    "visibility",
    "rank",
    "bib",
    "name_zh",
    "name_en",
    "delegation",
    "delegation_zh",
    "delegation_en",
    "total",
    "status",
    "provisional",
    "pending",
    "award",
    "stage",
    "objections_until",
    "appealed",
    "corrected_from",
]


def iso_time(ts: object) -> str:
    if not isinstance(ts, int):
        return ""
    when = datetime.datetime.fromtimestamp(ts / 1000).astimezone()
    return when.isoformat(timespec="seconds")


def life(snap: dict[str, Any]) -> tuple[str, str]:
    """The program's stage and, in 公示, when objections close."""
    lc = snap.get("lifecycle") or {}
    stage = lc.get("stage", "marking")
    until = iso_time(lc.get("objections_until")) if stage == "publication" else ""
    return stage, until


def table(site: Site, prog: Program) -> tuple[dict[str, Any], list[dict[str, str]]]:
    snap = site.board(prog.id)
    vis = snap["visibility"]
    if vis == "hidden":
        return snap, []
    stage, until = life(snap)
    delegations = site.competition.delegations
    out = []
    for r in snap["rows"]:
        c = r["competitor"]
        d = delegations.get(c.get("delegation") or "")
        out.append(
            {
                "program": prog.id,
                "program_zh": prog.name.get("zh", ""),
                "program_en": prog.name.get("en", ""),
                "visibility": vis,
                "rank": "" if r.get("rank") is None else str(r["rank"]),
                # a code is no bib (as on the screens): a feed joined with the start list by
                # bib would put station 01's score on bib 01
                "bib": "" if c.get("coded") else c["bib"],
                "name_zh": c["name"].get("zh", ""),
                "name_en": c["name"].get("en", ""),
                "delegation": c.get("delegation") or "",
                "delegation_zh": d.name.get("zh", "") if d else "",
                "delegation_en": d.name.get("en", "") if d else "",
                "total": r.get("total") or "",
                "status": r.get("status", ""),
                "provisional": "1" if r.get("provisional") else "",
                "pending": "1" if r.get("pending") else "",
                "award": r.get("award") or "",
                "stage": stage,
                "objections_until": until,
                "appealed": "1" if r.get("appealed") else "",
                "corrected_from": (r.get("correction") or {}).get("previous") or "",
            }
        )
    return snap, out


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """The cell as a spreadsheet will show it, never run it: a text that would start a
    formula gets a leading apostrophe (Excel and LibreOffice hide it). Numbers, a
    negative total among them, stay as they are so that they still sort and sum."""
    if not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def csv_text(rows: list[dict[str, str]]) -> str:
    """The table as CSV: a header row, CRLF lines, and a BOM so that Windows tools (vMix,
    Excel) read the UTF-8 Chinese names right."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return "\ufeff" + buf.getvalue()


def _headers(snap: dict[str, Any]) -> dict[str, str]:
    stage, until = life(snap)
    headers = {
        "Cache-Control": "no-cache",
        "Access-Control-Allow-Origin": "*",
        "X-Scorecast-Version": str(snap["version"]),
        "X-Scorecast-Visibility": snap["visibility"],
        "X-Scorecast-Stage": stage,
    }
    if until:
        headers["X-Scorecast-Objections-Until"] = until
    return headers


async def feed(request: Request) -> Response:
    site = Site(request)
    pid = request.path_params["id"]
    kind = request.url.path.rsplit(".", 1)[-1]
    try:
        prog = site.program_model(pid)
    except NotFound:
        return Response(
            f"no program with the id {pid!r}; /api/v1/programs lists them\n",
            404,
            media_type="text/plain; charset=utf-8",
        )
    snap, rows = table(site, prog)
    headers = _headers(snap)
    if kind == "json":
        body = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return Response(body, headers=headers, media_type="application/json")
    if kind == "csv":
        return Response(csv_text(rows), headers=headers, media_type="text/csv; charset=utf-8")
    stage, until = life(snap)
    root = ET.Element(
        "leaderboard",
        program=prog.id,
        visibility=snap["visibility"],
        version=str(snap["version"]),
        stage=stage,
    )
    if until:
        root.set("objections_until", until)
    for r in rows:
        el = ET.SubElement(root, "row")
        for col in COLUMNS:
            ET.SubElement(el, col).text = r[col]
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
    return Response(body, headers=headers, media_type="application/xml")
