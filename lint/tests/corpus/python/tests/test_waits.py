import asyncio
import time
import time as t
from time import sleep
from time import sleep as nap
from asyncio import sleep as asleep

import liveness


def test_plain():
    start_worker()
    time.sleep(0.5)  # expect: python/time-sleep
    assert done()


def test_aliases():
    t.sleep(1)  # expect: python/time-sleep
    sleep(0.1)  # expect: python/time-sleep
    nap(2)  # expect: python/time-sleep
    time.sleep(seconds)  # expect: python/time-sleep


async def test_async():
    await asyncio.sleep(0.2)  # expect: python/async-sleep
    await asleep(1)  # expect: python/async-sleep
    await asyncio.sleep(delay=3)  # expect: python/async-sleep
    await asyncio.sleep(0)  # near-miss: a yield to the event loop, not a wait
    await asyncio.sleep(0.0)  # near-miss: a yield
    await liveness.eventually_passes(lambda: done())  # near-miss: the replacement itself


def test_allowed():
    # liveness: allow-sleep(the simulated device takes 10 ms to answer, that is the behaviour under test)
    time.sleep(0.01)  # near-miss: allowed with a reason on the line above
    time.sleep(0.02)  # liveness: allow-sleep(simulated shutdown delay)  near-miss: allowed on its own line
    # liveness: allow-sleep()  expect: allow-sleep-without-reason
    time.sleep(0.03)  # expect: python/time-sleep
    time.sleep(0.04)  # liveness: allow-sleep  expect: allow-sleep-without-reason expect: python/time-sleep


def test_not_sleeps(clock):
    clock.sleep(5)  # near-miss: a fake clock's sleep, not the time module's
    event.wait(timeout=1)  # near-miss: a wait for state with a timeout
    obj.time.sleep(1)  # near-miss: an attribute chain, not the module
