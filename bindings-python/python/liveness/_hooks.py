"""The hooks of a polling operation: ``on_evaluation`` receives an :class:`Evaluation` after each
evaluation that returned (the native driver calls it where the core's Poller counted it);
``on_timeout`` sees the wait's own failure before it is raised and may replace it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._errors import LivenessError, _ReportedError
from ._probe import describe

__all__ = ["Evaluation", "OnEvaluation", "OnTimeout", "check_hook", "failure_to_raise"]


@dataclass(frozen=True)
class Evaluation:
    """One evaluation of the probe, as ``on_evaluation`` receives it.

    ``started`` is in seconds since the call (on the wait's clock, the preparation included),
    ``duration`` in seconds. ``accepted`` says whether the operation took the result (for
    ``eventually_settles``: the value equals the previous one). ``value`` is what the probe
    returned (``None`` when it raised); ``error`` the exception it raised, retried (``None`` when
    it returned).
    """

    number: int
    started: float
    duration: float
    accepted: bool
    value: Any = None
    error: BaseException | None = None


Evaluation.__module__ = "liveness"

OnEvaluation = Callable[[Evaluation], object]
# Gets the wait's TimeoutError or ViolationError; returns a replacement, or None to raise it.
OnTimeout = Callable[[LivenessError], BaseException | None]


def check_hook(operation: str, option: str, hook: object) -> None:
    if hook is not None and not callable(hook):
        raise TypeError(
            f"{operation}: invalid option `{option}`: expected a function of one argument, got {hook!r} "
            f"({type(hook).__name__})"
        )


def failure_to_raise(
    err: _ReportedError, note: str | None, on_timeout: OnTimeout | None, probe: object = None
) -> BaseException:
    """The wait's own failure, completed: the pytest-timeout note, then ``on_timeout``'s say.
    A replacement gets the failure as ``__cause__`` unless it has a cause of its own; an
    exception of the hook propagates from here as itself."""
    if probe is not None:
        err._probe = describe(probe)
    if note:
        err._add_note(note)
    if on_timeout is None:
        return err
    replacement = on_timeout(err)
    if replacement is None:
        return err
    if not isinstance(replacement, BaseException):
        raise TypeError(
            f"on_timeout must return an exception to raise instead, or None to raise the original; "
            f"got {replacement!r} ({type(replacement).__name__})"
        ) from err
    if replacement.__cause__ is None and replacement is not err:
        replacement.__cause__ = err
    return replacement
