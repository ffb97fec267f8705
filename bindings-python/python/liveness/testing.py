"""Hooks for testing code that waits with liveness, and for testing liveness itself: a stable API.

:class:`VirtualClock` replaces the clock of the synchronous operations (``liveness.eventually``
and the others) on the current thread while a ``with`` block lasts: their waits take no real
time (the clock jumps ahead instead of sleeping), a probe "takes" time by advancing the clock, and
a test can assert exact evaluation times::

    from liveness.testing import VirtualClock

    with VirtualClock() as clock:
        def probe():
            clock.advance(0.003)          # each evaluation takes 3 ms
            return False
        with pytest.raises(liveness.TimeoutError, match="not met after 60.00 s"):
            liveness.eventually(probe, timeout=60)
        assert clock.now() == pytest.approx(60.003)   # no real time passed

``liveness.aio`` waits on the running event loop's clock instead (it reads time only from
``loop.time()`` / ``trio.current_time()``): give it virtual time with the loop's own means. For
trio that is ``trio.testing.MockClock(autojump_threshold=0)``; for asyncio, :class:`VirtualTimeLoop`::

    loop = VirtualTimeLoop()
    try:
        loop.run_until_complete(liveness.aio.eventually(probe, timeout=60))  # no real minute passes
    finally:
        loop.close()
"""

from __future__ import annotations

import asyncio
import selectors
import threading
from types import TracebackType
from typing import Any

from . import _native

__all__ = ["VirtualClock", "VirtualTimeLoop"]


class VirtualClock:
    """A clock that moves only when told to, in seconds from 0. Any thread may read or advance
    it; ``with clock:`` installs it on the current thread (only), and installations nest: the
    synchronous waits started on that thread inside the block use it."""

    def __init__(self) -> None:
        self._clock = _native.VirtualClock()
        self._threads = threading.local()  # each thread's own stack of installations

    def now(self) -> float:
        """Seconds since the clock was made, plus every advance."""
        return self._clock.now()

    def advance(self, seconds: float) -> None:
        """Moves the clock forward (a probe "taking" this long, another part of a test passing
        time). ``seconds`` must be a number, not negative."""
        self._clock.advance(seconds)

    def __enter__(self) -> VirtualClock:
        self._stack().append(self._clock.install())
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stack().pop().uninstall()

    def _stack(self) -> list[_native.InstalledClock]:
        stack: list[_native.InstalledClock] | None = getattr(self._threads, "stack", None)
        if stack is None:
            stack = self._threads.stack = []
        return stack

    def __repr__(self) -> str:
        return f"<liveness.testing.VirtualClock at {self.now():g} s>"


class _VirtualSelector(selectors.DefaultSelector):
    """Waits for I/O without waiting for time: where the loop would sleep until its next timer,
    its clock jumps there instead."""

    def __init__(self, loop: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[Any, int]]:
        ready: list[tuple[Any, int]] = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            # Nothing scheduled: only another thread (call_soon_threadsafe) or I/O can wake it.
            return super().select(None)
        self._loop.advance(timeout)
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop on virtual time, for tests: ``time()`` starts at 0 and moves only when
    the loop has nothing to run but timers (it jumps to the next one instead of blocking) or when
    a test calls :meth:`advance` (a synchronous probe "taking" time). I/O and
    ``call_soon_threadsafe`` still work for real: with nothing scheduled at all, the loop blocks
    until another thread wakes it."""

    def __init__(self) -> None:
        self._now = 0.0
        super().__init__(_VirtualSelector(self))

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Moves the loop's clock forward; due timers run at the loop's next turn."""
        self._now += seconds
