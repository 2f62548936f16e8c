"""``scorecast draw``: run a program's draw (抽签) on a running hub, print and save its list.

    scorecast draw --hub http://hub:8000 --token CHIEF --program weld --seed-input 4729
    scorecast draw … --program weld --seed-input 1183 --reason "a competitor withdrew"
    scorecast draw … --program weld --out draw.html --lang zh      (the recorded draw, printable)

Without ``--seed-input`` it shows the recorded draw and draws nothing. The chief draws; for an
anonymous program before decryption only a supervisor's or the organizer's credential reads the
list with names (the chief's answer is sealed: ``server/draw_api.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import jinja2

from .hub_request import call_hub

TEMPLATES = Path(__file__).resolve().parent / "templates"
WORDS = {
    "zh": {
        "title": "抽签结果确认表", "workstation": "工位号", "bib": "参赛号", "name": "选手",
        "delegation": "代表队", "order": "评分顺序", "code": "二次加密号", "confirm": "选手确认签字",
        "seed_input": "抽签输入值", "head": "账本位置与哈希", "seq": "抽签事件序号",
        "reason": "重新抽签原因", "recipe": "算法", "chief": "裁判长签字",
        "supervisor": "监督员签字", "date": "日期",
    },
    "en": {
        "title": "Draw list for confirmation", "workstation": "Workstation", "bib": "Bib",
        "name": "Competitor", "delegation": "Delegation", "order": "Marking order",
        "code": "Second code", "confirm": "Competitor's signature", "seed_input": "Seed input",
        "head": "Ledger position and hash", "seq": "Draw event seq", "reason": "Reason for the redraw",
        "recipe": "Recipe", "chief": "Chief expert", "supervisor": "Supervisor", "date": "Date",
    },
}  # fmt: skip

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(("html",))
)


def render(draw: dict[str, Any], lang: str = "zh", with_codes: bool = False) -> str:
    """The printable draw list (HTML, A4 print stylesheet) in ``lang`` (zh or en)."""
    return env.get_template("draw_list.html").render(
        d=draw, t=WORDS[lang], lang=lang, with_codes=with_codes
    )


def configure(sub: Any) -> None:
    p = sub.add_parser("draw", help="run a program's draw (抽签) on a running hub; print its list")
    p.add_argument("--hub", default=os.environ.get("SCORECAST_HUB", "http://127.0.0.1:8000"))
    p.add_argument(
        "--token",
        default=os.environ.get("SCORECAST_TOKEN"),
        help="the chief's credential (to draw); a supervisor's reads the list of an anonymous program",
    )
    p.add_argument("--program", required=True)
    p.add_argument("--seed-input", default=None, help="the value entered at the draw")
    p.add_argument("--reason", default="", help="why: needed for a redraw")
    p.add_argument("--out", default=None, metavar="FILE.html", help="write the printable list")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--codes", action="store_true", help="also print the second-layer codes")


def call(args: argparse.Namespace) -> dict[str, Any]:
    base = args.hub.replace("ws://", "http://").replace("wss://", "https://").rstrip("/")
    body = None
    if args.seed_input is not None:
        body = {"seed_input": args.seed_input, "reason": args.reason}
    answer: dict[str, Any] = call_hub(
        f"{base}/judge/api/draw/{args.program}", args.token, body, who="scorecast draw"
    )
    return answer


def run(args: argparse.Namespace) -> int:
    if not args.token:
        raise SystemExit(
            "scorecast draw: give the chief's credential with --token (or SCORECAST_TOKEN)"
        )
    d = call(args)
    lang = args.lang
    print(
        f"# {d['program']}: draw {d['draws']}, seed input {d['seed_input']!r}, "
        f"head {d['head_seq']} {d['head_hash']}" + (f", seq {d['seq']}" if d.get("seq") else "")
    )
    if d.get("sealed"):
        print(
            f"# {d['workstations']} workstations drawn; the list is the key of an anonymous "
            "program: the supervisor prints it (scorecast draw --token SUPERVISOR --out FILE)"
        )
    for r in d["rows"]:
        code = f"\t{r['code']}" if args.codes else ""
        print(f"{r['workstation']}\t{r['bib']}\t{r['name'].get(lang, '')}\t{r['delegation'] or ''}"
              f"\t{r['order']}{code}")  # fmt: skip
    if args.out:
        Path(args.out).write_text(render(d, lang, args.codes), encoding="utf-8")
        print(f"# the printable list: {args.out}", file=sys.stderr)
    return 0
