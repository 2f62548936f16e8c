"""An anonymous two-layer program for the hub and browser tests (issue 15), and the leak check.

``weld`` is marked under codes: criterion A (A1 panel 3, A2) under the workstation number, B
(B1) under the second code. Judges j1..j3, ``weld-sy`` (delegation SY) mark A; ``weld-k1``
marks B; ``weld-chief`` draws and decrypts, ``sup`` is the supervisor, ``rev`` the reviewer.
Bibs 701..706.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx

from tests.hubkit import DELEGATIONS, HubProcess, small_competition

BIBS = [str(700 + i) for i in range(1, 7)]


def anonymous_competition() -> dict[str, Any]:
    comp = small_competition()
    weld = comp["programs"][0]
    weld.update(anonymous=True, visibility="hidden")
    weld["criteria"][1]["anonymous_layer"] = "code"
    weld["competitors"] = [
        {
            "bib": bib,
            "name": {"zh": f"焊工{bib}", "en": f"Welder {bib}"},
            "delegation": DELEGATIONS[i % 5],
        }
        for i, bib in enumerate(BIBS)
    ]
    judges = [j for j in comp["judges"] if not j["id"].startswith("weld")]
    a_only = [{"program": "weld", "criteria": ["A"]}]
    judges += [{"id": f"weld-j{n}", "delegation": "HLD", "assignments": a_only} for n in (1, 2, 3)]
    judges += [
        {"id": "weld-sy", "delegation": "SY", "assignments": a_only},
        {"id": "weld-k1", "delegation": "HLD", "assignments": [{"program": "weld", "criteria": ["B"]}]},
        {"id": "weld-chief", "role": "chief", "delegation": "HLD", "assignments": [{"program": "weld"}]},
        {"id": "sup", "role": "supervisor", "delegation": "HLD"},
        {"id": "rev", "role": "reviewer", "delegation": "HLD"},
    ]  # fmt: skip
    comp["judges"] = judges
    return comp


# the layer of each aspect of ``anonymous_competition``'s weld
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}


def both_layers_hub(tmp_path: Any) -> HubProcess:
    """A started hub of ``anonymous_competition`` with ``weld-both``, a judge of every aspect of
    both layers (from HLD, which has no competitor in weld); the caller stops it."""
    comp = anonymous_competition()
    every = [{"program": "weld"}]
    comp["judges"].append({"id": "weld-both", "delegation": "HLD", "assignments": every})
    h = HubProcess(tmp_path / "hub", comp)
    h.issue_credentials()
    h.start()
    return h


def draw(hub: HubProcess, seed_input: str = "4729", program: str = "weld") -> dict[str, Any]:
    """The chief draws; the answer is the draw list with its key as the supervisor reads it
    (the chief's own answer has no rows while the program is encrypted)."""
    r = httpx.post(
        f"{hub.http}/judge/api/draw/{program}",
        json={"seed_input": seed_input},
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    )
    assert r.status_code == 200, r.text
    return draw_key(hub, program)


def draw_key(hub: HubProcess, program: str = "weld") -> dict[str, Any]:
    """The recorded draw list with names and codes, read with the supervisor's credential."""
    r = httpx.get(
        f"{hub.http}/judge/api/draw/{program}",
        headers={"Authorization": f"Bearer {hub.tokens['sup']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def strings(data: Any) -> Iterator[str]:
    """Every string in a JSON value: values and object keys."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(data, list):
        for x in data:
            yield from strings(x)


def leaks(
    received: list[Any],
    draw: dict[str, Any],
    layer: str,
    own_delegation: str,
    both_layers: bool = False,
) -> list[str]:
    """What of the program's identities appears in what a judge received: names, bibs, ids,
    delegations (other than the judge's own) and the codes of the other layer (unless the
    reader is shown both layers, each in its own table: see ``pairings``)."""
    found = []
    other = "workstation" if layer == "code" else "code"
    for r in draw["rows"]:
        words = [r["id"], r["bib"], *r["name"].values()]
        other_code = r["code"] if other == "code" else f"{r['workstation']:02d}"
        for item in received:
            text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            for w in words:
                if appears(w, text):
                    found.append(f"{w!r} in {text[:200]}")
            values = set(strings(item)) if not isinstance(item, str) else {item}
            if both_layers:
                pass
            elif other_code in values or (other == "code" and other_code in text):
                found.append(f"the other layer's {other_code!r} in {text[:200]}")
            if r["delegation"] != own_delegation and r["delegation"] in values:
                found.append(f"delegation {r['delegation']!r} in {text[:200]}")
    return found


def appears(word: str, text: str) -> bool:
    """Whether ``word`` stands in ``text`` as a token of its own: bib 702 is in 焊工702 and
    "702", not in a random message id such as pad-1d45-1-70279f (a false leak seen in CI), nor
    in a time's fraction such as 17:12:03.703 or 1796346581.703 (a clock, not a competitor)."""
    pattern = rf"(?<![0-9A-Za-z])(?<![0-9][.:]){re.escape(word)}(?![0-9A-Za-z])"
    return re.search(pattern, text) is not None


def coded_competition() -> dict[str, Any]:
    """The anonymous competition with ``weld`` live to the public by codes before decryption."""
    comp = anonymous_competition()
    comp["programs"][0].update(visibility="live", public_before_decryption="codes")
    return comp


MARKERS = ("weld-j1", "weld-j2", "weld-j3", "weld-k1")


def typed(jid: str, row: dict[str, Any]) -> str:
    """What judge ``jid`` types for the draw list's ``row``: the code of their layer."""
    return str(row["code"]) if jid == "weld-k1" else f"{row['workstation']:02d}"


async def mark_all(hub: HubProcess, d: dict[str, Any]) -> None:
    """Every judge of ``weld`` marks every drawn competitor under the code of their layer."""
    from tests.hubkit import judge
    from tests.lifecycle_hub import ok

    for jid in MARKERS:
        j = await judge(hub, jid)
        for i, r in enumerate(d["rows"]):
            marks = [("B1", str(4 + i))] if jid == "weld-k1" else [("A1", str(i % 4))]
            marks += [("A2", "pass")] if jid == "weld-j1" else []
            for aspect, value in marks:
                await ok(j, "mark", program="weld", competitor=typed(jid, r), aspect=aspect,
                         value=value)  # fmt: skip


async def decrypt(hub: HubProcess, d: dict[str, Any]) -> None:
    """Sign-offs, review, every reviewer's check, and decryption with the supervisor."""
    await review_all(hub, d)
    open_codes(hub)


async def review_all(hub: HubProcess, d: dict[str, Any]) -> None:
    """Every judge signs off, the chief enters review, the reviewer checks everyone."""
    from tests.hubkit import judge
    from tests.lifecycle_hub import ok, review_everyone

    for jid in MARKERS:
        j = await judge(hub, jid)
        for r in d["rows"]:
            await ok(j, "signoff", program="weld", competitor=typed(jid, r))
    await ok(await judge(hub, "weld-chief"), "stage", program="weld", stage="review")
    await review_everyone(hub, "weld")


def open_codes(hub: HubProcess) -> None:
    """解密: the chief, with the supervisor's credential."""
    r = httpx.post(
        f"{hub.http}/judge/api/decrypt/weld",
        json={"supervisor_token": hub.tokens["sup"]},
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    )
    assert r.status_code == 200, r.text


def pairings(
    received: list[Any], draw: dict[str, Any], layers: dict[str, str], only: dict[str, str]
) -> list[str]:
    """What pairs a competitor's two codes in what a desk received: an object (a row, an item,
    a history line) keyed by one layer's code that carries the other layer's code, an aspect
    marked under the other layer (``layers``: aspect → layer) or a judge who marks only the
    other layer (``only``: judge → layer)."""
    layer_of: dict[str, tuple[str, str]] = {}  # a code → (its layer, the other layer's code)
    for r in draw["rows"]:
        w = f"{r['workstation']:02d}"
        layer_of[w] = ("workstation", r["code"])
        layer_of[r["code"]] = ("code", w)
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
            return
        if not isinstance(value, dict):
            return
        c = value.get("competitor")
        key = c.get("id") if isinstance(c, dict) else c
        if not isinstance(key, str):
            key = (value.get("fields") or {}).get("competitor")  # a history line
        if isinstance(key, str) and key in layer_of:
            mine, other = layer_of[key]
            said = set(strings(value))
            text = json.dumps(value, ensure_ascii=False)[:200]
            if other in said:
                found.append(f"{key} with its other code {other} in {text}")
            for aspect, x in layers.items():
                if x != mine and aspect in said:
                    found.append(f"{key} with {aspect} of the {x} layer in {text}")
            for j, x in only.items():
                if x != mine and j in said:
                    found.append(f"{key} with {j}, who marks the {x} layer, in {text}")
            return
        for k, v in value.items():
            if k in layer_of:  # an object keyed by codes: each entry is that code's
                walk({"competitor": k, "value": v})
            else:
                walk(v)

    walk(received)
    return found
