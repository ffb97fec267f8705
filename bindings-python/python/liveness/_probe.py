"""What a failure report says about the probe it waited on (issue 13, point 9): a lambda's source
text, cut to the lambda expression (as pytest and the Rust macro show the expression), and the
values of the names it reads from its closure and its module, repr-limited. Worked out only when
a wait fails, cached per code object, and never failing: a probe whose source is unavailable (a
REPL, a built-in, a file that changed) gets no text."""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import reprlib
import types
from typing import Any

__all__ = ["describe"]

_repr = reprlib.Repr()
_repr.maxstring = 80
_repr.maxother = 80
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 8
_MAX_VALUES = 6


def describe(probe: Any) -> list[str]:
    """The report's lines about ``probe`` ("  probe: lambda: ...", "  where: items = [1, 2]")."""
    try:
        code = getattr(probe, "__code__", None)
        if not isinstance(code, types.CodeType) or code.co_name != "<lambda>":
            return []
        text = _lambda_source(code)
        if text is None:
            return []
        lines = [f"  probe: {text}"]
        values = _values(probe, code)
        if values:
            lines.append(f"  where: {', '.join(values)}")
        return lines
    except Exception:  # noqa: BLE001 - a description must never hide the report it belongs to
        return []


@functools.lru_cache(maxsize=256)
def _lambda_source(code: types.CodeType) -> str | None:
    tree = _parsed(code.co_filename)
    if tree is None:
        return None
    source, module = tree
    line = code.co_firstlineno
    found = [n for n in ast.walk(module) if isinstance(n, ast.Lambda) and n.lineno == line]
    if len(found) > 1:
        found = _by_position(found, code)
    if len(found) != 1:
        return None
    segment = ast.get_source_segment(source, found[0])
    if segment is None:
        return None
    return " ".join(part.strip() for part in segment.splitlines())


def _by_position(candidates: list[ast.Lambda], code: types.CodeType) -> list[ast.Lambda]:
    """Of several lambdas on one line, the one whose span holds the code's first instruction
    position (3.11+; older Pythons have no columns: no text then)."""
    positions = getattr(code, "co_positions", None)
    if positions is None:
        return []
    for _, _, col, end in positions():
        # The first instruction (RESUME) has no span of its own: the body's first one has.
        if col is not None and end is not None and end > col:
            return [n for n in candidates if n.col_offset <= col <= (n.end_col_offset or n.col_offset)]
    return []


@functools.lru_cache(maxsize=32)
def _parsed_cached(filename: str, source: str) -> ast.Module | None:
    try:
        return ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return None


def _parsed(filename: str) -> tuple[str, ast.Module] | None:
    lines = linecache.getlines(filename)
    if not lines:
        return None
    source = "".join(lines)
    module = _parsed_cached(filename, source)
    return None if module is None else (source, module)


def _values(probe: Any, code: types.CodeType) -> list[str]:
    shown: list[str] = []
    cells = dict(zip(code.co_freevars, getattr(probe, "__closure__", None) or (), strict=False))
    globals_: dict[str, Any] = getattr(probe, "__globals__", {})
    for name in (*code.co_freevars, *code.co_names):
        if len(shown) >= _MAX_VALUES:
            break
        if name in cells:
            try:
                value = cells[name].cell_contents
            except ValueError:  # an empty cell
                continue
        elif name in globals_:
            value = globals_[name]
        else:
            continue
        if _is_code_not_data(value) or f"{name} = " in "".join(shown):
            continue
        shown.append(f"{name} = {_short(value)}")
    return shown


def _is_code_not_data(value: Any) -> bool:
    return inspect.ismodule(value) or inspect.isclass(value) or inspect.isroutine(value)


def _short(value: Any) -> str:
    try:
        return _repr.repr(value)
    except Exception:  # noqa: BLE001 - a repr that raises says so instead
        return f"<{type(value).__name__} whose repr raised>"
