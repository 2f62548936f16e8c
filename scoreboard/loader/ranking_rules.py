"""How a program rounds and ranks: the rounding stage, the key chain, standardisation."""

from __future__ import annotations

import enum
from typing import Any

from ..model import KeyKind, Program, Ranking, RankKey, RankMode, Spread, Stage, Standardisation
from ..numbers import ZERO
from .reader import MAX_PLACES, Problems, Reader


class StageName(enum.StrEnum):
    """The file's name of each rounding stage (``rounding = "criterion"``)."""

    JUDGE = "judge"
    ASPECT = "aspect"
    CRITERION = "criterion"
    COMPONENT = "component"
    TOTAL = "total"

    @property
    def stage(self) -> Stage:
        return Stage[self.name]


def read_ranking(r: Reader, lower_is_better: bool) -> tuple[Ranking, str]:
    """The program's key chain and rank mode, and the path of its keys (for later checks)."""
    rr = Reader(r.data.get("ranking", {}), r.at("ranking"), r.p)
    rr.unknown({"keys", "mode", "tolerance", "tolerance_key"})
    tol = rr.num("tolerance")
    tol_key = rr.str("tolerance_key") or None
    keys = []
    raw_keys = rr.list("keys") or ["total asc" if lower_is_better else "total desc"]
    for i, text in enumerate(raw_keys):
        k = _rank_key(text, f"{rr.at('keys')}[{i}]", r.p)
        if k is not None:
            if tol is not None and (k.key == tol_key or (tol_key is None and i == 0)):
                k = RankKey(k.key, k.descending, tol)
            keys.append(k)
    ranking = Ranking(tuple(keys), rr.choice("mode", RankMode, RankMode.STANDARD))
    return ranking, rr.at("keys")


def _rank_key(text: Any, path: str, p: Problems) -> RankKey | None:
    if not isinstance(text, str) or len(text.split()) not in (1, 2):
        p.add(path, f'is {text!r}; write a key and a direction, like "total desc"')
        return None
    parts = text.split()
    key = parts[0]
    direction = parts[1] if len(parts) == 2 else "desc"
    if direction not in ("asc", "desc"):
        p.add(path, f'direction {direction!r} must be "asc" or "desc"')
    return RankKey(key, direction != "asc", None)


def check_rank_key(key: RankKey, prog: Program, path: str, p: Problems) -> None:
    """A key names something the program has: total, standardised, or one of its ids."""
    kind, _, ref = key.key.partition(":")
    known: dict[str, set[str] | None] = {
        KeyKind.TOTAL: None,
        KeyKind.STANDARDISED: None,
        KeyKind.COMPONENT: {c.id for c in prog.components},
        KeyKind.CRITERION: set(prog.criteria),
        KeyKind.ASPECT: set(prog.aspects),
    }
    ids = known.get(kind)
    if kind not in known:
        p.add(
            path,
            f"key {key.key!r} is unknown; use total, standardised, component:ID, criterion:ID or aspect:ID",
        )
    elif ids is not None and ref not in ids:
        p.add(path, f"{kind} {ref!r} is not in this program; known: {', '.join(sorted(ids))}")
    if kind == KeyKind.STANDARDISED and prog.standardisation is None:
        p.add(path, "ranks by standardised, but the program has no standardisation table")


def read_standardisation(r: Reader) -> Standardisation | None:
    if not r.has("standardisation"):
        return None
    sr = Reader(r.data["standardisation"], r.at("standardisation"), r.p)
    sr.unknown({"centre", "factor", "spread", "places"})
    text = sr.str("spread", "sd")
    spread = Spread.SD
    if text in tuple(Spread):
        spread = Spread(text)
    else:
        r.p.add(sr.at("spread"), f'is {text!r}; use "sd" or "mad"')
    return Standardisation(
        sr.num("centre", required=True) or ZERO,
        sr.num("factor", required=True) or ZERO,
        spread,
        sr.int("places", 0, low=0, high=MAX_PLACES),
    )
