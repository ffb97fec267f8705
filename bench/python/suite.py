"""Suite time: seed 004's experiment. Each test starts a registered singleton whose previous
instance shuts down asynchronously (waiting until the name is free, with sleep(50 ms) or with a
polling library), uses it and stops it. Wall time and failed tests per run, idle and with the
other cores busy."""

from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, ContextManager, Dict, List, Optional, Tuple

import liveness

from failures import guarded
from hog import Hog
from params import Params, Suite
from peers import SLEEP_50MS, WITHOUT_HINT
from singleton import Adder

Start = Callable[[float, Suite], Optional[Adder]]


def start_after_sleep(shutdown_ms: float, s: Suite) -> Optional[Adder]:
    """The "before" of seed 004: a fixed sleep, then one start that may find the name taken."""
    time.sleep(s.sleep_ms / 1000)  # the thing measured, not a wait of the harness
    return Adder.try_start(shutdown_ms)


def start_with(wait_until: Callable[[Callable[[], object], float], bool]) -> Start:
    def start(shutdown_ms: float, s: Suite) -> Optional[Adder]:
        started: List[Adder] = []

        def probe() -> Optional[Adder]:
            adder = Adder.try_start(shutdown_ms)
            if adder is not None:
                started.append(adder)
            return adder

        wait_until(probe, s.wait_timeout_s)
        # Read what the probe started rather than what the library returned: a library's return
        # value is not the point, and a start must never be lost (it would hold the name).
        return started[0] if started else None

    return start


def one_run(start: Start, s: Suite) -> Tuple[float, int, int]:
    """(wall seconds, tests run, failed tests) of one run of the suite; the run stops after the
    test that passes the mode's run budget."""
    failures = tests = 0
    t0 = time.perf_counter()
    for i in range(s.tests):
        if time.perf_counter() - t0 > s.run_budget_s:
            break
        tests += 1
        adder = start(s.shutdown_ms(i), s)
        if adder is None:
            failures += 1  # the name was still taken: the test fails, the suite goes on
            continue
        if adder.add(2, 3) != 5:
            raise RuntimeError("the adder is broken")
        adder.stop()  # frees the name shutdown_ms(i) later
    return time.perf_counter() - t0, tests, failures


def settle(s: Suite) -> None:
    """The first test of a run must not inherit a name the previous run's last stop still holds."""
    liveness.eventually(lambda: not Adder.is_registered(), timeout=s.tail_ms / 1000 + s.wait_timeout_s)


def run(p: Params) -> List[Dict[str, Any]]:
    s = p.suite
    ways: List[Tuple[str, Start]] = [(SLEEP_50MS, start_after_sleep)]
    ways += [(w.label, start_with(w.wait_until)) for w in WITHOUT_HINT]
    print(f"\nsuite time ({s.tests} tests per run; wall s and failed tests per run)")
    records: List[Dict[str, Any]] = []
    for load in s.loads:
        if load not in ("idle", "hog"):
            raise SystemExit(f"scenarios.json: unknown suite load {load!r}")
        cm: ContextManager[object] = Hog(p.hog_command) if load == "hog" else contextlib.nullcontext()
        with cm:
            for label, start in ways:
                print(f"  {load:<5} {label:<22}", end="", flush=True)
                for run_no in range(s.runs):
                    def measure() -> Tuple[float, int, int]:
                        settle(s)
                        return one_run(start, s)

                    result = guarded("suite", f"{label} ({load})", measure)
                    if result is None:
                        break
                    wall, tests, failures = result
                    cut = f" ({tests} tests: budget)" if tests < s.tests else ""
                    print(f" {wall:7.2f} s {failures:3} failed{cut}", end="", flush=True)
                    records.append({"scenario": "suite", "library": label, "load": load, "run": run_no,
                                    "tests": tests, "suite_tests": s.tests, "wall_s": wall, "failures": failures})
                print()
    return records
