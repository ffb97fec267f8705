"""Delayed write (seed 004): a writer thread, standing in for the system under test and unchanged
by liveness, writes a result file some time after the start; each waiter reads the file until it
holds the result. Overshoot is measured from the writer's clock reading right after the write;
CPU is process CPU per second of waiting over the cell's repetitions."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import liveness

from failures import guarded_row
from params import Params
from peers import HAND_1MS, HAND_10MS, LIVENESS, PUSH, Probe, Waiter, held, notify_push
from stats import summary_ms

WAKE_ON_PATH_LABEL = "liveness + wake_on_path"
TRIAL_TIMEOUT_S = 30.0


def wake_on_path_waiter(path: Path) -> Waiter:
    def wait_until(probe: Probe, timeout: float) -> bool:
        return held(lambda: liveness.eventually(probe, timeout=timeout, wake_on_path=str(path)), liveness.TimeoutError)

    return Waiter(WAKE_ON_PATH_LABEL, wait_until)


# The waiter set; the wake_on_path one is made per trial, since it names the trial's file.
WAITERS: list[str] = [WAKE_ON_PATH_LABEL, LIVENESS.label, HAND_1MS.label, HAND_10MS.label, PUSH.label]
_FIXED = {w.label: w for w in (LIVENESS, HAND_1MS, HAND_10MS, PUSH)}


def trial(label: str, ready_s: float, result: str) -> tuple[float, float, float]:
    """One trial: (overshoot s, CPU s, wall s of the wait)."""
    with tempfile.TemporaryDirectory(prefix="bench-delayed-write-") as folder:
        path = Path(folder) / "result.txt"
        waiter = wake_on_path_waiter(path) if label == WAKE_ON_PATH_LABEL else _FIXED[label]
        written_at: list[float] = []

        def writer() -> None:
            time.sleep(ready_s)  # the system under test takes its time: the simulated behaviour
            path.write_text(result)
            written_at.append(time.perf_counter())
            notify_push()  # only the push waiter listens

        def has_result() -> bool:
            try:
                return path.read_text() == result
            except FileNotFoundError:
                return False

        thread = threading.Thread(target=writer, name="delayed-writer")
        cpu0, wall0 = time.process_time(), time.perf_counter()
        thread.start()
        ok = waiter.wait_until(has_result, TRIAL_TIMEOUT_S)
        returned = time.perf_counter()
        cpu = time.process_time() - cpu0
        thread.join()
        if not ok:
            raise RuntimeError(f"{label}: the file was written but the wait timed out")
        return max(0.0, returned - written_at[0]), cpu, returned - wall0


def cell(label: str, ready_ms: float, reps: int, p: Params) -> dict[str, Any]:
    trials = [trial(label, p.overshoot.ready_at_s(ready_ms, k), p.delayed_write.result) for k in range(reps)]
    cpu, wall = sum(t[1] for t in trials), sum(t[2] for t in trials)
    return {
        "scenario": "delayed_write",
        "library": label,
        "ready_ms": ready_ms,
        **summary_ms([t[0] for t in trials]),
        "cpu_ms_per_s": cpu * 1000 / wall,
    }


def run(p: Params) -> list[dict[str, Any]]:
    d = p.delayed_write
    print("\ndelayed write (ms from 'file written' to 'wait returned', p50 / p99; ms of CPU per s of waiting)")
    print(f"  {'library':<24}" + "".join(f" {'written at ' + format(r, 'g') + ' ms':>28}" for r in d.ready_ms))
    records: list[dict[str, Any]] = []
    for label in WAITERS:
        records += guarded_row(
            "delayed_write",
            label,
            list(zip(d.ready_ms, d.reps, strict=True)),
            lambda ready_ms, reps: cell(label, ready_ms, reps, p),  # noqa: B023 - called at once, in this iteration
            lambda rec: f"{rec['p50_ms']:8.2f} / {rec['p99_ms']:7.2f} cpu {rec['cpu_ms_per_s']:6.2f}",
            (24, 28),
        )
    return records
