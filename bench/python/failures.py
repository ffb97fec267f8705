"""Keeps going when one library cannot be measured: the error is printed and remembered, the
other libraries still run, and the harness exits non-zero at the end."""

from __future__ import annotations

import traceback
from typing import Callable, List, Optional, TypeVar

T = TypeVar("T")

failed: List[str] = []


def guarded(scenario: str, label: str, measure: Callable[[], T]) -> Optional[T]:
    try:
        return measure()
    except Exception:  # noqa: BLE001 - any error of one library must not hide the others' figures
        failed.append(f"{scenario}: {label}")
        print(f"\n  !! {scenario}: {label} could not be measured:")
        traceback.print_exc()
        return None
