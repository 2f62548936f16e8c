"""``scorecast lifecycle``: every step of the way to official results, for scripts.

Each action sends one frame over ``/ws/judge`` with the given credential and prints the
hub's answer (exit 0 accepted, 1 refused: the code and the message that names the fix);
``status`` reads ``GET /judge/api/lifecycle/{program}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

from websockets.asyncio.client import connect

ACTIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = {
    # action: (frame type, positional fields, options, help)
    "review": ("stage", ("program",), (), "chief: enter review (复核); the hub draws the set"),
    "publish": ("stage", ("program",), (), "chief: enter 公示; objections open for the window"),
    "reopen": ("stage", ("program",), ("reason",), "chief: back from review to marking"),
    "override": ("override", ("program", "gate"), ("reason",), "chief: pass a gate not met"),
    "confirm": ("override_confirm", ("program", "gate"), (), "supervisor: confirm an override"),
    # 解密 (issue 15): the same two steps as an override, gate "decrypt"; the desk sends the same
    "decrypt": ("override", ("program",), ("note",), "chief: ask to decrypt (解密) after review"),
    "confirm-decrypt": ("override_confirm", ("program",), (), "supervisor: confirm the 解密"),
    "reviewed": ("reviewed", ("program", "competitor"), (), "reviewer: competitor re-checked"),
    "correct": (
        "correct",
        ("program", "competitor", "aspect", "judge", "value"),
        ("reason", "appeal"),
        "reviewer (in review) or chief (upheld appeal): correct a judge's mark",
    ),
    "appeal": ("appeal", ("program", "competitor"), ("text", "aspect"), "leader: file an appeal"),
    "rule": ("ruling", ("program", "appeal", "ruling"), ("reason",), "arbitrator: rule"),
}
STAGES = {"review": "review", "publish": "publication", "reopen": "marking"}
REQUIRED = {"reason", "text"}


def configure(sub: Any) -> None:
    p = sub.add_parser(
        "lifecycle", help="review, 公示, overrides, reviews, appeals, rulings (docs/organizers.md)"
    )
    p.add_argument(
        "--hub",
        default=os.environ.get("SCORECAST_HUB", "http://127.0.0.1:8000"),
        help="the hub's address (env SCORECAST_HUB)",
    )
    p.add_argument(
        "--token",
        default=os.environ.get("SCORECAST_TOKEN"),
        help="your credential (env SCORECAST_TOKEN)",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="the stage, the next gate and what it is missing")
    status.add_argument("program")
    status.add_argument("--json", action="store_true", help="the whole report as JSON")
    for name, (_kind, fields, options, text) in ACTIONS.items():
        a = actions.add_parser(name, help=text)
        for f in fields:
            a.add_argument(f)
        for o in options:
            a.add_argument(f"--{o}", required=o in REQUIRED)


def run(args: argparse.Namespace) -> int:
    if not args.token:
        raise SystemExit("give your credential with --token T (or SCORECAST_TOKEN)")
    base = args.hub.rstrip("/")
    if args.action == "status":
        return status(base, args)
    kind, fields, options, _ = ACTIONS[args.action]
    frame: dict[str, Any] = {"type": kind, "id": f"cli-{uuid.uuid4().hex[:12]}"}
    for f in fields + options:
        if getattr(args, f, None) is not None:
            frame[f] = getattr(args, f)
    if kind == "stage":
        frame["stage"] = STAGES[args.action]
    if args.action in ("decrypt", "confirm-decrypt"):
        frame["gate"] = "decrypt"
        if args.action == "decrypt":
            frame["reason"] = frame.pop("note", None) or ""
    answer = asyncio.run(send(base, args.token, frame))
    if answer.get("type") == "ack":
        print(f"accepted: {args.action} (ledger seq {answer.get('seq')})")
        return 0
    print(f"refused: {answer.get('code')}: {answer.get('message')}", file=sys.stderr)
    return 1


def ws_url(base: str) -> str:
    for http, ws in (("https://", "wss://"), ("http://", "ws://")):
        if base.startswith(http):
            return ws + base[len(http) :] + "/ws/judge"
    return base + "/ws/judge"


def http_url(base: str) -> str:
    for ws, http in (("wss://", "https://"), ("ws://", "http://")):
        if base.startswith(ws):
            return http + base[len(ws) :]
    return base


async def send(base: str, token: str, frame: dict[str, Any]) -> dict[str, Any]:
    async with connect(ws_url(base), subprotocols=["scorecast.json"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "auth", "token": token, "device": "scorecast-cli"}))
        welcome = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if welcome.get("type") != "welcome":
            return dict(welcome)
        await ws.send(json.dumps(frame, ensure_ascii=False))
        while True:
            answer = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if answer.get("id") == frame["id"]:
                return dict(answer)


def status(base: str, args: argparse.Namespace) -> int:
    req = urllib.request.Request(
        f"{http_url(base)}/judge/api/lifecycle/{args.program}",
        headers={"Authorization": f"Bearer {args.token}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            data = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.loads(e.read() or b"{}").get("error", {})
        print(f"refused: {body.get('code')}: {body.get('message')}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(describe(data))
    return 0


def describe(data: dict[str, Any]) -> str:
    lines = [f"{data['program']}: {data['stage']}"]
    if data.get("objections_until"):
        lines.append(f"  objections until (ms since the epoch): {data['objections_until']}")
    g = data.get("gate")
    if g:
        lines.append(f"  {g['gate']} gate: {'met' if g['met'] else g['summary']}")
        for m in g["marks"]:
            who = ", ".join(m["judges"]) or "-"
            lines.append(
                f"    bib {m['bib']} {m['aspect']}: {m['have']} of {m['need']} marks ({who})"
            )
        for s in g["signoffs"]:
            lines.append(f"    bib {s['bib']}: no sign-off by {s['judge']}")
        for r in g["reviews"]:
            lines.append(f"    bib {r['bib']}: not reviewed")
    fair = data.get("fair") or {}
    if fair.get("anonymous"):
        lines.append("  encrypted: codes until decryption" if fair["encrypted"] else "  decrypted")
    for gate, o in data.get("overrides", {}).get("pending", {}).items():
        what = "decryption" if gate == "decrypt" else f"override of {gate}"
        lines.append(f"  {what} by {o['chief']} waits for a supervisor: {o['reason']}")
    rv = data.get("review")
    if rv:
        lines.append(
            f"  review: {len(rv['reviewed'])} reviewed, {len(rv['corrected'])} corrected, "
            f"error rate {rv['error_rate']} (threshold {rv['threshold']})"
            + (", extended to every competitor" if rv["full"] else "")
        )
    for a in data.get("appeals", []):
        state = a["ruling"] or "open"
        lines.append(f"  appeal {a['id']} on {a['competitor']} by {a['author']}: {state}")
    return "\n".join(lines)
