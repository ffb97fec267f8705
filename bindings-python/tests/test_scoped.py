"""Scoped captures (SPEC §5): two tests running at once in one process each see only their own
events (and those of no scope); the unscoped controls show that they did not before."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Awaitable, Callable

import anyio
import pytest

import liveness
from liveness import _native

ROUNDS = 5


async def one_test(me: str, other: str, barrier: Callable[[], Awaitable[object]], scoped: bool) -> None:
    """What a test does: emit `job.done` five times and `job.<me>.only` once, asserting exactly
    five `job.done` and none of the other test's `job.<other>.only`. The barrier makes sure both
    tests' blocks are open while each emits, so every emit lands inside the other's block."""
    with (
        liveness.assert_not_emitted(f"job.{other}.only", scoped=scoped),
        liveness.assert_emitted("job.done", where={"test": me}, count=ROUNDS, scoped=scoped),
        liveness.assert_emitted("job.done", count=ROUNDS, scoped=scoped),
    ):
        await barrier()  # both blocks open
        liveness.emit(f"job.{me}.only")
        for _ in range(ROUNDS):
            liveness.emit("job.done", metadata={"test": me})
            await barrier()  # the other test emitted its round too


def run_concurrently(scoped: bool) -> list[BaseException | None]:
    async def main() -> list[BaseException | None]:
        barrier = asyncio.Barrier(2)
        results = await asyncio.gather(
            one_test("a", "b", barrier.wait, scoped), one_test("b", "a", barrier.wait, scoped), return_exceptions=True
        )
        return [r if isinstance(r, BaseException) else None for r in results]

    return asyncio.run(main())


def test_two_concurrent_asyncio_tests_each_see_only_their_own_events() -> None:
    assert run_concurrently(scoped=True) == [None, None]


def test_without_scoped_the_concurrent_asyncio_tests_fail_on_each_other() -> None:
    errors = run_concurrently(scoped=False)
    assert all(isinstance(e, liveness.EventAssertionError) for e in errors), errors


async def anyio_pair(scoped: bool) -> list[BaseException | None]:
    errors: list[BaseException | None] = [None, None]
    rounds = [anyio.Event() for _ in range(2 * ROUNDS + 2)]

    # anyio has no barrier: a two-party one from events, one per step and party.
    steps = {"a": iter(rounds[0::2]), "b": iter(rounds[1::2])}
    partner = {"a": iter(rounds[1::2]), "b": iter(rounds[0::2])}

    def barrier_of(me: str) -> Callable[[], Awaitable[object]]:
        async def barrier() -> None:
            next(steps[me]).set()
            await next(partner[me]).wait()

        return barrier

    async def run(i: int, me: str, other: str) -> None:
        try:
            await one_test(me, other, barrier_of(me), scoped)
        except liveness.EventAssertionError as err:
            errors[i] = err

    async with anyio.create_task_group() as tg:
        tg.start_soon(run, 0, "a", "b")
        tg.start_soon(run, 1, "b", "a")
    return errors


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_two_concurrent_anyio_tasks_each_see_only_their_own_events(backend: str) -> None:
    assert anyio.run(anyio_pair, True, backend=backend) == [None, None]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_without_scoped_the_concurrent_anyio_tasks_fail_on_each_other(backend: str) -> None:
    errors = anyio.run(anyio_pair, False, backend=backend)
    assert all(isinstance(e, liveness.EventAssertionError) for e in errors), errors


def run_in_thread(thread: threading.Thread) -> None:
    thread.start()
    thread.join()


def test_scoped_thread_carries_the_scope_and_a_plain_thread_runs_in_none() -> None:
    another_test = contextvars.copy_context()  # taken before my capture opens: not in my scope

    def their_test() -> list[str]:
        with liveness.capture("t.**", scoped=True) as theirs:
            run_in_thread(liveness.scoped_thread(liveness.emit, "t.theirs", metadata={"by": "scoped_thread"}))
            run_in_thread(threading.Thread(target=liveness.emit, args=("t.nobody",)))
        return [e.name for e in theirs.events]

    with liveness.capture("t.**", scoped=True) as mine:
        theirs = another_test.run(their_test)
        run_in_thread(liveness.scoped_thread(liveness.emit, "t.mine"))
    # Their scoped thread's event is theirs only; the plain thread's belongs to no scope: both see it.
    assert [e.name for e in mine.events] == ["t.nobody", "t.mine"]
    assert theirs == ["t.theirs", "t.nobody"]
    assert _native.current_scope.get() is None


def test_the_scope_is_left_when_the_block_raises() -> None:
    seen: list[object] = []

    def block() -> None:
        with liveness.assert_emitted("never", scoped=True):
            seen.append(_native.current_scope.get())
            raise KeyError("boom")

    with pytest.raises(KeyError):
        block()
    assert isinstance(seen[0], _native.Scope)
    assert _native.current_scope.get() is None


@pytest.mark.asyncio
async def test_async_with_scoped_capture_follows_the_task() -> None:
    async def other_task() -> None:
        async with liveness.capture("**", scoped=True):
            liveness.emit("other.task")

    outside = contextvars.copy_context()
    async with liveness.capture("**", scoped=True) as mine:
        await outside.run(asyncio.ensure_future, other_task())
        await asyncio.ensure_future(_emit_later("mine.task"))  # a task: inherits my scope
    assert [e.name for e in mine.events] == ["mine.task"]
    assert _native.current_scope.get() is None


async def _emit_later(name: str) -> None:
    liveness.emit(name)


def test_nested_scopes_and_the_scope_object() -> None:
    outer = _native.Scope.child_of(None)
    inner = _native.Scope.child_of(outer)
    assert inner.parent == outer
    assert outer.contains(inner)
    assert not inner.contains(outer)
    assert inner.id != outer.id
    assert hash(inner) == inner.id
    with pytest.raises(TypeError, match="scoped"):
        liveness.capture("**", scoped="yes")  # type: ignore[arg-type]
