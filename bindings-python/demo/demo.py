"""The Python door of `make demo`: every scenario of demo/scenarios.json, through liveness' public API.

    python demo.py SCENARIOS.json OUT.json

"Before" is the seed's own code: a fixed sleep, then act. "After" waits for the state with
liveness. Failures are counted, not raised, so one run shows both time and flakiness (as the Rust
door, examples/src/demo/run.rs, does). OUT.json is {"door": "python", "rows": [...]}, the format
examples/src/demo/results.rs reads. The sleeps here are the point of the demo (the "before" of the
seeds, and the simulated systems' own delays), not a way of testing.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import liveness
from sut import AdditionJob, AlreadyStarted, CircuitBreaker, ExternalAdder

WAIT_TIMEOUT = 5.0
# The label of the "after" variant; a "before" one is "sleep <ms> ms". The same in every door.
AFTER = "liveness"


@dataclass(frozen=True)
class Delay:
    base_ms: int
    step: int
    spread_ms: int
    tail_every: int
    tail_ms: int

    def ms(self, i: int) -> int:
        """The simulated system's delay for test `i` (the file's `_doc` gives the formula)."""
        if self.tail_every > 0 and i % self.tail_every == self.tail_every - 1:
            return self.tail_ms
        return self.base_ms + (i * self.step) % max(self.spread_ms, 1)


@dataclass(frozen=True)
class Wait:
    """How a test waits before acting: the seed's sleep (`sleep_ms`), or liveness (None)."""

    sleep_ms: int | None

    @property
    def label(self) -> str:
        return AFTER if self.sleep_ms is None else f"sleep {self.sleep_ms} ms"

    def sleep(self) -> None:
        assert self.sleep_ms is not None
        time.sleep(self.sleep_ms / 1000)  # liveness: allow-sleep(the "before" column: the seed's sleep)


def restart_race(s: dict[str, Any], delay: Delay, wait: Wait) -> int:
    """Seed 004's "100 tests": test i starts the registered adder right after test i-1 stopped it;
    the adder of test i takes delay.ms(i) to shut down."""
    failures = 0
    previous: tuple[ExternalAdder, int] | None = None
    for i in range(s["tests"]):
        if previous is not None:
            adder, shutdown_ms = previous  # the previous test ends; its adder stops asynchronously
            adder.stop(shutdown_ms)
            previous = None
        started: ExternalAdder | None
        if wait.sleep_ms is None:
            try:
                started = liveness.eventually(ExternalAdder.start_link, timeout=WAIT_TIMEOUT)
            except liveness.TimeoutError:
                started = None
        else:
            wait.sleep()
            try:
                started = ExternalAdder.start_link()
            except AlreadyStarted:
                started = None
        if started is not None and started.add(i, 0) == i:
            previous = (started, delay.ms(i))
        else:
            failures += 1
    if previous is not None:
        previous[0].stop(previous[1])
    # The last stop frees the name on its own; wait for it so that the next variant starts clean.
    with suppress(liveness.TimeoutError):
        liveness.eventually(lambda: ExternalAdder.whereis() is None, timeout=WAIT_TIMEOUT)
    return failures


def delayed_write(s: dict[str, Any], scratch: Path, wait: Wait) -> int:
    """Seed 004's `AdditionJob`: the result is flushed to its file `flush_ms` after the call."""
    job = AdditionJob(Path(tempfile.mkdtemp(dir=scratch)), flush_ms=s["flush_ms"])
    failures = 0
    for _ in range(s["tests"]):
        out = job.schedule_addition(1, 2)
        if wait.sleep_ms is None:
            try:
                liveness.eventually(lambda: out.read_text() == "3", timeout=WAIT_TIMEOUT)  # noqa: B023 - called at once
                ok = True
            except liveness.TimeoutError:
                ok = False
        else:
            wait.sleep()
            ok = out.read_text() == "3"
        failures += not ok
    return failures


class MailboxBreaker(CircuitBreaker):
    """Seed 000's breaker with a mailbox, as in the Rust door: one worker records the fire-and-forget
    failures in order, `latency_ms` each (sut.CircuitBreaker.cast_fail takes a random 1-10 ms)."""

    def __init__(self, name: str, threshold: int, latency_ms: float) -> None:
        super().__init__(name, threshold)
        self._latency = latency_ms / 1000
        self._mailbox: queue.SimpleQueue[bool] = queue.SimpleQueue()
        threading.Thread(target=self._work, name="breaker-worker", daemon=True).start()

    def _work(self) -> None:
        while self._mailbox.get():  # False: the test is over, the worker ends
            time.sleep(self._latency)  # liveness: allow-sleep(the worker's processing time: the behaviour)
            self.fail()

    def cast_fail(self) -> None:
        self._mailbox.put(True)

    def close(self) -> None:
        self._mailbox.put(False)


def breaker(s: dict[str, Any], delay: Delay, wait: Wait) -> int:
    """Seed 000: the breaker tripped through fire-and-forget failures."""
    threshold = max(s["threshold"], 1)
    failures = 0
    for i in range(s["tests"]):
        name = f"demo-breaker-{wait.label}-{i}"
        b = MailboxBreaker(name, threshold, delay.ms(i) / threshold)

        def fire(b: MailboxBreaker = b) -> None:
            for _ in range(threshold):
                b.cast_fail()

        if wait.sleep_ms is None:
            try:
                with liveness.assert_emitted("breaker.state_change", where={"breaker": name, "to": "open"}):
                    liveness.sync_operation(fire, lambda b=b: b.status() == "open", timeout=WAIT_TIMEOUT)
                ok = True
            except (liveness.TimeoutError, liveness.EventAssertionError):
                ok = False
        else:
            fire()
            wait.sleep()
            ok = b.status() == "open"
        b.close()
        failures += not ok
    return failures


@contextmanager
def hog(command: list[str]) -> Iterator[None]:
    """The loaded machine: `command` on every core but one until the block ends."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    children: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(max(cores - 1, 1)):
            children.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))
        yield
    finally:
        for child in children:
            child.kill()
            child.wait()


def run_scenario(spec: dict[str, Any], s: dict[str, Any], scratch: Path) -> list[dict[str, Any]]:
    delay = Delay(**{k: v for k, v in spec["delay"].items() if not k.startswith("_")})
    kinds = {
        "restart_race": lambda wait: restart_race(s, delay, wait),
        "delayed_write": lambda wait: delayed_write(s, scratch, wait),
        "breaker": lambda wait: breaker(s, delay, wait),
    }
    if s["kind"] not in kinds:
        raise ValueError(f"scenario {s['name']!r}: unknown kind {s['kind']!r}")
    if s["load"] not in ("idle", "hog"):
        raise ValueError(f"scenario {s['name']!r}: unknown load {s['load']!r}")
    rows = []
    with hog(spec["hog"]["command"]) if s["load"] == "hog" else nullcontext():
        for wait in [*(Wait(ms) for ms in s["before_sleep_ms"]), Wait(None)]:
            started = time.perf_counter()
            failures = kinds[s["kind"]](wait)
            wall_ms = (time.perf_counter() - started) * 1000
            rows.append(
                {
                    "scenario": s["name"],
                    "variant": wait.label,
                    "wall_ms": wall_ms,
                    "failures": failures,
                    "tests": s["tests"],
                }
            )
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: demo.py SCENARIOS.json OUT.json", file=sys.stderr)
        return 2
    scenarios, out = Path(argv[0]), Path(argv[1])
    try:
        spec = json.loads(scenarios.read_text())
        with tempfile.TemporaryDirectory(prefix="liveness-demo-") as scratch:
            rows = [row for s in spec["scenarios"] for row in run_scenario(spec, s, Path(scratch))]
    except (OSError, ValueError, KeyError) as e:
        print(f"demo: {scenarios}: {e!r}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"door": "python", "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
