"""liveness: drop the sleeps from your tests.

    from liveness import eventually
    eventually(lambda: db.find("x"))          # waits until truthy, returns it

Polling (``eventually``, ``eventually_passes``, ``always``, ``never``, ``eventually_changes``,
``eventually_settles``), ``sync_operation``, and event capture/assertions, with one Rust core shared by every language
(see SPEC.md). Awaitable versions, for asyncio and trio, are in :mod:`liveness.aio`;
:mod:`liveness.testing` has a virtual clock for the synchronous ones. Installing the package also
installs a pytest plugin (``--liveness-forbid-sleep``, ini defaults, the ``liveness`` marker).
"""

from __future__ import annotations

import atexit

from . import _native, testing
from ._attempts import Attempt, Attempts, attempts
from ._config import allow_sleep
from ._errors import EventAssertionError, HandlerWarning, LivenessError, ViolationError

# `liveness.TimeoutError` (the name SPEC §3 gives it), but not in __all__: `from liveness import *`
# must not shadow the builtin TimeoutError.
from ._errors import TimeoutError as TimeoutError
from ._events import (
    Capture,
    EventAssertion,
    assert_emitted,
    assert_emitted_in_order,
    assert_not_emitted,
    capture,
    scoped_thread,
)
from ._hooks import Evaluation
from ._native import Event, Report, Scope, attach, bridge_name, detach, emit, has_subscribers
from ._ops import (
    always,
    eventually,
    eventually_changes,
    eventually_passes,
    eventually_settles,
    never,
    sync_operation,
)

__version__: str = _native.__version__

# At interpreter exit, threads still inside liveness (daemon threads emitting into a handler or
# waiting) are parked before CPython starts finalising, instead of being ended with pthread_exit
# inside native code (which aborts the process: exit code 134). atexit runs after the non-daemon
# threads were joined and before finalisation begins.
atexit.register(_native._close_gate)

__all__ = [
    "eventually",
    "eventually_passes",
    "eventually_changes",
    "eventually_settles",
    "always",
    "never",
    "sync_operation",
    "attempts",
    "Attempt",
    "Attempts",
    "emit",
    "attach",
    "detach",
    "has_subscribers",
    "capture",
    "assert_emitted",
    "assert_not_emitted",
    "assert_emitted_in_order",
    "scoped_thread",
    "bridge_name",
    "Scope",
    "Capture",
    "EventAssertion",
    "Event",
    "Report",
    "Evaluation",
    "LivenessError",
    "ViolationError",
    "EventAssertionError",
    "HandlerWarning",
    "allow_sleep",
    "testing",
    "__version__",
]
