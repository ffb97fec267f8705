from __future__ import annotations

import re
from collections import Counter

import pytest

pytest_plugins = ["pytester"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many shared vectors each conformance runner ran (tests/test_conformance.py)."""
    counts: Counter[tuple[str, str]] = Counter()
    for outcome in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            found = re.search(r"test_conformance\.py::test_(polling_\w+|events)\[", getattr(report, "nodeid", ""))
            if found and getattr(report, "when", "call") in ("call", "setup"):
                counts[(found.group(1), outcome)] += 1
    if not counts:
        return
    terminalreporter.section("conformance vectors")
    for runner in sorted({runner for runner, _ in counts}):
        outcomes = ", ".join(
            f"{counts[(runner, o)]} {o}" for o in ("passed", "failed", "skipped") if counts[(runner, o)]
        )
        terminalreporter.write_line(f"{runner}: {outcomes}")
