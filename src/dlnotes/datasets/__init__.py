"""Every data set of the course: generated from a fixed seed or read from an installed package.

Nothing is downloaded. A generator takes a ``seed`` (an int; ``None`` is
refused) and returns the same arrays on every machine, because numpy's
``default_rng`` (PCG64) fixes its stream by the seed.

* :mod:`dlnotes.datasets.synthetic`: ``make_linear_regression``, ``make_sine_data``;
* :mod:`dlnotes.datasets.digits`: ``load_upsampled_digits`` (scikit-learn's handwritten
  digits as 28×28×3 images), with its helpers ``resize_bilinear``, ``stratified_split``
  and the result type ``ImageSplit``.
"""

from dlnotes.datasets.digits import (
    ImageSplit,
    load_upsampled_digits,
    resize_bilinear,
    stratified_split,
)
from dlnotes.datasets.synthetic import make_linear_regression, make_sine_data

__all__ = [
    "make_linear_regression",
    "make_sine_data",
    "load_upsampled_digits",
    "stratified_split",
    "resize_bilinear",
    "ImageSplit",
]
