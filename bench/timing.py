"""Shared by the benchmarks: CPU time of the best of several runs."""

import time


def warm_up(seconds: float = 1.0) -> None:
    """Busy-loops so the CPU leaves its idle clock before anything is timed:
    on the machines here the first ~0.1 s of work runs up to 2x slower, which
    would bias whichever engine is measured first."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def best_cpu_seconds(fn, repeats: int) -> float:
    fn()  # untimed: first-touch page faults and lazy set-up
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best
