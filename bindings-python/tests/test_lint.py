"""``python -m liveness lint``: the linter's engine through the wheel's native module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liveness", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_finds_a_sleep_in_test_code_only(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("from time import sleep as nap\n\n\ndef test_a():\n    nap(1)\n")
    (tmp_path / "app.py").write_text("import time\ntime.sleep(1)\n")
    out = run("lint", "--format", "json", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    findings = json.loads(out.stdout)["findings"]
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == [
        ("tests/test_a.py", 5, 5, "python/time-sleep")
    ]
    assert "liveness.eventually_passes" in findings[0]["suggestion"]


def test_allowed_with_a_reason_and_exit_statuses(tmp_path: Path) -> None:
    allowed = "import time\n# liveness: allow-sleep(simulated device latency)\ntime.sleep(1)\n"
    (tmp_path / "test_b.py").write_text(allowed)
    assert run("lint", ".", cwd=tmp_path).returncode == 0
    bad = run("lint", "--format", "yaml", cwd=tmp_path)
    assert bad.returncode == 2
    assert "--format" in bad.stderr
    sarif = json.loads(run("lint", "--format", "sarif", cwd=tmp_path).stdout)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []
