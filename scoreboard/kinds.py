"""The closed sets of the competition model: visibility, statuses, aspect types, aggregations,
agreement actions, rounding stages, roles and lifecycle states (``StrEnum``: the strings of the file and the wire).
"""

from __future__ import annotations

import enum


class Visibility(enum.StrEnum):
    LIVE = "live"
    FROZEN = "frozen"
    HIDDEN = "hidden"
    PUBLISHED = "published"


class Status(enum.StrEnum):
    OK = "ok"
    DNS = "DNS"
    DNF = "DNF"
    DSQ = "DSQ"


# scoring.md §4/§9.6: DNS, DNF, DSQ are listed after everyone, in that order.
STATUS_ORDER = {Status.OK: 0, Status.DNS: 1, Status.DNF: 2, Status.DSQ: 3}


class AspectType(enum.StrEnum):
    MEASUREMENT = "measurement"
    BANDED = "banded"
    DEDUCTION = "deduction"
    JUDGEMENT = "judgement"
    SCORE = "score"
    TIME = "time"
    PENALTY = "penalty"


class Aggregation(enum.StrEnum):
    MEAN = "mean"
    MEDIAN = "median"
    TRIMMED = "trimmed"
    MIDDLE_SUM = "middle_sum"
    SINGLE = "single"


class AgreementAction(enum.StrEnum):
    HOLD = "hold"  # WorldSkills: flag, keep pending, judges re-mark
    MEAN = "mean"  # FIG aerobic: fall back to the mean of all scores


class Stage(enum.IntEnum):
    """Where rounding starts (scoring.md §9.2); every level above is rounded too."""

    JUDGE = 0
    ASPECT = 1
    CRITERION = 2
    COMPONENT = 3
    TOTAL = 4


class Layer(enum.StrEnum):
    """Anonymous marking (加密): what judges see of a competitor before decryption."""

    WORKSTATION = "workstation"  # the drawn workstation number: on-site marking
    CODE = "code"  # the second, independent code: work judged afterwards (成果评分)


class PublicMode(enum.StrEnum):
    """What the public sees of an anonymous program before decryption."""

    HIDDEN = "hidden"  # nothing but the start list (its visibility stays hidden)
    CODES = "codes"  # the board by workstation number, with scores, never a name


class Role(enum.StrEnum):
    JUDGE = "judge"
    CHIEF = "chief"
    SUPERVISOR = "supervisor"  # confirms a chief's gate override (监督)
    REVIEWER = "reviewer"  # confirms or corrects marks in the score review (复核)
    LEADER = "leader"  # a delegation leader (领队): files appeals for their competitors
    ARBITRATOR = "arbitrator"  # rules on appeals (仲裁)
    ORGANIZER = "organizer"  # amends the competition on the record (issue 13); marks nothing
    OPERATOR = "operator"  # data entry (录入): types judges' paper sheets (双人录入)


class Lifecycle(enum.StrEnum):
    """How far a program's results are on the way to official (product.md)."""

    MARKING = "marking"
    REVIEW = "review"  # 复核
    PUBLICATION = "publication"  # 公示: public, open to appeals until its end time
    FINAL = "final"  # 最终成绩
