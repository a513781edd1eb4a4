"""Old home of the handwritten-digits loader; it now lives in :mod:`dlnotes.datasets.digits`.

Kept so that ``from dlnotes.image_data import load_upsampled_digits`` keeps working.
"""

from dlnotes.datasets.digits import (
    ImageSplit,
    load_upsampled_digits,
    resize_bilinear,
    stratified_split,
)

__all__ = ["ImageSplit", "resize_bilinear", "stratified_split", "load_upsampled_digits"]
