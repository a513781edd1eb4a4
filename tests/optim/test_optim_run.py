"""dlnotes.optim.run: run_optimizer records the path of one parameter."""

import numpy as np
import pytest

from dlnotes.optim import SGD, run_optimizer


def test_run_optimizer_records_the_path_and_leaves_x_at_the_end():
    x = np.array([8.0, -4.0])
    path = run_optimizer(SGD([x], lr=0.25), lambda z: 2 * z, steps=3)
    np.testing.assert_array_equal(path, [[8, -4], [4, -2], [2, -1], [1, -0.5]])
    np.testing.assert_array_equal(x, path[-1])


def test_run_optimizer_rejects_bad_input():
    with pytest.raises(TypeError, match="dlnotes.optim optimiser, got str"):
        run_optimizer("adam", lambda z: z, 3)
    with pytest.raises(
        ValueError, match=r"one parameter of shape \(D,\), got parameters of shapes \[\(2, 2\)\]"
    ):
        run_optimizer(SGD([np.zeros((2, 2))], lr=0.1), lambda z: z, 3)
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        run_optimizer(SGD([np.zeros(2)], lr=0.1), lambda z: z, 0)
