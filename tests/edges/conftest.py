"""Fixtures shared by the edges tests."""

import numpy as np
import pytest


@pytest.fixture
def photo():
    """A random 'image' with values in [0, 255), odd and even sizes on purpose."""
    return np.random.default_rng(42).uniform(0, 255, size=(17, 24))
