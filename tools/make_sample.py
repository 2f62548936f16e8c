"""Generate the sample competition ``provincial2026.toml`` (a dev tool, not part of the core).

Run ``python3 -m tools.make_sample`` after changing this script; the
generated file (in ``scoreboard/samples/``, package data) is committed, and a test checks it matches this script's output.

Everything but ``main()`` is pure string building: ``build_competition`` turns
the two CSVs (skill names, delegations) into a competition dict, and
``to_toml`` writes it as a readable TOML file by hand (the standard library
reads TOML but has no writer): one ``[[programs]]`` block per program, one
competitor per line, one ``[[judges]]`` block per judge.

Conflict of interest is on (a judge never marks their own delegation), so each
program takes its judges from delegations that have no competitor in it, plus
at most a few "spare" judges from competing delegations: every aspect of every
competitor can still be marked by a full panel.
"""

from __future__ import annotations

import csv
import io
from typing import Any

Data = dict[str, Any]

# Realistic names: surname and given name, each with its pinyin.
SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("胡", "Hu"),
    ("朱", "Zhu"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("何", "He"),
    ("郭", "Guo"),
    ("马", "Ma"),
    ("罗", "Luo"),
    ("梁", "Liang"),
    ("宋", "Song"),
    ("郑", "Zheng"),
    ("谢", "Xie"),
    ("韩", "Han"),
    ("唐", "Tang"),
    ("冯", "Feng"),
    ("于", "Yu"),
    ("董", "Dong"),
    ("程", "Cheng"),
    ("曹", "Cao"),
    ("袁", "Yuan"),
    ("邓", "Deng"),
    ("许", "Xu"),
    ("傅", "Fu"),
    ("沈", "Shen"),
    ("曾", "Zeng"),
    ("彭", "Peng"),
    ("吕", "Lyu"),
    ("苏", "Su"),
]
GIVEN = [
    ("磊", "Lei"),
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("强", "Qiang"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("霞", "Xia"),
    ("平", "Ping"),
    ("刚", "Gang"),
    ("桂英", "Guiying"),
    ("建华", "Jianhua"),
    ("志强", "Zhiqiang"),
    ("海燕", "Haiyan"),
    ("晓东", "Xiaodong"),
    ("文博", "Wenbo"),
    ("子涵", "Zihan"),
    ("雨轩", "Yuxuan"),
    ("浩然", "Haoran"),
    ("思远", "Siyuan"),
    ("佳怡", "Jiayi"),
    ("欣怡", "Xinyi"),
    ("宇航", "Yuhang"),
    ("俊杰", "Junjie"),
    ("鹏飞", "Pengfei"),
    ("嘉琪", "Jiaqi"),
    ("梓萱", "Zixuan"),
    ("一鸣", "Yiming"),
    ("天宇", "Tianyu"),
    ("振华", "Zhenhua"),
    ("丽娟", "Lijuan"),
    ("国栋", "Guodong"),
    ("春雷", "Chunlei"),
    ("明辉", "Minghui"),
    ("婷婷", "Tingting"),
    ("博文", "Bowen"),
    ("晨曦", "Chenxi"),
    ("建国", "Jianguo"),
    ("红梅", "Hongmei"),
    ("立新", "Lixin"),
    ("永刚", "Yonggang"),
    ("丹", "Dan"),
    ("鑫", "Xin"),
    ("帅", "Shuai"),
    ("琳", "Lin"),
    ("凯", "Kai"),
    ("颖", "Ying"),
    ("昊", "Hao"),
    ("悦", "Yue"),
    ("斌", "Bin"),
    ("慧", "Hui"),
]
CHINESE_DIGITS = "一二三四五六七八九"


class Names:
    """Distinct people's names in a fixed order: every (surname, given name) pair at most once."""

    def __init__(self) -> None:
        self.i = 0

    def next(self) -> dict[str, str]:
        i = self.i
        self.i += 1
        s_zh, s_en = SURNAMES[(23 * i) % len(SURNAMES)]
        g_zh, g_en = GIVEN[(7 * i + i // len(SURNAMES)) % len(GIVEN)]
        return {"zh": s_zh + g_zh, "en": f"{s_en} {g_en}"}


def name(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def aspect(aid: str, zh: str, en: str, kind: str, **fields: Any) -> Data:
    return {"id": aid, "name": name(zh, en), "type": kind, **fields}


def criterion(cid: str, zh: str, en: str, aspects: list[Data], **fields: Any) -> Data:
    return {"id": cid, "name": name(zh, en), **fields, "aspects": aspects}


def judging(n: int = 3, tolerance: str = "1") -> dict[str, Any]:
    """WorldSkills judgement: three judges, 0-3, scores at most one point apart."""
    return {"panel": n, "aggregation": "mean", "agreement": {"tolerance": tolerance}}


MEDALS = {"type": "medals", "awards": ["gold", "silver", "bronze"]}


# -- the programs -------------------------------------------------------------------
#
# Each spec: the program dict without competitors, how many competitors (or teams),
# and its judges as (assignment, spare): an assignment is {} (the whole program),
# {"criteria": [...]} or {"aspects": [...]}; a spare judge comes from a competing
# delegation, the others from delegations with no competitor in the program.


def welding() -> tuple[Data, int, list[tuple[Data, bool]]]:
    judge = judging()
    prog = {
        "comment": "WorldSkills style: measurement (pass/fail and tolerance bands) and judgement 0-3 by three "
        "judges at most 1 apart; standardised on the median (MAD), centre 700; medals and a Medallion "
        "for Excellence at 700 and above; a guest competitor (no rank, award or standardised score).",
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["total desc"], "mode": "standard"},
        "standardisation": {"centre": "700", "factor": "50", "spread": "mad", "places": 0},
        "awards": [
            MEDALS,
            {"type": "threshold", "award": "medallion", "key": "standardised", "min": "700"},
        ],
        "criteria": [
            criterion(
                "A",
                "尺寸测量",
                "Dimensional measurement",
                [
                    aspect(
                        "A1",
                        "试件宽度",
                        "Test piece width (mm)",
                        "banded",
                        max="6.00",
                        nominal="12.00",
                        step="0.01",
                        bands=[
                            {"within": "0.10", "points": "6.00"},
                            {"within": "0.30", "points": "3.00"},
                        ],
                    ),
                    aspect(
                        "A2",
                        "角焊缝焊脚尺寸",
                        "Fillet weld leg size (mm)",
                        "banded",
                        max="6.00",
                        nominal="8.00",
                        step="0.01",
                        bands=[
                            {"within": "0.20", "points": "6.00"},
                            {"within": "0.50", "points": "3.00"},
                        ],
                    ),
                    aspect(
                        "A3",
                        "焊后平面度",
                        "Flatness after welding (mm)",
                        "banded",
                        max="6.00",
                        nominal="0.00",
                        step="0.05",
                        bands=[
                            {"within": "0.50", "points": "6.00"},
                            {"within": "1.00", "points": "2.00"},
                        ],
                    ),
                    aspect("A4", "无咬边", "No undercut", "measurement", max="6.00"),
                    aspect("A5", "无表面气孔", "No surface porosity", "measurement", max="6.00"),
                ],
                max="30.00",
            ),
            criterion(
                "B",
                "无损检测与压力试验",
                "Non-destructive and pressure testing",
                [
                    aspect(
                        "B1",
                        "压力容器无泄漏",
                        "Pressure vessel holds without leaks",
                        "measurement",
                        max="10.00",
                    ),
                    aspect(
                        "B2", "射线检测合格", "Radiographic test passed", "measurement", max="10.00"
                    ),
                    aspect("B3", "弯曲试验合格", "Bend test passed", "measurement", max="10.00"),
                ],
                max="30.00",
            ),
            criterion(
                "C",
                "外观评价",
                "Visual inspection",
                [
                    aspect(
                        "C1", "焊缝外观", "Weld bead appearance", "judgement", max="10.00", **judge
                    ),
                    aspect(
                        "C2",
                        "焊缝均匀性",
                        "Uniformity of the weld",
                        "judgement",
                        max="10.00",
                        **judge,
                    ),
                    aspect(
                        "C3", "起弧与收弧", "Starts and stops", "judgement", max="10.00", **judge
                    ),
                    aspect(
                        "C4",
                        "清洁与飞溅",
                        "Cleanliness and spatter",
                        "judgement",
                        max="10.00",
                        **judge,
                    ),
                ],
                max="40.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["A", "B"]}, False),
        ({"criteria": ["A", "B", "C"]}, True),
        ({"criteria": ["C"]}, False),
        ({"criteria": ["C"]}, False),
        ({"criteria": ["C"]}, True),
    ]
    return prog, 14, judges


def cooking() -> tuple[Data, int, list[tuple[Data, bool]]]:
    judge = judging()
    prog = {
        "comment": "WorldSkills style, results kept hidden until the ceremony: standardised on the mean (SD), "
        "centre 500; ranked by the standardised score with a tolerance tie of 2 points; a deduction for waste.",
        "visibility": "hidden",
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["standardised desc"], "tolerance": "2", "mode": "standard"},
        "standardisation": {"centre": "500", "factor": "20", "spread": "sd", "places": 0},
        "awards": [
            MEDALS,
            {"type": "threshold", "award": "medallion", "key": "standardised", "min": "500"},
        ],
        "criteria": [
            criterion(
                "A",
                "卫生与工作组织",
                "Hygiene and work organisation",
                [
                    aspect("A1", "个人卫生", "Personal hygiene", "measurement", max="5.00"),
                    aspect("A2", "食品安全", "Food safety", "measurement", max="5.00"),
                    aspect(
                        "A3",
                        "食材浪费",
                        "Food waste (items)",
                        "deduction",
                        max="10.00",
                        per_error="2.50",
                    ),
                ],
                max="20.00",
            ),
            criterion(
                "B",
                "冷盘开胃菜",
                "Cold starter",
                [
                    aspect("B1", "口味", "Taste", "judgement", max="20.00", **judge),
                    aspect("B2", "装盘", "Presentation", "judgement", max="10.00", **judge),
                    aspect("B3", "准时出菜", "Served on time", "measurement", max="10.00"),
                ],
                max="40.00",
            ),
            criterion(
                "C",
                "热菜主菜",
                "Hot main course",
                [
                    aspect("C1", "口味", "Taste", "judgement", max="20.00", **judge),
                    aspect("C2", "装盘", "Presentation", "judgement", max="10.00", **judge),
                    aspect("C3", "准时出菜", "Served on time", "measurement", max="10.00"),
                ],
                max="40.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["A"]}, False),
        ({"criteria": ["B", "C"]}, False),
        ({"criteria": ["B", "C"]}, False),
        ({"criteria": ["B", "C"]}, False),
        ({}, True),
    ]
    return prog, 12, judges


def mechatronics() -> tuple[Data, int, list[tuple[Data, bool]]]:
    judge = judging()
    prog = {
        "comment": "WorldSkills team event (two per team): measurement, a deduction for faults left, judgement; "
        "dense ranks, equal totals broken by programming and commissioning.",
        "team": True,
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["total desc", "criterion:B desc"], "mode": "dense"},
        "awards": [MEDALS],
        "criteria": [
            criterion(
                "A",
                "机械与气动装配",
                "Mechanical and pneumatic assembly",
                [
                    aspect("A1", "底板装配", "Base plate assembly", "measurement", max="10.00"),
                    aspect("A2", "气动回路", "Pneumatic circuit", "measurement", max="10.00"),
                    aspect("A3", "传感器安装", "Sensor installation", "measurement", max="10.00"),
                    aspect("A4", "线缆整理", "Cable management", "measurement", max="5.00"),
                ],
                max="35.00",
            ),
            criterion(
                "B",
                "编程与调试",
                "Programming and commissioning",
                [
                    aspect("B1", "自动运行", "Automatic cycle runs", "measurement", max="15.00"),
                    aspect("B2", "安全功能", "Safety functions", "measurement", max="15.00"),
                    aspect(
                        "B3",
                        "遗留故障",
                        "Faults left (count)",
                        "deduction",
                        max="15.00",
                        per_error="5.00",
                    ),
                ],
                max="45.00",
            ),
            criterion(
                "C",
                "职业素养",
                "Professional practice",
                [
                    aspect(
                        "C1", "工作组织", "Work organisation", "judgement", max="10.00", **judge
                    ),
                    aspect(
                        "C2",
                        "技术文档",
                        "Technical documentation",
                        "judgement",
                        max="10.00",
                        **judge,
                    ),
                ],
                max="20.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["A", "B"]}, False),
        ({"criteria": ["A", "B"]}, True),
        ({"criteria": ["C"]}, False),
        ({"criteria": ["C"]}, False),
        ({"criteria": ["C"]}, False),
    ]
    return prog, 9, judges


def mobile_robotics() -> tuple[Data, int, list[tuple[Data, bool]]]:
    prog = {
        "comment": "Timed team event with penalties (lower is better): run time by two timekeepers at most "
        "0.50 s apart, +2 s per obstacle touched, +50 s per checkpoint missed, +10 s per manual intervention "
        "(at most 30 s); no shared ranks; fewer than 5 teams: gold only.",
        "team": True,
        "lower_is_better": True,
        "rounding": "total",
        "ranking": {"keys": ["total asc", "aspect:R3 asc", "aspect:R1 asc"], "mode": "unique"},
        "awards": [MEDALS],
        "min_field": {"size": 5, "awards": ["gold"]},
        "criteria": [
            criterion(
                "R",
                "计时赛",
                "Timed run",
                [
                    aspect(
                        "R1",
                        "完成用时",
                        "Run time (s)",
                        "time",
                        range=["30.00", "600.00"],
                        step="0.01",
                        panel=2,
                        aggregation="mean",
                        agreement={"tolerance": "0.50"},
                    ),
                    aspect(
                        "R2",
                        "碰撞障碍",
                        "Obstacles touched",
                        "penalty",
                        per_unit="2",
                        range=["0", "20"],
                    ),
                    aspect(
                        "R3",
                        "漏检查点",
                        "Checkpoints missed",
                        "penalty",
                        per_unit="50",
                        range=["0", "5"],
                    ),
                    aspect(
                        "R4",
                        "人工干预",
                        "Manual interventions",
                        "penalty",
                        per_unit="10",
                        cap="30",
                        range=["0", "10"],
                    ),
                ],
            ),
        ],
    }
    judges = [
        ({"aspects": ["R1"]}, False),
        ({"aspects": ["R1"]}, False),
        ({"aspects": ["R2", "R3", "R4"]}, False),
        ({"aspects": ["R1", "R2", "R3", "R4"]}, True),
    ]
    return prog, 8, judges


def cyber_security() -> tuple[Data, int, list[tuple[Data, bool]]]:
    judge = judging()
    prog = {
        "comment": "WorldSkills style, measurement and judgement, with the time to contain the incident kept "
        "for tie-breaks only; medals and a Medallion for Excellence at a total of 70.00.",
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["total desc", "aspect:C3 asc"], "mode": "standard"},
        "awards": [
            MEDALS,
            {"type": "threshold", "award": "medallion", "key": "total", "min": "70.00"},
        ],
        "criteria": [
            criterion(
                "A",
                "系统加固",
                "System hardening",
                [
                    aspect("A1", "防火墙策略", "Firewall policy", "measurement", max="8.00"),
                    aspect(
                        "A2",
                        "账户与口令策略",
                        "Accounts and password policy",
                        "measurement",
                        max="8.00",
                    ),
                    aspect("A3", "服务最小化", "Minimal services", "measurement", max="8.00"),
                    aspect("A4", "日志审计", "Log auditing", "measurement", max="8.00"),
                    aspect("A5", "补丁管理", "Patch management", "measurement", max="8.00"),
                ],
                max="40.00",
            ),
            criterion(
                "B",
                "渗透测试",
                "Penetration testing",
                [
                    aspect("B1", "信息收集", "Reconnaissance", "measurement", max="10.00"),
                    aspect("B2", "漏洞利用", "Exploitation", "measurement", max="10.00"),
                    aspect("B3", "权限提升", "Privilege escalation", "measurement", max="10.00"),
                    aspect("B4", "获取旗标", "Flags captured", "measurement", max="10.00"),
                ],
                max="40.00",
            ),
            criterion(
                "C",
                "应急响应",
                "Incident response",
                [
                    aspect("C1", "分析报告", "Analysis report", "judgement", max="10.00", **judge),
                    aspect("C2", "处置方案", "Remediation plan", "judgement", max="10.00", **judge),
                    aspect(
                        "C3",
                        "处置用时",
                        "Time to contain (s)",
                        "time",
                        range=["0", "7200"],
                        step="1",
                        counts=False,
                    ),
                ],
                max="20.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["A"]}, False),
        ({"criteria": ["B"]}, False),
        ({"criteria": ["C"]}, False),
        ({"criteria": ["C"]}, False),
        ({}, False),
    ]
    return prog, 12, judges


def floristry() -> tuple[Data, int, list[tuple[Data, bool]]]:
    panel = {
        "range": ["0", "10"],
        "step": "0.5",
        "panel": 5,
        "aggregation": "middle_sum",
        "trim": 1,
    }
    prog = {
        "comment": "Panel-scored like diving: five judges score 0-10, the highest and lowest are dropped and "
        "the middle three summed, times each competitor's declared degree of difficulty per piece; three "
        "rounds, the semifinal and final count; ordinal ranks.",
        "rounding": "aspect",
        "rounds": ["preliminary", "semifinal", "final"],
        "standing_rounds": ["semifinal", "final"],
        "ranking": {"keys": ["total desc"], "mode": "ordinal"},
        "awards": [MEDALS],
        "criteria": [
            criterion(
                "P",
                "初赛",
                "Preliminary round",
                [
                    aspect("P1", "手捧花束", "Hand-tied bouquet", "score", **panel),
                    aspect("P2", "桌面花艺", "Table arrangement", "score", **panel),
                ],
                round="preliminary",
            ),
            criterion(
                "S",
                "半决赛",
                "Semifinal",
                [
                    aspect("S1", "新娘手捧花", "Bridal bouquet", "score", **panel),
                    aspect("S2", "空间花艺装置", "Installation", "score", **panel),
                ],
                round="semifinal",
            ),
            criterion(
                "F",
                "决赛",
                "Final",
                [
                    aspect("F1", "神秘花材", "Mystery box", "score", **panel),
                    aspect("F2", "自由创作", "Free design", "score", **panel),
                ],
                round="final",
            ),
        ],
    }
    judges: list[tuple[Data, bool]] = [({}, False)] * 5
    return prog, 10, judges


def electrician() -> tuple[Data, int, list[tuple[Data, bool]]]:
    prog = {
        "comment": "Chinese national style: theory 30 % + practical 70 %; workmanship marked by five judges, "
        "highest and lowest dropped; equal totals broken by the practical score, then the shorter practical "
        "time; medals, 优胜奖 for non-medallists in the top half, 技术能手 title for the top 3 employees.",
        "rounding": "component",
        "components": [
            {
                "id": "theory",
                "name": name("理论知识", "Theory"),
                "weight": "0.3",
                "criteria": ["T"],
            },
            {
                "id": "practical",
                "name": name("操作技能", "Practical"),
                "weight": "0.7",
                "criteria": ["P1", "P2", "P3"],
            },
        ],
        "ranking": {
            "keys": ["total desc", "component:practical desc", "aspect:PT asc"],
            "mode": "standard",
        },
        "awards": [
            MEDALS,
            {"type": "fraction", "award": "优胜奖", "fraction": "0.5"},
            {"type": "title", "award": "技术能手", "top": 3, "eligible": "employee"},
        ],
        "criteria": [
            criterion(
                "T",
                "理论知识",
                "Theory",
                [
                    aspect(
                        "T1",
                        "理论考试",
                        "Written examination",
                        "score",
                        range=["0", "100"],
                        step="0.5",
                    ),
                ],
                max="100.00",
            ),
            criterion(
                "P1",
                "电路安装与接线",
                "Circuit installation and wiring",
                [
                    aspect(
                        "P1a",
                        "主电路接线正确",
                        "Main circuit wired correctly",
                        "measurement",
                        max="8.00",
                    ),
                    aspect(
                        "P1b",
                        "控制电路接线正确",
                        "Control circuit wired correctly",
                        "measurement",
                        max="8.00",
                    ),
                    aspect(
                        "P1c",
                        "通电试运行一次成功",
                        "Powers up first time",
                        "measurement",
                        max="8.00",
                    ),
                    aspect("P1d", "接地可靠", "Earthing sound", "measurement", max="8.00"),
                    aspect(
                        "P1e",
                        "线槽布线规范",
                        "Trunking and routing to standard",
                        "measurement",
                        max="8.00",
                    ),
                    aspect(
                        "PT",
                        "实操用时",
                        "Practical time (s)",
                        "time",
                        range=["1800", "10800"],
                        step="1",
                        counts=False,
                    ),
                ],
                max="40.00",
            ),
            criterion(
                "P2",
                "故障排除",
                "Troubleshooting",
                [
                    aspect(
                        "P2a",
                        "未排除故障",
                        "Faults not cleared (count)",
                        "deduction",
                        max="20.00",
                        per_error="5.00",
                        range=["0", "4"],
                    ),
                ],
                max="20.00",
            ),
            criterion(
                "P3",
                "工艺与安全规范",
                "Workmanship and safe practice",
                [
                    aspect(
                        "P3a",
                        "工艺评分",
                        "Workmanship",
                        "score",
                        range=["0", "40"],
                        step="0.5",
                        panel=5,
                        aggregation="trimmed",
                        trim=1,
                    ),
                ],
                max="40.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["T", "P3"]}, False),
        ({"criteria": ["P1", "P2", "P3"]}, False),
        ({"criteria": ["P1", "P2", "P3"]}, False),
        ({"criteria": ["P3"]}, False),
        ({"criteria": ["P3"]}, False),
    ]
    return prog, 20, judges


def fitter() -> tuple[Data, int, list[tuple[Data, bool]]]:
    prog = {
        "comment": "Chinese national style: theory 20 % + practical 80 %; workmanship by the median of three "
        "judges; a -5.00 penalty per safety violation (at most -10.00); first, second and third prizes to "
        "10 %, 20 % and 30 % of the field; dense ranks; one competitor did not start.",
        "rounding": "aspect",
        "components": [
            {
                "id": "theory",
                "name": name("理论知识", "Theory"),
                "weight": "0.2",
                "criteria": ["T"],
            },
            {
                "id": "practical",
                "name": name("操作技能", "Practical"),
                "weight": "0.8",
                "criteria": ["P1", "P2", "P3"],
            },
        ],
        "ranking": {"keys": ["total desc", "component:practical desc"], "mode": "dense"},
        "awards": [
            {
                "type": "bands",
                "awards": ["一等奖", "二等奖", "三等奖"],
                "percents": ["10", "20", "30"],
            }
        ],
        "criteria": [
            criterion(
                "T",
                "理论知识",
                "Theory",
                [
                    aspect(
                        "T1",
                        "理论考试",
                        "Written examination",
                        "score",
                        range=["0", "100"],
                        step="1",
                    ),
                ],
                max="100.00",
            ),
            criterion(
                "P1",
                "尺寸精度",
                "Dimensional accuracy",
                [
                    aspect("P1a", "外形尺寸", "Outline dimensions", "measurement", max="10.00"),
                    aspect("P1b", "孔距", "Hole spacing", "measurement", max="10.00"),
                    aspect("P1c", "平行度", "Parallelism", "measurement", max="10.00"),
                    aspect("P1d", "垂直度", "Perpendicularity", "measurement", max="10.00"),
                    aspect("P1e", "表面粗糙度", "Surface roughness", "measurement", max="10.00"),
                ],
                max="50.00",
            ),
            criterion(
                "P2",
                "配合精度",
                "Fit",
                [
                    aspect(
                        "P2a",
                        "配合间隙超差",
                        "Fit gaps out of tolerance (count)",
                        "deduction",
                        max="20.00",
                        per_error="4.00",
                        range=["0", "5"],
                    ),
                ],
                max="20.00",
            ),
            criterion(
                "P3",
                "工艺与安全",
                "Workmanship and safety",
                [
                    aspect(
                        "P3a",
                        "工艺质量",
                        "Workmanship",
                        "score",
                        range=["0", "30"],
                        step="0.5",
                        panel=3,
                        aggregation="median",
                    ),
                    aspect(
                        "P3b",
                        "安全违规",
                        "Safety violations",
                        "penalty",
                        per_unit="-5.00",
                        cap="10.00",
                        range=["0", "3"],
                    ),
                ],
                max="30.00",
            ),
        ],
    }
    judges = [
        ({"criteria": ["T", "P1", "P2"]}, False),
        ({"criteria": ["P1", "P2", "P3"]}, False),
        ({"criteria": ["P3"]}, False),
        ({"criteria": ["P3"]}, False),
        ({"criteria": ["P3"]}, True),
    ]
    return prog, 16, judges


def tea_art() -> tuple[Data, int, list[tuple[Data, bool]]]:
    trimmed = {"step": "0.5", "panel": 5, "aggregation": "trimmed", "trim": 1}
    prog = {
        "comment": "Chinese national style: theory 30 % + practical 70 %; five judges, highest and lowest "
        "dropped, each judge's mark rounded first; when the tea setting's marks spread more than 6 points, "
        "the plain mean is used instead; fixed counts of 1 first, 2 second and 3 third prizes; fewer than "
        "6 entrants: first prize only.",
        "rounding": "judge",
        "components": [
            {
                "id": "theory",
                "name": name("理论知识", "Theory"),
                "weight": "0.3",
                "criteria": ["T"],
            },
            {
                "id": "practical",
                "name": name("操作技能", "Practical"),
                "weight": "0.7",
                "criteria": ["P1", "P2"],
            },
        ],
        "ranking": {"keys": ["total desc", "component:practical desc"], "mode": "standard"},
        "awards": [
            {"type": "counts", "awards": ["一等奖", "二等奖", "三等奖"], "counts": [1, 2, 3]}
        ],
        "min_field": {"size": 6, "awards": ["一等奖"]},
        "criteria": [
            criterion(
                "T",
                "理论知识",
                "Theory",
                [
                    aspect(
                        "T1",
                        "理论考试",
                        "Written examination",
                        "score",
                        range=["0", "100"],
                        step="1",
                    ),
                ],
                max="100.00",
            ),
            criterion(
                "P1",
                "茶席设计",
                "Tea setting design",
                [
                    aspect(
                        "P1a",
                        "茶席设计",
                        "Tea setting design",
                        "score",
                        range=["0", "30"],
                        **trimmed,
                        agreement={"tolerance": "6", "action": "mean"},
                    ),
                ],
                max="30.00",
            ),
            criterion(
                "P2",
                "茶艺演示",
                "Tea ceremony performance",
                [
                    aspect(
                        "P2a",
                        "礼仪仪表",
                        "Etiquette and presence",
                        "score",
                        range=["0", "20"],
                        **trimmed,
                    ),
                    aspect(
                        "P2b",
                        "冲泡技艺",
                        "Brewing technique",
                        "score",
                        range=["0", "30"],
                        **trimmed,
                    ),
                    aspect(
                        "P2c",
                        "茶汤质量",
                        "Quality of the liquor",
                        "score",
                        range=["0", "20"],
                        **trimmed,
                    ),
                ],
                max="70.00",
            ),
        ],
    }
    judges: list[tuple[Data, bool]] = [({}, False)] * 5
    return prog, 14, judges


def jewellery() -> tuple[Data, int, list[tuple[Data, bool]]]:
    judge = judging()
    prog = {
        "comment": "Anonymised marking (加密) in two layers: the on-site judges mark the work process under "
        "the drawn workstation number (工位号); the finished pieces are judged afterwards in another room "
        "under a second, independent code (成果评分, 二次加密), by other judges. Until the codes are decrypted "
        "(解密) after the review, with a supervisor present, the public follows it by workstation number "
        "only (工位 07: no name, bib or delegation, and no total or rank, which would pair the two layers' "
        "codes); at decryption the names appear.",
        "visibility": "live",
        "public_before_decryption": "codes",
        "anonymous": True,
        "anonymous_layer": "workstation",
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["total desc", "criterion:C desc"], "mode": "standard"},
        "awards": [MEDALS],
        "criteria": [
            criterion(
                "A",
                "工作过程",
                "Work process (on site)",
                [
                    aspect("A1", "安全文明操作", "Safe and tidy work", "measurement", max="10.00"),
                    aspect("A2", "按时完成", "Finished on time", "measurement", max="10.00"),
                ],
                max="20.00",
            ),
            criterion(
                "B",
                "尺寸与工艺",
                "Dimensions and workmanship (judged afterwards)",
                [
                    aspect(
                        "B1",
                        "尺寸符合图纸",
                        "Dimensions to the drawing",
                        "measurement",
                        max="15.00",
                    ),
                    aspect(
                        "B2",
                        "焊接与镶嵌牢固",
                        "Soldering and setting hold",
                        "measurement",
                        max="15.00",
                    ),
                    aspect("B3", "表面抛光", "Surface polish", "measurement", max="10.00"),
                ],
                max="40.00",
                anonymous_layer="code",
            ),
            criterion(
                "C",
                "外观评价",
                "Appearance (judged afterwards)",
                [
                    aspect("C1", "整体造型", "Overall form", "judgement", max="20.00", **judge),
                    aspect("C2", "镶嵌效果", "Stone setting", "judgement", max="20.00", **judge),
                ],
                max="40.00",
                anonymous_layer="code",
            ),
        ],
    }
    judges = [
        ({"criteria": ["A"]}, False),
        ({"criteria": ["A"]}, False),
        ({"criteria": ["B", "C"]}, False),
        ({"criteria": ["B", "C"]}, False),
        ({"criteria": ["B", "C"]}, False),
    ]
    return prog, 10, judges


def elderly_care() -> tuple[Data, int, list[tuple[Data, bool]]]:
    paper = {"step": "0.5", "panel": 3, "aggregation": "mean"}
    prog = {
        "comment": "Chinese national style, marked on paper (双人录入): three judges fill in and sign a score "
        "sheet per competitor; two data-entry operators type every sheet independently, and a mark counts "
        "only when both entries agree (a mismatch waits on the chief's desk). 1 first, 2 second and 3 "
        "third prizes.",
        "double_entry": True,
        "rounding": "aspect",
        "total_max": "100.00",
        "ranking": {"keys": ["total desc", "criterion:B desc"], "mode": "standard"},
        "awards": [
            {"type": "counts", "awards": ["一等奖", "二等奖", "三等奖"], "counts": [1, 2, 3]}
        ],
        "criteria": [
            criterion(
                "A",
                "生活照料",
                "Daily living care",
                [
                    aspect(
                        "A1", "生活照料", "Daily living care", "score", range=["0", "30"], **paper
                    )
                ],
                max="30.00",
            ),
            criterion(
                "B",
                "基础照护",
                "Basic nursing care",
                [
                    aspect(
                        "B1", "基础照护", "Basic nursing care", "score", range=["0", "40"], **paper
                    )
                ],
                max="40.00",
            ),
            criterion(
                "C",
                "沟通与人文关怀",
                "Communication and compassion",
                [
                    aspect(
                        "C1",
                        "沟通与人文关怀",
                        "Communication and compassion",
                        "score",
                        range=["0", "30"],
                        **paper,
                    )
                ],
                max="30.00",
            ),
        ],
    }
    judges: list[tuple[Data, bool]] = [({}, False)] * 3
    return prog, 10, judges


PROGRAMS = {
    "welding": welding,
    "cooking": cooking,
    "mechatronics": mechatronics,
    "mobile-robotics": mobile_robotics,
    "cyber-security": cyber_security,
    "floristry": floristry,
    "electrician": electrician,
    "fitter": fitter,
    "tea-art": tea_art,
    "jewellery": jewellery,  # anonymous, two layers (加密, 二次加密)
    "elderly-care": elderly_care,  # paper sheets, double entry (双人录入)
}


def _difficulty(i: int, j: int) -> str:
    """A declared degree of difficulty, 1.6 to 3.2, that varies by competitor and piece."""
    tenths = 16 + (i * 7 + j * 5 + i * j) % 17
    return f"{tenths // 10}.{tenths % 10}"


def _competitors(
    slug: str, prog: Data, n: int, pool: list[tuple[str, Data]], names: Names
) -> list[Data]:
    out: list[Data] = []
    team = prog.get("team", False)
    teams_of: dict[str, int] = {}
    aspects = [a["id"] for c in prog["criteria"] for a in c["aspects"]]
    for i in range(n):
        code, deleg = pool[i % len(pool)]
        c: Data = {"bib": f"{i + 1:02d}"}
        if team:
            k = teams_of[code] = teams_of.get(code, 0) + 1
            c["name"] = name(f"{deleg['zh']}{CHINESE_DIGITS[k - 1]}队", f"{deleg['en']} {k}")
            c["delegation"] = code
            c["members"] = [names.next(), names.next()]
        else:
            c["name"] = names.next()
            c["delegation"] = code
            # what the honours and the talent list read: a workplace, a year of birth, and the
            # consent of two in three to be shown to employers (/talent)
            c["workplace"] = f"{deleg['zh']}{WORKPLACES[i % len(WORKPLACES)]}"
            c["born"] = 1986 + (i * 7) % 17
            c["talent_consent"] = i % 3 != 1
        if any(k.get("id") == "theory" for k in prog.get("components", ())):
            c["tags"] = ["employee"] if i % 3 != 2 else ["student"]
        if slug == "floristry":
            c["multipliers"] = {aid: _difficulty(i, j) for j, aid in enumerate(aspects)}
        if slug == "fitter" and i == n - 3:
            c["status"] = "DNS"
        out.append(c)
    if slug == "welding":
        out.append({"bib": "90", "name": name("陈嘉欣", "Chan Ka Yan"), "guest": True})
    return out


WORKPLACES = ["技师学院", "装备制造有限公司", "职业技术学院", "建设集团"]


# The public index groups programs by these (skills.csv's sector column), in this order.
SECTORS = {
    "manufacturing": ("制造与工程技术", "Manufacturing and Engineering Technology"),
    "construction": ("建筑与工程技术", "Construction and Building Technology"),
    "transport": ("运输与物流", "Transportation and Logistics"),
    "ict": ("信息与通信技术", "Information and Communication Technology"),
    "creative": ("创意艺术与时尚", "Creative Arts and Fashion"),
    "services": ("社会与个人服务", "Social and Personal Services"),
    "national-industry": ("国赛精选：工业", "National selection: industry"),
    "national-services": ("国赛精选：服务", "National selection: services"),
}
VENUES = [
    {
        "id": "dl-expo",
        "name": name("大连世界博览广场", "Dalian World Expo Center"),
        "city": name("大连", "Dalian"),
    },
    {
        "id": "sy-poly",
        "name": name("沈阳职业技术学院", "Shenyang Polytechnic College"),
        "city": name("沈阳", "Shenyang"),
    },
]
AWAY = {"tea-art": "sy-poly"}  # the programs held at another site; the rest are in Dalian
DAYS = ["2026-05-20", "2026-05-21", "2026-05-22"]


def _side(
    sid: str, kind: str, zh: str, en: str, day: int, start: str, end: str, place: Data
) -> Data:
    return {
        "id": sid,
        "kind": kind,
        "name": name(zh, en),
        "day": DAYS[day],
        "start": start,
        "end": end,
        "venue": "dl-expo",
        "place": place,
    }


HALL = {n: name(f"{n}号馆", f"Hall {n}") for n in (1, 2, 3, 5)}
SIDE_EVENTS = [
    _side("opening", "opening", "开幕式", "Opening ceremony", 0, "09:00", "10:00", HALL[1]),
    _side("expo", "exhibition", "技能成果展", "Skills exhibition", 0, "10:00", "17:00", HALL[5]),
    _side(
        "keynote",
        "keynote",
        "主旨演讲：新质生产力与技能人才",
        "Keynote: skills for new quality productive forces",
        0,
        "14:00",
        "15:00",
        HALL[2],
    ),
    _side(
        "champions",
        "talk",
        "世赛冠军面对面",
        "Meet the WorldSkills champions",
        1,
        "10:00",
        "11:30",
        HALL[2],
    ),
    _side(
        "signing",
        "signing",
        "校企合作签约仪式",
        "School-enterprise signing ceremony",
        1,
        "14:00",
        "15:00",
        HALL[2],
    ),
    _side(
        "fair-1",
        "recruitment",
        "技能人才招聘会（一）",
        "Skills recruitment fair (1)",
        1,
        "09:00",
        "16:00",
        HALL[3],
    ),
    _side("show", "performance", "技能展演", "Skills performance", 2, "10:00", "11:00", HALL[1]),
    _side(
        "fair-2",
        "recruitment",
        "技能人才招聘会（二）",
        "Skills recruitment fair (2)",
        2,
        "09:00",
        "12:00",
        HALL[3],
    ),
    _side(
        "closing",
        "closing",
        "闭幕式暨颁奖典礼",
        "Closing and award ceremony",
        2,
        "15:00",
        "17:00",
        HALL[1],
    ),
]
HONOURS = [
    {
        "id": "expert",
        "title": name("辽宁省技术能手", "Liaoning Technical Expert"),
        "top": 5,
        "team_top": 3,
    },
    {
        "id": "technician",
        "kind": "promotion",
        "title": name("晋升技师职业资格", "Promotion to technician"),
        "awards": ["gold", "silver", "bronze", "medallion", "一等奖", "二等奖", "三等奖"],
    },
]


# Who else works on a program (id suffix, role): the reviewer (复核) of the anonymous program,
# who re-checks the review set before decryption; the two data-entry operators (录入员) who
# type the paper sheets of the double-entry program. Every other program's reviewer, who
# re-checks its review set before 公示, is listed after the supervisor (added
# later, so the names above stay as they were).
STAFF = {
    "jewellery": [("reviewer", "reviewer")],
    "elderly-care": [("op1", "operator"), ("op2", "operator")],
}


def build_competition(skills_csv: str, delegations_csv: str) -> Data:
    """The sample competition as a dict, the shape ``scoreboard.load_competition`` reads."""
    skills = {r["slug"]: r for r in csv.DictReader(io.StringIO(skills_csv))}
    delegs = [
        (r["code"], name(r["name_zh"], r["name_en"]))
        for r in csv.DictReader(io.StringIO(delegations_csv))
    ]
    names = Names()
    programs: list[Data] = []
    judges: list[Data] = []
    for k, (slug, spec) in enumerate(PROGRAMS.items()):
        prog, n, panel = spec()
        skill = skills[slug]
        comment = prog.pop("comment")
        # rotate the delegations so that each program's judges come from different cities
        order = delegs[(5 * k) % len(delegs) :] + delegs[: (5 * k) % len(delegs)]
        clean = sum(1 for _, spare in panel if not spare)
        judge_delegs, chief_deleg, pool = order[:clean], order[clean], order[clean + 1 :]
        # teams: one per delegation; individuals: at most 10 delegations in a program
        pool = pool[:n] if prog.get("team") else pool[:10]
        programs.append(
            {
                "comment": comment,
                "id": slug,
                "name": name(skill["name_zh"], skill["name_en"]),
                "visibility": prog.pop("visibility", "live"),
                "places": 2,
                "category": skill["sector"],
                "venue": AWAY.get(slug, "dl-expo"),
                "days": DAYS[k % 2 : k % 2 + 2],
                **prog,
                "competitors": _competitors(slug, prog, n, pool, names),
            }
        )
        spares = 0
        cleans = iter(judge_delegs)
        for j, (assignment, spare) in enumerate(panel):
            if spare:
                code = pool[(2 * spares + 1) % len(pool)][0]
                spares += 1
            else:
                code = next(cleans)[0]
            judges.append(
                {
                    "id": f"{slug}-j{j + 1}",
                    "name": names.next(),
                    "delegation": code,
                    "assignments": [{"program": slug, **assignment}],
                }
            )
        judges.append(
            {
                "id": f"{slug}-chief",
                "name": names.next(),
                "delegation": chief_deleg[0],
                "role": "chief",
                "assignments": [{"program": slug}],
            }
        )
        # the fair-play procedure's people: the organizing committee's staff, of no delegation
        for sid, role in STAFF.get(slug, ()):
            judges.append(
                {
                    "id": f"{slug}-{sid}",
                    "name": names.next(),
                    "role": role,
                    "assignments": [{"program": slug}],
                }
            )
    # the organizing committee amends the competition on the record (/organizer); marks nothing
    judges.append(
        {
            "id": "organizer",
            "name": name("大赛组委会", "Organizing committee"),
            "role": "organizer",
        }
    )
    # the supervisor (监督员) witnesses the draws and confirms decryption (解密) and gate overrides
    judges.append({"id": "supervisor", "name": names.next(), "role": "supervisor"})
    for slug in PROGRAMS:
        if ("reviewer", "reviewer") not in STAFF.get(slug, []):
            judges.append(
                {
                    "id": f"{slug}-reviewer",
                    "name": names.next(),
                    "role": "reviewer",
                    "assignments": [{"program": slug}],
                }
            )
    return {
        "format": 1,
        "id": "provincial2026",
        "name": name(
            "2026年辽宁省职业技能大赛", "Liaoning Provincial Vocational Skills Competition 2026"
        ),
        "delegations": [{"code": c, "name": nm} for c, nm in delegs],
        "venues": VENUES,
        "categories": [
            {"id": sid, "name": name(zh, en)}
            for sid, (zh, en) in SECTORS.items()
            if any(p["category"] == sid for p in programs)
        ],
        "side_events": SIDE_EVENTS,
        "honours": HONOURS,
        "talent_contact": "mailto:talent@example.org",
        "programs": programs,
        "judges": judges,
    }


# -- TOML by hand ---------------------------------------------------------------------


def _key(k: str) -> str:
    bare = k and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in k)
    return k if bare else _str(k)


def _str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return (
            "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }" if v else "{}"
        )
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _lines(key: str, items: list[Any]) -> list[str]:
    """A list written one item per line."""
    return [f"{key} = ["] + [f"  {_value(x)}," for x in items] + ["]"]


def _table(data: Data, skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for k, v in data.items():
        if k in skip:
            continue
        if isinstance(v, list) and v and isinstance(v[0], dict):
            out += _lines(_key(k), v)
        else:
            out.append(f"{_key(k)} = {_value(v)}")
    return out


def _comment(text: str, width: int = 96) -> list[str]:
    lines, line = [], "#"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "#"
        line += " " + word
    return lines + [line]


NO_PROGRAM = {
    "organizer": "# the organizing committee: amends the competition on the record",
    "supervisor": "# the supervisor: witnesses the draws, confirms decryption (解密) and gate overrides",
}


def to_toml(data: Data) -> str:
    out = [
        "# Scorecast sample competition: eleven programs that between them use every scoring rule,",
        "# anonymised marking in two layers (jewellery) and double entry of paper sheets (elderly-care).",
        "# Generated by `python3 -m tools.make_sample`; edit that script, not this file.",
        "",
    ]
    out += _table(data, skip=("programs", "judges"))
    for prog in data["programs"]:
        out += ["", ""] + _comment(prog["comment"]) + ["[[programs]]"]
        out += _table(prog, skip=("comment", "criteria"))
        for crit in prog["criteria"]:
            out += ["", "[[programs.criteria]]"] + _table(crit)
    program = None
    for judge in data["judges"]:
        pid = judge["assignments"][0]["program"] if judge.get("assignments") else None
        if pid is None:
            out += ["", "", NO_PROGRAM[judge["role"]]]
        elif pid != program:
            out += ["", "", f"# judges of {pid}"]
            program = pid
        else:
            out.append("")
        out += ["[[judges]]"] + [f"{_key(k)} = {_value(v)}" for k, v in judge.items()]
    return "\n".join(out) + "\n"


def main() -> None:
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent / "scoreboard" / "samples"
    data = build_competition(
        (here / "data" / "skills.csv").read_text(encoding="utf-8"),
        (here / "data" / "delegations.csv").read_text(encoding="utf-8"),
    )
    target = here / "provincial2026.toml"
    target.write_text(to_toml(data), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
