"""dlnotes.small_cnn.numpy_model: numpy_forward against the torch model, in its own order."""

import numpy as np
import pytest
from small_cnn_nets import small_net_without_bias

from dlnotes.shapes import trace_shapes
from dlnotes.small_cnn import (
    ORDERS,
    build_small_cnn,
    export_params,
    init_weights,
    numpy_forward,
    small_cnn_spec,
)

torch = pytest.importorskip("torch")


def with_trained_statistics(model, seed=0):
    """Give batch norm non-trivial running statistics and affine parameters, then switch to eval."""
    generator = torch.Generator().manual_seed(seed)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(16, 3, 28, 28, generator=generator, dtype=torch.float64))
        model.bn.weight.uniform_(0.5, 1.5, generator=generator)
        model.bn.bias.uniform_(-0.5, 0.5, generator=generator)
    return model.eval()


@pytest.mark.parametrize("order", ORDERS)
def test_numpy_forward_equals_torch_in_eval_mode(order):
    torch.manual_seed(0)
    model = with_trained_statistics(build_small_cnn(order=order).double())
    x = np.random.default_rng(0).random((10, 3, 28, 28))
    expected = model(torch.from_numpy(x)).detach().numpy()
    ours = numpy_forward(export_params(model), x, small_cnn_spec(order=order))
    np.testing.assert_allclose(ours, expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("order", ORDERS)
def test_numpy_forward_equals_torch_in_training_mode_without_dropout(order):
    # With p = 0 the only training-mode difference is batch norm's use of batch statistics.
    torch.manual_seed(1)
    model = build_small_cnn(dropout=0.0, order=order).double().train()
    x = np.random.default_rng(1).random((12, 3, 28, 28))
    expected = model(torch.from_numpy(x)).detach().numpy()
    ours = numpy_forward(
        export_params(model), x, small_cnn_spec(dropout=0.0, order=order), train=True
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-8, atol=1e-10)


def test_training_mode_dropout_is_reproducible_and_differs_from_eval():
    torch.manual_seed(2)
    params = export_params(build_small_cnn())
    x = np.random.default_rng(2).random((8, 3, 28, 28))
    a = numpy_forward(params, x, train=True, rng=5)
    np.testing.assert_array_equal(a, numpy_forward(params, x, train=True, rng=5))
    assert not np.allclose(a, numpy_forward(params, x, train=True, rng=6))


def test_activations_are_returned_for_every_layer():
    torch.manual_seed(3)
    params = export_params(build_small_cnn())
    x = np.random.default_rng(3).random((4, 3, 28, 28))
    logits, acts = numpy_forward(params, x, return_activations=True)
    rows = trace_shapes(x.shape, list(small_cnn_spec().values()))
    assert list(acts) == list(small_cnn_spec())
    assert [a.shape for a in acts.values()] == [row.output_shape for row in rows]
    np.testing.assert_array_equal(acts["fc2"], logits)
    np.testing.assert_array_equal(acts["relu1"], np.maximum(acts["conv1"], 0))


def test_numpy_forward_rejects_bad_arguments():
    params = export_params(build_small_cnn())
    x = np.zeros((2, 3, 28, 28))
    with pytest.raises(
        TypeError, match=r"params must be a dict from export_params\(model\), got list"
    ):
        numpy_forward([], x)
    with pytest.raises(ValueError, match=r"x must have rank 4 \(N, C, H, W\), got rank 3"):
        numpy_forward(params, x[0])
    incomplete = {k: v for k, v in params.items() if k != "conv2.weight"}
    with pytest.raises(
        ValueError,
        match=r"params must hold 'conv2.weight' \(the keys of export_params\(model\)\), got keys",
    ):
        numpy_forward(incomplete, x)
    with pytest.raises(
        ValueError, match=r"w must have shape \(F, C, HH, WW\) with C = 1 channels like x"
    ):
        numpy_forward(params, np.zeros((2, 1, 28, 28)))
    with pytest.raises(TypeError, match=r"numpy_forward cannot run layer 'extra' of type str"):
        numpy_forward(params, x, {**small_cnn_spec(), "extra": "softmax"})
    with pytest.raises(TypeError, match=r"train must be True or False, got 'False'"):
        numpy_forward(params, x, train="False")


# ------------------------------------------------------------ the order travels with the weights


@pytest.mark.parametrize("order", ORDERS)
def test_exported_params_run_the_models_own_order(order):
    # The old numpy_forward(export_params(model), x) ran the default order for every model:
    # for "bn-relu-dropout" its logits were off by up to 0.9.
    torch.manual_seed(4)
    model = with_trained_statistics(build_small_cnn(order=order).double(), seed=4)
    x = np.random.default_rng(4).random((16, 3, 28, 28))
    expected = model(torch.from_numpy(x)).detach().numpy()
    params = export_params(model)
    assert list(params.spec) == list(small_cnn_spec(order=order))
    ours = numpy_forward(params, x)
    assert np.max(np.abs(ours - expected)) < 1e-10


def test_a_spec_of_the_other_order_is_refused():
    params = export_params(build_small_cnn(order="bn-relu-dropout"))
    x = np.zeros((2, 3, 28, 28))
    with pytest.raises(
        ValueError,
        match=r"spec must list the layers of the model that params come from: "
        r"layer 8 must be bn = BatchNorm1d\(128\), got relu3 = ReLU\(\)",
    ):
        numpy_forward(params, x, small_cnn_spec())
    with pytest.raises(ValueError, match=r"layer 10 must be dropout = Dropout\(p=0.5\), got"):
        numpy_forward(params, x, small_cnn_spec(order="bn-relu-dropout", dropout=0.2))
    with pytest.raises(ValueError, match=r"layer 12 must be nothing, got extra = ReLU\(\)"):
        spec = {**small_cnn_spec(order="bn-relu-dropout"), "extra": small_cnn_spec()["relu1"]}
        numpy_forward(params, x, spec)


def test_a_plain_dict_still_means_the_default_network():
    torch.manual_seed(5)
    model = with_trained_statistics(build_small_cnn().double(), seed=5)
    x = np.random.default_rng(5).random((4, 3, 28, 28))
    expected = model(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(numpy_forward(dict(export_params(model)), x), expected, atol=1e-10)


def test_numpy_forward_runs_layers_without_bias():
    model = init_weights(small_net_without_bias().double(), "he", seed=1).eval()
    x = np.random.default_rng(1).random((3, 3, 28, 28))
    expected = model(torch.from_numpy(x)).detach().numpy()
    params = export_params(model)
    assert "0.bias" not in params and params.spec["0"].bias is False
    np.testing.assert_allclose(numpy_forward(params, x), expected, rtol=0, atol=1e-12)
