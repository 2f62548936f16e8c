"""A real hub with a competition that exercises every screen: live, hidden, frozen and published programs.

- ``weld`` (live): 12 competitors, long Chinese and English names, two not marked yet, one provisional.
- ``cook`` (hidden): fully marked — the jury sees scores, the public must see none.
- ``cnc`` (frozen): marked after the freeze, so the public board shows those rows as pending.
- ``robot`` (published): fully marked, then made official through the lifecycle (sign-off,
  review, 公示 of one second, final): awards, the medal table, the ceremony.
"""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hubkit import HubProcess, close_all, judge, mark, small_competition
from tests.lifecycle_hub import official, with_people

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"

DELEGATION_NAMES = {
    "SY": ("沈阳", "Shenyang"),
    "DL": ("大连", "Dalian"),
    "AS": ("鞍山", "Anshan"),
    "FS": ("抚顺", "Fushun"),
    "BX": ("本溪", "Benxi"),
    "HLD": ("葫芦岛", "Huludao"),
    "JZ": (
        "锦州市职业技术学院与辽西装备制造产业学院联合代表队",
        "Jinzhou Vocational and Technical College & West Liaoning Equipment Manufacturing Joint Delegation",
    ),
}
PROGRAM_NAMES = {
    "weld": ("焊接", "Welding"),
    "cook": ("烹饪（西餐）", "Cooking (Western Cuisine)"),
    "cnc": ("数控铣", "CNC Milling"),
    "robot": ("工业机器人系统集成与智能制造生产线安装调试", "Industrial Robot Systems Integration"),
}
NAMES = [
    ("王伟", "Wang Wei"),
    ("李娜", "Li Na"),
    ("欧阳诗涵·阿卜杜热合曼·买买提明", "Ouyang Shihan Abudurehman Maimaitiming"),
    ("张敏", "Zhang Min"),
    ("刘洋", "Liu Yang"),
    ("陈静", "Maximilian Alexander Konstantin von Hohenzollern-Sigmaringen"),
    ("杨帆", "Yang Fan"),
    ("赵磊", "Zhao Lei"),
    ("黄晓明", "Huang Xiaoming"),
    ("周杰", "Zhou Jie"),
    ("吴婷婷", "Wu Tingting"),
    ("徐子轩", "Xu Zixuan"),
]
CODES = ["SY", "DL", "JZ", "AS", "FS", "BX"]


def display_competition() -> dict[str, Any]:
    comp = small_competition()
    comp["name"] = {
        "zh": "2026年辽宁省职业院校技能大赛",
        "en": "Liaoning Vocational Skills Competition 2026",
    }
    comp["delegations"] = [
        {"code": c, "name": {"zh": zh, "en": en}} for c, (zh, en) in DELEGATION_NAMES.items()
    ]
    robot = copy.deepcopy(comp["programs"][0])
    robot["id"], robot["visibility"] = "robot", "live"
    comp["programs"].append(robot)
    for prog in comp["programs"]:
        zh, en = PROGRAM_NAMES[prog["id"]]
        prog["name"] = {"zh": zh, "en": en}
        prog["criteria"][0]["name"] = {
            "zh": "焊缝外观与尺寸精度",
            "en": "Weld appearance and dimensional accuracy",
        }
        prog["criteria"][1]["name"] = {"zh": "工艺与安全", "en": "Process and safety"}
        size = 12 if prog["id"] == "weld" else 8 if prog["id"] == "robot" else 6
        prog["competitors"] = [
            {
                "bib": str(i),
                "name": {"zh": NAMES[i - 1][0], "en": NAMES[i - 1][1]},
                "delegation": CODES[i % len(CODES)],
            }
            for i in range(1, size + 1)
        ]
    for n in (1, 2, 3):
        comp["judges"].append(
            {"id": f"robot-j{n}", "delegation": "HLD", "assignments": [{"program": "robot"}]}
        )
    comp["judges"].append(
        {
            "id": "robot-chief",
            "role": "chief",
            "delegation": "HLD",
            "assignments": [{"program": "robot"}],
        }
    )
    return with_people(comp, robot={"review_top": 8, "appeal_window": "1s"})


def marks_for(i: int, salt: int = 7) -> dict[str, str]:
    """A competitor's marks: A1 (three judges, 0..3), A2 (a measurement: pass or fail), B1 (0..10 by .5)."""
    return {
        "A1": str(1 + i % 3),
        "A2": "fail" if i % 4 == 0 else "pass",
        "B1": str(3 + (i * salt) % 14 / 2),
    }


async def mark_fully(
    hub: HubProcess, program: str, bibs: list[int], skip_b1: tuple[int, ...] = (), salt: int = 7
) -> None:
    judges = [await judge(hub, f"{program}-j{n}") for n in (1, 2, 3)]
    for i in bibs:
        m = marks_for(i, salt)
        cid = f"{program}-{i}"
        for n, j in enumerate(judges, start=1):
            ack = await mark(j, f"seed-{cid}-A1-{n}", program, cid, "A1", m["A1"])
            assert ack["type"] == "ack", ack
        assert (await mark(judges[0], f"seed-{cid}-A2", program, cid, "A2", m["A2"]))[
            "type"
        ] == "ack"
        if i not in skip_b1:
            assert (await mark(judges[0], f"seed-{cid}-B1", program, cid, "B1", m["B1"]))[
                "type"
            ] == "ack"


async def set_visibility(hub: HubProcess, program: str, visibility: str) -> None:
    chief = await judge(hub, f"{program}-chief")
    await chief.send(
        {
            "type": "visibility",
            "id": f"vis-{program}-{visibility}",
            "program": program,
            "visibility": visibility,
        }
    )
    reply = await chief.recv_until(lambda f: f.get("id") == f"vis-{program}-{visibility}")
    assert reply["type"] == "ack", reply


async def publish(hub: HubProcess, program: str) -> None:
    """Make a fully marked program official the way a jury does (issue 14's lifecycle)."""
    await official(hub, program, [f"{program}-j{n}" for n in (1, 2, 3)])


async def seed(hub: HubProcess) -> None:
    try:
        await mark_fully(hub, "weld", list(range(1, 11)), skip_b1=(4,))
        await mark_fully(hub, "cook", list(range(1, 7)))
        await mark_fully(hub, "cnc", list(range(1, 7)))
        await mark_fully(hub, "robot", list(range(1, 9)), salt=5)
        await publish(hub, "robot")
    finally:
        await close_all()


def run_async(coro: Any) -> None:
    """Run a coroutine to completion on a loop of its own, in a thread (the test's loop is not touched)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as e:  # noqa: BLE001 — re-raised in the caller
            errors.append(e)

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if errors:
        raise errors[0]


def start_hub(workdir: Path) -> HubProcess:
    hub = HubProcess(
        workdir, competition=display_competition(), env={"SCORECAST_JUDGE_RATE": "10000"}
    )
    hub.issue_credentials()
    hub.start()
    return hub


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """A seeded hub shared by the display tests: they may add marks, never change a visibility."""
    hub = start_hub(tmp_path_factory.mktemp("display-hub"))
    try:
        run_async(seed(hub))
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def fresh_hub(tmp_path: Path) -> Iterator[HubProcess]:
    """A seeded hub of the test's own (for tests that restart it)."""
    hub = start_hub(tmp_path / "hub")
    try:
        run_async(seed(hub))
        yield hub
    finally:
        hub.stop()
