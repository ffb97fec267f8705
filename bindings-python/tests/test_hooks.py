"""on_evaluation and on_timeout (issue 12, point 7): what the Python door adds beside the
vectors of hooks.json (which pin number/started/duration/accepted in every driver)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
import trio
import trio.testing

import liveness
from liveness import aio
from liveness.testing import VirtualClock, VirtualTimeLoop


class NotYet(Exception):
    pass


def scripted(*results: Any) -> Callable[[], Any]:
    """A probe that raises or returns each result in turn (the last one repeats)."""
    calls = [0]

    def probe() -> Any:
        result = results[min(calls[0], len(results) - 1)]
        calls[0] += 1
        if isinstance(result, BaseException):
            raise result
        return result

    return probe


def run_asyncio(make: Callable[[], Any]) -> Any:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(make())
    finally:
        loop.close()


def run_trio(make: Callable[[], Any]) -> Any:
    async def main() -> Any:
        return await make()

    return trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))


# Every driver: the sync one on a virtual clock, liveness.aio on asyncio and on trio.
def run_sync_op(name: str, *args: Any, **options: Any) -> Any:
    with VirtualClock():
        return getattr(liveness, name)(*args, **options)


DRIVERS: dict[str, Callable[..., Any]] = {
    "sync": run_sync_op,
    "asyncio": lambda name, *a, **o: run_asyncio(lambda: getattr(aio, name)(*a, **o)),
    "trio": lambda name, *a, **o: run_trio(lambda: getattr(aio, name)(*a, **o)),
}
every_driver = pytest.mark.parametrize("drive", DRIVERS.values(), ids=DRIVERS.keys())


@every_driver
def test_on_evaluation_gets_the_value_or_the_error(drive: Callable[..., Any]) -> None:
    error = NotYet("down")
    seen: list[liveness.Evaluation] = []
    got = drive("eventually", scripted(error, 0, "up"), interval=0.01, on_evaluation=seen.append)
    assert got == "up"
    assert [(e.number, e.accepted, e.value, e.error) for e in seen] == [
        (1, False, None, error),
        (2, False, 0, None),
        (3, True, "up", None),
    ]
    assert [e.started for e in seen] == pytest.approx([0.0, 0.01, 0.02])
    assert all(e.duration == 0 for e in seen)


@every_driver
def test_on_evaluation_is_not_called_for_the_preparation(drive: Callable[..., Any]) -> None:
    seen: list[liveness.Evaluation] = []
    assert drive("eventually_changes", scripted(1, 1, 2), interval=0.01, on_evaluation=seen.append) == 2
    assert [(e.number, e.value, e.accepted) for e in seen] == [(1, 1, False), (2, 2, True)]
    seen.clear()
    drive("sync_operation", lambda: "action", scripted(False, True), interval=0.01, on_evaluation=seen.append)
    assert [(e.number, e.value) for e in seen] == [(1, False), (2, True)]


@every_driver
def test_a_raising_on_evaluation_stops_the_wait_with_its_own_exception(drive: Callable[..., Any]) -> None:
    calls: list[int] = []

    def probe() -> bool:
        calls.append(1)
        return False

    def hook(evaluation: liveness.Evaluation) -> None:
        if evaluation.number == 2:
            raise KeyError("from the hook")

    with pytest.raises(KeyError, match="from the hook"):
        drive("eventually", probe, interval=0.01, on_evaluation=hook)
    assert len(calls) == 2


def test_the_evaluation_record_is_frozen_and_public() -> None:
    e = liveness.Evaluation(number=1, started=0.0, duration=0.5, accepted=True, value=3)
    assert e.error is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.number = 2  # type: ignore[misc]
    assert "Evaluation" in liveness.__all__
    assert type(e).__module__ == "liveness"


@every_driver
def test_on_timeout_replaces_the_error_with_the_original_as_cause(drive: Callable[..., Any]) -> None:
    originals: list[liveness.LivenessError] = []

    def on_timeout(err: liveness.LivenessError) -> BaseException:
        originals.append(err)
        return RuntimeError("service never came up")

    with pytest.raises(RuntimeError, match="service never came up") as info:
        drive("eventually", scripted(NotYet("down")), timeout=0.05, interval=0.01, on_timeout=on_timeout)
    assert len(originals) == 1
    assert isinstance(originals[0], liveness.TimeoutError)
    assert info.value.__cause__ is originals[0]
    assert isinstance(originals[0].__cause__, NotYet)  # the timeout keeps its own cause


@every_driver
def test_a_replacement_keeps_a_cause_of_its_own(drive: Callable[..., Any]) -> None:
    own = ValueError("own cause")

    def on_timeout(err: liveness.LivenessError) -> BaseException:
        replacement = RuntimeError("replaced")
        replacement.__cause__ = own
        return replacement

    with pytest.raises(RuntimeError) as info:
        drive("eventually", scripted(False), timeout=0.02, interval=0.01, on_timeout=on_timeout)
    assert info.value.__cause__ is own


@every_driver
def test_on_timeout_returning_none_raises_the_original_as_it_left_it(drive: Callable[..., Any]) -> None:
    def on_timeout(err: liveness.LivenessError) -> None:
        err.args = (f"{err.args[0]}\n  logs: nothing in the service log",)

    with pytest.raises(liveness.TimeoutError, match="logs: nothing in the service log") as info:
        drive("eventually", scripted(NotYet("down")), timeout=0.02, interval=0.01, on_timeout=on_timeout)
    assert "not met after 0.02 s" in str(info.value)
    assert isinstance(info.value.__cause__, NotYet)


@every_driver
def test_on_timeout_sees_violations_too(drive: Callable[..., Any]) -> None:
    seen: list[liveness.LivenessError] = []

    def on_timeout(err: liveness.LivenessError) -> None:
        seen.append(err)

    with pytest.raises(liveness.ViolationError):
        drive("always", scripted(True, False), 1.0, interval=0.01, on_timeout=on_timeout)
    with pytest.raises(liveness.ViolationError):
        drive("eventually", scripted(False, True), interval=0.01, at_least=1.0, on_timeout=on_timeout)
    assert [type(e) for e in seen] == [liveness.ViolationError, liveness.ViolationError]
    assert seen[1].report is not None
    assert seen[1].report.reason == "too_early"


@every_driver
def test_a_raising_on_timeout_propagates_its_exception(drive: Callable[..., Any]) -> None:
    def on_timeout(err: liveness.LivenessError) -> None:
        raise KeyError("hook broke")

    with pytest.raises(KeyError, match="hook broke") as info:
        drive("eventually", scripted(False), timeout=0.02, interval=0.01, on_timeout=on_timeout)
    assert isinstance(info.value.__context__, liveness.TimeoutError)


@every_driver
def test_on_timeout_is_only_for_the_waits_own_failure(drive: Callable[..., Any]) -> None:
    calls: list[BaseException] = []

    def on_timeout(err: liveness.LivenessError) -> None:
        calls.append(err)

    # Success, a probe's error that propagates, and a nested wait's failure let out by fail_on.
    assert drive("eventually", scripted(7), on_timeout=on_timeout) == 7
    with pytest.raises(NotYet):
        drive("eventually", scripted(NotYet("x")), fail_on=NotYet, on_timeout=on_timeout)
    nested = liveness.TimeoutError("a nested wait's failure")
    with pytest.raises(liveness.TimeoutError) as info:
        drive("eventually", scripted(nested), fail_on=liveness.TimeoutError, on_timeout=on_timeout)
    assert info.value is nested
    assert calls == []


def test_on_timeout_must_return_an_exception_or_none() -> None:
    with VirtualClock(), pytest.raises(TypeError, match="on_timeout must return an exception") as info:
        liveness.eventually(scripted(False), timeout=0.01, on_timeout=lambda err: "oops")  # type: ignore[arg-type,return-value]
    assert isinstance(info.value.__cause__, liveness.TimeoutError)


@pytest.mark.parametrize("option", ["on_evaluation", "on_timeout"])
def test_a_hook_that_is_not_callable_is_a_type_error_naming_it(option: str) -> None:
    calls: list[int] = []
    with pytest.raises(TypeError, match=f"`{option}`"):
        liveness.eventually(lambda: calls.append(1), **{option: 5})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"`{option}`"):
        run_asyncio(lambda: aio.eventually(lambda: calls.append(1), **{option: "hook"}))  # type: ignore[arg-type]
    assert calls == []
