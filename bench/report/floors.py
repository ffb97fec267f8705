"""The suite's arithmetic floor, computed once here from bench/scenarios.json rather than by each
harness: test i waits for test i - 1's shutdown, so a run of n tests waits for the delays of tests
0 .. n - 2 (the last shutdown ends after the run). No waiting cost at all: the limit no waiter
reaches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

from records import SUM_FLOOR, Record

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios.json"


def shutdown_ms(suite: Dict[str, Any], i: int) -> float:
    """Seed 004's schedule: how long test i's instance takes to shut down."""
    if i % suite["tail_every"] == suite["tail_every"] - 1:
        return suite["tail_ms"]
    return suite["base_ms"] + (i * suite["step"]) % suite["spread_ms"]


def sum_of_delays_s(suite: Dict[str, Any], tests: int) -> float:
    return sum(shutdown_ms(suite, i) for i in range(tests - 1)) / 1000


def add_sum_floor(data: Dict[str, Any], scenarios: Path = SCENARIOS) -> None:
    """Appends the floor's suite records (one per load the harness measured) to one language's
    results, with its `libraries` entry; a language without suite records gets none."""
    raw = json.loads(scenarios.read_text())
    records: List[Record] = data.get("records", [])
    loads = list(dict.fromkeys(r["load"] for r in records if r["scenario"] == "suite" and r["library"] != SUM_FLOOR))
    if not loads or data.get("mode") not in raw["modes"]:
        return
    tests = raw["modes"][data["mode"]]["suite"]["tests"]
    floor = sum_of_delays_s(raw["suite"], tests)
    records[:] = [r for r in records if not (r["scenario"] == "suite" and r["library"] == SUM_FLOOR)]
    records += [{"scenario": "suite", "library": SUM_FLOOR, "load": load, "run": 0, "tests": tests,
                 "suite_tests": tests, "wall_s": floor, "failures": 0} for load in loads]
    data.setdefault("libraries", {})[SUM_FLOOR] = {
        "version": "-", "settings": f"suite: the sum of the shutdown delays of tests 0 .. {tests - 2} "
        "(bench/scenarios.json), computed by the report; no waiting cost at all"}


def below_floor_problems(lang: str, data: Dict[str, Any], scenarios: Path = SCENARIOS) -> List[str]:
    """Suite runs faster than the delays they wait for: no waiter can beat the sum of delays, so such
    a row says the harness (not the waiter) is wrong — Rust's push waiter was, at 0.05× the floor,
    for two full runs, because a refused start freed the name early."""
    raw = json.loads(scenarios.read_text())
    problems = []
    for r in data.get("records", []):
        if r["scenario"] != "suite" or r["library"] == SUM_FLOOR or r.get("tests", 0) < 2:
            continue
        floor = sum_of_delays_s(raw["suite"], r["tests"])
        # 2% under: a timer may fire a hair early; anything below that is a waiter that did not wait.
        if r["wall_s"] < 0.98 * floor:
            problems.append(f"{lang}: suite {r['library']!r} ({r['load']}, run {r['run']}) took {r['wall_s']:.3f} s, "
                            f"under the {floor:.3f} s its {r['tests']} tests wait for: the harness does not wait")
    return problems
