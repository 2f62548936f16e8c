"""``scorecast judge`` at a prompt: one mark a line, checked against the scheme, answered live."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from typing import TextIO

from ..client import JudgeClient
from ..errors import InvalidEntry, JudgeClientError, Refused
from ..outbox import Entry
from ..scheme import Program, fetch
from ..states import ClientState, FrameType
from ..wire import http_url
from .options import client
from .status import describe, outcome, print_status

HELP = """\
  program competitor aspect value    a mark (competitor: bib or id), e.g.  weld 3 B1 8.5
  competitor aspect value            the same, in the program you judge (when you judge one)
  withdraw [program] competitor aspect
  signoff [program] competitor
  status                             what is pending, acked and refused
  help | quit"""

# The states worth a line on the terminal.
SHOWN_STATES = (ClientState.ONLINE, ClientState.OFFLINE, ClientState.REFUSED)


# -- schemes (kept in the outbox so that entry can be checked offline) ------------------------


def load_program(judge: JudgeClient, program: str) -> Program | None:
    try:
        data = fetch(http_url(judge.url), program, timeout=3, token=judge.token)
        judge.outbox.set_meta(f"scheme:{program}", json.dumps(data, ensure_ascii=False))
    except Exception:  # noqa: BLE001 — offline: use the copy from last time, if any
        cached = judge.outbox.get_meta(f"scheme:{program}")
        if cached is None:
            return None
        data = json.loads(cached)
    return Program.from_api(data["program"], data["competitors"])


class Schemes:
    def __init__(self, judge: JudgeClient) -> None:
        self.judge = judge
        self.known: dict[str, Program | None] = {}

    def check(
        self, program: str, competitor: str, aspect: str | None, value: str | None
    ) -> tuple[str, str | None]:
        """(competitor id, value to send), or ``InvalidEntry``; unchecked when the scheme is unknown."""
        if program not in self.known:
            self.known[program] = load_program(self.judge, program)
        prog = self.known[program]
        if prog is None:
            return competitor, value
        cid = prog.competitor(competitor)
        if aspect is None:
            return cid, value
        a = prog.aspect(aspect)
        return cid, (a.check(value) if value is not None else None)


# -- the prompt -------------------------------------------------------------------------------


async def interactive(args: argparse.Namespace, stdin: TextIO = sys.stdin) -> int:
    out = sys.stdout
    shown: set[str] = set()

    def on_result(e: Entry) -> None:
        if e.id not in shown:
            shown.add(e.id)
            print(f"\n  {describe(e)}: {outcome(e)}", file=out, flush=True)

    def on_state(state: str) -> None:
        if state in SHOWN_STATES:
            print(f"\n  [{state}]", file=out, flush=True)

    async with client(args, on_result=on_result, on_state=on_state) as judge:
        schemes = Schemes(judge)
        await _greet(judge, schemes)
        print(HELP)
        await _read_lines(judge, schemes, stdin, out)
        if len(judge.outbox):
            print(
                f"{len(judge.outbox)} mark(s) stay in the outbox; they go out next time "
                "(scorecast judge flush)"
            )
    return 0


async def _greet(judge: JudgeClient, schemes: Schemes) -> None:
    """Who is judging where, and the aspects of their programs with what may be typed."""
    print(
        f"judge {judge.judge_id} → {judge.url}; outbox {judge.outbox.path} ({len(judge.outbox)} pending)"
    )
    with contextlib.suppress(TimeoutError):
        welcome = await judge.wait_online(5)
        for a in welcome["assignments"]:
            prog = schemes.known.setdefault(a["program"], load_program(judge, a["program"]))
            hints = ", ".join(
                f"{x} ({prog.aspects[x].hint()})" if prog and x in prog.aspects else x
                for x in a["aspects"]
            )
            print(f"  {a['program']}: {hints}")


async def _read_lines(judge: JudgeClient, schemes: Schemes, stdin: TextIO, out: TextIO) -> None:
    programs = [a["program"] for a in (judge.welcome or {}).get("assignments", [])]
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, _prompt, stdin, out)
        if line is None or line.strip() in ("quit", "exit", "q"):
            return
        words = line.split()
        if not words:
            continue
        try:
            entry = enter(judge, schemes, words, programs, out)
        except InvalidEntry as e:
            print(f"  ✗ {e.message}", file=out)
            continue
        if entry is None:
            continue
        try:
            await judge.result(entry.id, timeout=3)
        except TimeoutError:
            print(f"  {describe(entry)}: queued; it goes out when the hub answers", file=out)
        except Refused:
            pass  # on_result printed it
        except JudgeClientError as e:
            print(f"  ✗ {e}", file=out)


def _prompt(stdin: TextIO, out: TextIO) -> str | None:
    out.write("mark> ")
    out.flush()
    line = stdin.readline()
    return line if line else None


def enter(
    judge: JudgeClient, schemes: Schemes, words: list[str], programs: list[str], out: TextIO
) -> Entry | None:
    verb = words[0].lower()
    if verb == "help":
        print(HELP, file=out)
        return None
    if verb == "status":
        print_status(judge.outbox, out, limit=10)
        return None
    if verb in (FrameType.WITHDRAW, FrameType.SIGNOFF):
        rest = words[1:]
        need = 2 if verb == FrameType.WITHDRAW else 1
        program, rest = _program(rest, need, programs)
        aspect = rest[1] if verb == FrameType.WITHDRAW else None
        cid, _ = schemes.check(program, rest[0], aspect, None)
        if verb == FrameType.WITHDRAW:
            return judge.enqueue(FrameType.WITHDRAW, program=program, competitor=cid, aspect=aspect)
        return judge.enqueue(FrameType.SIGNOFF, program=program, competitor=cid)
    program, rest = _program(words, 3, programs)
    cid, value = schemes.check(program, rest[0], rest[1], rest[2])
    assert value is not None
    return judge.enqueue_mark(program, cid, rest[1], value)


def _program(words: list[str], need: int, programs: list[str]) -> tuple[str, list[str]]:
    if len(words) == need + 1:
        return words[0], words[1:]
    if len(words) == need and len(programs) == 1:
        return programs[0], words
    shape = (
        "program competitor aspect value"
        if need == 3
        else "program competitor" + (" aspect" if need == 2 else "")
    )
    raise InvalidEntry("syntax", f"type: {shape}")
