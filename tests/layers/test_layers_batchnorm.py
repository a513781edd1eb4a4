"""Batch normalisation against torch's F.batch_norm and nn.BatchNorm1d / BatchNorm2d."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import batchnorm_backward, batchnorm_forward

torch = pytest.importorskip("torch")


def tensor(a, grad=True):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


@st.composite
def bn_cases(draw):
    c = draw(st.integers(1, 4))
    shape = draw(
        st.one_of(
            st.tuples(st.integers(2, 6)).map(lambda n: (n[0], c)),
            st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4)).map(
                lambda s: (s[0], c, s[1], s[2])
            ),
        )
    )
    if np.prod(shape) // c < 2:  # training needs two values per feature
        shape = (2,) + shape[1:]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(3.0, 2.0, shape)
    params = [
        rng.normal(1, 0.5, c),
        rng.normal(0, 1, c),
        rng.normal(0, 1, c),
        rng.uniform(0.5, 2, c),
    ]
    momentum = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    return x, params, draw(st.booleans()), momentum, draw(st.sampled_from([1e-5, 1e-3])), rng


@given(bn_cases())
def test_forward_backward_and_running_stats_match_torch(case):
    x, (gamma, beta, mean, var), train, momentum, eps, rng = case
    out, cache, new_mean, new_var = batchnorm_forward(
        x, gamma, beta, mean, var, train=train, momentum=momentum, eps=eps
    )
    dout = rng.standard_normal(x.shape)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    tx, tg, tb = tensor(x), tensor(gamma), tensor(beta)
    t_mean, t_var = (
        tensor(mean, grad=False),
        tensor(var, grad=False),
    )  # torch updates these in place
    expected = torch.nn.functional.batch_norm(
        tx, t_mean, t_var, tg, tb, training=train, momentum=momentum, eps=eps
    )
    expected.backward(torch.tensor(dout))
    pairs = [(out, expected.detach()), (dx, tx.grad), (dgamma, tg.grad), (dbeta, tb.grad)]
    pairs += [(new_mean, t_mean), (new_var, t_var)]
    for mine, theirs in pairs:
        assert mine.shape == tuple(theirs.shape)
        assert rel_error(mine, theirs.numpy()) <= 1e-8


@pytest.mark.parametrize("shape, module", [((8, 3), "BatchNorm1d"), ((4, 3, 5, 2), "BatchNorm2d")])
def test_several_training_steps_then_eval_match_torch_module(shape, module):
    rng = np.random.default_rng(0)
    c = shape[1]
    bn = getattr(torch.nn, module)(c, momentum=0.2, eps=1e-3, dtype=torch.float64)
    gamma, beta = rng.normal(1, 0.3, c), rng.normal(0, 0.3, c)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor(gamma))
        bn.bias.copy_(torch.tensor(beta))
    mean, var = np.zeros(c), np.ones(c)  # torch's initial running statistics
    for step in range(4):
        x = rng.normal(step, 1 + step, shape)
        out, _, mean, var = batchnorm_forward(x, gamma, beta, mean, var, momentum=0.2, eps=1e-3)
        assert rel_error(out, bn(torch.tensor(x)).detach().numpy()) <= 1e-8
        assert rel_error(mean, bn.running_mean.numpy()) <= 1e-8
        assert rel_error(var, bn.running_var.numpy()) <= 1e-8
    bn.eval()
    x = rng.normal(0, 1, shape)
    out, _, _, _ = batchnorm_forward(x, gamma, beta, mean, var, train=False, eps=1e-3)
    assert rel_error(out, bn(torch.tensor(x)).detach().numpy()) <= 1e-8


@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 2, 3)])
def test_backward_matches_numerical_gradient(train, shape):
    rng = np.random.default_rng(1)
    x, dout = rng.normal(1, 2, shape), rng.standard_normal(shape)
    gamma, beta, mean, var = (
        rng.normal(1, 0.3, 3),
        rng.normal(0, 1, 3),
        rng.normal(0, 1, 3),
        rng.uniform(0.5, 2, 3),
    )

    def forward(x_=x, gamma_=gamma, beta_=beta):
        return batchnorm_forward(x_, gamma_, beta_, mean, var, train=train)[0]

    dx, dgamma, dbeta = batchnorm_backward(
        dout, batchnorm_forward(x, gamma, beta, mean, var, train=train)[1]
    )
    assert rel_error(dx, numerical_gradient(lambda z: forward(x_=z), x, dout)) < 1e-7
    assert rel_error(dgamma, numerical_gradient(lambda z: forward(gamma_=z), gamma, dout)) < 1e-7
    assert rel_error(dbeta, numerical_gradient(lambda z: forward(beta_=z), beta, dout)) < 1e-7


def test_inputs_are_never_modified_and_running_stats_are_new_arrays():
    rng = np.random.default_rng(2)
    arrays = [
        rng.normal(size=(4, 2, 3, 3)),
        np.ones(2),
        np.zeros(2),
        np.full(2, 0.5),
        np.full(2, 2.0),
    ]
    copies = [a.copy() for a in arrays]
    for train in (True, False):
        out, cache, mean, var = batchnorm_forward(*arrays, train=train)
        batchnorm_backward(np.ones_like(out), cache)
        for original, copy in zip(arrays, copies):
            np.testing.assert_array_equal(original, copy)
        assert not np.shares_memory(mean, arrays[3]) and not np.shares_memory(var, arrays[4])
    np.testing.assert_array_equal(mean, arrays[3])  # evaluation mode returns unchanged copies


def test_float32_stays_float32():
    x = np.random.default_rng(3).normal(size=(4, 3, 2, 2)).astype(np.float32)
    c = np.ones(3)  # float64 parameters are cast to the dtype of x
    out, cache, mean, var = batchnorm_forward(x, c, 0 * c, 0 * c, c)
    assert {a.dtype for a in (out, mean, var, *batchnorm_backward(np.ones_like(out), cache))} == {
        np.dtype(np.float32)
    }


BAD_CALLS = [
    (
        "x of rank 3",
        dict(x=np.ones((4, 3, 2))),
        ValueError,
        r"x must have rank 2 or 4 \(N, D\) or \(N, C, H, W\)",
    ),
    (
        "gamma of the wrong shape",
        dict(gamma=np.ones(4)),
        ValueError,
        r"gamma must have shape \(3,\) \(one value per feature of x\), got \(4,\)",
    ),
    (
        "beta of the wrong shape",
        dict(beta=np.ones((3, 1))),
        ValueError,
        r"beta must have shape \(3,\) \(one value per feature of x\), got \(3, 1\)",
    ),
    (
        "running_mean of the wrong shape",
        dict(running_mean=np.ones(2)),
        ValueError,
        r"running_mean must have shape \(3,\)",
    ),
    (
        "running_var of the wrong shape",
        dict(running_var=np.ones(1)),
        ValueError,
        r"running_var must have shape \(3,\)",
    ),
    ("momentum above 1", dict(momentum=1.5), ValueError, r"momentum must lie in \[0, 1\], got 1.5"),
    ("eps 0", dict(eps=0.0), ValueError, r"eps must be > 0, got 0.0"),
    (
        "one value per feature",
        dict(x=np.ones((1, 3))),
        ValueError,
        r"more than 1 value per feature, got x of shape \(1, 3\)",
    ),
]


@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_arguments_are_rejected(change, error, message):
    args = dict(
        x=np.ones((4, 3)),
        gamma=np.ones(3),
        beta=np.zeros(3),
        running_mean=np.zeros(3),
        running_var=np.ones(3),
    )
    with pytest.raises(error, match=message):
        batchnorm_forward(**(args | change))


def test_backward_rejects_bad_dout_and_cache():
    out, cache, _, _ = batchnorm_forward(
        np.arange(6.0).reshape(3, 2), np.ones(2), np.zeros(2), np.zeros(2), np.ones(2)
    )
    with pytest.raises(
        ValueError, match=r"dout must have shape \(3, 2\) like the forward output, got \(2, 3\)"
    ):
        batchnorm_backward(np.ones((2, 3)), cache)
    with pytest.raises(TypeError, match="BatchNormCache returned by batchnorm_forward"):
        batchnorm_backward(out, list(cache))


def bn_args(**change):
    args = dict(
        x=np.arange(12.0).reshape(4, 3),
        gamma=np.ones(3),
        beta=np.zeros(3),
        running_mean=np.zeros(3),
        running_var=np.ones(3),
    )
    return args | change


SCALAR_ERRORS = [
    ("eps as a string", dict(eps="1e-5"), TypeError, r"eps must be a real number, got '1e-5'"),
    ("eps True", dict(eps=True), TypeError, r"eps must be a real number, got True of type bool"),
    ("eps inf", dict(eps=np.inf), ValueError, r"eps must be finite, got inf"),
    ("eps nan", dict(eps=float("nan")), ValueError, r"eps must be finite, got nan"),
    ("eps negative", dict(eps=-1e-5), ValueError, r"eps must be > 0, got -1e-05"),
    ("momentum string", dict(momentum="0.1"), TypeError, r"momentum must be a real number"),
    ("momentum nan", dict(momentum=np.nan), ValueError, r"momentum must be finite, got nan"),
    ("momentum below 0", dict(momentum=-0.5), ValueError, r"momentum must lie in \[0, 1\]"),
    (
        "train as a string",
        dict(train="False"),
        TypeError,
        r"train must be True or False, got 'False'",
    ),
    ("train as 0", dict(train=0), TypeError, r"train must be True or False, got 0 of type int"),
    ("empty batch", dict(x=np.ones((0, 3)), train=False), ValueError, r"x must not be empty"),
]


@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in SCALAR_ERRORS], ids=[c[0] for c in SCALAR_ERRORS]
)
def test_bad_scalars_and_flags_are_rejected(change, error, message):
    with pytest.raises(error, match=message):
        batchnorm_forward(**bn_args(**change))


@pytest.mark.parametrize("eps", [np.float32(1e-3), np.int64(1), 1])
@pytest.mark.parametrize("momentum", [np.float64(0.25), np.int8(1), 0])
def test_numpy_and_integer_scalars_are_accepted(eps, momentum):
    x = np.array([[1.0], [3.0], [5.0]])  # mean 3, biased var 8/3, unbiased var 4
    out, _, mean, var = batchnorm_forward(
        x, np.ones(1), np.zeros(1), np.zeros(1), np.ones(1), eps=eps, momentum=momentum
    )
    m = float(momentum)
    np.testing.assert_allclose(
        out.ravel(), np.array([-2.0, 0.0, 2.0]) / np.sqrt(8 / 3 + float(eps))
    )
    np.testing.assert_allclose(mean, [m * 3.0])
    np.testing.assert_allclose(var, [(1 - m) * 1.0 + m * 4.0])


def test_updating_gamma_in_place_after_the_forward_does_not_change_the_gradients():
    rng = np.random.default_rng(4)
    x, dout = rng.normal(1, 2, (5, 3)), rng.standard_normal((5, 3))
    gamma, beta = rng.normal(1, 0.3, 3), rng.normal(0, 1, 3)
    tx, tg, tb = tensor(x), tensor(gamma), tensor(beta)
    torch.nn.functional.batch_norm(tx, None, None, tg, tb, training=True).backward(
        torch.tensor(dout)
    )
    _, cache, _, _ = batchnorm_forward(x, gamma, beta, np.zeros(3), np.ones(3))
    gamma += 1  # the optimiser step, before the backward pass
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    for mine, theirs in [(dx, tx.grad), (dgamma, tg.grad), (dbeta, tb.grad)]:
        assert rel_error(mine, theirs.numpy()) <= 1e-8
