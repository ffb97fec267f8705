"""The shared vectors of tests/conformance/ (README there), run through the native Poller
(`liveness._native.Wait`, the object the sync and async operations drive) on a virtual clock.
Polling cases run twice: with the synchronous host's rule (an evaluation is never pre-empted) and
with the asyncio host's (an evaluation still running at the deadline is abandoned,
`async_expect`). Event cases run through the public API."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

import liveness
from liveness import _native

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


_kinds: dict[str, type[Exception]] = {}


def kind(name: str) -> type[Exception]:
    if name not in _kinds:
        _kinds[name] = type(name, (Exception,), {})
    return _kinds[name]


def seconds(value: Any) -> float:
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


class Script:
    def __init__(self, case: dict[str, Any]) -> None:
        self.entries = case.get("script", [])
        self.repeat = case.get("repeat_last", False)
        self.calls = 0

    def next(self) -> tuple[float, dict[str, Any]]:
        if self.calls >= len(self.entries) and not self.repeat:
            raise AssertionError(f"the probe was called {self.calls + 1} times, past the end of the script")
        entry = self.entries[min(self.calls, len(self.entries) - 1)]
        self.calls += 1
        return entry["duration_ms"] / 1000, entry


def outcome(entry: dict[str, Any]) -> tuple[bool, Any]:
    """(raised?, the exception or the value)."""
    if "raises" in entry:
        return True, kind(entry["raises"]["kind"])(entry["raises"]["text"])
    return False, entry.get("returns")


class Observed:
    def __init__(self) -> None:
        self.result = ""
        self.value: Any = None
        self.error: BaseException | None = None
        self.starts: list[float] = []
        self.elapsed = 0.0
        self.evaluations = 0
        self.action_calls = 0


def run_polling(case: dict[str, Any], asynchronous: bool) -> Observed:
    seen = Observed()
    script = Script(case)
    options, during = options_of(case)
    op = case["operation"]
    try:
        wait = _native.Wait(op, during=during, **options)
    except (ValueError, TypeError) as err:
        seen.result, seen.error = "invalid_option", err
        return seen
    now = 0.0
    if op == "sync_operation":
        seen.action_calls = 1
        raised, what = outcome(case.get("action", {}))
        if raised:
            seen.result, seen.error = "propagated", what
            return seen
    if op == "eventually_changes":
        seen.starts.append(now)
        cost, entry = script.next()
        now += cost
        raised, what = outcome(entry)
        if raised:
            seen.result, seen.error = "propagated", what
            seen.evaluations, seen.elapsed = script.calls, now
            return seen
        wait.set_baseline(what)
    zero_waits = 0
    while True:
        step, secs = wait.next(now)
        if step == "evaluate":
            zero_waits = 0
            wait.started(now)
            seen.starts.append(now)
            cost, entry = script.next()
            started = now
            if asynchronous and started < wait.deadline - 1e-9 and started + cost > wait.deadline:
                # asyncio settles at the deadline and abandons the pending probe.
                now = wait.deadline
                try:
                    wait.abandon(now)
                except AssertionError as err:
                    seen.result, seen.error = "timeout", err
                break
            now += cost
            raised, what = outcome(entry)
            if raised:
                if wait.raised(now, what):
                    seen.result, seen.error = "propagated", what
                    break
            else:
                wait.returned(now, what)
        elif step == "wait":
            zero_waits = 0 if secs > 0 else zero_waits + 1
            assert zero_waits < 4, f"the poller keeps asking to wait 0 at {now}: it would spin"
            now += secs
        else:
            try:
                seen.value = wait.result()
                seen.result = "ok"
            except liveness.ViolationError as err:
                seen.result, seen.error = "violated", err
            except liveness.TimeoutError as err:
                seen.result, seen.error = "timeout", err
            break
    seen.evaluations, seen.elapsed = script.calls, now
    return seen


def check(case: dict[str, Any], expect: dict[str, Any], seen: Observed) -> None:
    assert seen.result == expect["result"], f"{case['name']}: {seen.result} ({seen.error}) instead of {expect}"
    if "value" in expect and expect["result"] == "ok":
        assert seen.value == expect["value"]
    if "evaluations" in expect:
        assert seen.evaluations == expect["evaluations"]
    if "starts_ms" in expect:
        assert len(seen.starts) == len(expect["starts_ms"]), (seen.starts, expect["starts_ms"])
        for got, want in zip(seen.starts, expect["starts_ms"], strict=True):
            assert abs(got * 1000 - want) < TOLERANCE_MS, (seen.starts, expect["starts_ms"])
    if "elapsed_ms" in expect:
        assert abs(seen.elapsed * 1000 - expect["elapsed_ms"]) < TOLERANCE_MS
    if "propagated_kind" in expect:
        assert type(seen.error).__name__ == expect["propagated_kind"]
    if "invalid_option" in expect:
        name = expect["invalid_option"]
        assert name in str(seen.error), f"{seen.error!r} does not name {name}"
    if "action_calls" in expect:
        assert seen.action_calls == expect["action_calls"]
    message_checks(expect, str(seen.error) if seen.error is not None else "")


def message_checks(expect: dict[str, Any], text: str) -> None:
    for fragment in expect.get("message_contains", []):
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    for fragment in expect.get("message_not_contains", []):
        assert fragment not in text, f"{fragment!r} in:\n{text}"
    order = expect.get("message_order", [])
    positions = [text.find(f) for f in order]
    assert all(p >= 0 for p in positions), f"{order} out of order in:\n{text}"
    assert positions == sorted(positions), f"{order} out of order in:\n{text}"
    for fragment, n in expect.get("message_count", {}).items():
        assert text.count(fragment) == n, f"{fragment!r} {text.count(fragment)}× instead of {n}× in:\n{text}"
    for fragment, n in expect.get("message_max_count", {}).items():
        assert text.count(fragment) <= n, text


def environment(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVENESS_TIMEOUT_SCALE", raising=False)
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize("case", POLLING, ids=[c["name"] for c in POLLING])
def test_polling_sync_host(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    environment(case, monkeypatch)
    check(case, case["expect"], run_polling(case, asynchronous=False))


@pytest.mark.parametrize("case", POLLING, ids=[c["name"] for c in POLLING])
def test_polling_asyncio_host(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    environment(case, monkeypatch)
    check(case, case.get("async_expect", case["expect"]), run_polling(case, asynchronous=True))


# Events, through the public API.


def emit_all(events: list[dict[str, Any]]) -> None:
    for e in events:
        liveness.emit(e["name"], e.get("measurements", {}), e.get("metadata", {}))


def matches(pattern: str, name: str) -> bool:
    with liveness.capture(pattern) as c:
        liveness.emit(name)
    return len(c.events) == 1


def run_event_case(case: dict[str, Any]) -> None:
    k = case["kind"]
    if k == "pattern":
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
