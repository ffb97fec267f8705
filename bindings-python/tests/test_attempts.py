"""The block form (issue 13, point 8): ``for attempt in liveness.attempts(...): with attempt: ...``
and ``async for`` in ``liveness.aio``. The schedule, the report and the rules are pinned by the
conformance vectors (test_conformance.py runs every eventually_passes case through it); these
are what only the block form has."""

from __future__ import annotations

import asyncio

import pytest
import trio
import trio.testing

import liveness
from liveness import aio
from liveness.testing import VirtualClock

pytest_plugins = ["pytester"]


def test_passes_once_the_block_runs_without_raising() -> None:
    calls: list[int] = []
    with VirtualClock():
        waiting = liveness.attempts(timeout=5, interval=0.1)
        for attempt in waiting:
            with attempt:
                calls.append(attempt.number)
                attempt.result = len(calls)
                assert len(calls) == 3
    assert calls == [1, 2, 3]
    assert waiting.result == 3


def test_the_last_failure_is_the_cause_and_the_report_is_eventually_passes() -> None:
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        for attempt in liveness.attempts(timeout=1, interval=0.25, late_check=0):
            with attempt:
                assert attempt.number < 0, f"attempt {attempt.number}"
    assert str(info.value).startswith("eventually_passes: not met after 1.00 s (5 evaluations)")
    assert isinstance(info.value.__cause__, AssertionError)
    assert "attempt 5" in str(info.value.__cause__)


def test_a_result_of_false_is_a_failure() -> None:
    with VirtualClock(), pytest.raises(liveness.TimeoutError, match="returned False"):
        for attempt in liveness.attempts(timeout=0.1, interval=0.05):
            with attempt:
                attempt.result = False


def test_fail_on_and_base_exceptions_propagate_as_themselves() -> None:
    seen: list[int] = []
    with pytest.raises(KeyError):
        for attempt in liveness.attempts(timeout=5, fail_on=KeyError):
            with attempt:
                seen.append(1)
                raise KeyError("stop")
    with pytest.raises(KeyboardInterrupt):
        for attempt in liveness.attempts(timeout=5):
            with attempt:
                seen.append(2)
                raise KeyboardInterrupt
    assert seen == [1, 2]


def test_retry_on_a_list_of_types() -> None:
    calls: list[int] = []
    for attempt in liveness.attempts(timeout=5, interval=0, retry_on=[KeyError]):
        with attempt:
            calls.append(1)
            if len(calls) < 3:
                raise KeyError("not yet")
    assert len(calls) == 3


def test_bad_options_fail_at_the_call() -> None:
    with pytest.raises(ValueError, match="timeout"):
        liveness.attempts(timeout=-1)


def test_an_attempt_not_run_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match=r"attempt #1 was not run.*with attempt"):
        for _attempt in liveness.attempts(timeout=1):
            pass


def test_iterated_once() -> None:
    waiting = liveness.attempts(timeout=1)
    for attempt in waiting:
        with attempt:
            pass
    with pytest.raises(RuntimeError, match="iterated once"):
        iter(waiting)


def test_refused_inside_a_running_event_loop() -> None:
    async def main() -> None:
        with pytest.raises(RuntimeError, match=r"running asyncio event loop.*liveness\.aio\.attempts"):
            for _ in liveness.attempts(timeout=1):
                pass

    asyncio.run(main())


def test_wake_on_ends_the_pause_early() -> None:
    with VirtualClock() as clock:
        for attempt in liveness.attempts(timeout=60, interval=10, wake_on="job.done"):
            with attempt:
                if attempt.number == 1:
                    liveness.emit("job.done")
                assert attempt.number == 2
        assert clock.now() == 0  # woken by the hint: no interval waited


def test_asyncio_and_trio() -> None:
    async def body() -> int:
        waiting = aio.attempts(timeout=5, interval=0.1)
        async for attempt in waiting:
            with attempt:
                await asyncio.sleep(0) if asyncio_running() else await trio.lowlevel.checkpoint()
                attempt.result = attempt.number
                assert attempt.number == 3
        return int(waiting.result)

    def asyncio_running() -> bool:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        return True

    from .support.virtual_loop import VirtualTimeLoop

    loop = VirtualTimeLoop()
    try:
        assert loop.run_until_complete(body()) == 3
    finally:
        loop.close()
    assert trio.run(body, clock=trio.testing.MockClock(autojump_threshold=0)) == 3


def test_pytest_introspects_the_inline_assert(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import liveness
        from liveness import aio
        import trio

        def test_sync():
            out = {"n": 2}
            for attempt in liveness.attempts(timeout=0.05, interval=0.01):
                with attempt:
                    assert out["n"] == 3

        def test_trio():
            async def main():
                out = {"n": 2}
                async for attempt in aio.attempts(timeout=0.05, interval=0.01):
                    with attempt:
                        assert out["n"] + 1 == 4
            trio.run(main)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*eventually_passes: not met after*",
            "*assert 2 == 3*",
            "*eventually_passes: not met after*",
            "*assert (2 + 1) == 4*",
        ]
    )
    # The failure points at the test's own lines, not at liveness.
    assert "_attempts.py" not in result.stdout.str()
    assert "aio.py" not in result.stdout.str()
