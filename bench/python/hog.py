"""The overloaded CI machine: busy processes on every core but one, for as long as the `with`
block lasts."""

from __future__ import annotations

import os
import subprocess
from types import TracebackType


class Hog:
    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.children: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Hog:
        copies = max(1, (os.cpu_count() or 2) - 1)
        try:
            for _ in range(copies):
                self.children.append(subprocess.Popen(self.command, stdin=subprocess.DEVNULL))
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        for child in self.children:
            child.kill()
        for child in self.children:
            child.wait()
        self.children.clear()
