"""The exceptions users catch. Every failure of liveness is an AssertionError, so pytest reports a
failed assertion (SPEC §4); bad options are ValueError/TypeError and come from the core's checks."""

from __future__ import annotations

from typing import Any

from ._native import Report

__all__ = ["LivenessError", "TimeoutError", "ViolationError", "EventAssertionError", "HandlerWarning"]


class LivenessError(AssertionError):
    """Base of every liveness failure."""


class _ReportedError(LivenessError):
    """A polling failure carrying the core's report (SPEC §3)."""

    report: Report
    """The core's report (SPEC §3): set on every failure liveness raises (one made by hand
    without a report has none)."""

    def __init__(self, text: str, report: Report | None = None) -> None:
        super().__init__(text)
        if report is not None:
            self.report = report
        self._notes: list[str] = []
        # Lines about the probe (its source, the values it reads), shown under the headline.
        self._probe: list[str] = []

    def __str__(self) -> str:
        text = str(self.args[0]) if self.args else ""
        headline, newline, rest = text.partition("\n")
        return "\n".join([headline, *self._probe, *([rest] if newline else []), *self._notes])

    def _add_note(self, note: str) -> None:
        # BaseException.add_note exists only from 3.11, and pytest shows it after the traceback;
        # a note that explains the message belongs in the message.
        self._notes.append(note)

    @property
    def evaluations(self) -> int:
        return self.report.evaluations

    @property
    def elapsed(self) -> float:
        """Seconds waited."""
        return self.report.elapsed

    @property
    def last_failure(self) -> str | None:
        """The last failure as text; the exception itself is ``__cause__``."""
        return self.report.last

    @property
    def history(self) -> list[tuple[str, int, float, float]]:
        """Runs of identical outcomes: (label, count, first, last) with times in seconds."""
        return list(self.report.history)


class TimeoutError(_ReportedError):  # shadows the builtin: the name SPEC §3 gives it, on purpose
    """A wait ended (deadline or attempts) without an accepted evaluation.

    ``__cause__`` is the probe's last exception, so pytest shows its introspection.
    """


class ViolationError(_ReportedError):
    """``always`` saw a rejected evaluation, or ``never`` an accepted one."""


class EventAssertionError(LivenessError):
    """``assert_emitted`` and friends did not find what they were asked for."""

    def __init__(self, text: str, *args: Any) -> None:
        super().__init__(text, *args)


class HandlerWarning(RuntimeWarning):
    """An event handler raised; it was detached and the emitter was unaffected."""


# Shown as `liveness.TimeoutError` in tracebacks and pytest summaries, where users import it from.
for _cls in (LivenessError, TimeoutError, ViolationError, EventAssertionError, HandlerWarning):
    _cls.__module__ = "liveness"
del _cls
