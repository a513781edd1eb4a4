"""softmax, log_softmax, softmax_cross_entropy and mse_loss against PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import log_softmax, mse_loss, softmax, softmax_cross_entropy

torch = pytest.importorskip("torch")
F = torch.nn.functional


def tensor(a, grad=True):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


@given(
    x=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
        elements=st.floats(-50, 50),
    ),
    data=st.data(),
)
def test_softmax_and_log_softmax_match_torch(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert (
        rel_error(softmax(x, axis=axis), torch.softmax(tensor(x, False), dim=axis).numpy()) <= 1e-8
    )
    assert (
        rel_error(log_softmax(x, axis=axis), torch.log_softmax(tensor(x, False), dim=axis).numpy())
        <= 1e-8
    )


def test_softmax_is_stable_for_huge_logits():
    x = np.array([[1000.0, 1000.0, -1000.0], [1e300, 0.0, -1e300]])
    np.testing.assert_allclose(softmax(x), [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(log_softmax(x)[0], [-np.log(2), -np.log(2), -2000 - np.log(2)])


@st.composite
def classification_cases(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([1.0, 30.0, 1000.0]))
    return rng.standard_normal((n, k)) * scale, rng.integers(0, k, n)


@given(classification_cases())
def test_cross_entropy_matches_torch(case):
    logits, labels = case
    loss, dlogits = softmax_cross_entropy(logits, labels)
    t_logits = tensor(logits)
    expected = F.cross_entropy(t_logits, torch.tensor(labels))
    expected.backward()
    assert isinstance(loss, float)
    assert rel_error(loss, expected.item()) <= 1e-8
    assert rel_error(dlogits, t_logits.grad.numpy()) <= 1e-8


def test_cross_entropy_with_logits_of_1000_does_not_overflow():
    loss, dlogits = softmax_cross_entropy(
        np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]]), np.array([1, 2])
    )
    assert loss == pytest.approx((1000.0 + np.log(2)) / 2)
    np.testing.assert_allclose(dlogits, [[0.5, -0.5, 0.0], [0.0, 0.25, -0.25]], atol=1e-15)


@given(hnp.array_shapes(min_dims=1, max_dims=3, max_side=5), st.integers(0, 2**32 - 1))
def test_mse_matches_torch(shape, seed):
    rng = np.random.default_rng(seed)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, dpred = mse_loss(pred, target)
    t_pred = tensor(pred)
    expected = F.mse_loss(t_pred, tensor(target, False))
    expected.backward()
    assert rel_error(loss, expected.item()) <= 1e-8
    assert rel_error(dpred, t_pred.grad.numpy()) <= 1e-8


def test_gradients_match_numerical_gradient():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    numerical = numerical_gradient(lambda z: softmax_cross_entropy(z, labels)[0], logits)
    assert rel_error(softmax_cross_entropy(logits, labels)[1], numerical) < 1e-8
    pred, target = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    assert (
        rel_error(
            mse_loss(pred, target)[1], numerical_gradient(lambda z: mse_loss(z, target)[0], pred)
        )
        < 1e-8
    )


def test_inputs_are_not_modified_and_float32_is_kept():
    logits, labels = np.ones((2, 3), np.float32), np.array([0, 1])
    _, dlogits = softmax_cross_entropy(logits, labels)
    np.testing.assert_array_equal(logits, np.ones((2, 3)))
    np.testing.assert_array_equal(labels, [0, 1])
    assert dlogits.dtype == softmax(logits).dtype == mse_loss(logits, logits)[1].dtype == np.float32


LABEL_ERRORS = [
    (
        "float labels",
        np.array([0.0, 1.0]),
        TypeError,
        r"labels must be integer class indices, got dtype float64",
    ),
    (
        "labels of shape (N, 1)",
        np.array([[0], [1]]),
        ValueError,
        r"labels must have shape \(2,\) \(N,\) like logits of shape \(2, 3\), got \(2, 1\)",
    ),
    ("labels too short", np.array([0]), ValueError, r"labels must have shape \(2,\) .*got \(1,\)"),
    (
        "label equal to K",
        np.array([0, 3]),
        ValueError,
        r"labels must lie in \[0, K\) = \[0, 3\), got 3 at index 1",
    ),
    (
        "negative label",
        np.array([-1, 0]),
        ValueError,
        r"labels must lie in \[0, K\) = \[0, 3\), got -1 at index 0",
    ),
]


@pytest.mark.parametrize(
    "labels, error, message", [c[1:] for c in LABEL_ERRORS], ids=[c[0] for c in LABEL_ERRORS]
)
def test_bad_labels_are_rejected(labels, error, message):
    with pytest.raises(error, match=message):
        softmax_cross_entropy(np.zeros((2, 3)), labels)


def test_bad_logits_and_mse_shapes_are_rejected():
    with pytest.raises(ValueError, match=r"logits must have rank 2 \(N, K\), got rank 1"):
        softmax_cross_entropy(np.zeros(3), np.array([0]))
    with pytest.raises(
        ValueError, match=r"pred and target must have the same shape, got \(2, 3\) and \(3, 2\)"
    ):
        mse_loss(np.zeros((2, 3)), np.zeros((3, 2)))


@pytest.mark.parametrize("function", [softmax, log_softmax])
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3)])
def test_empty_softmax_input_is_rejected_clearly(function, shape):
    shape_text = str(shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=rf"^x must not be empty, got shape {shape_text}$"):
        function(np.zeros(shape), axis=0)


@pytest.mark.parametrize("function", [softmax, log_softmax])
def test_softmax_rejects_infinite_logits_and_bad_axes(function):
    # inf - max = inf - inf = NaN: the old code returned NaN without a word
    with pytest.raises(ValueError, match=r"x must be finite \(no NaN or inf\), got inf at index 0"):
        function(np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match=r"axis must lie in \[-2, 1\], got 2"):
        function(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"axis must be an integer, got 1.0"):
        function(np.zeros((2, 3)), axis=1.0)


def test_cross_entropy_rejects_empty_and_infinite_logits():
    with pytest.raises(ValueError, match=r"logits must not be empty, got shape \(0, 3\)"):
        softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, int))
    with pytest.raises(ValueError, match=r"logits must be finite .* got -inf at index \(1, 0\)"):
        softmax_cross_entropy(np.array([[0.0, 1.0], [-np.inf, 0.0]]), np.array([0, 1]))


def test_mse_rejects_empty_input():
    with pytest.raises(ValueError, match=r"pred must not be empty, got shape \(0, 2\)"):
        mse_loss(np.zeros((0, 2)), np.zeros((0, 2)))
