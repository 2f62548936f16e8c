"""One competitor's leaderboard row, as an audience may see it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import lcm
from typing import Any

from ..model import AgreementAction, Aspect, Lifecycle, Status, Visibility
from ..numbers import fmt, fmt_ratio
from ..program import Mark, ProgramState, Standing
from ..program.entries import pending
from ..scoring import AspectState
from ..totals import Result
from ..views import Row
from .channels import JURY

# the fields a frozen board compares with the live one to mark a row "pending"
RESULT_FIELDS = (
    "rank",
    "total",
    "criteria",
    "components",
    "rounds",
    "standardised",
    "status",
    "provisional",
)
STATUS_TEXT = {s: s.value for s in Status}


def results_differ(a: Row, b: Row) -> bool:
    return any(a.get(k) != b.get(k) for k in RESULT_FIELDS)


@dataclass(frozen=True)
class Printed:
    """A result's values as printed on a row."""

    total: str | None
    criteria: dict[str, str]
    components: dict[str, str]
    rounds: dict[str, str]


def printed(
    state: ProgramState,
    res: Result,
    scored: bool,
    before: Printed | None = None,
    was: Result | None = None,
) -> Printed:
    """A result's values as printed on a row (blank when there is no score to show). With the
    previous result ``was`` and how it printed (``before``), values ``res`` took over unchanged
    (the same objects) keep their printed text."""
    places = state.program.value_places
    if not scored:
        return Printed(None, {}, {}, {})
    if before is None or was is None:
        criteria = {k: fmt(v, places) for k, v in res.criteria.items()}
    else:
        old = was.criteria
        criteria = {
            k: before.criteria[k] if old.get(k) is v and k in before.criteria else fmt(v, places)
            for k, v in res.criteria.items()
        }
    return Printed(
        fmt(res.total, places),
        criteria,
        {k: fmt(v, places) for k, v in res.components.items()},
        {k: fmt(v, places) for k, v in res.rounds.items()},
    )


# what ``live_agreement`` gave, by (program, aspect, the entries in the panel's order): the
# entries' values decide it, and a panel's few values repeat across the field
Agreements = dict[tuple[str, str, tuple[str, ...]], tuple[str | None, bool]]


def aspect_entry(
    state: ProgramState, cid: str, aid: str, agreements: Agreements | None = None
) -> dict[str, Any]:
    ar = state.results[cid].aspects.get(aid)
    marks = state.marks[cid][aid]
    shown = {j: m.value for j, m in marks.items()}
    if len(marks) < 2:
        spread, beyond = None, False
    elif agreements is None:
        spread, beyond = live_agreement(state.program.aspects[aid], marks)
    else:
        key = (state.program.id, aid, tuple(shown.values()))
        got = agreements.get(key)
        if got is None:
            if len(agreements) > 100_000:
                agreements.clear()
            got = agreements[key] = live_agreement(state.program.aspects[aid], marks)
        spread, beyond = got
    return {
        "value": fmt(ar.value, state.program.aspect_places(aid))
        if ar is not None and ar.value is not None
        else None,
        "state": ar.state if ar is not None else AspectState.PENDING,
        "marks": shown,
        "spread": spread,
        "disagreement": beyond,
    }


@lru_cache(maxsize=1024)
def _step_places(step: Fraction) -> int:
    """The decimals a step prints with (0.5 → 1; at most 9)."""
    return next((p for p in range(10) if (step * 10**p).denominator == 1), 9)


def live_agreement(aspect: Aspect, marks: dict[str, Mark]) -> tuple[str | None, bool]:
    """The spread of the entries so far (on the judges' raw scores, scoring.md §9.5), as the
    entries print, and whether it is beyond the tolerance already: the jury is alerted as
    soon as two entries disagree, while holding or falling back waits for the complete
    panel (§9.5). A complete panel that fell back to the mean alerts no more."""
    if len(marks) < 2:
        return None, False
    # the spread in whole numbers over the entries' common denominator (exact, and without
    # a Fraction comparison per entry)
    den = 1
    pairs = [m.raw.as_integer_ratio() for m in marks.values()]  # (two properties: one call)
    for _, d in pairs:
        if den % d:
            den = lcm(den, d)
    ints = [n * (den // d) for n, d in pairs]
    width = max(ints) - min(ints)  # the spread is width / den
    places = _step_places(aspect.step)
    rule = aspect.agreement
    beyond = False
    if rule is not None:
        tolerance = rule.tolerance
        beyond = width * tolerance.denominator > tolerance.numerator * den
        if beyond and rule.action is not AgreementAction.HOLD:
            beyond = len(marks) < aspect.panel
    return fmt_ratio(width, den, places), beyond


def jury_aspects(
    state: ProgramState, cid: str, agreements: Agreements | None = None
) -> dict[str, dict[str, Any]]:
    """Every marked aspect of a competitor: its value, state and each judge's mark."""
    return {aid: aspect_entry(state, cid, aid, agreements) for aid in state.marks[cid]}


def make_row(
    state: ProgramState,
    cid: str,
    audience: str,
    shown: Printed,
    competitor: dict[str, object],
    aspects: dict[str, dict[str, Any]] | None,
    locked: list[str] | None = None,
    signed_off: list[str] | None = None,
) -> Row:
    """The row; the jury's also has ``aspects``, and the locks and sign-offs (made from the
    state unless given)."""
    res = state.results[cid]
    st = state.standings[cid]
    status = state.statuses[cid]
    placing = st.placing
    row: Row = {
        "rank": placing.rank if placing else None,
        "competitor": competitor,
        "total": shown.total,
        "status": STATUS_TEXT[status],
        # §9.12-13; a result in review, 公示 or final is not provisional any more
        "provisional": res.provisional
        if status is Status.OK and state.lifecycle.stage is Lifecycle.MARKING
        else False,
        "criteria": shown.criteria,
    }
    _add_standing(row, state, shown, st)
    jury = audience == JURY
    if jury or state.visibility is Visibility.PUBLISHED:
        row["award"] = st.award
        if st.titles:
            row["titles"] = list(st.titles)
    if jury:
        row["aspects"] = aspects
        row["locked"] = (
            sorted(c or "*" for (x, c) in state.locks if x == cid) if locked is None else locked
        )
        row["signed_off"] = (
            sorted(j for (x, j) in state.signoffs if x == cid) if signed_off is None else signed_off
        )
        part = {j: sorted(x) for (c, j), x in state.signed_layers.items() if c == cid}
        if part:  # a judge of both layers who signed off one of them (program/layer_rule.py)
            row["signed_layers"] = part
        if state.entries:
            held = pending(state, cid)  # 双人录入: entries waiting or disagreeing
            if held:
                row["entries"] = held
    return row


def _add_standing(row: Row, state: ProgramState, shown: Printed, st: Standing) -> None:
    """The optional fields, in their order: components, rounds, standardised, ties, best."""
    prog = state.program
    if prog.components:
        row["components"] = shown.components
    if prog.rounds:
        row["rounds"] = shown.rounds
    if prog.standardisation is not None:
        row["standardised"] = (
            fmt(st.standardised, prog.standardisation.places)
            if st.standardised is not None
            else None
        )
    placing = st.placing
    if placing is not None:
        if placing.tied:
            row["tied"] = True
        if placing.unresolved:
            row["unresolved_tie"] = True
    if st.best_of_delegation:
        row["best_of_delegation"] = True


def restand(row: Row, st: Standing, std_places: int | None) -> Row | None:
    """``row`` with the standing ``st`` instead of its own, as ``make_row`` would make it with
    the same result, status and visibility; None when ``st`` adds or drops one of the row's
    optional fields (make the row anew then, keeping the fields' order); ``row`` itself when
    it shows ``st`` as it is (an award the public does not see, say)."""
    placing = st.placing
    if placing is None:
        rank, tied, unresolved = None, False, False
    else:
        rank, tied, unresolved = placing.rank, placing.tied, placing.unresolved
    shows_award = "award" in row
    titles = shows_award and bool(st.titles)
    if (
        ("tied" in row) is not tied
        or ("unresolved_tie" in row) is not unresolved
        or ("best_of_delegation" in row) is not st.best_of_delegation
        or ("titles" in row) is not titles
    ):
        return None
    if (
        std_places is None
        and not titles
        and row["rank"] == rank
        and (not shows_award or row["award"] == st.award)
    ):
        return row
    new = row.copy()
    new["rank"] = rank
    if std_places is not None:
        new["standardised"] = (
            fmt(st.standardised, std_places) if st.standardised is not None else None
        )
    if shows_award:
        new["award"] = st.award
        if titles:
            new["titles"] = list(st.titles)
    return new
