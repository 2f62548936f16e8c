"""The organizer's commands against a running hub (issue 13): ``POST /api/v1/amendments``.

    scorecast amend --hub URL --token T --competition F --reason TEXT
    scorecast add-judge --hub URL --token T --id J --name-zh 名 --assign welding:A,B --reason TEXT
    scorecast assign-judge --hub URL --token T --judge J --assign welding --reason TEXT
    scorecast correct-competitor --hub URL --token T --competitor welding-07 --name-zh 名 --reason TEXT
    scorecast set-status --hub URL --token T --program welding --competitor welding-07 --status DNS --reason TEXT

The token is an organizer's credential (``scorecast credentials``); ``SCORECAST_TOKEN`` may
hold it. A refusal prints the hub's code and message and exits 4; nothing changed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

REFUSED = 4
COMMANDS = ("add-judge", "assign-judge", "correct-competitor", "set-status")


def add_hub_options(p: argparse.ArgumentParser, required: bool = True) -> None:
    p.add_argument(
        "--hub", required=required, metavar="URL", help="the running hub, e.g. http://10.0.0.5:8000"
    )
    p.add_argument(
        "--token", default=None, help="an organizer's credential (or env SCORECAST_TOKEN)"
    )
    if required:
        p.add_argument("--reason", required=True, help="why (kept on the record)")


def configure(sub: Any) -> None:
    add = sub.add_parser(
        "add-judge", help="add a judge to a running hub and issue their credential"
    )
    add_hub_options(add)
    add.add_argument("--id", required=True, help="the new judge's id")
    add.add_argument("--name-zh", default=None)
    add.add_argument("--name-en", default=None)
    add.add_argument("--delegation", default=None, help="their delegation's code")
    add.add_argument("--role", default="judge", help="judge (default), chief, organizer, …")
    add.add_argument(
        "--assign",
        action="append",
        default=[],
        metavar="PROGRAM[:CRITERIA]",
        help="a program and optionally its criteria, e.g. welding:A,B (repeatable)",
    )
    assign = sub.add_parser("assign-judge", help="replace a judge's assignments on a running hub")
    add_hub_options(assign)
    assign.add_argument("--judge", required=True)
    assign.add_argument("--assign", action="append", default=[], metavar="PROGRAM[:CRITERIA]")
    fix = sub.add_parser(
        "correct-competitor", help="correct a competitor's name, delegation or bib"
    )
    add_hub_options(fix)
    fix.add_argument("--competitor", required=True, help="the competitor's id, e.g. welding-07")
    fix.add_argument("--name-zh", default=None)
    fix.add_argument("--name-en", default=None)
    fix.add_argument("--delegation", default=None)
    fix.add_argument("--bib", default=None)
    status = sub.add_parser("set-status", help="set a competitor's status (ok, DNS, DNF, DSQ)")
    add_hub_options(status)
    status.add_argument("--program", required=True)
    status.add_argument("--competitor", required=True)
    status.add_argument("--status", required=True, choices=["ok", "DNS", "DNF", "DSQ"])


def _assignments(specs: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for spec in specs:
        program, _, criteria = spec.partition(":")
        entry: dict[str, Any] = {"program": program}
        if criteria:
            entry["criteria"] = [c for c in criteria.split(",") if c]
        out.append(entry)
    return out


def _name(args: argparse.Namespace) -> dict[str, str] | None:
    name = {k: v for k, v in (("zh", args.name_zh), ("en", args.name_en)) if v}
    return name or None


def change_of(command: str, args: argparse.Namespace) -> dict[str, Any]:
    """The request body's change for ``command``."""
    if command == "add-judge":
        judge: dict[str, Any] = {
            "id": args.id,
            "role": args.role,
            "assignments": _assignments(args.assign),
        }
        if _name(args):
            judge["name"] = _name(args)
        if args.delegation:
            judge["delegation"] = args.delegation
        return {"add_judge": judge}
    if command == "assign-judge":
        return {"assign_judge": {"judge": args.judge, "assignments": _assignments(args.assign)}}
    if command == "correct-competitor":
        fields = {"name": _name(args), "delegation": args.delegation, "bib": args.bib}
        return {
            "correct_competitor": {
                "competitor": args.competitor,
                **{k: v for k, v in fields.items() if v},
            }
        }
    return {
        "set_status": {
            "program": args.program,
            "competitor": args.competitor,
            "status": args.status,
        }
    }


def post(hub: str, token: str | None, body: dict[str, Any]) -> int:
    """Send one amendment; print what the hub recorded, or its refusal."""
    token = token or os.environ.get("SCORECAST_TOKEN")
    if not token:
        print(
            "scorecast: give an organizer's credential with --token or SCORECAST_TOKEN",
            file=sys.stderr,
        )
        return 2
    request = urllib.request.Request(
        hub.rstrip("/") + "/api/v1/amendments",
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as e:
        try:
            error = json.loads(e.read())["error"]
            print(f"scorecast: refused ({error['code']}): {error['message']}", file=sys.stderr)
        except (ValueError, KeyError, TypeError):
            print(f"scorecast: the hub answered HTTP {e.code}", file=sys.stderr)
        return REFUSED if e.code in (400, 403, 409) else 1
    except (urllib.error.URLError, OSError) as e:
        print(f"scorecast: cannot reach the hub at {hub} ({e}); is it running?", file=sys.stderr)
        return 1
    print(f"recorded at seq {answer['seq']}: {answer['summary']}")
    for line in answer.get("changes", []):
        print(f"  {line}")
    if "credential" in answer:
        print(f"credential (shown once): {answer['credential']}")
    return 0


def run(command: str, args: argparse.Namespace) -> int:
    return post(args.hub, args.token, {"reason": args.reason, **change_of(command, args)})
