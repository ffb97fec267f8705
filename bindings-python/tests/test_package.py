"""Packaging facts: version from the workspace, type information that matches the runtime."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import liveness

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent / "python" / "liveness"
WORKSPACE = HERE.parents[1] / "Cargo.toml"


def test_version_is_the_workspace_version() -> None:
    text = WORKSPACE.read_text()
    section = text[text.index("[workspace.package]") :]
    version = re.search(r'^version\s*=\s*"([^"]+)"', section, re.M)
    assert version
    assert liveness.__version__ == version.group(1)


def test_public_names() -> None:
    for name in liveness.__all__:
        assert hasattr(liveness, name), name
    assert issubclass(liveness.TimeoutError, AssertionError)
    assert issubclass(liveness.ViolationError, AssertionError)
    assert issubclass(liveness.EventAssertionError, AssertionError)
    assert issubclass(liveness.HandlerWarning, RuntimeWarning)
    assert (PACKAGE / "py.typed").exists()


def test_stubs_match_the_runtime() -> None:
    # The native module is the one whose types live in a .pyi; the Python modules carry their own
    # annotations (checked by mypy --strict below).
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "liveness._native", "--mypy-config-file", str(HERE / "mypy.ini")],
        capture_output=True,
        text=True,
        cwd=HERE.parent / "python",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_and_a_typed_user_type_check_strictly(tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(
        "from typing import Optional\n"
        "import liveness\n"
        "from liveness import aio\n"
        "def find() -> Optional[str]:\n    return 'x'\n"
        "value: str = liveness.eventually(find, timeout=1.5, wake_on=['a.*'], retry_on=KeyError)\n"
        "async def main() -> int:\n"
        "    async def probe() -> Optional[int]:\n        return 1\n"
        "    n: int = await aio.eventually(probe)\n"
        "    return n\n"
        "with liveness.assert_emitted('a.b', where={'k': 1}, count=1) as block:\n"
        "    liveness.emit('a.b', {'n': 1.0}, {'k': 1})\n"
        "names = [e.name for e in block.events]\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(HERE / "mypy.ini"), str(PACKAGE), str(user)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
