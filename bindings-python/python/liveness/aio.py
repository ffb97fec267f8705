"""Awaitable versions of the operations, for asyncio (and pytest-asyncio). They never block the
event loop: the core's Poller decides, this module awaits ``asyncio.sleep`` in between. Probes may
be plain functions or coroutine functions (anything returning an awaitable is awaited).

A probe still pending at the deadline is cancelled and the wait fails at the deadline with
"evaluation #N still running"; it is never called again. The probe's awaitable runs in the
waiting task itself, so nothing of it outlives the wait: one that ignores its cancellation is
closed after a short grace (and the report says so)."""

from __future__ import annotations

import asyncio
import inspect
import math
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

from . import _native
from ._errors import _ReportedError
from ._ops import ExceptionTypes, Patterns, Seconds, check_callable, new_wait

T = TypeVar("T")

__all__ = ["eventually", "eventually_passes", "eventually_changes", "always", "never", "sync_operation"]

# Taken at import: the pytest plugin's --liveness-forbid-sleep replaces asyncio.sleep for test
# code, and this module's own waits are not test code.
_sleep = asyncio.sleep


# How long a probe cancelled at the deadline may take to finish (its `finally` blocks, an
# `except CancelledError` that cleans up) before it is closed.
_CANCEL_GRACE = 0.1


class _Abandoned(Exception):
    """The evaluation in flight was still pending at the deadline."""

    def __init__(self, at: float, note: str | None) -> None:
        super().__init__(note)
        self.at = at
        self.note = note


async def _settle(value: Any, wait: _native.Wait, elapsed: Callable[[], float], number: int) -> Any:
    """Awaits a probe's awaitable, but not past the deadline.

    The awaitable is driven in the wait's own task, not in a task of its own: nothing of it can
    outlive the wait (a task left behind would keep ``asyncio.run`` from returning when the probe
    ignores cancellation). At the deadline it gets ``CancelledError`` and a short grace to finish;
    one that ignores that is closed (``GeneratorExit``) and never resumed."""
    remaining = wait.deadline - elapsed()
    if remaining <= 0:
        # The evaluation that starts at the deadline is the last one: it is let finish (SPEC §2).
        return await value
    loop = asyncio.get_running_loop()
    steps = value if inspect.isgenerator(value) else value.__await__()
    end = loop.time() + remaining
    throw: BaseException | None = None
    deadline_at: float | None = None  # elapsed() when the deadline passed
    while True:
        try:
            yielded = steps.send(None) if throw is None else steps.throw(throw)
        except BaseException as exc:
            if deadline_at is not None:
                raise _Abandoned(deadline_at, None) from None  # it ended once cancelled
            if isinstance(exc, StopIteration):
                return exc.value
            raise
        throw = None
        if yielded is None:
            await _sleep(0)  # a bare yield (asyncio.sleep(0)): let the loop run once
        elif not getattr(yielded, "_asyncio_future_blocking", False):
            throw = RuntimeError(f"the probe's awaitable yielded {yielded!r}, not an asyncio future")
            continue
        else:
            yielded._asyncio_future_blocking = False
            if not yielded.done():
                try:
                    await asyncio.wait({yielded}, timeout=max(0.0, end - loop.time()))
                except asyncio.CancelledError as exc:
                    # The wait itself was cancelled: so is the probe, as an awaited coroutine
                    # is (it may still clean up, or even swallow it).
                    _cancel(yielded)
                    throw = exc
                    continue
            if yielded.done():
                continue
        if loop.time() < end:
            continue
        _cancel(yielded)
        if deadline_at is None:
            # The deadline: cancel the evaluation and give it a short grace to end.
            deadline_at = elapsed()
            end = loop.time() + _CANCEL_GRACE
            throw = asyncio.CancelledError()
            continue
        closed = _close(steps)
        raise _Abandoned(
            deadline_at,
            (
                f"evaluation #{number} ignored its cancellation at the deadline and was closed"
                + ("" if closed else "; it ignored GeneratorExit too and is left suspended, never to be resumed")
            ),
        )


def _cancel(fut: Any) -> None:
    cancel = getattr(fut, "cancel", None)
    if cancel is not None:
        cancel()


def _close(steps: Any) -> bool:
    try:
        steps.close()
        return True
    except RuntimeError:
        return False


async def _drive(wait: _native.Wait, note: str | None, probe: Callable[[], Any]) -> Any:
    __tracebackhide__ = True
    loop = asyncio.get_running_loop()
    start = loop.time()

    def elapsed() -> float:
        return loop.time() - start

    hint, woken, evaluated_at = _wake_hint(wait, loop)
    try:
        while True:
            step, seconds = wait.next(elapsed())
            if step == "evaluate":
                number = wait.started(elapsed())
                evaluated_at[0] = math.inf  # hints during an evaluation are not hints (SPEC §5)
                abandoned: _Abandoned | None = None
                try:
                    value = probe()
                    if inspect.isawaitable(value):
                        value = await _settle(value, wait, elapsed, number)
                except _Abandoned as exc:
                    abandoned = exc
                except BaseException as exc:  # the core decides what is retried
                    evaluated_at[0] = loop.time()
                    if wait.raised(elapsed(), exc):
                        raise
                    continue
                if abandoned is not None:
                    try:
                        wait.abandon(abandoned.at)  # raises: the report says which one was pending
                    except _ReportedError as err:
                        if abandoned.note:
                            err._add_note(abandoned.note)
                        raise
                evaluated_at[0] = loop.time()
                wait.returned(elapsed(), value)
            elif step == "wait":
                if woken is None:
                    await _sleep(seconds)
                    continue
                try:
                    await asyncio.wait_for(woken.wait(), seconds)
                except asyncio.TimeoutError:
                    continue
                woken.clear()
                wait.wake()
            else:
                return wait.result()
    except _ReportedError as err:
        if note:
            err._add_note(note)
        raise
    finally:
        if hint is not None:
            hint.close()


def _wake_hint(
    wait: _native.Wait, loop: asyncio.AbstractEventLoop
) -> tuple[_native.WakeHint | None, asyncio.Event | None, list[float]]:
    evaluated_at: list[float] = [-math.inf]
    patterns = wait.wake_patterns
    if not patterns:
        return None, None, evaluated_at
    woken = asyncio.Event()

    def arrived(stamp: float) -> None:
        if stamp >= evaluated_at[0]:
            woken.set()

    def on_emit() -> None:
        # Called in the emitting thread, which may be any thread.
        stamp = loop.time()
        try:  # noqa: SIM105 - on every matching emit: a try is free, contextlib.suppress is an object
            loop.call_soon_threadsafe(arrived, stamp)
        except RuntimeError:
            pass  # the loop is closed: the wait is over anyway

    return _native.WakeHint(patterns, on_emit), woken, evaluated_at


AsyncProbe = Callable[[], Awaitable[T]] | Callable[[], T]


def _options(**options: Any) -> dict[str, Any]:
    return options


@overload
async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
@overload
async def eventually(
    probe: Callable[[], T | None],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
async def eventually(
    probe: Callable[[], Any],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> Any:
    """``await``-able :func:`liveness.eventually`; the probe may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("eventually", "probe", probe, asynchronous=True)
    wait, note = new_wait(
        "eventually",
        _options(
            timeout=timeout,
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
    )
    return await _drive(wait, note, probe)


@overload
async def eventually_passes(
    block: Callable[[], Awaitable[T]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
@overload
async def eventually_passes(
    block: Callable[[], T],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
async def eventually_passes(
    block: Callable[[], Any],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> Any:
    """``await``-able :func:`liveness.eventually_passes`."""
    __tracebackhide__ = True
    check_callable("eventually_passes", "block", block, asynchronous=True)
    wait, note = new_wait(
        "eventually_passes",
        _options(
            timeout=timeout,
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
    )
    return await _drive(wait, note, block)


@overload
async def eventually_changes(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
@overload
async def eventually_changes(
    probe: Callable[[], T],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
async def eventually_changes(
    probe: Callable[[], Any],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> Any:
    """``await``-able :func:`liveness.eventually_changes`."""
    __tracebackhide__ = True
    check_callable("eventually_changes", "probe", probe, asynchronous=True)
    wait, note = new_wait(
        "eventually_changes",
        _options(
            timeout=timeout,
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
    )
    baseline = probe()
    if inspect.isawaitable(baseline):
        baseline = await baseline
    wait.set_baseline(baseline)
    return await _drive(wait, note, probe)


async def always(
    probe: Callable[[], Any],
    during: Seconds,
    *,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> None:
    """``await``-able :func:`liveness.always`."""
    __tracebackhide__ = True
    check_callable("always", "probe", probe, asynchronous=True)
    wait, note = new_wait(
        "always",
        _options(
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
        during=during,
    )
    await _drive(wait, note, probe)


async def never(
    probe: Callable[[], Any],
    during: Seconds,
    *,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> None:
    """``await``-able :func:`liveness.never`."""
    __tracebackhide__ = True
    check_callable("never", "probe", probe, asynchronous=True)
    wait, note = new_wait(
        "never",
        _options(
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
        during=during,
    )
    await _drive(wait, note, probe)


@overload
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], Awaitable[T | None]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
@overload
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], T | None],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
) -> T: ...
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], Any],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    wake_on: Patterns | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
) -> Any:
    """``await``-able :func:`liveness.sync_operation`; ``action`` may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("sync_operation", "action", action, asynchronous=True)
    check_callable("sync_operation", "until", until, asynchronous=True)
    wait, note = new_wait(
        "sync_operation",
        _options(
            timeout=timeout,
            interval=interval,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            wake_on=wake_on,
            retry_on=retry_on,
            fail_on=fail_on,
        ),
    )
    done = action()
    if inspect.isawaitable(done):
        await done
    return await _drive(wait, note, until)
