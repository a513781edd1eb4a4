"""dlnotes.layers.binary_focal_loss against torch (autograd and the built-in BCE)."""

import numpy as np
import pytest

from dlnotes.layers import binary_focal_loss

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # torch is an optional dependency of dlnotes
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="needs torch")


def focal_torch(z, y, gamma, alpha, reduction):
    """The paper's formula written directly in torch: FL = -alpha_t (1 - p_t)^gamma log p_t."""
    z = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(y, dtype=torch.float64)
    p = torch.sigmoid(z)
    p_t = torch.where(y == 1, p, 1 - p)
    log_p_t = torch.where(y == 1, F.logsigmoid(z), F.logsigmoid(-z))
    alpha_t = (
        torch.ones_like(z)
        if alpha is None
        else torch.where(
            y == 1,
            torch.tensor(alpha, dtype=torch.float64),
            torch.tensor(1 - alpha, dtype=torch.float64),
        )
    )
    per_element = -alpha_t * (1 - p_t) ** gamma * log_p_t
    total = {"mean": per_element.mean(), "sum": per_element.sum(), "none": per_element.sum()}[
        reduction
    ]
    total.backward()
    value = per_element.detach().numpy() if reduction == "none" else total.item()
    return value, z.grad.numpy()


def random_case(seed, shape=(7, 3)):
    rng = np.random.default_rng(seed)
    return rng.normal(scale=3.0, size=shape), (rng.random(shape) < 0.3).astype(float)


@needs_torch
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_matches_torch_autograd(seed, gamma, alpha, reduction):
    z, y = random_case(seed)
    loss, grad = binary_focal_loss(z, y, gamma=gamma, alpha=alpha, reduction=reduction)
    loss_ref, grad_ref = focal_torch(z, y, gamma, alpha, reduction)
    np.testing.assert_allclose(loss, loss_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad, grad_ref, rtol=1e-10, atol=1e-15)


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_gamma_zero_without_alpha_is_bce_with_logits(reduction):
    z, y = random_case(7, shape=(50,))
    zt = torch.tensor(z, requires_grad=True)
    ref = F.binary_cross_entropy_with_logits(zt, torch.tensor(y), reduction=reduction)
    (ref.sum() if reduction == "none" else ref).backward()
    loss, grad = binary_focal_loss(z, y, gamma=0.0, alpha=None, reduction=reduction)
    np.testing.assert_allclose(loss, ref.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-12, atol=1e-16)


@needs_torch
def test_alpha_is_a_class_weight_of_bce():
    # gamma = 0: positives weighted by alpha, negatives by 1 - alpha.
    z, y = random_case(8, shape=(40,))
    weight = np.where(y == 1, 0.25, 0.75)
    ref = F.binary_cross_entropy_with_logits(
        torch.tensor(z), torch.tensor(y), weight=torch.tensor(weight)
    )
    assert binary_focal_loss(z, y, gamma=0.0, alpha=0.25)[0] == pytest.approx(ref.item(), rel=1e-12)


def test_hand_computed_value():
    # z = 0 gives p = 1/2 for either label: FL = alpha_t * (1/2)**gamma * log 2.
    loss, _ = binary_focal_loss([0.0, 0.0], [1, 0], gamma=2.0, alpha=0.25, reduction="none")
    np.testing.assert_allclose(loss, [0.25 * 0.25 * np.log(2), 0.75 * 0.25 * np.log(2)], rtol=1e-14)


def test_extreme_logits_stay_finite_and_accurate():
    z = np.array([800.0, -800.0, 40.0, -40.0])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    loss, grad = binary_focal_loss(z, y, gamma=2.0, alpha=None, reduction="none")
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
    # confidently wrong: (1 - p_t) -> 1 and -log p_t -> |z|
    np.testing.assert_allclose(loss[:2], [800.0, 800.0], rtol=1e-12)
    # confidently right: (1 - p_t)**2 * (-log p_t) ~ exp(-40)**2 * exp(-40)
    np.testing.assert_allclose(loss[2:], np.exp(-120.0), rtol=1e-10)


def test_easy_examples_lose_more_weight_than_hard_ones():
    z = np.array([4.0, 0.5])  # both positives: p_t = 0.98 (easy) and 0.62 (hard)
    bce = binary_focal_loss(z, [1, 1], gamma=0.0, alpha=None, reduction="none")[0]
    fl = binary_focal_loss(z, [1, 1], gamma=2.0, alpha=None, reduction="none")[0]
    ratio = fl / bce
    expected = (1 - 1 / (1 + np.exp(-z))) ** 2  # the modulating factor (1 - p_t)**gamma
    np.testing.assert_allclose(ratio, expected, rtol=1e-12)
    assert ratio[0] < ratio[1] / 100


def test_integer_inputs_and_shapes():
    loss, grad = binary_focal_loss(
        np.zeros((2, 2), dtype=int), np.eye(2, dtype=int), reduction="none"
    )
    assert loss.shape == grad.shape == (2, 2) and loss.dtype == np.float64


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (
            dict(targets=[1, 0]),
            ValueError,
            r"logits and targets must have the same shape, got \(3,\) and \(2,\)",
        ),
        (dict(targets=[1, 0, 0.5]), ValueError, "targets must hold only 0 and 1, got 0.5"),
        (dict(gamma=-1.0), ValueError, "gamma must be >= 0, got -1.0"),
        (dict(gamma="2"), TypeError, "gamma must be a real number, got '2' of type str"),
        (dict(alpha=1.5), ValueError, r"alpha must lie in \[0, 1\], got 1.5"),
        (
            dict(reduction="avg"),
            ValueError,
            r"reduction must be one of 'mean', 'sum', 'none'; got 'avg'",
        ),
        (dict(logits=[0.0, np.inf, 1.0]), ValueError, "logits must be finite"),
        (dict(logits=["a", "b", "c"]), TypeError, "logits must hold real numbers"),
        (dict(logits=[], targets=[]), ValueError, r"logits must not be empty, got shape \(0,\)"),
    ],
)
def test_bad_input_is_rejected(kwargs, error, message):
    args = dict(logits=[0.0, 1.0, -1.0], targets=[1, 0, 1])
    args.update(kwargs)
    with pytest.raises(error, match=message):
        binary_focal_loss(**args)


def test_old_import_path_gives_the_same_function():
    import dlnotes.classification_losses
    import dlnotes.layers.losses

    assert dlnotes.classification_losses.binary_focal_loss is binary_focal_loss
    assert dlnotes.layers.losses.binary_focal_loss is binary_focal_loss


def test_focal_loss_uses_the_one_stable_sigmoid_of_the_activations():
    import dlnotes.layers.activations
    import dlnotes.layers.losses

    assert dlnotes.layers.losses._sigmoid is dlnotes.layers.activations._sigmoid


@pytest.mark.parametrize("gamma", [np.float32(2.0), np.int64(1), 0])
def test_numpy_and_integer_gamma_are_accepted(gamma):
    # z = 0: p_t = 1/2 for either label, so FL = (1/2)**gamma * log 2
    loss, _ = binary_focal_loss([0.0], [1], gamma=gamma, alpha=None)
    assert loss == pytest.approx(0.5 ** float(gamma) * np.log(2), rel=1e-14)


@pytest.mark.parametrize(
    "gamma, error, message",
    [
        (np.inf, ValueError, "gamma must be finite, got inf"),
        (True, TypeError, "gamma must be a real number, got True of type bool"),
    ],
)
def test_infinite_or_bool_gamma_is_rejected(gamma, error, message):
    with pytest.raises(error, match=message):
        binary_focal_loss([0.0], [1], gamma=gamma)
