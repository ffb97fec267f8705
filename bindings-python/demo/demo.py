"""The Python rows of `make demo`: the seeds' experiments, with sleeps and with liveness.

Each row is one JSON line in target/demo/python.jsonl:
{"binding": "python", "scenario": ..., "variant": ..., "wall_ms": ..., "failures": ..., "runs": ...}
The sleeps here are the point of the demo (the "before" of the seeds), not a way of testing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import liveness
from sut import AdditionJob, AlreadyStarted, CircuitBreaker, ExternalAdder


def restart_race(wait: Callable[[], ExternalAdder]) -> bool:
    """One seed test: start the singleton right after the previous test's one was stopped."""
    previous = ExternalAdder.whereis() or ExternalAdder.start_link()
    previous.stop()
    try:
        adder = wait()
    except AlreadyStarted:
        return False
    return adder.add(1, 0) == 1


def sleep_then(ms: float, action: Callable[[], ExternalAdder]) -> Callable[[], ExternalAdder]:
    def wait() -> ExternalAdder:
        time.sleep(ms / 1000)
        return action()

    return wait


def delayed_write(job: AdditionJob, variant: str) -> bool:
    out = job.schedule_addition(1, 2)
    if variant == "liveness":
        try:
            liveness.eventually(lambda: out.read_text() == "3", timeout=5)
        except liveness.TimeoutError:
            return False
    else:
        time.sleep(0.6)
    return out.read_text() == "3"


def breaker_trip(variant: str, sleep_ms: float = 10) -> bool:
    breaker = CircuitBreaker("demo", threshold=3)
    if variant == "liveness":
        try:
            liveness.sync_operation(
                lambda: [breaker.cast_fail() for _ in range(3)], lambda: breaker.status() == "open", timeout=5
            )
        except liveness.TimeoutError:
            return False
    else:
        for _ in range(3):
            breaker.cast_fail()
        time.sleep(sleep_ms / 1000)
    return breaker.status() == "open"


def measure(scenario: str, variant: str, runs: int, one: Callable[[], bool]) -> dict[str, object]:
    failures = 0
    start = time.perf_counter()
    for _ in range(runs):
        if not one():
            failures += 1
    wall = (time.perf_counter() - start) * 1000
    row = {
        "binding": "python",
        "scenario": scenario,
        "variant": variant,
        "wall_ms": round(wall, 1),
        "failures": failures,
        "runs": runs,
    }
    print(f"  {scenario:<32} {variant:<12} {wall:9.1f} ms  {failures:3d}/{runs} failed", file=sys.stderr)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    runs = args.runs
    rows: list[dict[str, object]] = []
    print("python demo rows:", file=sys.stderr)

    race = f"restart race ({runs} tests)"
    for ms in (10, 50):
        ExternalAdder.reset()
        rows.append(
            measure(race, f"sleep {ms} ms", runs, lambda: restart_race(sleep_then(ms, ExternalAdder.start_link)))  # noqa: B023 - called at once
        )
    ExternalAdder.reset()
    rows.append(
        measure(race, "liveness", runs, lambda: restart_race(lambda: liveness.eventually(ExternalAdder.start_link)))
    )

    writes = max(3, runs // 20)
    with tempfile.TemporaryDirectory() as tmp:
        job = AdditionJob(Path(tmp), flush_ms=500)
        scenario = f"delayed write, 500 ms flush ({writes} tests)"
        rows.append(measure(scenario, "sleep 600 ms", writes, lambda: delayed_write(job, "sleep")))
        rows.append(measure(scenario, "liveness", writes, lambda: delayed_write(job, "liveness")))

    scenario = f"fire-and-forget breaker ({runs} tests)"
    rows.append(measure(scenario, "sleep 10 ms", runs, lambda: breaker_trip("sleep")))
    rows.append(measure(scenario, "liveness", runs, lambda: breaker_trip("liveness")))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
