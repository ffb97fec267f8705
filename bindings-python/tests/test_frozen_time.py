"""Waits while a test freezes time (issue 13, point 10): freezegun and time-machine patch
``time.monotonic()``; deadlines and pytest-timeout budgets use the native monotonic clock, which
they cannot stop, and a frozen event-loop clock is refused with an error instead of a hang. Each
case runs in a pytest subprocess (pytest-timeout active, freezegun patching the process)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_freezegun_under_pytest_timeout_does_not_cut_waits_to_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import threading, pytest, liveness
        from freezegun import freeze_time
        import time_machine

        @pytest.mark.timeout(60)
        @freeze_time("2024-01-01")
        def test_freezegun():
            done = []
            threading.Timer(0.05, done.append, (1,)).start()
            assert liveness.eventually(lambda: done, timeout=5) == [1]

        @pytest.mark.timeout(60)
        def test_time_machine():
            done = []
            with time_machine.travel("2024-01-01", tick=False):
                threading.Timer(0.05, done.append, (1,)).start()
                assert liveness.eventually(lambda: done, timeout=5) == [1]

        @pytest.mark.timeout(60)
        def test_freezegun_started_inside_the_test():
            with freeze_time("2024-01-01"):
                with pytest.raises(liveness.TimeoutError) as info:
                    liveness.eventually(lambda: False, timeout=0.1, interval=0.02)
            assert "timeout cut" not in str(info.value)
            assert info.value.evaluations > 1
        """
    )
    run(pytester).assert_outcomes(passed=3)


def test_a_frozen_event_loop_clock_is_an_error_not_a_hang(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio, pytest, trio, liveness
        from liveness import aio
        from freezegun import freeze_time

        @pytest.mark.timeout(30)
        def test_asyncio_frozen():
            with freeze_time("2024-01-01"):
                with pytest.raises(RuntimeError, match=r"does not advance.*real_asyncio=True"):
                    asyncio.run(aio.eventually(lambda: False, timeout=1))

        @pytest.mark.timeout(30)
        def test_asyncio_real_asyncio_works():
            with freeze_time("2024-01-01", real_asyncio=True):
                with pytest.raises(liveness.TimeoutError):
                    asyncio.run(aio.eventually(lambda: False, timeout=0.05))

        @pytest.mark.timeout(30)
        def test_trio_frozen():
            with freeze_time("2024-01-01"):
                with pytest.raises(RuntimeError, match=r"trio's clock.*does not advance.*ignore=\\['trio'\\]"):
                    trio.run(aio.eventually, lambda: False)
            with freeze_time("2024-01-01", ignore=["trio"]):
                assert trio.run(aio.eventually, lambda: 7) == 7

        @pytest.mark.timeout(30)
        def test_the_block_form_too():
            async def main():
                async for attempt in aio.attempts(timeout=1):
                    with attempt:
                        pass
            with freeze_time("2024-01-01"):
                with pytest.raises(RuntimeError, match="real_asyncio=True"):
                    asyncio.run(main())
        """
    )
    run(pytester).assert_outcomes(passed=4)


def test_waits_on_a_virtual_clock_are_not_cut_for_pytest_timeout(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest, trio, trio.testing, liveness
        from liveness import aio
        from liveness.testing import VirtualClock, VirtualTimeLoop

        @pytest.mark.timeout(5)
        def test_sync_virtual_clock():
            with VirtualClock() as clock:
                with pytest.raises(liveness.TimeoutError) as info:
                    liveness.eventually(lambda: False, timeout=3600, interval=60)
                assert clock.now() >= 3600
            assert "timeout cut" not in str(info.value)

        @pytest.mark.timeout(5)
        def test_virtual_time_loop():
            loop = VirtualTimeLoop()
            try:
                with pytest.raises(liveness.TimeoutError, match="not met after 3600.00 s"):
                    loop.run_until_complete(aio.eventually(lambda: False, timeout=3600, interval=60))
            finally:
                loop.close()

        @pytest.mark.timeout(5)
        def test_trio_mock_clock():
            with pytest.raises(liveness.TimeoutError, match="not met after 3600.00 s"):
                trio.run(
                    lambda: aio.eventually(lambda: False, timeout=3600, interval=60),
                    clock=trio.testing.MockClock(autojump_threshold=0),
                )

        @pytest.mark.timeout(5)
        def test_real_time_is_still_cut():
            with pytest.raises(liveness.TimeoutError, match="timeout cut"):
                liveness.eventually(lambda: False, timeout=3600, interval=0.5)
        """
    )
    run(pytester).assert_outcomes(passed=4)
