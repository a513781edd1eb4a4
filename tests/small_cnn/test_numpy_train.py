"""dlnotes.small_cnn.numpy_train: the numpy backward pass and SGD against torch's autograd."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.small_cnn import (
    ORDERS,
    SmallCNNParams,
    build_small_cnn,
    export_params,
    init_weights,
    numpy_loss_and_grads,
    numpy_train_step,
    sgd_step,
)

torch = pytest.importorskip("torch")


def with_mask_hook(model, holder):
    """Make the model's dropout apply holder["keep"] (bool, numpy) instead of its own draw."""

    def hook(module, inputs, output):
        keep = torch.from_numpy(holder["keep"].astype(np.float64))
        return inputs[0] * keep / (1 - module.p)

    return model.dropout.register_forward_hook(hook)


def torch_loss_and_grads(model, x, y, keep):
    holder = {"keep": keep}
    handle = with_mask_hook(model, holder)
    model.train()
    model.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()
    handle.remove()
    return loss.item(), {name: p.grad.numpy().copy() for name, p in model.named_parameters()}


def test_twenty_sgd_steps_match_torch_in_float64():
    # The common order; see the chapter for why the notes' order amplifies round-off.
    model = init_weights(build_small_cnn(order="bn-relu-dropout"), "he", seed=0).double()
    params = start = export_params(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    holder = {}
    with_mask_hook(model, holder)
    model.train()
    rng = np.random.default_rng(0)
    for step in range(20):
        x, y = rng.random((32, 3, 28, 28)), rng.integers(0, 10, 32)
        holder["keep"] = keep = rng.random((32, 128)) >= 0.5
        params, result = numpy_train_step(params, x, y, 0.1, dropout_keep=keep)
        loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        assert abs(result.loss - loss.item()) < 1e-10, step
        state = model.state_dict()
        for key, value in params.items():
            np.testing.assert_allclose(value, state[key].numpy(), rtol=0, atol=1e-10, err_msg=key)
    assert np.max(np.abs(params["fc1.weight"] - start["fc1.weight"])) > 1e-2  # it moved


@settings(max_examples=8)
@given(
    n=st.integers(2, 6),
    image_size=st.integers(11, 20),
    in_channels=st.integers(1, 3),
    num_classes=st.integers(2, 10),
    order=st.sampled_from(ORDERS),
    dropout=st.sampled_from([0.0, 0.3, 0.5]),
    seed=st.integers(0, 2**16),
)
def test_gradients_match_torch_autograd(
    n, image_size, in_channels, num_classes, order, dropout, seed
):
    torch.manual_seed(seed)
    model = build_small_cnn(in_channels, num_classes, dropout, image_size, order).double()
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, in_channels, image_size, image_size))
    y = rng.integers(0, num_classes, n)
    keep = rng.random((n, 128)) >= dropout
    params = export_params(model)
    ours = numpy_loss_and_grads(params, x, y, dropout_keep=keep)
    loss, grads = torch_loss_and_grads(model, x, y, keep)
    assert abs(ours.loss - loss) < 1e-10
    assert sorted(ours.grads) == sorted(grads)
    for key, g in grads.items():
        np.testing.assert_allclose(ours.grads[key], g, rtol=1e-7, atol=1e-10, err_msg=key)
    state = model.state_dict()
    for key, value in ours.running_stats.items():
        np.testing.assert_allclose(value, state[key].numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("key", ["conv1.weight", "conv2.bias", "fc1.weight", "bn.weight"])
def test_gradients_match_numerical_gradients(key):
    model = init_weights(build_small_cnn(order="bn-relu-dropout"), "he", seed=1).double()
    params = export_params(model)
    rng = np.random.default_rng(1)
    x, y = rng.random((6, 3, 28, 28)), rng.integers(0, 10, 6)
    keep = rng.random((6, 128)) >= 0.5
    grad = numpy_loss_and_grads(params, x, y, dropout_keep=keep).grads[key]
    # A few entries of the parameter, perturbed one at a time.
    flat = params[key].ravel()
    picks = rng.choice(flat.size, size=min(6, flat.size), replace=False)

    def loss_at(values):
        changed = flat.copy()
        changed[picks] = values
        trial = SmallCNNParams({**params, key: changed.reshape(params[key].shape)}, params.spec)
        return numpy_loss_and_grads(trial, x, y, dropout_keep=keep).loss

    numeric = numerical_gradient(loss_at, flat[picks])
    assert rel_error(grad.ravel()[picks], numeric) < 1e-6


def test_sgd_step_leaves_the_input_alone_and_moves_against_the_gradient():
    params = SmallCNNParams({"a": np.array([1.0, 2.0]), "b": np.array([3.0])}, None)
    new = sgd_step(params, {"a": np.array([0.5, -1.0])}, 0.1)
    np.testing.assert_array_equal(params["a"], [1.0, 2.0])
    np.testing.assert_allclose(new["a"], [0.95, 2.1], rtol=0, atol=1e-15)
    assert new["b"] is not params["b"] and new["b"].tolist() == [3.0]


def test_float32_stays_float32():
    p64 = export_params(init_weights(build_small_cnn(), "he", seed=0))
    params = SmallCNNParams({k: v.astype(np.float32) for k, v in p64.items()}, p64.spec)
    rng = np.random.default_rng(0)
    x = rng.random((4, 3, 28, 28), dtype=np.float32)
    new, result = numpy_train_step(params, x, np.arange(4), 0.1, rng=rng)
    assert {v.dtype for v in new.values()} == {np.dtype(np.float32)}
    assert {g.dtype for g in result.grads.values()} == {np.dtype(np.float32)}


@pytest.fixture(scope="module")
def params():
    return export_params(build_small_cnn().double())


def test_missing_parameter_is_refused(params):
    broken = SmallCNNParams({k: v for k, v in params.items() if k != "fc1.bias"}, params.spec)
    with pytest.raises(ValueError, match="params must hold 'fc1.bias'"):
        numpy_loss_and_grads(broken, np.zeros((2, 3, 28, 28)), np.array([0, 1]))


def test_wrong_image_shape_is_refused(params):
    with pytest.raises(ValueError, match="layer 0"):
        numpy_loss_and_grads(params, np.zeros((2, 1, 28, 28)), np.array([0, 1]))


def test_labels_are_checked(params):
    x = np.zeros((2, 3, 28, 28))
    with pytest.raises(ValueError, match=r"y must lie in \[0, num_classes\) = \[0, 10\), got 10"):
        numpy_loss_and_grads(params, x, np.array([0, 10]))
    with pytest.raises(ValueError, match="y must have shape"):
        numpy_loss_and_grads(params, x, np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="integer class labels, got dtype float64"):
        numpy_loss_and_grads(params, x, np.array([0.0, 1.0]))


def test_dropout_mask_is_checked(params):
    x, y = np.zeros((2, 3, 28, 28)), np.array([0, 1])
    with pytest.raises(ValueError, match="dropout_keep must have shape"):
        numpy_loss_and_grads(params, x, y, dropout_keep=np.ones((2, 64), dtype=bool))
    with pytest.raises(TypeError, match="dropout_keep must be a boolean array"):
        numpy_loss_and_grads(params, x, y, dropout_keep=np.ones((2, 128)))


def test_sgd_step_refuses_bad_gradients(params):
    with pytest.raises(ValueError, match="grads has key 'fc9.weight' that params lacks"):
        sgd_step(params, {"fc9.weight": np.zeros(3)}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['fc2.bias'\] must have shape \(10,\)"):
        sgd_step(params, {"fc2.bias": np.zeros(3)}, 0.1)
    with pytest.raises(ValueError, match="lr"):
        sgd_step(params, {}, -0.1)
