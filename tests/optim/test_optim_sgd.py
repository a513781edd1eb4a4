"""dlnotes.optim.sgd: SGD against torch.optim.SGD and by hand."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from optim_reference import compare_with_torch, decays, needs_torch, rates, torch, unit

from dlnotes.optim import SGD


@needs_torch
@given(
    lr=rates,
    momentum=unit,
    dampening=unit,
    weight_decay=decays,
    nesterov=st.booleans(),
    seed=st.integers(0, 99),
)
def test_sgd_matches_torch(lr, momentum, dampening, weight_decay, nesterov, seed):
    if nesterov:
        momentum, dampening = max(momentum, 0.1), 0.0
    kwargs = {
        "lr": lr,
        "momentum": momentum,
        "dampening": dampening,
        "nesterov": nesterov,
        "weight_decay": weight_decay,
    }
    compare_with_torch(
        lambda p: SGD(p, **kwargs), lambda p: torch.optim.SGD(p, **kwargs), seed=seed
    )


def test_plain_sgd_by_hand():
    # p = 1, gradient 2p, lr 0.25: each step halves p.
    p = np.array([1.0])
    opt = SGD([p], lr=0.25)
    for expected in (0.5, 0.25, 0.125):
        opt.step([2 * p])
        assert p[0] == expected
