"""Defaults that the pytest plugin sets for a session (ini options) or one test (the marker), and
the pytest-timeout deadline a wait must end before. Explicit keyword arguments always win."""

from __future__ import annotations

import math
import time
from typing import Any

from . import _native

# Options the plugin may default; the others only make sense per call.
DEFAULTABLE = ("timeout", "interval", "min_interval", "max_interval", "delay", "attempts", "stable_for")

_session: dict[str, Any] = {}
_test: dict[str, Any] = {}
# (monotonic time by which waits must be over, the outer limit in seconds for the message)
_hard_deadline: tuple[float, float] | None = None

# How long before pytest-timeout's kill a cut-short wait ends: enough to build and print a report.
_MARGIN_MAX = 0.5
_MARGIN_FRACTION = 0.1


def set_session_defaults(options: dict[str, Any]) -> None:
    _session.clear()
    _session.update(options)


def set_test_defaults(options: dict[str, Any]) -> None:
    _test.clear()
    _test.update(options)


def set_hard_deadline(deadline: float | None, limit: float | None = None) -> None:
    """Waits started from now on end before ``deadline`` (a ``time.monotonic()`` reading)."""
    global _hard_deadline
    _hard_deadline = None if deadline is None else (deadline, limit if limit is not None else 0.0)


def margin(limit: float) -> float:
    return min(_MARGIN_MAX, limit * _MARGIN_FRACTION)


def resolve(operation: str, explicit: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The options of one call: explicit ones over the test's over the session's. Returns them and
    a note to add to a timeout when the wait was cut short for pytest-timeout."""
    merged: dict[str, Any] = {}
    if _session or _test:
        merged.update(_session)
        merged.update(_test)
    for key, value in explicit.items():
        if value is not None:
            merged[key] = value
    if _hard_deadline is None or operation in ("always", "never"):
        # always/never are not cut short: ending early would pass a safety check that was not done.
        return merged, None
    return _cut_short(merged, *_hard_deadline)


def _cut_short(merged: dict[str, Any], deadline: float, limit: float) -> tuple[dict[str, Any], str | None]:
    timeout = merged.get("timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout < math.inf:
        # A bad or missing value: missing means the default; bad values are the core's to report.
        if timeout is not None:
            return merged, None
        timeout = _native.DEFAULT_TIMEOUT
    try:
        scale = _native.timeout_scale()
    except ValueError:
        return merged, None  # the wait itself reports the bad variable
    remaining = max(0.0, deadline - time.monotonic())
    if timeout * scale <= remaining:
        return merged, None
    merged = dict(merged)
    merged["timeout"] = remaining / scale
    note = f"  note: timeout cut to {remaining:.2f} s to end before pytest-timeout's {limit:g} s limit for this test"
    return merged, note
