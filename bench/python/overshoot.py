"""Overshoot: another thread makes the condition true at t; how long after that does the wait
return? Measured from the setter's clock reading taken right before it flips the condition."""

from __future__ import annotations

import threading
import time
from typing import Any

import liveness

from failures import guarded_row
from params import Params
from peers import OVERSHOOT, PUSH, WAKE_EVENT, WAKE_HINT, Waiter, notify_push
from stats import summary_ms

# Generous: the slowest default period (waiting's 1 s) plus the longest ready time fit many times.
TRIAL_TIMEOUT_S = 30.0


def trial(waiter: Waiter, ready_s: float) -> float:
    """One trial: seconds from the condition becoming true to the wait returning."""
    flag = threading.Event()
    set_at: list[float] = []
    emits, notifies = waiter is WAKE_HINT, waiter is PUSH

    def setter() -> None:
        time.sleep(ready_s)  # the system under test becomes ready at t: the simulated behaviour
        set_at.append(time.perf_counter())
        flag.set()
        if emits:
            liveness.emit(WAKE_EVENT)
        if notifies:
            notify_push()

    thread = threading.Thread(target=setter, name="overshoot-setter")
    thread.start()
    held = waiter.wait_until(flag.is_set, TRIAL_TIMEOUT_S)
    returned = time.perf_counter()
    thread.join()
    if not held:
        raise RuntimeError(f"{waiter.label}: the condition came true but the wait timed out")
    return max(0.0, returned - set_at[0])


def cell(waiter: Waiter, ready_ms: float, reps: int, p: Params) -> dict[str, Any]:
    """Up to `reps` trials; stops early once `min_reps` ran and the cell used its budget (a 1 s
    default period would otherwise blow the time budget of the whole run)."""
    o = p.overshoot
    started = time.perf_counter()
    samples: list[float] = []
    while len(samples) < reps and (len(samples) < o.min_reps or time.perf_counter() - started < o.cell_budget_s):
        samples.append(trial(waiter, o.ready_at_s(ready_ms, len(samples))))
    return {"scenario": "overshoot", "library": waiter.label, "ready_ms": ready_ms, **summary_ms(samples)}


def run(p: Params) -> list[dict[str, Any]]:
    o = p.overshoot
    print("\novershoot (ms from 'condition true' to 'wait returned'; p50 / p99)")
    print(
        f"  {'library':<22}" + "".join(f" {'ready at ' + format(r, 'g') + ' ms':>20}" for r in o.ready_ms), flush=True
    )
    records: list[dict[str, Any]] = []
    for waiter in OVERSHOOT:
        records += guarded_row(
            "overshoot",
            waiter.label,
            list(zip(o.ready_ms, o.reps, strict=True)),
            lambda ready_ms, reps: cell(waiter, ready_ms, reps, p),  # noqa: B023 - called at once, in this iteration
            lambda rec: f"{rec['p50_ms']:9.2f} / {rec['p99_ms']:8.2f}",
            (22, 20),
        )
    return records
