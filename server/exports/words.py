"""The words the documents print in both languages (they are bilingual: zh first, then en)."""

from __future__ import annotations

from scoreboard.model import Name

AWARDS: dict[str, tuple[str, str]] = {
    "gold": ("金牌", "Gold"),
    "silver": ("银牌", "Silver"),
    "bronze": ("铜牌", "Bronze"),
    "medallion": ("优胜奖", "Medallion for Excellence"),
    "一等奖": ("一等奖", "First prize"),
    "二等奖": ("二等奖", "Second prize"),
    "三等奖": ("三等奖", "Third prize"),
    "优秀奖": ("优秀奖", "Excellence award"),
    "优胜奖": ("优胜奖", "Medallion for Excellence"),
}
STATUS: dict[str, tuple[str, str]] = {
    "ok": ("", ""),
    "DNS": ("缺赛", "DNS"),
    "DNF": ("未完成", "DNF"),
    "DSQ": ("取消资格", "DSQ"),
}
HEADERS: dict[str, tuple[str, str]] = {
    "rank": ("名次", "Rank"),
    "bib": ("参赛号", "Bib"),
    "name_zh": ("姓名", "Name (zh)"),
    "name_en": ("姓名（英文）", "Name (en)"),
    "members": ("团队成员", "Team members"),
    "delegation": ("代表队", "Delegation"),
    "delegation_name": ("代表队名称", "Delegation name"),
    "total": ("总分", "Total"),
    "standardised": ("标准分", "Standardised"),
    "award": ("奖项", "Award"),
    "titles": ("称号", "Titles"),
    "status": ("状态", "Status"),
    "provisional": ("临时", "Provisional"),
}


def award_name(award: str | None) -> Name:
    if not award:
        return {"zh": "", "en": ""}
    zh, en = AWARDS.get(award, (award, award))
    return {"zh": zh, "en": en}


def both(name: Name | None, sep: str = " ") -> str:
    """``焊接 Welding``: the Chinese and the English name (once when they are the same)."""
    if not name:
        return ""
    zh, en = name.get("zh", ""), name.get("en", "")
    return zh if zh == en or not en else f"{zh}{sep}{en}" if zh else en
