"""Bad input is a clear ValueError/TypeError before any evaluation; LIVENESS_TIMEOUT_SCALE."""

from __future__ import annotations

import math
from typing import Any

import pytest

import liveness
from liveness import _native, always, eventually, eventually_passes


def never_called() -> bool:
    raise AssertionError("the probe must not be evaluated when the options are invalid")


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"timeout": -1}, "`timeout`"),
        ({"timeout": math.nan}, "`timeout`"),
        ({"timeout": -math.inf}, "`timeout`"),
        ({"delay": math.inf}, "`delay`"),
        ({"interval": -0.5}, "`interval`"),
        ({"delay": -1}, "`delay`"),
        ({"stable_for": math.nan}, "`stable_for`"),
        ({"min_interval": 0.1, "max_interval": 0.01}, "max_interval"),
        ({"attempts": 0}, "`attempts`"),
        ({"attempts": -3}, "`attempts`"),
        ({"wake_on": "a..b"}, "wake_on"),
        ({"wake_on": ["ok.name", ""]}, "wake_on"),
    ],
)
def test_invalid_values_are_value_errors(options: Any, needle: str) -> None:
    with pytest.raises(ValueError) as info:  # noqa: PT011 - the message is checked below
        eventually(never_called, **options)
    assert needle in str(info.value)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"timeout": "5"}, "`timeout`"),
        ({"timeout": True}, "`timeout`"),
        ({"interval": [1]}, "`interval`"),
        ({"attempts": 2.5}, "`attempts`"),
        ({"attempts": True}, "`attempts`"),
        ({"message": 42}, "`message`"),
        ({"wake_on": 3}, "`wake_on`"),
        ({"retry_on": "ValueError"}, "`retry_on`"),
        ({"fail_on": (ValueError, 3)}, "`fail_on`"),
        ({"retry_on": int}, "`retry_on`"),
    ],
)
def test_wrong_types_are_type_errors(options: Any, needle: str) -> None:
    with pytest.raises(TypeError) as info:
        eventually(never_called, **options)
    assert needle in str(info.value)


@pytest.mark.parametrize("probe", [None, 42, "lambda: True"])
def test_a_probe_that_is_not_callable_is_a_type_error(probe: Any) -> None:
    with pytest.raises(TypeError, match="must be callable"):
        eventually(probe)
    with pytest.raises(TypeError, match="must be callable"):
        liveness.sync_operation(lambda: None, probe)


def test_a_coroutine_function_points_at_the_async_version() -> None:
    async def probe() -> bool:
        return True

    with pytest.raises(TypeError, match=r"liveness\.aio\.eventually"):
        eventually(probe)


def test_always_needs_a_valid_during() -> None:
    with pytest.raises(ValueError, match="`during`"):
        always(never_called, during=-1)
    with pytest.raises(TypeError, match="`during`"):
        always(never_called, during="1s")  # type: ignore[arg-type]


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        eventually(never_called, timout=1)  # type: ignore[call-arg]


def test_integers_are_seconds_too() -> None:
    assert eventually(lambda: 1, timeout=1, interval=0, delay=0) == 1


def test_scale_multiplies_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVENESS_TIMEOUT_SCALE", "4")
    assert _native.Wait("eventually", timeout=0.5).deadline == pytest.approx(2.0)
    assert _native.Wait("always", during=0.25).deadline == pytest.approx(1.0)
    monkeypatch.setenv("LIVENESS_TIMEOUT_SCALE", "1")
    assert _native.Wait("eventually", timeout=0.5).deadline == pytest.approx(0.5)


def test_scale_is_read_at_each_call_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVENESS_TIMEOUT_SCALE", "zero")
    with pytest.raises(ValueError, match="LIVENESS_TIMEOUT_SCALE"):
        eventually(never_called)
    monkeypatch.setenv("LIVENESS_TIMEOUT_SCALE", "-2")
    with pytest.raises(ValueError, match="LIVENESS_TIMEOUT_SCALE"):
        eventually_passes(never_called)


def test_the_scale_stretches_a_real_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # Scaled to 0: impossible (must be positive); scaled small: the wait ends sooner than asked.
    monkeypatch.setenv("LIVENESS_TIMEOUT_SCALE", "0.001")
    calls: list[int] = []
    with pytest.raises(liveness.TimeoutError):
        eventually(lambda: calls.append(1), timeout=10, interval=10, late_check=0)
    assert len(calls) == 2  # at once, and at the (scaled) deadline
