"""Panels that can be filled: enough judges assigned to each aspect, and enough of them
eligible for each competitor when conflict of interest is on (scoring.md §3). A panel that
can never be complete would block marking for good, so the file is refused instead."""

from __future__ import annotations

from collections import Counter

from ..model import Aspect, Judge, Program, Role
from .reader import Problems

MAX_LISTED = 8  # aspects named in one message; the rest are counted


def check_panels(programs: dict[str, Program], judges: dict[str, Judge], p: Problems) -> None:
    """Everyone assigned counts, a chief too: the core takes a chief's mark (an ISU
    referee enters the deductions). A program without any judge is not checked."""
    for prog in programs.values():
        staff = [j for j in judges.values() if prog.id in j.programs()]
        # a program nobody is assigned to yet is not staffed, not unmarkable: an organizer
        # imports the marking scheme first and the judges after it (scorecast import)
        if prog.id and staff:
            _check_program(prog, staff, p)


def _check_program(prog: Program, judges: list[Judge], p: Problems) -> None:
    full: dict[str, tuple[Aspect, list[Judge]]] = {}  # aspects with enough judges
    for aspect in prog.aspects.values():
        assigned = [j for j in judges if j.assigned(prog.id, aspect)]
        if len(assigned) >= aspect.panel:
            full[aspect.id] = (aspect, assigned)
            continue
        who = f" ({_ids(assigned)})" if assigned else ""
        p.add(
            _aspect_path(prog, aspect),
            f"is {aspect.panel}, but {_judges(len(assigned))} assigned to aspect {aspect.id} "
            f"of {prog.id}{who}: it can never be marked; assign more judges or lower the panel",
        )
    if prog.conflict_of_interest:
        _check_conflicts(prog, full, p)
        if prog.anonymous:
            _check_both_layers(prog, judges, p)


def _check_conflicts(
    prog: Program, full: dict[str, tuple[Aspect, list[Judge]]], p: Problems
) -> None:
    """A competitor whom fewer judges than the panel may mark: those of the competitor's
    delegation may not (the same check as a mark's). One message per competitor."""
    by_delegation = {aid: Counter(j.delegation for j in js) for aid, (_, js) in full.items()}
    for comp in prog.competitors.values():
        d = comp.delegation
        if d is None:
            continue
        short = [
            aid
            for aid, (aspect, js) in full.items()
            if len(js) - by_delegation[aid][d] < aspect.panel
        ]
        if not short:
            continue
        aspect, js = full[short[0]]
        eligible = [j for j in js if j.delegation != d]
        names = ", ".join(short[:MAX_LISTED])
        if len(short) > MAX_LISTED:
            names += f" and {len(short) - MAX_LISTED} more"
        what = "aspect" if len(short) == 1 else "aspects"
        who = f" ({_ids(eligible)})" if eligible else ""
        p.add(
            f"programs[{prog.id}].competitors[{comp.bib}]",
            f"(from {d}) can never be marked on {what} {names} of {prog.id}: under conflict "
            f"of interest {_judges(len(eligible))} free to mark a competitor from {d}{who}, "
            f"and the panel of {short[0]} is {aspect.panel}; assign a judge of another "
            "delegation, or set conflict_of_interest = false",
        )


def _check_both_layers(prog: Program, judges: list[Judge], p: Problems) -> None:
    """A judge who marks both layers of a two-layer anonymous program under conflict of interest
    may not mark the codes of their own delegation's competitors on either layer: the two codes
    of each such competitor are the ones refused them, which pairs the workstation number with
    the second code before decryption (with one such competitor, exactly). Refused: each judge
    marks one layer."""
    delegations = {c.delegation for c in prog.competitors.values()}
    for j in judges:
        if j.role is not Role.JUDGE or j.delegation is None or j.delegation not in delegations:
            continue
        layers = {prog.layer(a.id) for a in prog.aspects.values() if j.assigned(prog.id, a)}
        if len(layers) > 1:
            p.add(
                f"judges[{j.id}].assignments",
                f"give {j.id} (from {j.delegation}) aspects of both layers of "
                f"{prog.id}, which is marked anonymously in two layers under conflict of "
                f"interest: the workstation number and the second code of a competitor from "
                f"{j.delegation}, which {j.id} may not mark, would be the two codes refused, "
                "and pair them before decryption; assign each judge the aspects of one layer "
                "(or set conflict_of_interest = false)",
            )


def check_entries(programs: dict[str, Program], judges: dict[str, Judge], p: Problems) -> None:
    """双人录入: every mark typed from paper (a ``double_entry`` program, or aspect) needs two
    data-entry operators who may type it (assigned to it, or with no assignments: every
    program); with fewer it could never enter the scoreboard. One message per program."""
    operators = [j for j in judges.values() if j.role is Role.OPERATOR]
    for prog in programs.values():
        typed = [a for a in prog.aspects.values() if prog.double_entry or a.double_entry]
        short = []
        for aspect in typed:
            may = [j for j in operators if not j.assignments or j.assigned(prog.id, aspect)]
            if len(may) < 2:
                short.append((aspect, may))
        if not short:
            continue
        aspect, may = short[0]
        names = ", ".join(a.id for a, _ in short[:MAX_LISTED])
        if len(short) > MAX_LISTED:
            names += f" and {len(short) - MAX_LISTED} more"
        path = (
            f"programs[{prog.id}].double_entry"
            if prog.double_entry
            else _aspect_path(prog, aspect).removesuffix(".panel") + ".double_entry"
        )
        who = f" ({_ids(may)})" if may else ""
        count = {0: "no data-entry operator", 1: "only 1 data-entry operator"}.get(len(may))
        p.add(
            path,
            f"types aspect(s) {names} of {prog.id} from paper sheets, but {count}{who} may type "
            f'them: two operators type each sheet; add judges with role = "operator" assigned '
            f"to {prog.id}, or remove double_entry",
        )


def _aspect_path(prog: Program, aspect: Aspect) -> str:
    return f"programs[{prog.id}].criteria[{aspect.criterion}].aspects[{aspect.id}].panel"


def _judges(n: int) -> str:
    return {0: "no judge is", 1: "only 1 judge is"}.get(n, f"only {n} judges are")


def _ids(judges: list[Judge]) -> str:
    return ", ".join(j.id for j in judges)
