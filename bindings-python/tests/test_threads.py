"""The interpreter is released while a sync wait waits; Ctrl-C interrupts a wait at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import liveness


@pytest.fixture
def no_forced_switches() -> Iterator[None]:
    # With a huge switch interval the interpreter never takes the GIL away from a running thread:
    # another thread runs only when this one releases the GIL itself.
    old = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def test_other_threads_run_while_waiting(no_forced_switches: None) -> None:
    progress: list[int] = []
    go = threading.Event()

    def worker() -> None:
        go.wait()  # blocks (GIL released) until the test is about to wait
        for i in range(100):
            progress.append(i)

    t = threading.Thread(target=worker)
    t.start()
    go.set()  # the worker is now runnable, but needs the GIL, which this thread holds
    assert progress == []
    # Only possible if eventually releases the GIL between evaluations; if it held it, the
    # worker could never run and this would time out.
    assert liveness.eventually(lambda: len(progress) == 100, timeout=10)
    liveness.eventually(lambda: not t.is_alive())


def test_an_evaluation_measures_its_wait_for_the_gil(no_forced_switches: None) -> None:
    # The cost rule reads each evaluation's duration: when other threads hold the GIL, the time
    # a wait's thread spends re-taking it after a pause is part of the evaluation.
    evaluations: list[liveness.Evaluation] = []
    calls: list[int] = []

    def probe() -> bool:
        calls.append(1)
        return len(calls) > 1

    def worker() -> None:
        liveness.eventually(probe, interval=0.5, timeout=30, on_evaluation=evaluations.append)

    t = threading.Thread(target=worker)
    t.start()
    liveness.eventually(lambda: calls)  # its first evaluation is done: it pauses for 0.5 s
    # This thread now holds the GIL for 1 s (no forced switch takes it away): the worker's
    # pause ends and it waits for the GIL until this loop ends.
    until = time.perf_counter() + 1.0
    while time.perf_counter() < until:
        pass
    liveness.eventually(lambda: not t.is_alive())
    assert len(evaluations) == 2
    assert evaluations[1].duration >= 0.2


def test_waits_in_several_threads_at_once() -> None:
    flags = [threading.Event() for _ in range(4)]
    results: list[str] = []

    def waiter(i: int) -> None:
        results.append(liveness.eventually(lambda: flags[i].is_set() and f"w{i}", timeout=10))

    threads = [threading.Thread(target=waiter, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for f in flags:
        f.set()
    liveness.eventually(lambda: len(results) == 4)
    assert sorted(results) == ["w0", "w1", "w2", "w3"]


def test_many_threads_waiting_at_once_all_see_the_change() -> None:
    # Their pauses end together and re-take the GIL one after another (a turnstile): none may be
    # left behind or deadlock on it, whatever the probe does.
    go = threading.Event()
    results: list[int] = []
    errors: list[BaseException] = []

    def probe(i: int) -> int | None:
        if i % 7 == 0 and not go.is_set():
            raise ConnectionError("not yet")  # a raising probe is retried like a false one
        return i + 1 if go.is_set() else None  # truthy: 0 would never be accepted

    def waiter(i: int) -> None:
        try:
            results.append(liveness.eventually(lambda: probe(i), timeout=30))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=waiter, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    go.set()
    liveness.eventually(lambda: not any(t.is_alive() for t in threads), timeout=30)
    assert errors == []
    assert sorted(results) == list(range(1, 201))


def test_a_wake_hint_ends_a_long_pause_in_another_thread() -> None:
    # Off the main thread a pause is not cut into signal-check slices: the hint alone ends it.
    ready = threading.Event()
    results: list[bool] = []
    t = threading.Thread(
        target=lambda: results.append(liveness.eventually(ready.is_set, interval=30, timeout=60, wake_on="svc.ready"))
    )
    t.start()
    ready.set()
    liveness.emit("svc.ready")
    liveness.eventually(lambda: results == [True], timeout=20)
    t.join()


CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    import liveness

    # A shell that starts a job in the background (make from a script, `nohup … &`) hands it
    # SIGINT ignored, and Python then keeps it ignored; a user's Ctrl-C arrives with the default.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    marker = Path(sys.argv[1])

    def probe():
        marker.write_text("waiting")
        return False

    start = time.monotonic()
    try:
        liveness.eventually(probe, timeout=120, interval=1)
    except KeyboardInterrupt:
        print("interrupted after %.1f s" % (time.monotonic() - start))
        sys.exit(0)
    except liveness.TimeoutError:
        print("timed out")
        sys.exit(1)
    print("returned")
    sys.exit(2)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_interrupts_a_wait(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen([sys.executable, str(script), str(marker)], stdout=subprocess.PIPE, text=True)
    try:
        # The child is inside eventually once its probe ran.
        liveness.eventually(lambda: marker.exists(), timeout=30)
        proc.send_signal(signal.SIGINT)
        # A 120 s wait (period 1 s) that ends within this 20 s timeout was interrupted.
        liveness.eventually(lambda: proc.poll() is not None, timeout=20)
        out = proc.stdout.read() if proc.stdout else ""
        assert proc.returncode == 0, out
        assert out.startswith("interrupted after")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
