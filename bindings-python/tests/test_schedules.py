"""The options and the operation of issue 12 as Python passes them: intervals, backoff,
at_least, timeout=math.inf and eventually_settles (the rules themselves are pinned by the
vectors; here: Python's types, values and errors)."""

from __future__ import annotations

import contextlib
import inspect
import math
from typing import Any

import pytest

import liveness
from liveness import _config, aio
from liveness.testing import VirtualClock

from .test_hooks import every_driver, run_asyncio, scripted


def starts(drive: Any, name: str, probe: Any, **options: Any) -> list[float]:
    seen: list[liveness.Evaluation] = []
    with contextlib.suppress(liveness.TimeoutError):
        drive(name, probe, on_evaluation=seen.append, late_check=0, **options)
    return [e.started for e in seen]


@every_driver
def test_intervals_take_any_sequence_and_repeat_the_last(drive: Any) -> None:
    for intervals in ([0.1, 0.25], (0.1, 0.25), range(1, 2)):
        got = starts(drive, "eventually", scripted(False), timeout=1.2, intervals=intervals)
        if isinstance(intervals, range):
            assert got == pytest.approx([0.0, 1.0, 1.2])
        else:
            assert got == pytest.approx([0.0, 0.1, 0.35, 0.6, 0.85, 1.1, 1.2])


@every_driver
def test_backoff_grows_from_the_interval_to_max_interval(drive: Any) -> None:
    got = starts(drive, "eventually", scripted(False), timeout=0.2, interval=0.01, backoff=2, max_interval=0.05)
    assert got == pytest.approx([0.0, 0.01, 0.03, 0.07, 0.12, 0.17, 0.2])


@every_driver
def test_an_infinite_timeout_waits_as_long_as_it_takes(drive: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # An hour of virtual time: the default timeout (5 s) would have ended it long before. The
    # plugin's cut for the suite's pytest-timeout limit counts real time and is off here (it is
    # tested with a real wait in test_plugin.py).
    monkeypatch.setattr(_config, "_hard_deadline", None)
    probe = scripted(*([False] * 3600), "up")
    assert drive("eventually", probe, timeout=math.inf, interval=1.0) == "up"


@every_driver
def test_at_least_fails_a_condition_that_holds_too_early(drive: Any) -> None:
    with pytest.raises(liveness.ViolationError, match="held too early") as info:
        drive("eventually", scripted(False, "debounced"), interval=0.01, at_least=0.05)
    assert info.value.report is not None
    assert info.value.report.is_violation
    assert "last: returned 'debounced'" in str(info.value)
    assert drive("eventually", scripted(*[False] * 5, "ok"), interval=0.01, at_least=0.05) == "ok"


@every_driver
def test_eventually_settles_returns_the_settled_value(drive: Any) -> None:
    probe = scripted([1], [1, 2], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3])
    assert drive("eventually_settles", probe, quiet=0.03, interval=0.01) == [1, 2, 3]


@every_driver
def test_eventually_settles_judges_with_python_equality(drive: Any) -> None:
    class Reading:
        def __init__(self, n: int) -> None:
            self.n = n

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Reading) and self.n // 10 == other.n // 10  # same decade

        __hash__ = None  # type: ignore[assignment]

    got = drive("eventually_settles", scripted(Reading(1), Reading(12), Reading(15)), quiet=0.01, interval=0.01)
    assert got.n == 15  # the last of the equal values


@every_driver
def test_eventually_settles_times_out_with_the_values_it_saw(drive: Any) -> None:
    with pytest.raises(liveness.TimeoutError, match=r"not settled for 0\.03 s") as info:
        drive("eventually_settles", scripted(1, 2, 3, 4, 5, 6), quiet=0.03, timeout=0.05, interval=0.01)
    assert info.value.report is not None
    assert info.value.report.reason == "not_settled"
    assert info.value.__cause__ is None  # values, not exceptions


def test_eventually_settles_needs_quiet_and_refuses_stable_for() -> None:
    with pytest.raises(TypeError, match="quiet"):
        liveness.eventually_settles(lambda: 1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="quiet"):
        run_asyncio(lambda: aio.eventually_settles(lambda: 1))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="stable_for"):  # its quiet is the stretch
        liveness.eventually_settles(lambda: 1, quiet=0.1, stable_for=0.1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="`quiet`"):
        liveness.eventually_settles(lambda: 1, quiet=2, timeout=1)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"backoff": "2"}, "`backoff`: expected a number"),
        ({"backoff": True}, "`backoff`: expected a number"),
        ({"backoff": [2]}, "`backoff`: expected a number"),
        ({"intervals": 0.1}, "`intervals`: expected a sequence"),
        ({"intervals": "0.1"}, "`intervals`: expected a sequence"),
        ({"intervals": {0.1, 0.2}}, "`intervals`: expected a sequence"),
        ({"intervals": (x for x in [0.1])}, "`intervals`: expected a sequence"),
        ({"intervals": [0.1, "0.2"]}, "`intervals`: expected a sequence"),
        ({"intervals": [0.1, None]}, "`intervals`: expected a sequence"),
        ({"at_least": "1"}, "`at_least`: expected a number"),
        ({"timeout": "inf"}, "`timeout`: expected a number"),
    ],
)
def test_wrong_types_are_type_errors_naming_the_option(options: dict[str, Any], needle: str) -> None:
    calls: list[int] = []
    with pytest.raises(TypeError, match=needle):
        liveness.eventually(lambda: calls.append(1), **options)
    assert calls == []


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"backoff": 0.5}, "`backoff`"),
        ({"backoff": math.nan}, "`backoff`"),
        ({"backoff": math.inf}, "`backoff`"),
        ({"intervals": []}, "`intervals`"),
        ({"intervals": [0.1, 0]}, "`intervals`"),
        ({"intervals": [0.1, math.inf]}, "`intervals`"),
        ({"intervals": [0.1], "interval": 0.1}, "`intervals`"),
        ({"at_least": -1}, "`at_least`"),
        ({"at_least": 6}, "`at_least`"),  # longer than the default timeout
    ],
)
def test_bad_values_are_value_errors_naming_the_option(options: dict[str, Any], needle: str) -> None:
    calls: list[int] = []
    with pytest.raises(ValueError, match=needle):
        liveness.eventually(lambda: calls.append(1), **options)
    assert calls == []


def test_at_least_is_not_an_option_of_always_and_never() -> None:
    with VirtualClock(), pytest.raises(TypeError, match="at_least"):
        liveness.always(lambda: True, 1, at_least=0.5)  # type: ignore[call-arg]


def test_the_new_options_reach_every_operation() -> None:
    for op in ("eventually", "eventually_passes", "eventually_changes", "eventually_settles", "sync_operation"):
        for api in (liveness, aio):
            params = inspect.signature(getattr(api, op)).parameters
            for option in ("intervals", "backoff", "at_least", "on_evaluation", "on_timeout"):
                assert option in params, (api.__name__, op, option)
    for op in ("always", "never"):
        for api in (liveness, aio):
            params = inspect.signature(getattr(api, op)).parameters
            for option in ("intervals", "backoff", "on_evaluation", "on_timeout"):
                assert option in params, (api.__name__, op, option)
