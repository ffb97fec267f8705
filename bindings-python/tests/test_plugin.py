"""The pytest plugin, through pytester (each case runs a real pytest session)."""

from __future__ import annotations

import re
import textwrap

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # In a subprocess: the plugin patches time.sleep and sets module-level defaults, and the
    # outer session must not see either.
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_plugin_is_registered_on_install(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(["*--liveness-forbid-sleep*", "*liveness_timeout*"])


def test_ini_timeout_sets_the_session_default(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nliveness_timeout = 0\n")
    pytester.makepyfile(
        """
        import pytest, liveness
        def test_one_evaluation():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1))
            assert len(calls) == 1   # timeout 0: exactly one evaluation
        def test_explicit_wins():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1), timeout=60, attempts=3)
            assert len(calls) == 3
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_ini_interval_and_max_interval(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nliveness_interval = 0.05\nliveness_max_interval = 0.5\n")
    pytester.makepyfile(
        """
        import pytest, liveness
        def test_interval():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1), timeout=0.05, late_check=0)
            assert len(calls) == 2   # period 0.05 s, as long as the timeout: at once and at the deadline
        def test_max_interval_is_the_default():
            with pytest.raises(ValueError, match="max_interval"):
                liveness.eventually(lambda: True, min_interval=0.6)
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_bad_ini_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nliveness_timeout = soon\n")
    pytester.makepyfile("def test_x(): pass")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*liveness_timeout*soon*number of seconds*"])
    pytester.makeini("[pytest]\nliveness_max_interval = -1\n")
    result = run(pytester)
    result.stderr.fnmatch_lines(["*liveness_max_interval*"])


def test_marker_sets_the_defaults_of_one_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest, liveness
        @pytest.mark.liveness(timeout=0)
        def test_marked():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1))
            assert len(calls) == 1
        def test_unmarked():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1), attempts=4)
            assert len(calls) == 4
        @pytest.mark.liveness(timout=1)
        def test_typo():
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*unknown option(s) timout*"])


def test_forbid_sleep_names_the_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_sleepy="""
        import time
        from time import sleep
        def test_sleeps():
            time.sleep(0.01)
        def test_sleeps_imported():
            sleep(0.01)
        def test_zero_is_a_yield():
            time.sleep(0)
        """
    )
    result = run(pytester, "--liveness-forbid-sleep")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*test_sleepy.py:4 called time.sleep(0.01): a test must not wait by sleeping*liveness.eventually*",
            "*test_sleepy.py:6 called time.sleep(0.01)*",
        ]
    )
    # Without the flag, the same tests pass.
    run(pytester).assert_outcomes(passed=3)


def test_forbid_sleep_allows_the_code_under_test(pytester: pytest.Pytester) -> None:
    # The code under test lives outside the tests' directory (modules under it are test code).
    pytester.makepyfile(
        service="""
        import time
        def slow_start():
            time.sleep(0.01)   # the service's own behaviour
            return "up"
        """
    )
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_service.py").write_text(
        textwrap.dedent(
            """
        import asyncio, threading, time, pytest, liveness
        import service
        def test_service_may_sleep():
            assert service.slow_start() == "up"
        def test_threads_of_the_test_may_sleep():
            done = []
            threading.Thread(target=lambda: (time.sleep(0.01), done.append(1))).start()
            liveness.eventually(lambda: done)
        """
        )
    )
    run(pytester, "--liveness-forbid-sleep", "tests").assert_outcomes(passed=2)


def test_forbid_sleep_catches_asyncio_sleep(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nliveness_forbid_sleep = true\nasyncio_mode = auto\n")
    pytester.makepyfile(
        test_async="""
        import asyncio, liveness.aio
        async def test_sleeps():
            await asyncio.sleep(0.01)
        async def test_waits_properly():
            flag = []
            asyncio.get_running_loop().call_soon(flag.append, 1)
            await liveness.aio.eventually(lambda: flag)
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_async.py:3 called asyncio.sleep(0.01)*liveness.aio.eventually*"])


def test_timeout_report_shows_the_liveness_message_first(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_report="""
        import liveness
        def test_file():
            state = {"text": ""}
            def holds_three():
                assert state["text"] == "3"
            liveness.eventually_passes(holds_three, timeout=0.05, message="file holds 3")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    head = out.index('eventually_passes "file holds 3": not met after')
    introspection = out.index("AssertionError: assert '' == '3'")
    assert head < introspection, out
    assert "The last failure of the probe" in out
    assert "direct cause of the following exception" not in out
    # The one-line summary is the liveness message.
    result.stdout.fnmatch_lines(["FAILED test_report.py::test_file - liveness.TimeoutError*"])


def test_a_wait_ends_before_pytest_timeout_with_its_own_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_slow="""
        import pytest, liveness
        @pytest.mark.timeout(1)
        def test_long_wait():
            liveness.eventually(lambda: False, timeout=30, message="never true")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert 'eventually "never true": not met after' in out
    assert "cut to" in out
    assert "pytest-timeout's 1 s limit" in out
    assert "Timeout (>1.0s)" not in out  # pytest-timeout did not have to kill it


def test_the_late_check_is_shortened_to_end_before_pytest_timeout(pytester: pytest.Pytester) -> None:
    # The wait (0.6 s) fits in the 1 s limit, its default late check (up to 0.6 s more) does not:
    # the check is shortened, not the wait, and pytest-timeout never has to kill the test.
    pytester.makepyfile(
        test_late="""
        import pytest, liveness
        @pytest.mark.timeout(1)
        def test_wait_then_late_check():
            liveness.eventually(lambda: False, timeout=0.6, message="never true")
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert 'eventually "never true": not met after 0.60 s' in out
    late = re.search(r"late: still not met (\d+\.\d+) s after the deadline", out)
    assert late is not None, out
    assert float(late.group(1)) < 0.6, out  # what was left of the limit, not the whole 0.60 s
    assert "cut to" not in out
    assert "Timeout (>1.0s)" not in out


def test_an_infinite_timeout_ends_before_pytest_timeout_with_its_own_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_forever="""
        import math, pytest, liveness
        @pytest.mark.timeout(1)
        def test_unbounded_wait():
            liveness.eventually(lambda: False, timeout=math.inf, message="never true")
        @pytest.mark.timeout(1)
        def test_unbounded_with_a_long_interval():
            # An interval longer than what is left of the limit must not become a contradiction.
            liveness.eventually(lambda: False, timeout=math.inf, interval=3600)
        @pytest.mark.timeout(1)
        def test_a_contradiction_as_written_is_still_reported():
            with pytest.raises(ValueError, match="`interval`"):
                liveness.eventually(lambda: False, timeout=10, interval=3600)
        """
    )
    result = run(pytester)
    result.assert_outcomes(failed=2, passed=1)
    out = result.stdout.str()
    assert 'eventually "never true": not met after' in out
    assert out.count("pytest-timeout's 1 s limit") == 2
    assert "Timeout (>1.0s)" not in out  # pytest-timeout did not have to kill them
