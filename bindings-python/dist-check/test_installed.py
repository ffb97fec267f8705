"""A user's first tests, run by `make test-dist-python` against the installed wheel (or the sdist
built by pip) in a fresh venv outside the checkout, with no cargo on PATH.

Only what a user's project sees: the package as pip installed it and the pytest plugin its entry
point registers. Every wait goes through liveness itself; nothing here sleeps.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import threading
from pathlib import Path

import pytest

import liveness

pytest_plugins = ["pytester"]


def test_the_installed_package_is_the_one_under_test() -> None:
    assert liveness.__version__ == os.environ["LIVENESS_EXPECTED_VERSION"]
    assert importlib.metadata.version("liveness") == liveness.__version__
    native = Path(liveness._native.__file__).resolve()
    # The native module is the wheel's, in this venv, listed in the wheel's RECORD, and nothing
    # of the checkout was importable.
    assert native.is_relative_to(Path(sys.prefix).resolve()), native
    checkout = Path(os.environ["LIVENESS_CHECKOUT"]).resolve()
    assert not native.is_relative_to(checkout), native
    files = importlib.metadata.files("liveness") or []
    assert native in {Path(f.locate()).resolve() for f in files}
    assert not any(Path(p or ".").resolve().is_relative_to(checkout) for p in sys.path), sys.path


def test_eventually_returns_what_another_thread_made_ready() -> None:
    box: list[str] = []

    def work() -> None:
        box.append("done")
        liveness.emit("dist.ready")

    thread = threading.Thread(target=work)
    thread.start()
    assert liveness.eventually(lambda: box and box[0], wake_on="dist.ready", timeout=10) == "done"
    thread.join()


def test_eventually_passes_retries_a_failing_block() -> None:
    calls: list[int] = []

    def block() -> int:
        calls.append(1)
        assert len(calls) >= 3, "not yet"
        return len(calls)

    assert liveness.eventually_passes(block, timeout=10) == 3


def test_a_timeout_tells_the_user_why() -> None:
    def block() -> None:
        assert 1 + 1 == 3, "arithmetic is broken"

    with pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually_passes(block, attempts=3, message="the sum holds")
    text = str(info.value)
    assert "the sum holds" in text
    assert "arithmetic is broken" in text
    assert isinstance(info.value, AssertionError)
    assert isinstance(info.value.__cause__, AssertionError)


def test_assert_emitted_sees_an_event_of_another_thread() -> None:
    with liveness.assert_emitted("dist.job.finished", where={"job": "j1"}, count=1) as block:
        thread = threading.Thread(target=liveness.emit, args=("dist.job.finished", {"n": 1.0}, {"job": "j1"}))
        thread.start()
        thread.join()
    assert [event.name for event in block.events] == ["dist.job.finished"]


def test_the_pytest_plugin_is_active_on_install(pytester: pytest.Pytester) -> None:
    # A user's suite: the marker sets a test's default timeout, and --liveness-forbid-sleep fails
    # a test that sleeps, naming the line.
    pytester.makepyfile(
        """
        import time
        import pytest, liveness

        @pytest.mark.liveness(timeout=0)
        def test_marker_default():
            calls = []
            with pytest.raises(liveness.TimeoutError):
                liveness.eventually(lambda: calls.append(1))
            assert len(calls) == 1

        def test_sleeps():
            time.sleep(0.01)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--liveness-forbid-sleep")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*test_the_pytest_plugin_is_active_on_install.py:12 called time.sleep(0.01)*"])
