"""liveness.aio under asyncio: awaitable operations that never block the event loop (SPEC §3; trio and anyio:
test_engine.py)."""

from __future__ import annotations

import asyncio

import pytest

import liveness
from liveness import aio


@pytest.mark.asyncio
async def test_async_probe_is_awaited() -> None:
    state = {"n": 0}

    async def probe() -> str:
        state["n"] += 1
        await asyncio.sleep(0)
        return "up" if state["n"] >= 3 else ""

    assert await aio.eventually(probe) == "up"
    assert state["n"] == 3


@pytest.mark.asyncio
async def test_sync_probe_works_too() -> None:
    values = iter([None, None, 7])
    assert await aio.eventually(lambda: next(values)) == 7


@pytest.mark.asyncio
async def test_the_loop_keeps_running_while_waiting() -> None:
    ticks: list[int] = []

    async def ticker() -> None:
        while len(ticks) < 5:
            ticks.append(1)
            await asyncio.sleep(0)

    task = asyncio.ensure_future(ticker())
    # Only another task on the same loop can make this true: the wait must yield to it.
    assert await aio.eventually(lambda: len(ticks) >= 5)
    await task


@pytest.mark.asyncio
async def test_timeout_has_the_last_exception_as_cause() -> None:
    async def probe() -> None:
        raise ConnectionError("refused")

    with pytest.raises(liveness.TimeoutError) as info:
        await aio.eventually(probe, timeout=0.02, message="db")
    assert isinstance(info.value.__cause__, ConnectionError)
    assert str(info.value).startswith('eventually "db": not met after')


@pytest.mark.asyncio
async def test_a_probe_pending_at_the_deadline_is_abandoned_and_never_called_again() -> None:
    calls: list[int] = []
    never_done = asyncio.Event()
    cancelled: list[bool] = []

    async def probe() -> bool:
        calls.append(1)
        try:
            await never_done.wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return True

    with pytest.raises(liveness.TimeoutError) as info:
        await aio.eventually(probe, timeout=0.05)
    assert "evaluation #1 still running" in str(info.value)
    assert info.value.report is not None
    assert info.value.report.reason == "still_running"
    await aio.eventually(lambda: cancelled)  # the pending probe was cancelled
    assert calls == [1]


@pytest.mark.asyncio
async def test_cancelling_the_wait_propagates() -> None:
    started = asyncio.Event()

    async def probe() -> bool:
        started.set()
        return False

    task = asyncio.ensure_future(aio.eventually(probe, timeout=30))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.asyncio
async def test_eventually_passes_and_changes() -> None:
    state = {"v": 1}

    async def block() -> None:
        state["v"] += 1
        assert state["v"] >= 3

    assert await aio.eventually_passes(block) is None
    values = iter([1, 1, 2])
    assert await aio.eventually_changes(lambda: next(values)) == 2

    async def baseline_fails() -> int:
        raise LookupError("gone")

    with pytest.raises(LookupError):
        await aio.eventually_changes(baseline_fails)


@pytest.mark.asyncio
async def test_always_and_never() -> None:
    await aio.always(lambda: True, during=0.02)
    await aio.never(lambda: None, during=0.02)
    values = iter([False, "boom"])
    with pytest.raises(liveness.ViolationError):
        await aio.never(lambda: next(values), during=5, interval=0.001)


@pytest.mark.asyncio
async def test_sync_operation_awaits_an_async_action() -> None:
    done: list[int] = []

    async def action() -> None:
        asyncio.get_running_loop().call_soon(done.append, 1)

    assert await aio.sync_operation(action, lambda: done) == [1]

    async def failing() -> None:
        raise PermissionError("no")

    with pytest.raises(PermissionError):
        await aio.sync_operation(failing, lambda: True)


@pytest.mark.asyncio
async def test_fail_on_and_base_exceptions_propagate() -> None:
    async def probe() -> None:
        raise KeyError("fatal")

    with pytest.raises(KeyError):
        await aio.eventually(probe, fail_on=KeyError)

    # (asyncio itself re-raises KeyboardInterrupt out of the loop, so a BaseException of our own
    # stands for "stop everything" here; the sync suite checks KeyboardInterrupt itself.)
    class Stop(BaseException):
        pass

    calls: list[int] = []

    async def interrupt() -> None:
        calls.append(1)
        raise Stop

    with pytest.raises(Stop):
        await aio.eventually(interrupt)
    assert calls == [1]


@pytest.mark.asyncio
async def test_bad_options_raise_before_awaiting_anything() -> None:
    with pytest.raises(ValueError, match="`timeout`"):
        await aio.eventually(lambda: True, timeout=-1)
    with pytest.raises(TypeError, match="callable"):
        await aio.eventually(None)  # type: ignore[call-overload]


@pytest.mark.asyncio
async def test_wake_on_reevaluates_at_once() -> None:
    state = {"ready": False}

    def make_ready() -> None:
        state["ready"] = True
        liveness.emit("svc.ready")

    asyncio.get_running_loop().call_soon(make_ready)
    # interval 30 s: only the wake hint can make this finish within the 10 s timeout.
    assert await aio.eventually(lambda: state["ready"], interval=10, timeout=10, wake_on="svc.*")


def test_works_under_plain_asyncio_run() -> None:
    async def main() -> int:
        return await aio.eventually(lambda: 3)

    assert asyncio.run(main()) == 3
