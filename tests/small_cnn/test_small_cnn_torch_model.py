"""dlnotes.small_cnn.torch_model: building, exporting and re-initialising the torch model."""

import math

import numpy as np
import pytest
from small_cnn_nets import small_net_without_bias

from dlnotes.small_cnn import (
    build_small_cnn,
    export_params,
    init_weights,
)

torch = pytest.importorskip("torch")


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
    # N(0, 2 / fan_in) for conv2 (fan_in 32*3*3 = 288) and fc1 (256);
    # N(0, 1 / 128) for the last layer
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


def test_export_and_init_reject_bad_arguments():
    with pytest.raises(TypeError, match=r"model must be a torch.nn.Module, got dict"):
        export_params({})
    with pytest.raises(
        ValueError, match=r"scheme must be one of 'unscaled', 'he', 'torch'; got 'xavier'"
    ):
        init_weights(build_small_cnn(), "xavier")
    with pytest.raises(ValueError, match=r"seed must be >= 0, got -1"):
        init_weights(build_small_cnn(), "he", seed=-1)
    with pytest.raises(
        ValueError, match=r"model has no Conv2d or Linear layer to initialise, got ReLU"
    ):
        init_weights(torch.nn.ReLU(), "he")


def test_export_refuses_models_numpy_forward_cannot_run():
    nn = torch.nn
    with pytest.raises(TypeError, match=r"model must be a torch.nn.Sequential .*got ReLU"):
        export_params(nn.ReLU())
    for layer, shown in [
        (nn.Tanh(), r"'1' = Tanh\(\)"),
        (nn.MaxPool2d(2, ceil_mode=True), r"'1' = MaxPool2d\(.*ceil_mode=True\)"),
        (nn.Conv2d(3, 3, 3, dilation=2), r"'1' = Conv2d\(.*dilation=\(2, 2\)"),
    ]:
        with pytest.raises(ValueError, match=rf"numpy_forward cannot run layer {shown}"):
            export_params(nn.Sequential(nn.Conv2d(3, 3, 1), layer))


@pytest.mark.parametrize("scheme", ["unscaled", "he", "torch"])
def test_init_weights_skips_the_missing_bias(scheme):
    # The old code called nn.init.zeros_(None) and failed inside torch.
    model = init_weights(small_net_without_bias(), scheme, seed=0)
    assert model[0].bias is None and model[3].bias is None
    assert model[3].weight.abs().max().item() > 0
