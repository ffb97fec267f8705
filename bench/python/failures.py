"""Keeps going when one library cannot be measured: the error is printed and remembered, the
other libraries still run, and the harness exits non-zero at the end."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

failed: list[str] = []


def guarded(scenario: str, label: str, measure: Callable[[], T]) -> T | None:
    try:
        return measure()
    except Exception:  # noqa: BLE001 - any error of one library must not hide the others' figures
        failed.append(f"{scenario}: {label}")
        print(f"\n  !! {scenario}: {label} could not be measured:")
        traceback.print_exc()
        return None


def guarded_row(
    scenario: str,
    label: str,
    cells: list[tuple[float, int]],
    measure: Callable[[float, int], dict[str, Any]],
    show: Callable[[dict[str, Any]], str],
    widths: tuple[int, int],
) -> list[dict[str, Any]]:
    """One printed table row (label, then a cell per (ready_ms, reps)): `measure` per cell, each
    guarded; a cell that failed prints as such and leaves no record, the others still run."""
    label_width, cell_width = widths
    print(f"  {label:<{label_width}}", end="", flush=True)
    records: list[dict[str, Any]] = []
    for ready_ms, reps in cells:
        rec = guarded(scenario, label, lambda: measure(ready_ms, reps))  # noqa: B023 - called at once, in this iteration
        print(f" {'failed' if rec is None else show(rec):>{cell_width}}", end="", flush=True)
        if rec is not None:
            records.append(rec)
    print()
    return records
