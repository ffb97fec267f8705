"""Emit cost with nothing attached and with one listener recording what it is given, against the
mechanisms a Python codebase would use instead: a blinker signal and a plain list of callbacks.
Every form carries the same payload, one measurement n = 1.0, in its own idiom."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import blinker
import liveness

from failures import guarded
from params import Params

IDLE_NAME = "bench.emit.idle"
CAPTURED_NAME = "bench.emit.captured"
# Recording every call keeps it in memory: the one-listener cases emit 1/20th of the iterations
# (as the Rust harness does), which is plenty for a per-call figure.
CAPTURED_FRACTION = 20


def best_ns(n: int, repeats: int, loop: Callable[[int], None]) -> float:
    """Best nanoseconds per call over the repeats; `loop(n)` makes n calls (the loop is inside
    each form's function so no extra call per emit is counted)."""
    best = float("inf")
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter_ns()
        loop(n)
        best = min(best, (time.perf_counter_ns() - t0) / n)
    return best


def liveness_idle(n: int) -> None:
    emit = liveness.emit
    for _ in range(n):
        emit(IDLE_NAME, {"n": 1.0})


def liveness_one_capture(n: int) -> None:
    with liveness.capture("bench.emit.**") as c:
        emit = liveness.emit
        for _ in range(n):
            emit(CAPTURED_NAME, {"n": 1.0})
    if len(c.events) != n:
        raise RuntimeError(f"the capture holds {len(c.events)} events of {n}")


def blinker_idle(n: int) -> None:
    send = blinker.Signal().send
    for _ in range(n):
        send(IDLE_NAME, n=1.0)


def blinker_one_receiver(n: int) -> None:
    signal = blinker.Signal()
    received: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append((sender, kwargs))

    signal.connect(receiver)  # weakly referenced by blinker: `receiver` lives until the end here
    send = signal.send
    for _ in range(n):
        send(CAPTURED_NAME, n=1.0)
    if len(received) != n:
        raise RuntimeError(f"the receiver got {len(received)} signals of {n}")


def callback_list_emit(callbacks: list[Callable[[str, float], None]], n: int, name: str) -> None:
    for _ in range(n):
        for cb in callbacks:
            cb(name, 1.0)


def callback_list_idle(n: int) -> None:
    callback_list_emit([], n, IDLE_NAME)


def callback_list_one(n: int) -> None:
    received: list[tuple[str, float]] = []
    callback_list_emit([lambda name, v: received.append((name, v))], n, CAPTURED_NAME)
    if len(received) != n:
        raise RuntimeError(f"the callback got {len(received)} calls of {n}")


def run(p: Params) -> list[dict[str, Any]]:
    n, r = p.emit_iterations, p.emit_repeats
    n_one = max(1, n // CAPTURED_FRACTION)
    if liveness.has_subscribers(IDLE_NAME):
        raise RuntimeError(f"something is attached to {IDLE_NAME}: 'nothing attached' would be wrong")
    cases = [
        ("liveness", "nothing attached", n, liveness_idle),
        ("blinker", "nothing attached", n, blinker_idle),
        ("callback list", "nothing attached", n, callback_list_idle),
        ("liveness", "one capture", n_one, liveness_one_capture),
        ("blinker", "one capture", n_one, blinker_one_receiver),
        ("callback list", "one capture", n_one, callback_list_one),
    ]
    print(f"\nemit (ns per call; {n} calls with nothing attached, {n_one} with one listener)")
    records: list[dict[str, Any]] = []
    for library, case, count, loop in cases:
        ns = guarded("emit", f"{library} ({case})", lambda: best_ns(count, r, loop))  # noqa: B023 - called at once, in this iteration
        if ns is None:
            continue
        print(f"  {case:<17} {library:<22} {ns:10.1f}", flush=True)
        records.append({"scenario": "emit", "library": library, "case": case, "ns_per_emit": ns})
    return records
