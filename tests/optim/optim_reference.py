"""Shared by the tests/optim files: a smooth loss, its gradient, and a step-by-step
comparison with torch.optim (same gradients, float64, 1e-12)."""

import numpy as np
import pytest
from hypothesis import strategies as st

try:
    import torch
except ImportError:  # torch is an optional dependency of dlnotes
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="needs torch")

SHAPES = [(3,), (2, 4), (1,)]


# A smooth convex loss with bounded curvature, L = sum_k sum(c_k * log(cosh(p - 1)) + 0.05 * p**2).
def loss_and_grads_numpy(params):
    """Gradients written out by hand: d/dp log(cosh(p - 1)) = tanh(p - 1)."""
    return [(k + 1) * np.tanh(p - 1) + 0.1 * p for k, p in enumerate(params)]


def loss_torch(params):
    return sum(
        ((k + 1) * torch.log(torch.cosh(p - 1)) + 0.05 * p**2).sum() for k, p in enumerate(params)
    )


def compare_with_torch(make_ours, make_theirs, steps=25, seed=0):
    """Feed both optimisers the same gradients and compare the parameters after every step.

    The gradients are computed once, from our parameters, and handed to torch as ``.grad``.
    Letting torch differentiate on its own would add autograd's round-off (about 4e-16), which
    a scale-free step such as RMSprop's amplifies; that would test the loss, not the update rule.

    Centered RMSprop divides by sqrt(v - mean(g)**2). When the gradients barely change, that
    difference cancels, and the two libraries' one-ulp differences in v grow by the condition
    number v / (v - mean(g)**2). The tolerance grows with it, step by step, as the error does.
    """
    rng = np.random.default_rng(seed)
    ours = [3 * rng.normal(size=s) for s in SHAPES]
    theirs = [torch.tensor(p, dtype=torch.float64) for p in ours]
    opt_ours, opt_theirs = make_ours(ours), make_theirs(theirs)
    drift = [np.zeros(s) for s in SHAPES]  # the round-off each parameter may have gathered so far
    for _ in range(steps):
        grads = loss_and_grads_numpy(ours)
        for p, g in zip(theirs, grads):
            p.grad = torch.tensor(g)
        before = [p.copy() for p in ours]
        opt_ours.step(grads)
        opt_theirs.step()
        for a, b, a0, state, d in zip(ours, theirs, before, opt_ours.state, drift):
            d += 1e-15 * condition_number(state) * np.abs(a - a0)
            np.testing.assert_allclose(a, b.numpy(), rtol=1e-12, atol=1e-12 + d.max())
    return ours


def condition_number(state):
    """How much centered RMSprop's v - mean(g)**2 amplifies round-off in v (1 for the others)."""
    if "grad_avg" not in state or not np.any(state["grad_avg"]):
        return 1.0
    v = state["square_avg"]
    return np.maximum(1.0, v / np.maximum(v - state["grad_avg"] ** 2, np.finfo(float).tiny))


unit = st.floats(min_value=0.0, max_value=0.95)
rates = st.floats(min_value=1e-3, max_value=0.2)
decays = st.sampled_from([0.0, 0.01, 0.3])
