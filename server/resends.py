"""A frame whose id its judge used already: a resend (acked ``duplicate``) or another event.

The id of a judge's frame is the idempotency key (``author:id``, docs/protocol.md): a client that
lost an ack sends the same frame again, and the hub answers with the first one's seq and
``duplicate`` without applying it twice. A frame with a used id and other content is not a
resend: acking it ``duplicate`` would tell the judge that a value was recorded that the ledger
does not hold. It is refused ``id_reused`` and changes nothing; the event recorded under the id
stays as it was. (Entries of paper sheets are checked before they reach the ledger,
``program/entries.reused``; this reads the recorded event, so it holds on every ledger and
every hub.)
"""

from __future__ import annotations

from typing import Any

from scoreboard import Event, StateConflict, event_to_dict

from .hub import Hub

# what the hub fills in itself: a resend need not carry the same
HUB_FIELDS = frozenset({"type", "id", "ts", "device", "seed", "head", "policy", "layer"})


async def check_resend(hub: Hub, frame: dict[str, Any], event: Event, seq: int) -> None:
    """Refuse (``id_reused``) a frame answered ``duplicate`` whose fields differ from the event
    recorded at ``seq`` under its id; a true resend passes."""
    stored = await hub.ledger.read(seq - 1, 1)
    if not stored or stored[0][0] != seq:
        return  # not readable here (it was recorded): the answer stays ``duplicate``
    before, now = stored[0][2], event_to_dict(event)
    differ = sorted(k for k in frame if k not in HUB_FIELDS and before.get(k) != now.get(k))
    if before.get("kind") != now.get("kind"):
        # a withdrawal under its mark's id names the same cell: only the kind tells them apart
        differ.insert(0, f"kind ({now.get('kind')})")
    if differ:
        raise StateConflict(
            f"id {event.id!r} was used already for another {before.get('kind')} (seq {seq}, "
            f"with other {', '.join(differ)}); nothing changed: give each new mark or action "
            "a new id (a resend keeps the id and the content)",
            "id_reused",
        )
