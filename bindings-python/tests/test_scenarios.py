"""The seeds' scenarios, ported: the restart race, the delayed write, the circuit breaker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import liveness
from liveness import assert_emitted, eventually, eventually_passes, sync_operation

from .sut import AdditionJob, AlreadyStarted, CircuitBreaker, ExternalAdder, trip_circuit_breaker


@pytest.fixture
def adder_registry() -> Iterator[None]:
    ExternalAdder.reset()
    yield
    ExternalAdder.reset()


@pytest.mark.parametrize("n", range(20))
def test_restart_race_addition_identity(adder_registry: None, n: int) -> None:
    # The previous "test" stopped its adder; its shutdown is still running on another thread.
    previous = ExternalAdder.start_link()
    previous.stop()
    with pytest.raises(AlreadyStarted):
        ExternalAdder.start_link()  # the race the seed describes, without liveness
    adder = eventually(ExternalAdder.start_link)
    assert adder.add(n, 0) == n


def test_restart_race_report_when_the_name_is_never_freed(adder_registry: None) -> None:
    ExternalAdder.start_link()  # never stopped
    with pytest.raises(liveness.TimeoutError) as info:
        eventually(ExternalAdder.start_link, timeout=0.05)
    assert isinstance(info.value.__cause__, AlreadyStarted)
    assert "AlreadyStarted" in str(info.value)


def test_delayed_write_is_eventually_there(tmp_path: Path) -> None:
    job = AdditionJob(tmp_path, flush_ms=50)
    out = job.schedule_addition(1, 2)

    def holds_three() -> None:
        assert out.read_text() == "3"

    eventually_passes(holds_three)


def test_delayed_write_failure_shows_the_assertion(tmp_path: Path) -> None:
    job = AdditionJob(tmp_path, flush_ms=60_000)  # a flush that will not come in time
    out = job.schedule_addition(1, 2)

    def holds_three() -> None:
        assert out.read_text() == "3"

    with pytest.raises(liveness.TimeoutError) as info:
        eventually_passes(holds_three, timeout=0.05, message="file holds 3")
    text = str(info.value)
    assert text.startswith('eventually_passes "file holds 3": not met after')
    assert "AssertionError" in text
    assert isinstance(info.value.__cause__, AssertionError)


def test_circuit_opens_after_three_failures() -> None:
    breaker = CircuitBreaker("payments", threshold=3)
    # Seed 000's "after": assert the event while synchronously tripping the breaker...
    with assert_emitted("breaker.state_change", where={"breaker": "payments", "to": "open"}):
        trip_circuit_breaker(breaker, 3)
    # ...and the state is now guaranteed.
    assert breaker.status() == "open"


def test_circuit_events_in_order_and_counted() -> None:
    breaker = CircuitBreaker("search", threshold=2)
    with (
        liveness.assert_emitted_in_order(["breaker.failure", "breaker.failure", "breaker.state_change"]),
        assert_emitted("breaker.failure", count=2),
    ):
        trip_circuit_breaker(breaker, 2)
    with assert_emitted("breaker.rejected"), pytest.raises(RuntimeError):
        breaker.call(lambda: "ok")


def test_circuit_stays_closed_below_the_threshold() -> None:
    breaker = CircuitBreaker("email", threshold=3)
    with liveness.assert_not_emitted("breaker.state_change"):
        trip_circuit_breaker(breaker, 2)
    assert breaker.status() == "closed"


def test_fire_and_forget_failures_with_sync_operation() -> None:
    breaker = CircuitBreaker("async", threshold=3)
    with assert_emitted("breaker.state_change", where=lambda e: e.metadata["to"] == "open"):
        state = sync_operation(
            lambda: [breaker.cast_fail() for _ in range(3)],
            lambda: breaker.status() == "open" and breaker.status(),
        )
    assert state == "open"
