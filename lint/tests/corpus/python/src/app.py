import time


def backoff(attempt):
    time.sleep(2**attempt)  # near-miss: a sleep in non-test code (production retry backoff)
