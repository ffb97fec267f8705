"""Evaluation overhead: evaluations per second of a trivial probe at interval 0 (each library's
smallest period), against the hand-written loop at interval 0: what the machinery costs when
waiting is not the cost."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from failures import guarded
from params import Params
from peers import INTERVAL_0, Waiter

# Only the budget ends a run early; the timeout is a backstop for a library that ignores the
# probe's answer.
TIMEOUT_S = 60.0
# The probe reads the clock once every this many calls, so the budget check costs next to nothing.
CLOCK_EVERY = 1024


def counter(n: int, deadline: float) -> tuple[Callable[[], int | None], list[int]]:
    """A probe that holds on its n-th call, or earlier once `deadline` (perf_counter) passed; the
    list holds the number of calls."""
    calls = [0]

    def probe() -> int | None:
        calls[0] += 1
        c = calls[0]
        if c >= n or (c % CLOCK_EVERY == 0 and time.perf_counter() >= deadline):
            return c
        return None

    return probe, calls


def measure(waiter: Waiter, p: Params) -> tuple[float, int]:
    """Best evaluations per second over the repeats (and that run's evaluations); the repeats
    stop once the library used `budget_s`, and a run stops at the budget too (a slow peer then
    does fewer evaluations)."""
    e = p.eval_overhead
    best, best_n = 0.0, 0
    started = time.perf_counter()
    for _ in range(max(1, e.repeats)):
        probe, calls = counter(e.evaluations, started + e.budget_s)
        t0 = time.perf_counter()
        if not waiter.wait_until(probe, TIMEOUT_S):
            raise RuntimeError(f"{waiter.label}: timed out on a probe that holds")
        rate = calls[0] / (time.perf_counter() - t0)
        if rate > best:
            best, best_n = rate, calls[0]
        if time.perf_counter() - started >= e.budget_s:
            break
    return best, best_n


def run(p: Params) -> list[dict[str, Any]]:
    e = p.eval_overhead
    print(
        f"\nevaluation overhead (interval 0, up to {e.evaluations} evaluations of a trivial probe, "
        f"budget {e.budget_s:g} s; evaluations per second)"
    )
    records: list[dict[str, Any]] = []
    base: float | None = None
    for waiter in INTERVAL_0:
        result = guarded("eval_overhead", waiter.label, lambda: measure(waiter, p))  # noqa: B023 - called at once, in this iteration
        if result is None:
            continue
        rate, n = result
        if waiter.label == "hand loop":
            base = rate
        records.append(
            {
                "scenario": "eval_overhead",
                "library": waiter.label,
                "interval_s": 0.0,
                "evaluations": n,
                "evals_per_s": rate,
            }
        )
        ratio = f"  {base / rate:6.2f}x the hand loop's time per evaluation" if base else ""
        print(f"  {waiter.label:<22} {rate:14,.0f} /s  ({n} evaluations){ratio}", flush=True)
    return records
