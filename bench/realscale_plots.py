"""The real-scale run's plots (matplotlib, as the other benches): ack latency against the offered
rate, and the hub's CPU, RSS and loop stalls through the run."""

from __future__ import annotations

from typing import Any

from .common import ROOT

PLOTS = ROOT / "bench"


def plots(r: dict[str, Any]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    steps = r.get("breaking", {}).get("steps", [])
    if steps:
        fig, ax = plt.subplots(figsize=(7, 4))
        rates = [s["rate"] for s in steps]
        for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("max_ms", "max")):
            ax.plot(rates, [s[key] for s in steps], marker="o", label=f"ack {label}")
        ax.axhline(1000, color="red", linestyle="--", label="1 s (breaking)")
        busy = ax.twinx()
        busy.plot(rates, [s["cpu_share"] * 100 for s in steps], color="grey", linestyle=":")
        busy.set_ylabel("hub core busy % (dotted)")
        busy.set_ylim(0, 110)
        ax.set(xlabel="offered marks/s", ylabel="judge send → ack (ms)", yscale="log")
        ax.set_title("Real scale, one hub: ack latency as the mark rate steps up")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(PLOTS / "realscale-breaking.png", dpi=90)
        made.append("realscale-breaking.png")
    samples = r.get("samples", [])
    if samples:
        t0 = samples[0]["t"]
        fig, axes = plt.subplots(3, 1, figsize=(8, 6), sharex=True)
        xs = [s["t"] - t0 for s in samples]
        axes[0].plot(xs, [s["cpu_share"] * 100 for s in samples])
        axes[0].set_ylabel("hub CPU %")
        axes[1].plot(xs, [s["rss_mb"] for s in samples])
        axes[1].set_ylabel("hub RSS MB")
        axes[2].plot(xs, [s["lag_recent_max_s"] * 1000 for s in samples])
        axes[2].set(ylabel="loop stall ms\n(max, last 10 s)", xlabel="seconds into the run")
        for name, ph in r["phases"].items():
            if "t0" in ph:
                for ax in axes:
                    ax.axvline(ph["t0"] - t0, color="grey", linewidth=0.5)
                axes[0].text(ph["t0"] - t0, 0, name, rotation=90, fontsize=7, va="bottom")
        fig.suptitle("Real scale, one hub: CPU, memory and event-loop stalls through the run")
        fig.tight_layout()
        fig.savefig(PLOTS / "realscale-timeline.png", dpi=90)
        made.append("realscale-timeline.png")
    return made
