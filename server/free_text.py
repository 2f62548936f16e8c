"""What people typed, as a masked reader may see it before decryption (issue 15).

Reasons (of a lock, an unlock, a status, a stage, an override, a redraw, a correction, a
ruling), notes (of a decryption), texts (of an appeal) and sheet references (双人录入) are free
text: the chief who types "redo 焊工703's seam" would send a name to every masked socket. The
leak checks of the jury channel, the lifecycle report and the history look at the fields that
name competitors, not at marks and totals (with bibs 1, 2, … a mark of 1 would look like a bib
and every frame would be withheld); free text is looked at here instead, and fails closed on its
own: a text in which a competitor's id, bib or name, or a competitor's delegation, of two
characters or more stands as a whole word becomes ``WITHHELD`` (and a warning is logged), the
rest of the frame goes out. A code of a layer the reader sees is no leak (``03`` is the
workstation the chief sees); one of a layer the reader does not see (``hidden``: the
workstation numbers, for a judge of the second code) is withheld like a name. One
character is not matched: bib 3 in "3 marks re-read" cannot be told from the number, so a
one-character bib or name typed in free text is not caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from scoreboard.model import Program

from .logs import log

FREE_TEXT = frozenset({"reason", "text", "note", "sheet", "sheets", "comment"})
WITHHELD = "[withheld until decryption]"
SHORTEST = 2  # a word of one character is not matched in free text


class FreeText:
    """One program's free text for masked readers: what names a competitor is withheld."""

    def __init__(
        self, prog: Program, shown: Iterable[str] = (), hidden: Iterable[str] = ()
    ) -> None:
        self.program = prog.id
        words = {w for c in prog.competitors.values() for w in (c.id, c.bib, *c.name.values())}
        words |= {c.delegation for c in prog.competitors.values() if c.delegation}
        words = {w for w in words if len(w) >= SHORTEST} - set(shown)  # codes the reader sees
        # the codes of a layer the reader does not see: "lock 05: re-check" read by a judge of
        # the second code under that work's code would pair the two (the chief types the desk's)
        words |= {w for w in hidden if len(w) >= SHORTEST}
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.words = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{pattern})(?![0-9A-Za-z])") if pattern else None
        )

    def clean(self, text: str, field: str) -> str:
        if self.words is None or not self.words.search(text):
            return text
        log("anonymity.free_text_withheld", program=self.program, field=field)
        return WITHHELD

    def fields(self, value: dict[str, Any]) -> dict[str, Any]:
        """An object with every free-text field (``FREE_TEXT``, at any depth) cleaned."""
        return {k: self.scrub(v, k if k in FREE_TEXT else "") for k, v in value.items()}

    def scrub(self, value: Any, field: str = "") -> Any:
        """``value`` with every free-text field (``FREE_TEXT``, at any depth) cleaned."""
        if isinstance(value, dict):
            return {k: self.scrub(v, k if k in FREE_TEXT else field) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v, field) for v in value]
        if field and isinstance(value, str):
            return self.clean(value, field)
        return value
