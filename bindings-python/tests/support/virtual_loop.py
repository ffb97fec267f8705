"""Test helpers on virtual time: the virtual-time asyncio loop is liveness's own public test hook
(``liveness.testing.VirtualTimeLoop``)."""

from __future__ import annotations

import asyncio

import liveness
from liveness.testing import VirtualTimeLoop

__all__ = ["VirtualTimeLoop", "pending_for"]


async def pending_for(seconds: float) -> None:
    """An awaitable that stays pending this long on the running loop's clock (a zero-cost one
    completes at once). The suite runs with --liveness-forbid-sleep, which reports an
    asyncio.sleep called by test code (a virtual one included): this one is the scenario."""
    if seconds:
        with liveness.allow_sleep():
            # liveness: allow-sleep(the probe's simulated cost on the virtual loop: the scenario)
            await asyncio.sleep(seconds)
