"""The ways a Python test can wait for a condition: liveness, hand-written loops, and the polling
libraries people use instead. One adapter per library, each a `wait_until(probe, timeout)` that
returns True when the probe held and False when the library gave up (its own timeout error);
anything else a library raises is a bug of the bench and propagates.

Every adapter uses the library's own defaults except where the library has none (polling2's
`step`): the point is what a test gets when it just calls the library. The `settings` strings say
what that is; they end up in the results file next to the figures.
"""

from __future__ import annotations

import importlib.metadata
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import busypie
import liveness
import polling2
import tenacity
import waiting
from busypie.condition import DEFAULT_POLL_DELAY
from tenacity import Retrying, retry_if_result, stop_after_delay

Probe = Callable[[], object]
WaitUntil = Callable[[Probe, float], bool]

# The event the overshoot setter emits right after making the condition true.
WAKE_EVENT = "bench.ready"

# polling2.poll has no default step; bench/README.md fixes 0.1 s for it.
POLLING2_STEP = 0.1


@dataclass(frozen=True)
class Waiter:
    label: str
    wait_until: WaitUntil


def version(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def held(wait: Callable[[], object], gave_up: type[BaseException]) -> bool:
    """True when `wait` returned, False when it raised the library's own timeout error `gave_up`."""
    try:
        wait()
        return True
    except gave_up:
        return False


# ---------------------------------------------------------------------------------------------
# liveness


def liveness_defaults(probe: Probe, timeout: float) -> bool:
    return held(lambda: liveness.eventually(probe, timeout=timeout), liveness.TimeoutError)


def liveness_wake_hint(probe: Probe, timeout: float) -> bool:
    return held(lambda: liveness.eventually(probe, timeout=timeout, wake_on=WAKE_EVENT), liveness.TimeoutError)


def liveness_interval_0(probe: Probe, timeout: float) -> bool:
    # interval=0 is the adaptive schedule (SPEC §2): the busy loop is min_interval = max_interval = 0.
    return held(
        lambda: liveness.eventually(probe, timeout=timeout, min_interval=0, max_interval=0), liveness.TimeoutError
    )


# ---------------------------------------------------------------------------------------------
# The floor: no polling at all. A system written to be waited for sets an Event when it changes
# state; the waiter re-evaluates its probe after each one (a notification is a hint, the probe
# decides).

PUSH_LABEL = "floor (push waiter)"
_PUSHED = threading.Event()


def notify_push() -> None:
    """What a system under test calls right after it changes state: wakes the push waiter."""
    _PUSHED.set()


def push_wait(probe: Probe, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        # Cleared before the probe: a notification after a false evaluation ends the wait below.
        _PUSHED.clear()
        if probe():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        _PUSHED.wait(remaining)


# ---------------------------------------------------------------------------------------------
# What people write by hand: call, check, check the clock, sleep.


def hand_loop(period: float) -> WaitUntil:
    def wait_until(probe: Probe, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if probe():
                return True
            if time.monotonic() >= deadline:
                return False
            if period:
                time.sleep(period)

    return wait_until


# ---------------------------------------------------------------------------------------------
# Peers


def busypie_defaults(probe: Probe, timeout: float) -> bool:
    builder = busypie.wait().at_most(timeout)
    if timeout < DEFAULT_POLL_DELAY:
        # busypie refuses a first delay longer than the whole wait (ValueError); only the smoke
        # mode's tiny CPU wait gets here, and it then waits the whole timeout before the probe.
        builder = builder.poll_delay(timeout)
    return held(lambda: builder.until(probe), busypie.ConditionTimeoutError)


def busypie_interval_0(probe: Probe, timeout: float) -> bool:
    builder = busypie.wait().at_most(timeout).poll_delay(0).poll_interval(0)
    return held(lambda: builder.until(probe), busypie.ConditionTimeoutError)


def polling2_defaults(probe: Probe, timeout: float) -> bool:
    return held(lambda: polling2.poll(probe, step=POLLING2_STEP, timeout=timeout), polling2.TimeoutException)


def polling2_interval_0(probe: Probe, timeout: float) -> bool:
    return held(lambda: polling2.poll(probe, step=0, timeout=timeout), polling2.TimeoutException)


def waiting_defaults(probe: Probe, timeout: float) -> bool:
    return held(lambda: waiting.wait(probe, timeout_seconds=timeout), waiting.TimeoutExpired)


def waiting_interval_0(probe: Probe, timeout: float) -> bool:
    return held(lambda: waiting.wait(probe, timeout_seconds=timeout, sleep_seconds=0), waiting.TimeoutExpired)


def tenacity_defaults(probe: Probe, timeout: float) -> bool:
    # tenacity is a retry library; used as a wait, "retry while the result is falsy". Its default
    # wait is wait_none(): it still calls time.sleep(0) between attempts, which is all that keeps
    # it from spinning.
    retrying = Retrying(retry=retry_if_result(lambda r: not r), stop=stop_after_delay(timeout))
    return held(lambda: retrying(probe), tenacity.RetryError)


# ---------------------------------------------------------------------------------------------
# The waiter sets of each scenario

LIVENESS = Waiter("liveness", liveness_defaults)
WAKE_HINT = Waiter("liveness + wake hint", liveness_wake_hint)
HAND_1MS = Waiter("hand loop 1 ms", hand_loop(0.001))
HAND_10MS = Waiter("hand loop 10 ms", hand_loop(0.01))
PUSH = Waiter(PUSH_LABEL, push_wait)
PEERS = [
    Waiter("busypie", busypie_defaults),
    Waiter("polling2", polling2_defaults),
    Waiter("waiting", waiting_defaults),
    Waiter("tenacity", tenacity_defaults),
]

# Overshoot: everything; its setter emits the wake hint's event and notifies the push waiter
# right after the flip. CPU: the same, with nothing emitted or notified during the wait (the hint
# names an event that does not come, which is what it costs while the system is still busy).
OVERSHOOT: list[Waiter] = [LIVENESS, WAKE_HINT, HAND_1MS, HAND_10MS, *PEERS, PUSH]
CPU: list[Waiter] = OVERSHOOT
# Suite: its system under test emits no event; the push waiter's twin of it notifies (suite.py).
SUITE: list[Waiter] = [LIVENESS, HAND_1MS, HAND_10MS, *PEERS, PUSH]
# Evaluation overhead: each at interval 0 (all of them accept 0; tenacity's default already is).
# Only the hand loop then skips the sleep call: the peers still call sleep(0) (or, for busypie,
# asyncio.sleep(0)) between evaluations, which is part of what they cost.
# The baseline comes first so every other line can print its ratio to it as it is measured.
INTERVAL_0: list[Waiter] = [
    Waiter("hand loop", hand_loop(0)),
    Waiter("liveness", liveness_interval_0),
    Waiter("busypie", busypie_interval_0),
    Waiter("polling2", polling2_interval_0),
    Waiter("waiting", waiting_interval_0),
    Waiter("tenacity", tenacity_defaults),
]

SLEEP_50MS = "sleep 50 ms"


def describe() -> dict[str, dict[str, str]]:
    """The `libraries` entry of the results file: what each label stands for."""
    ours = liveness.__version__
    return {
        "liveness": {
            "version": ours,
            "settings": "defaults: eventually(probe, timeout=...), adaptive period (1-50 ms); "
            "eval_overhead: min_interval=0, max_interval=0 (a busy loop)",
        },
        "liveness + wake hint": {
            "version": ours,
            "settings": f'defaults + wake_on="{WAKE_EVENT}", emitted by the setter right after the flip (overshoot); '
            "in cpu nothing emits it during the wait",
        },
        PUSH_LABEL: {
            "version": "-",
            "settings": "threading.Event: cleared, probe, Event.wait(remaining) until the system under test sets it "
            "(overshoot: the setter right after the flip; suite: the adder's shutdown thread right after it frees the "
            "name; cpu: nobody)",
        },
        "liveness + wake_on_path": {
            "version": ours,
            "settings": "delayed_write only: defaults + wake_on_path=<the result file> (its directory is watched "
            "until the file exists)",
        },
        "hand loop 1 ms": {"version": "-", "settings": "while not p(): time.sleep(0.001), with a deadline check"},
        "hand loop 10 ms": {"version": "-", "settings": "while not p(): time.sleep(0.01), with a deadline check"},
        "hand loop 50 ms": {
            "version": "-",
            "settings": "concurrency only: while not p(): time.sleep(0.05) (asyncio: await asyncio.sleep(0.05)), "
            "with a deadline check",
        },
        "hand loop": {"version": "-", "settings": "interval 0: while not p(): pass, with a deadline check"},
        SLEEP_50MS: {"version": "-", "settings": "time.sleep(0.05), then start once"},
        "busypie": {
            "version": version("busypie"),
            "settings": "defaults: wait().at_most(timeout).until(p): poll_delay 0.1 s, poll_interval 0.1 s, "
            "each wait on a new thread + asyncio loop (poll_delay cut to the timeout when shorter: "
            "busypie refuses it otherwise); eval_overhead: poll_delay(0).poll_interval(0)",
        },
        "polling2": {
            "version": version("polling2"),
            "settings": f"poll(p, step={POLLING2_STEP}, timeout=...): no default step, {POLLING2_STEP} s "
            "per bench/README.md; eval_overhead: step=0 (still a time.sleep(0) per evaluation)",
        },
        "waiting": {
            "version": version("waiting"),
            "settings": "defaults: wait(p, timeout_seconds=...): sleep_seconds 1 s, counted from the start of each "
            "evaluation; eval_overhead: sleep_seconds=0 (still a time.sleep(0) per evaluation)",
        },
        "tenacity": {
            "version": version("tenacity"),
            "settings": "Retrying(retry=retry_if_result(lambda r: not r), stop=stop_after_delay(timeout)): "
            "default wait is wait_none(), i.e. time.sleep(0) between attempts: no pause asked for, but "
            "on Linux each sleep(0) still parks the thread for the timer slack (~50-100 us); also its "
            "eval_overhead form",
        },
    }
