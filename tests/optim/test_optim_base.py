"""dlnotes.optim._base: what every optimiser shares (checks, state, aliasing)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from optim_reference import (
    SHAPES,
    compare_with_torch,
    loss_and_grads_numpy,
    loss_torch,
    needs_torch,
    torch,
)

from dlnotes.optim import SGD, Adam, RMSprop


@needs_torch
@given(seed=st.integers(0, 2**32 - 1))
def test_hand_written_gradient_matches_autograd(seed):
    rng = np.random.default_rng(seed)
    params = [3 * rng.normal(size=s) for s in SHAPES]
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    loss_torch(tensors).backward()
    for ours, theirs in zip(loss_and_grads_numpy(params), tensors):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)


@needs_torch
def test_defaults_match_torch_defaults():
    compare_with_torch(lambda p: RMSprop(p), lambda p: torch.optim.RMSprop(p))
    compare_with_torch(lambda p: Adam(p), lambda p: torch.optim.Adam(p))


def test_float32_parameters_stay_float32():
    p = np.ones(3, dtype=np.float32)
    Adam([p], lr=0.1).step([np.ones(3)])
    assert p.dtype == np.float32


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda p: SGD(p, lr=0.0), ValueError, "lr must be > 0, got 0.0"),
        (lambda p: SGD(p, lr=-0.1), ValueError, "lr must be > 0, got -0.1"),
        (lambda p: SGD(p, lr="0.1"), TypeError, "lr must be a real number, got '0.1'"),
        (
            lambda p: SGD(p, lr=0.1, momentum=1.0),
            ValueError,
            r"momentum must lie in \[0, 1\), got 1.0",
        ),
        (lambda p: SGD(p, lr=0.1, nesterov=True), ValueError, "nesterov=True needs momentum > 0"),
        (
            lambda p: SGD(p, lr=0.1, weight_decay=-1),
            ValueError,
            "weight_decay must be >= 0, got -1.0",
        ),
        (lambda p: RMSprop(p, alpha=1.0), ValueError, r"alpha must lie in \[0, 1\), got 1.0"),
        (lambda p: RMSprop(p, eps=0.0), ValueError, "eps must be > 0, got 0.0"),
        (lambda p: RMSprop(p, centered=1), TypeError, "centered must be True or False, got 1"),
        (
            lambda p: Adam(p, betas=(0.9, 1.0)),
            ValueError,
            r"betas\[1\] must lie in \[0, 1\), got 1.0",
        ),
        (
            lambda p: Adam(p, betas=(-0.1, 0.9)),
            ValueError,
            r"betas\[0\] must lie in \[0, 1\), got -0.1",
        ),
        (
            lambda p: Adam(p, betas=0.9),
            ValueError,
            r"betas must be a pair \(beta1, beta2\), got 0.9",
        ),
        (lambda p: Adam(p, eps=-1e-8), ValueError, "eps must be > 0, got -1e-08"),
        (lambda p: Adam(p, eps=np.inf), ValueError, "eps must be finite, got inf"),
        (lambda p: SGD(p, lr=True), TypeError, "lr must be a real number, got True"),
    ],
)
def test_bad_hyper_parameters_are_rejected(make, error, message):
    with pytest.raises(error, match=message):
        make([np.zeros(2)])


def test_numpy_bools_are_flags_too():
    assert RMSprop([np.zeros(2)], centered=np.bool_(True)).centered is True


def test_bad_parameters_are_rejected():
    with pytest.raises(TypeError, match="wrap a single array as"):
        SGD(np.zeros(2), lr=0.1)
    with pytest.raises(ValueError, match="at least one array, got an empty sequence"):
        SGD([], lr=0.1)
    with pytest.raises(
        TypeError, match=r"params\[0\] must be a float numpy array \(updated in place\), got int64"
    ):
        SGD([np.zeros(2, dtype=np.int64)], lr=0.1)
    with pytest.raises(TypeError, match=r"params\[1\] must be a float numpy array .*got list"):
        SGD([np.zeros(2), [1.0]], lr=0.1)
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="must be writeable"):
        SGD([frozen], lr=0.1)


def test_bad_gradients_are_rejected():
    opt = Adam([np.zeros(2), np.zeros((3, 1))])
    with pytest.raises(
        ValueError, match=r"grads\[1\] must have the shape of params\[1\], \(3, 1\), got \(3,\)"
    ):
        opt.step([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match=r"one array per parameter \(2\), got 1"):
        opt.step([np.zeros(2)])
    with pytest.raises(TypeError, match="grads must be a list or tuple of arrays, got ndarray"):
        opt.step(np.zeros(2))
    with pytest.raises(ValueError, match=r"grads\[0\] must be finite"):
        opt.step([np.array([0.0, np.nan]), np.zeros((3, 1))])
    assert opt.t == 0, "a rejected step must not count"


# ---------------------------------------------------------------- aliased gradients


def aliased_steps(make, steps):
    """f(a, b) = a * b: df/da = b and df/db = a, passed as the parameter arrays themselves."""
    a, b = np.array([1.0]), np.array([5.0])
    opt = make([a, b])
    for _ in range(steps):
        opt.step([b, a])
    return a, b


def test_aliased_gradients_give_the_simultaneous_update_by_hand():
    # lr 0.5 from (a, b) = (1, 5): a = 1 - 0.5 * 5 = -1.5 and b = 5 - 0.5 * 1 = 4.5.
    # The old step updated a first and then used the new a for b: 5 - 0.5 * (-1.5) = 5.75.
    a, b = aliased_steps(lambda p: SGD(p, lr=0.5), steps=1)
    assert (a[0], b[0]) == (-1.5, 4.5)


@needs_torch
@pytest.mark.parametrize(
    "ours, theirs, kwargs",
    [
        (SGD, "SGD", {"lr": 0.1, "momentum": 0.9}),
        (RMSprop, "RMSprop", {"lr": 0.01, "centered": True}),
        (Adam, "Adam", {"lr": 0.1, "weight_decay": 0.01}),
    ],
)
def test_aliased_gradients_match_torch(ours, theirs, kwargs):
    a, b = aliased_steps(lambda p: ours(p, **kwargs), steps=5)
    a_t = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor([5.0], dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, theirs)([a_t, b_t], **kwargs)
    for _ in range(5):
        opt.zero_grad()
        (a_t * b_t).sum().backward()
        opt.step()
    np.testing.assert_allclose([a[0], b[0]], [a_t.item(), b_t.item()], rtol=1e-12, atol=1e-14)


def test_a_gradient_is_not_changed_by_the_step():
    g = np.array([1.0, 2.0])
    SGD([np.zeros(2)], lr=0.1, momentum=0.9).step([g])
    np.testing.assert_array_equal(g, [1.0, 2.0])
