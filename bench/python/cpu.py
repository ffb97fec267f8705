"""CPU time per second of waiting on a cheap probe that never holds (the wait times out at
`wait_s`). Process CPU time, so a library that waits on another thread (busypie) is counted too."""

from __future__ import annotations

import time
from typing import Any

from failures import guarded
from params import Params
from peers import CPU, Waiter


def never() -> bool:
    return False


def cpu_ms_per_s(waiter: Waiter, wait_s: float) -> float:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    held = waiter.wait_until(never, wait_s)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if held:
        raise RuntimeError(f"{waiter.label}: a probe that never holds was reported as held")
    if wall < wait_s * 0.95:
        # Clock granularity aside, a wait that gives up early measures something else.
        raise RuntimeError(f"{waiter.label}: gave up after {wall:.3f} s of a {wait_s} s timeout")
    return cpu * 1000 / wall


def run(p: Params) -> list[dict[str, Any]]:
    print(f"\ncpu while waiting ({p.cpu_wait_s:g} s on a cheap probe that never holds; ms of CPU per s)")
    records: list[dict[str, Any]] = []
    for waiter in CPU:
        v = guarded("cpu", waiter.label, lambda: cpu_ms_per_s(waiter, p.cpu_wait_s))  # noqa: B023 - called at once, in this iteration
        if v is None:
            continue
        print(f"  {waiter.label:<22} {v:9.2f}", flush=True)
        records.append({"scenario": "cpu", "library": waiter.label, "wait_s": p.cpu_wait_s, "cpu_ms_per_s": v})
    return records
