import math

import numpy as np
import pytest

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


def torch_shapes(model, x):
    """Output shape and parameter count of every named child, read from torch itself."""
    seen = {}
    hooks = [
        module.register_forward_hook(
            lambda mod, inp, out, name=name: seen.__setitem__(name, tuple(out.shape))
        )
        for name, module in model.named_children()
    ]
    with torch.no_grad():
        model(x)
    for hook in hooks:
        hook.remove()
    params = {
        name: sum(p.numel() for p in module.parameters()) for name, module in model.named_children()
    }
    return seen, params


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
def test_spec_shapes_and_parameter_counts_match_torch(order):
    spec = small_cnn_spec(order=order)
    rows = trace_shapes((10, 3, 28, 28), list(spec.values()))
    model = build_small_cnn(order=order)
    assert [name for name, _ in model.named_children()] == list(spec)
    shapes, params = torch_shapes(model.eval(), torch.zeros(10, 3, 28, 28))
    for name, row in zip(spec, rows):
        assert row.output_shape == shapes[name], name
        assert row.params == params[name], name


def test_shapes_follow_the_floor_formula_by_hand():
    # floor((H + 2P - K) / S) + 1: conv1 (28 + 4 - 5) // 2 + 1 = 14, pool 14 // 2 = 7,
    # conv2 (7 + 2 - 3) // 2 + 1 = 4, pool 4 // 2 = 2, flatten 64 * 2 * 2 = 256.
    rows = trace_shapes((10, 3, 28, 28), list(small_cnn_spec().values()))
    by_name = dict(zip(small_cnn_spec(), (row.output_shape for row in rows)))
    assert by_name["conv1"] == (10, 32, 14, 14) and by_name["pool1"] == (10, 32, 7, 7)
    assert by_name["conv2"] == (10, 64, 4, 4) and by_name["pool2"] == (10, 64, 2, 2)
    assert by_name["flatten"] == (10, 256) and by_name["fc2"] == (10, 10)
    # fc1 has 256 * 128 weights and 128 biases
    assert rows[list(small_cnn_spec()).index("fc1")].params == 256 * 128 + 128


def test_image_size_sets_the_width_of_fc1():
    # 64: conv1 32, pool 16, conv2 8, pool 4 -> 64 * 4 * 4 = 1024 features
    assert small_cnn_spec(image_size=64)["fc1"].in_features == 1024
    model = build_small_cnn(in_channels=1, num_classes=4, image_size=64)
    assert model(torch.zeros(2, 1, 64, 64)).shape == (2, 4)


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


def test_export_params_gives_float64_copies_without_the_batch_counter():
    model = build_small_cnn()
    params = export_params(model)
    assert set(params) == {
        key for key in model.state_dict() if not key.endswith("num_batches_tracked")
    }
    assert all(value.dtype == np.float64 for value in params.values())
    assert params["fc1.weight"].shape == (128, 256) and params["conv1.weight"].shape == (
        32,
        3,
        5,
        5,
    )
    params["conv1.weight"][:] = 0
    assert model.conv1.weight.abs().sum() > 0


def test_init_weights_draws_the_documented_spreads():
    model = build_small_cnn()
    init_weights(model, "unscaled", seed=0)
    assert model.conv2.weight.std().item() == pytest.approx(
        1.0, abs=0.03
    )  # 18432 samples of N(0, 1)
    init_weights(model, "he", seed=0)
    # N(0, 2 / fan_in) for conv2 (fan_in 32*3*3 = 288) and fc1 (256); N(0, 1 / 128) for the last layer
    assert model.conv2.weight.std().item() == pytest.approx(math.sqrt(2 / 288), rel=0.03)
    assert model.fc1.weight.std().item() == pytest.approx(math.sqrt(2 / 256), rel=0.03)
    assert model.fc2.weight.std().item() == pytest.approx(math.sqrt(1 / 128), rel=0.1)
    assert all(
        m.bias.abs().max().item() == 0 for m in (model.conv1, model.conv2, model.fc1, model.fc2)
    )
    init_weights(model, "torch", seed=0)
    bound = 1 / math.sqrt(256)
    assert (
        model.fc1.weight.abs().max().item() <= bound and model.fc1.bias.abs().max().item() <= bound
    )
    assert model.fc1.weight.std().item() == pytest.approx(
        bound / math.sqrt(3), rel=0.03
    )  # std of U(-a, a)


def test_init_weights_is_seeded_and_leaves_the_global_generator_alone():
    state = torch.random.get_rng_state()
    a = init_weights(build_small_cnn(), "he", seed=4).conv1.weight.detach().clone()
    b = init_weights(build_small_cnn(), "he", seed=4).conv1.weight.detach().clone()
    torch.manual_seed(0)  # build_small_cnn itself draws from the global generator
    assert torch.equal(a, b)
    torch.random.set_rng_state(state)
    init_weights(build_small_cnn(), "he", seed=4)
    state_after_init = torch.random.get_rng_state()
    torch.random.set_rng_state(state)
    build_small_cnn()
    assert torch.equal(state_after_init, torch.random.get_rng_state())


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"order": "bn-dropout"},
            ValueError,
            r"order must be one of \('relu-dropout-bn', 'bn-relu-dropout'\), got 'bn-dropout'",
        ),
        (
            {"image_size": 10},
            ValueError,
            r"image_size must be at least 11 so that a 1×1 map reaches fc1, got 10",
        ),
        ({"num_classes": 0}, ValueError, r"num_classes must be >= 1, got 0"),
        ({"in_channels": 3.0}, TypeError, r"in_channels must be an integer, got 3\.0"),
        ({"dropout": 1.0}, ValueError, r"p must lie in \[0, 1\), got 1\.0"),
    ],
)
def test_spec_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        small_cnn_spec(**kwargs)


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


def test_export_and_init_reject_bad_arguments():
    with pytest.raises(TypeError, match=r"model must be a torch.nn.Module, got dict"):
        export_params({})
    with pytest.raises(
        ValueError, match=r"scheme must be one of \('unscaled', 'he', 'torch'\), got 'xavier'"
    ):
        init_weights(build_small_cnn(), "xavier")
    with pytest.raises(ValueError, match=r"seed must be >= 0, got -1"):
        init_weights(build_small_cnn(), "he", seed=-1)
    with pytest.raises(
        ValueError, match=r"model has no Conv2d or Linear layer to initialise, got ReLU"
    ):
        init_weights(torch.nn.ReLU(), "he")
