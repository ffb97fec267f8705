"""The OpenTelemetry bridge (SPEC §5, bridges; ``pip install liveness[otel]``): finished spans and
their span events become liveness events.

    provider.add_span_processor(liveness.otel.EventSpanProcessor())

A finished span → the event named by its attribute ``event`` when that is a valid event name,
else by the span's name (``liveness.bridge_name``); metadata its attributes, ``trace_id`` and
``span_id`` (hex), ``status`` (``"UNSET"``, ``"OK"``, ``"ERROR"``) and ``kind`` (``"INTERNAL"``,
``"SERVER"``…); measurement ``duration_ms``. Each span event, before the span's own event → the
span's name plus the event's name (``checkout.exception``), metadata its attributes, ``span``,
``trace_id`` and ``span_id``. Events are emitted where the span ends: in the current scope of the
code that ended it.
"""

from __future__ import annotations

from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor

from . import _native

__all__ = ["EventSpanProcessor"]


class EventSpanProcessor(SpanProcessor):
    """A span processor that emits each finished span, and its span events, as liveness events.
    It never raises into the code ending the span: a value the core cannot keep becomes its
    ``repr``."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        pass

    def on_end(self, span: ReadableSpan) -> None:
        # Nothing attached, nothing to build: the bridge costs one call while no capture is open.
        if not _native.any_attached():
            return
        context = span.get_span_context()
        ids: dict[str, Any] = {}
        if context is not None:
            ids = {"trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}
        base = _native.bridge_name(span.name)
        for event in span.events:
            metadata = dict(event.attributes or {})
            metadata.update(span=span.name, **ids)
            _emit(f"{base}.{_native.bridge_name(event.name)}", None, metadata)
        attributes = dict(span.attributes or {})
        name = _native.bridge_name(span.name, attributes.get("event"))
        metadata = {**attributes, **ids, "status": span.status.status_code.name, "kind": span.kind.name}
        measurements: dict[str, float] = {}
        if span.start_time is not None and span.end_time is not None:
            measurements["duration_ms"] = (span.end_time - span.start_time) / 1e6
        _emit(name, measurements, metadata)

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True  # nothing is buffered: each span is emitted when it ends


def _emit(name: str, measurements: dict[str, float] | None, metadata: dict[str, Any]) -> None:
    try:
        _native.emit(name, measurements, metadata)
    except (TypeError, ValueError):
        # Attribute values are str, bool, int, float or sequences of them, so this takes a broken
        # SDK or a hand-made span; the span is still an event, with such values as text.
        _native.emit(
            name,
            measurements,
            {k: v if isinstance(v, (str, bool, int, float)) else repr(v) for k, v in metadata.items()},
        )
