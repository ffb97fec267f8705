"""What conversions from sleeps rely on (issue 12, point 11; SPEC §1): probes never overlap, run
on the caller's thread (sync) or task (liveness.aio), and are never called again once the wait
settled, even when a wake hint or a pending evaluation would offer a chance."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
import trio
import trio.testing

import liveness
from liveness import aio
from liveness.testing import VirtualClock, VirtualTimeLoop

from .support.virtual_loop import pending_for


class Probe:
    """Counts calls, and how many run at once."""

    def __init__(self, ready_at: int) -> None:
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self.ready_at = ready_at
        self.threads: set[int] = set()
        self.tasks: set[Any] = set()

    def enter(self) -> None:
        self.calls += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.threads.add(threading.get_ident())

    def leave(self) -> bool:
        self.running -= 1
        return self.calls >= self.ready_at


def test_sync_probes_run_on_the_callers_thread_one_at_a_time() -> None:
    probe = Probe(ready_at=5)
    hints = threading.Event()

    def call() -> bool:
        probe.enter()
        # A hint from another thread while this evaluation runs must not start another one.
        emitter = threading.Thread(target=liveness.emit, args=("guarantees.sync",))
        emitter.start()
        emitter.join()
        hints.set()
        return probe.leave()

    with VirtualClock():
        assert liveness.eventually(call, interval=0.01, wake_on="guarantees.*")
    assert hints.is_set()
    assert probe.threads == {threading.get_ident()}
    assert probe.most_at_once == 1
    assert probe.calls == 5


@pytest.mark.parametrize("kind", ["sync-probe", "async-probe"])
def test_asyncio_probes_run_in_the_callers_task_one_at_a_time(kind: str) -> None:
    probe = Probe(ready_at=4)

    def sync_call() -> bool:
        probe.enter()
        probe.tasks.add(asyncio.current_task())
        liveness.emit("guarantees.asyncio")  # a hint during the evaluation
        return probe.leave()

    async def async_call() -> bool:
        probe.enter()
        probe.tasks.add(asyncio.current_task())
        liveness.emit("guarantees.asyncio")
        await pending_for(0.02)  # longer than the interval: the next one waits for this one
        return probe.leave()

    async def main() -> Any:
        caller = asyncio.current_task()
        result = await aio.eventually(
            sync_call if kind == "sync-probe" else async_call, interval=0.01, wake_on="guarantees.*"
        )
        return result, caller

    loop = VirtualTimeLoop()
    try:
        result, caller = loop.run_until_complete(main())
    finally:
        loop.close()
    assert result is True
    assert probe.tasks == {caller}
    assert probe.most_at_once == 1
    assert probe.calls == 4


@pytest.mark.parametrize("kind", ["sync-probe", "async-probe"])
def test_trio_probes_run_in_the_callers_task_one_at_a_time(kind: str) -> None:
    probe = Probe(ready_at=4)

    def sync_call() -> bool:
        probe.enter()
        probe.tasks.add(trio.lowlevel.current_task())
        liveness.emit("guarantees.trio")
        return probe.leave()

    async def async_call() -> bool:
        probe.enter()
        probe.tasks.add(trio.lowlevel.current_task())
        liveness.emit("guarantees.trio")
        # liveness: allow-sleep(the async probe's own cost: the behaviour under test)
        await trio.sleep(0.02)
        return probe.leave()

    async def main() -> Any:
        caller = trio.lowlevel.current_task()
        result = await aio.eventually(
            sync_call if kind == "sync-probe" else async_call, interval=0.01, wake_on="guarantees.*"
        )
        return result, caller

    result, caller = trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert result is True
    assert probe.tasks == {caller}
    assert probe.most_at_once == 1


def test_sync_probes_are_not_called_after_the_wait_settled() -> None:
    calls: list[int] = []
    with VirtualClock() as clock:
        assert liveness.eventually(lambda: calls.append(1) or len(calls) >= 2, wake_on="guarantees.after")
        liveness.emit("guarantees.after")  # a hint for the wait that is over
        clock.advance(60)
    assert len(calls) == 2


def test_asyncio_never_calls_the_probe_after_the_wait_settled() -> None:
    calls: list[int] = []

    async def slow() -> bool:
        calls.append(1)
        await pending_for(10)  # still running at the deadline: abandoned there
        return True

    async def main() -> None:
        with pytest.raises(liveness.TimeoutError, match="still running"):
            await aio.eventually(slow, timeout=1, wake_on="guarantees.after-aio")
        liveness.emit("guarantees.after-aio")
        await pending_for(60)  # a minute of the loop's time after the wait ended

    loop = VirtualTimeLoop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    assert len(calls) == 1


def test_trio_never_calls_the_probe_after_the_wait_settled() -> None:
    calls: list[int] = []

    async def slow() -> bool:
        calls.append(1)
        # liveness: allow-sleep(a probe still running at the deadline: the behaviour under test)
        await trio.sleep(10)
        return True

    async def main() -> None:
        with pytest.raises(liveness.TimeoutError, match="still running"):
            await aio.eventually(slow, timeout=1, wake_on="guarantees.after-trio")
        liveness.emit("guarantees.after-trio")
        # liveness: allow-sleep(virtual time on trio's MockClock in which a late probe call would show)
        await trio.sleep(60)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert len(calls) == 1
