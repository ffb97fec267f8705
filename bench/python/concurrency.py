"""Concurrency (issue 19): N waits at once in one process, all on one cheap probe that becomes true
at T. Two drivers: OS threads with the sync API (up to `thread_max_n`; liveness, the hand loops and
the peers, the peers capped at `peer_max_n.python`), and one asyncio loop with `liveness.aio` and
hand loops awaiting `asyncio.sleep` (every n). Per cell: process CPU from the start of the waits to
the last one returning (`time.process_time`: every thread), the overshoot of each wait (flip → its
return) as p50 / p99 / max, and on asyncio how late a ticker task asking for 10 ms was woken.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import liveness.aio

from failures import guarded
from params import SCENARIOS, Params
from peers import HAND_1MS, LIVENESS, PEERS, Waiter, hand_loop
from stats import percentile

HAND_50MS = Waiter("hand loop 50 ms", hand_loop(0.05))
THREAD_WAITERS = [LIVENESS, HAND_1MS, HAND_50MS]

AsyncWaitUntil = Callable[[Callable[[], bool], float], Awaitable[bool]]


async def liveness_async(probe: Callable[[], bool], timeout: float) -> bool:
    try:
        await liveness.aio.eventually(probe, timeout=timeout)
        return True
    except liveness.TimeoutError:
        return False


def async_hand_loop(period: float) -> AsyncWaitUntil:
    async def wait_until(probe: Callable[[], bool], timeout: float) -> bool:
        # peers.hand_loop, awaiting asyncio.sleep instead of blocking the thread.
        deadline = time.monotonic() + timeout
        while not probe():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(period)
        return True

    return wait_until


ASYNC_WAITERS: list[tuple[str, AsyncWaitUntil]] = [
    ("liveness", liveness_async),
    ("hand loop 1 ms", async_hand_loop(0.001)),
    ("hand loop 50 ms", async_hand_loop(0.05)),
]


@dataclass(frozen=True)
class Config:
    ready_s: float
    n: list[int]
    thread_max_n: int
    peer_max_n: int
    wait_timeout_s: float
    tick_s: float
    phase_step: float

    def thread_counts(self) -> list[int]:
        """The n up to thread_max_n, and the cap itself when a larger n is listed."""
        out = [n for n in self.n if n <= self.thread_max_n]
        return [*out, self.thread_max_n] if any(n > self.thread_max_n for n in self.n) else out

    def ready_at_s(self, cell: int) -> float:
        """Cell `cell` (from 0) of a row flips at T × (1 + frac((cell + 1) × phase)): over [T, 2T)."""
        return self.ready_s * (1 + ((cell + 1) * self.phase_step) % 1.0)


def config(p: Params) -> Config:
    raw = json.loads(SCENARIOS.read_text())
    c = raw["modes"][p.mode]["concurrency"]
    return Config(
        ready_s=c["ready_ms"] / 1000,
        n=c["n"],
        thread_max_n=c["thread_max_n"],
        peer_max_n=c["peer_max_n"]["python"],
        wait_timeout_s=c["wait_timeout_s"],
        tick_s=raw["concurrency"]["loop_delay_tick_ms"] / 1000,
        phase_step=p.overshoot.phase_step,
    )


def record(
    driver: str,
    label: str,
    n: int,
    ready_s: float,
    cpu_s: float,
    flipped: float,
    returns: list[tuple[float, bool]],
    delays: list[float] | None = None,
) -> dict[str, Any]:
    timed_out = sum(1 for _, held in returns if not held)
    if timed_out:
        raise RuntimeError(f"{timed_out} of {n} waits timed out")
    over = sorted(max(0.0, at - flipped) * 1000 for at, _ in returns)
    rec: dict[str, Any] = {
        "scenario": "concurrency",
        "library": label,
        "driver": driver,
        "n": n,
        "ready_ms": ready_s * 1000,
        "cpu_ms": cpu_s * 1000,
        "overshoot_p50_ms": percentile(over, 50),
        "overshoot_p99_ms": percentile(over, 99),
        "overshoot_max_ms": over[-1],
        "timed_out": 0,
    }
    if delays is not None:
        d = sorted(x * 1000 for x in delays)
        rec["loop_delay_p50_ms"], rec["loop_delay_p99_ms"] = percentile(d, 50), percentile(d, 99)
    return rec


def threads_cell(waiter: Waiter, n: int, ready_s: float, c: Config) -> dict[str, Any]:
    ready = threading.Event()
    start = threading.Barrier(n + 2)  # the waits, the setter and this thread, once all exist
    returns: list[tuple[float, bool]] = [(0.0, False)] * n
    flipped: list[float] = []

    def one(i: int) -> None:
        start.wait()
        held = waiter.wait_until(ready.is_set, c.wait_timeout_s)
        returns[i] = (time.perf_counter(), held)

    def setter() -> None:
        start.wait()
        time.sleep(ready_s)  # the system under test becomes ready at T
        flipped.append(time.perf_counter())
        ready.set()

    threads = [threading.Thread(target=one, args=(i,), name=f"wait-{i}") for i in range(n)]
    threads.append(threading.Thread(target=setter, name="concurrency-setter"))
    for t in threads:
        t.start()
    cpu0 = time.process_time()
    start.wait()
    for t in threads[:-1]:
        t.join()
    cpu = time.process_time() - cpu0
    threads[-1].join()
    return record("threads", waiter.label, n, ready_s, cpu, flipped[0], returns)


async def asyncio_cell(label: str, wait_until: AsyncWaitUntil, n: int, ready_s: float, c: Config) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    state = {"ready": False, "flipped": 0.0}
    delays: list[float] = []
    done = asyncio.Event()

    def flip() -> None:
        state["flipped"] = time.perf_counter()
        state["ready"] = True

    async def ticker() -> None:
        # The event-loop delay: how late a task asking for tick_s is woken while the waits run.
        while not done.is_set():
            asked = time.perf_counter()
            await asyncio.sleep(c.tick_s)
            delays.append(max(0.0, time.perf_counter() - asked - c.tick_s))

    async def one() -> tuple[float, bool]:
        held = await wait_until(lambda: state["ready"], c.wait_timeout_s)
        return time.perf_counter(), held

    tick = asyncio.create_task(ticker())
    cpu0 = time.process_time()
    loop.call_later(ready_s, flip)
    returns = await asyncio.gather(*(one() for _ in range(n)))
    cpu = time.process_time() - cpu0
    done.set()
    await tick
    return record("asyncio", label, n, ready_s, cpu, state["flipped"], list(returns), delays)


def _print(rec: dict[str, Any] | None) -> None:
    if rec is None:
        print(f" {'failed':>27}", end="", flush=True)
    else:
        print(
            f" {rec['cpu_ms']:7.0f} / {rec['overshoot_p50_ms']:7.2f} / {rec['overshoot_max_ms']:7.2f}",
            end="",
            flush=True,
        )


def run(p: Params) -> list[dict[str, Any]]:
    c = config(p)
    print(
        f"\nconcurrency (N waits at once, true after ~{c.ready_s * 1000:g} ms; per N: CPU ms / overshoot p50 / max ms)"
    )
    records: list[dict[str, Any]] = []
    counts = c.thread_counts()
    print(f"  {'threads':<8} {'':<22}" + "".join(f" {'N = ' + str(n):>27}" for n in counts), flush=True)
    for waiter in THREAD_WAITERS + PEERS:
        print(f"  {'threads':<8} {waiter.label:<22}", end="", flush=True)
        for i, n in enumerate(counts):
            if waiter in PEERS and n > c.peer_max_n:
                continue
            rec = guarded("concurrency", waiter.label, functools.partial(threads_cell, waiter, n, c.ready_at_s(i), c))
            _print(rec)
            if rec is None:
                break
            records.append(rec)
        print()
    print(f"  {'asyncio':<8} {'':<22}" + "".join(f" {'N = ' + str(n):>27}" for n in c.n), flush=True)
    for label, wait_until in ASYNC_WAITERS:
        print(f"  {'asyncio':<8} {label:<22}", end="", flush=True)
        for i, n in enumerate(c.n):
            cell = functools.partial(asyncio_cell, label, wait_until, n, c.ready_at_s(i), c)
            rec = guarded("concurrency", label, lambda: asyncio.run(cell()))  # noqa: B023 - called at once
            _print(rec)
            if rec is None:
                break
            records.append(rec)
        print()
    return records
