"""dlnotes.edges re-exports every name of its submodules, as the single module did."""

import dlnotes.edges
from dlnotes.edges import filtering, gradients, grayscale, kernels


def test_package_re_exports_the_same_objects():
    homes = {
        "KERNELS": kernels,
        "gaussian_kernel": kernels,
        "PADDINGS": filtering,
        "filter2d": filtering,
        "gradient_magnitude_direction": gradients,
        "to_grayscale": grayscale,
    }
    assert sorted(dlnotes.edges.__all__) == sorted(homes)
    for name, module in homes.items():
        assert getattr(dlnotes.edges, name) is getattr(module, name), name
        assert name in module.__all__, name


def test_the_old_module_attributes_outside_all_still_resolve():
    assert dlnotes.edges.BT601 == (0.299, 0.587, 0.114)
    assert dlnotes.edges.Padding is filtering.Padding
