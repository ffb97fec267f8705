"""liveness.testing.VirtualClock: the synchronous waits take no real time on it."""

from __future__ import annotations

import threading
import time

import pytest

import liveness
from liveness.testing import VirtualClock


def test_a_long_wait_takes_no_real_time_and_exact_times_can_be_asserted() -> None:
    real_start = time.monotonic()
    starts: list[float] = []
    with VirtualClock() as clock:

        def probe() -> bool:
            starts.append(clock.now())
            clock.advance(0.003)  # each evaluation takes 3 ms
            return False

        with pytest.raises(liveness.TimeoutError, match=r"not met after 60\.00 s"):
            liveness.eventually(probe, timeout=60, interval=10, late_check=0)
        assert clock.now() == pytest.approx(60.003)
    assert starts == pytest.approx([0, 10, 20, 30, 40, 50, 60])
    assert time.monotonic() - real_start < 30  # far less, but a loaded machine must not fail it


def test_every_operation_runs_on_it() -> None:
    with VirtualClock() as clock:
        liveness.always(lambda: True, during=60)
        liveness.never(lambda: False, during=60)
        values = iter(range(10**9))
        assert liveness.eventually_passes(lambda: next(values) >= 1000) is True
        done: list[int] = []
        assert liveness.sync_operation(lambda: done.append(1), lambda: done, timeout=1) == [1]
        changing = iter([1, 1, 2])
        assert liveness.eventually_changes(lambda: next(changing)) == 2
        assert clock.now() >= 120


def test_it_is_installed_on_this_thread_only_and_restored_on_exit() -> None:
    clock = VirtualClock()
    other: list[float] = []
    with clock:

        def elsewhere() -> None:
            # Another thread keeps the real clock: this wait ends by its deadline, in real time.
            begin = time.monotonic()
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: False, timeout=0.05)
            other.append(time.monotonic() - begin)

        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
        assert clock.now() == 0  # that wait did not move it
    assert other
    assert other[0] >= 0.05
    with pytest.raises(liveness.TimeoutError):
        liveness.eventually(lambda: False, timeout=0.01)
    assert clock.now() == 0  # uninstalled: waits use the real clock again


def test_installations_nest() -> None:
    outer, inner = VirtualClock(), VirtualClock()
    with outer:
        with inner, pytest.raises(liveness.TimeoutError):
            liveness.eventually(lambda: False, timeout=5, late_check=0)
        with pytest.raises(liveness.TimeoutError):
            liveness.eventually(lambda: False, timeout=2, late_check=0)
    assert inner.now() == pytest.approx(5)
    assert outer.now() == pytest.approx(2)


def test_any_thread_may_advance_it() -> None:
    clock = VirtualClock()
    worker = threading.Thread(target=clock.advance, args=(1.5,))
    worker.start()
    worker.join()
    assert clock.now() == 1.5
    assert repr(clock) == "<liveness.testing.VirtualClock at 1.5 s>"


def test_advance_takes_a_number_of_seconds_not_negative() -> None:
    clock = VirtualClock()
    with pytest.raises(ValueError, match="must not be negative"):
        clock.advance(-1)
    with pytest.raises(TypeError, match="expected a number of seconds"):
        clock.advance("1")  # type: ignore[arg-type]
    clock.advance(0)
    assert clock.now() == 0
