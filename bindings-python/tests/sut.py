"""Simulated systems under test, ported from the seeds. Their sleeps ARE the behaviour (a
shutdown that takes a while, a write that is flushed later); tests never sleep themselves."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import ClassVar

import liveness


class AlreadyStarted(Exception):
    pass


class ExternalAdder:
    """A singleton service registered under a name, like the seed's GenServer: stopping it is
    asynchronous (its shutdown takes 5–30 ms on another thread) and the name stays taken until
    it is over, so a test that starts it right after the previous one stopped races."""

    _registry: ClassVar[dict[str, ExternalAdder]] = {}
    _lock = threading.Lock()
    NAME = "external_adder"

    def __init__(self) -> None:
        self.running = True

    @classmethod
    def start_link(cls) -> ExternalAdder:
        with cls._lock:
            if cls.NAME in cls._registry:
                raise AlreadyStarted(f"{{:already_started, {cls.NAME}}}")
            adder = cls()
            cls._registry[cls.NAME] = adder
            return adder

    @classmethod
    def whereis(cls) -> ExternalAdder | None:
        with cls._lock:
            return cls._registry.get(cls.NAME)

    def add(self, x: int, y: int) -> int:
        assert self.running
        return x + y

    def stop(self, shutdown_ms: float | None = None) -> None:
        """Returns at once; the service terminates (and frees its name) a little later."""
        delay = (shutdown_ms if shutdown_ms is not None else random.uniform(5, 30)) / 1000

        def terminate() -> None:
            time.sleep(delay)  # liveness: allow-sleep(the terminate callback's work: the behaviour being simulated)
            with ExternalAdder._lock:
                self.running = False
                if ExternalAdder._registry.get(ExternalAdder.NAME) is self:
                    del ExternalAdder._registry[ExternalAdder.NAME]

        threading.Thread(target=terminate, name="adder-shutdown", daemon=True).start()

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls._registry.clear()


class AdditionJob:
    """The seed's delayed write: the result reaches the file only after a flush delay."""

    def __init__(self, directory: Path, flush_ms: float = 50) -> None:
        self.directory = directory
        self.flush = flush_ms / 1000
        self._n = 0

    def schedule_addition(self, x: int, y: int) -> Path:
        self._n += 1
        out = self.directory / f"result-{self._n}.txt"
        out.write_text("")

        def flush() -> None:
            time.sleep(self.flush)  # liveness: allow-sleep(the buffered write's flush delay)
            out.write_text(str(x + y))

        threading.Thread(target=flush, name="job-flush", daemon=True).start()
        return out


class CircuitBreaker:
    """Seed 000's circuit breaker: opens after `threshold` failures and emits telemetry as a side
    effect. `fail` is the synchronous (test) API; `cast_fail` the fire-and-forget one."""

    def __init__(self, name: str, threshold: int = 3) -> None:
        self.name = name
        self.threshold = threshold
        self.failures = 0
        self.state = "closed"
        self._lock = threading.Lock()
        self._inbox: list[str] = []

    def status(self) -> str:
        with self._lock:
            return self.state

    def fail(self) -> None:
        with self._lock:
            self.failures += 1
            liveness.emit("breaker.failure", {"count": self.failures}, {"breaker": self.name})
            if self.failures >= self.threshold and self.state == "closed":
                self.state = "open"
                liveness.emit("breaker.state_change", {}, {"breaker": self.name, "from": "closed", "to": "open"})

    def cast_fail(self) -> None:
        """Fire and forget: the failure is recorded by a worker thread a moment later."""

        def work() -> None:
            time.sleep(random.uniform(0.001, 0.01))  # liveness: allow-sleep(the mailbox's latency)
            self.fail()

        threading.Thread(target=work, name="breaker-worker", daemon=True).start()

    def call(self, fn):  # type: ignore[no-untyped-def]
        if self.status() == "open":
            liveness.emit("breaker.rejected", {}, {"breaker": self.name})
            raise RuntimeError("circuit open")
        result = fn()
        liveness.emit("breaker.call_success", {}, {"breaker": self.name})
        return result


def trip_circuit_breaker(breaker: CircuitBreaker, fail_count: int = 3) -> None:
    """The seed's synchronous test helper."""
    for _ in range(fail_count):
        breaker.fail()


def slow_probe(seconds: float, result: object = False):  # type: ignore[no-untyped-def]
    """A probe that takes `seconds` to answer (a slow health check): its cost is the behaviour."""

    def probe() -> object:
        with liveness.allow_sleep():  # the probe's cost is the scenario, not a wait
            # liveness: allow-sleep(the slow probe's cost: the scenario)
            time.sleep(seconds)
        return result

    return probe
