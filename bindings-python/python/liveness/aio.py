"""Awaitable versions of the operations, for asyncio and trio (directly or through anyio). They
never block the event loop. Probes, and ``sync_operation``'s action, may be plain functions or
coroutine functions (anything returning an awaitable is awaited).

The driver executes the core Poller's steps with the running library's clock, sleep and
cancellation, and decides nothing itself: when to evaluate, what a wake hint means, when to let
the loop run, which step the deadline bounds are all the Poller's.

An awaitable still pending at its step's bound (the deadline) is cancelled and the wait fails
there with "evaluation #N still running" (or "the action still running"); it is never called
again. It runs in the waiting task itself, so nothing of it outlives the wait; under asyncio, one
that ignores its cancellation is closed after a short grace (and the report says so)."""

from __future__ import annotations

import asyncio
import functools
import heapq
import inspect
import math
import sys
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, overload

from . import _config, _native
from ._attempts import Attempt, attempt_finished, not_run
from ._errors import _ReportedError
from ._hooks import OnEvaluation, OnTimeout
from ._ops import ExceptionTypes, Paths, Patterns, Seconds, check_callable, new_wait, running_event_loop

T = TypeVar("T")

__all__ = [
    "eventually",
    "eventually_passes",
    "eventually_changes",
    "eventually_settles",
    "always",
    "never",
    "sync_operation",
    "attempts",
    "AsyncAttempts",
]

# Taken at import: the pytest plugin's --liveness-forbid-sleep replaces asyncio.sleep for test
# code, and this module's own waits are not test code.
_sleep = asyncio.sleep

# How long an asyncio awaitable cancelled at its bound may take to finish (its `finally` blocks,
# an `except CancelledError` that cleans up) before it is closed.
_CANCEL_GRACE = 0.1


class _Abandoned(Exception):
    """The awaitable in flight was still pending at its step's bound."""

    def __init__(self, at: float, note: str | None = None) -> None:
        super().__init__(note)
        self.at = at
        self.note = note


# What most probes return, which is never awaitable: checked before the (slower) ABC check. Exact
# types (a subclass may define __await__).
_NOT_AWAITABLE = frozenset({bool, type(None), int, float, str, bytes, list, dict, tuple})


async def _drive(
    wait: _native.Wait,
    completed: Callable[[_ReportedError], BaseException],
    probe: Callable[[], Any],
    prepare: Callable[[], Any] | None = None,
) -> Any:
    """Executes the Poller's steps. ``prepare``: ``sync_operation``'s action (the probe takes
    ``eventually_changes``' baseline)."""
    __tracebackhide__ = True
    run = _loop_for(wait)
    try:
        while True:
            step, arg = wait.next(run.elapsed())
            if step in ("prepare", "evaluate"):
                number = wait.started(run.elapsed())
                call = prepare if step == "prepare" and prepare is not None else probe
                abandoned: _Abandoned | None = None
                try:
                    value = call()
                    if type(value) not in _NOT_AWAITABLE and inspect.isawaitable(value):
                        what = f"evaluation #{number}" if number else (wait.preparation or "the preparation")
                        value = await run.bounded(value, arg, what)
                except _Abandoned as gone:
                    abandoned = gone
                except BaseException as exc:  # the core decides what is retried
                    if step == "prepare" or wait.raised(run.elapsed(), exc):
                        raise
                else:
                    (wait.prepared if step == "prepare" else wait.returned)(run.elapsed(), value)
                if abandoned is not None:
                    _abandon(wait, abandoned)
            elif step == "yield":
                await run.turn()
            elif step == "wait":
                await run.wait(arg or 0.0)  # a "wait" step always says how long
            else:
                return wait.result()
            if run.latest_hint is not None:
                wait.wake(run.latest_hint)
                run.latest_hint = None
    except _ReportedError as err:
        failure = completed(err)
        if failure is err:
            raise
        raise failure  # noqa: B904 - its __cause__ is the wait's failure (set by completed)
    finally:
        wait.leave_budget()  # however it ended: a kept traceback must not keep its share
        run.close()


def _loop_for(wait: _native.Wait) -> _Trio | _Asyncio:
    """The running library's loop, subscribed to the wait's wake sources."""
    if running_event_loop() == "trio":
        return _Trio(wait.wake_patterns, wait.wake_paths)
    return _Asyncio(wait.wake_patterns, wait.wake_paths)


def _abandon(wait: _native.Wait, abandoned: _Abandoned) -> None:
    try:
        wait.abandon(abandoned.at)  # raises: the report says what was pending
    except _ReportedError as err:
        if abandoned.note:
            err._add_note(abandoned.note)
        raise


class _Loop:
    """What both libraries share: wake hints from any thread, stamped with their time on the
    wait's clock and handed to the loop's thread with ``deliver`` (the Poller decides what each
    means), and the waiter a hint wakes."""

    start: float

    def __init__(self, patterns: list[str], paths: list[Path], deliver: Callable[..., object]) -> None:
        self.latest_hint: float | None = None
        self.deliver = deliver
        self.subscription = _native.WakeHint(patterns, self.on_emit, paths) if patterns or paths else None

    def elapsed(self) -> float:
        raise NotImplementedError

    def on_emit(self) -> None:  # in the emitting thread, which may be any thread
        try:  # noqa: SIM105 - on every matching emit: a try is free, contextlib.suppress is an object
            self.deliver(self.arrived, self.elapsed())
        except RuntimeError:
            pass  # the loop is closed or the run is over: so is the wait

    def arrived(self, at: float) -> None:
        self.latest_hint = at if self.latest_hint is None else max(self.latest_hint, at)
        self.wake_waiter()

    def wake_waiter(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        if self.subscription is not None:
            self.subscription.close()


# How long (real time) the loop's clock is watched at the start of a wait for not moving.
_FROZEN_PROBE = 20e-6


def _refuse_frozen_clock(read: Callable[[], float], what: str, instead: str) -> float:
    """The clock's reading, after checking that it moves: a clock that stays put while real time
    (the native monotonic clock, which freezegun cannot stop) moves on is frozen, and every wait on
    it would never end. Only for the libraries' own real-time clocks (a virtual one may stand still)."""
    __tracebackhide__ = True
    first = read()
    until = _native.monotonic() + _FROZEN_PROBE
    while _native.monotonic() < until:
        pass
    if read() == first:
        raise RuntimeError(
            f"liveness.aio: {what} does not advance (it stayed at {first!r} while real time moved on), so "
            f"this wait would never end: is time frozen? {instead}"
        )
    return first


# The grid the real clock's due times are rounded up to, so that waits due within it share a timer.
_TIMER_GRID = 0.25e-3


def _on_grid(at: float, grid: float) -> float:
    """``at`` rounded up to a multiple of ``grid`` (as is when ``grid`` is 0)."""
    return math.ceil(at / grid) * grid if grid else at


class _SharedTimers:
    """The pauses of one asyncio loop's waits: waits due at the same moment share one timer
    handle (one ``call_at``, one heap entry, one callback that wakes them all) instead of one
    each. On the loop's real clock a due time is rounded up to the next multiple of
    ``_TIMER_GRID`` (a wait wakes at most that much later than its Poller asked), so that waits
    started together with the same schedule share; on any other clock (a virtual one, where tests
    assert exact times) only equal due times share. Each wait's schedule stays its own Poller's."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # The loop is not kept: the value of a weak-keyed entry must not hold its key alive.
        real = isinstance(loop, asyncio.BaseEventLoop) and type(loop).time is asyncio.BaseEventLoop.time
        self.grid = _TIMER_GRID if real else 0.0
        # Due time -> its timer and the waiters it wakes (in the order they came: a dict).
        self.due: dict[float, tuple[asyncio.TimerHandle, dict[asyncio.Future[None], None]]] = {}

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop) -> _SharedTimers:
        try:
            timers = _timers_by_loop.get(loop)
            if timers is None:
                timers = _timers_by_loop[loop] = cls(loop)
        except TypeError:  # a loop that takes no weak reference: its waits keep a timer each
            timers = cls(loop)
        return timers

    def add(self, loop: asyncio.AbstractEventLoop, at: float, waiter: asyncio.Future[None]) -> float:
        """Wakes ``waiter`` at ``at`` (loop time; rounded up to the grid). Returns the due time
        it was filed under, for :meth:`discard`."""
        at = _on_grid(at, self.grid)
        entry = self.due.get(at)
        if entry is None:
            entry = self.due[at] = (loop.call_at(at, self.fire, at), {})
        entry[1][waiter] = None
        return at

    def discard(self, at: float, waiter: asyncio.Future[None]) -> None:
        """``waiter`` no longer waits (woken early, cancelled); the last one cancels the timer."""
        entry = self.due.get(at)
        if entry is None:
            return
        entry[1].pop(waiter, None)
        if not entry[1]:
            entry[0].cancel()
            del self.due[at]

    def fire(self, at: float) -> None:
        _, waiters = self.due.pop(at)
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)


_timers_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _SharedTimers] = weakref.WeakKeyDictionary()


class _Asyncio(_Loop):
    def __init__(self, patterns: list[str], paths: list[Path]) -> None:
        self.loop = asyncio.get_running_loop()
        if isinstance(self.loop, asyncio.BaseEventLoop) and type(self.loop).time is asyncio.BaseEventLoop.time:
            self.start = _refuse_frozen_clock(
                self.loop.time,
                "the asyncio event loop's clock (loop.time())",
                "freezegun freezes the event loop's clock too unless told not to: use "
                "`freeze_time(..., real_asyncio=True)` (or `tick=True`)",
            )
        else:
            self.start = self.loop.time()
        self.timers = _SharedTimers.of(self.loop)
        self.waiter: asyncio.Future[None] | None = None
        super().__init__(patterns, paths, self.loop.call_soon_threadsafe)

    def elapsed(self) -> float:
        return self.loop.time() - self.start

    def wake_waiter(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def turn(self) -> None:
        await _sleep(0)

    async def wait(self, seconds: float) -> None:
        self.waiter = waiter = self.loop.create_future()
        due = self.timers.add(self.loop, self.loop.time() + seconds, waiter)
        try:
            await waiter
        finally:
            self.waiter = None
            self.timers.discard(due, waiter)

    async def bounded(self, awaitable: Any, abandon_at: float | None, what: str) -> Any:
        """Awaits the step's awaitable, but not past ``abandon_at``.

        It is driven in the wait's own task, not in a task of its own: nothing of it can outlive
        the wait (a task left behind would keep ``asyncio.run`` from returning when it ignores
        cancellation). At the bound it gets ``CancelledError`` and a short grace to finish; one
        that ignores that is closed (``GeneratorExit``) and never resumed."""
        if abandon_at is None:
            return await awaitable
        steps = awaitable if inspect.isgenerator(awaitable) else awaitable.__await__()
        end = self.start + abandon_at
        throw: BaseException | None = None
        cancelled = False  # at the bound
        while True:
            try:
                yielded = steps.send(None) if throw is None else steps.throw(throw)
            except BaseException as exc:
                if cancelled:
                    raise _Abandoned(abandon_at) from None  # it ended once cancelled
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
                        await asyncio.wait({yielded}, timeout=max(0.0, end - self.loop.time()))
                    except asyncio.CancelledError as exc:
                        # The wait itself was cancelled: so is the awaitable, as an awaited
                        # coroutine is (it may still clean up, or even swallow it).
                        _cancel(yielded)
                        throw = exc
                        continue
                if yielded.done():
                    continue
            if self.loop.time() < end:
                continue
            _cancel(yielded)
            if not cancelled:
                # The bound: cancel the awaitable and give it a short grace to end.
                cancelled, end, throw = True, self.loop.time() + _CANCEL_GRACE, asyncio.CancelledError()
                continue
            closed = _close(steps)
            raise _Abandoned(
                abandon_at,
                f"{what} ignored its cancellation at the deadline and was closed"
                + ("" if closed else "; it ignored GeneratorExit too and is left suspended, never to be resumed"),
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


class _TrioTimers:
    """trio's :class:`_SharedTimers`: one system task of the run sleeps until the next due moment
    and wakes every wait due then, instead of one cancel-scope deadline per pausing wait. The
    same grid on trio's real clock; exact times on any other (``MockClock``)."""

    def __init__(self, trio: Any, grid: float) -> None:
        self.trio = trio
        self.grid = grid
        # Due time -> the waits' events it sets; `times` is a heap of the due times (an entry
        # whose waits all left stays until it comes up: taking it out would cost more).
        self.due: dict[float, dict[Any, None]] = {}
        self.times: list[float] = []
        # The timer task's sleep: its deadline is the earliest due moment (moved, not re-made,
        # when an earlier one comes: no extra step of the task).
        self.sleep = trio.CancelScope(deadline=math.inf)

    @classmethod
    def of(cls, trio: Any, real: bool) -> _TrioTimers | None:
        """The run's shared timers (started by its first wait); ``None`` when no system task can
        start (the run is shutting down): each wait then keeps a deadline of its own."""
        global _trio_timers
        if _trio_timers is None:
            _trio_timers = trio.lowlevel.RunVar("liveness_timers")
        try:
            shared: _TrioTimers = _trio_timers.get()
            return shared
        except LookupError:
            pass
        timers = cls(trio, _TIMER_GRID if real else 0.0)
        try:
            trio.lowlevel.spawn_system_task(timers.run, name="liveness shared timers")
        except RuntimeError:
            return None
        _trio_timers.set(timers)
        return timers

    def add(self, at: float, waiter: Any) -> float:
        at = _on_grid(at, self.grid)
        waiters = self.due.get(at)
        if waiters is None:
            waiters = self.due[at] = {}
            heapq.heappush(self.times, at)
            if at < self.sleep.deadline:
                self.sleep.deadline = at  # a new earliest moment: the timer task wakes then instead
        waiters[waiter] = None
        return at

    def discard(self, at: float, waiter: Any) -> None:
        waiters = self.due.get(at)
        if waiters is not None:
            waiters.pop(waiter, None)
            if not waiters:
                del self.due[at]

    async def run(self) -> None:
        trio = self.trio
        while True:
            while self.times and self.times[0] not in self.due:
                heapq.heappop(self.times)
            self.sleep = trio.CancelScope(deadline=self.times[0] if self.times else math.inf)
            with self.sleep:
                await trio.sleep_forever()
            now = trio.current_time()
            while self.times and self.times[0] <= now:
                for waiter in self.due.pop(heapq.heappop(self.times), ()):
                    waiter.set()


# trio's RunVar of the run's _TrioTimers (made at the first trio wait: trio is imported lazily).
_trio_timers: Any = None


class _Trio(_Loop):
    """Also anyio's trio backend."""

    def __init__(self, patterns: list[str], paths: list[Path]) -> None:
        import trio

        self.trio = trio
        self.clock = trio.lowlevel.current_clock()
        if type(self.clock).__name__ == "SystemClock":
            self.start = _refuse_frozen_clock(
                self.clock.current_time,
                "trio's clock (trio.current_time())",
                "freezegun freezes trio's clock too (its `real_asyncio=True` is for asyncio only): use "
                "`freeze_time(..., ignore=['trio'])` (or `tick=True`)",
            )
        else:
            self.start = self.clock.current_time()
        self.timers = _TrioTimers.of(trio, real=type(self.clock).__name__ == "SystemClock")
        self.waiter: trio.Event | None = None
        super().__init__(patterns, paths, trio.lowlevel.current_trio_token().run_sync_soon)

    def elapsed(self) -> float:
        return self.clock.current_time() - self.start

    def wake_waiter(self) -> None:
        if self.waiter is not None:
            self.waiter.set()

    async def turn(self) -> None:
        # Trio runs the runnable tasks in batches, in an order it shuffles on purpose: after one
        # checkpoint this task may run before another that was runnable already. After a second
        # one, every task runnable at the first has run: one turn of the loop.
        await self.trio.lowlevel.checkpoint()
        await self.trio.lowlevel.checkpoint()

    async def wait(self, seconds: float) -> None:
        self.waiter = waiter = self.trio.Event()
        if self.timers is None:  # no shared timers in this run: a deadline of its own
            try:
                with self.trio.move_on_after(seconds):
                    await waiter.wait()
            finally:
                self.waiter = None
            return
        due = self.timers.add(self.clock.current_time() + seconds, waiter)
        try:
            await waiter.wait()
        finally:
            self.waiter = None
            self.timers.discard(due, waiter)

    async def bounded(self, awaitable: Any, abandon_at: float | None, what: str) -> Any:
        """Awaits the step's awaitable in this task, cancelling it if still pending at
        ``abandon_at``. When an inner scope's deadline (the awaitable's own ``trio.sleep``) and
        an outer one's fall at the same time, trio cancels both and the outer wins; so this
        scope's deadline lies 64 float steps past the bound (far below a microsecond on any
        clock trio uses): an awaitable that ends at the bound is let end, as under asyncio."""
        if abandon_at is None:
            return await awaitable
        bound = self.start + abandon_at
        with self.trio.move_on_at(bound + 64 * math.ulp(bound)):
            return await awaitable
        # Reached only when the scope caught the cancellation it made at the bound.
        raise _Abandoned(abandon_at)


P = ParamSpec("P")
R = TypeVar("R")


def _awaited(operation: str) -> Callable[[Callable[P, Coroutine[Any, Any, R]]], Callable[P, Coroutine[Any, Any, R]]]:
    """While the pytest plugin runs a test, each wait is noted with where it was made, so a
    forgotten ``await`` fails the test (it would pass with only a RuntimeWarning)."""

    def wrap(function: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
        @functools.wraps(function)
        def call(*args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, R]:
            __tracebackhide__ = True
            coroutine = function(*args, **kwargs)
            pending = _config.unawaited
            if pending is not None:
                caller = sys._getframe(1)
                pending.append((coroutine, f"{caller.f_code.co_filename}:{caller.f_lineno}", operation))
            return coroutine

        return call

    return wrap


def _options(**options: Any) -> dict[str, Any]:
    return options


@overload
async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@overload
async def eventually(
    probe: Callable[[], T | None],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@_awaited("eventually")
async def eventually(
    probe: Callable[[], Any],
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
) -> Any:
    """``await``-able :func:`liveness.eventually`; the probe may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("eventually", "probe", probe, asynchronous=True)
    wait, completed = new_wait(
        "eventually",
        _options(
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
        event_loop=True,
        probe=probe,
    )
    return await _drive(wait, completed, probe)


@overload
async def eventually_passes(
    block: Callable[[], Awaitable[T]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@overload
async def eventually_passes(
    block: Callable[[], T],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@_awaited("eventually_passes")
async def eventually_passes(
    block: Callable[[], Any],
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
) -> Any:
    """``await``-able :func:`liveness.eventually_passes`."""
    __tracebackhide__ = True
    check_callable("eventually_passes", "block", block, asynchronous=True)
    wait, completed = new_wait(
        "eventually_passes",
        _options(
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
        event_loop=True,
        probe=block,
    )
    return await _drive(wait, completed, block)


@overload
async def eventually_changes(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@overload
async def eventually_changes(
    probe: Callable[[], T],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@_awaited("eventually_changes")
async def eventually_changes(
    probe: Callable[[], Any],
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
) -> Any:
    """``await``-able :func:`liveness.eventually_changes`."""
    __tracebackhide__ = True
    check_callable("eventually_changes", "probe", probe, asynchronous=True)
    wait, completed = new_wait(
        "eventually_changes",
        _options(
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
        event_loop=True,
        probe=probe,
    )
    return await _drive(wait, completed, probe)


@overload
async def eventually_settles(
    probe: Callable[[], Awaitable[T]],
    *,
    quiet: Seconds,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@overload
async def eventually_settles(
    probe: Callable[[], T],
    *,
    quiet: Seconds,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@_awaited("eventually_settles")
async def eventually_settles(
    probe: Callable[[], Any],
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
) -> Any:
    """``await``-able :func:`liveness.eventually_settles`; the probe may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("eventually_settles", "probe", probe, asynchronous=True)
    wait, completed = new_wait(
        "eventually_settles",
        _options(
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
        event_loop=True,
        probe=probe,
    )
    return await _drive(wait, completed, probe)


@_awaited("always")
async def always(
    probe: Callable[[], Any],
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
    """``await``-able :func:`liveness.always`."""
    __tracebackhide__ = True
    check_callable("always", "probe", probe, asynchronous=True)
    wait, completed = new_wait(
        "always",
        _options(
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
        event_loop=True,
        probe=probe,
    )
    await _drive(wait, completed, probe)


@_awaited("never")
async def never(
    probe: Callable[[], Any],
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
    """``await``-able :func:`liveness.never`."""
    __tracebackhide__ = True
    check_callable("never", "probe", probe, asynchronous=True)
    wait, completed = new_wait(
        "never",
        _options(
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
        event_loop=True,
        probe=probe,
    )
    await _drive(wait, completed, probe)


@overload
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], Awaitable[T | None]],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@overload
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], T | None],
    *,
    timeout: Seconds | None = ...,
    interval: Seconds | None = ...,
    intervals: Sequence[Seconds] | None = ...,
    backoff: float | None = ...,
    min_interval: Seconds | None = ...,
    max_interval: Seconds | None = ...,
    delay: Seconds | None = ...,
    attempts: int | None = ...,
    message: str | None = ...,
    stable_for: Seconds | None = ...,
    at_least: Seconds | None = ...,
    late_check: Seconds | None = ...,
    wake_on: Patterns | None = ...,
    wake_on_path: Paths | None = ...,
    retry_on: ExceptionTypes | None = ...,
    fail_on: ExceptionTypes | None = ...,
    on_evaluation: OnEvaluation | None = ...,
    on_timeout: OnTimeout | None = ...,
) -> T: ...
@_awaited("sync_operation")
async def sync_operation(
    action: Callable[[], Any],
    until: Callable[[], Any],
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
) -> Any:
    """``await``-able :func:`liveness.sync_operation`; ``action`` may be a coroutine function."""
    __tracebackhide__ = True
    check_callable("sync_operation", "action", action, asynchronous=True)
    check_callable("sync_operation", "until", until, asynchronous=True)
    wait, completed = new_wait(
        "sync_operation",
        _options(
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
        event_loop=True,
        probe=until,
    )
    return await _drive(wait, completed, until, prepare=action)


class AsyncAttempts:
    """What :func:`attempts` returns: iterate it once with ``async for``; ``.result`` is then the
    accepted value."""

    def __init__(self, options: dict[str, Any]) -> None:
        self._wait, self._completed = new_wait("eventually_passes", options, event_loop=True)
        self._loop: _Loop | None = None
        self._started = False
        self.result: Any = None

    def __aiter__(self) -> AsyncIterator[Attempt]:
        if self._started:
            raise RuntimeError("liveness.aio.attempts(...) is iterated once: call it again for another wait")
        self._started = True
        return self._run()

    def _finished(self, attempt: Attempt, error: BaseException | None) -> bool:
        __tracebackhide__ = True
        assert self._loop is not None
        return attempt_finished(self._wait, self._loop.elapsed(), attempt, error)

    async def _run(self) -> AsyncIterator[Attempt]:
        __tracebackhide__ = True
        wait = self._wait
        run = self._loop = _loop_for(wait)
        try:
            while True:
                # The block runs in the caller's frame: it cannot be abandoned at the deadline.
                step, arg = wait.next(run.elapsed())
                if step == "evaluate":
                    attempt = Attempt(self, wait.started(run.elapsed()))
                    yield attempt
                    if attempt._state != "done":
                        raise not_run("aio.attempts", attempt)
                elif step == "yield":
                    await run.turn()
                elif step == "wait":
                    await run.wait(arg or 0.0)
                elif step == "done":
                    self.result = wait.result()
                    return
                if run.latest_hint is not None:
                    wait.wake(run.latest_hint)
                    run.latest_hint = None
        except _ReportedError as err:
            failure = self._completed(err)
            if failure is err:
                raise
            raise failure  # noqa: B904 - its __cause__ is the wait's failure (set by completed)
        finally:
            wait.leave_budget()  # however it ended: a kept traceback must not keep its share
            run.close()


def attempts(
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
) -> AsyncAttempts:
    """The block form of :func:`eventually_passes`, with ``async for`` (see
    :func:`liveness.attempts`); the block may ``await``::

        async for attempt in liveness.aio.attempts(timeout=2):
            with attempt:
                assert await client.get("n") == 3
    """
    __tracebackhide__ = True
    return AsyncAttempts(
        _options(
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
        )
    )
