"""The logging and OpenTelemetry bridges (SPEC §5): what the code under test records with its
ecosystem's own instrumentation is seen by assert_emitted; the bridge-less controls see nothing."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import subprocess
import sys
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode

import liveness
from liveness.logging import EventHandler, capture_logging
from liveness.otel import EventSpanProcessor

log = logging.getLogger("shop.cart")


def add_to_cart(sku: str, quantity: int) -> None:
    """Code under test: it only logs."""
    log.info("added %d x %s", quantity, sku, extra={"sku": sku, "quantity": quantity})


def test_a_logging_record_is_seen_by_assert_emitted() -> None:
    with capture_logging(), liveness.assert_emitted("shop.cart", where={"sku": "A1", "quantity": 2}) as a:
        add_to_cart("A1", 2)
    (event,) = [e for e in a.events if e.name == "shop.cart"]
    assert event.metadata == {
        "level": "INFO",
        "logger": "shop.cart",
        "message": "added 2 x A1",
        "sku": "A1",
        "quantity": 2,
    }


def test_without_the_bridge_the_record_is_not_an_event() -> None:
    with pytest.raises(liveness.EventAssertionError, match=r"shop\.cart"), liveness.assert_emitted("shop.cart"):
        add_to_cart("A1", 2)


def test_the_fixture_installs_the_bridge(liveness_logging: EventHandler) -> None:
    assert isinstance(liveness_logging, EventHandler)
    with liveness.assert_emitted("shop.cart", where={"sku": "B2"}):
        add_to_cart("B2", 1)


def test_an_explicit_event_field_names_the_event_and_a_bad_one_does_not() -> None:
    with capture_logging(), liveness.capture("**") as c:
        log.warning("paid", extra={"event": "payment.done", "amount": 3})
        log.warning("odd", extra={"event": "not a name"})
    assert [e.name for e in c.events] == ["payment.done", "shop.cart"]
    assert c.events[0].metadata["amount"] == 3
    assert c.events[1].metadata["event"] == "not a name"


def test_exc_info_becomes_the_exception_text() -> None:
    with capture_logging(), liveness.capture("shop.**") as c:
        try:
            raise ValueError("bad sku")
        except ValueError:
            log.exception("failed")
    (event,) = c.events
    assert event.metadata["level"] == "ERROR"
    assert "ValueError: bad sku" in event.metadata["exception"]


def test_values_are_kept_as_the_core_keeps_metadata_and_a_bad_one_becomes_its_repr() -> None:
    marker = object()
    cycle: list[Any] = []
    cycle.append(cycle)
    with capture_logging(), liveness.capture("shop.**") as c:
        log.info("kept", extra={"obj": marker, "items": [1, "a"]})
        log.info("cycle", extra={"cycle": cycle})  # the core refuses it: the handler must not raise
    first, second = c.events
    assert first.metadata["obj"] is marker
    assert first.metadata["items"] == [1, "a"]
    assert second.metadata["cycle"] == "[[...]]"


def test_capture_logging_lowers_the_level_only_when_needed_and_restores_everything() -> None:
    quiet = logging.getLogger("liveness.test.quiet")
    quiet.setLevel(logging.WARNING)
    before = list(quiet.handlers)
    with capture_logging(quiet, logging.INFO), liveness.capture("liveness.test.**") as c:
        assert quiet.level == logging.INFO
        quiet.debug("below the handler's level")
        quiet.info("seen")
    assert quiet.level == logging.WARNING
    assert quiet.handlers == before
    assert [e.metadata["message"] for e in c.events] == ["seen"]
    loud = logging.getLogger("liveness.test.loud")
    loud.setLevel(logging.DEBUG)
    with capture_logging(loud, logging.INFO):
        assert loud.level == logging.DEBUG  # already lets INFO through: left alone


@pytest.mark.asyncio
async def test_a_record_is_emitted_in_the_scope_of_the_code_that_logged() -> None:
    theirs = asyncio.Event()

    async def other_test() -> None:
        with liveness.capture("**", scoped=True):
            log.info("theirs")
            theirs.set()

    with capture_logging(), liveness.capture("shop.**", scoped=True) as mine:
        task = asyncio.get_running_loop().create_task(other_test(), context=contextvars.Context())
        await theirs.wait()
        await task
        log.info("mine")
    assert [e.metadata["message"] for e in mine.events] == ["mine"]


def test_importing_liveness_imports_no_bridge_library() -> None:
    code = "import sys, liveness; sys.exit(any(m.startswith('opentelemetry') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def tracer_with(processor: EventSpanProcessor | None) -> Any:
    provider = TracerProvider()
    if processor is not None:
        provider.add_span_processor(processor)
    return provider.get_tracer("test")


def checkout(tracer: Any) -> None:
    """Code under test: it only traces."""
    with tracer.start_as_current_span("POST /checkout", kind=SpanKind.SERVER) as span:
        span.set_attribute("order.id", "o-1")
        span.set_attribute("items", 3)
        span.add_event("payment authorized", {"amount": 12.5})
        span.set_status(Status(StatusCode.OK))


def test_an_opentelemetry_span_is_seen_by_assert_emitted() -> None:
    tracer = tracer_with(EventSpanProcessor())
    with (
        liveness.assert_emitted("POST__checkout", where={"order.id": "o-1", "status": "OK", "kind": "SERVER"}) as a,
        liveness.assert_emitted("POST__checkout.payment_authorized", where={"amount": 12.5}),
    ):
        checkout(tracer)
    names = [e.name for e in a.events]
    assert names == ["POST__checkout.payment_authorized", "POST__checkout"]
    span_event, span = a.events
    assert span.metadata["items"] == 3
    assert len(span.metadata["trace_id"]) == 32
    assert len(span.metadata["span_id"]) == 16
    assert span.measurements["duration_ms"] >= 0
    assert span_event.metadata["span"] == "POST /checkout"
    assert span_event.metadata["span_id"] == span.metadata["span_id"]


def test_without_the_processor_the_span_is_not_an_event() -> None:
    tracer = tracer_with(None)
    with pytest.raises(liveness.EventAssertionError, match="POST__checkout"), liveness.assert_emitted("POST__checkout"):
        checkout(tracer)


def test_a_span_attribute_event_names_it_and_errors_keep_their_status() -> None:
    tracer = tracer_with(EventSpanProcessor())
    with liveness.capture("**") as c:
        with tracer.start_as_current_span("charge card") as span:
            span.set_attribute("event", "payment.charged")
        try:
            with tracer.start_as_current_span("refund"):
                raise RuntimeError("declined")
        except RuntimeError:
            pass
    assert [e.name for e in c.events] == ["payment.charged", "refund.exception", "refund"]
    assert c.events[1].metadata["exception.type"] == "RuntimeError"
    assert c.events[2].metadata["status"] == "ERROR"
