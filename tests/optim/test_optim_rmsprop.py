"""dlnotes.optim.rmsprop: RMSprop against torch.optim.RMSprop and by hand."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from optim_reference import compare_with_torch, decays, needs_torch, rates, torch, unit

from dlnotes.optim import RMSprop


@needs_torch
@given(
    lr=rates,
    alpha=st.floats(0.5, 0.999),
    eps=st.sampled_from([1e-8, 1e-3, 0.5]),
    momentum=unit,
    centered=st.booleans(),
    weight_decay=decays,
    seed=st.integers(0, 99),
)
def test_rmsprop_matches_torch(lr, alpha, eps, momentum, centered, weight_decay, seed):
    kwargs = {
        "lr": lr,
        "alpha": alpha,
        "eps": eps,
        "momentum": momentum,
        "centered": centered,
        "weight_decay": weight_decay,
    }
    compare_with_torch(
        lambda p: RMSprop(p, **kwargs), lambda p: torch.optim.RMSprop(p, **kwargs), seed=seed
    )


def test_rmsprop_eps_is_outside_the_square_root():
    # alpha = 0 gives v = g**2; with eps outside sqrt the step is lr * g / (|g| + eps).
    g, eps = np.array([1e-4]), 1e-4
    p = np.zeros(1)
    RMSprop([p], lr=1.0, alpha=0.0, eps=eps).step([g])
    assert p[0] == pytest.approx(-1e-4 / (1e-4 + 1e-4))  # eps inside sqrt would give about -0.01
