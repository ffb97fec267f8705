"""The Python harness of `make bench`: `python bench/python/harness.py --mode full|quick|smoke
--out DIR` writes DIR/python.json (the shape is in bench/README.md; the parameters come from
bench/scenarios.json). liveness is measured next to the hand-written loops and the polling
libraries a Python test would use instead, each with its own defaults, in the same run.

Modules: params (scenarios.json), peers (one adapter per library), overshoot, cpu,
eval_overhead, suite (its system under test is the Python suite's ExternalAdder; hog, the
loaded machine), delayed_write (seed 004's delayed write), emit, concurrency (N waits at once).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import liveness

import concurrency
import cpu
import delayed_write
import emit
import eval_overhead
import failures
import overshoot
import params
import peers
import suite


def libraries() -> dict[str, dict[str, str]]:
    described = peers.describe()
    described["blinker"] = {
        "version": importlib.metadata.version("blinker"),
        "settings": "Signal().send(name, n=1.0); one receiver appending (sender, kwargs) to a list",
    }
    described["callback list"] = {
        "version": "-",
        "settings": "for cb in callbacks: cb(name, 1.0); one callback appending to a list",
    }
    described["liveness"]["settings"] += '; emit: liveness.emit(name, {"n": 1.0}), capture("bench.emit.**")'
    return described


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("full", "quick", "smoke"), default="full")
    parser.add_argument("--out", type=Path, required=True, help="directory that receives python.json")
    # Like the Rust harness's: a subset, for comparing one scenario across commits by hand.
    parser.add_argument("--only", help="comma-separated scenarios to run (default: all), e.g. cpu,delayed_write")
    args = parser.parse_args()
    scenarios = (overshoot, cpu, delayed_write, eval_overhead, suite, emit, concurrency)
    names = [m.__name__ for m in scenarios]
    only = set(args.only.split(",")) if args.only else set(names)
    if unknown := only - set(names):
        parser.error(f"--only: unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(names)}")

    p = params.load(args.mode)
    runtime = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"python harness ({p.mode} mode, {runtime}, liveness {liveness.__version__})", flush=True)
    t0 = time.perf_counter()

    records: list[dict[str, Any]] = []
    for scenario in (m for m in scenarios if m.__name__ in only):
        started = time.perf_counter()
        records.extend(scenario.run(p))
        print(f"  ({scenario.__name__}: {time.perf_counter() - started:.1f} s)", flush=True)

    report = {"language": "python", "mode": p.mode, "runtime": runtime, "libraries": libraries(), "records": records}
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / "python.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nresults: {out} ({time.perf_counter() - t0:.1f} s)")
    if failures.failed:
        print("could not be measured:\n  " + "\n  ".join(failures.failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
