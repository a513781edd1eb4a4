"""dlnotes.optim.adam: Adam against torch.optim.Adam and by hand."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from optim_reference import compare_with_torch, decays, needs_torch, rates, torch, unit

from dlnotes.optim import Adam


@needs_torch
@given(
    lr=rates,
    beta1=unit,
    beta2=st.floats(0.9, 0.9999),
    eps=st.sampled_from([1e-8, 1e-3, 0.5]),
    weight_decay=decays,
    seed=st.integers(0, 99),
)
def test_adam_matches_torch(lr, beta1, beta2, eps, weight_decay, seed):
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    compare_with_torch(
        lambda p: Adam(p, **kwargs), lambda p: torch.optim.Adam(p, **kwargs), seed=seed
    )


def test_adam_first_step_is_lr_times_sign():
    # After one step m_hat = g and v_hat = g**2, so the move is lr * g / (|g| + eps).
    p = np.array([0.0, 0.0, 0.0])
    g = np.array([-5.0, 1e-3, 2.0])
    Adam([p], lr=0.01, eps=1e-12).step([g])
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-8)
