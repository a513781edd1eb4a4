"""dlnotes.optim against torch.optim: same hyper-parameters and gradients, float64, many steps, 1e-12."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.optim import SGD, Adam, RMSprop, run_optimizer

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


@needs_torch
@given(seed=st.integers(0, 2**32 - 1))
def test_hand_written_gradient_matches_autograd(seed):
    rng = np.random.default_rng(seed)
    params = [3 * rng.normal(size=s) for s in SHAPES]
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    loss_torch(tensors).backward()
    for ours, theirs in zip(loss_and_grads_numpy(params), tensors):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)


unit = st.floats(min_value=0.0, max_value=0.95)
rates = st.floats(min_value=1e-3, max_value=0.2)
decays = st.sampled_from([0.0, 0.01, 0.3])


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


@needs_torch
def test_defaults_match_torch_defaults():
    compare_with_torch(lambda p: RMSprop(p), lambda p: torch.optim.RMSprop(p))
    compare_with_torch(lambda p: Adam(p), lambda p: torch.optim.Adam(p))


def test_plain_sgd_by_hand():
    # p = 1, gradient 2p, lr 0.25: each step halves p.
    p = np.array([1.0])
    opt = SGD([p], lr=0.25)
    for expected in (0.5, 0.25, 0.125):
        opt.step([2 * p])
        assert p[0] == expected


def test_adam_first_step_is_lr_times_sign():
    # After one step m_hat = g and v_hat = g**2, so the move is lr * g / (|g| + eps).
    p = np.array([0.0, 0.0, 0.0])
    g = np.array([-5.0, 1e-3, 2.0])
    Adam([p], lr=0.01, eps=1e-12).step([g])
    np.testing.assert_allclose(p, -0.01 * np.sign(g), rtol=1e-8)


def test_rmsprop_eps_is_outside_the_square_root():
    # alpha = 0 gives v = g**2; with eps outside sqrt the step is lr * g / (|g| + eps).
    g, eps = np.array([1e-4]), 1e-4
    p = np.zeros(1)
    RMSprop([p], lr=1.0, alpha=0.0, eps=eps).step([g])
    assert p[0] == pytest.approx(-1e-4 / (1e-4 + 1e-4))  # eps inside sqrt would give about -0.01


def test_float32_parameters_stay_float32():
    p = np.ones(3, dtype=np.float32)
    Adam([p], lr=0.1).step([np.ones(3)])
    assert p.dtype == np.float32


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


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda p: SGD(p, lr=0.0), ValueError, "lr must be a finite number > 0, got 0.0"),
        (lambda p: SGD(p, lr=-0.1), ValueError, "lr must be a finite number > 0, got -0.1"),
        (lambda p: SGD(p, lr="0.1"), TypeError, "lr must be a number, got '0.1'"),
        (
            lambda p: SGD(p, lr=0.1, momentum=1.0),
            ValueError,
            r"momentum must lie in \[0, 1\), got 1.0",
        ),
        (lambda p: SGD(p, lr=0.1, nesterov=True), ValueError, "nesterov=True needs momentum > 0"),
        (
            lambda p: SGD(p, lr=0.1, weight_decay=-1),
            ValueError,
            "weight_decay must be a finite number >= 0, got -1",
        ),
        (lambda p: RMSprop(p, alpha=1.0), ValueError, r"alpha must lie in \[0, 1\), got 1.0"),
        (lambda p: RMSprop(p, eps=0.0), ValueError, "eps must be a finite number > 0, got 0.0"),
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
        (lambda p: Adam(p, eps=-1e-8), ValueError, "eps must be a finite number > 0, got -1e-08"),
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
