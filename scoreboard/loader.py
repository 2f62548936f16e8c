"""Build a ``Competition`` from a competition file's data (docs/competition-format.md).

The caller parses the file (TOML or JSON) and passes the resulting dict: this
module does no I/O. Every problem found is collected and reported at once,
each naming its field path and the fix, e.g.
``programs[3].criteria[B].aspects sum to 19.50, criterion max is 20.00``.
"""

from __future__ import annotations

import builtins
import enum
from fractions import Fraction
from typing import Any

from .errors import CompetitionFileError
from .model import (
    Aggregation,
    Agreement,
    AgreementAction,
    Aspect,
    AspectType,
    Assignment,
    AwardRule,
    Band,
    Competition,
    Competitor,
    Component,
    Criterion,
    Delegation,
    Judge,
    MinField,
    Name,
    Program,
    Ranking,
    RankKey,
    RankMode,
    Role,
    Stage,
    Standardisation,
    Status,
    Visibility,
)
from .numbers import ZERO, fmt, is_multiple, parse_number

FORMAT_VERSION = 1
MAX_PLACES = 9  # decimals printed; official sheets use 0–3
AWARD_TYPES = ("medals", "bands", "counts", "threshold", "fraction", "title")


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path} {message}" if path else message)


class _Reader:
    """Typed reads from a dict, recording problems instead of raising."""

    def __init__(self, data: Any, path: str, problems: _Problems) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.path = path
        self.p = problems
        if not isinstance(data, dict):
            problems.add(path, f"expected a table of fields, found {type(data).__name__}")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def str(self, key: str, default: str | None = None, required: bool = False) -> str:
        v = self.data.get(key)
        if v is None:
            if required:
                self.p.add(self.at(key), "is missing; add it")
            return default or ""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str) or not v.strip():
            self.p.add(self.at(key), f"must be a non-empty string, found {v!r}")
            return default or ""
        return v.strip()

    def name(self, key: builtins.str = "name", fallback: builtins.str = "") -> Name:
        v = self.data.get(key)
        if v is None:
            return {"zh": fallback, "en": fallback}
        if isinstance(v, str):
            return {"zh": v, "en": v}
        if isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) and v:
            zh = v.get("zh") or v.get("en") or next(iter(v.values()))
            en = v.get("en") or zh
            return {**v, "zh": zh, "en": en}
        self.p.add(self.at(key), 'must be a string or {zh = "...", en = "..."}')
        return {"zh": fallback, "en": fallback}

    def num(
        self, key: builtins.str, default: Fraction | None = None, required: bool = False
    ) -> Fraction | None:
        v = self.data.get(key)
        if v is None:
            if required:
                self.p.add(self.at(key), 'is missing; write a number like "20.00"')
            return default
        try:
            return parse_number(v)
        except ValueError as e:
            self.p.add(self.at(key), str(e))
            return default

    def int(
        self, key: builtins.str, default: int, low: int | None = None, high: int | None = None
    ) -> int:
        v = self.data.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            self.p.add(self.at(key), f"must be a whole number, found {v!r}")
            return default
        if low is not None and v < low:
            self.p.add(self.at(key), f"must be at least {low}, found {v}")
            return default
        if high is not None and v > high:
            self.p.add(self.at(key), f"must be at most {high}, found {v}")
            return default
        return v

    def bool(self, key: builtins.str, default: bool) -> bool:
        v = self.data.get(key, default)
        if not isinstance(v, bool):
            self.p.add(self.at(key), f"must be true or false, found {v!r}")
            return default
        return v

    def list(self, key: builtins.str) -> list[Any]:
        v = self.data.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.p.add(self.at(key), f"must be a list, found {type(v).__name__}")
            return []
        return v

    def strs(self, key: builtins.str) -> tuple[builtins.str, ...] | None:
        v = self.data.get(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.p.add(self.at(key), 'must be a list of strings, like ["A", "B"]')
            return None
        return tuple(v)

    def choice(self, key: builtins.str, enum_type: Any, default: Any) -> Any:
        v = self.data.get(key)
        if v is None:
            return default
        try:
            return enum_type(v)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum_type)
            self.p.add(self.at(key), f"is {v!r}; use one of {allowed}")
            return default

    def unknown(self, allowed: set[builtins.str]) -> None:
        for k in self.data:
            if k not in allowed:
                self.p.add(
                    self.at(k), f"is not a known field; allowed here: {', '.join(sorted(allowed))}"
                )


def _index(items: list[Any], path: str, key: str, problems: _Problems) -> list[tuple[str, Any]]:
    """Pair each item with its path ``path[i]``, and report duplicate ids."""
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        if isinstance(item, dict):
            ident = item.get(key)
            if isinstance(ident, (str, int)) and not isinstance(ident, bool):
                if str(ident) in seen:
                    problems.add(p, f"{key} {ident!r} is used twice; ids must be unique")
                seen.add(str(ident))
        out.append((p, item))
    return out


ASPECT_FIELDS = {
    "id",
    "name",
    "type",
    "max",
    "min",
    "step",
    "range",
    "panel",
    "aggregation",
    "trim",
    "agreement",
    "multiplier",
    "round_panel_first",
    "counts",
    "scale",
    "per_error",
    "per_unit",
    "cap",
    "nominal",
    "bands",
    "description",
    "descriptions",
}


def _aspect(r: _Reader, criterion: str, places: int) -> Aspect:
    r.unknown(ASPECT_FIELDS)
    aid = r.str("id", required=True)
    atype: AspectType = r.choice("type", AspectType, None)
    if atype is None:
        if not r.has("type"):  # a wrong type is reported by choice() already
            r.p.add(
                r.at("type"), "is missing; use one of " + ", ".join(t.value for t in AspectType)
            )
        atype = AspectType.SCORE
    mx = r.num("max")
    panel = r.int("panel", 1, low=1)
    default_agg = Aggregation.SINGLE if panel == 1 else Aggregation.MEAN
    agg: Aggregation = r.choice("aggregation", Aggregation, default_agg)
    trim = r.int("trim", 1 if agg in (Aggregation.TRIMMED, Aggregation.MIDDLE_SUM) else 0, low=0)
    if agg in (Aggregation.TRIMMED, Aggregation.MIDDLE_SUM) and panel <= 2 * trim:
        r.p.add(
            r.at("trim"),
            f"drops {2 * trim} of {panel} marks; a panel of {panel} needs trim < {panel / 2:g}",
        )
    if agg is Aggregation.SINGLE and panel != 1:
        r.p.add(
            r.at("aggregation"), f"single needs panel = 1 (the agreed value), found panel = {panel}"
        )
    scale = r.int("scale", 3, low=1)
    step = r.num("step")
    if step is not None and step <= 0:
        r.p.add(r.at("step"), "must be greater than 0")
        step = None
    low = r.num("min")
    high: Fraction | None = None
    rng = r.data.get("range")
    if rng is not None:
        try:
            low, high = (parse_number(x) for x in rng)
        except (TypeError, ValueError):
            r.p.add(r.at("range"), 'must be two numbers, like ["0", "10"]')
    per_unit = r.num("per_error") if atype is AspectType.DEDUCTION else r.num("per_unit")
    cap = r.num("cap")
    nominal = r.num("nominal")
    bands: list[Band] = []
    needs_max = atype not in (AspectType.TIME, AspectType.PENALTY, AspectType.SCORE)
    if needs_max and mx is None:
        r.p.add(r.at("max"), f"is missing; a {atype.value} aspect needs the points it is worth")
    if atype is AspectType.JUDGEMENT:
        low, high, step = ZERO, Fraction(scale), Fraction(1)
    elif atype is AspectType.MEASUREMENT:
        low, high, step = ZERO, Fraction(1), Fraction(1)
    elif atype in (AspectType.DEDUCTION, AspectType.PENALTY):
        if per_unit is None:
            key = "per_error" if atype is AspectType.DEDUCTION else "per_unit"
            r.p.add(r.at(key), "is missing; say what one error or count is worth")
        low, step = ZERO, Fraction(1)
        high = high if high is not None else Fraction(1000)
    elif atype is AspectType.BANDED:
        for i, b in enumerate(r.list("bands")):
            br = _Reader(b, f"{r.at('bands')}[{i}]", r.p)
            br.unknown({"within", "points"})
            w, pts = br.num("within", required=True), br.num("points", required=True)
            if w is not None and pts is not None:
                bands.append(Band(w, pts))
        if not bands:
            r.p.add(
                r.at("bands"),
                'is missing; list tolerance bands like [{within = "0.10", points = "1.00"}]',
            )
        step = step or Fraction(1, 1000)
        low = low if low is not None else Fraction(-(10**9))
        high = high if high is not None else Fraction(10**9)
    else:  # score, time
        if low is None or high is None:
            what = "seconds" if atype is AspectType.TIME else "marks"
            r.p.add(
                r.at("range"),
                f'is missing; give the {what} a judge may enter, like range = ["0", "10"]',
            )
            low, high = low or ZERO, high or Fraction(10)
        step = step or Fraction(1, 100)
        if atype is AspectType.SCORE and mx is None:
            mx = high
    if low is not None and high is not None and low > high:
        r.p.add(r.at("range"), f"starts above its end ({fmt(low, 2)} > {fmt(high, 2)})")
    agreement = None
    if r.has("agreement"):
        ar = _Reader(r.data["agreement"], r.at("agreement"), r.p)
        ar.unknown({"tolerance", "action"})
        tol = ar.num("tolerance", required=True) or ZERO
        agreement = Agreement(tol, ar.choice("action", AgreementAction, AgreementAction.HOLD))
    return Aspect(
        id=aid,
        name=r.name(fallback=aid),
        type=atype,
        criterion=criterion,
        max=mx,
        low=low if low is not None else ZERO,
        high=high if high is not None else ZERO,
        step=step or Fraction(1),
        panel=panel,
        aggregation=agg,
        trim=trim,
        agreement=agreement,
        multiplier=_one_if_none(r.num("multiplier", Fraction(1))),
        round_panel_first=r.bool("round_panel_first", False),
        counts=r.bool("counts", True),
        scale=scale,
        per_unit=per_unit or ZERO,
        cap=cap,
        nominal=nominal,
        bands=tuple(sorted(bands, key=lambda b: b.within)),
        description=r.name("description") if r.has("description") else None,
        descriptions=_descriptions(r, atype, scale),
    )


def _descriptions(r: _Reader, atype: AspectType, scale: int) -> tuple[Name, ...]:
    """Judgement: one text per score 0..scale (WorldSkills: what 0, 1, 2 and 3 mean)."""
    items = r.list("descriptions")
    if items and atype is not AspectType.JUDGEMENT:
        r.p.add(r.at("descriptions"), "is only used by judgement aspects; remove it")
    elif items and len(items) != scale + 1:
        r.p.add(
            r.at("descriptions"),
            f"has {len(items)} texts; give one per score 0..{scale} ({scale + 1} texts)",
        )
    return tuple(
        _Reader({"name": d}, f"{r.at('descriptions')}[{i}]", r.p).name()
        for i, d in enumerate(items)
    )


def _rank_key(text: Any, path: str, p: _Problems, tolerance: Fraction | None) -> RankKey | None:
    if not isinstance(text, str) or len(text.split()) not in (1, 2):
        p.add(path, f'is {text!r}; write a key and a direction, like "total desc"')
        return None
    parts = text.split()
    key = parts[0]
    direction = parts[1] if len(parts) == 2 else "desc"
    if direction not in ("asc", "desc"):
        p.add(path, f'direction {direction!r} must be "asc" or "desc"')
    return RankKey(key, direction != "asc", tolerance)


def _check_rank_key(key: RankKey, prog: Program, path: str, p: _Problems) -> None:
    kind, _, ref = key.key.partition(":")
    known = {
        "total": None,
        "standardised": None,
        "component": {c.id for c in prog.components},
        "criterion": set(prog.criteria),
        "aspect": set(prog.aspects),
    }
    if kind not in known:
        p.add(
            path,
            f"key {key.key!r} is unknown; use total, standardised, component:ID, criterion:ID or aspect:ID",
        )
    elif known[kind] is not None and ref not in known[kind]:  # type: ignore[operator]
        p.add(
            path, f"{kind} {ref!r} is not in this program; known: {', '.join(sorted(known[kind]))}"
        )  # type: ignore[arg-type]
    if kind == "standardised" and prog.standardisation is None:
        p.add(path, "ranks by standardised, but the program has no standardisation table")


PROGRAM_FIELDS = {
    "id",
    "name",
    "visibility",
    "places",
    "rounding",
    "total_max",
    "conflict_of_interest",
    "rounds",
    "standing_rounds",
    "components",
    "ranking",
    "standardisation",
    "awards",
    "min_field",
    "team",
    "criteria",
    "competitors",
    "lower_is_better",
}


def _program(r: _Reader, delegations: set[str]) -> Program:
    r.unknown(PROGRAM_FIELDS)
    pid = r.str("id", required=True)
    places = r.int("places", 2, low=0, high=MAX_PLACES)
    stage: Stage = r.choice("rounding", _StageName, _StageName.TOTAL).stage
    criteria: dict[str, Criterion] = {}
    aspects: dict[str, Aspect] = {}
    rounds = tuple(str(x) for x in r.list("rounds"))
    for cpath, c in _index(r.list("criteria"), r.at("criteria"), "id", r.p):
        cr = _Reader(c, cpath, r.p)
        cid = cr.str("id", required=True)
        if cid:  # from here on, name the criterion by its id: criteria[B]
            cr.path = f"{r.at('criteria')}[{cid}]"
        cr.unknown({"id", "name", "max", "round", "aspects"})
        rnd = cr.str("round") or None
        if rnd is not None and rnd not in rounds:
            r.p.add(
                cr.at("round"),
                f"{rnd!r} is not in the program's rounds {list(rounds)}; add it there",
            )
        ids = []
        for apath, a in _index(cr.list("aspects"), cr.at("aspects"), "id", r.p):
            aspect = _aspect(_Reader(a, apath, r.p), cid, places)
            if aspect.id in aspects:
                r.p.add(
                    apath,
                    f"aspect id {aspect.id!r} is used twice in the program; aspect ids are unique per program",
                )
            aspects[aspect.id] = aspect
            ids.append(aspect.id)
        if not ids:
            r.p.add(cr.at("aspects"), "is empty; a criterion needs at least one aspect")
        cmax = cr.num("max")
        if cmax is not None:
            pointed = [
                aspects[i]
                for i in ids
                if aspects[i].counts
                and aspects[i].max is not None
                and aspects[i].type is not AspectType.TIME
            ]
            total = sum((a.max * a.multiplier for a in pointed if a.max is not None), ZERO)
            if pointed and total != cmax:
                r.p.add(
                    cr.at("aspects"),
                    f"sum to {fmt(total, places)}, criterion max is {fmt(cmax, places)}; "
                    "make the aspect maxima add up to the criterion max",
                )
        criteria[cid] = Criterion(cid, cr.name(fallback=cid), cmax, rnd, tuple(ids))
    if not criteria:
        r.p.add(r.at("criteria"), "is empty; a program needs a marking scheme")
    total_max = r.num("total_max")
    if total_max is not None:
        s = sum((c.max for c in criteria.values() if c.max is not None), ZERO)
        if s != total_max:
            r.p.add(
                r.at("criteria"),
                f"maxima sum to {fmt(s, places)}, total_max is {fmt(total_max, places)}",
            )
    standing = r.strs("standing_rounds") or ()
    for rnd in standing:
        if rnd not in rounds:
            r.p.add(r.at("standing_rounds"), f"{rnd!r} is not one of the rounds {list(rounds)}")
    components = []
    for kpath, k in _index(r.list("components"), r.at("components"), "id", r.p):
        kr = _Reader(k, kpath, r.p)
        kr.unknown({"id", "name", "weight", "criteria", "max", "scale"})
        kid = kr.str("id", required=True)
        crit = kr.strs("criteria") or ()
        for c in crit:
            if c not in criteria:
                r.p.add(kr.at("criteria"), f"criterion {c!r} is not in this program")
        cmax = kr.num("max")
        if cmax is None:
            maxes = [criteria[c].max for c in crit if c in criteria]
            if any(m is None for m in maxes) or not maxes:
                r.p.add(kr.at("max"), "is missing and the criteria have no max to add up; give it")
                cmax = Fraction(100)
            else:
                cmax = sum((m for m in maxes if m is not None), ZERO)
        if cmax <= 0:
            r.p.add(
                kr.at("max"),
                f"is {fmt(cmax, places)}; a component's maximum must be greater than 0",
            )
            cmax = Fraction(100)
        components.append(
            Component(
                kid,
                kr.name(fallback=kid),
                kr.num("weight", required=True) or ZERO,
                crit,
                cmax,
                kr.num("scale", Fraction(100)) or Fraction(100),
            )
        )
    if components:
        wsum = sum((k.weight for k in components), ZERO)
        if wsum != 1:
            r.p.add(r.at("components"), f"weights sum to {fmt(wsum, 4)}; they must sum to 1")
    lower = r.bool("lower_is_better", False)
    rr = _Reader(r.data.get("ranking", {}), r.at("ranking"), r.p)
    rr.unknown({"keys", "mode", "tolerance", "tolerance_key"})
    tol = rr.num("tolerance")
    tol_key = rr.str("tolerance_key") or None
    keys = []
    raw_keys = rr.list("keys") or ["total asc" if lower else "total desc"]
    for i, text in enumerate(raw_keys):
        k = _rank_key(text, f"{rr.at('keys')}[{i}]", r.p, None)
        if k is not None:
            if tol is not None and (k.key == tol_key or (tol_key is None and i == 0)):
                k = RankKey(k.key, k.descending, tol)
            keys.append(k)
    ranking = Ranking(tuple(keys), rr.choice("mode", RankMode, RankMode.STANDARD))
    std = None
    if r.has("standardisation"):
        sr = _Reader(r.data["standardisation"], r.at("standardisation"), r.p)
        sr.unknown({"centre", "factor", "spread", "places"})
        spread = sr.str("spread", "sd")
        if spread not in ("sd", "mad"):
            r.p.add(sr.at("spread"), f'is {spread!r}; use "sd" or "mad"')
        std = Standardisation(
            sr.num("centre", required=True) or ZERO,
            sr.num("factor", required=True) or ZERO,
            spread,
            sr.int("places", 0, low=0, high=MAX_PLACES),
        )
    awards = []
    for i, a in enumerate(r.list("awards")):
        ar = _Reader(a, f"{r.at('awards')}[{i}]", r.p)
        awards.append(_award(ar))
    mf = None
    if r.has("min_field"):
        mr = _Reader(r.data["min_field"], r.at("min_field"), r.p)
        mr.unknown({"size", "awards"})
        mf = MinField(mr.int("size", 1, low=1), mr.strs("awards") or ())
    competitors: dict[str, Competitor] = {}
    for cpath, c in _index(r.list("competitors"), r.at("competitors"), "bib", r.p):
        comp = _competitor(_Reader(c, cpath, r.p), pid, delegations, aspects)
        if comp.id in competitors:
            r.p.add(cpath, f"competitor id {comp.id!r} is used twice")
        competitors[comp.id] = comp
    prog = Program(
        id=pid,
        name=r.name(fallback=pid),
        visibility=r.choice("visibility", Visibility, Visibility.LIVE),
        places=places,
        stage=stage,
        descending=not lower,
        criteria=criteria,
        aspects=aspects,
        components=tuple(components),
        rounds=rounds,
        standing_rounds=standing,
        ranking=ranking,
        standardisation=std,
        awards=tuple(awards),
        min_field=mf,
        conflict_of_interest=r.bool("conflict_of_interest", True),
        competitors=competitors,
        team=r.bool("team", False),
        total_max=total_max,
    )
    for i, k in enumerate(ranking.keys):
        _check_rank_key(k, prog, f"{rr.at('keys')}[{i}]", r.p)
    for i, a in enumerate(awards):
        if a.type == "threshold":
            _check_rank_key(RankKey(a.key, True), prog, f"{r.at('awards')}[{i}].key", r.p)
    return prog


class _StageName(enum.StrEnum):
    JUDGE = "judge"
    ASPECT = "aspect"
    CRITERION = "criterion"
    COMPONENT = "component"
    TOTAL = "total"

    @property
    def stage(self) -> Stage:
        return Stage[self.name]


def _one_if_none(x: Fraction | None) -> Fraction:
    return Fraction(1) if x is None else x


def _list_numbers(r: _Reader, key: str) -> list[Fraction]:
    out: list[Fraction] = []
    for i, x in enumerate(r.list(key)):
        try:
            out.append(parse_number(x))
        except ValueError as e:
            r.p.add(f"{r.at(key)}[{i}]", str(e))
    return out


def _list_counts(r: _Reader, key: str) -> list[int]:
    out: list[int] = []
    for i, x in enumerate(r.list(key)):
        if isinstance(x, bool) or not isinstance(x, int) or x < 0:
            r.p.add(f"{r.at(key)}[{i}]", f"must be a whole number of at least 0, found {x!r}")
        else:
            out.append(x)
    return out


def _award(r: _Reader) -> AwardRule:
    r.unknown(
        {
            "type",
            "awards",
            "award",
            "percents",
            "counts",
            "key",
            "min",
            "fraction",
            "top",
            "eligible",
        }
    )
    kind = r.str("type", required=True)
    if kind and kind not in AWARD_TYPES:
        r.p.add(r.at("type"), f"is {kind!r}; use one of {', '.join(AWARD_TYPES)}")
    names = r.strs("awards") or ((r.str("award"),) if r.has("award") else ())
    if not names:
        r.p.add(
            r.at("awards"),
            'is missing; name the award(s), like awards = ["gold", "silver", "bronze"]',
        )
    percents = tuple(_list_numbers(r, "percents")) if kind == "bands" else ()
    counts = tuple(_list_counts(r, "counts")) if kind == "counts" else ()
    if kind == "bands" and len(percents) != len(names):
        r.p.add(r.at("percents"), f"gives {len(percents)} percentages for {len(names)} awards")
    if kind == "counts" and len(counts) != len(names):
        r.p.add(r.at("counts"), f"gives {len(counts)} counts for {len(names)} awards")
    rule = AwardRule(
        type=kind,
        awards=names,
        percents=percents,
        counts=counts,
        key=r.str("key", "total"),
        min=r.num("min", required=kind == "threshold"),
        fraction=r.num("fraction", required=kind == "fraction"),
        top=r.int("top", 0, low=0),
        eligible=r.str("eligible") or None,
    )
    if kind == "title" and (rule.top < 1 or rule.eligible is None):
        r.p.add(r.path, 'a title needs top = N and eligible = "TAG"')
    return rule


COMPETITOR_FIELDS = {
    "id",
    "bib",
    "name",
    "delegation",
    "members",
    "guest",
    "status",
    "tags",
    "multipliers",
    "judge_factors",
    "offsets",
    "workplace",
    "national_id",
    "talent_consent",
}


def _per_aspect(r: _Reader, key: str, aspects: dict[str, Aspect]) -> dict[str, Fraction]:
    raw = r.data.get(key) or {}
    out: dict[str, Fraction] = {}
    if not isinstance(raw, dict):
        r.p.add(r.at(key), 'must be a table of aspect id = "number"')
        return out
    for aid, v in raw.items():
        if aid not in aspects:
            r.p.add(f"{r.at(key)}.{aid}", "is not an aspect of this program")
            continue
        try:
            out[aid] = parse_number(v)
        except ValueError as e:
            r.p.add(f"{r.at(key)}.{aid}", str(e))
    return out


def _competitor(
    r: _Reader, program: str, delegations: set[str], aspects: dict[str, Aspect]
) -> Competitor:
    r.unknown(COMPETITOR_FIELDS)
    bib = r.str("bib", required=True)
    cid = r.str("id") or f"{program}-{bib}"
    deleg = r.str("delegation") or None
    if deleg is not None and delegations and deleg not in delegations:
        r.p.add(
            r.at("delegation"),
            f"{deleg!r} is not a delegation of the competition; add it to delegations",
        )
    members = []
    for i, m in enumerate(r.list("members")):
        members.append(_Reader({"name": m}, f"{r.at('members')}[{i}]", r.p).name())
    return Competitor(
        id=cid,
        bib=bib,
        name=r.name(fallback=bib),
        delegation=deleg,
        members=tuple(members),
        guest=r.bool("guest", False),
        status=r.choice("status", Status, Status.OK),
        tags=r.strs("tags") or (),
        multipliers=_per_aspect(r, "multipliers", aspects),
        judge_factors=_per_aspect(r, "judge_factors", aspects),
        offsets=_per_aspect(r, "offsets", aspects),
        workplace=r.str("workplace") or None,
        talent_consent=r.bool("talent_consent", False),
        national_id=r.str("national_id") or None,
    )


def _judge(r: _Reader, programs: dict[str, Program], delegations: set[str]) -> Judge:
    r.unknown({"id", "name", "delegation", "role", "assignments"})
    jid = r.str("id", required=True)
    deleg = r.str("delegation") or None
    if deleg is not None and delegations and deleg not in delegations:
        r.p.add(r.at("delegation"), f"{deleg!r} is not a delegation of the competition")
    assignments = []
    for i, a in enumerate(r.list("assignments")):
        ar = _Reader(a, f"{r.at('assignments')}[{i}]", r.p)
        ar.unknown({"program", "criteria", "aspects"})
        pid = ar.str("program", required=True)
        crit = ar.strs("criteria")
        asp = ar.strs("aspects")
        prog = programs.get(pid)
        if prog is None:
            if pid:
                r.p.add(ar.at("program"), f"{pid!r} is not a program of the competition")
        else:
            for c in crit or ():
                if c not in prog.criteria:
                    r.p.add(ar.at("criteria"), f"{c!r} is not a criterion of {pid}")
            for x in asp or ():
                if x not in prog.aspects:
                    r.p.add(ar.at("aspects"), f"{x!r} is not an aspect of {pid}")
        assignments.append(
            Assignment(
                pid,
                frozenset(crit) if crit is not None else None,
                frozenset(asp) if asp is not None else None,
            )
        )
    return Judge(
        jid, r.name(fallback=jid), deleg, r.choice("role", Role, Role.JUDGE), tuple(assignments)
    )


def load_competition(data: Any) -> Competition:
    """Build and check a competition; raise ``CompetitionFileError`` listing every problem."""
    p = _Problems()
    r = _Reader(data, "", p)
    r.unknown({"format", "id", "name", "delegations", "programs", "judges", "medal_points"})
    fmt_v = r.int("format", FORMAT_VERSION)
    if fmt_v != FORMAT_VERSION:
        p.add("format", f"is {fmt_v}; this Scorecast reads format {FORMAT_VERSION}")
    delegations: dict[str, Delegation] = {}
    for path, d in _index(r.list("delegations"), "delegations", "code", p):
        dr = _Reader(d, path, p)
        dr.unknown({"code", "name"})
        code = dr.str("code", required=True)
        delegations[code] = Delegation(code, dr.name(fallback=code))
    programs: dict[str, Program] = {}
    for path, d in _index(r.list("programs"), "programs", "id", p):
        prog = _program(_Reader(d, path, p), set(delegations))
        programs[prog.id] = prog
    if not programs:
        p.add("programs", "is empty; a competition needs at least one program")
    judges: dict[str, Judge] = {}
    for path, d in _index(r.list("judges"), "judges", "id", p):
        j = _judge(_Reader(d, path, p), programs, set(delegations))
        judges[j.id] = j
    mp = r.data.get("medal_points")
    medal_points = None
    if mp is not None:
        if isinstance(mp, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in mp):
            medal_points = tuple(mp)
        else:
            p.add("medal_points", "must be a list of whole numbers, like [4, 3, 2, 1]")
    if p.items:
        raise CompetitionFileError(p.items)
    return Competition(
        id=r.str("id", "competition"),
        name=r.name(fallback="Competition"),
        delegations=delegations,
        programs=programs,
        judges=judges,
        medal_points=medal_points,
    )


__all__ = ["FORMAT_VERSION", "load_competition", "is_multiple"]
