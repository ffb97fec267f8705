"""The ``logging`` bridge (SPEC §5, bridges): log records become liveness events, so a test can
``assert_emitted`` on what the code under test already logs, without changing it.

    with liveness.logging.capture_logging(), liveness.assert_emitted("shop.cart", where={"sku": "A1"}):
        logging.getLogger("shop.cart").info("added %s", "A1", extra={"sku": "A1"})

A record becomes the event named by its ``extra`` field ``event`` when that is a valid event
name, else by the logger's name (``liveness.bridge_name``: the core's rule, the same for every
bridge). Its metadata: ``level`` (``"INFO"``), ``logger``, ``message`` (the formatted message: it
is never part of the name), every ``extra`` field, and ``exception`` (the traceback text) when the
record has ``exc_info``. The event is emitted in the current scope of the code that logged.
"""

from __future__ import annotations

# This module is liveness.logging; these imports are the standard library's (absolute imports).
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import _native

__all__ = ["EventHandler", "capture_logging"]

# The attributes every LogRecord has; the others are the `extra` fields (what logging.makeRecord
# set from `extra=`). "message" and "asctime" are set by formatters, "taskName" from Python 3.12.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "taskName"}
_FORMATTER = logging.Formatter()


class EventHandler(logging.Handler):
    """A ``logging.Handler`` that emits each record it handles as a liveness event. It never
    raises into the logging call: a value the core cannot keep becomes its ``repr``."""

    def handle(self, record: logging.LogRecord) -> bool:
        # Nothing attached, no event: skip the handler's lock and filters, so that installing the
        # bridge costs next to nothing while no capture is open.
        if not _native.any_attached():
            return False
        return bool(super().handle(record))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            name, metadata = _event_of(record)
        # A record whose message cannot be formatted: logging's own report, never a raise.
        except Exception:  # noqa: BLE001 - a handler must not raise into the logging call
            self.handleError(record)
            return
        try:
            _native.emit(name, None, metadata)
        except (TypeError, ValueError):
            # A value the core refuses (a list that contains itself, nesting past the limit):
            # the record is still an event, with that value as its text.
            try:
                _native.emit(name, None, {k: _plain(v) for k, v in metadata.items()})
            except Exception:  # noqa: BLE001 - a handler must not raise into the logging call
                self.handleError(record)


def _event_of(record: logging.LogRecord) -> tuple[str, dict[str, Any]]:
    metadata: dict[str, Any] = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
    for key, value in record.__dict__.items():
        if key not in _STANDARD:
            metadata[key] = value
    if record.exc_info:
        metadata["exception"] = record.exc_text or _FORMATTER.formatException(record.exc_info)
    elif record.exc_text:
        metadata["exception"] = record.exc_text
    return _native.bridge_name(record.name, record.__dict__.get("event")), metadata


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        try:
            return repr(value)
        except Exception:  # noqa: BLE001 - a broken __repr__ must not lose the record
            return f"<{type(value).__name__} without a repr>"
    return value


@contextmanager
def capture_logging(logger: logging.Logger | str | None = None, level: int = logging.NOTSET) -> Iterator[EventHandler]:
    """Installs an :class:`EventHandler` (at ``level``) on ``logger`` (a logger or its name; the
    root logger by default) for the ``with`` block, and yields it. The logger's level is lowered
    to ``level`` (``NOTSET``: every record) only when it would drop such records; the handler and
    the level are restored on exit, also when the block raised. Records of a logger that does not
    propagate to ``logger`` are not seen."""
    target = logger if isinstance(logger, logging.Logger) else logging.getLogger(logger)
    handler = EventHandler(level)
    # NOTSET on a logger means "ask the parent", so "every record" is level 1 on the logger.
    threshold = level if level > logging.NOTSET else 1
    previous = target.level
    lowered = target.getEffectiveLevel() > threshold
    if lowered:
        target.setLevel(threshold)
    target.addHandler(handler)
    try:
        yield handler
    finally:
        target.removeHandler(handler)
        if lowered:
            target.setLevel(previous)
