"""The block form of ``eventually_passes``: each iteration of ``for attempt in attempts(...)`` is
one evaluation, and ``with attempt:`` runs it inline, in the test's own frame, so pytest's
assertion rewriting introspects its ``assert`` statements (a lambda cannot hold one)::

    for attempt in liveness.attempts(timeout=2):
        with attempt:
            assert out.read_text() == "3"

The loop executes the core Poller's steps (the same ``Wait`` that ``eventually_passes`` uses): the
Poller decides when the next attempt comes, and the report, the retry rules (``retry_on``,
``fail_on``, ``pytest.fail`` retried, a ``BaseException`` propagating at once) and the last
failure as the timeout's ``__cause__`` are ``eventually_passes``'. The ``with`` block swallows an
exception to retry and lets any other out as itself. ``attempt.result = value`` sets what the block
"returned": ``False`` is a failure, as for ``eventually_passes``; after the loop, the accepted
attempt's value is the iterable's ``.result``. ``liveness.aio.attempts`` is the same with
``async for``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol

from . import _native
from ._errors import _ReportedError
from ._hooks import OnEvaluation, OnTimeout
from ._ops import ExceptionTypes, Paths, Patterns, Seconds, new_wait, refuse_running_loop

__all__ = ["Attempt", "Attempts", "attempts"]


class _Owner(Protocol):
    def _finished(self, attempt: Attempt, error: BaseException | None) -> bool: ...


class Attempt:
    """One evaluation of the block; ``with attempt:`` runs it (once)."""

    __slots__ = ("_owner", "_state", "number", "result")

    def __init__(self, owner: _Owner, number: int) -> None:
        self._owner = owner
        self._state = "new"
        self.number = number
        # What the block "returned" (``eventually_passes``' block value): False is a failure.
        self.result: Any = None

    def __enter__(self) -> Attempt:
        __tracebackhide__ = True
        if self._state != "new":
            raise RuntimeError(f"attempt #{self.number} was already run: each attempt runs once, in one `with` block")
        self._state = "running"
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        __tracebackhide__ = True
        self._state = "done"
        return self._owner._finished(self, error)

    def __repr__(self) -> str:
        return f"<liveness attempt #{self.number} ({self._state})>"


def not_run(operation: str, attempt: Attempt) -> RuntimeError:
    loop = "async for" if operation.startswith("aio") else "for"
    return RuntimeError(
        f"liveness.{operation}: attempt #{attempt.number} was not run; the loop's body must run it: "
        f"`{loop} attempt in liveness.{operation}(...): with attempt: ...`"
    )


def attempt_finished(wait: _native.Wait, at: float, attempt: Attempt, error: BaseException | None) -> bool:
    """Reports the attempt's outcome to the Poller; whether the ``with`` block swallows ``error``
    (a failure to retry) rather than letting it out as itself."""
    __tracebackhide__ = True
    if error is None:
        wait.returned(at, attempt.result)
        return False
    return not wait.raised(at, error)


class Attempts:
    """What :func:`attempts` returns: iterate it once; ``.result`` is then the accepted value."""

    def __init__(self, options: dict[str, Any]) -> None:
        self._wait, self._completed = new_wait("eventually_passes", options)
        self._clock: _native.BlockingClock | None = None
        self._started = False
        self.result: Any = None

    def __iter__(self) -> Iterator[Attempt]:
        __tracebackhide__ = True
        if self._started:
            raise RuntimeError("liveness.attempts(...) is iterated once: call it again for another wait")
        self._started = True
        refuse_running_loop("attempts")
        return self._run()

    def _finished(self, attempt: Attempt, error: BaseException | None) -> bool:
        __tracebackhide__ = True
        assert self._clock is not None
        return attempt_finished(self._wait, self._clock.elapsed(), attempt, error)

    def _run(self) -> Iterator[Attempt]:
        __tracebackhide__ = True
        wait = self._wait
        clock = self._clock = _native.BlockingClock(wait.wake_patterns or None, wait.wake_paths or None)
        try:
            while True:
                step, arg = wait.next(clock.elapsed())
                if step == "evaluate":
                    attempt = Attempt(self, wait.started(clock.elapsed()))
                    yield attempt
                    if attempt._state != "done":
                        raise not_run("attempts", attempt)
                elif step == "wait":
                    clock.wait(arg or 0.0)
                elif step == "done":
                    self.result = wait.result()
                    return
                # "yield" (only on an event loop) and "prepare" (not in eventually_passes): nothing.
                hint = clock.take_hint()
                if hint is not None:
                    wait.wake(hint)
        except _ReportedError as err:
            failure = self._completed(err)
            if failure is err:
                raise
            raise failure  # noqa: B904 - its __cause__ is the wait's failure (set by completed)
        finally:
            wait.leave_budget()  # however it ended: a kept traceback must not keep its share
            clock.close()


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
) -> Attempts:
    """The block form of :func:`liveness.eventually_passes` (same options, report and rules)::

        for attempt in liveness.attempts(timeout=2):
            with attempt:
                assert out.read_text() == "3"

    The options are checked here; the timeout counts from the start of the loop."""
    __tracebackhide__ = True
    return Attempts(
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
        )
    )
