import time


class SlowServer:
    """A simulated system: its slowness is the behaviour the tests are about."""

    def handle(self):
        time.sleep(0.05)  # liveness: allow-sleep(the simulated server's latency)  near-miss: a helper's simulated delay
        return "ok"


def wait_a_bit():
    time.sleep(0.1)  # expect: python/time-sleep
