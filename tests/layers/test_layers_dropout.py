"""Dropout: drop rate, expected values, determinism and both conventions."""

import numpy as np
import pytest

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import dropout_backward, dropout_forward

torch = pytest.importorskip("torch")

SIZE = 200_000


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("inverted", [True, False])
def test_drop_rate_is_p(p, inverted):
    out, _ = dropout_forward(np.ones(SIZE), p, rng=123, inverted=inverted)
    dropped = np.mean(out == 0)
    sigma = np.sqrt(p * (1 - p) / SIZE)  # std of a binomial proportion
    assert abs(dropped - p) < 5 * sigma


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_inverted_dropout_preserves_the_mean(p):
    x = np.random.default_rng(0).uniform(0.5, 2.0, SIZE)
    out, _ = dropout_forward(x, p, rng=1)
    # out_i = x_i * keep_i / (1 - p): mean x_i, variance x_i**2 * p / (1 - p)
    sigma = np.sqrt(np.sum(x**2) * p / (1 - p)) / SIZE
    assert abs(out.mean() - x.mean()) < 5 * sigma
    np.testing.assert_array_equal(dropout_forward(x, p, train=False)[0], x)


@pytest.mark.parametrize("p", [0.2, 0.7])
def test_classic_dropout_train_expectation_equals_eval_output(p):
    x = np.random.default_rng(2).uniform(0.5, 2.0, SIZE)
    train_out, _ = dropout_forward(x, p, rng=3, inverted=False)
    eval_out, _ = dropout_forward(x, p, train=False, inverted=False)
    np.testing.assert_allclose(eval_out, (1 - p) * x)
    assert set(np.unique(train_out / x)) == {0.0, 1.0}  # kept units are not rescaled
    sigma = np.sqrt(np.sum(x**2) * p * (1 - p)) / SIZE
    assert abs(train_out.mean() - eval_out.mean()) < 5 * sigma


def test_kept_units_are_scaled_like_torch():
    x = np.random.default_rng(4).standard_normal(4000)
    mine, _ = dropout_forward(x, 0.3, rng=5)
    theirs = torch.nn.functional.dropout(
        torch.tensor(x, dtype=torch.float64), 0.3, training=True
    ).numpy()
    both = (mine != 0) & (theirs != 0)
    assert both.sum() > 1000
    np.testing.assert_allclose(mine[both], theirs[both], rtol=1e-15)
    np.testing.assert_allclose(mine[both], x[both] / 0.7, rtol=1e-15)


def test_seed_and_generator_make_it_deterministic():
    x = np.ones((50, 40))
    a, _ = dropout_forward(x, 0.5, rng=7)
    b, _ = dropout_forward(x, 0.5, rng=7)
    c, _ = dropout_forward(x, 0.5, rng=np.random.default_rng(7))
    d, _ = dropout_forward(x, 0.5, rng=8)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, d)


def test_generator_is_advanced_and_none_draws_fresh_masks():
    x = np.ones(1000)
    gen = np.random.default_rng(9)
    first, _ = dropout_forward(x, 0.5, rng=gen)
    second, _ = dropout_forward(x, 0.5, rng=gen)
    assert not np.array_equal(first, second)
    assert not np.array_equal(dropout_forward(x, 0.5)[0], dropout_forward(x, 0.5)[0])


@pytest.mark.parametrize("inverted", [True, False])
def test_p_zero_is_the_identity(inverted):
    x = np.random.default_rng(10).standard_normal((3, 4))
    for train in (True, False):
        out, cache = dropout_forward(x, 0.0, train=train, inverted=inverted)
        np.testing.assert_array_equal(out, x)
        assert out is not x
        np.testing.assert_array_equal(dropout_backward(np.ones_like(x), cache), np.ones_like(x))


def test_eval_mode_matches_torch_eval_and_scales_for_classic():
    x = np.random.default_rng(11).standard_normal((5, 6))
    expected = torch.nn.functional.dropout(torch.tensor(x), 0.4, training=False).numpy()
    out, cache = dropout_forward(x, 0.4, train=False)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(dropout_backward(np.ones_like(x), cache), np.ones_like(x))
    out, cache = dropout_forward(x, 0.4, train=False, inverted=False)
    np.testing.assert_allclose(out, 0.6 * x)
    np.testing.assert_allclose(dropout_backward(np.ones_like(x), cache), np.full_like(x, 0.6))


@pytest.mark.parametrize("inverted", [True, False])
def test_backward_matches_numerical_gradient(inverted):
    rng = np.random.default_rng(12)
    x, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    out, cache = dropout_forward(x, 0.3, rng=13, inverted=inverted)
    dx = dropout_backward(dout, cache)
    # the same seed gives the same mask on every call, so the function is fixed
    numerical = numerical_gradient(
        lambda z: dropout_forward(z, 0.3, rng=13, inverted=inverted)[0], x, dout
    )
    assert rel_error(dx, numerical) < 1e-8
    np.testing.assert_array_equal(dx == 0, out == 0)


def test_float32_stays_float32_and_input_is_not_modified():
    x = np.ones((10, 10), np.float32)
    out, cache = dropout_forward(x, 0.5, rng=0)
    assert out.dtype == dropout_backward(np.ones_like(out), cache).dtype == np.float32
    np.testing.assert_array_equal(x, np.ones((10, 10)))


@pytest.mark.parametrize(
    "p, error, message",
    [
        (1.0, ValueError, r"p must lie in \[0, 1\), got 1.0"),
        (-0.1, ValueError, r"p must lie in \[0, 1\), got -0.1"),
        ("0.5", TypeError, r"p must be a real number, got '0.5' of type str"),
    ],
)
def test_bad_p_is_rejected(p, error, message):
    with pytest.raises(error, match=message):
        dropout_forward(np.ones(3), p)


def test_bad_rng_dout_and_cache_are_rejected():
    with pytest.raises(
        TypeError,
        match=r"rng must be None, an int seed or a numpy.random.Generator, got .* RandomState",
    ):
        dropout_forward(np.ones(3), 0.5, rng=np.random.RandomState(0))
    out, cache = dropout_forward(np.ones(3), 0.5, rng=0)
    with pytest.raises(
        ValueError, match=r"dout must have shape \(3,\) like the forward output, got \(4,\)"
    ):
        dropout_backward(np.ones(4), cache)
    with pytest.raises(TypeError, match="DropoutCache returned by dropout_forward"):
        dropout_backward(out, None)


@pytest.mark.parametrize("flag", ["train", "inverted"])
@pytest.mark.parametrize("value", ["False", 0, None])
def test_flags_must_be_bools(flag, value):
    # "False" is a non-empty string, which the old code treated as True
    with pytest.raises(TypeError, match=rf"{flag} must be True or False, got {value!r}"):
        dropout_forward(np.ones(3), 0.5, rng=0, **{flag: value})


def test_numpy_bools_are_flags():
    out, _ = dropout_forward(np.ones(4), 0.5, train=np.bool_(False), inverted=np.bool_(False))
    np.testing.assert_array_equal(out, np.full(4, 0.5))
