"""What the input checks of ``dlnotes.layers`` cost per call, on the chapters' shapes.

Each operation is timed twice on the same arrays: as shipped ("checks"), and
with the module's private ``_check_*`` helper, ``check_cache`` and
``check_dout`` replaced by pass-throughs that return the arrays as given
("bare"). The bare version runs exactly the same maths, without validation and
without the copies that keep a cache independent of the caller's arrays, so the
difference is the whole price of both. Run by hand; no test depends on it:

    PYTHONPATH=src python benchmarks/bench_checks.py              # about 2 minutes
    PYTHONPATH=src python benchmarks/bench_checks.py --dtype float32 --threads 2

Method: ``time.perf_counter``; each round times ``--calls`` calls of one
variant, then of the other, so that both see the same machine load; the table
shows the best round (the minimum over ``--rounds`` of the mean time per call),
since load from other processes only ever adds time. BLAS runs on ``--threads``
threads (default 1: on a shared machine two BLAS threads that wait for each
other add milliseconds of noise to sub-millisecond calls).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable, Iterator

import numpy as np

import dlnotes.layers as L
from dlnotes.layers import activations, batchnorm, conv, dense, dropout, losses, pooling


def _bare_conv(x, w, b, stride, padding, layout="NCHW"):
    (hh, ww), (h, wd) = w.shape[2:], x.shape[2:]
    out_hw = ((h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1)
    return (x, w, b), (stride, stride), (padding, padding), out_hw


def _bare_pool(x, kernel_size, stride):
    stride = kernel_size if stride is None else stride
    out_hw = tuple((n - kernel_size) // stride + 1 for n in x.shape[2:])
    return x, (kernel_size, kernel_size), (stride, stride), x.shape[:2] + out_hw


# module -> {name: pass-through}; every module's check_cache / check_dout are bypassed too
BYPASS = {
    dense: {"_check_linear": lambda x, w, b: (x, w, b)},
    conv: {"_check_conv": _bare_conv},
    pooling: {"_check_pool": _bare_pool},
    batchnorm: {"_check_batchnorm": lambda x, params, *rest: (x, params, *rest)},
    activations: {
        "as_float_array": lambda x, name: x,
        "_check_backward": lambda dout, cache, kind: (dout, cache.value),
    },
    dropout: {"_check_dropout": lambda *args: args},
    losses: {"_check_cross_entropy": lambda logits, labels: (logits, labels)},
}


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Replace the checks by pass-throughs for the duration of the block."""
    saved = []
    for module, replacements in BYPASS.items():
        names = dict(replacements)
        if hasattr(module, "check_cache"):
            names.setdefault("check_cache", lambda *args, **kwargs: None)
        if hasattr(module, "check_dout"):
            names.setdefault("check_dout", lambda dout, shape: dout)
        for name, bare in names.items():
            saved.append((module, name, getattr(module, name)))
            setattr(module, name, bare)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def per_call(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def compare(fn: Callable[[], object], calls: int, rounds: int) -> tuple[float, float]:
    """Best seconds per call with checks and bare, interleaved round by round."""
    for _ in range(3):
        fn()
    with_checks, bare = [], []
    for _ in range(rounds):
        with_checks.append(per_call(fn, calls))
        with bypassed():
            bare.append(per_call(fn, calls))
    return min(with_checks), min(bare)


Case = tuple[str, str, Callable[[], object], Callable[[], object]]


def _backward_checks(module, cache, forward_name, dout, shape, **kwargs) -> Callable[[], None]:
    def run() -> None:
        module.check_cache(cache, type(cache), forward_name, **kwargs)
        module.check_dout(dout, shape)

    return run


def cases(dtype: np.dtype, n: int) -> Iterator[Case]:
    """(operation, shape, the call, its checks alone) for batch size n."""
    rng = np.random.default_rng(0)

    def normal(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(dtype)

    x, w, b = normal(n, 3, 28, 28), normal(32, 3, 5, 5), normal(32)
    out, cache = L.conv2d_forward(x, w, b, 2, 2)
    dout = normal(*out.shape)
    shape = f"{n}x3x28x28, 32 5x5 /2 p2"
    yield (
        "conv2d forward",
        shape,
        lambda: L.conv2d_forward(x, w, b, 2, 2),
        lambda: conv._check_conv(x, w, b, 2, 2),
    )
    yield (
        "conv2d backward",
        shape,
        lambda: L.conv2d_backward(dout, cache),
        _backward_checks(conv, cache, "conv2d_forward", dout, out.shape),
    )

    a, da = normal(n, 32, 14, 14), normal(n, 32, 7, 7)
    shape = f"{n}x32x14x14"
    for kind in ("max", "avg"):
        forward, backward = (getattr(L, f"{kind}pool2d_{d}") for d in ("forward", "backward"))
        _, pc = forward(a, 2)
        yield (
            f"{kind}pool2d 2x2 forward",
            shape,
            lambda f=forward: f(a, 2),
            lambda: pooling._check_pool(a, 2, None),
        )
        yield (
            f"{kind}pool2d 2x2 backward",
            shape,
            lambda g=backward, c=pc: g(da, c),
            _backward_checks(
                pooling, pc, f"{kind}pool2d_forward", da, pc.out_shape, kinds=pooling._KINDS
            ),
        )

    params = (normal(32), normal(32), np.zeros(32, dtype), np.ones(32, dtype))
    _, bn_cache, _, _ = L.batchnorm_forward(a, *params)
    yield (
        "batchnorm forward",
        shape,
        lambda: L.batchnorm_forward(a, *params),
        lambda: batchnorm._check_batchnorm(a, params, True, 0.1, 1e-5),
    )
    yield (
        "batchnorm backward",
        shape,
        lambda: L.batchnorm_backward(a, bn_cache),
        _backward_checks(batchnorm, bn_cache, "batchnorm_forward", a, a.shape),
    )

    _, relu_cache = L.relu_forward(a)
    yield (
        "relu forward",
        shape,
        lambda: L.relu_forward(a),
        lambda: activations.as_float_array(a, "x"),
    )
    yield (
        "relu backward",
        shape,
        lambda: L.relu_backward(a, relu_cache),
        lambda: activations._check_backward(a, relu_cache, "relu"),
    )
    gen = np.random.default_rng(1)
    _, drop_cache = L.dropout_forward(a, 0.5, rng=gen)
    yield (
        "dropout forward",
        shape,
        lambda: L.dropout_forward(a, 0.5, rng=gen),
        lambda: dropout._check_dropout(a, 0.5, True, True),
    )
    yield (
        "dropout backward",
        shape,
        lambda: L.dropout_backward(a, drop_cache),
        _backward_checks(dropout, drop_cache, "dropout_forward", a, a.shape),
    )

    if n == 64:
        x2, w2, b2 = normal(64, 1568), normal(1568, 10), normal(10)
        out2, lin_cache = L.linear_forward(x2, w2, b2)
        dout2 = normal(*out2.shape)
        shape = "(64, 1568) -> (64, 10)"
        yield (
            "linear forward",
            shape,
            lambda: L.linear_forward(x2, w2, b2),
            lambda: dense._check_linear(x2, w2, b2),
        )
        yield (
            "linear backward",
            shape,
            lambda: L.linear_backward(dout2, lin_cache),
            _backward_checks(dense, lin_cache, "linear_forward", dout2, out2.shape),
        )
        labels = rng.integers(0, 10, 64)
        yield (
            "softmax_cross_entropy",
            "(64, 10)",
            lambda: L.softmax_cross_entropy(out2, labels),
            lambda: losses._check_cross_entropy(out2, labels),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    # Free one large block first: glibc then serves later large arrays from reused memory
    # instead of fresh pages, the steady state of a training loop (see README.md).
    np.ones(4 << 20).sum()
    from threadpoolctl import threadpool_limits

    threadpool_limits(args.threads, user_api="blas")
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    print(
        f"numpy {np.__version__}, {args.threads} BLAS thread(s); "
        f"best of {args.rounds} rounds of {args.calls} calls"
    )
    print(
        "| dtype | operation | shape | ms with checks | ms bare | difference "
        "| checks alone, us | checks alone / bare |"
    )
    print("|:---|:---|:---|---:|---:|---:|---:|---:|")
    for dtype in dtypes:
        for n in (10, 64):
            for name, shape, fn, check in cases(np.dtype(dtype), n):
                checked, bare = compare(fn, args.calls, args.rounds)
                alone = min(per_call(check, 200) for _ in range(args.rounds))
                print(
                    f"| {dtype} | {name} | {shape} | {checked * 1e3:.3f} | {bare * 1e3:.3f} "
                    f"| {(checked - bare) / bare:+.1%} | {alone * 1e6:.1f} "
                    f"| {alone / bare:.1%} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
