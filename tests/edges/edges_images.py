"""Test images shared by the edges tests (a module: pytest puts this folder on sys.path)."""

import numpy as np


def step_image(rows=4, cols=6, value=1.0):
    """Dark left half, bright right half."""
    img = np.zeros((rows, cols))
    img[:, cols // 2 :] = value
    return img
