"""Awaitable versions of the operations, for asyncio (and pytest-asyncio). They never block the
event loop: the core's Poller decides, this module awaits ``asyncio.sleep`` in between. Probes may
be plain functions or coroutine functions (anything returning an awaitable is awaited).

A probe still pending at the deadline is cancelled and the wait fails at the deadline with
"evaluation #N still running"; it is never called again."""

from __future__ import annotations

import asyncio
import inspect
import math
from typing import Any, Awaitable, Callable, Dict, List, Optional, TypeVar, Union, overload

from . import _native
from ._ops import ExceptionTypes, Patterns, Seconds, check_callable, new_wait
from ._errors import _ReportedError

T = TypeVar("T")

__all__ = ["eventually", "eventually_passes", "eventually_changes", "always", "never", "sync_operation"]

# Taken at import: the pytest plugin's --liveness-forbid-sleep replaces asyncio.sleep for test
# code, and this module's own waits are not test code.
_sleep = asyncio.sleep


async def _settle(value: Any, wait: _native.Wait, elapsed: Callable[[], float]) -> Any:
    """Awaits a probe's awaitable, but not past the deadline: then it is cancelled and abandoned."""
    task = asyncio.ensure_future(value)
    remaining = wait.deadline - elapsed()
    if remaining <= 0:
        # The evaluation that starts at the deadline is the last one: it is let finish (SPEC §2).
        return await task
    try:
        done, _ = await asyncio.wait({task}, timeout=remaining)
    except BaseException:
        task.cancel()
        raise
    if done:
        return task.result()
    task.cancel()
    # Whatever the cancelled probe ends with, nobody is waiting for it any more.
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    raise _Abandoned()


class _Abandoned(Exception):
    """The evaluation in flight was still pending at the deadline."""


async def _drive(wait: _native.Wait, note: Optional[str], probe: Callable[[], Any]) -> Any:
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
                wait.started(elapsed())
                evaluated_at[0] = math.inf  # hints during an evaluation are not hints (SPEC §5)
                abandoned = False
                try:
                    value = probe()
                    if inspect.isawaitable(value):
                        value = await _settle(value, wait, elapsed)
                except _Abandoned:
                    abandoned = True
                except BaseException as exc:  # noqa: BLE001 - the core decides what is retried
                    evaluated_at[0] = loop.time()
                    if wait.raised(elapsed(), exc):
                        raise
                    continue
                if abandoned:
                    wait.abandon(elapsed())  # raises: the report says which evaluation was pending
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


def _wake_hint(wait: _native.Wait, loop: asyncio.AbstractEventLoop) -> "tuple[Optional[_native.WakeHint], Optional[asyncio.Event], List[float]]":
    evaluated_at: List[float] = [-math.inf]
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
        try:
            loop.call_soon_threadsafe(arrived, stamp)
        except RuntimeError:
            pass  # the loop is closed: the wait is over anyway

    return _native.WakeHint(patterns, on_emit), woken, evaluated_at


AsyncProbe = Union[Callable[[], Awaitable[T]], Callable[[], T]]


def _options(**options: Any) -> Dict[str, Any]:
    return options


@overload
async def eventually(probe: Callable[[], Awaitable[Optional[T]]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
@overload
async def eventually(probe: Callable[[], Optional[T]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
async def eventually(
    probe: Callable[[], Any],
    *,
    timeout: Optional[Seconds] = None,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    stable_for: Optional[Seconds] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> Any:
    """``await``-able :func:`liveness.eventually`; the probe may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("eventually", "probe", probe, asynchronous=True)
    wait, note = new_wait("eventually", _options(
        timeout=timeout, interval=interval, min_interval=min_interval, max_interval=max_interval,
        delay=delay, attempts=attempts, message=message, stable_for=stable_for, wake_on=wake_on,
        retry_on=retry_on, fail_on=fail_on,
    ))
    return await _drive(wait, note, probe)


@overload
async def eventually_passes(block: Callable[[], Awaitable[T]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
@overload
async def eventually_passes(block: Callable[[], T], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
async def eventually_passes(
    block: Callable[[], Any],
    *,
    timeout: Optional[Seconds] = None,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    stable_for: Optional[Seconds] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> Any:
    """``await``-able :func:`liveness.eventually_passes`."""
    __tracebackhide__ = True
    check_callable("eventually_passes", "block", block, asynchronous=True)
    wait, note = new_wait("eventually_passes", _options(
        timeout=timeout, interval=interval, min_interval=min_interval, max_interval=max_interval,
        delay=delay, attempts=attempts, message=message, stable_for=stable_for, wake_on=wake_on,
        retry_on=retry_on, fail_on=fail_on,
    ))
    return await _drive(wait, note, block)


@overload
async def eventually_changes(probe: Callable[[], Awaitable[T]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
@overload
async def eventually_changes(probe: Callable[[], T], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
async def eventually_changes(
    probe: Callable[[], Any],
    *,
    timeout: Optional[Seconds] = None,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    stable_for: Optional[Seconds] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> Any:
    """``await``-able :func:`liveness.eventually_changes`."""
    __tracebackhide__ = True
    check_callable("eventually_changes", "probe", probe, asynchronous=True)
    wait, note = new_wait("eventually_changes", _options(
        timeout=timeout, interval=interval, min_interval=min_interval, max_interval=max_interval,
        delay=delay, attempts=attempts, message=message, stable_for=stable_for, wake_on=wake_on,
        retry_on=retry_on, fail_on=fail_on,
    ))
    baseline = probe()
    if inspect.isawaitable(baseline):
        baseline = await baseline
    wait.set_baseline(baseline)
    return await _drive(wait, note, probe)


async def always(
    probe: Callable[[], Any],
    during: Seconds,
    *,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> None:
    """``await``-able :func:`liveness.always`."""
    __tracebackhide__ = True
    check_callable("always", "probe", probe, asynchronous=True)
    wait, note = new_wait("always", _options(
        interval=interval, min_interval=min_interval, max_interval=max_interval, delay=delay,
        attempts=attempts, message=message, wake_on=wake_on, retry_on=retry_on, fail_on=fail_on,
    ), during=during)
    await _drive(wait, note, probe)


async def never(
    probe: Callable[[], Any],
    during: Seconds,
    *,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> None:
    """``await``-able :func:`liveness.never`."""
    __tracebackhide__ = True
    check_callable("never", "probe", probe, asynchronous=True)
    wait, note = new_wait("never", _options(
        interval=interval, min_interval=min_interval, max_interval=max_interval, delay=delay,
        attempts=attempts, message=message, wake_on=wake_on, retry_on=retry_on, fail_on=fail_on,
    ), during=during)
    await _drive(wait, note, probe)


@overload
async def sync_operation(action: Callable[[], Any], until: Callable[[], Awaitable[Optional[T]]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
@overload
async def sync_operation(action: Callable[[], Any], until: Callable[[], Optional[T]], *, timeout: Optional[Seconds] = ..., interval: Optional[Seconds] = ..., min_interval: Optional[Seconds] = ..., max_interval: Optional[Seconds] = ..., delay: Optional[Seconds] = ..., attempts: Optional[int] = ..., message: Optional[str] = ..., stable_for: Optional[Seconds] = ..., wake_on: Optional[Patterns] = ..., retry_on: Optional[ExceptionTypes] = ..., fail_on: Optional[ExceptionTypes] = ...) -> T: ...
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], Any],
    *,
    timeout: Optional[Seconds] = None,
    interval: Optional[Seconds] = None,
    min_interval: Optional[Seconds] = None,
    max_interval: Optional[Seconds] = None,
    delay: Optional[Seconds] = None,
    attempts: Optional[int] = None,
    message: Optional[str] = None,
    stable_for: Optional[Seconds] = None,
    wake_on: Optional[Patterns] = None,
    retry_on: Optional[ExceptionTypes] = None,
    fail_on: Optional[ExceptionTypes] = None,
) -> Any:
    """``await``-able :func:`liveness.sync_operation`; ``action`` may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("sync_operation", "action", action, asynchronous=True)
    check_callable("sync_operation", "until", until, asynchronous=True)
    wait, note = new_wait("sync_operation", _options(
        timeout=timeout, interval=interval, min_interval=min_interval, max_interval=max_interval,
        delay=delay, attempts=attempts, message=message, stable_for=stable_for, wake_on=wake_on,
        retry_on=retry_on, fail_on=fail_on,
    ))
    done = action()
    if inspect.isawaitable(done):
        await done
    return await _drive(wait, note, until)
