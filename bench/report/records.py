"""Questions asked of one language's records: who is a peer, what is the best peer's figure."""

from __future__ import annotations

from statistics import mean, median
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

Record = Dict[str, Any]


def is_liveness(library: str) -> bool:
    return library.startswith("liveness")


PUSH_FLOOR = "floor (push waiter)"
SUM_FLOOR = "floor (sum of delays)"
WAKE_HINT = "liveness + wake hint"


def is_floor(library: str) -> bool:
    """The physical limits measured beside the waiters: a push waiter notified by the system under
    test, and (suite) the sum of the delays waited for. Not a way to wait on a system that does
    not notify, so not a peer."""
    return library.startswith("floor")


def is_peer(library: str) -> bool:
    """Everything a user could pick instead of liveness to wait: other libraries and hand loops.
    The plain sleep is the "before" of the seeds, not a waiting helper; the floors are limits."""
    return not is_liveness(library) and not library.startswith("sleep") and not is_floor(library)


def select(records: Iterable[Record], scenario: str, **match: Any) -> List[Record]:
    return [r for r in records if r["scenario"] == scenario and all(r.get(k) == v for k, v in match.items())]


def libraries(records: Iterable[Record]) -> List[str]:
    """Libraries in first-seen order (the harness's order: liveness first, then peers)."""
    seen: Dict[str, None] = {}
    for r in records:
        seen.setdefault(r["library"], None)
    return list(seen)


def best_peer(values: Dict[str, float], lower_is_better: bool = True) -> Optional[Tuple[str, float]]:
    peers = {k: v for k, v in values.items() if is_peer(k)}
    if not peers:
        return None
    pick: Callable[..., Any] = min if lower_is_better else max
    name = pick(peers, key=peers.__getitem__)
    return name, peers[name]


def suite_summary(records: Iterable[Record], load: str) -> Dict[str, Dict[str, float]]:
    """Per library under `load`: wall time per run scaled to the full suite (a run cut short by
    its time budget counts at its pace), min and max of that, failures, tests run, and whether
    any run was cut short."""
    out: Dict[str, Dict[str, float]] = {}
    for lib in libraries(select(records, "suite", load=load)):
        runs = select(records, "suite", load=load, library=lib)
        walls = [r["wall_s"] * r.get("suite_tests", r["tests"]) / max(r["tests"], 1) for r in runs]
        out[lib] = {"mean_s": mean(walls), "min_s": min(walls), "max_s": max(walls),
                    "failures": sum(r["failures"] for r in runs), "tests": sum(r["tests"] for r in runs),
                    "runs": len(runs), "cut_short": any(r["tests"] < r.get("suite_tests", r["tests"]) for r in runs)}
    return out


def overshoot_p50_median(records: Iterable[Record]) -> Dict[str, float]:
    """Per library: the median over the ready times measured of its overshoot p50 (ms). One
    figure per library for the latency–CPU picture: the ready times span 1 ms to 1 s, and the
    median neither hides the back-off after 400 ms nor lets that one column decide."""
    by_lib: Dict[str, List[float]] = {}
    for r in select(records, "overshoot"):
        by_lib.setdefault(r["library"], []).append(r["p50_ms"])
    return {lib: median(v) for lib, v in by_lib.items()}
