"""A program: its marking scheme, rounding, ranking, awards and competitors, checked together."""

from __future__ import annotations

from ..model import (
    AwardType,
    Competitor,
    Layer,
    Program,
    PublicMode,
    RankKey,
    Stage,
    Visibility,
)
from .award_rules import read_award, read_min_field
from .event_plan import PROGRAM_PLAN_FIELDS, read_placement
from .lifecycle import read_lifecycle
from .marking_scheme import read_components, read_criteria, read_total_max
from .people import read_competitor
from .ranking_rules import StageName, check_rank_key, read_ranking, read_standardisation
from .reader import MAX_PLACES, Reader, indexed

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
    "anonymous",
    "anonymous_layer",
    "public_before_decryption",
    "double_entry",
    "lifecycle",
}


def read_program(r: Reader, delegations: set[str]) -> Program:
    """One program; the problems go to ``r``'s list, in the order of the fields read."""
    r.unknown(PROGRAM_FIELDS | PROGRAM_PLAN_FIELDS)
    pid = r.str("id", required=True)
    places = r.int("places", 2, low=0, high=MAX_PLACES)
    stage: Stage = r.choice("rounding", StageName, StageName.TOTAL).stage
    rounds = tuple(str(x) for x in r.list("rounds"))
    criteria, aspects = read_criteria(r, rounds, places)
    total_max = read_total_max(r, criteria, places)
    standing = r.strs("standing_rounds") or ()
    for rnd in standing:
        if rnd not in rounds:
            r.p.add(r.at("standing_rounds"), f"{rnd!r} is not one of the rounds {list(rounds)}")
    components = read_components(r, criteria, places)
    lower = r.bool("lower_is_better", False)
    ranking, keys_path = read_ranking(r, lower)
    std = read_standardisation(r)
    awards = tuple(
        read_award(Reader(a, f"{r.at('awards')}[{i}]", r.p)) for i, a in enumerate(r.list("awards"))
    )
    mf = read_min_field(r)
    category, venue, days = read_placement(r)
    competitors: dict[str, Competitor] = {}
    for cpath, c in indexed(r.list("competitors"), r.at("competitors"), "bib", r.p):
        comp = read_competitor(Reader(c, cpath, r.p), pid, delegations, aspects)
        if comp.id in competitors:  # ids given to two bibs (a bib used twice is left out)
            r.p.add(
                cpath,
                f"id {comp.id!r} is used twice (also bib {competitors[comp.id].bib}); "
                "ids must be unique",
            )
            continue
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
        components=components,
        rounds=rounds,
        standing_rounds=standing,
        ranking=ranking,
        standardisation=std,
        awards=awards,
        min_field=mf,
        conflict_of_interest=r.bool("conflict_of_interest", True),
        competitors=competitors,
        team=r.bool("team", False),
        total_max=total_max,
        anonymous=r.bool("anonymous", False),
        double_entry=r.bool("double_entry", False),
        anonymous_layer=r.choice("anonymous_layer", Layer, Layer.WORKSTATION),
        public_before_decryption=r.choice(
            "public_before_decryption", PublicMode, PublicMode.HIDDEN
        ),
        lifecycle=read_lifecycle(r),
        category=category,
        venue=venue,
        days=days,
    )
    _check_public(r, prog)
    if not prog.anonymous and any(c.layer for c in criteria.values()):
        r.p.add(r.at("anonymous"), "criteria name an anonymous_layer; set anonymous = true")
    # the keys name what the program has: known only now that it is built
    for i, k in enumerate(ranking.keys):
        check_rank_key(k, prog, f"{keys_path}[{i}]", r.p)
    for i, a in enumerate(awards):
        if a.type is AwardType.THRESHOLD:
            check_rank_key(RankKey(a.key, True), prog, f"{r.at('awards')}[{i}].key", r.p)
    return prog


# what the public may see of an anonymous program before decryption, by its setting
SHOWN_BEFORE = {
    PublicMode.HIDDEN: (Visibility.HIDDEN,),
    PublicMode.CODES: (Visibility.HIDDEN, Visibility.LIVE),
}


def _check_public(r: Reader, prog: Program) -> None:
    """An anonymous program's visibility before decryption: hidden, or with
    ``public_before_decryption = "codes"`` live under workstation numbers."""
    mode = prog.public_before_decryption
    if not prog.anonymous:
        if r.has("public_before_decryption"):
            r.p.add(
                r.at("public_before_decryption"),
                f"program {prog.id!r} is not anonymous: public_before_decryption applies to "
                "anonymous programs only; set anonymous = true or leave it out",
            )
        return
    if prog.visibility not in SHOWN_BEFORE[mode]:
        shown = " or ".join(f'"{v.value}"' for v in SHOWN_BEFORE[mode])
        why = (
            "an anonymous program shows nothing publicly before decryption"
            if mode is PublicMode.HIDDEN
            else "an anonymous program shown by codes is live or hidden before decryption "
            "(frozen and published show names)"
        )
        hint = (
            ' (or public_before_decryption = "codes" to show it by workstation number)'
            if mode is PublicMode.HIDDEN
            else ""
        )
        r.p.add(r.at("visibility"), f"program {prog.id!r}: {why}; set visibility = {shown}{hint}")
