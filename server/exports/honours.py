"""Honours candidates (``scorecast export honours``): who the competition file's title and
promotion rules name, per official program, for the organizer to approve.

A rule names a competitor ranked within ``top`` (``team_top`` in a team program) or given one
of its ``awards``; eligibility (year of birth, tags) is checked and said, never silently
applied: the approver sees who was left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from scoreboard.event_plan import HonourRule
from scoreboard.model import Competitor, Program

from .record_index import Replayed
from .results import Line, Sheet, sheets
from .words import both


@dataclass
class Candidate:
    rule: HonourRule
    program: Program
    line: Line
    why: str  # what the rule matched: "rank 2 ≤ 5", "award gold"
    eligible: bool
    note: str  # why not eligible, or what to check


def matches(rule: HonourRule, prog: Program, line: Line) -> str | None:
    if rule.programs and prog.id not in rule.programs:
        return None
    top = rule.team_top if prog.team else rule.top
    if top is not None and line.rank is not None and line.rank <= top:
        return f"名次 rank {line.rank} ≤ {top}"
    if line.award and line.award in rule.awards:
        return f"奖项 award {both({'zh': line.award, 'en': line.award})}"
    return None


def eligibility(rule: HonourRule, who: Competitor) -> tuple[bool, str]:
    if rule.born_from is not None:
        if who.born is None:
            return False, f"出生年份未知 year of birth unknown (born {rule.born_from} or later)"
        if who.born < rule.born_from:
            return False, f"出生于 born {who.born} < {rule.born_from}"
    missing = [t for t in rule.tags if t not in who.tags]
    if missing:
        return False, "缺少条件 lacks " + ", ".join(missing)
    return True, ""


def candidates(rec: Replayed, program: str | None = None) -> tuple[list[Candidate], list[Sheet]]:
    """The candidates of the official programs, and the programs not official yet (skipped)."""
    out: list[Candidate] = []
    skipped = []
    for s in sheets(rec, program):
        if not s.is_official:
            skipped.append(s)
            continue
        for rule in rec.competition.plan.honours:
            for line in s.lines:
                why = matches(rule, s.program, line)
                if why is None or line.guest:
                    continue
                who = s.program.competitors[line.cid]
                ok, note = eligibility(rule, who)
                out.append(Candidate(rule, s.program, line, why, ok, note))
    return out, skipped


HEAD = [
    "项目 Program",
    "称号/晋升 Honour",
    "类型 Kind",
    "名次 Rank",
    "参赛号 Bib",
    "姓名 Name",
    "代表队 Delegation",
    "工作单位 Workplace",
    "奖项 Award",
    "依据 Matched",
    "符合条件 Eligible",
    "说明 Note",
    "审批 Approved",
]


def named(line: Line) -> str:
    """The candidate's name; a team's with its members, each of whom the honour would name."""
    if not line.members:
        return both(line.name)
    return f"{both(line.name)}（成员 members: {'、'.join(both(m) for m in line.members)}）"


def write(path: Path, found: list[Candidate], skipped: list[Sheet]) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "honours"
    ws.append(HEAD)
    for c in ws[1]:
        c.font = Font(bold=True)
    for c in found:
        who = c.program.competitors[c.line.cid]
        ws.append(
            [
                both(c.program.name),
                both(c.rule.title),
                {"title": "称号 title", "promotion": "晋升 promotion"}.get(
                    c.rule.kind, c.rule.kind
                ),
                c.line.rank,
                c.line.bib,
                named(c.line),
                both(c.line.delegation_name),
                who.workplace or "",
                both(c.line.award_name),
                c.why,
                "是 yes" if c.eligible else "否 no",
                c.note,
                "",
            ]
        )
    for col, width in zip(
        "ABCDEFGHIJKLM", (22, 18, 12, 8, 8, 22, 18, 22, 16, 18, 10, 36, 10), strict=True
    ):
        ws.column_dimensions[col].width = width
    if skipped:
        note = book.create_sheet("not-official")
        note.append(["未公布的项目（无候选人） Programs not official yet (no candidates)"])
        for s in skipped:
            note.append([s.program.id, both(s.program.name), " / ".join(s.state_words)])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
