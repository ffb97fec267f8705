"""Seed 004's delayed write (issue 17): the table per language, and the computed checks of issue
17's wake targets: with `wake_on_path` on the delayed write, and with a wake hint (`wake_on`) in
the cpu scenario, each against the hand-written 1 ms loop of the same run."""

from __future__ import annotations

from typing import Dict, List, Optional

from concurrency import verdict
from records import WAKE_HINT, Record, libraries, select

WAKE_ON_PATH = "liveness + wake_on_path"
HAND_1MS = "hand loop 1 ms"
P50_CAP_MS = 1.0
CPU_SHARE = 0.10  # of the 1 ms hand loop's CPU per second of waiting


def delayed_write_table(recs: List[Record]) -> List[str]:
    readies = sorted({r["ready_ms"] for r in select(recs, "delayed_write")})
    header = ["library"] + [f"written at {r} ms: p50 / p99 ms; CPU ms/s" for r in readies]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for lib in libraries(select(recs, "delayed_write")):
        row = [lib]
        for ready in readies:
            hit = select(recs, "delayed_write", library=lib, ready_ms=ready)
            row.append(f"{hit[0]['p50_ms']:.2f} / {hit[0]['p99_ms']:.2f}; {hit[0]['cpu_ms_per_s']:.2f} "
                       f"(n={hit[0]['n']})" if hit else "–")
        lines.append("| " + " | ".join(row) + " |")
    return lines + [""]


def _share(ours: float, base: float) -> float:
    return ours / base if base > 0 else float("inf")


def wake_checks(recs: List[Record]) -> List[str]:
    lines: List[str] = []
    ours = {r["ready_ms"]: r for r in select(recs, "delayed_write", library=WAKE_ON_PATH)}
    base = {r["ready_ms"]: r for r in select(recs, "delayed_write", library=HAND_1MS)}
    if not ours or not base:
        lines.append(f"- delayed_write: no {WAKE_ON_PATH!r} or {HAND_1MS!r} records to check")
    else:
        p50 = [(t, r["p50_ms"]) for t, r in sorted(ours.items())]
        lines.append(f"- delayed_write: {verdict(all(v <= P50_CAP_MS for _, v in p50))}: with wake_on_path, "
                     f"overshoot p50 ≤ {P50_CAP_MS:g} ms: " + ", ".join(f"{t} ms {v:.3f} ms" for t, v in p50))
        cpu = [(t, _share(r["cpu_ms_per_s"], base[t]["cpu_ms_per_s"])) for t, r in sorted(ours.items()) if t in base]
        # Judged at the longest write time: a short wait's CPU per second is mostly what starting a
        # wait costs (the watch, the writer's thread), not waiting; the shorter ones are shown.
        longest = cpu[-1] if cpu else (None, float("inf"))
        lines.append(f"- delayed_write: {verdict(longest[1] <= CPU_SHARE)}: with wake_on_path, CPU per s of waiting ≤ "
                     f"{CPU_SHARE:.0%} of the 1 ms loop's (judged at {longest[0]} ms): "
                     + ", ".join(f"{t} ms {x:.1%}" for t, x in cpu))
    cpu_by_lib: Dict[str, float] = {r["library"]: r["cpu_ms_per_s"] for r in select(recs, "cpu")}
    hint: Optional[float] = cpu_by_lib.get(WAKE_HINT)
    loop: Optional[float] = cpu_by_lib.get(HAND_1MS)
    if hint is None or loop is None:
        lines.append(f"- cpu: no {WAKE_HINT!r} or {HAND_1MS!r} record to check")
    else:
        share = _share(hint, loop)
        lines.append(f"- cpu: {verdict(share <= CPU_SHARE)}: with a wake hint, CPU ≤ {CPU_SHARE:.0%} of the 1 ms "
                     f"loop's: {share:.1%} ({hint:.2f} vs {loop:.2f} ms/s; overshoot p50: see the overshoot table)")
    return lines + [""]
