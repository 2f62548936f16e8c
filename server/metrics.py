"""A small Prometheus registry: counters, gauges and one histogram, in text format 0.0.4."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{v}"' for k, v in labels)
    return "{" + inner + "}"


class Metrics:
    HELP = {
        "scorecast_connections": ("gauge", "open WebSocket connections by kind"),
        "scorecast_marks_accepted_total": ("counter", "judge messages accepted and acknowledged"),
        "scorecast_marks_refused_total": ("counter", "judge messages refused, by error code"),
        "scorecast_updates_published_total": ("counter", "channel updates fanned out"),
        "scorecast_viewers_dropped_total": (
            "counter",
            "slow viewers skipped to a snapshot or closed",
        ),
        "scorecast_catchups_total": ("counter", "times this hub caught up from the ledger"),
        "scorecast_ledger_seq": ("gauge", "last ledger sequence number applied"),
        "scorecast_broker_connected": (
            "gauge",
            "1 while the broker subscription is live, 0 while it resubscribes",
        ),
        "scorecast_broker_reconnects_total": (
            "counter",
            "times the broker resubscribed (then caught up)",
        ),
        "scorecast_ledger_reloads_total": (
            "counter",
            "times the ledger had lost events this hub applied (rebuilt)",
        ),
        "scorecast_unauthenticated_connections": (
            "gauge",
            "open /ws/judge connections that have not authenticated yet",
        ),
        "scorecast_connections_refused_total": (
            "counter",
            "connections closed at once, by reason (unauthenticated_cap, auth_timeout)",
        ),
        "scorecast_auth_failures_total": (
            "counter",
            "failed authentications (a credential that is not valid), by endpoint",
        ),
        "scorecast_auth_throttled_total": (
            "counter",
            "authentications refused unchecked during a lockout, by address or judge",
        ),
        "scorecast_fanout_flushes_total": (
            "counter",
            "channel flushes: a channel's pending updates written to its local subscribers",
        ),
        "scorecast_fanout_writes_total": (
            "counter",
            "writes to viewers: one per subscriber and flush (several frames in one write)",
        ),
        "scorecast_fanout_frames_total": ("counter", "frames delivered to viewers"),
        "scorecast_judge_writes_total": (
            "counter",
            "writes of answers to judges' sockets: one per connection and loop turn",
        ),
        "scorecast_judge_answers_total": ("counter", "answers (acks, errors) in those writes"),
        "scorecast_fanout_seconds": (
            "histogram",
            "one fan-out flush: an update's frames written to every local subscriber",
        ),
    }

    def __init__(self) -> None:
        self.values: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(dict)
        self.buckets = [0] * len(LATENCY_BUCKETS)
        self.hist_sum = 0.0
        self.hist_count = 0
        self.collectors: list[
            Callable[[], None]
        ] = []  # called before rendering, to read live state
        self.renderers: list[Callable[[], list[str]]] = []  # metrics kept elsewhere, appended

    def inc(self, name: str, amount: float = 1, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        self.values[name][key] = self.values[name].get(key, 0) + amount

    def set(self, name: str, value: float, **labels: str) -> None:
        self.values[name][tuple(sorted(labels.items()))] = value

    def observe(self, seconds: float) -> None:
        for i, le in enumerate(LATENCY_BUCKETS):
            if seconds <= le:
                self.buckets[i] += 1
        self.hist_sum += seconds
        self.hist_count += 1

    def render(self) -> str:
        for collect in self.collectors:
            collect()
        lines = []
        for name, (kind, help_text) in self.HELP.items():
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            if kind == "histogram":
                for le, n in zip(LATENCY_BUCKETS, self.buckets, strict=True):
                    lines.append(f'{name}_bucket{{le="{le}"}} {n}')
                lines.append(f'{name}_bucket{{le="+Inf"}} {self.hist_count}')
                lines.append(f"{name}_sum {self.hist_sum}")
                lines.append(f"{name}_count {self.hist_count}")
                continue
            series = self.values.get(name) or {(): 0}
            for labels, v in sorted(series.items()):
                lines.append(f"{name}{_labels(labels)} {v:g}")
        for render in self.renderers:
            lines.extend(render())
        return "\n".join(lines) + "\n"
