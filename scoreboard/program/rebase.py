"""A program's state on an amended competition: what a replay of its events would give.

An amendment (issue 13) changes the competition in force; it is recorded only when it
invalidates none of the accepted events. A program whose definition it changed is rebuilt on
the new definition from what its state holds: the marks in force (in each panel's order, which
a single-value aspect depends on), then every other event it applied (sign-offs, locks,
statuses, visibility, …) in the order applied. That is what replaying the program's events on
the new definition gives: a later mark replaces an earlier one by the same judge, a withdrawal
removes it, and the procedural events depend only on each other and on the marks being there.
"""

from __future__ import annotations

from ..events import DrawMade, MarkSubmitted
from ..model import Competition, Program
from .entries import entered
from .state import ProgramState


def rebased(state: ProgramState, program: Program, competition: Competition) -> ProgramState:
    """``state``'s events applied to ``program`` of ``competition``; raises ``EventRefused``
    (and leaves ``state`` as it was) when the new definition refuses one of them."""
    new = ProgramState(program, competition)
    draws = [e for e in state.procedure if isinstance(e, DrawMade)]
    for drawn in draws:  # a draw comes before any mark (its check refuses it after one)
        new.apply(drawn)
    emptied = False
    # the operators' entries (kept with the other events, in order) make the marks of the
    # aspects typed from paper again
    for cid, aspects in state.marks.items():
        for aid, panel in aspects.items():
            if entered(state.program, aid):
                continue
            if not panel:  # every mark withdrawn: scored as no marks, as the replay did
                new.marks[cid].setdefault(aid, {})
                new._rescore(cid, aid)
                emptied = True
            for judge, m in panel.items():
                new.apply(MarkSubmitted(m.event, program.id, cid, aid, judge, m.value, m.ts))
    if emptied:
        new.rank()
    for event in state.procedure:
        if not isinstance(event, DrawMade):
            new.apply(event)
    new.marks_applied = state.marks_applied  # marks replaced by a later one count too
    new.changed_standings = set()
    new.rank_moves = None
    return new
