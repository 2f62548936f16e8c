"""The closed sets of the competition model: visibility, statuses, aspect types, aggregations,
agreement actions, rounding stages and roles (``StrEnum``: the strings of the file and the wire).
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


class Role(enum.StrEnum):
    JUDGE = "judge"
    CHIEF = "chief"
    ORGANIZER = "organizer"  # amends the competition on the record (issue 13); marks nothing
