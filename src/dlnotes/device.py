"""Where torch code runs, and how precisely it multiplies there.

On Ampere and later NVIDIA GPUs, cuDNN may compute float32 convolutions in
TF32 (TensorFloat-32): the inputs are rounded to 10 mantissa bits, about three
decimal digits, before they are multiplied. That is fine for training, but it
breaks any check that compares float32 results with float64 at float32's own
precision (about 1e-7). The chapters therefore decide it explicitly.

torch is imported inside the functions, so ``import dlnotes.device`` stays cheap.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_flag

# The torch.backends switches that may use TF32: matrix products, cuDNN convolutions and RNNs.
_NEW_API = (("cuda", "matmul"), ("cudnn", "conv"), ("cudnn", "rnn"))


def pick_device(tf32: bool = False) -> Any:
    """The GPU when there is one, else the CPU, with TF32 switched on or off.

    Parameters
    ----------
    tf32 : bool
        Allow TF32 for float32 matrix products and convolutions. The default,
        False, gives full float32 precision on every GPU.

    Returns
    -------
    torch.device
        ``cuda`` when a GPU is available, else ``cpu``. With a GPU, it also sets
        ``CUBLAS_WORKSPACE_CONFIG`` (unless already set), which
        ``torch.use_deterministic_algorithms(True)`` needs there.

    Examples
    --------
    >>> device = pick_device()
    >>> device.type in ("cpu", "cuda"), tf32_enabled()
    (True, {'matmul': False, 'conv': False})
    """
    set_tf32(tf32)
    import torch

    if not torch.cuda.is_available():
        return torch.device("cpu")
    # torch.use_deterministic_algorithms(True) refuses cuBLAS products unless this is set
    # before cuBLAS starts; setdefault keeps a value the learner chose.
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    return torch.device("cuda")


def set_tf32(enabled: bool) -> None:
    """Allow or forbid TF32 in matrix products, cuDNN convolutions and cuDNN RNNs.

    Uses torch's ``fp32_precision`` switches where they exist (torch 2.9 and
    later) and the older ``allow_tf32`` flags otherwise. The two must not be mixed.
    """
    check_flag(enabled, "enabled")
    import torch

    if _has_new_api(torch):
        for backend, op in _NEW_API:
            getattr(getattr(torch.backends, backend), op).fp32_precision = (
                "tf32" if enabled else "ieee"
            )
    else:
        torch.backends.cuda.matmul.allow_tf32 = enabled
        torch.backends.cudnn.allow_tf32 = enabled


def tf32_enabled() -> dict[str, bool]:
    """Whether float32 matrix products and cuDNN convolutions may use TF32 now."""
    import torch

    if _has_new_api(torch):
        return {
            "matmul": torch.backends.cuda.matmul.fp32_precision == "tf32",
            "conv": torch.backends.cudnn.conv.fp32_precision == "tf32",
        }
    return {
        "matmul": bool(torch.backends.cuda.matmul.allow_tf32),
        "conv": bool(torch.backends.cudnn.allow_tf32),
    }


def _has_new_api(torch: Any) -> bool:
    return hasattr(torch.backends.cudnn, "conv") and hasattr(
        torch.backends.cudnn.conv, "fp32_precision"
    )


def round_to_tf32(x: ArrayLike) -> np.ndarray:
    """Round float32 values to TF32 (10 mantissa bits, ties to even), as the tensor cores do.

    A CPU emulation of the rounding that a TF32 convolution applies to its
    inputs; the exponent range is float32's, so only the precision changes.

    Parameters
    ----------
    x : array_like of real numbers, any shape
        Converted to float32 first.

    Returns
    -------
    ndarray of float32, same shape

    Examples
    --------
    >>> round_to_tf32([1 + 2**-10, 1 + 2**-11, 1 + 3 * 2**-11, 1 / 3]).tolist()
    [1.0009765625, 1.0, 1.001953125, 0.333251953125]
    """
    bits = np.array(as_float_array(x, "x"), dtype=np.float32).view(np.uint32)
    dropped = np.uint32(13)  # float32 keeps 23 mantissa bits, TF32 keeps 10
    half = np.uint32(1 << 12)
    lowest_kept = (bits >> dropped) & np.uint32(1)
    finite = (bits & np.uint32(0x7F800000)) != np.uint32(0x7F800000)
    rounded = ((bits + half - np.uint32(1) + lowest_kept) >> dropped) << dropped
    return np.where(finite, rounded, bits).astype(np.uint32).view(np.float32)
