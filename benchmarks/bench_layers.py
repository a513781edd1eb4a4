"""Time dlnotes.layers against PyTorch on the CPU (run by hand; not part of the tests).

    PYTHONPATH=src python benchmarks/bench_layers.py      # all cases, Markdown table on stdout
    PYTHONPATH=src python benchmarks/bench_layers.py --repeats 50 --threads 1 --skip-naive

Each time is the median (and, in its own column, the minimum) of
``--repeats`` runs after a warm-up. Torch and numpy's BLAS use the same
number of threads. The ratio column is numpy time / torch time (below 1:
numpy is faster); the targets of the issue apply to float32.

Before timing, the script allocates and frees a 32 MiB block. glibc then
raises its mmap threshold, so later large arrays come from the heap instead
of fresh, page-faulting mmap calls, which is the steady state of a training
loop. torch's float32 convolution is up to 5x slower without this (see
benchmarks/README.md). Run with ``MALLOC_MMAP_THRESHOLD_=131072`` to pin the
threshold at glibc's default and measure the "cold" behaviour instead.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from dlnotes.layers import (
    avgpool2d_backward,
    avgpool2d_forward,
    batchnorm_backward,
    batchnorm_forward,
    conv2d_backward,
    conv2d_forward,
    conv2d_naive,
    conv2d_nhwc_loop,
    maxpool2d_backward,
    maxpool2d_forward,
    nchw_to_nhwc,
    oihw_to_hwio,
)

# Targets from the issue (numpy time / torch time), float32
TARGETS = {
    ("conv2d forward", 64): 1.5,
    ("conv2d forward", 10): 2.5,
    ("conv2d backward", None): 3.0,
    ("maxpool2d forward", None): 3.0,
    ("maxpool2d backward", None): 3.0,
    ("avgpool2d forward", None): 3.0,
    ("avgpool2d backward", None): 3.0,
    ("batchnorm2d forward", None): 3.0,
    ("batchnorm2d backward", None): 3.0,
}


def conv_forward_lecture_fixed(x, w, b, stride=1, padding=0):
    """The lecture notes' conv_forward (NHWC), with its two bugs fixed and nothing else changed.

    Bug 1: ``n, h, w, c = x.shape`` overwrote the weight argument ``w``.
    Bug 2: ``x_patch * w`` multiplied (N, HH, WW, C) by (HH, WW, C, F), which
    does not broadcast; ``x_patch[..., None] * w[None]`` does.
    ``dlnotes.layers.conv2d_nhwc_loop`` is the same loop with np.tensordot.
    """
    n, h, width, c = x.shape
    f_height, f_width, _, n_filters = w.shape
    out_h = int((h - f_height + 2 * padding) / stride) + 1
    out_w = int((width - f_width + 2 * padding) / stride) + 1
    x = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    out = np.zeros((n, out_h, out_w, n_filters), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            x_patch = x[:, i * stride : i * stride + f_height, j * stride : j * stride + f_width, :]
            out[:, i, j, :] = np.sum(x_patch[..., None] * w[None], axis=(1, 2, 3)) + b
    return out


def median_time(fn, repeats: int, warmup: int = 3) -> tuple[float, float]:
    """Median and minimum of ``repeats`` timed calls, in seconds."""
    # Let the other library's worker threads stop spinning (OpenBLAS and OpenMP spin after each
    # call)
    time.sleep(0.3)
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def set_threads(threads: int | None, torch) -> tuple[int, str]:
    """Give numpy's BLAS and torch the same thread count; return it and how BLAS was set."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        blas = threads or os.cpu_count() or 1
        torch.set_num_threads(blas)
        return blas, "assumed (threadpoolctl not installed)"
    if threads is not None:
        threadpool_limits(threads, user_api="blas")
    infos = [i for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]
    blas = infos[0]["num_threads"] if infos else (threads or os.cpu_count() or 1)
    torch.set_num_threads(blas)
    return blas, infos[0]["internal_api"] if infos else "unknown"


def conv_cases(torch, dtype, n: int, with_slow: bool) -> list:
    """(name, numpy call, torch call, repeats scale) for the lecture notes' first conv layer."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 3, 28, 28)).astype(dtype)
    w = rng.standard_normal((32, 3, 5, 5)).astype(dtype)
    b = rng.standard_normal(32).astype(dtype)
    out, cache = conv2d_forward(x, w, b, 2, 2)
    dout = rng.standard_normal(out.shape).astype(dtype)
    tx, tw, tb, tdout = (torch.from_numpy(a) for a in (x, w, b, dout))
    x_nhwc, w_hwio = nchw_to_nhwc(x), oihw_to_hwio(w)
    tolerance = 1e-3 if dtype is np.float32 else 1e-10
    assert np.allclose(
        conv_forward_lecture_fixed(x_nhwc, w_hwio, b, 2, 2), nchw_to_nhwc(out), atol=tolerance
    )

    def torch_forward():
        return torch.nn.functional.conv2d(tx, tw, tb, stride=2, padding=2)

    def torch_backward():
        return torch.ops.aten.convolution_backward(
            tdout, tx, tw, [32], [2, 2], [2, 2], [1, 1], False, [0, 0], 1, [True, True, True]
        )

    cases = [
        ("conv2d forward", lambda: conv2d_forward(x, w, b, 2, 2), torch_forward, 1),
        ("conv2d backward", lambda: conv2d_backward(dout, cache), torch_backward, 1),
        (
            "lecture loop, fixed (NHWC)",
            lambda: conv_forward_lecture_fixed(x_nhwc, w_hwio, b, 2, 2),
            torch_forward,
            0.1,
        ),
        (
            "conv2d_nhwc_loop (tensordot)",
            lambda: conv2d_nhwc_loop(x_nhwc, w_hwio, b, 2, 2),
            torch_forward,
            0.1,
        ),
    ]
    if with_slow:
        cases.append(("conv2d_naive", lambda: conv2d_naive(x, w, b, 2, 2), torch_forward, 0))
    return cases


def pool_and_bn_cases(torch, dtype, n: int) -> list:
    """Pooling and batch norm on the (N, 32, 14, 14) output of that conv layer."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 32, 14, 14)).astype(dtype)
    aten = torch.ops.aten
    _, max_cache = maxpool2d_forward(x, 2)
    _, avg_cache = avgpool2d_forward(x, 2)
    dout_pool = rng.standard_normal((n, 32, 7, 7)).astype(dtype)
    ones, zeros = np.ones(32, dtype), np.zeros(32, dtype)
    _, bn_cache, _, _ = batchnorm_forward(x, ones, zeros, zeros, ones)
    dout_bn = rng.standard_normal(x.shape).astype(dtype)
    tx, tdout_pool, tdout_bn, tg, tb, tm, tv = (
        torch.from_numpy(a.copy()) for a in (x, dout_pool, dout_bn, ones, zeros, zeros, ones)
    )
    _, t_idx = aten.max_pool2d_with_indices(tx, [2, 2], [2, 2])
    _, save_mean, save_invstd = aten.native_batch_norm(tx, tg, tb, tm, tv, True, 0.1, 1e-5)
    return [
        (
            "maxpool2d forward",
            lambda: maxpool2d_forward(x, 2),
            lambda: aten.max_pool2d_with_indices(tx, [2, 2], [2, 2]),
            1,
        ),
        (
            "maxpool2d backward",
            lambda: maxpool2d_backward(dout_pool, max_cache),
            lambda: aten.max_pool2d_with_indices_backward(
                tdout_pool, tx, [2, 2], [2, 2], [0, 0], [1, 1], False, t_idx
            ),
            1,
        ),
        (
            "avgpool2d forward",
            lambda: avgpool2d_forward(x, 2),
            lambda: aten.avg_pool2d(tx, [2, 2], [2, 2]),
            1,
        ),
        (
            "avgpool2d backward",
            lambda: avgpool2d_backward(dout_pool, avg_cache),
            lambda: aten.avg_pool2d_backward(
                tdout_pool, tx, [2, 2], [2, 2], [0, 0], False, True, None
            ),
            1,
        ),
        (
            "batchnorm2d forward",
            lambda: batchnorm_forward(x, ones, zeros, zeros, ones),
            lambda: aten.native_batch_norm(tx, tg, tb, tm, tv, True, 0.1, 1e-5),
            1,
        ),
        (
            "batchnorm2d backward",
            lambda: batchnorm_backward(dout_bn, bn_cache),
            lambda: aten.native_batch_norm_backward(
                tdout_bn, tx, tg, tm, tv, save_mean, save_invstd, True, 1e-5, [True, True, True]
            ),
            1,
        ),
    ]


def target_for(name: str, n: int, dtype) -> float | None:
    if dtype is not np.float32:
        return None
    return TARGETS.get((name, n), TARGETS.get((name, None)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for torch and numpy's BLAS (default: BLAS default)",
    )
    parser.add_argument(
        "--skip-naive",
        action="store_true",
        help="skip conv2d_naive (about 0.2 s per call, 3 calls per dtype)",
    )
    args = parser.parse_args()

    import torch

    block = np.ones(32 * 2**20 // 8)  # see the module docstring: raises glibc's mmap threshold
    del block
    threads, blas = set_threads(args.threads, torch)
    print(
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores; Python {platform.python_version()}"
    )
    print(
        f"- numpy {np.__version__} ({blas}, {threads} BLAS threads); "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    )
    env = {
        k: os.environ[k]
        for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MALLOC_MMAP_THRESHOLD_")
        if k in os.environ
    }
    print(
        f"- environment: {env or 'no OPENBLAS_* / MALLOC_* overrides'}; "
        f"median (and minimum) of {args.repeats} runs"
    )
    print(f"- load average before the run: {os.getloadavg()[0]:.2f}")
    print()
    print(
        "| operation | N | dtype | numpy ms | torch ms | ratio | ratio of minima "
        "| target (on the median ratio) |"
    )
    print("|:---|---:|:---|---:|---:|---:|---:|:---|")
    # Run every torch case once before timing anything: torch picks and caches kernels on first use
    for dtype in (np.float32, np.float64):
        for n in (10, 64):
            for _, _, torch_call, _ in conv_cases(torch, dtype, n, False) + pool_and_bn_cases(
                torch, dtype, n
            ):
                torch_call()
    for dtype in (np.float32, np.float64):
        for n in (10, 64):
            cases = conv_cases(torch, dtype, n, with_slow=(n == 10 and not args.skip_naive))
            torch_times = {}
            for name, numpy_call, torch_call, scale in cases + pool_and_bn_cases(torch, dtype, n):
                repeats = max(2, int(args.repeats * scale))
                mine, mine_min = median_time(numpy_call, repeats, warmup=3 if scale == 1 else 1)
                if torch_call not in torch_times:
                    torch_times[torch_call] = median_time(torch_call, args.repeats)
                theirs, theirs_min = torch_times[torch_call]
                ratio = mine / theirs
                target = target_for(name, n, dtype)
                verdict = (
                    "" if target is None else f"≤ {target} {'met' if ratio <= target else 'MISSED'}"
                )
                print(
                    f"| {name} | {n} | {np.dtype(dtype).name} "
                    f"| {mine * 1e3:.3f} | {theirs * 1e3:.3f} "
                    f"| {ratio:.2f} | {mine_min / theirs_min:.2f} | {verdict} |"
                )
    print(f"\n- load average after the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
