"""The marking scheme as the judge side sees it: check a typed value before it is queued.

The hub checks every mark again (it is the authority); checking here gives the judge the
answer while typing, and works offline from the copy kept in the outbox.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .errors import InvalidEntry

PASS_WORDS = {"pass": 1, "fail": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def number(text: str) -> Fraction:
    """``"8.5"``, ``"17"`` or a fraction as the API writes steps (``"1/2"``)."""
    text = text.strip()
    if "/" in text:
        return Fraction(text)
    return Fraction(Decimal(text))


def show(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return format(Decimal(x.numerator) / Decimal(x.denominator), "f").rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Aspect:
    id: str
    type: str
    low: Fraction
    high: Fraction
    step: Fraction

    def check(self, value: str) -> str:
        """The value to send, or ``InvalidEntry`` with what to type instead."""
        text = value.strip().lower()
        if self.type == "measurement" and text in PASS_WORDS:
            return text
        try:
            x = Fraction(Decimal(text))
        except (InvalidOperation, ValueError):
            hint = 'enter "pass" or "fail"' if self.type == "measurement" else "enter a number"
            raise InvalidEntry(
                "invalid_value", f"{value!r} is not a valid mark for {self.id}; {hint}"
            ) from None
        if x < self.low or x > self.high:
            raise InvalidEntry(
                "out_of_range",
                f"{value} is out of range for {self.id}; enter a value from "
                f"{show(self.low)} to {show(self.high)}",
            )
        if self.step and (x - self.low) % self.step:
            raise InvalidEntry(
                "off_step",
                f"{value} is not on the step of {self.id}; use steps of "
                f"{show(self.step)} from {show(self.low)}",
            )
        return value.strip()

    def hint(self) -> str:
        if self.type == "measurement":
            return "pass/fail"
        step = "" if self.step == 1 else f" step {show(self.step)}"
        return f"{show(self.low)}–{show(self.high)}{step}"


@dataclass
class Program:
    id: str
    aspects: dict[str, Aspect]
    competitors: dict[str, str]  # id → id, and bib → id

    @classmethod
    def from_api(cls, program: dict[str, Any], competitors: list[dict[str, Any]]) -> Program:
        aspects = {}
        for criterion in program["criteria"]:
            for a in criterion["aspects"]:
                aspects[a["id"]] = Aspect(
                    a["id"], a["type"], number(a["min"]), number(a["high"]), number(a["step"])
                )
        ids: dict[str, str] = {}
        for c in competitors:
            ids[str(c["bib"])] = c["id"]
        for c in competitors:
            ids[c["id"]] = c["id"]
        return cls(program["id"], aspects, ids)

    def competitor(self, text: str) -> str:
        cid = self.competitors.get(text.strip())
        if cid is None:
            raise InvalidEntry(
                "unknown_competitor",
                f"competitor {text!r} is not in program {self.id}; "
                "type the bib or the competitor id",
            )
        return cid

    def aspect(self, text: str) -> Aspect:
        a = self.aspects.get(text.strip())
        if a is None:
            raise InvalidEntry(
                "unknown_aspect",
                f"aspect {text!r} is not in program {self.id}; use one of "
                f"{', '.join(self.aspects)}",
            )
        return a


def fetch(
    http_base: str, program: str, timeout: float = 5.0, token: str | None = None
) -> dict[str, Any]:
    """The scheme and competitors of ``program`` from the hub's read-only API. With the
    judge's ``token``, an anonymous program's competitors are the judge's codes
    (``/judge/api/me``): its start list (names) is never fetched."""

    def get(path: str, bearer: str | None = None) -> Any:
        req = urllib.request.Request(f"{http_base}{path}")
        if bearer:
            req.add_header("Authorization", f"Bearer {bearer}")
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 — the hub's URL
            return json.loads(r.read())

    scheme = get(f"/api/v1/programs/{program}")
    mine = get("/judge/api/me", token)["programs"].get(program, {}) if token else {}
    if mine.get("anonymous"):
        return {"program": scheme, "competitors": mine["competitors"]}
    return {"program": scheme, "competitors": get(f"/api/v1/programs/{program}/competitors")}
