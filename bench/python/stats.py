"""Percentiles and the record shape of a sample of durations (the same rank rule as the Rust
harness: the sample at round(p/100 * (n-1)) of the sorted list)."""

from __future__ import annotations

from collections.abc import Sequence


def percentile(sorted_samples: Sequence[float], p: float) -> float:
    if not sorted_samples:
        return 0.0
    rank = round(p / 100 * (len(sorted_samples) - 1))
    return sorted_samples[min(rank, len(sorted_samples) - 1)]


def summary_ms(samples_s: list[float]) -> dict[str, int | float]:
    """`n`, `p50_ms`, `p99_ms`, `mean_ms` of durations given in seconds."""
    s = sorted(samples_s)
    mean = sum(s) / len(s) if s else 0.0
    return {"n": len(s), "p50_ms": percentile(s, 50) * 1000, "p99_ms": percentile(s, 99) * 1000, "mean_ms": mean * 1000}
