"""check.cross_correlate: correct 'valid' cross-correlations pass, each typical mistake of the
exercise gets its own diagnosis, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check.convolution import _CORRELATE

# ---- independent correct implementations, written here and not taken from dlnotes ----


def corr_loops(x, k):
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            total = 0.0
            for u in range(kh):
                for v in range(kw):
                    total += x[i + u, j + v] * k[u, v]
            out[i, j] = total
    return out


def corr_shifts(x, k):
    """One kernel entry at a time, added over every output position at once."""
    kh, kw = k.shape
    h, w = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((h, w))
    for u in range(kh):
        for v in range(kw):
            out = out + k[u, v] * x[u : u + h, v : v + w]
    return out


def corr_windows(x, k):
    windows = np.lib.stride_tricks.sliding_window_view(x, k.shape)
    return np.tensordot(windows, k, axes=([2, 3], [0, 1]))


@pytest.mark.parametrize("func", [corr_loops, corr_shifts, corr_windows], ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.cross_correlate(func), func)


def test_the_reference_itself_passes():
    assert check.cross_correlate(_CORRELATE.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # the chapter's first example: every output is a window times the kernel, summed
    x = np.array([[1.0, 1, 1], [0, 0, 1], [1, 1, 0]])
    k = np.array([[1.0, 1], [0, 0]])
    np.testing.assert_array_equal(_CORRELATE.reference(x=x, k=k), [[2.0, 2], [0, 1]])
    # a non-square kernel: (2, 3) on a (2, 4) image gives (1, 2)
    x = np.arange(8.0).reshape(2, 4)
    k = np.array([[1.0, 0, -1], [2, 0, 0]])
    # out[0, 0] = 0 - 2 + 2 * 4 = 6, out[0, 1] = 1 - 3 + 2 * 5 = 8
    np.testing.assert_array_equal(_CORRELATE.reference(x=x, k=k), [[6.0, 8]])


def test_the_hidden_cases_use_non_square_images_and_kernels_and_an_extreme_case():
    cases = _CORRELATE.cases()
    assert any(c.args["x"].shape[0] != c.args["x"].shape[1] for c in cases)
    assert any(c.args["k"].shape[0] != c.args["k"].shape[1] for c in cases)
    assert any(c.extreme for c in cases)
    first = cases[0].args
    assert first["x"].shape[0] != first["x"].shape[1] and first["k"].shape == (2, 3)


# ---- the typical mistakes of this exercise and the words their diagnosis must contain ----


def zero_pad(x, top, bottom, left, right):
    return np.pad(x, ((top, bottom), (left, right)))


WRONG = [
    # the true convolution: the kernel turned by 180 degrees
    (lambda x, k: corr_loops(x, k[::-1, ::-1]), "真正的卷积"),
    (lambda x, k: corr_loops(x, np.rot90(k, 2)), "翻转了 180°"),
    (lambda x, k: corr_loops(x, k[::-1]), "上下翻转"),
    (lambda x, k: corr_loops(x, np.fliplr(k)), "左右翻转"),
    # 'same' output, the extra zero after (PyTorch, SciPy) or before (OpenCV's centred anchor)
    (
        lambda x, k: corr_loops(
            zero_pad(
                x, (k.shape[0] - 1) // 2, k.shape[0] // 2, (k.shape[1] - 1) // 2, k.shape[1] // 2
            ),
            k,
        ),
        "“same”填充",
    ),
    (
        lambda x, k: corr_loops(
            zero_pad(
                x, k.shape[0] // 2, (k.shape[0] - 1) // 2, k.shape[1] // 2, (k.shape[1] - 1) // 2
            ),
            k,
        ),
        "“same”填充",
    ),
    (
        lambda x, k: corr_loops(
            zero_pad(x, k.shape[0] - 1, k.shape[0] - 1, k.shape[1] - 1, k.shape[1] - 1), k
        ),
        "“full”模式",
    ),
    (lambda x, k: corr_loops(x, k.T), "高和宽用反了"),
    (lambda x, k: corr_loops(x, k)[:-1, :-1], "少算了最后一行和最后一列"),
    # generic diagnoses
    (lambda x, k: corr_loops(x, k).T, "转置"),
    (lambda x, k: corr_loops(x.T, k.T), "转置"),
    (lambda x, k: corr_loops(x, k)[:, :-1], "形状不对"),
    (lambda x, k: 2 * corr_loops(x, k), "约为正确答案的 2.00 倍"),
    (lambda x, k: -corr_loops(x, k), "符号反了"),
    (lambda x, k: corr_loops(x, np.ones_like(k)), "不随 k 变化"),
    (lambda x, k: corr_loops(x, k).astype(np.float32), "float32"),
    (lambda x, k: corr_loops(x, k).astype(int), "int64"),
    (lambda x, k: corr_loops(x, k).tolist(), "list"),
    (lambda x, k: None, "忘了写 return"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.cross_correlate(func), words)


def test_each_mistake_of_the_exercise_is_named_by_its_own_diagnosis():
    # the two 'same' paddings (the extra zero after or before) share one message
    contract.assert_each_mistake_has_its_own_message(
        check.cross_correlate, _CORRELATE, distinct=False
    )


def test_swapping_kh_and_kw_in_the_loops_is_reported_as_an_error():
    def swapped(x, k):
        kw, kh = k.shape  # the height and the width swapped
        out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
        return out

    message = repr(check.cross_correlate(swapped))
    assert "出错了" in message and "ValueError" in message


def test_an_in_place_change_of_the_kernel_is_reported():
    def flips_in_place(x, k):
        k[:] = k[::-1, ::-1].copy()
        return corr_loops(x, k[::-1, ::-1])

    assert "改动了传入的数组 k" in repr(check.cross_correlate(flips_in_place))


def test_a_stub_says_it_is_not_implemented():
    def my_corr(x, k):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.cross_correlate(my_corr))


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(
        repr(check.cross_correlate(func)),
        _CORRELATE,
        contract.FROM_THREE_DECIMALS,
        # 2.003 is "2" to 3 significant digits: a bare integer ("2.00 倍") reveals nothing
        keep=contract.not_a_bare_integer,
    )


def test_the_hidden_inputs_are_the_same_every_time():
    contract.assert_cases_are_fixed(_CORRELATE)


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_corr"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.cross_correlate, not_a_function, "check.cross_correlate(my_corr)"
    )
