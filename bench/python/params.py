"""The parameters of one run, read from bench/scenarios.json (the one file every harness reads)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios.json"


@dataclass(frozen=True)
class Overshoot:
    ready_ms: list[float]
    reps: list[int]
    min_reps: int
    cell_budget_s: float
    phase_step: float

    def ready_at_s(self, ready_ms: float, k: int) -> float:
        """When repetition `k` of a cell makes the condition true: spread over [t, 2t)."""
        return ready_ms * (1 + (k * self.phase_step) % 1.0) / 1000


@dataclass(frozen=True)
class DelayedWrite:
    ready_ms: list[float]
    reps: list[int]
    result: str


@dataclass(frozen=True)
class EvalOverhead:
    evaluations: int
    repeats: int
    budget_s: float


@dataclass(frozen=True)
class Suite:
    tests: int
    runs: int
    loads: list[str]
    run_budget_s: float  # a run stops after the test that passes this (slow peers)
    sleep_ms: float
    base_ms: float
    step: int
    spread_ms: int
    tail_every: int
    tail_ms: float
    wait_timeout_s: float

    def shutdown_ms(self, i: int) -> float:
        """How long test i's instance takes to shut down (seed 004's schedule)."""
        if i % self.tail_every == self.tail_every - 1:
            return self.tail_ms
        return self.base_ms + (i * self.step) % self.spread_ms


@dataclass(frozen=True)
class Params:
    mode: str
    overshoot: Overshoot
    cpu_wait_s: float
    eval_overhead: EvalOverhead
    suite: Suite
    emit_iterations: int
    emit_repeats: int
    hog_command: list[str]
    delayed_write: DelayedWrite


def load(mode: str, path: Path = SCENARIOS) -> Params:
    raw: dict[str, Any] = json.loads(path.read_text())
    if mode not in raw["modes"]:
        raise SystemExit(f"unknown mode {mode!r}; {path} has {', '.join(raw['modes'])}")
    m = raw["modes"][mode]
    o = m["overshoot"]
    if len(o["ready_ms"]) != len(o["reps"]):
        raise SystemExit(f"{path}: modes.{mode}.overshoot: ready_ms and reps differ in length")
    s = raw["suite"]
    return Params(
        mode=mode,
        overshoot=Overshoot(
            o["ready_ms"], o["reps"], o["min_reps"], o["cell_budget_s"], raw["overshoot"]["phase_step"]
        ),
        cpu_wait_s=m["cpu"]["wait_s"],
        eval_overhead=EvalOverhead(**m["eval_overhead"]),
        suite=Suite(
            tests=m["suite"]["tests"],
            runs=m["suite"]["runs"],
            loads=m["suite"]["loads"],
            run_budget_s=m["suite"]["run_budget_s"],
            sleep_ms=s["sleep_ms"],
            base_ms=s["base_ms"],
            step=s["step"],
            spread_ms=s["spread_ms"],
            tail_every=s["tail_every"],
            tail_ms=s["tail_ms"],
            wait_timeout_s=s["wait_timeout_s"],
        ),
        emit_iterations=m["emit"]["iterations"],
        emit_repeats=m["emit"]["repeats"],
        hog_command=raw["hog"]["command"],
        delayed_write=DelayedWrite(
            m["delayed_write"]["ready_ms"], m["delayed_write"]["reps"], raw["delayed_write"]["result"]
        ),
    )
