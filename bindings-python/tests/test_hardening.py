"""Issue 10, Python's points: liveness must never crash, hang or abort the process that uses it.

Every reproducer that crashed, aborted or hung before its fix runs in a child process (with a
bound on its time), so a regression fails the test instead of taking the runner down with it.
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import liveness
from liveness import aio, capture, emit

CHILD_TIMEOUT = 60


def run_child(code: str, *args: str, cwd: Any = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        cwd=cwd,
    )


# --- 1. cyclic and deeply nested metadata ---------------------------------------------------

CYCLES = """
import sys
import liveness
kind = sys.argv[1]
if kind == "list":
    value = []
    value.append(value)
elif kind == "dict":
    value = {}
    value["d"] = value
else:
    value = []
    for _ in range(20_000):
        value = [value]
with liveness.capture("**") as c:
    try:
        liveness.emit("a.b", None, {"l": value})
    except ValueError as err:
        print("ValueError:", err)
    liveness.emit("a.c", None, {"ok": [1, 2]})
print("events:", [e.name for e in c.events])
"""


@pytest.mark.parametrize("kind", ["list", "dict", "deep"])
def test_cyclic_or_deep_metadata_does_not_crash_the_process(kind: str) -> None:
    # Before: SIGSEGV (exit -11) for all three, with a capture open.
    child = run_child(CYCLES, kind)
    assert child.returncode == 0, child.stderr
    assert 'ValueError: invalid metadata: metadata["l"]' in child.stdout
    assert "events: ['a.c']" in child.stdout  # the capture stayed usable


def _self_list() -> Any:
    value: list[Any] = []
    value.append(value)
    return value


def _self_dict() -> Any:
    value: dict[str, Any] = {}
    value["d"] = value
    return value


def _through_a_tuple() -> Any:
    inner: list[Any] = []
    value = ({"x": inner},)
    inner.append(value)
    return value


@pytest.mark.parametrize("make", [_self_list, _self_dict, _through_a_tuple])
@pytest.mark.parametrize("listened", [True, False])
def test_metadata_that_contains_itself_is_a_value_error(make: Callable[[], Any], listened: bool) -> None:
    with capture("**") if listened else capture("nothing.here") as c:
        with pytest.raises(ValueError, match=r'metadata\["key"\] contains itself'):
            emit("a.b", None, {"key": make()})
        emit("a.b", None, {"key": [1, 2]})
    if listened:
        assert [e.metadata for e in c.events] == [{"key": [1, 2]}]


def test_metadata_that_is_its_own_value_is_a_value_error() -> None:
    metadata: dict[str, Any] = {}
    metadata["me"] = metadata
    with capture("**"), pytest.raises(ValueError, match="metadata dict itself"):
        emit("a.b", None, metadata)


def test_a_shared_list_is_not_a_cycle() -> None:
    shared = [1]
    with capture("**") as c:
        emit("a.b", None, {"two": [shared, shared], "again": shared})
    assert c.events[0].metadata == {"two": [[1], [1]], "again": [1]}


def nested(levels: int) -> Any:
    value: Any = 0
    for _ in range(levels):
        value = [value]
    return value


@pytest.mark.parametrize("listened", [True, False])
def test_metadata_nests_as_deep_as_the_c_binding_accepts_and_no_deeper(listened: bool) -> None:
    # The C binding (serde_json, MAX_PAYLOAD_DEPTH) takes {"l": 126 nested lists} and refuses 127:
    # the metadata map is the first of the 127 levels it accepts.
    with capture("**") if listened else capture("nothing.here") as c:
        emit("a.b", None, {"l": nested(126)})
        with pytest.raises(ValueError, match="deeper than 128 levels"):
            emit("a.b", None, {"l": nested(127)})
        with pytest.raises(ValueError, match="deeper than 128 levels"):
            emit("a.b", None, {"l": nested(20_000)})
    if listened:
        assert len(c.events) == 1


def test_a_where_dict_is_bounded_too() -> None:
    with (
        pytest.raises(ValueError, match="contains itself"),
        liveness.assert_emitted("a.b", where={"l": _self_list()}),
    ):
        emit("a.b")


# --- 2. exit code 134 at interpreter exit -----------------------------------------------------

DAEMONS_EMITTING = """
import threading
import liveness

calls = [0]

def handler(event):
    calls[0] += 1

liveness.attach("h", "**", handler)

def spin():
    while True:
        liveness.emit("a.b", {"x": 1}, {"k": "v"})

for _ in range(3):
    threading.Thread(target=spin, daemon=True).start()
liveness.eventually(lambda: calls[0] > 300)
print("returning")
"""

DAEMONS_WAITING = """
import threading
import liveness

waiting = [0]
calls = [0]

def handler(event):
    calls[0] += 1

liveness.attach("h", "**", handler)

def probe():
    waiting[0] += 1
    liveness.emit("a.b")
    return False

def wait():
    liveness.eventually(probe, timeout=60)

for _ in range(3):
    threading.Thread(target=wait, daemon=True).start()
liveness.eventually(lambda: waiting[0] > 30 and calls[0] > 30)
print("returning")
"""


@pytest.mark.parametrize("script", [DAEMONS_EMITTING, DAEMONS_WAITING], ids=["emitting", "waiting"])
def test_daemon_threads_inside_liveness_at_exit_do_not_abort_the_process(script: str) -> None:
    # Before: 10 of 10 runs of the "emitting" script exited 134 (Rust cannot catch the foreign
    # unwind of pthread_exit).
    codes = []
    for _ in range(20):
        child = run_child(script)
        assert "returning" in child.stdout, child.stderr
        codes.append(child.returncode)
    assert codes == [0] * 20, f"exit codes {codes}"


def test_daemon_threads_emitting_at_the_end_of_a_pytest_run_exit_0(tmp_path: Path) -> None:
    (tmp_path / "test_daemons.py").write_text(
        textwrap.dedent(
            """
            import threading
            import liveness

            def test_starts_daemons():
                calls = [0]
                liveness.attach("h", "**", lambda e: calls.__setitem__(0, calls[0] + 1))

                def spin():
                    while True:
                        liveness.emit("a.b")

                for _ in range(3):
                    threading.Thread(target=spin, daemon=True).start()
                liveness.eventually(lambda: calls[0] > 300)
            """
        )
    )
    for _ in range(3):
        child = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_daemons.py"],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            cwd=tmp_path,
        )
        assert "1 passed" in child.stdout, child.stdout + child.stderr
        assert child.returncode == 0, child.stdout + child.stderr


# --- 5. a synchronous wait refuses awaitables -------------------------------------------------


async def _coroutine_function() -> bool:
    return True


class _AsyncCall:
    async def __call__(self) -> bool:
        return True


async def _async_generator_function() -> Any:
    yield True


def _generator_function() -> Iterator[bool]:
    yield True


class _Awaitable:
    def __await__(self) -> Any:
        return iter(())

    def __bool__(self) -> bool:
        return True


PROBES: dict[str, Callable[[], Any]] = {
    "returns a coroutine": lambda: _coroutine_function(),
    "coroutine function": _coroutine_function,
    "async __call__": _AsyncCall(),
    "async generator function": _async_generator_function,
    "returns an async generator": lambda: _async_generator_function(),
    "generator function": _generator_function,
    "returns a generator": lambda: _generator_function(),
    "returns an awaitable": lambda: _Awaitable(),
}


def _operations(probe: Callable[[], Any]) -> dict[str, Callable[[], Any]]:
    return {
        "eventually": lambda: liveness.eventually(probe, timeout=1),
        "eventually_passes": lambda: liveness.eventually_passes(probe, timeout=1),
        "always": lambda: liveness.always(probe, during=0.2),
        "never": lambda: liveness.never(probe, during=0.2),
        "eventually_changes": lambda: liveness.eventually_changes(probe, timeout=1),
        "sync_operation action": lambda: liveness.sync_operation(probe, lambda: True, timeout=1),
        "sync_operation until": lambda: liveness.sync_operation(lambda: None, probe, timeout=1),
    }


@pytest.mark.parametrize("shape", list(PROBES))
@pytest.mark.parametrize("operation", list(_operations(lambda: None)))
def test_a_synchronous_operation_refuses_an_awaitable_probe(shape: str, operation: str) -> None:
    calls: list[int] = []
    inner = PROBES[shape]

    def counted() -> Any:
        calls.append(1)
        return inner()

    # Shapes known before calling are refused before any call; others at the first result.
    probe = inner if "function" in shape or "__call__" in shape else counted
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TypeError, match=r"liveness\.aio"):
            _operations(probe)[operation]()
        gc.collect()
    assert len(calls) <= 1  # refused at once, never retried
    assert not [w for w in caught if "never awaited" in str(w.message)]


# --- 10. KeyboardInterrupt and SystemExit from a handler ---------------------------------------


@pytest.mark.parametrize("stop", [SystemExit, KeyboardInterrupt, GeneratorExit])
def test_a_handler_that_raises_a_stopping_exception_stops_the_emitter(stop: type) -> None:
    later: list[str] = []

    def handler(event: liveness.Event) -> None:
        raise stop("stop here")

    liveness.attach("t-stop", "stop.*", handler)
    liveness.attach("t-after", "stop.*", lambda e: later.append(e.name))
    try:
        with warnings.catch_warnings(record=True) as caught, capture("stop.*") as c:
            warnings.simplefilter("always")
            with pytest.raises(stop, match="stop here"):
                emit("stop.now")
            # It stays attached: a stop is not a handler bug.
            with pytest.raises(stop):
                emit("stop.again")
        assert not [w for w in caught if issubclass(w.category, liveness.HandlerWarning)]
        assert later == []  # the rest of the emit's Python handlers were not called
        assert [e.name for e in c.events] == ["stop.now", "stop.again"]
    finally:
        liveness.detach("t-stop")
        liveness.detach("t-after")


def test_a_stop_from_a_nested_emit_reaches_the_outer_emitter() -> None:
    def outer(event: liveness.Event) -> None:
        emit("inner.x")

    def inner(event: liveness.Event) -> None:
        raise KeyboardInterrupt

    liveness.attach("t-outer", "outer.*", outer)
    liveness.attach("t-inner", "inner.*", inner)
    try:
        with pytest.raises(KeyboardInterrupt):
            emit("outer.x")
    finally:
        liveness.detach("t-outer")
        liveness.detach("t-inner")


def test_an_ordinary_exception_from_a_handler_is_still_a_warning() -> None:
    def handler(event: liveness.Event) -> None:
        raise ValueError("bug")

    liveness.attach("t-bug", "bug.*", handler)
    with pytest.warns(liveness.HandlerWarning, match="ValueError: bug"):
        emit("bug.x")
    assert not liveness.detach("t-bug")  # it was detached


# --- 11. interval=0 is the adaptive schedule ---------------------------------------------------


def test_interval_zero_is_the_adaptive_schedule_not_a_busy_loop() -> None:
    # Before: 719,104 evaluations in 300 ms.
    calls: list[int] = []
    with pytest.raises(liveness.TimeoutError):
        liveness.eventually(lambda: calls.append(1), timeout=0.3, interval=0)
    assert 10 < len(calls) < 2000


@pytest.mark.asyncio
async def test_interval_zero_is_adaptive_in_aio_too() -> None:
    calls: list[int] = []
    with pytest.raises(liveness.TimeoutError):
        await aio.eventually(lambda: calls.append(1), timeout=0.3, interval=0)
    assert 10 < len(calls) < 2000


# --- 13. sub-interpreters ---------------------------------------------------------------------

SUBINTERPRETER = """
import sys
try:
    import _xxsubinterpreters as interpreters
except ImportError:
    import _interpreters as interpreters
if sys.argv[1] == "main-first":
    import liveness
    try:
        liveness.eventually(lambda: False, timeout=0.01)
    except liveness.TimeoutError:
        print("main: caught")
interp = interpreters.create()
code = '''
try:
    import liveness
except ImportError as err:
    print("sub: ImportError:", err)
else:
    try:
        liveness.eventually(lambda: False, timeout=0.01)
    except liveness.TimeoutError:
        print("sub: caught by its own class")
    except BaseException as err:
        print("sub: NOT caught:", type(err))
'''
interpreters.run_string(interp, code)
print("main: done")
"""


@pytest.mark.parametrize("order", ["main-first", "sub-only"])
def test_importing_in_a_sub_interpreter_is_a_clear_import_error(order: str) -> None:
    pytest.importorskip("_xxsubinterpreters" if sys.version_info < (3, 13) else "_interpreters")
    # Before: the import worked, and the sub-interpreter got the main one's exception classes
    # ("sub: NOT caught: <class 'liveness.TimeoutError'>").
    child = run_child(SUBINTERPRETER, order)
    assert child.returncode == 0, child.stderr
    assert "sub: ImportError: liveness cannot be imported in a sub-interpreter" in child.stdout
    assert "main: done" in child.stdout


# --- 14. liveness.aio leaves nothing running behind it ----------------------------------------

STUBBORN = """
import asyncio
import sys
import liveness.aio

async def ignores_cancellation():
    never = asyncio.Event()
    while True:
        try:
            await never.wait()
        except asyncio.CancelledError:
            pass

async def cleanup_hangs():
    never = asyncio.Event()
    try:
        await never.wait()
    finally:
        await never.wait()

async def main(probe):
    try:
        await liveness.aio.eventually(probe, timeout=0.2)
    except liveness.TimeoutError as err:
        print("failed:", err)
    print("left:", len(asyncio.all_tasks()) - 1)

asyncio.run(main(ignores_cancellation if sys.argv[1] == "cancellation" else cleanup_hangs))
print("asyncio.run returned")
"""


@pytest.mark.parametrize("stubbornness", ["cancellation", "cleanup"])
def test_a_probe_that_ignores_cancellation_does_not_keep_asyncio_run_alive(stubbornness: str) -> None:
    # Before: asyncio.run never returned (the abandoned task swallowed every cancellation).
    child = run_child(STUBBORN, stubbornness)
    assert child.returncode == 0, child.stderr
    assert "evaluation #1 still running" in child.stdout
    assert "evaluation #1 ignored its cancellation at the deadline and was closed" in child.stdout
    assert "left: 0" in child.stdout
    assert "asyncio.run returned" in child.stdout


@pytest.mark.asyncio
async def test_a_probe_that_ignores_cancellation_is_closed_and_never_resumed() -> None:
    resumed: list[int] = []
    closed: list[bool] = []
    wake = asyncio.Event()

    async def probe() -> bool:
        try:
            while not wake.is_set():
                try:  # noqa: SIM105 - spelled out like the user code it stands for
                    await wake.wait()
                except asyncio.CancelledError:
                    pass  # ignores it
            resumed.append(1)
            return True
        except GeneratorExit:
            closed.append(True)
            raise

    before = asyncio.all_tasks()
    try:
        with pytest.raises(liveness.TimeoutError) as info:
            await aio.eventually(probe, timeout=0.05)
        assert "ignored its cancellation" in str(info.value)
        assert closed == [True]
        assert asyncio.all_tasks() == before  # nothing of the wait is left on the loop
    finally:
        # Lets a probe left behind (the regression) end, so that it fails the test instead of
        # hanging the loop's teardown.
        wake.set()
    await aio.never(lambda: resumed, during=0.05)


@pytest.mark.asyncio
async def test_a_probe_may_clean_up_after_its_cancellation() -> None:
    cleaned: list[bool] = []

    async def probe() -> bool:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0)  # a cleanup that awaits, within the grace
            cleaned.append(True)
            raise
        return True

    with pytest.raises(liveness.TimeoutError) as info:
        await aio.eventually(probe, timeout=0.05)
    assert "evaluation #1 still running" in str(info.value)
    assert "ignored" not in str(info.value)
    assert cleaned == [True]


@pytest.mark.asyncio
async def test_cancelling_the_wait_cancels_the_probe() -> None:
    cancelled: list[bool] = []
    started = asyncio.Event()

    async def probe() -> bool:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return True

    task = asyncio.ensure_future(aio.eventually(probe, timeout=30))
    await aio.eventually(lambda: started.is_set())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cancelled == [True]
