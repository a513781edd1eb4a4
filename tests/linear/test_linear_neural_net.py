"""dlnotes.linear.NeuralNet, checked against numpy formulas, gradient_descent and PyTorch."""

import warnings

import numpy as np
import pytest

from dlnotes.datasets import make_linear_regression
from dlnotes.gradcheck import numerical_gradient
from dlnotes.linear import NeuralNet, gradient_descent


@pytest.fixture(scope="module")
def one_feature():
    X, y = make_linear_regression(m=30, weights=(2.0,), bias=3.0, noise_std=0.2, seed=21)
    return X, y


@pytest.fixture(scope="module")
def three_features():
    return make_linear_regression(m=50, weights=(1.0, -2.0, 0.5), bias=0.3, noise_std=0.1, seed=22)


def test_starts_at_zero_and_w_reads_as_float():
    net = NeuralNet(0.1)
    assert net.W.shape == (1, 1) and net.b == 0.0
    assert type(net.w) is float and net.w == 0.0
    net3 = NeuralNet(0.1, n_features=3)
    assert net3.W.shape == (3, 1) and net3.w.shape == (3,)


def test_forward_is_x_times_w_plus_b(three_features):
    X, _ = three_features
    net = NeuralNet(0.1, n_features=3)
    net.w, net.b = [0.5, -1.0, 2.0], 0.25
    expected = X[:, 0] * 0.5 - X[:, 1] + 2.0 * X[:, 2] + 0.25
    Z = net.forward(X)
    assert Z.shape == (50, 1)
    np.testing.assert_allclose(Z[:, 0], expected, rtol=1e-14)


def test_backward_is_the_mean_gradient(three_features):
    X, y = three_features
    net = NeuralNet(0.1, n_features=3)
    net.w, net.b = [0.2, 0.1, -0.3], 0.5

    def cost(theta):
        z = X @ theta[:3] + theta[3]
        return 0.5 * np.mean((z - y) ** 2)

    numeric = numerical_gradient(cost, np.array([0.2, 0.1, -0.3, 0.5]))
    dW, db = net.backward(X, y, net.forward(X))
    assert dW.shape == (3, 1)
    np.testing.assert_allclose(np.append(dW[:, 0], db), numeric, rtol=1e-7, atol=1e-10)


def test_seed_single_sample_formulas():
    # The lecture's per-sample formulas: dw = (z - y) x, db = z - y.
    net = NeuralNet(0.1)
    net.w, net.b = 1.5, -0.5
    x, y = 2.0, 4.0
    z = net.forward([x])
    dW, db = net.backward([x], [y], z)
    assert dW[0, 0] == pytest.approx((2.5 - 4.0) * 2.0) and db == pytest.approx(2.5 - 4.0)


def test_update_steps_against_the_gradient():
    net = NeuralNet(0.5, n_features=2)
    net.update(np.array([[1.0], [-2.0]]), 4.0)
    np.testing.assert_array_equal(net.W, [[-0.5], [1.0]])
    assert net.b == -2.0


@pytest.mark.parametrize("batch_size", [1, 4, 30])
def test_train_matches_gradient_descent(one_feature, batch_size):
    X, y = one_feature
    net = NeuralNet(0.3)
    history = net.train(X, y, epochs=4, batch_size=batch_size)
    r = gradient_descent(X, y, eta=0.3, epochs=4, batch_size=batch_size)
    assert (net.w, net.b) == pytest.approx((r.w, r.b), rel=1e-12)
    np.testing.assert_allclose(history, r.epoch_cost[1:], rtol=1e-12)


def test_accepts_vector_or_column_for_one_feature(one_feature):
    X, y = one_feature
    a, b = NeuralNet(0.1), NeuralNet(0.1)
    a.train(X[:, 0], y)
    b.train(X, y[:, None])
    assert (a.w, a.b) == (b.w, b.b)


def test_many_epochs_reach_lstsq(three_features):
    X, y = three_features
    A = np.column_stack([X, np.ones(len(X))])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    net = NeuralNet(1.0, n_features=3)
    net.train(X, y, epochs=20000, batch_size=len(X))
    np.testing.assert_allclose(np.append(net.w, net.b), theta, atol=1e-8)


def test_inference_shapes():
    net = NeuralNet(0.1)
    net.w, net.b = 2.0, 1.0
    assert net.inference(0.5) == 2.0 and type(net.inference(0.5)) is float
    np.testing.assert_array_equal(net.inference([0.0, 1.0]), [[1.0], [3.0]])
    net2 = NeuralNet(0.1, n_features=2)
    net2.w = [1.0, 10.0]
    np.testing.assert_array_equal(net2.inference([1.0, 2.0]), [[21.0]])


def torch_linear_fit(X, y, eta, epochs, batch_size):
    torch = pytest.importorskip("torch")
    dtype = torch.float64
    layer = torch.nn.Linear(X.shape[1], 1, dtype=dtype)
    with torch.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
    optimiser = torch.optim.SGD(layer.parameters(), lr=eta)
    Xt = torch.tensor(X, dtype=dtype)
    yt = torch.tensor(y, dtype=dtype).reshape(-1, 1)
    for _ in range(epochs):
        for start in range(0, len(X), batch_size):
            optimiser.zero_grad()
            z = layer(Xt[start : start + batch_size])
            loss = 0.5 * ((z - yt[start : start + batch_size]) ** 2).mean()
            loss.backward()
            optimiser.step()
    return layer.weight.detach().numpy()[0], float(layer.bias.detach())


@pytest.mark.parametrize(("epochs", "batch_size"), [(1, 1), (3, 7), (5, 30)])
def test_matches_pytorch_one_feature(one_feature, epochs, batch_size):
    X, y = one_feature
    w_t, b_t = torch_linear_fit(X, y, 0.1, epochs, batch_size)
    net = NeuralNet(0.1)
    net.train(X, y, epochs=epochs, batch_size=batch_size)
    assert abs(net.w - w_t[0]) < 1e-10 and abs(net.b - b_t) < 1e-10


def test_matches_pytorch_three_features(three_features):
    X, y = three_features
    w_t, b_t = torch_linear_fit(X, y, 0.2, 4, 8)
    net = NeuralNet(0.2, n_features=3)
    net.train(X, y, epochs=4, batch_size=8)
    np.testing.assert_allclose(net.w, w_t, rtol=0, atol=1e-10)
    assert abs(net.b - b_t) < 1e-10


# Bad input: every message names the expected and the actual value.


@pytest.mark.parametrize("eta", [0, -0.5])
def test_rejects_non_positive_eta(eta):
    with pytest.raises(ValueError, match=rf"eta must be > 0, got {float(eta)}"):
        NeuralNet(eta)


def test_rejects_bad_construction():
    with pytest.raises(TypeError, match=r"eta must be a real number, got None"):
        NeuralNet(None)
    with pytest.raises(ValueError, match=r"n_features must be >= 1, got 0"):
        NeuralNet(0.1, n_features=0)


def test_rejects_bad_training_arguments(one_feature):
    X, y = one_feature
    net = NeuralNet(0.1)
    with pytest.raises(ValueError, match=r"epochs must be >= 1, got 0"):
        net.train(X, y, epochs=0)
    with pytest.raises(ValueError, match=r"batch_size must be >= 1, got 0"):
        net.train(X, y, batch_size=0)
    with pytest.raises(
        ValueError, match=r"batch_size must be <= the number of samples m = 30, got 31"
    ):
        net.train(X, y, batch_size=31)
    with pytest.raises(
        ValueError, match=r"X and Y must hold the same number of samples, got 30 and 29"
    ):
        net.train(X, y[:-1])


def test_rejects_wrong_shapes():
    net = NeuralNet(0.1, n_features=2)
    with pytest.raises(
        ValueError, match=r"X must have shape \(m, 2\) for n_features = 2, got shape \(4, 3\)"
    ):
        net.forward(np.ones((4, 3)))
    with pytest.raises(
        ValueError, match=r"one sample must hold n_features = 2 numbers, got shape \(3,\)"
    ):
        net.inference([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"w must hold n_features = 2 numbers, got shape \(3,\)"):
        net.w = [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"dW must have shape \(2, 1\), got shape \(3, 1\)"):
        net.update(np.ones((3, 1)), 0.0)
    with pytest.raises(
        ValueError, match=r"Y must have shape \(m,\) or \(m, 1\), got shape \(4, 2\)"
    ):
        net.train(np.ones((4, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"X must be finite .* got nan"):
        NeuralNet(0.1).forward([0.0, np.nan])


# Divergence is reported as divergence, not as "Z must be finite" (issue 10).


def test_divergence_names_the_epoch_and_update_and_suggests_a_smaller_eta(one_feature):
    X, y = one_feature
    # Per-sample steps on x in [0, 10): w grows once eta · x² > 2, i.e. already for eta = 5.
    net = NeuralNet(eta=5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warnings on the way
        with pytest.raises(
            ValueError,
            match=r"training diverged at epoch \d+, update \d+: .*eta = 5\.0"
            r".*smaller eta \(for example 0\.5\)",
        ):
            net.train(X * 10, y, epochs=50)
    stable = NeuralNet(eta=0.005)
    history = stable.train(X * 10, y, epochs=5)
    assert np.all(np.isfinite(history))


def test_loss_carries_the_factor_one_half():
    net = NeuralNet(0.1)
    # residuals 1 and 3 from z = 0: ½ · mean(1, 9) = 2.5
    assert net.loss([0.0, 1.0], [1.0, 3.0]) == 2.5
