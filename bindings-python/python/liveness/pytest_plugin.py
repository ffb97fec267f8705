"""The pytest plugin of liveness, active on install (the ``pytest11`` entry point).

- ini options ``liveness_timeout``, ``liveness_interval``, ``liveness_max_interval``: session defaults;
- ``@pytest.mark.liveness(timeout=...)``: defaults for one test;
- ``--liveness-forbid-sleep`` (or ini ``liveness_forbid_sleep = true``): a ``time.sleep`` or
  ``asyncio.sleep`` called by test code fails the test at its end, naming the line
  (``liveness.allow_sleep()`` exempts a sleep that is the scenario);
- a ``liveness.aio`` wait that was never awaited fails the test, naming where it was made;
- a timeout is reported liveness message first, then the last failure's own introspection;
- under pytest-timeout, a wait that would outlive the test's limit ends just before it, with its
  own report.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Generator
from typing import Any

import pytest

from . import _config, _native
from ._errors import LivenessError, _ReportedError

INI_OPTIONS = {
    "liveness_timeout": "timeout",
    "liveness_interval": "interval",
    "liveness_max_interval": "max_interval",
}
MARKER = "liveness"

_marker_error = pytest.StashKey[str]()
_sleep_guard = pytest.StashKey["_SleepGuard"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("liveness", "liveness: waiting without sleeping")
    group.addoption(
        "--liveness-forbid-sleep",
        action="store_true",
        default=False,
        help="fail a test whose own code calls time.sleep or asyncio.sleep; wait for the state "
        "with liveness.eventually instead",
    )
    for name, option in INI_OPTIONS.items():
        parser.addini(name, f"default `{option}` of liveness waits in this session, in seconds", default="")
    parser.addini("liveness_forbid_sleep", "like --liveness-forbid-sleep", type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): defaults of liveness waits in this test ({', '.join(_config.DEFAULTABLE)}; seconds)",
    )
    defaults: dict[str, Any] = {}
    for name, option in INI_OPTIONS.items():
        raw = str(config.getini(name)).strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            raise pytest.UsageError(f"ini option {name} = {raw!r}: expected a number of seconds") from None
        try:
            _native.validate_options(**{option: value})  # type: ignore[arg-type]
        except (TypeError, ValueError) as err:
            raise pytest.UsageError(f"ini option {name}: {err}") from None
        defaults[option] = value
    _config.set_session_defaults(defaults)


def pytest_unconfigure(config: pytest.Config) -> None:
    _config.set_session_defaults({})


def _marker_defaults(item: pytest.Item) -> tuple[dict[str, Any], str | None]:
    options: dict[str, Any] = {}
    # Closest last: a function's marker overrides its class's and module's.
    for marker in reversed(list(item.iter_markers(MARKER))):
        if marker.args:
            return {}, f"@pytest.mark.{MARKER} takes keyword options only, e.g. @pytest.mark.{MARKER}(timeout=2)"
        unknown = sorted(set(marker.kwargs) - set(_config.DEFAULTABLE))
        if unknown:
            return {}, (
                f"@pytest.mark.{MARKER}: unknown option(s) {', '.join(unknown)}; "
                f"known: {', '.join(_config.DEFAULTABLE)}"
            )
        options.update(marker.kwargs)
    try:
        _native.validate_options(**options)
    except (TypeError, ValueError) as err:
        return {}, f"@pytest.mark.{MARKER}: {err}"
    return options, None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, None]:
    options, error = _marker_defaults(item)
    if error:
        item.stash[_marker_error] = error
    _config.set_test_defaults(options)
    guard = _SleepGuard(item) if _forbid_sleep(item.config) else None
    if guard:
        item.stash[_sleep_guard] = guard
        guard.install()
    _config.unawaited = []
    try:
        yield
    finally:
        if guard:
            guard.uninstall()
        _config.unawaited = None
        _config.set_test_defaults({})
        _config.set_hard_deadline(None)


# Found during a phase, reported at its end (so the test's own cleanup runs first): sleeps of test
# code under --liveness-forbid-sleep, and liveness.aio waits that were never awaited.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    problems = [*_never_awaited(), *_sleeps(item)]
    if problems and outcome.excinfo is None:
        outcome.force_exception(pytest.fail.Exception("\n".join(problems), pytrace=False))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    problems = _sleeps(item)
    if problems and outcome.excinfo is None:
        outcome.force_exception(pytest.fail.Exception("\n".join(problems), pytrace=False))


def _sleeps(item: pytest.Item) -> list[str]:
    guard = item.stash.get(_sleep_guard, None)
    return guard.take() if guard is not None else []


def _never_awaited() -> list[str]:
    pending = _config.unawaited
    if not pending:
        return []
    found = []
    for coroutine, where, operation in pending:
        if inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED:
            coroutine.close()  # no RuntimeWarning: this failure says it
            found.append(
                f"{where}: liveness.aio.{operation}(...) was never awaited, so nothing was waited for "
                f"and nothing checked; write `await liveness.aio.{operation}(...)`"
            )
    pending.clear()
    return found


def pytest_runtest_setup(item: pytest.Item) -> None:
    error = item.stash.get(_marker_error, None)
    if error:
        raise pytest.UsageError(error)


# pytest-timeout cooperation: its timer starts and stops through these hooks (when it is
# installed); waits started while it runs end just before it fires.


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> None:
    limit = getattr(settings, "timeout", None)
    if isinstance(limit, (int, float)) and limit > 0:
        _config.set_hard_deadline(_native.monotonic() + limit - _config.margin(limit), limit)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_timeout_cancel_timer(item: pytest.Item) -> None:
    _config.set_hard_deadline(None)


# Report order: the liveness message first, then the last failure as pytest shows it.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or not isinstance(call.excinfo.value, LivenessError):
        return
    if isinstance(call.excinfo.value, _ReportedError):
        report.longrepr = _liveness_first(report.longrepr)
    _one_line_crash(report.longrepr)
    if item.config.getoption("tbstyle", "auto") == "line":
        _headline_only(report.longrepr)


def _headline_only(longrepr: Any) -> None:
    """``--tb=line``: the failure as one line, as pytest shows a one-line assertion: the liveness
    exception alone (not its cause), its message cut to the headline."""
    chain = getattr(longrepr, "chain", None)
    if not chain:
        return
    tb = chain[0][0]
    for entry in getattr(tb, "reprentries", []):
        lines = getattr(entry, "lines", None)
        if isinstance(lines, list):
            first = next((i for i, line in enumerate(lines) if line.startswith("E ")), None)
            if first is not None:
                del lines[first + 1 :]
    chain[:] = [(tb, longrepr.reprcrash, None)]
    longrepr.reprtraceback = tb


def _one_line_crash(longrepr: Any) -> None:
    """The crash line (``--tb=line``, the short summary) is the headline only: a liveness message
    goes on over lines that the full report shows."""
    crash = getattr(longrepr, "reprcrash", None)
    if crash is None or "\n" not in crash.message:
        return
    one = type(crash)(crash.path, crash.lineno, crash.message.split("\n", 1)[0])
    longrepr.reprcrash = one
    chain = getattr(longrepr, "chain", None)
    if chain:
        # Under xdist the report is rebuilt from the chain, whose last element's crash becomes
        # the summary's: it must be the liveness headline, not the cause's.
        tb, _, descr = chain[-1]
        chain[-1] = (tb, one, descr)


def _liveness_first(longrepr: Any) -> Any:
    try:
        from _pytest._code.code import ExceptionChainRepr
    except ImportError:  # pragma: no cover - a pytest without it keeps its own order
        return longrepr
    if not isinstance(longrepr, ExceptionChainRepr) or len(longrepr.chain) < 2:
        return longrepr
    *earlier, (tb, crash, _) = longrepr.chain
    head = (tb, crash, "The last failure of the probe (the timeout's __cause__), as it was raised:")
    # The cause's own separator ("...direct cause of the following exception") pointed at the
    # timeout, which now comes first.
    cause_tb, cause_crash, _ = earlier[-1]
    reordered = ExceptionChainRepr([head, *earlier[:-1], (cause_tb, cause_crash, None)])
    # The one-line summary stays the liveness message.
    reordered.reprtraceback = tb
    reordered.reprcrash = crash
    for section in getattr(longrepr, "sections", []):
        reordered.addsection(*section)
    return reordered


# --liveness-forbid-sleep


def _forbid_sleep(config: pytest.Config) -> bool:
    return bool(config.getoption("liveness_forbid_sleep") or config.getini("liveness_forbid_sleep"))


class _SleepGuard:
    """Replaces ``time.sleep`` and ``asyncio.sleep`` while a test runs. A call from test code (the
    test's module, a conftest.py, or any module under the test module's directory: the suite's
    helpers), on the thread running the test, is noted and fails the test at the end of the
    phase (the sleep itself still happens, so the test's cleanup runs as written, and a sleep in
    a probe is reported rather than retried). Calls from the code under test, from threads it
    started, or inside ``liveness.allow_sleep()``, sleep as usual."""

    def __init__(self, item: pytest.Item) -> None:
        self.item = item
        path = getattr(item, "path", None)
        self.test_files: set[str] = {os.path.normcase(str(path))} if path else set()
        self.test_dir = os.path.normcase(str(path.parent)) + os.sep if path else None
        self.thread = threading.get_ident()
        self.restore: list[Callable[[], None]] = []
        self.found: list[str] = []

    def is_test_code(self, frame: types.FrameType | None) -> bool:
        if frame is None or threading.get_ident() != self.thread or _config.sleep_allowed.get():
            return False
        filename = os.path.normcase(frame.f_code.co_filename)
        return (
            filename in self.test_files
            or os.path.basename(filename) == "conftest.py"
            or (self.test_dir is not None and filename.startswith(self.test_dir))
        )

    def fail(self, frame: types.FrameType, call: str, seconds: Any) -> None:
        where = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"
        instead = "await liveness.aio.eventually(...)" if call == "asyncio.sleep" else "liveness.eventually(...)"
        self.found.append(
            f"{where} called {call}({seconds!r}): a test must not wait by sleeping "
            f"(--liveness-forbid-sleep). Wait for the state itself instead, e.g. "
            f"{instead} with a probe of the condition the sleep was waiting for "
            f"(or, for a sleep that is the scenario itself, `with liveness.allow_sleep():`)."
        )

    def take(self) -> list[str]:
        found, self.found = self.found, []
        return found

    def install(self) -> None:
        original_sleep = time.sleep
        original_async_sleep = asyncio.sleep
        guard = self

        def sleep(seconds: float) -> None:
            frame = sys._getframe(1)
            if seconds and guard.is_test_code(frame):
                guard.fail(frame, "time.sleep", seconds)
            original_sleep(seconds)

        async def async_sleep(delay: float, result: Any = None) -> Any:
            frame = sys._getframe(1)
            if delay and guard.is_test_code(frame):
                guard.fail(frame, "asyncio.sleep", delay)
            return await original_async_sleep(delay, result)

        self._replace(time, "sleep", original_sleep, sleep)
        self._replace(asyncio, "sleep", original_async_sleep, async_sleep)
        # `from time import sleep` in the test module bound the original before the test ran.
        module = getattr(self.item, "module", None)
        if module is not None:
            for name, value in list(vars(module).items()):
                if value is original_sleep:
                    self._replace(module, name, value, sleep)
                elif value is original_async_sleep:
                    self._replace(module, name, value, async_sleep)

    def _replace(self, owner: Any, name: str, original: Any, replacement: Any) -> None:
        setattr(owner, name, replacement)
        self.restore.append(lambda: setattr(owner, name, original))

    def uninstall(self) -> None:
        while self.restore:
            self.restore.pop()()


@pytest.fixture
def liveness_logging() -> Generator[Any, None, None]:
    """The ``logging`` bridge for one test: an ``EventHandler`` on the root logger (yielded), so
    ``assert_emitted`` sees what the code under test logs; removed, with the root's level, after
    the test (``liveness.logging.capture_logging``)."""
    # Imported here: only the tests that ask for the bridge load it.
    from .logging import capture_logging

    with capture_logging() as handler:
        yield handler
