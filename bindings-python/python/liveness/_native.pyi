# Stubs of the private native module (bindings-python/src). Checked against the runtime by
# mypy.stubtest in the test suite (tests/test_package.py).
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias, final

_Patterns: TypeAlias = str | Sequence[str]
_ExceptionTypes: TypeAlias = type[BaseException] | tuple[type[BaseException], ...] | list[type[BaseException]]

__all__ = [
    "__version__",
    "DEFAULT_TIMEOUT",
    "Wait",
    "WakeHint",
    "VirtualClock",
    "InstalledClock",
    "Report",
    "Event",
    "Capture",
    "_close_gate",
    "timeout_scale",
    "validate_options",
    "emit",
    "attach",
    "detach",
    "has_subscribers",
    "check_emitted",
    "check_not_emitted",
    "check_emitted_in_order",
]
__version__: str
DEFAULT_TIMEOUT: float

@final
class Wait:
    def __new__(
        cls,
        operation_name: str,
        *,
        event_loop: bool = False,
        during: float | None = None,
        quiet: float | None = None,
        timeout: float | None = None,
        interval: float | None = None,
        intervals: Sequence[float] | None = None,
        backoff: float | None = None,
        min_interval: float | None = None,
        max_interval: float | None = None,
        delay: float | None = None,
        attempts: int | None = None,
        message: str | None = None,
        stable_for: float | None = None,
        at_least: float | None = None,
        wake_on: _Patterns | None = None,
        retry_on: _ExceptionTypes | None = None,
        fail_on: _ExceptionTypes | None = None,
        on_evaluation: Callable[[Any], object] | None = None,
    ) -> Wait: ...
    def run(self, probe: Callable[[], Any], action: Callable[[], object] | None = None) -> Any: ...
    def next(self, at_: float) -> tuple[str, float | None]: ...
    def started(self, at_: float) -> int: ...
    def prepared(self, at_: float, value: object) -> None: ...
    def returned(self, at_: float, value: object) -> bool: ...
    def raised(self, at_: float, exc: BaseException) -> bool: ...
    def wake(self, at_: float) -> None: ...
    def abandon(self, at_: float) -> None: ...
    def result(self) -> Any: ...
    @property
    def deadline(self) -> float: ...
    @property
    def operation(self) -> str: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def preparation(self) -> str | None: ...
    @property
    def wake_patterns(self) -> list[str]: ...
    @property
    def failure(self) -> BaseException | None: ...

@final
class WakeHint:
    def __new__(cls, wake_on: _Patterns, callback: Callable[[], object]) -> WakeHint: ...
    def close(self) -> None: ...

@final
class VirtualClock:
    def __new__(cls) -> VirtualClock: ...
    def now(self) -> float: ...
    def advance(self, seconds: float) -> None: ...
    def install(self) -> InstalledClock: ...

@final
class InstalledClock:
    def uninstall(self) -> None: ...

@final
class Report:
    @property
    def operation(self) -> str: ...
    @property
    def message(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def last(self) -> str | None: ...
    @property
    def history(self) -> list[tuple[str, int, float, float]]: ...
    @property
    def omitted_runs(self) -> int: ...
    @property
    def hint(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def is_violation(self) -> bool: ...

@final
class Event:
    @property
    def name(self) -> str: ...
    @property
    def measurements(self) -> dict[str, float]: ...
    @property
    def metadata(self) -> dict[str, Any]: ...
    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> float: ...
    @property
    def thread(self) -> str: ...
    def to_json(self) -> str: ...

@final
class Capture:
    def __new__(cls, patterns_: _Patterns) -> Capture: ...
    def events(self) -> list[Event]: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...

def _close_gate() -> bool: ...
def timeout_scale() -> float: ...
def validate_options(
    *,
    timeout: float | None = None,
    interval: float | None = None,
    intervals: Sequence[float] | None = None,
    backoff: float | None = None,
    min_interval: float | None = None,
    max_interval: float | None = None,
    delay: float | None = None,
    attempts: int | None = None,
    message: str | None = None,
    stable_for: float | None = None,
    at_least: float | None = None,
    wake_on: _Patterns | None = None,
) -> None: ...
def emit(
    name: str, measurements: Mapping[str, float] | None = None, metadata: Mapping[str, Any] | None = None
) -> None: ...
def attach(id: str, patterns_: _Patterns, handler: Callable[[Event], object]) -> None: ...  # noqa: A002 - the runtime keyword
def detach(id: str) -> bool: ...  # noqa: A002 - the runtime keyword
def has_subscribers(name: str) -> bool: ...
def check_emitted(
    events: Sequence[Event],
    pattern: str,
    where_: Mapping[str, Any] | Callable[[Event], object] | None = None,
    count: int | None = None,
) -> None: ...
def check_not_emitted(
    events: Sequence[Event], pattern: str, where_: Mapping[str, Any] | Callable[[Event], object] | None = None
) -> None: ...
def check_emitted_in_order(events: Sequence[Event], patterns_: _Patterns) -> None: ...
