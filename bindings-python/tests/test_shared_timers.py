"""Many asyncio waits at once share their timers (issue 19): waits due at the same moment are woken
by one timer of the loop, not one each, and each keeps its own schedule, cancellation and wake
hints. On virtual time, so the moments are exact."""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

import pytest
import trio
import trio.testing

import liveness
from liveness import aio
from liveness.testing import VirtualTimeLoop


class KeepsTimers(asyncio.BaseEventLoop):
    """Keeps every timer asked of the loop it is mixed into."""

    timers: list[asyncio.TimerHandle]

    def call_at(self, when: float, callback: Any, *args: Any, context: Any = None) -> asyncio.TimerHandle:
        handle = super().call_at(when, callback, *args, context=context)
        self.timers.append(handle)
        return handle


class CountingLoop(KeepsTimers, VirtualTimeLoop):
    """A virtual-time loop that keeps every timer asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.timers = []


def run(main: Any) -> tuple[Any, CountingLoop]:
    loop = CountingLoop()
    try:
        return loop.run_until_complete(main(loop)), loop
    finally:
        loop.close()


def test_waits_due_at_the_same_moment_share_one_timer() -> None:
    async def main(loop: CountingLoop) -> list[float]:
        async def one() -> float:
            await aio.eventually(lambda: loop.time() >= 0.095, interval=0.01, timeout=5)
            return loop.time()

        return await asyncio.gather(*(one() for _ in range(20)))

    ended, loop = run(main)
    # Every wait still sees the change on its own schedule, at the exact moment...
    assert ended == [pytest.approx(0.1)] * 20
    # ...and the 20 waits paused 10 times each on 10 timers of the loop, not on 200.
    assert len(loop.timers) <= 11


def test_100_concurrent_waits_on_the_default_schedule_arm_one_timer_per_due_moment() -> None:
    evaluations = 0

    async def main(loop: CountingLoop) -> list[bool]:
        def ready() -> bool:
            nonlocal evaluations
            evaluations += 1
            return loop.time() >= 1.0

        return await asyncio.gather(*(aio.eventually(ready, timeout=5) for _ in range(100)))

    ended, loop = run(main)
    assert ended == [True] * 100
    # A timer per wait and pause would be about one per evaluation (each wait pauses before
    # every evaluation but its first): 100 waits on one schedule share each due moment's timer.
    # (Not exactly one per moment: while the polling budget fills, in the first milliseconds,
    # the waits' periods differ and so do their due moments.)
    per_wait = evaluations / 100
    assert per_wait >= 5
    assert len(loop.timers) <= evaluations / 10


class CountingRealLoop(KeepsTimers, asyncio.SelectorEventLoop):
    """The real-clock loop, keeping every timer asked of it."""

    def __init__(self) -> None:
        super().__init__()
        self.timers = []


def test_100_concurrent_waits_on_the_real_clock_share_timers() -> None:
    evaluations = 0

    async def main(loop: CountingRealLoop) -> list[bool]:
        ready_at = loop.time() + 0.3

        def ready() -> bool:
            nonlocal evaluations
            evaluations += 1
            return loop.time() >= ready_at

        return await asyncio.gather(*(aio.eventually(ready, timeout=30) for _ in range(100)))

    loop = CountingRealLoop()
    try:
        assert loop.run_until_complete(main(loop)) == [True] * 100
    finally:
        loop.close()
    # Due times are rounded up to a 0.25 ms grid: waits that pause within it share a timer. One
    # timer per wait and pause would be as many timers as evaluations, less the first ones.
    assert len(loop.timers) <= evaluations / 5


def test_a_cancelled_wait_leaves_the_others_sharing_its_timer_on_schedule() -> None:
    async def main(loop: CountingLoop) -> tuple[list[Any], float]:
        async def one() -> float:
            await aio.eventually(lambda: loop.time() >= 0.095, interval=0.01, timeout=5)
            return loop.time()

        tasks = [asyncio.ensure_future(one()) for _ in range(3)]
        loop.call_at(0.035, tasks[0].cancel)
        return await asyncio.gather(*tasks, return_exceptions=True), loop.time()

    (results, _), _loop = run(main)
    assert isinstance(results[0], asyncio.CancelledError)
    assert results[1:] == [pytest.approx(0.1)] * 2


def test_a_wait_woken_early_leaves_no_timer_behind() -> None:
    async def main(loop: CountingLoop) -> bool:
        loop.call_at(0.5, liveness.emit, "svc.ready")
        # interval 30 s: only the wake hint ends this wait before its timer.
        return await aio.eventually(lambda: loop.time() >= 0.5, interval=30, timeout=60, wake_on="svc.*")

    ended, loop = run(main)
    assert ended is True
    assert loop.time() == pytest.approx(0.5)
    # The pause's timer was cancelled when the hint ended it: nothing is left to fire at 30 s.
    assert [t.when() for t in loop.timers if not t.cancelled() and t.when() > loop.time()] == []


def test_trio_waits_due_at_the_same_moment_share_one_timer_task() -> None:
    steps: list[str] = []

    class Steps(trio.abc.Instrument):
        def before_task_step(self, task: Any) -> None:
            steps.append(task.name)

    async def main() -> list[float]:
        ended: list[float] = []

        async def one() -> None:
            await aio.eventually(lambda: trio.current_time() >= 0.095, interval=0.01, timeout=5)
            ended.append(trio.current_time())

        start = trio.current_time()
        async with trio.open_nursery() as nursery:
            for _ in range(100):
                nursery.start_soon(one)
        return [t - start for t in ended]

    ended = trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0), instruments=[Steps()])
    assert ended == [pytest.approx(0.1)] * 100
    # One timer task woke the 100 waits at each of the 10 moments (its first step starts it).
    assert 10 <= steps.count("liveness shared timers") <= 12


def test_trio_a_cancelled_or_hinted_wait_leaves_the_others_on_schedule() -> None:

    async def main() -> tuple[float, float, bool]:
        ended: list[float] = []

        async def one() -> None:
            await aio.eventually(lambda: trio.current_time() >= 0.095, interval=0.01, timeout=5)
            ended.append(trio.current_time())

        async def hinted() -> None:
            await aio.eventually(lambda: trio.current_time() >= 0.05, interval=30, timeout=60, wake_on="svc.*")
            ended.append(trio.current_time())

        async def emit_later() -> None:
            await trio.sleep(0.05)  # liveness: allow-sleep(the service's delay, on MockClock)
            liveness.emit("svc.ready")

        start = trio.current_time()
        async with trio.open_nursery() as nursery:
            with trio.CancelScope() as cancelled:
                cancelled.deadline = start + 0.035
                nursery.start_soon(one)  # runs in the nursery, outside the scope: ends at 0.1
                await aio.eventually(lambda: trio.current_time() >= 1, interval=0.01, timeout=5)
            nursery.start_soon(hinted)
            nursery.start_soon(emit_later)
        return ended[0] - start, ended[1] - start, cancelled.cancelled_caught

    hinted_end, shared_end, caught = trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert caught
    assert hinted_end == pytest.approx(0.085)  # started at 0.035, hinted 0.05 later
    assert shared_end == pytest.approx(0.1)


def test_a_closed_loop_is_not_kept_alive_by_its_shared_timers() -> None:
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(aio.eventually(lambda: True, delay=0.001))  # the delay pauses
    finally:
        loop.close()
    gone = weakref.ref(loop)
    del loop
    gc.collect()
    assert gone() is None
