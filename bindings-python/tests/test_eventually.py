"""eventually: acceptance, retries, the schedule's guarantees and the failure (SPEC §1–§3)."""

from __future__ import annotations

import threading

import pytest

import liveness
from liveness import TimeoutError, eventually

from .sut import slow_probe


def counter_probe(succeed_at: int, value: object = "ready"):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def probe() -> object:
        calls.append(1)
        return value if len(calls) >= succeed_at else None

    return probe, calls


def test_returns_the_first_truthy_value() -> None:
    probe, calls = counter_probe(3, {"id": 7})
    assert eventually(probe) == {"id": 7}
    assert len(calls) == 3


@pytest.mark.parametrize("falsy", [None, False, 0, "", [], {}, set(), 0.0])
def test_falsy_values_are_not_accepted(falsy: object) -> None:
    with pytest.raises(TimeoutError) as info:
        eventually(lambda: falsy, attempts=2)
    assert info.value.evaluations == 2
    assert repr(falsy) in str(info.value)


def test_exceptions_are_retried_until_it_works() -> None:
    state = {"n": 0}

    def connect() -> str:
        state["n"] += 1
        if state["n"] < 4:
            raise ConnectionRefusedError("refused")
        return "connected"

    assert eventually(connect) == "connected"
    assert state["n"] == 4


def test_waits_for_another_thread() -> None:
    box: list[str] = []
    threading.Thread(target=lambda: box.append("done")).start()
    assert eventually(lambda: box and box[0]) == "done"


def test_timeout_is_an_assertion_error_with_the_last_exception_as_cause() -> None:
    def probe() -> None:
        raise KeyError("missing")

    with pytest.raises(AssertionError) as info:
        eventually(probe, timeout=0.05, message="the key")
    err = info.value
    assert isinstance(err, TimeoutError)
    assert isinstance(err, liveness.LivenessError)
    assert isinstance(err.__cause__, KeyError)
    text = str(err)
    assert text.startswith('eventually "the key": not met after')
    assert "last: KeyError: 'missing'" in text
    assert "history:" in text
    assert "KeyError" in text
    assert err.evaluations >= 2
    assert err.last_failure == "KeyError: 'missing'"
    assert err.history[0][0].startswith("KeyError")
    assert err.report is not None
    assert err.report.reason == "not_met"


def test_a_rejected_value_leaves_the_cause_empty() -> None:
    state = {"n": 0}

    def probe() -> object:
        state["n"] += 1
        if state["n"] == 1:
            raise ValueError("first")
        return []

    with pytest.raises(TimeoutError) as info:
        eventually(probe, attempts=3)
    assert info.value.__cause__ is None
    assert "last: returned []" in str(info.value)
    # The history shows it went from raising to returning an empty list.
    labels = [run[0] for run in info.value.history]
    assert labels[0].startswith("ValueError")
    assert labels[-1] == "returned []"


def test_none_every_time_hints_at_eventually_passes() -> None:
    def block() -> None:
        assert 1 + 1 == 2

    with pytest.raises(TimeoutError) as info:
        eventually(block, attempts=2)
    assert "eventually_passes" in str(info.value)


def test_attempts_stop_the_wait() -> None:
    probe, calls = counter_probe(10**6)
    with pytest.raises(TimeoutError) as info:
        eventually(probe, attempts=5, interval=0.001)
    assert len(calls) == 5
    assert "attempt limit of 5" in str(info.value)
    assert info.value.report is not None
    assert info.value.report.reason == "attempts_exhausted"


def test_timeout_zero_still_evaluates_once() -> None:
    probe, calls = counter_probe(1)
    assert eventually(probe, timeout=0) == "ready"
    probe, calls = counter_probe(2)
    with pytest.raises(TimeoutError):
        eventually(probe, timeout=0)
    assert len(calls) == 1


def test_a_last_evaluation_happens_at_the_deadline() -> None:
    # With a period as long as the timeout (a longer one is a contradiction), the schedule has
    # exactly two starts: at once, and at the deadline itself.
    probe, calls = counter_probe(2)
    assert eventually(probe, timeout=0.05, interval=0.05) == "ready"
    assert len(calls) == 2


def test_delay_comes_before_the_first_evaluation_and_counts_toward_the_timeout() -> None:
    probe, calls = counter_probe(10**6)
    with pytest.raises(TimeoutError) as info:
        eventually(probe, delay=0.05, timeout=0.05, interval=0.05, late_check=0)
    # The first evaluation happens after the delay, which used up the whole timeout.
    assert len(calls) == 1
    assert info.value.elapsed >= 0.05


def test_stable_for_needs_the_value_to_hold() -> None:
    values = iter([1, 0, 2, 3, 4, 5, 6, 7, 8, 9] + [10] * 10**5)
    result = eventually(lambda: next(values), stable_for=0.02, interval=0.001)
    assert result >= 2  # the stretch started after the rejected 0, and returns the last value


def test_stable_for_that_never_holds_long_enough_fails() -> None:
    flip = {"n": 0}

    def probe() -> int:
        flip["n"] += 1
        return flip["n"] % 2

    with pytest.raises(TimeoutError) as info:
        eventually(probe, stable_for=0.05, timeout=0.05, interval=0.001)
    assert "not stable" in str(info.value)


class Refused(Exception):
    pass


class Fatal(Exception):
    pass


def test_fail_on_propagates_at_once_as_itself() -> None:
    calls: list[int] = []

    def probe() -> None:
        calls.append(1)
        raise Fatal("broken for good")

    with pytest.raises(Fatal):
        eventually(probe, fail_on=Fatal)
    assert calls == [1]


def test_fail_on_matches_subclasses_and_tuples() -> None:
    with pytest.raises(FileNotFoundError):
        eventually(lambda: open("/nonexistent/file"), fail_on=(KeyError, OSError))  # noqa: SIM115 - never opens


def test_retry_on_retries_only_those() -> None:
    state = {"n": 0}

    def probe() -> str:
        state["n"] += 1
        if state["n"] == 1:
            raise Refused()
        if state["n"] == 2:
            raise Fatal("not retried")
        return "never reached"

    with pytest.raises(Fatal):
        eventually(probe, retry_on=Refused)
    assert state["n"] == 2


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_base_exceptions_are_never_retried(stop: type) -> None:
    calls: list[int] = []

    def probe() -> None:
        calls.append(1)
        raise stop()

    with pytest.raises(stop):
        eventually(probe)
    assert calls == [1]


def test_a_truthiness_check_that_raises_counts_as_a_failure() -> None:
    class Weird:
        def __bool__(self) -> bool:
            raise RuntimeError("no truth")

    with pytest.raises(TimeoutError) as info:
        eventually(lambda: Weird(), attempts=2)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_a_probe_slower_than_the_deadline_is_reported_as_overrunning() -> None:
    with pytest.raises(TimeoutError) as info:
        eventually(slow_probe(0.1), timeout=0.02)
    assert "past the deadline" in str(info.value)
    assert info.value.report is not None
    assert info.value.report.reason == "overran"
