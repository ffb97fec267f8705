"""The suite's system under test (seed 004): a singleton service registered under a name whose
stop is asynchronous. The name stays taken until the shutdown is over, so a test that starts it
right after the previous test stopped it races. The shutdown's delay is the behaviour being
simulated (a timer thread), not a wait of the bench."""

from __future__ import annotations

import threading
from typing import Dict, Optional


class AlreadyStarted(Exception):
    pass


class Adder:
    _registry: Dict[str, "Adder"] = {}
    _lock = threading.Lock()
    NAME = "bench-adder"

    def __init__(self, shutdown_ms: float) -> None:
        self.running = True
        self._shutdown_s = shutdown_ms / 1000

    @classmethod
    def start(cls, shutdown_ms: float) -> "Adder":
        """Registers a new instance; raises AlreadyStarted while the name is taken."""
        with cls._lock:
            if cls.NAME in cls._registry:
                raise AlreadyStarted(cls.NAME)
            adder = cls(shutdown_ms)
            cls._registry[cls.NAME] = adder
            return adder

    @classmethod
    def try_start(cls, shutdown_ms: float) -> Optional["Adder"]:
        """start() as a probe: the instance, or None while the name is taken. Not every library
        treats an exception as "not yet" (tenacity and busypie re-raise it by default), so every
        waiter gets this form."""
        try:
            return cls.start(shutdown_ms)
        except AlreadyStarted:
            return None

    @classmethod
    def is_registered(cls) -> bool:
        with cls._lock:
            return cls.NAME in cls._registry

    def add(self, x: int, y: int) -> int:
        assert self.running
        return x + y

    def stop(self) -> None:
        """Returns at once; the name is freed shutdown_ms later on a timer thread."""
        self.running = False
        timer = threading.Timer(self._shutdown_s, self._terminate)
        timer.daemon = True
        timer.start()

    def _terminate(self) -> None:
        with Adder._lock:
            if Adder._registry.get(Adder.NAME) is self:
                del Adder._registry[Adder.NAME]
