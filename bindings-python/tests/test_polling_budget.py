"""The polling budget shared by the waits on one clock (SPEC §2), as a Python user meets it."""

from __future__ import annotations

import asyncio

import pytest

import liveness
from liveness import aio
from liveness.testing import VirtualClock

from .support.virtual_loop import VirtualTimeLoop


class Broken(Exception):
    """The system under test is broken: the wait must stop at once (``fail_on``)."""


def test_a_wait_whose_error_propagated_does_not_slow_later_waits() -> None:
    kept: list[BaseException] = []
    cheap_calls = 0

    async def body() -> None:
        nonlocal cheap_calls
        calls = 0

        async def costly_then_broken() -> bool:
            nonlocal calls
            calls += 1
            if calls == 1:
                with liveness.allow_sleep():  # the probe's cost: 10 ms of the loop's virtual time
                    await asyncio.sleep(0.010)  # liveness: allow-sleep(the probe's cost)
                return False
            raise Broken("the service crashed")

        try:
            await aio.eventually(costly_then_broken, timeout=5, fail_on=Broken)
        except Broken as exc:
            # A test keeps the exception (pytest.raises does); its traceback refers to the wait.
            kept.append(exc)

        def cheap() -> bool:
            nonlocal cheap_calls
            cheap_calls += 1
            return False

        with pytest.raises(liveness.TimeoutError):
            await aio.eventually(cheap, timeout=0.020, late_check=0)

    loop = VirtualTimeLoop()
    try:
        loop.run_until_complete(body())
    finally:
        loop.close()
    assert kept, "the broken probe's error propagated"
    # Alone, a cheap wait is evaluated every millisecond. Had the ended wait kept its share of the
    # budget (its 10 ms evaluation), this one would poll every 50 ms: 2 evaluations in 20 ms.
    assert cheap_calls >= 15


def test_a_sync_wait_whose_error_propagated_does_not_slow_later_waits() -> None:
    kept: list[BaseException] = []
    with VirtualClock() as clock:
        calls = 0

        def costly_then_broken() -> bool:
            nonlocal calls
            calls += 1
            if calls == 1:
                clock.advance(0.010)  # the probe's cost: 10 ms of the virtual clock
                return False
            raise Broken("the service crashed")

        try:
            liveness.eventually(costly_then_broken, timeout=5, fail_on=Broken)
        except Broken as exc:
            kept.append(exc)  # its traceback refers to the wait, which stays alive

        cheap_calls = 0

        def cheap() -> bool:
            nonlocal cheap_calls
            cheap_calls += 1
            return False

        with pytest.raises(liveness.TimeoutError):
            liveness.eventually(cheap, timeout=0.020, late_check=0)
    assert kept
    assert cheap_calls >= 15  # 2 had the ended wait kept its 10 ms share (see above)
