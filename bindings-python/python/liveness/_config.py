"""Defaults that the pytest plugin sets for a session (ini options) or one test (the marker), and
the pytest-timeout deadline a wait must end before. Explicit keyword arguments always win."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
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
    """Waits started from now on end before ``deadline`` (a ``_native.monotonic()`` reading: a
    clock that freezegun and time-machine do not stop, unlike ``time.monotonic()``)."""
    global _hard_deadline
    _hard_deadline = None if deadline is None else (deadline, limit if limit is not None else 0.0)


def margin(limit: float) -> float:
    return min(_MARGIN_MAX, limit * _MARGIN_FRACTION)


def resolve(
    operation: str, explicit: dict[str, Any], *, virtual: bool = False
) -> tuple[dict[str, Any], dict[str, Any] | None, str | None]:
    """The options of one call: explicit ones over the test's over the session's. Returns them,
    the same options cut short for pytest-timeout (or None when the wait ends in time), and the
    note to add to its failure then. A wait on a virtual clock (``virtual``) is not cut: its
    timeout is not real time, and pytest-timeout still ends a test that hangs."""
    merged: dict[str, Any] = {}
    if _session or _test:
        merged.update(_session)
        merged.update(_test)
    for key, value in explicit.items():
        if value is not None:
            merged[key] = value
    if _hard_deadline is None or virtual or operation in ("always", "never"):
        # always/never are not cut short: ending early would pass a safety check that was not done.
        return merged, None, None
    cut, note = _cut_short(merged, *_hard_deadline)
    return merged, cut, note


def _seconds(value: Any) -> float | None:
    """A number of seconds as given, or None for anything else (the core reports bad values)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        return None
    return float(value)


def _cut_short(merged: dict[str, Any], deadline: float, limit: float) -> tuple[dict[str, Any] | None, str | None]:
    timeout = merged.get("timeout", _native.DEFAULT_TIMEOUT)
    # math.inf is cut short like any timeout that outlives the test (SPEC §2: an unbounded wait
    # lasts until the test runner's own timeout, which is this one).
    if _seconds(timeout) is None:
        return None, None  # a bad value is the core's to report
    try:
        scale = _native.timeout_scale()
    except ValueError:
        return None, None  # the wait itself reports the bad variable
    remaining = max(0.0, deadline - _native.monotonic())
    # After a timeout the late check looks on for up to late_check (at most the timeout): it
    # must end before the limit too.
    late = _seconds(merged.get("late_check", _native.DEFAULT_LATE_CHECK))
    late = 0.0 if late is None else min(late, timeout)
    if (timeout + late) * scale <= remaining:
        return None, None
    if timeout * scale <= remaining:
        # The wait fits, its late check does not: shorten the check, not the wait.
        return dict(merged, late_check=remaining / scale - timeout), None
    # The options are compared with the timeout unscaled (so is the cut), and the cut must not
    # make a valid call contradict itself.
    budget = remaining / scale
    if any((_seconds(merged.get(k)) or 0.0) > budget for k in ("stable_for", "quiet", "at_least")):
        # No success can come before pytest-timeout's limit, and shortening the stretch would let
        # a wait pass that should not: pytest-timeout ends this test (the core cannot yet end a
        # wait at a deadline other than its timeout's).
        return None, None
    cut = dict(merged)
    cut["timeout"] = budget
    cut["late_check"] = 0.0  # no time is left to look on after the cut deadline
    for key in ("interval", "delay"):
        value = _seconds(merged.get(key))
        if value is not None and value > budget:
            # A period longer than what is left leads to the deadline's evaluation either way; a
            # delay that long would end past the limit: the one evaluation comes at the cut.
            cut[key] = budget
    intervals = merged.get("intervals")
    if isinstance(intervals, (list, tuple)) and all(_seconds(v) is not None for v in intervals):
        # As for `interval`; with nothing left there is one evaluation and no schedule at all.
        cut["intervals"] = [min(float(v), budget) for v in intervals] if budget > 0 else None
    note = f"  note: timeout cut to {remaining:.2f} s to end before pytest-timeout's {limit:g} s limit for this test"
    return cut, note


# --liveness-forbid-sleep's per-call opt-out (liveness.allow_sleep), per thread and per task.
sleep_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("liveness_sleep_allowed", default=False)

# The liveness.aio waits made while a test runs (the pytest plugin sets a list, then checks that
# each was awaited): (coroutine, "file:line" where it was made, operation).
unawaited: list[tuple[Any, str, str]] | None = None


@contextlib.contextmanager
def allow_sleep() -> Iterator[None]:
    """Under ``--liveness-forbid-sleep``: the sleeps in this block (``time.sleep``,
    ``asyncio.sleep``) are the scenario, not a wait (a simulated slow call, a fixed pacing), so
    they are not reported. Works in threads and tasks (a context variable)."""
    token = sleep_allowed.set(True)
    try:
        yield
    finally:
        sleep_allowed.reset(token)
