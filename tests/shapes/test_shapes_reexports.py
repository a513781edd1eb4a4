"""dlnotes.shapes: the re-exports (conv_output_size, the lazy table helpers) and the old names."""

import pytest

import dlnotes.layers.sizes
import dlnotes.shapes
from dlnotes.shapes import (
    conv_output_size,
)


def test_conv_output_size_is_reexported_from_its_home():
    assert conv_output_size is dlnotes.layers.sizes.conv_output_size


OLD_NAMES = [
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "ReLU",
    "Softmax",
    "Dropout",
    "Flatten",
    "Linear",
    "BatchNorm1d",
    "BatchNorm2d",
]


@pytest.mark.parametrize("old", OLD_NAMES)
def test_old_names_are_aliases_outside_all(old):
    new = getattr(dlnotes.shapes, f"{old}Spec")
    assert getattr(dlnotes.shapes, old) is new
    assert old not in dlnotes.shapes.__all__ and f"{old}Spec" in dlnotes.shapes.__all__
    # the layer names in tables stay those of torch.nn
    torch = pytest.importorskip("torch")
    assert hasattr(torch.nn, old)


def test_presentation_moved_out_and_is_loaded_only_when_asked():
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, dlnotes.shapes; before = 'matplotlib' in sys.modules; "
        "from dlnotes.shapes import format_table; "
        "print(json.dumps([before, format_table.__module__]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(result.stdout) == [False, "dlnotes.plotting.tables"], result.stderr
    with pytest.raises(AttributeError, match="has no attribute 'show_tables'"):
        dlnotes.shapes.show_tables
