"""The synchronous operations (SPEC §1, §4). The loop runs in the core: it calls the action or
baseline and the probe with the interpreter attached and waits with it released (other threads
keep running), checking signals so Ctrl-C interrupts a wait at once. This module only gathers
options and checks that what was passed can be called, and that no event loop runs here (a
synchronous wait would hold it for the whole wait)."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from . import _config, _native
from ._errors import _ReportedError
from ._hooks import OnEvaluation, OnTimeout, check_hook, failure_to_raise

T = TypeVar("T")

Seconds = float
Patterns = str | Sequence[str]
# `wake_on_path`: one path or several (a change of one is a wake hint).
Paths = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]
# A class, or a tuple or list of them (any sequence is taken as a tuple).
ExceptionTypes = type[BaseException] | Sequence[type[BaseException]]

__all__ = [
    "eventually",
    "eventually_passes",
    "eventually_changes",
    "eventually_settles",
    "always",
    "never",
    "sync_operation",
]


def check_callable(operation: str, role: str, value: Any, *, asynchronous: bool = False) -> None:
    __tracebackhide__ = True
    if not callable(value):
        raise TypeError(f"{operation}: the {role} must be callable (a function of no arguments), got {value!r}")
    if asynchronous:
        return
    # The class's __call__ itself is inspected (an `async def __call__`); callable() was checked above.
    call = getattr(type(value), "__call__", None)  # noqa: B004
    for test, what in (
        (inspect.iscoroutinefunction, "a coroutine function"),
        (inspect.isasyncgenfunction, "an async generator function"),
        (inspect.isgeneratorfunction, "a generator function"),
    ):
        if test(value) or (not inspect.isroutine(value) and call is not None and test(call)):
            raise TypeError(
                f"{operation}: the {role} is {what}, which a synchronous wait cannot run; "
                f"use `await liveness.aio.{operation}(...)` for an asynchronous {role}"
            )


def _awaitable_kind(value: Any) -> str | None:
    """What a synchronous operation got instead of a value, or None when it is a value. A
    coroutine or generator is closed (no "never awaited" warning, no pending ``finally``)."""
    if inspect.iscoroutine(value):
        value.close()
        return f"a coroutine ({value.__qualname__})"
    if inspect.isasyncgen(value):
        return "an async generator"
    if inspect.isgenerator(value):
        value.close()
        return "a generator"
    if inspect.isawaitable(value):
        return f"an awaitable ({type(value).__name__})"
    return None


def running_event_loop() -> str | None:
    """The event loop running on this thread ("asyncio", "trio"), if any. A library that is not
    imported runs no loop, so nothing is imported here."""
    trio = sys.modules.get("trio")
    if trio is not None and _in_trio_run(trio):
        return "trio"
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None and asyncio._get_running_loop() is not None:
        return "asyncio"
    return None


def _in_trio_run(trio: Any) -> bool:
    in_trio_run = getattr(trio.lowlevel, "in_trio_run", None)  # recent trio; older has only the token
    if in_trio_run is not None:
        return bool(in_trio_run())
    try:
        trio.lowlevel.current_trio_token()
    except RuntimeError:
        return False
    return True


def refuse_running_loop(operation: str) -> None:
    __tracebackhide__ = True
    loop = running_event_loop()
    if loop is not None:
        raise RuntimeError(
            f"{operation}: called inside a running {loop} event loop, which a synchronous wait would "
            f"block until it ends; use `await liveness.aio.{operation}(...)` there"
        )


def _on_virtual_clock(event_loop: bool) -> bool:
    """Whether the wait about to start runs on virtual time: a ``liveness.testing.VirtualClock``
    installed on this thread (synchronous waits), an asyncio loop with a clock of its own
    (``liveness.testing.VirtualTimeLoop``) or a trio clock other than trio's own (``MockClock``)."""
    if not event_loop:
        return _native.BlockingClock().is_virtual
    if running_event_loop() == "trio":
        trio = sys.modules["trio"]
        return type(trio.lowlevel.current_clock()).__name__ != "SystemClock"
    asyncio = sys.modules["asyncio"]
    loop = asyncio.get_running_loop()
    # uvloop and other loops not built on BaseEventLoop keep real time.
    return isinstance(loop, asyncio.BaseEventLoop) and type(loop).time is not asyncio.BaseEventLoop.time


def new_wait(
    operation: str,
    explicit: dict[str, Any],
    during: Seconds | None = None,
    *,
    event_loop: bool = False,
    probe: object = None,
) -> tuple[_native.Wait, Callable[[_ReportedError], BaseException]]:
    """The wait of one call, and what turns its failure into the exception to raise (the
    pytest-timeout note, ``on_timeout``). Any other exception of the same class passing through
    (a nested wait's failure that a probe let out) is raised as it is."""
    __tracebackhide__ = True
    for key in ("retry_on", "fail_on"):
        value = explicit.get(key)
        if isinstance(value, Sequence) and not isinstance(value, (str, bytes, tuple)):
            explicit[key] = tuple(value)
    on_timeout: OnTimeout | None = explicit.pop("on_timeout", None)
    check_hook(operation, "on_timeout", on_timeout)
    check_hook(operation, "on_evaluation", explicit.get("on_evaluation"))
    options, cut, note = _config.resolve(operation, explicit, virtual=_on_virtual_clock(event_loop))
    if cut is not None:
        # The call as written is checked first: cutting it short for pytest-timeout must not hide
        # a contradiction in it (an interval longer than its timeout).
        _native.Wait(operation, event_loop=event_loop, during=during, **options)
        options = cut
    wait = _native.Wait(operation, event_loop=event_loop, during=during, **options)

    def completed(err: _ReportedError) -> BaseException:
        if err is not wait.failure:
            return err
        return failure_to_raise(err, note, on_timeout, probe)

    return wait, completed


def run(
    wait: _native.Wait,
    completed: Callable[[_ReportedError], BaseException],
    probe: Callable[[], Any],
    action: Callable[[], object] | None = None,
) -> Any:
    __tracebackhide__ = True
    refuse_running_loop(wait.operation)
    try:
        return wait.run(probe, action)
    except _ReportedError as err:
        failure = completed(err)
        if failure is err:
            raise
        raise failure  # noqa: B904 - its __cause__ is the wait's failure (set by completed)


def eventually(
    probe: Callable[[], T | None],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    at_least: Seconds | None = None,
    late_check: Seconds | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> T:
    """Calls ``probe`` until it returns a truthy value, and returns that value.

    An exception from the probe counts as "not yet" (unless ``retry_on``/``fail_on`` say
    otherwise). Raises ``liveness.TimeoutError`` (an ``AssertionError``) with the last exception as
    ``__cause__`` when the deadline passes. Durations are in seconds; ``timeout=math.inf`` waits
    until the probe holds (or the test runner's own timeout, see the README).
    """
    __tracebackhide__ = True
    check_callable("eventually", "probe", probe)
    wait, completed = new_wait(
        "eventually",
        dict(
            timeout=timeout,
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            at_least=at_least,
            late_check=late_check,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        probe=probe,
    )
    return run(wait, completed, probe)  # type: ignore[no-any-return]


def eventually_passes(
    block: Callable[[], T],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    at_least: Seconds | None = None,
    late_check: Seconds | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> T:
    """Calls ``block`` (typically ``assert`` statements) until it runs without raising and does not
    return ``False``; returns its value."""
    __tracebackhide__ = True
    check_callable("eventually_passes", "block", block)
    wait, completed = new_wait(
        "eventually_passes",
        dict(
            timeout=timeout,
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            at_least=at_least,
            late_check=late_check,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        probe=block,
    )
    return run(wait, completed, block)  # type: ignore[no-any-return]


def eventually_changes(
    probe: Callable[[], T],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    at_least: Seconds | None = None,
    late_check: Seconds | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> T:
    """Takes ``probe()`` once as a baseline (an exception then propagates; the time it takes
    counts toward the timeout), then waits until it returns a value ``!=`` the baseline, and
    returns that value."""
    __tracebackhide__ = True
    check_callable("eventually_changes", "probe", probe)
    wait, completed = new_wait(
        "eventually_changes",
        dict(
            timeout=timeout,
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            at_least=at_least,
            late_check=late_check,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        probe=probe,
    )
    return run(wait, completed, probe)  # type: ignore[no-any-return]


def eventually_settles(
    probe: Callable[[], T],
    *,
    quiet: Seconds,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    at_least: Seconds | None = None,
    late_check: Seconds | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> T:
    """Calls ``probe`` until it returned one value (``==``) for ``quiet`` seconds, from the first
    evaluation that returned it, and returns that value. An exception from the probe is retried
    like in ``eventually`` and ends the run of equal values (the next value starts a new one)."""
    __tracebackhide__ = True
    check_callable("eventually_settles", "probe", probe)
    wait, completed = new_wait(
        "eventually_settles",
        dict(
            timeout=timeout,
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            at_least=at_least,
            late_check=late_check,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
            quiet=quiet,
        ),
        probe=probe,
    )
    return run(wait, completed, probe)  # type: ignore[no-any-return]


def always(
    probe: Callable[[], object],
    during: Seconds,
    *,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> None:
    """Checks that ``probe`` returns a truthy value (and does not raise) at every evaluation for
    ``during`` seconds; raises ``liveness.ViolationError`` at the first one that does not."""
    __tracebackhide__ = True
    check_callable("always", "probe", probe)
    wait, completed = new_wait(
        "always",
        dict(
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        during=during,
        probe=probe,
    )
    run(wait, completed, probe)


def never(
    probe: Callable[[], object],
    during: Seconds,
    *,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> None:
    """Checks that ``probe`` never returns a truthy value for ``during`` seconds; raises
    ``liveness.ViolationError`` at the first one that does."""
    __tracebackhide__ = True
    check_callable("never", "probe", probe)
    wait, completed = new_wait(
        "never",
        dict(
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        during=during,
        probe=probe,
    )
    run(wait, completed, probe)


def sync_operation(
    action: Callable[[], object],
    until: Callable[[], T | None],
    *,
    timeout: Seconds | None = None,
    interval: Seconds | None = None,
    intervals: Sequence[Seconds] | None = None,
    backoff: float | None = None,
    min_interval: Seconds | None = None,
    max_interval: Seconds | None = None,
    delay: Seconds | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: Seconds | None = None,
    at_least: Seconds | None = None,
    late_check: Seconds | None = None,
    wake_on: Patterns | None = None,
    wake_on_path: Paths | None = None,
    retry_on: ExceptionTypes | None = None,
    fail_on: ExceptionTypes | None = None,
    on_evaluation: OnEvaluation | None = None,
    on_timeout: OnTimeout | None = None,
) -> T:
    """Calls ``action()`` once (an exception propagates and nothing is polled), then
    ``eventually(until)``; returns ``until``'s value. The timeout counts from the call, the
    action included."""
    __tracebackhide__ = True
    check_callable("sync_operation", "action", action)
    check_callable("sync_operation", "until", until)
    wait, completed = new_wait(
        "sync_operation",
        dict(
            timeout=timeout,
            interval=interval,
            intervals=intervals,
            backoff=backoff,
            min_interval=min_interval,
            max_interval=max_interval,
            delay=delay,
            attempts=attempts,
            message=message,
            stable_for=stable_for,
            at_least=at_least,
            late_check=late_check,
            wake_on=wake_on,
            wake_on_path=wake_on_path,
            retry_on=retry_on,
            fail_on=fail_on,
            on_evaluation=on_evaluation,
            on_timeout=on_timeout,
        ),
        probe=until,
    )
    return run(wait, completed, until, action)  # type: ignore[no-any-return]
