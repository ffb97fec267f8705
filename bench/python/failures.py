"""Keeps going when one library cannot be measured: the error is printed and remembered, the
other libraries still run, and the harness exits non-zero at the end."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TypeVar

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
