"""Output sizes of convolution and pooling windows (for the layers and ``dlnotes.shapes``)."""

from __future__ import annotations

from dlnotes.checks import check_positive_int

__all__ = ["conv_output_size", "check_window_fits"]


def conv_output_size(n: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length of a convolution or pooling window along one axis.

    ``floor((n + 2 * padding - kernel) / stride) + 1``; the floor means that
    input rows the last window does not reach are dropped, as in PyTorch.

    Parameters
    ----------
    n : int >= 1
        Input length (H or W).
    kernel : int >= 1
        Window length (HH or WW).
    stride : int >= 1
    padding : int >= 0
        Zeros added on each side.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is out of range, or the kernel does not fit into the
        padded input (the result would be < 1).

    Examples
    --------
    >>> conv_output_size(28, 5, stride=2, padding=2)
    14
    >>> conv_output_size(7, 2, stride=2)  # the 7th row is dropped
    3
    """
    n, kernel, stride, padding = _check_sizes(n, kernel, stride, padding)
    return (n + 2 * padding - kernel) // stride + 1


def _check_sizes(n: int, kernel: int, stride: int, padding: int) -> tuple[int, int, int, int]:
    n = check_positive_int(n, "n")
    kernel = check_positive_int(kernel, "kernel")
    stride = check_positive_int(stride, "stride")
    padding = check_positive_int(padding, "padding", minimum=0)
    check_window_fits(n, kernel, stride, padding)
    return n, kernel, stride, padding


def check_window_fits(n: int, kernel: int, stride: int, padding: int) -> None:
    """Raise ``ValueError`` if the window does not fit into the padded input (output size < 1).

    For callers that have already checked that the four sizes are integers in
    range (the layers, which take them from array shapes and ``check_pair``).
    """
    padded = n + 2 * padding
    if padded < kernel:
        out = (padded - kernel) // stride + 1
        raise ValueError(
            f"kernel={kernel} is larger than the padded input "
            f"n + 2*padding = {n} + 2*{padding} = {padded} (stride={stride}), "
            f"so the output size would be {out} < 1"
        )
