"""Test frameworks' own exceptions inside a probe (issue 12, point 9): ``pytest.fail()`` is a
failed evaluation like a failed ``assert`` (its ``Failed`` is a ``BaseException``), while the
frameworks' control flow (skip, xfail, exit, ``unittest.SkipTest``) and the interpreter's
(``KeyboardInterrupt``, ``SystemExit``, ``GeneratorExit``, cancellation) propagate at once.

In a child pytest run (pytester, subprocess): the outcomes are the child's, and an outcome that
escaped would end this session's test instead of being observed."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_pytest_fail_in_a_block_is_retried_and_shown_as_the_last_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fail="""
        import pytest, trio, trio.testing, liveness
        from liveness import aio
        from liveness.testing import VirtualClock

        def failing_then_passing(calls, until=3):
            def block():
                calls.append(1)
                if len(calls) < until:
                    pytest.fail(f"not yet ({len(calls)})")
                return "done"
            return block

        def test_sync_retries():
            calls = []
            with VirtualClock():
                assert liveness.eventually_passes(failing_then_passing(calls), interval=0.01) == "done"
            assert len(calls) == 3

        def test_sync_timeout_shows_it():
            calls = []
            with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
                liveness.eventually_passes(
                    failing_then_passing(calls, 10**9), timeout=0.05, interval=0.01, late_check=0
                )
            assert len(calls) == 6
            assert "last: Failed: not yet (6)" in str(info.value)
            assert isinstance(info.value.__cause__, pytest.fail.Exception)

        def test_asyncio_retries():
            import asyncio
            from liveness.testing import VirtualTimeLoop
            calls = []
            loop = VirtualTimeLoop()
            try:
                got = loop.run_until_complete(aio.eventually_passes(failing_then_passing(calls), interval=0.01))
            finally:
                loop.close()
            assert got == "done" and len(calls) == 3

        def test_trio_retries():
            calls = []
            async def main():
                return await aio.eventually_passes(failing_then_passing(calls), interval=0.01)
            assert trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0)) == "done"
            assert len(calls) == 3

        def test_retry_on_still_decides():
            calls = []
            with VirtualClock(), pytest.raises(pytest.fail.Exception, match="not yet"):
                liveness.eventually_passes(failing_then_passing(calls), retry_on=KeyError)
            assert len(calls) == 1

        def test_a_failing_test_reports_the_liveness_message():
            # Virtual time: on a loaded machine a real 20 ms wait reports "after 0.03 s".
            with VirtualClock():
                liveness.eventually_passes(lambda: pytest.fail("still red"), timeout=0.02, interval=0.01)
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*eventually_passes: not met after 0.02 s*", "*last: Failed: still red*"])


def test_control_flow_of_the_frameworks_and_the_interpreter_propagates_at_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_control="""
        import unittest, pytest, liveness
        from liveness.testing import VirtualClock

        def once(exc):
            calls = []
            def probe():
                calls.append(1)
                raise exc
            return probe, calls

        @pytest.mark.parametrize("exc", [
            unittest.SkipTest("skip it"), KeyboardInterrupt(), SystemExit(3), GeneratorExit(),
        ], ids=["SkipTest", "KeyboardInterrupt", "SystemExit", "GeneratorExit"])
        def test_propagates(exc):
            probe, calls = once(exc)
            with VirtualClock(), pytest.raises(type(exc)):
                liveness.eventually(probe, interval=0.01)
            assert len(calls) == 1

        def test_pytest_exit_is_not_retried():
            probe, calls = once(pytest.exit.Exception("stop the run"))
            with VirtualClock(), pytest.raises(pytest.exit.Exception):
                liveness.eventually(probe, interval=0.01)
            assert len(calls) == 1

        def test_skip_in_a_probe_skips_the_test():
            with VirtualClock():
                liveness.eventually(lambda: pytest.skip("not here"), interval=0.01)

        def test_xfail_in_a_probe_xfails_the_test():
            with VirtualClock():
                liveness.eventually(lambda: pytest.xfail("known"), interval=0.01)

        def test_asyncio_cancellation_propagates():
            import asyncio
            from liveness import aio
            from liveness.testing import VirtualTimeLoop
            probe, calls = once(asyncio.CancelledError())
            loop = VirtualTimeLoop()
            try:
                with pytest.raises(asyncio.CancelledError):
                    loop.run_until_complete(aio.eventually(probe, interval=0.01))
            finally:
                loop.close()
            assert len(calls) == 1
        """
    )
    result = run(pytester, "-rsx")
    result.assert_outcomes(passed=6, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["*SKIPPED*not here*", "*XFAIL*known*"])


def test_pytest_is_not_imported_by_liveness(pytester: pytest.Pytester) -> None:
    # The frameworks are looked up in sys.modules, so a program without pytest never loads it.
    pytester.makepyfile(
        check="""
        import sys, liveness
        from liveness.testing import VirtualClock
        with VirtualClock():
            try:
                liveness.eventually(lambda: 1 / 0, timeout=0.01, interval=0.005)
            except liveness.TimeoutError:
                pass
        assert "_pytest" not in sys.modules and "pytest" not in sys.modules, sorted(sys.modules)
        print("no pytest")
        """
    )
    result = pytester.runpython(pytester.path / "check.py")
    assert result.ret == 0, result.stderr.str()
    result.stdout.fnmatch_lines(["no pytest"])
