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
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_nonempty,
    check_pair,
    check_positive_int,
    check_rank,
    check_scalar,
    check_seed,
)

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


def resize_bilinear(images: ArrayLike, size: int | tuple[int, int]) -> np.ndarray:
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
    >>> resize_bilinear(np.array([[[0.0, 1.0]]]), (1, 4))
    array([[[0.  , 0.25, 0.75, 1.  ]]])
    """
    images = as_float_array(images, "images")
    check_rank(images, 3, "images", "(N, H, W)")
    out_h, out_w = check_pair(size, "size", 1)
    rows = _interpolation_matrix(images.shape[1], out_h).astype(images.dtype)
    cols = _interpolation_matrix(images.shape[2], out_w).astype(images.dtype)
    # Separable: interpolate along H, then along W
    return np.einsum("ih,nhw,jw->nij", rows, images, cols)


def _check_split(
    labels: ArrayLike, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The one validation step of :func:`stratified_split`.

    Returns the labels, the classes, the number of test samples per class and the seed;
    refuses a split that would leave the training or the test part empty.
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
    check_rank(labels, 1, "labels", "(N,)")
    check_nonempty(labels, "labels")
    test_fraction = check_scalar(
        test_fraction, "test_fraction", float, min_val=0, max_val=1, include_boundaries="neither"
    )
    seed = check_seed(seed)
    classes, counts = np.unique(labels, return_counts=True)
    n_test = np.round(test_fraction * counts).astype(int)
    if n_test.sum() in (0, labels.size):
        empty = "test" if n_test.sum() == 0 else "training"
        raise ValueError(
            f"test_fraction = {test_fraction} of the class counts "
            f"{dict(zip(classes.tolist(), counts.tolist()))} rounds to "
            f"{n_test.tolist()} test samples per class, which leaves the {empty} part empty; "
            "choose a test_fraction that gives both parts at least one sample"
        )
    return labels, classes, n_test, seed


def stratified_split(
    labels: ArrayLike, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Split sample indices so that every class keeps its share in both parts.

    From each class, ``round(test_fraction * n_class)`` samples, chosen by a
    ``numpy.random.default_rng(seed)`` permutation, go to the test part.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        N ≥ 1.
    test_fraction : float in (0, 1)
        Both parts must receive at least one sample.
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
    labels, classes, n_test, seed = _check_split(labels, test_fraction, seed)
    rng = np.random.default_rng(seed)
    is_test = np.zeros(labels.size, dtype=bool)
    for label, k in zip(classes, n_test):
        members = rng.permutation(np.flatnonzero(labels == label))
        is_test[members[:k]] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def load_upsampled_digits(
    size: int = 28, channels: int = 3, test_fraction: float = 0.25, seed: int = 0
) -> ImageSplit:
    """scikit-learn's 1797 handwritten digits, enlarged to size×size, in ``channels`` channels.

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
    seed = check_seed(seed)
    check_scalar(
        test_fraction, "test_fraction", float, min_val=0, max_val=1, include_boundaries="neither"
    )
    from sklearn.datasets import load_digits  # reads a file inside the package; no network

    digits = load_digits()
    grey = resize_bilinear(digits.images / 16.0, size)  # (1797, size, size) in [0, 1]
    images = np.repeat(grey[:, None], channels, axis=1).astype(np.float32)
    labels = digits.target.astype(np.int64)
    train, test = stratified_split(labels, test_fraction, seed)
    return ImageSplit(images[train], labels[train], images[test], labels[test])
