"""dlnotes.device: TF32 is decided explicitly, and round_to_tf32 rounds like the tensor cores."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import types

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.device import pick_device, round_to_tf32, set_tf32, tf32_enabled


@pytest.fixture
def torch():
    """torch, with its TF32 switches restored after the test."""
    torch = pytest.importorskip("torch")
    if not hasattr(torch.backends.cudnn, "conv"):
        pytest.skip("torch before 2.9 has only the allow_tf32 flags (tested with a stand-in below)")
    switches = [torch.backends.cuda.matmul, torch.backends.cudnn.conv, torch.backends.cudnn.rnn]
    saved = [s.fp32_precision for s in switches]
    yield torch
    for switch, value in zip(switches, saved):
        switch.fp32_precision = value


@pytest.mark.parametrize("enabled, precision", [(False, "ieee"), (True, "tf32")])
def test_set_tf32_sets_every_torch_switch(torch, enabled, precision):
    set_tf32(not enabled)
    set_tf32(enabled)
    assert torch.backends.cuda.matmul.fp32_precision == precision
    assert torch.backends.cudnn.conv.fp32_precision == precision
    assert torch.backends.cudnn.rnn.fp32_precision == precision
    assert tf32_enabled() == {"matmul": enabled, "conv": enabled}


def test_torch_allows_tf32_in_convolutions_by_default(torch):
    # Why the chapters must decide: a fresh torch lets cuDNN use TF32 for float32 convolutions.
    code = "import torch; print(torch.backends.cudnn.conv.fp32_precision)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "tf32"


def test_pick_device_switches_tf32_off_by_default(torch, monkeypatch):
    set_tf32(True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device() == torch.device("cpu")
    assert tf32_enabled() == {"matmul": False, "conv": False}
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device(tf32=True) == torch.device("cuda")
    assert tf32_enabled() == {"matmul": True, "conv": True}
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"  # deterministic cuBLAS products


def test_pick_device_keeps_a_chosen_cublas_workspace(torch, monkeypatch):
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    pick_device()
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":16:8"


def test_older_torch_gets_the_allow_tf32_flags(monkeypatch):
    # torch before 2.9 has only the legacy flags; a stand-in module records what is set.
    fake = types.SimpleNamespace(
        backends=types.SimpleNamespace(
            cuda=types.SimpleNamespace(matmul=types.SimpleNamespace(allow_tf32=True)),
            cudnn=types.SimpleNamespace(allow_tf32=True),
        )
    )
    monkeypatch.setitem(sys.modules, "torch", fake)
    set_tf32(False)
    assert fake.backends.cuda.matmul.allow_tf32 is False and fake.backends.cudnn.allow_tf32 is False
    assert tf32_enabled() == {"matmul": False, "conv": False}


@pytest.mark.parametrize("bad", ["False", 0, None, 1.0])
def test_the_flag_must_be_a_bool(bad):
    with pytest.raises(TypeError, match=f"enabled must be True or False, got {bad!r}"):
        set_tf32(bad)


def tf32_by_hand(value: float) -> float:
    """Keep 11 significant bits (1 implicit + 10 stored), rounding half to even (Python's round)."""
    if value == 0 or not math.isfinite(value):
        return value
    mantissa, exponent = math.frexp(value)  # value = mantissa * 2**exponent, 0.5 <= |mantissa| < 1
    return math.ldexp(round(mantissa * 2**11), exponent - 11)


normal_float32 = st.floats(min_value=2.0**-120, max_value=2.0**120, width=32)


@given(
    x=st.lists(st.one_of(normal_float32, normal_float32.map(lambda v: -v)), min_size=1, max_size=50)
)
def test_round_to_tf32_matches_rounding_by_hand(x):
    expected = [tf32_by_hand(float(np.float32(v))) for v in x]
    assert round_to_tf32(x).tolist() == expected


def test_round_to_tf32_keeps_specials_shape_and_dtype():
    x = np.array([[0.0, -0.0, np.inf], [-np.inf, np.nan, 1.5]])
    out = round_to_tf32(x)
    assert out.shape == (2, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out, x.astype(np.float32))
    assert np.signbit(out[0, 1])


def test_tf32_keeps_about_three_decimal_digits():
    x = np.random.default_rng(0).uniform(1, 2, size=10_000).astype(np.float32)
    error = np.abs(round_to_tf32(x).astype(np.float64) - x) / x
    assert 2.0**-12 < error.max() <= 2.0**-11  # half a unit in the 10th mantissa bit


@pytest.mark.parametrize("bad", ["0.5", [1 + 2j], None])
def test_round_to_tf32_refuses_what_is_not_real_numbers(bad):
    with pytest.raises(
        TypeError, match=r"x must hold real numbers \(a float or int dtype\), got dtype"
    ):
        round_to_tf32(bad)
