"""Every data set of the course: generated from a fixed seed or read from an installed package.

Nothing is downloaded. A generator takes a ``seed`` (an int; ``None`` is
refused) and returns the same arrays on every machine, because numpy's
``default_rng`` (PCG64) fixes its stream by the seed.

* :mod:`dlnotes.datasets.synthetic`: ``make_linear_regression``, ``make_sine_data``;
* :mod:`dlnotes.datasets.digits`: ``load_upsampled_digits`` (scikit-learn's handwritten
  digits as 28×28×3 images), with its helpers ``resize_bilinear``, ``stratified_split``
  and the result type ``ImageSplit``;
* :mod:`dlnotes.datasets.sequences`: ``make_adding_problem`` (the adding problem for RNNs);
* :mod:`dlnotes.datasets.text`: ``load_qianziwen`` (《千字文》, shipped with the package) and
  ``CharVocabulary``;
* :mod:`dlnotes.datasets.mixtures`: 1-D Gaussian mixtures and the 2-D ring of Gaussians (GANs);
* :mod:`dlnotes.datasets.shapes`: ``make_shapes_detection``, small images of squares, circles and
  triangles with their boxes (the one-stage detector).
"""

from dlnotes.datasets.digits import (
    ImageSplit,
    load_upsampled_digits,
    resize_bilinear,
    stratified_split,
)
from dlnotes.datasets.mixtures import (
    gaussian_mixture_pdf,
    make_gaussian_mixture_1d,
    make_ring_mixture,
    ring_centers,
)
from dlnotes.datasets.sequences import ADDING_BASELINE_MSE, make_adding_problem
from dlnotes.datasets.shapes import SHAPE_CLASSES, ShapeScenes, make_shapes_detection
from dlnotes.datasets.synthetic import make_linear_regression, make_sine_data
from dlnotes.datasets.text import CharVocabulary, load_qianziwen

__all__ = [
    "make_linear_regression",
    "make_sine_data",
    "load_upsampled_digits",
    "stratified_split",
    "resize_bilinear",
    "ImageSplit",
    "make_adding_problem",
    "ADDING_BASELINE_MSE",
    "load_qianziwen",
    "CharVocabulary",
    "make_gaussian_mixture_1d",
    "gaussian_mixture_pdf",
    "ring_centers",
    "make_ring_mixture",
    "make_shapes_detection",
    "ShapeScenes",
    "SHAPE_CLASSES",
]
