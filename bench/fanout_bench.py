"""Score-to-screen, side by side: the floor, the peer and Scorecast on one workload, in one run (issue 7).

For each system and each N: start the server alone on one core; open the
judges; warm up; measure its RSS with no viewer; connect N viewers (in
separate processes on the other core) and measure it again; then

* **steady**: one judge sends marks at ``min(20, budget / N)`` a second
  (the budget keeps the floor's server core under half busy, so latency is
  a system's own cost, not a queue), then waits until every viewer shows
  the last one;
* **bursts**: five judges send ``burst_size`` marks back to back, a few
  times, each burst drained before the next.

Viewers record each message's version with the kernel's receive time;
judges record when they sent each mark and the version its ack names (the
floor and the peer ack the version; Scorecast acks the ledger seq, and each
mark of this workload moves the leaderboard by exactly one version).
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .analysis import Records
from .pool import ViewerPool
from .systems import Floor, Judge, Peer, Scorecast, System
from .workload import Marks

SYSTEMS = ["floor", "peer", "scorecast", "scorecast-redis-1", "scorecast-redis-2"]


@dataclass
class Params:
    ns: list[int]
    systems: list[str] = field(default_factory=lambda: list(SYSTEMS))
    steady_seconds: float = 8.0
    budget: float = 25000.0  # messages a second offered in the steady phase (capped at 20 marks/s)
    bursts: int = 3
    burst_size: int = 10
    burst_judges: int = 5
    drain_timeout: float = 30.0
    connect_timeout: float = 180.0
    procs: int = 4
    repeat: int = 1  # runs of each system at N <= repeat_upto, in alternating order; the report shows the best
    repeat_upto: int = 5000
    durable_seconds: float = 5.0
    durable_judges: int = 30  # connections: the 10 judges, 3 devices each
    durable_window: int = 50
    outage_n: int = 1000
    outage_systems: list[str] = field(
        default_factory=lambda: ["peer-2", "scorecast-redis-1", "scorecast-redis-2"]
    )
    durable_systems: list[str] = field(
        default_factory=lambda: ["scorecast", "scorecast-redis-1", "scorecast-redis-2"]
    )

    def rate(self, n: int) -> float:
        return min(20.0, self.budget / n)


def make(name: str, workdir: Path) -> System:
    if name == "floor":
        return Floor(workdir)
    if name == "peer":
        return Peer(workdir)
    if name.startswith("peer-"):
        return Peer(workdir, servers=int(name.rsplit("-", 1)[1]))
    if name == "scorecast":
        return Scorecast(workdir)
    if name.startswith("scorecast-redis-"):
        return Scorecast(workdir, redis=True, hubs=int(name.rsplit("-", 1)[1]))
    raise ValueError(name)


def say(*parts: Any) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


async def sleep_until(t: float) -> None:
    loop = asyncio.get_running_loop()
    delay = t - loop.time()
    if delay > 0:
        await asyncio.sleep(delay)


def sent_versions(system: System, judges: list[Judge], ids: list[str]) -> dict[int, float]:
    """version → when the judge sent the mark that made it."""
    out: dict[int, float] = {}
    for j in judges:
        for mid in ids:
            if mid in j.acks:
                v = system.version_of(j.acks[mid])
                if v > 0:
                    out[v] = j.sent[mid]
    return out


def ack_latency(judges: list[Judge], ids: list[str]) -> dict[str, float]:
    """From sending a mark to its ack (Scorecast: after the ledger commit and the fan-out writes)."""
    ms = sorted(
        (j.ack_at[m] - j.sent[m]) * 1000
        for j in judges
        for m in ids
        if m in j.ack_at and m in j.sent
    )
    if not ms:
        return {}
    return {
        "p50_ms": ms[len(ms) // 2],
        "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
        "max_ms": ms[-1],
    }


async def wait_all_acks(judges: list[Judge], timeout: float) -> bool:
    results = await asyncio.gather(*(j.wait_acks(timeout) for j in judges))
    return all(results)


async def fanout_run(name: str, n: int, p: Params, workdir: Path) -> dict[str, Any]:
    system = make(name, workdir / f"{name}-{n}")
    out: dict[str, Any] = {"system": name, "label": system.label, "n": n, "rate": p.rate(n)}
    pool: ViewerPool | None = None
    judges: list[Judge] = []
    try:
        system.start()
        pool = await ViewerPool(system.proto, system.ports, system.path, p.procs).start()
        judges = [await system.judge(j) for j in range(1, p.burst_judges + 1)]
        marks = Marks()

        # warm-up: code paths loaded, caches filled; then the RSS with no viewer
        await pool.connect(10 * p.procs, 30)
        for _ in range(5):
            await judges[0].send(marks.next(1))
            await asyncio.sleep(0.05)
        await judges[0].wait_acks(10)
        await asyncio.sleep(0.3)
        await pool.close()
        await asyncio.sleep(1.0)
        rss0 = system.rss()

        started = time.monotonic()
        conn = await pool.connect(n, p.connect_timeout)
        out["connect"] = conn
        say(
            f"  {name} N={n}: {conn['ready']} viewers in {conn['seconds']:.1f}s ({conn['failed']} failed)"
        )
        await asyncio.sleep(2.0)
        rss_n = system.rss()
        ready = max(conn["ready"], 1)
        out["rss_idle_mb"] = rss0 / 2**20
        out["rss_n_mb"] = rss_n / 2**20
        out["kb_per_viewer"] = (rss_n - rss0) / ready / 1024
        out["connect_wall"] = time.monotonic() - started
        system.mark_versions()
        await pool.reset()
        gc.collect()

        # steady
        loop = asyncio.get_running_loop()
        rate = p.rate(n)
        count = max(5, int(p.steady_seconds * rate))
        ids: list[str] = []
        cpu0 = system.cpu()
        t0 = loop.time() + 0.1
        for k in range(count):
            await sleep_until(t0 + k / rate)
            f = marks.next(1)
            ids.append(f["id"])
            await judges[0].send(f)
        acked = await judges[0].wait_acks(p.drain_timeout)
        steady = sent_versions(system, judges, ids)
        drained, st = (
            (await pool.wait_version(max(steady), p.drain_timeout)) if steady else (False, {})
        )
        cpu1 = system.cpu()
        out["steady"] = {
            "marks": count,
            "acked": len(steady),
            "all_acked": acked,
            "drained": drained,
            "cpu_s": cpu1 - cpu0,
            "cpu_ms_per_update": (cpu1 - cpu0) / count * 1000,
            "ack": ack_latency(judges, ids),
            "status": st,
        }
        say(
            f"  {name} N={n}: steady {count} marks at {rate:.1f}/s, drained={drained}, "
            f"cpu/update {out['steady']['cpu_ms_per_update']:.1f} ms"
        )

        # bursts (only when the steady phase drained and left the server time: a saturated system
        # would only queue more)
        busy = (
            out["steady"]["cpu_ms_per_update"] * rate / 1000
        )  # of the server core, in the steady phase
        out["steady"]["server_core_busy"] = busy
        out["saturated"] = busy > 0.9 or not drained
        bursts: list[dict[int, float]] = []
        cpu_b = 0.0
        burst_marks = 0
        burst_ids: list[str] = []
        if not out["saturated"]:
            for _ in range(p.bursts):
                await asyncio.sleep(0.5)
                ids = []
                c0 = system.cpu()
                for i in range(p.burst_size):
                    f = marks.next(i % p.burst_judges + 1)
                    ids.append(f["id"])
                    await judges[i % p.burst_judges].send(f)
                await wait_all_acks(judges, p.drain_timeout)
                sent = sent_versions(system, judges, ids)
                ok, _ = (
                    (await pool.wait_version(max(sent), p.drain_timeout)) if sent else (False, {})
                )
                cpu_b += system.cpu() - c0
                burst_marks += p.burst_size
                burst_ids += ids
                bursts.append(sent)
                if not ok:
                    break
        out["bursts"] = {
            "count": len(bursts),
            "size": p.burst_size,
            "marks": burst_marks,
            "ack": ack_latency(judges, burst_ids),
            "cpu_ms_per_update": cpu_b / burst_marks * 1000 if burst_marks else None,
        }

        paths = await pool.dump(system.workdir, "run")
        out["mean_message_bytes"] = pool.mean_bytes
        rec = Records(paths)
        out["steady"].update(
            latency=rec.score_to_screen(steady), delivered=rec.delivery_rate(steady)
        )
        all_burst = {v: t for b in bursts for v, t in b.items()}
        out["bursts"].update(
            latency=rec.score_to_screen(all_burst), delivered=[rec.delivery_rate(b) for b in bursts]
        )
        out["closed"] = rec.closed()
        out["judge_errors"] = {k: v for j in judges for k, v in j.errors.items()}
        lat = out["steady"]["latency"]
        say(
            f"  {name} N={n}: steady p50 {lat.get('p50_ms', float('nan')):.1f} ms, "
            f"p99 {lat.get('p99_ms', float('nan')):.1f} ms, max {lat.get('max_ms', float('nan')):.1f} ms; "
            f"{out['kb_per_viewer']:.1f} KB/viewer"
        )
        for path in paths:
            path.unlink()
    except Exception as e:  # noqa: BLE001 — one failed run is reported, the suite goes on
        out["error"] = f"{type(e).__name__}: {e}"
        say(f"  {name} N={n}: FAILED {out['error']}")
    finally:
        for j in judges:
            await j.close()
        if pool is not None:
            await pool.exit()
        system.stop()
    return out


async def durable_run(name: str, p: Params, workdir: Path) -> dict[str, Any]:
    """Judges pipelining marks (a window of unacknowledged marks each); acks per second, no viewer."""
    system = make(name, workdir / f"durable-{name}")
    out: dict[str, Any] = {
        "system": name,
        "label": system.label,
        "judges": p.durable_judges,
        "window": p.durable_window,
    }
    judges: list[Judge] = []
    try:
        system.start()
        hubs = len(system.ports)
        judges = [await system.judge(c % 10 + 1, hub=c % hubs) for c in range(p.durable_judges)]
        marks = Marks()
        loop = asyncio.get_running_loop()
        end = loop.time() + p.durable_seconds + 1.0

        async def pump(j: int, judge: Judge) -> None:
            while loop.time() < end:
                while judge.pending() < p.durable_window and loop.time() < end:
                    await judge.send(marks.next(j))
                judge.changed.clear()
                try:
                    await asyncio.wait_for(judge.changed.wait(), 1.0)
                except TimeoutError:
                    pass

        cpu0 = system.cpu()
        t_start = time.monotonic()
        await asyncio.gather(*(pump(c % 10 + 1, judge) for c, judge in enumerate(judges)))
        cpu1 = system.cpu()
        lo, hi = t_start + 1.0, t_start + 1.0 + p.durable_seconds  # the first second is the ramp
        acks = sum(1 for j in judges for t in j.ack_times if lo <= t < hi)
        total = sum(len(j.ack_times) for j in judges)
        out.update(
            acks=acks,
            marks_per_s=acks / p.durable_seconds,
            total_acked=total,
            cpu_ms_per_mark=(cpu1 - cpu0) / max(total, 1) * 1000,
            errors={k: v for j in judges for k, v in j.errors.items()},
        )
        say(
            f"  durable {name}: {out['marks_per_s']:.0f} marks/s acknowledged ({out['errors'] or 'no errors'})"
        )
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
        say(f"  durable {name}: FAILED {out['error']}")
    finally:
        for j in judges:
            await j.close()
        system.stop()
    return out


async def outage_run(name: str, p: Params, workdir: Path) -> dict[str, Any]:
    """Kill redis-server (SIGKILL) mid-run, mark during the outage, restart it: what reached the screens?"""
    n = p.outage_n
    system = make(name, workdir / f"outage-{name}")
    out: dict[str, Any] = {"system": name, "label": system.label, "n": n}
    pool: ViewerPool | None = None
    judges: list[Judge] = []
    try:
        system.start()
        assert system.redis is not None
        pool = await ViewerPool(system.proto, system.ports, system.path, p.procs).start()
        judges = [await system.judge(1)]
        marks = Marks()
        conn = await pool.connect(n, p.connect_timeout)
        out["connect"] = conn
        await asyncio.sleep(1.0)
        system.mark_versions()
        await pool.reset()
        loop = asyncio.get_running_loop()
        j = judges[0]

        async def steady(count: int, rate: float) -> list[str]:
            ids = []
            t0 = loop.time()
            for k in range(count):
                await sleep_until(t0 + k / rate)
                f = marks.next(1)
                ids.append(f["id"])
                await j.send(f)
            return ids

        before = await steady(10, 10.0)
        await j.wait_acks(10)
        v_before = sent_versions(system, judges, before)
        await pool.wait_version(max(v_before), 10)
        killed = time.monotonic()
        system.redis.kill()
        during = await steady(10, 5.0)  # 2 s of marks while the broker is down
        await asyncio.sleep(max(0.0, killed + 3.0 - time.monotonic()))
        system.redis.start()  # same port, same directory (the AOF)
        out["outage_seconds"] = time.monotonic() - killed
        await j.wait_acks(20)
        await asyncio.sleep(3.0)
        v_during = sent_versions(system, judges, during)
        target = max(v_during) if v_during else max(v_before)
        st = await pool.status(target)
        out["during"] = {
            "sent": len(during),
            "acked": len(v_during),
            "stale_screens_before_next_mark": st["open"] - st["at_least"],
            "open": st["open"],
        }
        after = await steady(5, 5.0)
        await j.wait_acks(20)
        v_after = sent_versions(system, judges, after)
        final = max(v_after) if v_after else target
        ok, st = await pool.wait_version(final, 15)
        out["after"] = {
            "sent": len(after),
            "acked": len(v_after),
            "stale_screens_at_end": st["open"] - st["at_least"],
            "open": st["open"],
        }
        paths = await pool.dump(system.workdir, "outage")
        rec = Records(paths)
        lat_during = rec.score_to_screen(v_during)
        out["lost"] = {
            "marks_sent": len(before) + len(during) + len(after),
            "marks_acked": len(v_before) + len(v_during) + len(v_after),
            "updates_during": len(v_during),
            # (viewer, mark) pairs whose screen never showed the mark, not even through a later message
            "never_shown": lat_during.get("never_shown", 0),
            # messages of the outage's updates that never arrived (a later full board or snapshot may
            # have covered them: see never_shown and the stale screens)
            "messages_not_received": lat_during.get("versions_not_received", 0),
            "max_delay_ms": lat_during.get("max_ms"),
        }
        out["judge_errors"] = dict(j.errors)
        out["closed"] = rec.closed()
        say(f"  outage {name}: during {out['during']}, after {out['after']}, lost {out['lost']}")
        for path in paths:
            path.unlink()
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
        say(f"  outage {name}: FAILED {out['error']}")
    finally:
        for jj in judges:
            await jj.close()
        if pool is not None:
            await pool.exit()
        system.stop()
    return out


def disk_probe(workdir: Path, commits: int = 100, rate: float = 20.0) -> dict[str, Any]:
    """This disk's durable commit, as the SQLite ledger makes it (WAL, synchronous=FULL), at ``rate``/s."""
    import sqlite3

    path = workdir / "disk-probe.db"
    workdir.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a fresh file each time: the same measurement again
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
    ms = []
    for _ in range(commits):
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (v) VALUES (?)", (b"x" * 200,))
        db.execute("COMMIT")
        ms.append((time.perf_counter() - t) * 1000)
        time.sleep(max(0.0, 1 / rate - (time.perf_counter() - t)))
    db.close()
    ms.sort()
    return {
        "commits": commits,
        "p50_ms": ms[len(ms) // 2],
        "p99_ms": ms[int(len(ms) * 0.99)],
        "max_ms": ms[-1],
    }


async def run(p: Params, workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"params": asdict(p), "fanout": [], "durable": [], "outage": []}
    results["disk"] = disk_probe(workdir)
    say(
        f"disk: SQLite commit (fsync) p50 {results['disk']['p50_ms']:.1f} ms, p99 {results['disk']['p99_ms']:.1f} ms"
    )
    for n in p.ns:
        reps = p.repeat if n <= p.repeat_upto else 1
        for rep in range(reps):
            order = p.systems if rep % 2 == 0 else list(reversed(p.systems))
            for name in order:
                if rep and name.startswith("peer"):
                    continue  # saturated at these rates: one run says it
                r = await fanout_run(name, n, p, workdir / f"rep{rep}")
                r["rep"] = rep
                results["fanout"].append(r)
    for name in p.durable_systems:
        results["durable"].append(await durable_run(name, p, workdir))
    for name in p.outage_systems:
        results["outage"].append(await outage_run(name, p, workdir))
    return results
