"""Python figures of `make bench` (QUICK=1 for a short run):

1. overhead of one evaluation through the core vs a hand-written Python polling loop, same run;
2. overshoot (condition true → eventually returns) p50/p99 at 1, 10, 100, 1000 ms, default options;
3. CPU time per second of waiting, default options.

Prints a table and writes target/bench/python.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import liveness

ROOT = Path(__file__).resolve().parents[2]


def hand_loop(probe: Callable[[], object], timeout: float, interval: float) -> object:
    """What people write by hand: call, check, check the clock, sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        if interval:
            time.sleep(interval)


def counting_probe(n: int) -> Callable[[], Optional[int]]:
    state = [0]

    def probe() -> Optional[int]:
        state[0] += 1
        return state[0] if state[0] >= n else None

    return probe


def per_evaluation_ns(run: Callable[[Callable[[], object]], object], n: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        probe = counting_probe(n)
        start = time.perf_counter()
        run(probe)
        best = min(best, time.perf_counter() - start)
    return best / n * 1e9


def overhead(quick: bool) -> Dict[str, float]:
    n = 20_000 if quick else 200_000
    repeats = 3 if quick else 5
    # interval 0: nothing but the loop itself is measured (no waiting on either side).
    ours = per_evaluation_ns(lambda p: liveness.eventually(p, interval=0, timeout=60), n, repeats)
    hand = per_evaluation_ns(lambda p: hand_loop(p, 60, 0), n, repeats)
    bare = per_evaluation_ns(lambda p: [p() for _ in range(n)], n, repeats)
    # With a 1 ms period, as in real use: both are dominated by the wait.
    m = 100 if quick else 300
    ours_1ms = per_evaluation_ns(lambda p: liveness.eventually(p, interval=0.001, timeout=60), m, 2)
    hand_1ms = per_evaluation_ns(lambda p: hand_loop(p, 60, 0.001), m, 2)
    return {
        "probe_call_ns": bare,
        "liveness_eval_ns": ours,
        "hand_loop_eval_ns": hand,
        "ratio_no_wait": ours / hand,
        "liveness_eval_1ms_us": ours_1ms / 1000,
        "hand_loop_eval_1ms_us": hand_1ms / 1000,
        "ratio_1ms": ours_1ms / hand_1ms,
    }


def overshoot(after_ms: float, samples: int) -> Dict[str, float]:
    """The condition becomes true `after_ms` after the call; how late does eventually return?"""
    lates: List[float] = []
    for _ in range(samples):
        became_true = [0.0]
        flag = threading.Event()

        def flip() -> None:
            time.sleep(after_ms / 1000)  # the system under test's delay
            became_true[0] = time.perf_counter()
            flag.set()

        t = threading.Thread(target=flip)
        t.start()
        liveness.eventually(flag.is_set)
        lates.append((time.perf_counter() - became_true[0]) * 1000)
        t.join()
    lates.sort()
    p99 = lates[min(len(lates) - 1, int(round(0.99 * (len(lates) - 1))))]
    return {"after_ms": after_ms, "samples": samples, "p50_ms": statistics.median(lates), "p99_ms": p99}


def cpu_per_second(seconds: float) -> Dict[str, float]:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    try:
        liveness.eventually(lambda: False, timeout=seconds)
    except liveness.TimeoutError as err:
        evaluations = err.evaluations
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    return {"waited_s": wall, "cpu_ms_per_s": cpu / wall * 1000, "evaluations_per_s": evaluations / wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick

    results: Dict[str, object] = {}
    o = overhead(quick)
    results["overhead"] = o
    print("python: one evaluation, liveness vs a hand-written loop (same run)")
    print(f"  probe call alone            {o['probe_call_ns']:8.0f} ns")
    print(f"  liveness.eventually         {o['liveness_eval_ns']:8.0f} ns / evaluation (interval 0)")
    print(f"  hand loop                   {o['hand_loop_eval_ns']:8.0f} ns / evaluation (interval 0)")
    print(f"  ratio                       {o['ratio_no_wait']:8.2f}x  (target <= 1.5x)")
    print(f"  with a 1 ms period: liveness {o['liveness_eval_1ms_us']:.0f} us, hand loop "
          f"{o['hand_loop_eval_1ms_us']:.0f} us per evaluation ({o['ratio_1ms']:.2f}x)")

    plan = [(1, 50), (10, 30), (100, 10), (1000, 3)] if quick else [(1, 300), (10, 150), (100, 40), (1000, 8)]
    rows = [overshoot(after, n) for after, n in plan]
    results["overshoot"] = rows
    print("python: overshoot with default options (condition true -> eventually returns)")
    for r in rows:
        print(f"  after {r['after_ms']:6.0f} ms  p50 {r['p50_ms']:6.3f} ms  p99 {r['p99_ms']:6.3f} ms  "
              f"({r['samples']} samples; target p50 <= 2 ms)")

    c = cpu_per_second(1.0 if quick else 3.0)
    results["cpu"] = c
    print(f"python: CPU while waiting (default options): {c['cpu_ms_per_s']:.1f} ms CPU per s of waiting "
          f"({c['evaluations_per_s']:.0f} evaluations/s)")

    out = ROOT / "target" / "bench" / "python.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"python: wrote {out}")


if __name__ == "__main__":
    main()
