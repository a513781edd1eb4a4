"""Time gradient_descent with and without recording the path (issue 10).

Run by hand, not part of the tests:

    PYTHONPATH=src python benchmarks/bench_linear.py            # about 30 s on 2 cores
    PYTHONPATH=src python benchmarks/bench_linear.py --quick    # the small cases only

For each case it prints the seconds of one run with ``record=True`` (the
default) and with ``record=False``, their ratio, the bytes the recorded
paths take, and an estimate of what the old recording cost: before issue 10
the cost path was one pass over all m samples per update, timed here on 4096
updates and scaled to the number of updates of the case. A last table gives
the tracemalloc peak of a recorded and an unrecorded run.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from dlnotes.datasets import make_linear_regression
from dlnotes.linear import gradient_descent


def old_cost_pass(xs: np.ndarray, ys: np.ndarray, w_path: np.ndarray, b_path: np.ndarray) -> float:
    """Seconds per update of the old recording: J by one pass over the data, in chunks of 4096."""
    n = min(4096, w_path.size)
    start = time.perf_counter()
    residual = w_path[:n, None] * xs + b_path[:n, None] - ys
    0.5 * np.mean(residual**2, axis=1)
    return (time.perf_counter() - start) / n


def timed(**kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = gradient_descent(**kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 20 000 × 20 case")
    args = parser.parse_args()
    cases = [
        ("chapter: m=100, 100 epochs, B=1", 100, 100, 1),
        ("m=20000, 2 epochs, B=10", 20000, 2, 10),
    ]
    if not args.quick:
        cases.append(("issue: m=20000, 20 epochs, B=1", 20000, 20, 1))

    print(
        f"{'case':34s} {'updates':>8s} {'record s':>9s} {'no record s':>12s} {'ratio':>6s} "
        f"{'path MB':>8s} {'old record s (est.)':>20s}"
    )
    for name, m, epochs, batch in cases:
        X, y = make_linear_regression(m=m, weights=(2.0,), bias=3.0, noise_std=0.2, seed=2026)
        x = X[:, 0]
        common = dict(x=x, y=y, eta=0.01, epochs=epochs, batch_size=batch)
        with_s, run = timed(**common, record=True)
        without_s, _ = timed(**common, record=False)
        path_mb = (run.w_path.nbytes + run.b_path.nbytes + run.cost_path.nbytes) / 1e6
        old_s = without_s + old_cost_pass(x, y, run.w_path, run.b_path) * (run.updates + 1)
        print(
            f"{name:34s} {run.updates:8d} {with_s:9.2f} {without_s:12.2f} "
            f"{with_s / without_s:6.2f} {path_mb:8.2f} {old_s:20.1f}"
        )

    print()
    print(f"{'tracemalloc peak, m=20000, 2 epochs, B=10':44s} {'MB':>6s}")
    X, y = make_linear_regression(m=20000, weights=(2.0,), bias=3.0, noise_std=0.2, seed=2026)
    for record in (True, False):
        tracemalloc.start()
        gradient_descent(X[:, 0], y, eta=0.01, epochs=2, batch_size=10, record=record)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{'record=' + str(record):44s} {peak / 1e6:6.2f}")


if __name__ == "__main__":
    main()
