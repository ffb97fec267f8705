"""Questions asked of one language's records: who is a peer, what is the best peer's figure."""

from __future__ import annotations

from statistics import mean
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

Record = Dict[str, Any]


def is_liveness(library: str) -> bool:
    return library.startswith("liveness")


def is_peer(library: str) -> bool:
    """Everything a user could pick instead of liveness to wait: other libraries and hand loops.
    The plain sleep is the "before" of the seeds, not a waiting helper."""
    return not is_liveness(library) and not library.startswith("sleep")


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
