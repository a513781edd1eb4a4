"""Peak memory and time of NMS, box_iou and filter2d, against the budgets of issue 10.

Run by hand (not part of the tests):

    PYTHONPATH=src python benchmarks/bench_memory.py            # about a minute
    PYTHONPATH=src python benchmarks/bench_memory.py --quick    # smaller repeats

Peak memory is measured with ``tracemalloc`` (numpy reports its array buffers to it), in a
separate call from the timing, which is the median of several ``time.perf_counter`` runs.
"Before" rows re-create the previous implementations here (the full N x N IoU matrix for
NMS; the broadcast IoU with N x M x 4 intermediates; im2col plus one matrix product for
filter2d), so that one run shows both.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from dlnotes.boxes import box_iou, nms
from dlnotes.edges import PADDINGS, filter2d, gaussian_kernel
from dlnotes.layers import conv2d_forward

MB = 1e6


def peak_mb(call: Callable[[], object]) -> float:
    call()  # warm-up: imports and caches are not what is measured
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def seconds(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --------------------------------------------------------------------------- inputs


def random_boxes(n: int, rng: np.random.Generator, image: float = 1000.0) -> np.ndarray:
    """Top-left corners uniform in an image x image square, sides uniform in [10, 100]."""
    xy = rng.uniform(0, image, (n, 2))
    return np.hstack([xy, xy + rng.uniform(10, 100, (n, 2))])


def clustered_boxes(n: int, rng: np.random.Generator, objects: int = 200) -> np.ndarray:
    """A detector's raw output: n / objects jittered boxes around each of the objects."""
    centres = np.repeat(random_boxes(objects, rng), n // objects, axis=0)
    jitter = rng.normal(0, 3, centres.shape)
    boxes = centres + jitter
    boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2] + 1)
    return boxes


def crossing_strips(n: int) -> np.ndarray:
    """n / 2 long horizontal and n / 2 long vertical strips: every pair of a horizontal and a
    vertical strip overlaps (with a tiny IoU), so every step has n / 2 candidates: the worst
    case for the prefilter that looks only at boxes overlapping the kept one."""
    half = n // 2
    i = 2.0 * np.arange(half)
    across = np.stack([np.zeros(half), i, np.full(half, 2.0 * half), i + 1], axis=1)
    down = np.stack([i, np.zeros(half), i + 1, np.full(half, 2.0 * half)], axis=1)
    return np.vstack([across, down])


def grid_boxes(n: int) -> np.ndarray:
    """n unit boxes that never overlap: nothing is suppressed, the slowest case for NMS."""
    side = int(np.ceil(np.sqrt(n)))
    i, j = np.divmod(np.arange(n), side)
    return np.stack([2.0 * j, 2.0 * i, 2.0 * j + 1, 2.0 * i + 1], axis=1).astype(float)


# --------------------------------------------------------------------------- before


def box_iou_broadcast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The previous box_iou: four (N, M) corner arrays, two clipped sides, union, result."""
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 2], b[None, :, 2])
    bottom = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms_full_matrix(boxes: np.ndarray, scores: np.ndarray, threshold: float) -> np.ndarray:
    """The previous nms: the whole N x N IoU matrix, then the greedy loop over its rows."""
    iou = box_iou_broadcast(boxes, boxes)
    state = np.full(len(boxes), -2)
    for i in np.argsort(-scores, kind="stable"):
        if state[i] == -2:
            state[i] = -1
            state[(state == -2) & (iou[i] > threshold)] = i
    order = np.argsort(-scores, kind="stable")
    return order[state[order] == -1]


def filter2d_im2col(image: np.ndarray, kernel: np.ndarray, padding: str = "reflect") -> np.ndarray:
    """The previous filter2d: channels as a batch, pad, then conv2d_forward (im2col + GEMM)."""
    image = np.asarray(image, dtype=np.float64)
    kh, kw = kernel.shape
    planes = image[None] if image.ndim == 2 else np.moveaxis(image, 2, 0)
    planes = np.pad(planes, ((0, 0), (kh // 2,) * 2, (kw // 2,) * 2), mode=PADDINGS[padding])
    out, _ = conv2d_forward(planes[:, None], kernel[None, None], np.zeros(1))
    return out[:, 0][0] if image.ndim == 2 else np.moveaxis(out[:, 0], 0, 2)


# --------------------------------------------------------------------------- table


def row(case: str, peak: float, secs: float, budget: str, met: str) -> str:
    return f"| {case} | {peak:,.1f} | {secs:.4f} | {budget} | {met} |"


def verdict(peak: float, secs: float, peak_budget: float | None, secs_budget: float | None):
    ok = (peak_budget is None or peak < peak_budget) and (secs_budget is None or secs < secs_budget)
    return "yes" if ok else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one timing run per case")
    args = parser.parse_args()
    reps = 1 if args.quick else 3
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print()
    print("| case | peak MB | seconds | budget | met? |")
    print("|:---|---:|---:|:---|:---|")

    n = 20_000
    scores = rng.random(n)
    labels = rng.integers(0, 20, n)
    cases = {
        "nms, 20 000 random boxes": (random_boxes(n, rng), None),
        "nms, 20 000 random boxes, 20 classes": (random_boxes(n, rng), labels),
        "nms, 20 000 boxes around 200 objects": (clustered_boxes(n, rng), None),
        "nms, 20 000 boxes, none overlapping": (grid_boxes(n), None),
        "nms, 10 000 x 10 000 crossing strips (worst case)": (crossing_strips(n), None),
    }
    for case, (boxes, lab) in cases.items():
        keep = nms(boxes, scores, 0.5, labels=lab)
        peak = peak_mb(lambda: nms(boxes, scores, 0.5, labels=lab))  # noqa: B023
        secs = seconds(lambda: nms(boxes, scores, 0.5, labels=lab), reps)  # noqa: B023
        print(
            row(
                f"{case} ({len(keep)} kept)",
                peak,
                secs,
                "< 1000 MB, < 10 s",
                verdict(peak, secs, 1000, 10),
            )
        )

    small = 2_000
    boxes, s = random_boxes(small, rng), rng.random(small)
    assert np.array_equal(nms_full_matrix(boxes, s, 0.5), nms(boxes, s, 0.5))
    for case, call in (
        ("before: nms (full IoU matrix), 2 000 boxes", lambda: nms_full_matrix(boxes, s, 0.5)),
        ("after: nms (one row a step), 2 000 boxes", lambda: nms(boxes, s, 0.5)),
    ):
        peak, secs = peak_mb(call), seconds(call, reps)
        per_pair = peak * MB / small**2
        print(row(f"{case}: {per_pair:.2f} bytes per pair", peak, secs, "-", "-"))

    a, b = random_boxes(2_000, rng), random_boxes(3_000, rng)
    assert np.array_equal(box_iou_broadcast(a, b), box_iou(a, b))
    for case, call in (
        ("before: box_iou, 2 000 x 3 000", lambda: box_iou_broadcast(a, b)),
        ("after: box_iou, 2 000 x 3 000", lambda: box_iou(a, b)),
    ):
        peak, secs = peak_mb(call), seconds(call, reps)
        per_pair = peak * MB / (len(a) * len(b))
        print(
            row(f"{case}: {per_pair:.1f} bytes per pair (8 are the result)", peak, secs, "-", "-")
        )

    photo = rng.integers(0, 256, (600, 512, 3), dtype=np.uint8)  # the chapter's photo size
    photo_float = photo.astype(np.float64)
    blur = gaussian_kernel(31, 5.0)
    peak = peak_mb(lambda: filter2d(photo_float, blur))
    secs = seconds(lambda: filter2d(photo_float, blur), reps)
    print(
        row(
            "filter2d 31x31 on 600x512x3 float64",
            peak,
            secs,
            "< 300 MB",
            verdict(peak, None, 300, None),
        )
    )
    im2col_gb = 8 * 31**2 * photo.size / 1e9
    print(
        f"| before: filter2d 31x31 on 600x512x3: im2col alone {im2col_gb:.1f} GB "
        "(not run) | - | - | - | - |"
    )

    gray = rng.uniform(0, 255, (300, 256))  # the chapter's working gray image
    for image, what in ((gray, "300x256 gray"), (photo, "600x512x3 uint8")):
        for k in (3, 5):
            kernel = rng.normal(size=(k, k))
            new = filter2d(image, kernel)
            old = filter2d_im2col(image, kernel)
            gap = np.abs(new - old).max() / np.abs(old).max()
            for tag, f in (
                ("before (im2col)", filter2d_im2col),
                ("after (shifted sums)", filter2d),
            ):
                peak = peak_mb(lambda: f(image, kernel))  # noqa: B023
                secs = seconds(lambda: f(image, kernel), 5 * reps)  # noqa: B023
                print(
                    row(
                        f"filter2d {k}x{k} on {what}, {tag}; relative gap {gap:.0e}",
                        peak,
                        secs,
                        "-",
                        "-",
                    )
                )


if __name__ == "__main__":
    main()
