"""eventually_passes, eventually_changes, always, never, sync_operation (SPEC §1, §4)."""

from __future__ import annotations

import threading

import pytest

from liveness import (
    TimeoutError,
    ViolationError,
    always,
    eventually_changes,
    eventually_passes,
    never,
    sync_operation,
)


def test_eventually_passes_returns_the_blocks_value_even_none() -> None:
    state = {"n": 0}

    def block() -> None:
        state["n"] += 1
        assert state["n"] >= 3

    assert eventually_passes(block) is None
    assert state["n"] == 3
    assert eventually_passes(lambda: 0) == 0


def test_eventually_passes_treats_false_as_a_failure() -> None:
    # A predicate handed to eventually_passes by mistake still waits (SPEC §1).
    with pytest.raises(TimeoutError) as info:
        eventually_passes(lambda: False, attempts=3)
    assert "returned False" in str(info.value)


def test_eventually_passes_timeout_has_the_assertion_as_cause() -> None:
    def block() -> None:
        assert "" == "3"

    with pytest.raises(TimeoutError) as info:
        eventually_passes(block, timeout=0.02, message="file holds 3")
    assert isinstance(info.value.__cause__, AssertionError)
    assert str(info.value).startswith('eventually_passes "file holds 3": not met after')


def test_eventually_changes_returns_the_new_value() -> None:
    current = {"pid": 100}
    asked = threading.Event()

    def restart() -> None:
        asked.wait()  # restarts once the test has looked at the old pid
        current.update(pid=101)

    def pid() -> int:
        asked.set()
        return current["pid"]

    threading.Thread(target=restart).start()
    assert eventually_changes(pid) == 101


def test_eventually_changes_baseline_errors_propagate() -> None:
    def probe() -> int:
        raise LookupError("no process")

    with pytest.raises(LookupError):
        eventually_changes(probe)


def test_eventually_changes_times_out_when_nothing_changes() -> None:
    with pytest.raises(TimeoutError) as info:
        eventually_changes(lambda: 5, attempts=3)
    assert "eventually_changes" in str(info.value)
    assert info.value.evaluations == 3


def test_eventually_changes_uses_python_equality() -> None:
    values = iter([1, 1.0, True, 2])
    # 1 == 1.0 == True in Python: only 2 is a change.
    assert eventually_changes(lambda: next(values)) == 2


def test_always_passes_when_the_property_holds() -> None:
    calls: list[int] = []

    def probe() -> bool:
        calls.append(1)
        return True

    assert always(probe, during=0.03) is None
    assert len(calls) >= 2  # at once and at the end at least


def test_always_fails_at_the_first_violation_with_its_cause() -> None:
    state = {"n": 0}

    def probe() -> bool:
        state["n"] += 1
        if state["n"] == 3:
            raise ConnectionError("dropped")
        return True

    with pytest.raises(ViolationError) as info:
        always(probe, during=5, interval=0.001)
    assert isinstance(info.value, AssertionError)
    assert state["n"] == 3  # failed at once, not after 5 s
    assert isinstance(info.value.__cause__, ConnectionError)
    assert "violated at evaluation #3" in str(info.value)


def test_always_rejects_a_falsy_value() -> None:
    values = iter([True, True, 0])
    with pytest.raises(ViolationError) as info:
        always(lambda: next(values), during=5, interval=0.001)
    assert info.value.__cause__ is None
    assert "returned 0" in str(info.value)


def test_never_passes_when_the_bad_thing_does_not_happen() -> None:
    never(lambda: None, during=0.02)


def test_never_fails_on_the_first_accepted_value_showing_it() -> None:
    values = iter([None, None, "leaked connection"])
    with pytest.raises(ViolationError) as info:
        never(lambda: next(values), during=5, interval=0.001)
    text = str(info.value)
    assert text.startswith("never: held at evaluation #3")
    assert "'leaked connection'" in text
    assert info.value.report is not None
    assert info.value.report.is_violation


def test_never_counts_exceptions_as_not_accepted() -> None:
    def probe() -> None:
        raise RuntimeError("not there")

    never(probe, during=0.01)


def test_sync_operation_fires_once_then_polls() -> None:
    fired: list[int] = []
    done = threading.Event()

    def action() -> None:
        fired.append(1)
        threading.Thread(target=done.set).start()

    assert sync_operation(action, lambda: done.is_set()) is True
    assert fired == [1]


def test_sync_operation_action_errors_propagate_without_polling() -> None:
    polled: list[int] = []

    def action() -> None:
        raise PermissionError("denied")

    with pytest.raises(PermissionError):
        sync_operation(action, lambda: polled.append(1))
    assert polled == []


def test_sync_operation_timeout_names_the_operation() -> None:
    with pytest.raises(TimeoutError) as info:
        sync_operation(lambda: None, lambda: False, attempts=2)
    assert str(info.value).startswith("sync_operation: not met")
