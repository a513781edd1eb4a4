"""A small real image data set that needs no download: the handwritten digits.

scikit-learn ships 1797 handwritten digits (8×8 grey images, classes 0-9) as a
file inside the package, ``sklearn/datasets/data/digits.csv.gz``;
``sklearn.datasets.load_digits`` reads that file and never touches the
network. :func:`load_upsampled_digits` turns them into what the lecture
notes' network expects, images of 28×28×3:

1. grey values 0..16 are divided by 16, so pixels lie in [0, 1];
2. each image is enlarged from 8×8 to ``size``×``size`` by bilinear
   interpolation (:func:`resize_bilinear`, deterministic, pure numpy);
3. the grey channel is repeated ``channels`` times (the network's first
   convolution takes 3 input channels);
4. a stratified split (:func:`stratified_split`) keeps the class proportions
   equal in the training and the test part.

The arrays are float32 in PyTorch's NCHW layout (N, C, H, W).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlnotes.checks import as_float_array, check_positive_int, check_rank

__all__ = ["ImageSplit", "resize_bilinear", "stratified_split", "load_upsampled_digits"]


class ImageSplit(NamedTuple):
    """Images (N, C, H, W) float32 in [0, 1] and integer labels (N,), for training and testing."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _interpolation_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix of 1-D linear interpolation with half-pixel centres.

    Output pixel i sits at input coordinate ``(i + 0.5) * n_in / n_out - 0.5``,
    clamped to [0, n_in - 1]; it mixes the two nearest input pixels. This is
    the convention of ``cv2.resize(..., interpolation=cv2.INTER_LINEAR)`` and
    ``torch.nn.functional.interpolate(..., mode="bilinear", align_corners=False)``.
    """
    source = (np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5
    source = np.clip(source, 0, n_in - 1)
    left = np.floor(source).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = source - left
    matrix = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(matrix, (rows, left), 1 - frac)
    np.add.at(matrix, (rows, right), frac)
    return matrix


def resize_bilinear(images: object, size: int | tuple[int, int]) -> np.ndarray:
    """Resize a stack of grey images by bilinear interpolation (half-pixel centres).

    Parameters
    ----------
    images : array_like, shape (N, H, W)
    size : int or (out_h, out_w) pair
        An int means a square output.

    Returns
    -------
    numpy.ndarray, shape (N, out_h, out_w)
        float64 (float32 input stays float32). Equal, up to rounding, to
        ``cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_LINEAR)``
        applied to each image when enlarging.

    Examples
    --------
    >>> import numpy as np
    >>> resize_bilinear(np.array([[[0.0, 1.0]]]), (1, 4))
    array([[[0.  , 0.25, 0.75, 1.  ]]])
    """
    images = as_float_array(images, "images")
    check_rank(images, 3, "images", "(N, H, W)")
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(
                f"size must be an int or an (out_h, out_w) pair, got {size!r} of length {len(size)}"
            )
        out_h, out_w = (check_positive_int(s, "size") for s in size)
    else:
        out_h = out_w = check_positive_int(size, "size")
    rows = _interpolation_matrix(images.shape[1], out_h).astype(images.dtype)
    cols = _interpolation_matrix(images.shape[2], out_w).astype(images.dtype)
    # Separable: interpolate along H, then along W
    return np.einsum("ih,nhw,jw->nij", rows, images, cols)


def stratified_split(
    labels: object, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Split sample indices so that every class keeps its share in both parts.

    From each class, ``round(test_fraction * n_class)`` samples, chosen by a
    ``numpy.random.default_rng(seed)`` permutation, go to the test part.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
    test_fraction : float in (0, 1)
    seed : int >= 0

    Returns
    -------
    train_idx, test_idx : numpy.ndarray of int, shapes (N_train,) and (N_test,)
        Sorted, disjoint, and together ``0 .. N-1``.

    Examples
    --------
    >>> train, test = stratified_split([0, 0, 0, 0, 1, 1, 1, 1], test_fraction=0.5, seed=0)
    >>> len(train), len(test)
    (4, 4)
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
    check_rank(labels, 1, "labels", "(N,)")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.floating)):
        raise TypeError(
            f"test_fraction must be a number, got {test_fraction!r} of type {type(test_fraction).__name__}"
        )
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie in (0, 1), got {test_fraction}")
    seed = check_positive_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    test_parts = []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        test_parts.append(members[: int(round(test_fraction * len(members)))])
    is_test = np.zeros(len(labels), dtype=bool)
    is_test[np.concatenate(test_parts)] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def load_upsampled_digits(
    size: int = 28, channels: int = 3, test_fraction: float = 0.25, seed: int = 0
) -> ImageSplit:
    """scikit-learn's 1797 handwritten digits, enlarged to size×size with ``channels`` equal channels.

    Needs scikit-learn (imported here, not when dlnotes is imported); reads
    the data file that ships inside scikit-learn, with no download.

    Parameters
    ----------
    size : int >= 8
        Output height and width; 28 for the lecture notes' network.
    channels : int >= 1
        The grey image is repeated in every channel.
    test_fraction : float in (0, 1)
    seed : int >= 0
        Seed of the stratified split.

    Returns
    -------
    ImageSplit
        ``x_*`` float32, shape (N, channels, size, size), values in [0, 1];
        ``y_*`` int64, shape (N,). With the defaults N_train = 1347, N_test = 450.

    Examples
    --------
    >>> data = load_upsampled_digits()
    >>> data.x_train.shape, data.x_test.shape
    ((1347, 3, 28, 28), (450, 3, 28, 28))
    """
    size = check_positive_int(size, "size", minimum=8)
    channels = check_positive_int(channels, "channels")
    from sklearn.datasets import load_digits  # reads a file inside the package; no network

    digits = load_digits()
    grey = resize_bilinear(digits.images / 16.0, size)  # (1797, size, size) in [0, 1]
    images = np.repeat(grey[:, None], channels, axis=1).astype(np.float32)
    labels = digits.target.astype(np.int64)
    train, test = stratified_split(labels, test_fraction, seed)
    return ImageSplit(images[train], labels[train], images[test], labels[test])
