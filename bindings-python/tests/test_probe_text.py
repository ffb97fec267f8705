"""What a failure says about the probe (issue 13, point 9): a lambda's source, cut to the lambda,
and the values it reads (closure cells, module globals), repr-limited; nothing when the source
cannot be had."""

from __future__ import annotations

import asyncio

import pytest

import liveness
from liveness import aio
from liveness.testing import VirtualClock

LIMIT = 3


def test_the_lambda_and_its_values_are_shown_under_the_headline() -> None:
    items = [1, 2]
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually(lambda: len(items) == LIMIT, timeout=1, interval=0.5)
    lines = str(info.value).splitlines()
    assert lines[0].startswith("eventually: not met after 1.00 s")
    assert lines[1] == "  probe: lambda: len(items) == LIMIT"
    assert lines[2] == "  where: items = [1, 2], LIMIT = 3"
    assert lines[3] == "  last: returned False"


def test_of_two_lambdas_on_a_line_the_probe_is_the_one_shown() -> None:
    def pick(a: object, b: object) -> object:
        return b

    ready = False
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually(pick(lambda: 1, lambda: ready), timeout=0)  # type: ignore[arg-type]
    assert "  probe: lambda: ready\n" in str(info.value)


def test_a_multiline_lambda_is_one_line_and_values_are_cut_short() -> None:
    big = list(range(1000))
    with VirtualClock(), pytest.raises(liveness.ViolationError) as info:
        # fmt: off
        liveness.always(lambda: (
            len(big) < 10
        ), 1)
        # fmt: on
    text = str(info.value)
    assert "  probe: lambda: ( len(big) < 10 )\n" in text
    assert "  where: big = [0, 1, 2, 3, 4, 5, 6, 7, ...]\n" in text


def test_a_probe_without_source_or_not_a_lambda_gets_no_text() -> None:
    namespace: dict[str, object] = {"liveness": liveness}
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        exec("liveness.eventually(lambda: False, timeout=0)", namespace)
    assert "probe:" not in str(info.value)

    def named() -> bool:
        return False

    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually(named, timeout=0)
    assert "probe:" not in str(info.value)


def test_a_value_whose_repr_raises_does_not_break_the_report() -> None:
    class Nasty:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

        def __bool__(self) -> bool:
            return False

    nasty = Nasty()
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually(lambda: nasty, timeout=0)
    assert "  where: nasty = <Nasty instance at " in str(info.value)


def test_the_values_are_read_when_the_wait_fails() -> None:
    seen: list[int] = []
    with VirtualClock(), pytest.raises(liveness.TimeoutError) as info:
        liveness.eventually(lambda: seen.append(1), timeout=1, interval=0.5, late_check=0)
    assert "  where: seen = [1, 1, 1]" in str(info.value)


def test_aio_shows_it_too() -> None:
    count = 0

    async def main() -> None:
        await aio.eventually(lambda: count > 1, timeout=0)

    with pytest.raises(liveness.TimeoutError) as info:
        asyncio.run(main())
    assert "  probe: lambda: count > 1\n  where: count = 0\n" in str(info.value)
