"""Events from Python (SPEC §5)."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import pytest

import liveness
from liveness import assert_emitted, assert_emitted_in_order, assert_not_emitted, capture, emit


@pytest.mark.parametrize("name", ["", "a..b", "a b", "a.*"])
def test_invalid_names_are_value_errors_even_with_nothing_attached(name: str) -> None:
    with pytest.raises(ValueError, match="invalid event name"):
        emit(name)


def test_bad_payloads_are_value_errors_even_with_nothing_attached() -> None:
    with pytest.raises(ValueError, match="measurement"):
        emit("a.b", {"n": "three"})
    with pytest.raises(ValueError, match="keys must be strings"):
        emit("a.b", {}, {1: "x"})
    with pytest.raises(ValueError, match="keys must be strings"):
        emit("a.b", {2: 1.0})
    with pytest.raises(TypeError):
        emit("a.b", [1, 2])  # type: ignore[arg-type]


def test_attach_receives_events_and_detach_stops_them() -> None:
    seen: list[Any] = []
    liveness.attach("t-handler", ["job.*"], lambda e: seen.append((e.name, e.measurements, e.metadata)))
    try:
        assert liveness.has_subscribers("job.done")
        assert not liveness.has_subscribers("other.done")
        emit("job.done", {"ms": 3}, {"id": "j1"})
        emit("other.done")
    finally:
        assert liveness.detach("t-handler")
    emit("job.done")
    assert seen == [("job.done", {"ms": 3.0}, {"id": "j1"})]
    assert not liveness.detach("t-handler")


def test_duplicate_handler_ids_are_rejected() -> None:
    liveness.attach("t-dup", "a.b", lambda e: None)
    try:
        with pytest.raises(ValueError, match="already attached"):
            liveness.attach("t-dup", "a.b", lambda e: None)
    finally:
        liveness.detach("t-dup")
    with pytest.raises(TypeError, match="callable"):
        liveness.attach("t-x", "a.b", 42)  # type: ignore[arg-type]


def test_a_raising_handler_is_detached_warned_and_reported() -> None:
    def bad(event: liveness.Event) -> None:
        raise RuntimeError("handler bug")

    liveness.attach("t-bad", "boom.*", bad)
    with capture("liveness.handler.failure") as c, pytest.warns(liveness.HandlerWarning, match="t-bad"):
        emit("boom.now")  # the emitter is unaffected
    assert not liveness.detach("t-bad")  # already detached
    assert len(c.events) == 1
    assert c.events[0].metadata["handler"] == "t-bad"
    assert "handler bug" in c.events[0].metadata["error"]


def test_capture_records_from_every_thread_in_order() -> None:
    with capture("work.**") as c:
        emit("work.start")
        t = threading.Thread(target=lambda: emit("work.thread", {}, {"n": 1}), name="worker")
        t.start()
        liveness.eventually(lambda: len(c.events) == 2)
        emit("unrelated")
        emit("work.end")
    emit("work.after")
    assert [e.name for e in c.events] == ["work.start", "work.thread", "work.end"]
    # The core labels the emitting thread itself (Python thread names are not passed through).
    assert c.events[1].thread != c.events[0].thread
    seqs = [e.seq for e in c.events]
    assert seqs == sorted(seqs)


def test_capture_closes_when_the_block_raises() -> None:
    with pytest.raises(KeyError), capture("x.*") as c:
        emit("x.one")
        raise KeyError
    emit("x.two")
    assert [e.name for e in c.events] == ["x.one"]


def test_plain_data_is_copied_other_objects_keep_their_identity() -> None:
    class Conn:
        pass

    conn = Conn()
    payload = [1, 2]
    with capture("db.*") as c:
        emit("db.open", {}, {"conn": conn, "ids": payload, "nested": {"k": [None, True, 1.5, "s"]}})
    payload.append(3)  # snapshot at emit time
    meta = c.events[0].metadata
    assert meta["conn"] is conn
    assert meta["ids"] == [1, 2]
    assert meta["nested"] == {"k": [None, True, 1.5, "s"]}
    assert "db.open" in c.events[0].to_json()


def test_assert_emitted_passes_and_checks_where_and_count() -> None:
    with assert_emitted("breaker.state_change", where={"to": "open"}):
        emit("breaker.state_change", {}, {"from": "closed", "to": "open"})
    with assert_emitted("tick", count=2):
        emit("tick")
        emit("tick")
    with assert_emitted("job.*", where=lambda e: e.measurements.get("ms", 0) > 10):
        emit("job.done", {"ms": 12})


def test_assert_emitted_failure_lists_what_was_emitted() -> None:
    with (
        pytest.raises(liveness.EventAssertionError) as info,
        assert_emitted("breaker.state_change", where={"to": "open"}),
    ):
        emit("breaker.state_change", {}, {"to": "half_open"})
        emit("breaker.failure", {"count": 2})
    text = str(info.value)
    assert isinstance(info.value, AssertionError)
    assert "expected at least one event" in text
    assert "breaker.failure" in text
    assert "half_open" in text
    assert 'metadata "to"' in text  # the near miss says what did not match


def test_assert_emitted_count_mismatch_fails() -> None:
    with pytest.raises(liveness.EventAssertionError, match="exactly 1 event"), assert_emitted("tick", count=1):
        emit("tick")
        emit("tick")


def test_the_blocks_own_exception_wins() -> None:
    with pytest.raises(ZeroDivisionError), assert_emitted("never.emitted"):
        1 / 0  # noqa: B018 - the block fails on its own


def test_assert_not_emitted() -> None:
    with assert_not_emitted("error.*"):
        emit("ok.fine")
    with (
        pytest.raises(liveness.EventAssertionError, match="expected no event"),
        assert_not_emitted("error.*", where={"fatal": True}),
    ):
        emit("error.disk", {}, {"fatal": True})


def test_assert_emitted_in_order() -> None:
    with assert_emitted_in_order(["job.started", "job.done"]):
        emit("job.started")
        emit("job.progress")
        emit("job.done")
    with (
        pytest.raises(liveness.EventAssertionError, match="in this order"),
        assert_emitted_in_order(["job.started", "job.done"]),
    ):
        emit("job.done")
        emit("job.started")


def test_where_matches_kept_objects_by_python_equality() -> None:
    class Key:
        def __init__(self, v: int) -> None:
            self.v = v

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Key) and other.v == self.v

        __hash__ = None  # type: ignore[assignment]

    with assert_emitted("k.set", where={"key": Key(1)}):
        emit("k.set", {}, {"key": Key(1)})


def test_a_raising_predicate_propagates() -> None:
    def predicate(event: liveness.Event) -> bool:
        raise ValueError("predicate bug")

    with pytest.raises(ValueError, match="predicate bug"), assert_emitted("a.b", where=predicate):
        emit("a.b")


def test_bad_assertion_arguments_fail_before_the_block() -> None:
    ran: list[int] = []
    with pytest.raises(ValueError, match="invalid event pattern"):
        assert_emitted("a..b")
    with pytest.raises(TypeError):
        assert_emitted("a.b", where=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`count` must not be negative"):
        assert_emitted("a.b", count=-1)
    with pytest.raises(TypeError):
        assert_emitted_in_order("a.b")
    assert ran == []


@pytest.mark.asyncio
async def test_async_with_forms() -> None:
    async with capture("a.*") as c:
        emit("a.one")
    assert len(c.events) == 1
    async with assert_emitted("a.two"):
        emit("a.two")
    with pytest.raises(liveness.EventAssertionError):
        async with assert_not_emitted("a.*"):
            emit("a.three")


def test_wake_on_ends_a_sync_wait_early() -> None:
    state = {"ready": False}

    def service() -> None:
        state["ready"] = True
        emit("svc.ready")

    threading.Thread(target=service).start()
    # interval 30 s: without the hint the second evaluation would come at the 10 s deadline.
    assert liveness.eventually(lambda: state["ready"], interval=10, timeout=10, wake_on="svc.ready")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_handler_warnings_turned_into_errors_do_not_break_the_emitter() -> None:
    liveness.attach("t-bad2", "w.*", lambda e: 1 / 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        emit("w.x")  # must not raise
    assert not liveness.detach("t-bad2")


def test_integer_measurements_stay_integers() -> None:
    """Issue 13, point 14: an int emitted is an int captured; a float stays a float; a failure
    message writes {"count":1}."""
    with liveness.capture("x") as c:
        liveness.emit("x", {"count": 1, "ratio": 0.5})
    (event,) = c.events
    assert event.measurements["count"] == 1
    assert type(event.measurements["count"]) is int
    assert type(event.measurements["ratio"]) is float
    with pytest.raises(liveness.EventAssertionError) as info, liveness.assert_emitted("y"):
        liveness.emit("x", {"count": 1})
    assert '{"count":1}' in str(info.value)
