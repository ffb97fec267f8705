"""The shared vectors of tests/conformance/ (README there), through the public API, in virtual time.

Every polling case runs five times, once per runner:
- ``sync``: ``liveness.eventually(...)`` etc. on ``liveness.testing.VirtualClock`` (a probe takes
  its ``duration_ms`` by advancing the clock);
- ``asyncio-sync`` / ``asyncio-async``: ``await liveness.aio.eventually(...)`` etc. on a
  virtual-time asyncio loop (tests/support), with synchronous probes (they advance the loop's
  clock; judged by ``expect``) and with coroutine probes (they stay pending for their duration;
  judged by ``async_expect`` when the case has one);
- ``trio-sync`` / ``trio-async``: the same under trio with ``MockClock(autojump_threshold=0)``;
- ``attempts-sync`` / ``attempts-asyncio`` / ``attempts-trio``: the ``eventually_passes`` cases
  through the block form (``for attempt in liveness.attempts(...): with attempt: ...``, and
  ``async for`` with ``liveness.aio.attempts``) on the same clocks, the block taking its time
  synchronously (judged by ``expect``).

A case with ``alongside`` waits (the polling budget, polling/budget.json) runs its wait beside
``count`` copies of each: ``liveness.aio.eventually`` on their own scripts and options, started
with it as tasks on the same loop, their probes pending for their ``duration_ms`` (coroutines)
while the others run; they are cancelled and awaited when the case's wait ends. Only the runners
whose probes are coroutines (``asyncio-async``, ``trio-async``) can run them: ``sync`` skips them
(a blocking wait has its thread to itself), and so do the runners whose probes advance the clock
synchronously (``asyncio-sync``, ``trio-sync``, the block form: the shared clock jumps while the
waits beside cannot run, as the Rust runner's tokio-sync driver says too).

The event-loop runners check ``loop_turns_between_evaluations`` with a task woken (trio) or a
callback scheduled (asyncio) at each probe call: by the next call it must have run. Event cases
run through the public API too. The terminal summary counts the vectors each runner passed.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import json
import logging
import math
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import trio
import trio.testing

import liveness
from liveness import _config, aio
from liveness.logging import capture_logging
from liveness.testing import VirtualClock

from .support.virtual_loop import VirtualTimeLoop, pending_for

ROOT = Path(__file__).resolve().parents[2] / "tests" / "conformance"
TOLERANCE_MS = 1e-6


def load(folder: str) -> list[dict[str, Any]]:
    cases = []
    for path in sorted((ROOT / folder).glob("*.json")):
        for case in json.loads(path.read_text())["cases"]:
            case["_file"] = path.name
            cases.append(case)
    return cases


POLLING = load("polling")
EVENTS = load("events")


def test_the_vectors_are_there() -> None:
    assert len(POLLING) > 100
    assert len(EVENTS) > 50
    names = [c["name"] for c in POLLING + EVENTS]
    assert len(names) == len(set(names))


class Scripted(Exception):
    """The base of the vectors' error kinds (``raises.kind``), so a runner knows its own."""


_kinds: dict[str, type[Scripted]] = {}


def kind(name: str) -> type[Scripted]:
    if name not in _kinds:
        _kinds[name] = type(name, (Scripted,), {})
    return _kinds[name]


def seconds(value: Any) -> Any:
    """A duration option in milliseconds → seconds; a list (``intervals_ms``) entry by entry."""
    if isinstance(value, list):
        return [seconds(v) for v in value]
    if isinstance(value, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value] / 1000
    return float(value) / 1000


def options_of(case: dict[str, Any]) -> tuple[dict[str, Any], float | None]:
    out: dict[str, Any] = {}
    during = None
    for key, value in case.get("options", {}).items():
        if key == "during_ms":
            during = seconds(value)
        elif key.endswith("_ms"):
            out[key[:-3]] = seconds(value)
        elif key in ("retry_on", "fail_on"):
            out[key] = tuple(kind(k) for k in value)
        else:
            out[key] = value
    return out, during


def cost(entry: dict[str, Any]) -> float:
    return float(entry.get("duration_ms", 0)) / 1000


def emit_during(entry: dict[str, Any]) -> None:
    emits = entry.get("emits", [])
    for name in [emits] if isinstance(emits, str) else emits:
        liveness.emit(name)


def finish(entry: dict[str, Any]) -> Any:
    """How a scripted call ends: its error raised, or its value returned."""
    if "raises" in entry:
        raise kind(entry["raises"]["kind"])(entry["raises"]["text"])
    return entry.get("returns")


class Observed:
    def __init__(self) -> None:
        self.result = ""
        self.value: Any = None
        self.error: BaseException | None = None
        self.starts: list[float] = []
        self.turns: list[int] = []
        self.elapsed = 0.0
        self.evaluations = 0
        self.action_calls = 0
        self.overrun: str | None = None
        # What on_evaluation received, in the vectors' terms.
        self.hooked: list[dict[str, Any]] = []


class Script:
    """The probe's calls, in order, on the runner's clock; ``poke`` wakes the runner's ticker."""

    def __init__(self, case: dict[str, Any], seen: Observed, now: Callable[[], float], turns: list[int]) -> None:
        self.entries = case.get("script", [])
        self.repeat = case.get("repeat_last", False)
        self.seen = seen
        self.now = now
        self.turns = turns

    def next(self) -> dict[str, Any]:
        seen = self.seen
        seen.starts.append(self.now())
        seen.turns.append(self.turns[0])
        seen.evaluations += 1
        if seen.evaluations <= len(self.entries):
            return dict(self.entries[seen.evaluations - 1])
        if self.repeat and self.entries:
            return dict(self.entries[-1])
        seen.overrun = f"the probe was called {seen.evaluations} times, past the end of the script"
        return {"returns": None}


def expectation(case: dict[str, Any], runner: str) -> dict[str, Any]:
    return case.get("async_expect", case["expect"]) if runner in ASYNCHRONOUS else case["expect"]  # type: ignore[no-any-return]


def invoke(
    api: Any, case: dict[str, Any], probe: Callable[[], Any], action: Callable[[], Any], seen: Observed, runner: str
) -> Any:
    """The operation as a user calls it, from ``liveness`` or ``liveness.aio``."""
    options, during = options_of(case)
    if "on_evaluation" in expectation(case, runner):

        def on_evaluation(e: liveness.Evaluation) -> None:
            seen.hooked.append(
                {
                    "number": e.number,
                    "started_ms": e.started * 1000,
                    "duration_ms": e.duration * 1000,
                    "accepted": e.accepted,
                }
            )

        options["on_evaluation"] = on_evaluation
    op = case["operation"]
    if op in ("always", "never"):
        return getattr(api, op)(probe, during, **options)
    if op == "sync_operation":
        return api.sync_operation(action, probe, **options)
    return getattr(api, op)(probe, **options)


@contextlib.contextmanager
def settled(seen: Observed) -> Iterator[None]:
    """How the block ended, in the vectors' terms: ``ok``, or the kind of error it raised."""
    try:
        yield
    except liveness.ViolationError as err:
        seen.result, seen.error = "violated", err
    except liveness.TimeoutError as err:
        seen.result, seen.error = "timeout", err
    except Scripted as err:
        seen.result, seen.error = "propagated", err
    except (ValueError, TypeError) as err:
        seen.result, seen.error = "invalid_option", err
    else:
        seen.result = "ok"


def settle(seen: Observed, call: Callable[[], Any]) -> None:
    with settled(seen):
        seen.value = call()


# ---------------------------------------------------------------------------------------------
# The runners


def run_sync(case: dict[str, Any]) -> Observed:
    seen, turns = Observed(), [0]
    with VirtualClock() as clock:
        script = Script(case, seen, clock.now, turns)
        action_entry = case.get("action", {})

        def probe() -> Any:
            entry = script.next()
            emit_during(entry)
            clock.advance(cost(entry))
            return finish(entry)

        def action() -> Any:
            seen.action_calls += 1
            emit_during(action_entry)
            clock.advance(cost(action_entry))
            return finish(action_entry)

        settle(seen, lambda: invoke(liveness, case, probe, action, seen, "sync"))
        seen.elapsed = clock.now()
    return seen


async def alongside_wait(
    entry: dict[str, Any], now: Callable[[], float], pending: Callable[[float], Awaitable[None]]
) -> None:
    """One of a case's ``alongside`` waits: ``eventually`` on its own copy of the entry's script,
    each call pending for its cost on the loop's clock. Its outcome is not checked."""
    script = Script(entry, Observed(), now, [0])

    async def probe() -> Any:
        call = script.next()
        await pending(cost(call))
        return finish(call)

    options, _ = options_of(entry)
    with contextlib.suppress(liveness.TimeoutError, liveness.ViolationError, Scripted):
        await aio.eventually(probe, **options)


@contextlib.asynccontextmanager
async def alongside(
    case: dict[str, Any], now: Callable[[], float], pending: Callable[[float], Awaitable[None]]
) -> AsyncIterator[None]:
    """The case's ``alongside`` waits, running as tasks on this loop while the block runs the
    case's own; cancelled and awaited when it ends, so none leaks into the next case (nor keeps
    a share of the polling budget)."""
    entries = case.get("alongside", [])
    if not entries:  # the other cases run exactly as before, without a task group around them
        yield
        return
    async with anyio.create_task_group() as company:
        for entry in entries:
            for _ in range(entry["count"]):
                company.start_soon(alongside_wait, entry, now, pending)
        try:
            yield
        finally:
            company.cancel_scope.cancel()


async def run_on_loop(
    case: dict[str, Any],
    runner: str,
    seen: Observed,
    now: Callable[[], float],
    turns: list[int],
    poke: Callable[[], None],
    take: Callable[[float], Any],
    pending: Callable[[float], Awaitable[None]],
) -> None:
    """The event-loop runners' common part: ``take(cost)`` is how a call takes its time (a
    number advanced synchronously returns None; a coroutine stays pending); ``pending(cost)`` is
    how the ``alongside`` waits' calls take theirs (always pending, while the others run)."""
    script = Script(case, seen, now, turns)
    action_entry = case.get("action", {})

    def probe() -> Any:
        entry = script.next()
        poke()
        emit_during(entry)
        taken = take(cost(entry))
        if taken is None:
            return finish(entry)

        async def pending() -> Any:
            await taken
            return finish(entry)

        return pending()

    def action() -> Any:
        seen.action_calls += 1
        emit_during(action_entry)
        taken = take(cost(action_entry))
        if taken is None:
            return finish(action_entry)

        async def pending() -> Any:
            await taken
            return finish(action_entry)

        return pending()

    # The outcome is taken inside the block: an error leaving a task group comes out in a group.
    async with alongside(case, now, pending):
        with settled(seen):
            seen.value = await invoke(aio, case, probe, action, seen, runner)
        seen.elapsed = now()


def run_asyncio(case: dict[str, Any], asynchronous: bool) -> Observed:
    seen, turns = Observed(), [0]
    loop = VirtualTimeLoop()

    def tick() -> None:
        turns[0] += 1

    def poke() -> None:
        loop.call_soon(tick)

    def take(seconds: float) -> Any:
        if asynchronous:
            return pending_for(seconds)
        loop.advance(seconds)
        return None

    try:
        runner = "asyncio-async" if asynchronous else "asyncio-sync"
        loop.run_until_complete(run_on_loop(case, runner, seen, loop.time, turns, poke, take, pending_for))
    finally:
        loop.close()
    return seen


def run_trio(case: dict[str, Any], asynchronous: bool) -> Observed:
    seen, turns = Observed(), [0]
    clock = trio.testing.MockClock(autojump_threshold=0)

    async def pending(seconds: float) -> None:
        if seconds:  # a zero-cost call completes at once, without a checkpoint
            # liveness: allow-sleep(the vector's probe cost, on trio's MockClock)
            await trio.sleep(seconds)

    def take(seconds: float) -> Any:
        if asynchronous:
            return pending(seconds)
        clock.jump(seconds)
        return None

    async def main() -> None:
        send, receive = trio.open_memory_channel[None](math.inf)

        async def ticker(task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
            task_status.started()
            async for _ in receive:  # each call of the probe makes it runnable, once
                turns[0] += 1

        async with trio.open_nursery() as nursery:
            await nursery.start(ticker)  # and it waits in `receive` from now on
            runner = "trio-async" if asynchronous else "trio-sync"
            await run_on_loop(
                case, runner, seen, trio.current_time, turns, lambda: send.send_nowait(None), take, pending
            )
            nursery.cancel_scope.cancel()

    trio.run(main, clock=clock)
    return seen


def block_form(case: dict[str, Any]) -> dict[str, Any]:
    """The options of a case for ``attempts(...)`` (the on_evaluation hook included)."""
    options, _ = options_of(case)
    return options


def hooked(seen: Observed) -> Callable[[liveness.Evaluation], None]:
    def on_evaluation(e: liveness.Evaluation) -> None:
        seen.hooked.append(
            {
                "number": e.number,
                "started_ms": e.started * 1000,
                "duration_ms": e.duration * 1000,
                "accepted": e.accepted,
            }
        )

    return on_evaluation


def attempt_body(script: Script, attempt: liveness.Attempt, advance: Callable[[float], None]) -> None:
    """One scripted evaluation inside ``with attempt:``: its events, its cost, then its end (the
    block's value is ``attempt.result``)."""
    entry = script.next()
    emit_during(entry)
    advance(cost(entry))
    attempt.result = finish(entry)


def attempts_options(case: dict[str, Any], seen: Observed, runner: str) -> dict[str, Any]:
    options = block_form(case)
    if "on_evaluation" in expectation(case, runner):
        options["on_evaluation"] = hooked(seen)
    return options


def run_attempts_sync(case: dict[str, Any]) -> Observed:
    seen, turns = Observed(), [0]
    with VirtualClock() as clock:
        script = Script(case, seen, clock.now, turns)

        def call() -> Any:
            waiting = liveness.attempts(**attempts_options(case, seen, "attempts-sync"))
            for attempt in waiting:
                with attempt:
                    attempt_body(script, attempt, clock.advance)
            return waiting.result

        settle(seen, call)
        seen.elapsed = clock.now()
    return seen


async def attempts_on_loop(
    case: dict[str, Any], runner: str, seen: Observed, now: Callable[[], float], advance: Callable[[float], None]
) -> None:
    script = Script(case, seen, now, [0])

    async def call() -> Any:
        waiting = aio.attempts(**attempts_options(case, seen, runner))
        async for attempt in waiting:
            with attempt:
                attempt_body(script, attempt, advance)
        return waiting.result

    with settled(seen):
        seen.value = await call()
    seen.elapsed = now()


def run_attempts_asyncio(case: dict[str, Any]) -> Observed:
    seen = Observed()
    loop = VirtualTimeLoop()
    try:
        loop.run_until_complete(attempts_on_loop(case, "attempts-asyncio", seen, loop.time, loop.advance))
    finally:
        loop.close()
    return seen


def run_attempts_trio(case: dict[str, Any]) -> Observed:
    seen = Observed()
    clock = trio.testing.MockClock(autojump_threshold=0)

    async def main() -> None:
        await attempts_on_loop(case, "attempts-trio", seen, trio.current_time, clock.jump)

    trio.run(main, clock=clock)
    return seen


RUNNERS: dict[str, Callable[[dict[str, Any]], Observed]] = {
    "sync": run_sync,
    "asyncio-sync": lambda case: run_asyncio(case, asynchronous=False),
    "asyncio-async": lambda case: run_asyncio(case, asynchronous=True),
    "trio-sync": lambda case: run_trio(case, asynchronous=False),
    "trio-async": lambda case: run_trio(case, asynchronous=True),
    "attempts-sync": run_attempts_sync,
    "attempts-asyncio": run_attempts_asyncio,
    "attempts-trio": run_attempts_trio,
}
ASYNCHRONOUS = {"asyncio-async", "trio-async"}
EVENT_LOOP = {"asyncio-sync", "asyncio-async", "trio-sync", "trio-async"}


def check(case: dict[str, Any], runner: str, seen: Observed) -> None:
    expect = expectation(case, runner)
    assert seen.overrun is None, seen.overrun
    assert seen.result == expect["result"], f"{case['name']}: {seen.result} ({seen.error!r}) instead of {expect}"
    if "value" in expect and expect["result"] == "ok":
        assert seen.value == expect["value"]
    if "evaluations" in expect:
        assert seen.evaluations == expect["evaluations"]
    if "starts_ms" in expect:
        starts = [s * 1000 for s in seen.starts]
        assert len(starts) == len(expect["starts_ms"]), (starts, expect["starts_ms"])
        for got, want in zip(starts, expect["starts_ms"], strict=True):
            assert abs(got - want) < TOLERANCE_MS, (starts, expect["starts_ms"])
    if "elapsed_ms" in expect:
        assert abs(seen.elapsed * 1000 - expect["elapsed_ms"]) < TOLERANCE_MS, seen.elapsed * 1000
    if "propagated_kind" in expect:
        assert type(seen.error).__name__ == expect["propagated_kind"]
    if "invalid_option" in expect:
        name = expect["invalid_option"]
        assert f"`{name}`" in str(seen.error) or name in str(seen.error), f"{seen.error!r} does not name {name}"
    if "on_evaluation" in expect:
        want = expect["on_evaluation"]
        assert len(seen.hooked) == len(want), (seen.hooked, want)
        for got, wanted in zip(seen.hooked, want, strict=True):
            assert (got["number"], got["accepted"]) == (wanted["number"], wanted["accepted"]), (seen.hooked, want)
            for key in ("started_ms", "duration_ms"):
                assert abs(got[key] - wanted[key]) < TOLERANCE_MS, (seen.hooked, want)
    if "action_calls" in expect:
        assert seen.action_calls == expect["action_calls"]
    if expect.get("loop_turns_between_evaluations") and runner in EVENT_LOOP:
        for i, (before, after) in enumerate(itertools.pairwise(seen.turns)):
            assert after > before, f"the loop did not turn between evaluations #{i + 1} and #{i + 2}"
    message_checks(expect, str(seen.error) if seen.error is not None else "")


def message_checks(expect: dict[str, Any], text: str) -> None:
    for fragment in expect.get("message_contains", []):
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    for fragment in expect.get("message_not_contains", []):
        assert fragment not in text, f"{fragment!r} in:\n{text}"
    # Each fragment after the previous one (as the Rust runner reads it): a fragment may also
    # occur earlier, e.g. the last value in "last:" before the history that lists them all.
    order, start = expect.get("message_order", []), 0
    for fragment in order:
        found = text.find(fragment, start)
        assert found >= 0, f"{order} out of order in:\n{text}"
        start = found + len(fragment)
    for fragment, n in expect.get("message_count", {}).items():
        assert text.count(fragment) == n, f"{fragment!r} {text.count(fragment)}× instead of {n}× in:\n{text}"
    for fragment, n in expect.get("message_max_count", {}).items():
        assert text.count(fragment) <= n, text


def environment(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVENESS_TIMEOUT_SCALE", raising=False)
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)


def polling(case: dict[str, Any], runner: str, monkeypatch: pytest.MonkeyPatch) -> None:
    environment(case, monkeypatch)
    # The cases run in virtual time, where the suite's pytest-timeout limit (real time) means
    # nothing: without this, the plugin would cut a virtual wait of an hour to what is left of
    # the real limit. pytest-timeout itself still ends a case that hangs.
    monkeypatch.setattr(_config, "_hard_deadline", None)
    check(case, runner, RUNNERS[runner](case))


def runnable(cases: list[dict[str, Any]], alongside_skipped: str | None = None) -> pytest.MarkDecorator:
    """The cases of one runner's test function; with ``alongside_skipped``, the cases that have
    waits ``alongside`` are skipped for that reason (the terminal summary counts them)."""
    skip = [pytest.mark.skip(reason=f"waits alongside: {alongside_skipped}")] if alongside_skipped else []
    params = [pytest.param(c, id=c["name"], marks=skip if "alongside" in c else []) for c in cases]
    return pytest.mark.parametrize("case", params)


# One test function per runner, so the terminal summary (conftest.py) counts the vectors each ran.
every_polling_case = runnable(POLLING)


def test_the_event_loop_runners_have_budget_cases() -> None:
    assert sum("alongside" in c for c in POLLING) >= 6


@runnable(POLLING, "a blocking wait has its thread to itself")
def test_polling_sync(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "sync", monkeypatch)


# A synchronous probe that takes virtual time jumps the clock the waits beside it share.
every_case_without_company = runnable(POLLING, "a synchronous probe jumps the shared clock while they cannot run")


@every_case_without_company
def test_polling_asyncio_sync_probes(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "asyncio-sync", monkeypatch)


@every_polling_case
def test_polling_asyncio_async_probes(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "asyncio-async", monkeypatch)


@every_case_without_company
def test_polling_trio_sync_probes(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "trio-sync", monkeypatch)


@every_polling_case
def test_polling_trio_async_probes(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "trio-async", monkeypatch)


# The block form's runners take each block's time synchronously, and run no waits beside it.
every_passes_case = runnable(
    [c for c in POLLING if c["operation"] == "eventually_passes"], "the block form takes its time synchronously"
)


@every_passes_case
def test_polling_attempts_sync(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "attempts-sync", monkeypatch)


@every_passes_case
def test_polling_attempts_asyncio(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "attempts-asyncio", monkeypatch)


@every_passes_case
def test_polling_attempts_trio(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    polling(case, "attempts-trio", monkeypatch)


def test_the_block_form_runs_every_eventually_passes_case() -> None:
    assert sum(c["operation"] == "eventually_passes" for c in POLLING) >= 14


# Events, through the public API.


def emit_all(events: list[dict[str, Any]]) -> None:
    for e in events:
        liveness.emit(e["name"], e.get("measurements", {}), e.get("metadata", {}))


def matches(pattern: str, name: str) -> bool:
    with liveness.capture(pattern) as c:
        liveness.emit(name)
    return len(c.events) == 1


def run_scoped_case(case: dict[str, Any]) -> None:
    """Kind ``scoped_capture``: each emit made from the place its ``from`` names."""
    # Copied before the capture opens: a scoped capture run in it is another test's, in a scope
    # the block is not in.
    sibling = contextvars.copy_context()

    def in_scoped_capture(name: str) -> None:
        with liveness.capture("**", scoped=True):
            liveness.emit(name)

    def emit_from(where: str, name: str) -> None:
        if where == "block":
            liveness.emit(name)
        elif where == "nested":
            in_scoped_capture(name)
        elif where == "sibling":
            sibling.run(in_scoped_capture, name)
        elif where == "outside":
            # A plain thread: what a system under test starts by itself, in no scope.
            thread = threading.Thread(target=liveness.emit, args=(name,))
            thread.start()
            thread.join()
        else:
            raise AssertionError(f"unknown `from`: {where!r}")

    with liveness.capture(case["patterns"], scoped=case["scoped"]) as c:
        for e in case["emits"]:
            emit_from(e["from"], e["name"])
    assert [e.name for e in c.events] == case["expect_names"]


def run_bridge_case(case: dict[str, Any]) -> None:
    """Kind ``bridge_name``: a logger called ``source`` emits events named ``expect``."""
    source, expect = case["source"], case["expect"]
    assert liveness.bridge_name(source) == expect
    if not source:
        return  # "" is the root logger's name, not a logger called ""
    logger = logging.getLogger(source)
    with capture_logging(logger), liveness.capture("**") as c:
        logger.warning("from the logger %s", source)
    assert [e.name for e in c.events] == [expect]
    assert c.events[0].metadata["logger"] == source


def run_event_case(case: dict[str, Any]) -> None:
    k = case["kind"]
    if k == "scoped_capture":
        run_scoped_case(case)
    elif k == "bridge_name":
        run_bridge_case(case)
    elif k == "pattern":
        for name in case.get("matches", []):
            assert matches(case["pattern"], name), name
        for name in case.get("rejects", []):
            assert not matches(case["pattern"], name), name
    elif k == "invalid_name":
        for name in case["names"]:
            with pytest.raises(ValueError, match="invalid event name"):
                liveness.emit(name)
    elif k == "invalid_pattern":
        for pattern in case["patterns"]:
            with pytest.raises(ValueError, match="invalid event pattern"):
                liveness.capture(pattern)
    elif k == "invalid_emit":
        e = case["emit"]
        with pytest.raises(ValueError, match=r"invalid event name|must be a number"):
            liveness.emit(e["name"], e.get("measurements"), e.get("metadata"))
    elif k == "capture":
        emit_all(case.get("before_emits", []))
        with liveness.capture(case["patterns"]) as c:
            emit_all(case.get("emits", []))
        emit_all(case.get("after_emits", []))
        assert [e.name for e in c.events] == case["expect_names"]
        if "expect_events" in case:
            got = [(e.name, e.measurements, e.metadata) for e in c.events]
            want = [(e["name"], e.get("measurements", {}), e.get("metadata", {})) for e in case["expect_events"]]
            assert got == want
    else:
        emit_all(case.get("before_emits", []))
        if k == "assert_emitted":
            assertion = liveness.assert_emitted(case["pattern"], where=case.get("where"), count=case.get("count"))
        elif k == "assert_not_emitted":
            assertion = liveness.assert_not_emitted(case["pattern"], where=case.get("where"))
        else:
            assertion = liveness.assert_emitted_in_order(case["patterns"])
        expect = case["expect"]
        try:
            with assertion:
                emit_all(case.get("block_emits", []))
        except liveness.EventAssertionError as err:
            assert not expect["passes"], f"failed unexpectedly:\n{err}"  # noqa: PT017 - the vector decides
            message_checks(expect, str(err))
        else:
            assert expect["passes"], "passed but should have failed"


@pytest.mark.parametrize("case", EVENTS, ids=[c["name"] for c in EVENTS])
def test_events(case: dict[str, Any]) -> None:
    run_event_case(case)
