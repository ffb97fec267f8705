"""Events from Python (SPEC §5): ``emit`` and the handler functions are the native ones (an idle
``emit`` must stay cheap); captures and assertions are context managers, also usable with
``async with``, whose body is the block."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

from . import _native
from ._native import Event

__all__ = [
    "Capture",
    "EventAssertion",
    "capture",
    "assert_emitted",
    "assert_not_emitted",
    "assert_emitted_in_order",
    "scoped_thread",
]

Patterns = str | Sequence[str]
Where = Mapping[str, Any] | Callable[[Event], object] | None


class _Scoping:
    """Opens the native capture of a block, and for a scoped one a new scope nested in the current
    one, made current (the context variable) for the block and reset by token when it ends."""

    def __init__(self, patterns: Patterns, scoped: bool) -> None:
        if not isinstance(scoped, bool):
            raise TypeError(f"`scoped` must be True or False, got {scoped!r}")
        self._scoped = scoped
        self._token: contextvars.Token[_native.Scope | None] | None = None

    def _open(self, patterns: Patterns) -> _native.Capture:
        if not self._scoped:
            return _native.Capture(patterns)
        scope = _native.Scope.child_of(_native.current_scope.get())
        native = _native.Capture(patterns, scope)
        self._token = _native.current_scope.set(scope)
        return native

    def _leave(self) -> None:
        if self._token is not None:
            token, self._token = self._token, None
            _native.current_scope.reset(token)


class Capture(_Scoping):
    """Records, in emit order, every event matching the patterns, from any thread, between
    entering and leaving the ``with`` block (closed on exit even when the block raised). With
    ``scoped=True``, only the events of this block's scope (its tasks', threads started by
    :func:`scoped_thread`), of scopes nested in it, and of no scope (SPEC §5)."""

    def __init__(self, patterns: Patterns = "**", *, scoped: bool = False) -> None:
        super().__init__(patterns, scoped)
        _native.Capture(patterns).close()  # bad patterns fail here, before the block runs
        self._patterns = patterns
        self._native: _native.Capture | None = None

    def __enter__(self) -> Capture:
        self._native = self._open(self._patterns)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._native is not None:
                self._native.close()
        finally:
            self._leave()

    async def __aenter__(self) -> Capture:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc, tb)

    @property
    def events(self) -> list[Event]:
        """The events recorded so far (all of them once the block is over)."""
        return self._native.events() if self._native is not None else []

    def __len__(self) -> int:
        return len(self.events)


def capture(patterns: Patterns = "**", *, scoped: bool = False) -> Capture:
    """``with capture("breaker.*") as c: ...`` then ``c.events``; ``scoped=True`` records only
    this block's own events (and those of no scope), not a concurrent test's."""
    return Capture(patterns, scoped=scoped)


def scoped_thread(target: Callable[..., object], /, *args: Any, **kwargs: Any) -> threading.Thread:
    """A ``threading.Thread`` (not started) running ``target(*args, **kwargs)`` in a copy of the
    current context taken now, so its events belong to the current scope: a plain thread runs
    in no scope (SPEC §5)."""
    context = contextvars.copy_context()
    return threading.Thread(target=context.run, args=(target, *args), kwargs=kwargs)


def _check_where(where: Where) -> None:
    if where is None or callable(where) or isinstance(where, Mapping):
        return
    raise TypeError(f"`where` must be a dict of expected metadata or a predicate on the event, got {where!r}")


class EventAssertion(_Scoping):
    """Records every event while the block runs, then checks them when the block completed
    without raising (an exception from the block propagates as is). Scoped like :class:`Capture`."""

    def __init__(self, check: Callable[[list[Event]], None], patterns: Patterns, scoped: bool = False) -> None:
        super().__init__(patterns, scoped)
        _native.Capture(patterns).close()  # bad patterns fail before the block runs
        self._check = check
        self._native: _native.Capture | None = None

    def __enter__(self) -> EventAssertion:
        # Everything, not only the matching events: a failure shows what came close.
        self._native = self._open("**")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        __tracebackhide__ = True
        assert self._native is not None
        try:
            self._native.close()
        finally:
            self._leave()
        if exc_type is None:
            self._check(self._native.events())

    async def __aenter__(self) -> EventAssertion:
        return self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        __tracebackhide__ = True
        self.__exit__(exc_type, exc, tb)

    @property
    def events(self) -> list[Event]:
        """Every event emitted during the block."""
        return self._native.events() if self._native is not None else []


def assert_emitted(
    pattern: str, where: Where = None, count: int | None = None, *, scoped: bool = False
) -> EventAssertion:
    """``with assert_emitted("breaker.state_change", where={"to": "open"}): trip(breaker)``

    Passes when at least one event (or exactly ``count``) emitted during the block matches the
    pattern and ``where`` (a dict of expected metadata, or a predicate on the event). Raises
    ``liveness.EventAssertionError`` listing what was emitted instead."""
    _check_where(where)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise TypeError(f"`count` must be a whole number, got {count!r}")
    if count is not None and count < 0:
        raise ValueError(f"`count` must not be negative, got {count}")

    def check(events: list[Event]) -> None:
        __tracebackhide__ = True
        _native.check_emitted(events, pattern, where, count)

    return EventAssertion(check, pattern, scoped)


def assert_not_emitted(pattern: str, where: Where = None, *, scoped: bool = False) -> EventAssertion:
    """Passes when no event emitted during the block matches the pattern and ``where``."""
    _check_where(where)

    def check(events: list[Event]) -> None:
        __tracebackhide__ = True
        _native.check_not_emitted(events, pattern, where)

    return EventAssertion(check, pattern, scoped)


def assert_emitted_in_order(patterns: Sequence[str], *, scoped: bool = False) -> EventAssertion:
    """Passes when events matching ``patterns`` were emitted in this order during the block
    (other events may come between)."""
    if isinstance(patterns, str):
        raise TypeError("assert_emitted_in_order takes a list of patterns, e.g. ['job.started', 'job.done']")
    patterns = list(patterns)

    def check(events: list[Event]) -> None:
        __tracebackhide__ = True
        _native.check_emitted_in_order(events, patterns)

    return EventAssertion(check, patterns, scoped)
