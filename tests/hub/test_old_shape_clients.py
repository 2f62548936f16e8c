"""A client that knows only protocol 1's delta (``rows`` / ``order`` / ``removed`` / ``header``)
keeps an exact board: the hub sends a delta's ``ranks`` (rows whose rank alone moved) only to a
client that asked for them (``"features": ["ranks"]`` in its subscribe) and the whole rows to
every other, live and on a resume from a version (review of core5, issue 11's fifth pass)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from scoreboard import apply_delta
from tests.hubkit import Board, Client, HubProcess, judge, mark, viewer


class OldBoard(Board):
    """An integrator's script from before ``ranks``: applies rows, removed, order and header and
    knows no other field (what ``apply_delta`` does with a delta stripped of ``ranks``)."""

    def take(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "delta":
            assert "ranks" not in frame, f"an old-shape client was sent ranks: {frame}"
            assert self.snapshot is not None
            if frame["version"] <= self.snapshot["version"]:
                return
            known = {k: v for k, v in frame.items() if k in OLD_FIELDS}
            self.snapshot = apply_delta(self.snapshot, known)
        else:
            super().take(frame)


OLD_FIELDS = {"type", "channel", "from", "version", "rows", "order", "removed", "header"}


async def fresh(hub: HubProcess, channel: str) -> dict[str, Any]:
    """The channel's board now: the snapshot a new subscriber gets."""
    token = hub.tokens["weld-chief"] if channel.endswith(":jury") else None
    c = await viewer(hub, channel, token=token)
    frame = await c.recv()
    await c.close()
    assert frame["type"] == "snapshot"
    data: dict[str, Any] = frame["data"]
    return data


async def test_old_and_new_clients_hold_the_same_board_after_every_delta(
    hub: HubProcess,
) -> None:
    await both_shapes(hub)


async def test_in_one_fan_out_window_each_shape_gets_its_batch(tmp_path: Path) -> None:
    """A long window: the six marks' deltas go out together (``Batch``), one batch per shape."""
    h = HubProcess(tmp_path / "hub", env={"SCORECAST_FANOUT_WINDOW_MS": "3000"})
    h.issue_credentials()
    h.start()
    try:
        await both_shapes(h, batched=True)
        metrics = httpx.get(f"{h.http}/metrics").text
        frames, writes = (
            float(next(ln for ln in metrics.splitlines() if ln.startswith(name)).split()[-1])
            for name in ("scorecast_fanout_frames_total", "scorecast_fanout_writes_total")
        )
        assert frames > writes  # some writes carried several frames: batches were sent
    finally:
        h.stop()


async def both_shapes(hub: HubProcess, batched: bool = False) -> None:
    token = hub.tokens["weld-chief"]
    kinds: list[tuple[str, bool, bool]] = []  # channel, asked for ranks, msgpack
    clients: list[tuple[Client, Board]] = []
    at0: dict[str, Any] = {}  # each channel's board at version 0
    for channel in ("program:weld", "program:weld:jury"):
        for ranks in (False, True):
            for binary in (False, True):
                c = await viewer(
                    hub,
                    channel,
                    binary=binary,
                    token=token if channel.endswith(":jury") else None,
                    features=["ranks"] if ranks else None,
                )
                b: Board = Board() if ranks else OldBoard()
                b.take(await c.recv())
                at0[channel] = b.snapshot
                clients.append((c, b))
                kinds.append((channel, ranks, binary))
    j = await judge(hub, "weld-j1")
    sent_ranks = 0

    async def take(i: int) -> int:
        sent = 0
        for c, b in clients:
            frame = await c.recv()
            assert frame["type"] == "delta" and frame["version"] == i, frame
            sent += bool(frame.get("ranks"))
            b.take(frame)
        for channel in ("program:weld", "program:weld:jury"):
            boards = [
                b.snapshot for (_, b), k in zip(clients, kinds, strict=True) if k[0] == channel
            ]
            assert all(s == boards[0] for s in boards), (channel, i)  # old == new, every delta
        return sent

    for i in range(1, 7):  # each competitor in turn takes the lead: those below move by one
        assert (await mark(j, f"m{i}", "weld", f"weld-{i}", "B1", str(i)))["type"] == "ack"
        if not batched:
            sent_ranks += await take(i)
    if batched:  # all six marked before any is read: they went out in the window's batches
        for i in range(1, 7):
            sent_ranks += await take(i)
    assert sent_ranks > 0  # the new shape was used, to those who asked
    for (_, b), (channel, _, _) in zip(clients, kinds, strict=True):
        assert b.snapshot == await fresh(hub, channel), channel
    # a resume from a version: the deltas from history, in the shape the client asked for
    for channel in ("program:weld", "program:weld:jury"):
        now = await fresh(hub, channel)
        for ranks in (False, True):
            c = await viewer(
                hub,
                channel,
                version=0,
                token=token if channel.endswith(":jury") else None,
                features=["ranks"] if ranks else None,
            )
            b = Board() if ranks else OldBoard()
            b.snapshot = at0[channel]
            seen_ranks = False
            for v in range(1, 7):
                frame = await c.recv()
                assert frame["type"] == "delta" and frame["version"] == v, frame
                seen_ranks |= bool(frame.get("ranks"))
                b.take(frame)
            assert seen_ranks is ranks, (channel, ranks)
            assert b.snapshot == now, (channel, ranks)


async def test_features_must_be_a_list_of_strings_and_unknown_ones_are_ignored(
    hub: HubProcess,
) -> None:
    c = await Client.open(f"{hub.ws}/ws/live")
    await c.send({"type": "subscribe", "channel": "program:weld", "features": "ranks"})
    err = await c.recv()
    assert err["type"] == "error" and err["code"] == "wrong_type" and "features" in err["message"]
    await c.send({"type": "subscribe", "channel": "program:weld", "features": ["zz", "ranks"]})
    assert (await c.recv())["type"] == "snapshot"
