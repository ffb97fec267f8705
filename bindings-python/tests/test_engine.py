"""The binding on the core's engine, as a user sees it: hints from other threads, the event loop
kept turning, preparations on the wait's clock and bounded by the deadline, sync waits refused
inside a running event loop, liveness.aio under trio and anyio. No test sleeps: time passes on a
virtual clock or through a liveness wait."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import anyio
import anyio.lowlevel
import pytest
import trio
import trio.testing

import liveness
from liveness import aio
from liveness.testing import VirtualClock

from .support.virtual_loop import VirtualTimeLoop, pending_for

# --- hints ------------------------------------------------------------------------------------


def test_a_hint_from_another_thread_while_the_probe_runs_is_not_lost() -> None:
    state = {"ready": False}
    calls: list[bool] = []

    def make_ready() -> None:
        state["ready"] = True
        liveness.emit("engine.thread.ready")

    def probe() -> bool:
        seen = state["ready"]
        calls.append(seen)
        if len(calls) == 1:
            # The state changes, and the hint arrives, while this evaluation runs (after it looked).
            worker = threading.Thread(target=make_ready)
            worker.start()
            worker.join()
        return seen

    # interval 5 s: without the hint, the second evaluation would be the deadline's, 5 s on.
    begin = time.monotonic()
    assert liveness.eventually(probe, interval=5, timeout=5, wake_on="engine.thread.*")
    assert calls == [False, True]
    assert time.monotonic() - begin < 2.5


def test_a_hint_the_probe_itself_emits_while_it_runs_is_not_lost() -> None:
    state = {"ready": False}
    calls: list[bool] = []

    def poll_service() -> bool:
        # The code under test, called by the probe: it gets ready and says so on this thread.
        seen = state["ready"]
        state["ready"] = True
        liveness.emit("engine.self.ready")
        return seen

    def probe() -> bool:
        seen = poll_service()
        calls.append(seen)
        return seen

    begin = time.monotonic()
    assert liveness.eventually(probe, interval=5, timeout=5, wake_on="engine.self.*")
    assert calls == [False, True]
    assert time.monotonic() - begin < 2.5  # not the deadline's evaluation


def run_on_virtual_loop(main: Any) -> Any:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(main(loop))
    finally:
        loop.close()


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync-probe", "async-probe"])
def test_under_asyncio_a_hint_from_another_thread_while_the_probe_runs_is_not_lost(asynchronous: bool) -> None:
    state = {"ready": False}
    calls: list[bool] = []

    def make_ready() -> None:
        state["ready"] = True
        liveness.emit("engine.aio-thread.ready")

    def look() -> bool:
        seen = state["ready"]
        calls.append(seen)
        if len(calls) == 1:
            worker = threading.Thread(target=make_ready)
            worker.start()
            worker.join()
        return seen

    async def main(loop: VirtualTimeLoop) -> float:
        def probe() -> bool:
            seen = look()
            loop.advance(0.001)  # the evaluation goes on a little after the hint
            return seen

        async def probe_async() -> bool:
            seen = look()
            await pending_for(0.001)
            return seen

        # interval 2 s: without the hint, the second evaluation would be the deadline's, 2 s on.
        start = loop.time()
        probe_ = probe_async if asynchronous else probe
        assert await aio.eventually(probe_, interval=2, timeout=2, wake_on="engine.aio-thread.*")
        return loop.time() - start

    assert run_on_virtual_loop(main) == pytest.approx(0.002)
    assert calls == [False, True]


# --- the event loop keeps turning ---------------------------------------------------------------


def test_under_asyncio_a_sync_probe_slower_than_its_interval_lets_other_tasks_run() -> None:
    async def main(loop: VirtualTimeLoop) -> list[int]:
        ran: list[int] = []
        seen: list[int] = []

        def probe() -> bool:
            seen.append(len(ran))  # how often the callback scheduled by the last call has run
            loop.call_soon(ran.append, 1)
            loop.advance(0.03)  # the probe takes 30 ms, three times its interval
            return len(seen) == 4

        await aio.eventually(probe, interval=0.01, timeout=1)
        return seen

    assert run_on_virtual_loop(main) == [0, 1, 2, 3]


def test_under_trio_a_sync_probe_slower_than_its_interval_lets_other_tasks_run() -> None:
    clock = trio.testing.MockClock(autojump_threshold=0)
    seen: list[int] = []

    async def main() -> None:
        ran: list[int] = []
        token = trio.lowlevel.current_trio_token()

        def probe() -> bool:
            seen.append(len(ran))
            token.run_sync_soon(ran.append, 1)
            clock.jump(0.03)
            return len(seen) == 4

        await aio.eventually(probe, interval=0.01, timeout=1)

    trio.run(main, clock=clock)
    assert seen == [0, 1, 2, 3]


# --- the preparation: on the wait's clock, bounded by the deadline --------------------------------


@pytest.mark.asyncio
async def test_an_async_action_still_pending_at_the_deadline_is_abandoned_and_reported() -> None:
    never = asyncio.Event()
    cancelled: list[int] = []
    until_calls: list[int] = []

    async def action() -> None:
        try:
            await never.wait()
        except asyncio.CancelledError:
            cancelled.append(1)
            raise

    def until() -> bool:
        until_calls.append(1)
        return True

    with pytest.raises(liveness.TimeoutError) as info:
        # The outer bound only keeps a regression from hanging the suite.
        await asyncio.wait_for(aio.sync_operation(action, until, timeout=0.05), 10)
    assert "the action still running after 0.05 s" in str(info.value)
    assert info.value.report is not None
    assert info.value.report.reason == "still_running"
    assert cancelled == [1]
    assert until_calls == []


def test_under_trio_an_async_baseline_still_pending_at_the_deadline_is_abandoned() -> None:
    async def main() -> str:
        async def baseline_forever() -> int:
            await trio.sleep_forever()
            return 0

        with pytest.raises(liveness.TimeoutError) as info:
            await aio.eventually_changes(baseline_forever, timeout=5)
        return str(info.value)

    text = trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert "the baseline still running after 5.00 s" in text


def test_eventually_changes_counts_its_baseline_toward_the_timeout() -> None:
    with VirtualClock() as clock:
        calls: list[float] = []

        def probe() -> int:
            calls.append(clock.now())
            if len(calls) == 1:
                clock.advance(0.3)  # the baseline takes 0.3 s of the 0.5 s
            return 7

        with pytest.raises(liveness.TimeoutError) as info:
            liveness.eventually_changes(probe, timeout=0.5, interval=0.1, late_check=0)
        assert calls == pytest.approx([0.0, 0.3, 0.4, 0.5])
        assert clock.now() == pytest.approx(0.5)
    assert str(info.value).startswith("eventually_changes: not met after 0.50 s (3 evaluations)")


def test_aio_eventually_changes_counts_its_baseline_toward_the_timeout() -> None:
    async def main(loop: VirtualTimeLoop) -> tuple[str, float]:
        start = loop.time()
        calls: list[int] = []

        def probe() -> int:
            calls.append(1)
            if len(calls) == 1:
                loop.advance(0.3)
            return 7

        with pytest.raises(liveness.TimeoutError) as info:
            await aio.eventually_changes(probe, timeout=0.5, interval=0.1, late_check=0)
        return str(info.value), loop.time() - start

    text, elapsed = run_on_virtual_loop(main)
    assert text.startswith("eventually_changes: not met after 0.50 s (3 evaluations)")
    assert elapsed == pytest.approx(0.5)


def test_the_value_seen_again_by_eventually_changes_reads_unchanged() -> None:
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually_changes(lambda: 5, timeout=0.01)
    assert "last: returned 5 (unchanged)" in str(info.value)
    assert info.value.report is not None
    assert info.value.report.last == "returned 5 (unchanged)"


# --- interval=0 ---------------------------------------------------------------------------------


def test_interval_zero_is_adaptive_on_a_virtual_clock_too() -> None:
    calls: list[int] = []
    with VirtualClock(), pytest.raises(liveness.TimeoutError):
        liveness.eventually(lambda: calls.append(1), timeout=0.3, interval=0, late_check=0)
    # The adaptive minimum, 1 ms apart, from 0 to the deadline: a busy loop would never end here.
    assert len(calls) == 301


def test_interval_zero_is_adaptive_under_trio() -> None:
    calls: list[int] = []

    async def main() -> None:
        with pytest.raises(liveness.TimeoutError):
            await aio.eventually(lambda: calls.append(1), timeout=0.3, interval=0, late_check=0)

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    assert len(calls) == 301


# --- a sync wait inside a running event loop --------------------------------------------------


def test_a_sync_wait_inside_asyncio_run_raises_naming_liveness_aio() -> None:
    calls: list[int] = []

    async def main() -> None:
        with pytest.raises(RuntimeError, match=r"running asyncio event loop.*await liveness\.aio\.eventually"):
            liveness.eventually(lambda: calls.append(1) or True)
        with pytest.raises(RuntimeError, match=r"liveness\.aio\.sync_operation"):
            liveness.sync_operation(lambda: calls.append(2), lambda: True)

    asyncio.run(main())
    assert calls == []  # refused before anything ran


def test_a_sync_wait_inside_trio_run_raises_naming_liveness_aio() -> None:
    calls: list[int] = []

    async def main() -> None:
        with pytest.raises(RuntimeError, match=r"running trio event loop.*await liveness\.aio\.eventually_passes"):
            liveness.eventually_passes(lambda: calls.append(1))

    trio.run(main)
    assert calls == []


def test_a_sync_wait_in_a_worker_thread_of_an_event_loop_is_fine() -> None:
    async def main() -> object:
        return await asyncio.get_running_loop().run_in_executor(None, lambda: liveness.eventually(lambda: "ok"))

    assert asyncio.run(main()) == "ok"


# --- liveness.aio under trio and anyio -----------------------------------------------------------


def test_aio_under_trio() -> None:
    async def main() -> tuple[Any, ...]:
        state = {"n": 0}

        async def probe() -> str:
            state["n"] += 1
            # liveness: allow-sleep(the async probe's own cost: the behaviour under test)
            await trio.sleep(0.01)
            return "up" if state["n"] >= 3 else ""

        up = await aio.eventually(probe, timeout=5)
        passed = await aio.eventually_passes(lambda: None)
        changed = await aio.eventually_changes(iter([1, 1, 2]).__next__)
        await aio.always(lambda: True, during=0.05)
        await aio.never(lambda: False, during=0.05)
        done: list[int] = []

        async def action() -> None:
            done.append(1)

        synced = await aio.sync_operation(action, lambda: done)
        with pytest.raises(liveness.TimeoutError, match=r"evaluation #1 still running after 0\.05 s"):
            await aio.eventually(trio.sleep_forever, timeout=0.05)
        return up, passed, changed, synced

    assert trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0)) == ("up", None, 2, [1])


def test_aio_under_trio_wakes_on_a_hint_from_another_thread() -> None:
    state = {"ready": False}

    async def main() -> bool:
        def make_ready() -> None:
            state["ready"] = True
            liveness.emit("engine.trio.ready")

        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.to_thread.run_sync, make_ready)
            # interval 10 s: only the hint can make this finish before the 10 s timeout.
            return await aio.eventually(lambda: state["ready"], interval=10, timeout=10, wake_on="engine.trio.*")

    assert trio.run(main) is True


def test_aio_under_trio_is_cancelled_by_an_outer_scope() -> None:
    calls: list[int] = []

    async def main() -> bool:
        with trio.move_on_after(0.05) as scope:
            await aio.eventually(lambda: calls.append(1), timeout=30)
        return scope.cancelled_caught

    assert trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0)) is True
    assert calls


@pytest.mark.parametrize("backend", ["trio", "asyncio"])
def test_aio_under_anyio(backend: str) -> None:
    async def main() -> Any:
        state = {"n": 0}

        async def probe() -> int | None:
            state["n"] += 1
            await anyio.lowlevel.checkpoint()
            return state["n"] if state["n"] >= 3 else None

        with pytest.raises(liveness.TimeoutError):
            await aio.eventually(anyio.sleep_forever, timeout=0.01)
        return await aio.eventually(probe, timeout=5)

    assert anyio.run(main, backend=backend) == 3
