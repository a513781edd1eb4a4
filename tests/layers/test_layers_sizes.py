"""dlnotes.layers.sizes.conv_output_size: hand-computed sizes, torch's conv2d, and bad arguments."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.layers.sizes import conv_output_size


@pytest.mark.parametrize(
    "args, expected",
    [
        ((28, 5, 2, 2), 14),
        ((32, 5, 1, 0), 28),
        ((7, 2, 2, 0), 3),
        ((5, 5, 1, 0), 1),
        ((1, 3, 1, 1), 1),
        ((10, 1, 3, 0), 4),
    ],
)
def test_conv_output_size_examples(args, expected):
    assert conv_output_size(*args) == expected


@given(
    n=st.integers(1, 12),
    kernel=st.integers(1, 6),
    stride=st.integers(1, 4),
    padding=st.integers(0, 3),
)
def test_conv_output_size_matches_torch(n, kernel, stride, padding):
    torch = pytest.importorskip("torch")
    x, w = torch.zeros(1, 1, n, 1), torch.zeros(1, 1, kernel, 1)
    if n + 2 * padding < kernel:
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv2d(x, w, stride=(stride, 1), padding=(padding, 0))
        with pytest.raises(ValueError, match=f"kernel={kernel} is larger than the padded input"):
            conv_output_size(n, kernel, stride, padding)
    else:
        out = torch.nn.functional.conv2d(x, w, stride=(stride, 1), padding=(padding, 0))
        assert conv_output_size(n, kernel, stride, padding) == out.shape[2]


def test_conv_output_size_error_names_every_argument():
    with pytest.raises(ValueError) as info:
        conv_output_size(3, 8, stride=2, padding=1)
    message = str(info.value)
    for part in ("kernel=8", "n + 2*padding = 3 + 2*1 = 5", "stride=2", "would be -1 < 1"):
        assert part in message


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(stride=0), ValueError, r"stride must be >= 1, got 0"),
        (dict(padding=-1), ValueError, r"padding must be >= 0, got -1"),
        (dict(kernel=0), ValueError, r"kernel must be >= 1, got 0"),
        (dict(n=0), ValueError, r"n must be >= 1, got 0"),
        (dict(n=28.0), TypeError, r"n must be an integer, got 28.0"),
        (dict(stride=True), TypeError, r"stride must be an integer, got True"),
    ],
)
def test_conv_output_size_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        conv_output_size(**(dict(n=28, kernel=5, stride=1, padding=0) | kwargs))
