"""The cost of the bridges with no capture open, against the same call without liveness, and of
`emit` (idle, and with a capture open) — optionally against another build of liveness, measured
in the same run:

    python bench/python/bridges.py [--mode full|quick|smoke] [--baseline DIR]

`--baseline DIR` puts DIR (a folder holding another `liveness` package, e.g. a copy of
bindings-python/python made before a change) first on the path of a child process that measures
the emit forms too; the runs alternate, and the best of each is kept.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable

import liveness

from emit import best_ns

COUNTS = {"full": (200_000, 7), "quick": (50_000, 5), "smoke": (2_000, 1)}


def emit_idle(n: int) -> None:
    emit = liveness.emit
    for _ in range(n):
        emit("bench.bridges.idle", {"n": 1.0})


def emit_one_capture(n: int) -> None:
    # The listened path: the one that now reads the current scope.
    with liveness.capture("bench.bridges.captured") as c:
        emit = liveness.emit
        for _ in range(n):
            emit("bench.bridges.captured", {"n": 1.0})
    if len(c.events) != n:
        raise RuntimeError(f"the capture holds {len(c.events)} events of {n}")


def logger_with(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"bench.bridges.{type(handler).__name__}")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def log_loop(logger: logging.Logger) -> Callable[[int], None]:
    def loop(n: int) -> None:
        info = logger.info
        for _ in range(n):
            info("x", extra={"sku": "A1", "quantity": 2})

    return loop


def emit_forms(n: int, repeats: int) -> dict[str, float]:
    return {
        "emit, nothing attached": best_ns(n, repeats, emit_idle),
        "emit, one capture open": best_ns(max(1, n // 20), repeats, emit_one_capture),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=tuple(COUNTS), default="full")
    parser.add_argument("--baseline", help="a folder with another liveness package, measured in a child process")
    parser.add_argument("--emit-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n, repeats = COUNTS[args.mode]
    if args.emit_only:
        print(json.dumps(emit_forms(n, repeats)))
        return 0

    # Imported here: a baseline build, measured with --emit-only, has no liveness.logging.
    from liveness.logging import EventHandler

    # One round each, alternating, so a slower moment of the machine hits every form alike.
    results: dict[str, float] = {}
    baseline: dict[str, float] = {}

    def keep(into: dict[str, float], got: dict[str, float]) -> None:
        for k, v in got.items():
            into[k] = min(into.get(k, float("inf")), v)

    null_loop, bridged_loop = log_loop(logger_with(logging.NullHandler())), log_loop(logger_with(EventHandler()))
    for _ in range(3 if args.mode != "smoke" else 1):
        keep(results, {"logger.info, NullHandler": best_ns(n, repeats, null_loop)})
        keep(results, {"logger.info, liveness EventHandler": best_ns(n, repeats, bridged_loop)})
        keep(results, emit_forms(n, repeats))
        if args.baseline:
            env = {**os.environ, "PYTHONPATH": args.baseline}
            child = [sys.executable, __file__, "--mode", args.mode, "--emit-only"]
            keep(
                baseline, json.loads(subprocess.run(child, env=env, check=True, capture_output=True, text=True).stdout)
            )

    def row(label: str, ns: float, against: float | None = None) -> None:
        ratio = f"  x{ns / against:.2f}" if against else ""
        print(f"  {label:<44} {ns:8.1f} ns/call{ratio}")

    print(f"bridges ({args.mode} mode, {n} calls, best of {repeats} x 3 rounds, liveness {liveness.__version__})")
    row("logger.info, NullHandler", results["logger.info, NullHandler"])
    row(
        "logger.info, liveness EventHandler (no capture)",
        results["logger.info, liveness EventHandler"],
        results["logger.info, NullHandler"],
    )
    for k in ("emit, nothing attached", "emit, one capture open"):
        if k in baseline:
            row(f"{k} (baseline build)", baseline[k])
        row(k, results[k], baseline.get(k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
