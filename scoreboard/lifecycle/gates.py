"""The gates between lifecycle stages, and what each is missing.

Review needs every panel complete and every judge's sign-off (competitors who did not
start, finish or were disqualified need neither); 公示 needs the review finished: every
competitor of the review set (everyone, once the error rate passed the threshold) reviewed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..kinds import Role, Status
from ..model import Competition, Program
from ..scoring import AspectResult, AspectState
from ..totals import Result
from .record import LifecycleState

REVIEW = "review"
PUBLICATION = "publication"
GATES = (REVIEW, PUBLICATION)
LISTED = 200  # at most this many of each kind of missing item are listed
# the order a reader lists missing items in, before the cut: (competitor, aspect or judge) → key
# (a masked reader's codes: cut in bib order, the listed set would say which codes come first)
Order = Callable[[str, str], str]


class Marked(Protocol):
    """What the gates read of a program's state."""

    program: Program
    competition: Competition
    marks: dict[str, dict[str, dict[str, Any]]]  # cid → aid → judge → mark (``.value``)
    aspect_results: dict[str, dict[str, AspectResult]]
    results: dict[str, Result]
    statuses: dict[str, Status]
    signoffs: set[tuple[str, str]]
    signed_layers: dict[tuple[str, str], frozenset[str]]  # a judge of both layers: signed so far
    order: list[str]
    lifecycle: LifecycleState
    decrypted: bool


@dataclass(frozen=True)
class MissingMark:
    competitor: str
    aspect: str
    have: int
    need: int
    state: str  # pending | disagreement
    judges: tuple[str, ...]  # who could mark it and has not


@dataclass(frozen=True)
class Gate:
    name: str
    marks: tuple[MissingMark, ...] = ()
    signoffs: tuple[tuple[str, str], ...] = ()  # (competitor, judge)
    reviews: tuple[str, ...] = ()  # competitors not reviewed yet

    @property
    def met(self) -> bool:
        return not (self.marks or self.signoffs or self.reviews)

    def summary(self) -> str:
        parts = []
        if self.marks:
            parts.append(f"{len(self.marks)} panel(s) incomplete")
        if self.signoffs:
            parts.append(f"{len(self.signoffs)} sign-off(s) missing")
        if self.reviews:
            parts.append(f"{len(self.reviews)} competitor(s) not reviewed")
        return ", ".join(parts) or "nothing missing"

    def to_dict(self, program: Program, order: Order | None = None) -> dict[str, Any]:
        """The gate for a reader; ``order`` sorts each list before it is cut to ``LISTED``."""
        bib = {cid: c.bib for cid, c in program.competitors.items()}
        marks, signoffs, reviews = self.marks, self.signoffs, self.reviews
        if order is not None:  # stable: a competitor's items keep the scheme's order
            marks = tuple(sorted(marks, key=lambda m: order(m.competitor, m.aspect)))
            signoffs = tuple(sorted(signoffs, key=lambda s: order(*s)))
            reviews = tuple(sorted(reviews, key=lambda c: order(c, "")))
        return {
            "gate": self.name,
            "met": self.met,
            "summary": self.summary(),
            "counts": {
                "marks": len(self.marks),
                "signoffs": len(self.signoffs),
                "reviews": len(self.reviews),
            },
            "marks": [
                {
                    "competitor": m.competitor,
                    "bib": bib[m.competitor],
                    "aspect": m.aspect,
                    "have": m.have,
                    "need": m.need,
                    "state": m.state,
                    "judges": list(m.judges),
                }
                for m in marks[:LISTED]
            ],
            "signoffs": [
                {"competitor": c, "bib": bib[c], "judge": j} for c, j in signoffs[:LISTED]
            ],
            "reviews": [{"competitor": c, "bib": bib[c]} for c in reviews[:LISTED]],
        }


def review_gate(state: Marked) -> Gate:
    """Marking → review: every panel complete, every judge who marked a competitor signed off."""
    prog = state.program
    panels = {aid: _panel(state, aid) for aid in prog.aspects}
    marks: list[MissingMark] = []
    signoffs: list[tuple[str, str]] = []
    for cid in sorted(prog.competitors, key=lambda c: prog.competitors[c].bib.zfill(8)):
        aspects = _required(state, cid)
        if not aspects:
            continue
        deleg = prog.competitors[cid].delegation
        results = state.aspect_results[cid]
        marked = state.marks[cid]
        for aid in aspects:
            aspect = prog.aspects[aid]
            res = results.get(aid)
            if res is not None and res.state is AspectState.COMPLETE:
                continue
            panel = marked.get(aid, {})
            who = tuple(
                j
                for j, d in panels[aid]
                if j not in panel
                and not (prog.conflict_of_interest and d is not None and d == deleg)
            )
            state_text = res.state.value if res is not None else AspectState.PENDING.value
            marks.append(MissingMark(cid, aid, len(panel), aspect.panel, state_text, who))
        judges = sorted({j for a, panel in marked.items() if a in aspects for j in panel})
        ok = state.statuses[cid] is Status.OK
        signoffs.extend((cid, j) for j in judges if not _signed(state, cid, j, ok))
    return Gate(REVIEW, tuple(marks), tuple(signoffs))


def _required(state: Marked, cid: str) -> list[str]:
    """The aspects of ``cid`` the review gate waits for: all, of a competitor who is OK; of one
    who is not (DNS, DNF, DSQ), none, except in a masked two-layer program the aspects marked
    under another layer than the desk's. The status is set under the desk's code; taking the
    second-code work off the list then would say which code is that workstation's, so there it
    takes effect at decryption (as on the desk's code table)."""
    prog = state.program
    if state.statuses[cid] is Status.OK:
        return list(prog.aspects)
    if not prog.anonymous or state.decrypted:
        return []
    return [a for a in prog.aspects if prog.layer(a) is not prog.anonymous_layer]


def _signed(state: Marked, cid: str, judge: str, ok: bool) -> bool:
    """Whether ``judge`` signed off what the gate waits for of ``cid`` (of a competitor who is
    not OK: the second layer, which a judge of both layers may have signed alone)."""
    if (cid, judge) in state.signoffs:
        return True
    part = state.signed_layers.get((cid, judge), frozenset())
    desk = str(state.program.anonymous_layer)
    return not ok and any(x != desk for x in part)


def ranked(state: Marked) -> list[str]:
    """Competitors with a result in the field, in board order (who the review draws from)."""
    return [
        c for c in state.order if state.results[c].has_result and state.statuses[c] is Status.OK
    ]


def publication_gate(state: Marked) -> Gate:
    """Review → 公示: every competitor the review must cover has been reviewed."""
    lc = state.lifecycle
    todo = tuple(c for c in lc.members(ranked(state)) if c not in lc.reviewed)
    return Gate(PUBLICATION, reviews=todo)


def gate(state: Marked, name: str) -> Gate:
    return review_gate(state) if name == REVIEW else publication_gate(state)


def _panel(state: Marked, aid: str) -> list[tuple[str, str | None]]:
    """The judges (and their delegations) assigned to mark ``aid``: who is named missing."""
    prog = state.program
    aspect = prog.aspects[aid]
    judges = [j for j in state.competition.judges.values() if j.assigned(prog.id, aspect)]
    # a chief may mark too, but is named only when no judge is on the aspect
    named = [j for j in judges if j.role is Role.JUDGE] or [
        j for j in judges if j.role is Role.CHIEF
    ]
    return [(j.id, j.delegation) for j in named]
