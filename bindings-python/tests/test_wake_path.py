"""wake_on_path: a change of a watched file re-evaluates the probe at once (SPEC §5), in the sync,
asyncio, trio and ``attempts`` APIs. Each wait's interval is 10 s: a second evaluation well
before that is the file system's doing (not a speed target: the bound is 5 s against
milliseconds)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import trio

import liveness
from liveness import aio


def write_after_first_evaluation(evaluations: list[object], target: Path) -> threading.Thread:
    """The system under test: once the waiter evaluated once (and is pausing), the result is
    written beside the target and renamed into place (one change of the target)."""

    def system() -> None:
        liveness.eventually(lambda: len(evaluations) >= 1, timeout=10)
        partial = target.with_suffix(".partial")
        partial.write_text("3")
        os.replace(partial, target)

    thread = threading.Thread(target=system)
    thread.start()
    return thread


def reads_three(target: Path) -> bool:
    return target.exists() and target.read_text() == "3"


def test_a_file_renamed_into_place_wakes_the_wait(tmp_path: Path) -> None:
    target = tmp_path / "sum"
    evaluations: list[object] = []
    system = write_after_first_evaluation(evaluations, target)
    started = time.monotonic()
    assert liveness.eventually(
        lambda: reads_three(target), interval=10, timeout=20, wake_on_path=target, on_evaluation=evaluations.append
    )
    system.join()
    assert time.monotonic() - started < 5
    assert len(evaluations) == 2  # the first one and the woken one


def test_a_delayed_write_in_place_is_seen_at_once(tmp_path: Path) -> None:
    # Seed 004: the sum lands in the file a while after the call, written in place.
    target = tmp_path / "sum"
    evaluations: list[object] = []

    def system() -> None:
        liveness.eventually(lambda: len(evaluations) >= 1, timeout=10)
        target.write_text("3")

    thread = threading.Thread(target=system)
    thread.start()
    started = time.monotonic()
    liveness.eventually(
        lambda: reads_three(target),
        interval=10,
        timeout=20,
        wake_on_path=[str(target)],
        on_evaluation=evaluations.append,
    )
    thread.join()
    assert time.monotonic() - started < 5
    assert len(evaluations) <= 4  # one per change of the file at most


def test_attempts_are_woken_by_a_path(tmp_path: Path) -> None:
    target = tmp_path / "sum"
    evaluations: list[object] = []
    system = write_after_first_evaluation(evaluations, target)
    started = time.monotonic()
    for attempt in liveness.attempts(interval=10, timeout=20, wake_on_path=target):
        with attempt:
            # Counted once the file was read: the system writes only after the first read, so
            # the first attempt cannot already see the result (a race when counted before it).
            try:
                assert reads_three(target)
            finally:
                evaluations.append(attempt.number)
    system.join()
    assert time.monotonic() - started < 5
    assert evaluations == [1, 2]


@pytest.mark.parametrize("run", [lambda main: asyncio.run(main()), trio.run], ids=["asyncio", "trio"])
def test_the_event_loops_are_woken_by_a_path(tmp_path: Path, run: Any) -> None:
    target = tmp_path / "sum"
    evaluations: list[object] = []

    async def main() -> None:
        system = write_after_first_evaluation(evaluations, target)
        await aio.eventually(
            lambda: reads_three(target), interval=10, timeout=20, wake_on_path=target, on_evaluation=evaluations.append
        )
        system.join()

    started = time.monotonic()
    run(main)
    assert time.monotonic() - started < 5
    assert len(evaluations) == 2


def test_a_missing_directory_is_an_invalid_option(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "sum"
    with pytest.raises(ValueError, match=r"wake_on_path.*no-such-dir"):
        liveness.eventually(lambda: True, wake_on_path=missing)


def test_a_path_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="wake_on_path"):
        liveness.eventually(lambda: True, wake_on_path=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="wake_on_path"):
        liveness.eventually(lambda: True, wake_on_path=["/tmp", 3])  # type: ignore[list-item]
