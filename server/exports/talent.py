"""The talent list for the recruitment fair: award winners of official programs who consented
(``talent_consent`` in the competitor list), by occupation (program category, then program).

Only consenting competitors, only what the public board shows of them (name, delegation,
program, rank, award), and the verification code when certificates were made. Used by
``/talent`` and by ``scorecast export talent``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from scoreboard import Competition, Scoreboard, program_channel
from scoreboard.model import Name, Program

from .codes import code
from .state import is_official, program_state
from .words import award_name, both


@dataclass
class Talent:
    program: Program
    category: Name | None
    competitor: dict[str, Any]  # the public row's competitor
    delegation: Name | None
    rank: int | None
    award: str
    code: str | None  # the certificate's verification code, when there is a secret

    @property
    def award_name(self) -> Name:
        return award_name(self.award)


def talent(comp: Competition, board: Scoreboard, key: str | None) -> list[Talent]:
    """Consenting award winners of the official programs, by category then program order."""
    out = []
    order = {cid: i for i, cid in enumerate(comp.plan.categories)}
    for prog in comp.programs.values():
        if not is_official(program_state(board, prog.id)):
            continue
        view = board.view(program_channel(prog.id))
        cat = comp.plan.categories.get(prog.category) if prog.category else None
        for cid in view.order:
            row = view.rows[cid]
            who = prog.competitors[cid]
            if not who.talent_consent or not row.get("award"):
                continue
            deleg = comp.delegations.get(who.delegation) if who.delegation else None
            out.append(
                Talent(
                    program=prog,
                    category=cat.name if cat else None,
                    competitor=row["competitor"],
                    delegation=deleg.name if deleg else None,
                    rank=row.get("rank"),
                    award=row["award"],
                    code=code(key, comp.id, prog.id, cid) if key else None,
                )
            )
    n = len(order)
    out.sort(key=lambda t: order.get(t.program.category or "", n))
    return out


def write(path: Path, found: list[Talent], base_url: str | None, contact: str | None) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "talent"
    ws.append(
        [
            "类别 Category",
            "项目 Program",
            "姓名 Name",
            "代表队 Delegation",
            "名次 Rank",
            "奖项 Award",
            "核验码 Verification code",
            "核验 Verify",
        ]
    )
    for c in ws[1]:
        c.font = Font(bold=True)
    for t in found:
        url = f"{base_url.rstrip('/')}/verify/{t.code}" if base_url and t.code else ""
        ws.append(
            [
                both(t.category),
                both(t.program.name),
                both(t.competitor["name"]),
                both(t.delegation),
                t.rank,
                both(t.award_name),
                t.code or "",
                url,
            ]
        )
    if contact:
        ws.append([])
        ws.append(["联系组委会 Contact the organizer", contact])
    for col, width in zip("ABCDEFGH", (18, 24, 24, 18, 8, 18, 18, 44), strict=True):
        ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
