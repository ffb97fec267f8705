"""Suite time: seed 004's experiment. Each test starts a registered singleton whose previous
instance shuts down asynchronously (waiting until the name is free, with sleep(50 ms) or with a
polling library), uses it and stops it. Wall time and failed tests per run, idle and with the
other cores busy. Two floors come with them: the push waiter (notified by the adder's shutdown
thread) and the arithmetic one, the sum of the shutdown delays the run waits for."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import liveness

from failures import guarded
from hog import Hog
from params import Params, Suite
from peers import PUSH, SLEEP_50MS, SUITE, notify_push

# The system under test is the Python suite's own ExternalAdder (as in `make demo`): its stop
# frees the name the given number of milliseconds later, on another thread.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bindings-python" / "tests"))
from sut import AlreadyStarted
from sut import ExternalAdder as Adder

Start = Callable[[Suite], Adder | None]


class PushedAdder(Adder):
    """The push waiter's system under test: the same adder (same registry, same name), whose
    shutdown thread also notifies right after it frees the name, as a system written to be waited
    for would. `stop` is the suite's ExternalAdder.stop with that one line more: the original
    offers no hook."""

    def stop(self, shutdown_ms: float | None = None) -> None:
        delay = (shutdown_ms or 0) / 1000

        def terminate() -> None:
            time.sleep(delay)  # the simulated termination, as in ExternalAdder.stop
            with Adder._lock:
                self.running = False
                if Adder._registry.get(Adder.NAME) is self:
                    del Adder._registry[Adder.NAME]
            notify_push()

        threading.Thread(target=terminate, name="adder-shutdown", daemon=True).start()


def try_start(kind: type[Adder] = Adder) -> Adder | None:
    """A start as a probe: the instance, or None while the name is taken. Not every library
    treats an exception as "not yet" (tenacity and busypie re-raise it by default), so every
    waiter gets this form."""
    try:
        return kind.start_link()
    except AlreadyStarted:
        return None


def start_after_sleep(s: Suite) -> Adder | None:
    """The "before" of seed 004: a fixed sleep, then one start that may find the name taken."""
    time.sleep(s.sleep_ms / 1000)  # the thing measured, not a wait of the harness
    return try_start()


def start_with(wait_until: Callable[[Callable[[], object], float], bool], kind: type[Adder] = Adder) -> Start:
    def start(s: Suite) -> Adder | None:
        started: list[Adder] = []

        def probe() -> Adder | None:
            adder = try_start(kind)
            if adder is not None:
                started.append(adder)
            return adder

        wait_until(probe, s.wait_timeout_s)
        # Read what the probe started rather than what the library returned: a library's return
        # value is not the point, and a start must never be lost (it would hold the name).
        return started[0] if started else None

    return start


def one_run(start: Start, s: Suite) -> tuple[float, int, int]:
    """(wall seconds, tests run, failed tests) of one run of the suite; the run stops after the
    test that passes the mode's run budget."""
    failures = tests = 0
    t0 = time.perf_counter()
    for i in range(s.tests):
        if time.perf_counter() - t0 > s.run_budget_s:
            break
        tests += 1
        adder = start(s)
        if adder is None:
            failures += 1  # the name was still taken: the test fails, the suite goes on
            continue
        if adder.add(2, 3) != 5:
            raise RuntimeError("the adder is broken")
        adder.stop(s.shutdown_ms(i))  # frees the name that much later
    return time.perf_counter() - t0, tests, failures


def settle(s: Suite) -> None:
    """The first test of a run must not inherit a name the previous run's last stop still holds."""
    liveness.eventually(lambda: Adder.whereis() is None, timeout=s.tail_ms / 1000 + s.wait_timeout_s)


def run(p: Params) -> list[dict[str, Any]]:
    s = p.suite
    ways: list[tuple[str, Start]] = [(SLEEP_50MS, start_after_sleep)]
    ways += [(w.label, start_with(w.wait_until, PushedAdder if w is PUSH else Adder)) for w in SUITE]
    print(f"\nsuite time ({s.tests} tests per run; wall s and failed tests per run)")
    records: list[dict[str, Any]] = []
    for load in s.loads:
        if load not in ("idle", "hog"):
            raise SystemExit(f"scenarios.json: unknown suite load {load!r}")
        cm: contextlib.AbstractContextManager[object] = (
            Hog(p.hog_command) if load == "hog" else contextlib.nullcontext()
        )
        with cm:
            for label, start in ways:
                print(f"  {load:<5} {label:<22}", end="", flush=True)
                for run_no in range(s.runs):

                    def measure() -> tuple[float, int, int]:
                        settle(s)
                        return one_run(start, s)  # noqa: B023 - called at once, in this iteration

                    result = guarded("suite", f"{label} ({load})", measure)
                    if result is None:
                        break
                    wall, tests, failures = result
                    cut = f" ({tests} tests: budget)" if tests < s.tests else ""
                    print(f" {wall:7.2f} s {failures:3} failed{cut}", end="", flush=True)
                    records.append(
                        {
                            "scenario": "suite",
                            "library": label,
                            "load": load,
                            "run": run_no,
                            "tests": tests,
                            "suite_tests": s.tests,
                            "wall_s": wall,
                            "failures": failures,
                        }
                    )
                print()
    return records
