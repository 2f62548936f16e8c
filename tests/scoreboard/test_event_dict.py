"""event_to_dict gives exactly what dataclasses.asdict gives, for every event type.

The ledger, the broker and the snapshots store events in this form: the same keys, in the same
order, with equal values of the same types (hypothesis draws every field of every type).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoreboard import event_from_dict, event_to_dict
from scoreboard.events import EVENT_TYPES

TEXT = st.text(max_size=12)
VALUES = {
    "str": TEXT,
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "tuple[str, ...]": st.lists(TEXT, max_size=5).map(tuple),
}


def events_of(cls: type[Any]) -> st.SearchStrategy[Any]:
    # every field drawn but the kind, which names the class
    drawn = {f.name: VALUES[str(f.type)] for f in fields(cls) if f.name != "kind"}
    return st.builds(cls, **drawn)


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_every_field_type_is_drawn() -> None:
    for cls in set(EVENT_TYPES.values()):
        for f in fields(cls):
            assert str(f.type) in VALUES, (cls.__name__, f.name, f.type)


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
@settings(max_examples=60)
@given(data=st.data())
def test_event_to_dict_is_asdict(kind: str, data: st.DataObject) -> None:
    event = data.draw(events_of(EVENT_TYPES[kind]))
    d = event_to_dict(event)
    assert same(d, asdict(event)), (d, asdict(event))
    assert event_from_dict(d) == event  # and it reads back


def test_a_list_in_a_sequence_field_is_copied_as_asdict_copies_it() -> None:
    cls = EVENT_TYPES["draw"]
    args = {
        f.name: (["a", "b"] if str(f.type).startswith("tuple") else f.name) for f in fields(cls)
    }
    args["ts"] = args["head_seq"] = 1
    event = cls(**args)
    d = event_to_dict(event)
    assert same(d, asdict(event))
    assert d["stations"] is not event.stations  # no aliasing of the event's own list
