"""What pytest users tripped over (issue 13, point 11), each through a real pytest session."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_forgotten_await_fails_the_test_naming_the_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_forgot="""
        import asyncio
        from liveness import aio

        def test_forgot():
            async def main():
                aio.eventually(lambda: False, timeout=0.01)
            asyncio.run(main())

        def test_awaited():
            async def main():
                return await aio.eventually(lambda: 1)
            assert asyncio.run(main()) == 1
        """
    )
    result = run(pytester, "-W", "error::RuntimeWarning")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_forgot.py:6: liveness.aio.eventually(...) was never awaited*"])
    assert "coroutine 'eventually' was never awaited" not in result.stdout.str()


def test_a_coroutine_probe_error_shows_no_liveness_frames(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import liveness
        def test_async_probe():
            async def probe():
                return True
            liveness.eventually(probe)
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*TypeError: eventually: the probe is a coroutine function*"])
    assert "_ops.py" not in result.stdout.str()


# On the virtual clock: with real time a loaded machine ends a 20 ms wait late, and the headline
# ("(3 evaluations)", "ending 0.01 s past the deadline") that these tests read changes with it.
FAILING = """
import liveness
from liveness.testing import VirtualClock
def test_timeout():
    def block():
        assert 1 == 2
    with VirtualClock():
        liveness.eventually_passes(block, timeout=0.02, interval=0.01)
def test_plain():
    with VirtualClock():
        liveness.eventually(lambda: False, timeout=0.02, interval=0.01)
"""


def test_tb_line_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAILING)
    result = run(pytester, "--tb=line")
    result.assert_outcomes(failed=2)
    # One crash line per failure, the headline only. (pytest >= 9.2 also prints the `E` line
    # above it, and the short summary repeats the headline, cut to the terminal's width.)
    crash_lines = [line for line in result.stdout.lines if re.search(r"\.py:\d+: liveness\.TimeoutError: ", line)]
    assert len(crash_lines) == 2, result.stdout.str()
    assert all(line.endswith("(3 evaluations)") for line in crash_lines), result.stdout.str()
    assert not any("last:" in line or "history:" in line for line in result.stdout.lines), result.stdout.str()


def test_the_short_summary_under_xdist_is_the_liveness_headline(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x=FAILING)
    result = run(pytester, "-n", "1", "-rf")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["FAILED test_x.py::test_timeout - liveness.TimeoutError: eventually_passes*"])
    assert "- AssertionError: assert 1 == 2" not in result.stdout.str()


def test_forbidden_sleep_is_reported_at_the_end_and_cleanup_runs(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        helpers="""
        import time
        def pause():
            time.sleep(0.001)   # a helper of the suite is test code
        """,
        test_sleepy="""
        import time, pytest, liveness
        import helpers
        cleaned = []
        def test_cleanup_runs():
            try:
                time.sleep(0.001)
            finally:
                cleaned.append(1)
        def test_cleanup_ran():
            assert cleaned == [1]
        def test_helper():
            helpers.pause()
        def test_sleep_in_a_probe_is_reported_not_retried():
            calls = []
            def probe():
                calls.append(1)
                time.sleep(0.001)
                return True
            liveness.eventually(probe)
            assert calls == [1]
        def test_allowed():
            with liveness.allow_sleep():
                time.sleep(0.001)   # the scenario itself
        """,
    )
    result = run(pytester, "--liveness-forbid-sleep", "-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*test_sleepy.py:6 called time.sleep(0.001)*allow_sleep*",
            "*helpers.py:3 called time.sleep(0.001)*",
            "*test_sleepy.py:17 called time.sleep(0.001)*",
        ]
    )


def test_star_import_keeps_the_builtin_timeout_error() -> None:
    code = "from liveness import *\nimport builtins, liveness\nassert TimeoutError is builtins.TimeoutError\n"
    code += "assert issubclass(liveness.TimeoutError, AssertionError)\n"
    subprocess.run([sys.executable, "-c", code], check=True)
