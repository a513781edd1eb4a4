"""check.max_pool: correct 2×2 max poolings pass, each typical mistake of the exercise gets its
own diagnosis, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check.cnn_layers import _MAX_POOL

# ---- independent correct implementations, written here and not taken from dlnotes ----


def pool_loops(x, start=None):
    """Loops over every window; the maximum starts at the window's first entry (or `start`)."""
    n, c, h, w = x.shape
    out = np.zeros((n, c, h // 2, w // 2))
    for a in range(n):
        for b in range(c):
            for i in range(h // 2):
                for j in range(w // 2):
                    best = x[a, b, 2 * i, 2 * j] if start is None else start
                    for u in range(2):
                        for v in range(2):
                            best = max(best, x[a, b, 2 * i + u, 2 * j + v])
                    out[a, b, i, j] = best
    return out


def pool_reshape(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def pool_slices(x):
    top = np.maximum(x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2])
    bottom = np.maximum(x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2])
    return np.maximum(top, bottom)


def pool_from_minus_infinity(x):
    return pool_loops(x, start=-np.inf)


CORRECT = [pool_loops, pool_reshape, pool_slices, pool_from_minus_infinity]


@pytest.mark.parametrize("func", CORRECT, ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.max_pool(func), func)


def test_the_reference_itself_passes():
    assert check.max_pool(_MAX_POOL.reference)


def test_the_reference_agrees_with_a_hand_computation():
    x = np.array([[1.0, -2, 0, 5], [3, 4, -1, 2]]).reshape(1, 1, 2, 4)
    np.testing.assert_array_equal(_MAX_POOL.reference(x=x), [[[[4.0, 5]]]])
    negative = -np.arange(1.0, 17).reshape(1, 1, 4, 4)  # -1 … -16
    np.testing.assert_array_equal(_MAX_POOL.reference(x=negative), [[[[-1.0, -3], [-9, -11]]]])


def test_the_hidden_cases_include_an_all_negative_extreme_case():
    cases = _MAX_POOL.cases()
    extreme = [c for c in cases if c.extreme]
    assert extreme and all((c.args["x"] < 0).all() for c in extreme)
    assert min(float(c.args["x"].min()) for c in extreme) < -1e100
    first = cases[0].args["x"].shape
    assert first[0] % 2 == first[1] % 2 == 0 and first[2] != first[3]  # axis mix-ups show


# ---- the typical mistakes of this exercise and the words their diagnosis must contain ----


def windows(x):
    """(N, C, H/2, W/2, 4): the entries of each window, row by row."""
    return np.stack(
        [x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2], x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2]],
        axis=-1,
    )


def argmax_into_floats(x):
    out = np.zeros(x[:, :, ::2, ::2].shape)
    out[...] = windows(x).argmax(axis=-1)  # the position instead of the value
    return out


def pool_as_if_nhwc(x):
    n, h, w, c = x.shape  # but x is (N, C, H, W)
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def pool_stride_one(x):
    h, w = x.shape[2] - 1, x.shape[3] - 1
    return np.max([x[:, :, u : u + h, v : v + w] for u in (0, 1) for v in (0, 1)], axis=0)


WRONG = [
    (lambda x: pool_loops(x, start=0.0), "初值设成了 0"),
    (lambda x: np.maximum(pool_reshape(x), 0), "像 ReLU 那样"),
    (lambda x: pool_loops(x, start=-1e9), "初值不够小"),
    (lambda x: pool_loops(x, start=-1e100), "初值不够小"),
    (lambda x: windows(x).mean(axis=-1), "平均池化"),
    (lambda x: windows(x).sum(axis=-1), "加了起来"),
    (lambda x: windows(x).min(axis=-1), "最小值"),
    (argmax_into_floats, "argmax"),
    (pool_stride_one, "只移动了 1 格"),
    (pool_as_if_nhwc, "(N, H, W, C)"),
    (lambda x: pool_reshape(x.transpose(2, 3, 0, 1)).transpose(2, 3, 0, 1), "N 和 C"),
    (lambda x: pool_reshape(x).max(axis=1), "每个通道单独进行"),
    (lambda x: pool_reshape(x).max(axis=1, keepdims=True), "每个通道单独进行"),
    (lambda x: x.max(axis=(2, 3)), "全局最大池化"),
    (lambda x: x.max(axis=(2, 3), keepdims=True), "全局最大池化"),
    (lambda x: pool_reshape(x).transpose(0, 1, 3, 2), "高和宽对调了"),
    # generic diagnoses
    (lambda x: pool_reshape(x)[:, :, :-1], "形状不对"),
    (lambda x: 2 * pool_reshape(x), "约为正确答案的 2.00 倍"),
    (lambda x: -pool_reshape(x), "符号反了"),
    (lambda x: pool_reshape(x) + 1, "差一个常数"),
    (lambda x: np.zeros(pool_reshape(x).shape), "不随 x 变化"),
    (lambda x: windows(x).argmax(axis=-1), "int64"),
    (lambda x: pool_reshape(x).astype(np.float32), "float32"),
    (lambda x: (pool_reshape(x), x), "tuple"),
    (lambda x: None, "忘了写 return"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.max_pool(func), words)


def test_each_mistake_of_the_exercise_is_named_by_its_own_diagnosis():
    # pooling across channels and global pooling are each listed in two forms, with one message
    contract.assert_each_mistake_has_its_own_message(check.max_pool, _MAX_POOL, distinct=False)


def test_a_maximum_started_from_zero_fails_only_where_a_window_is_all_negative():
    x = np.array([[1.0, -2, -3, -5], [3, 4, -1, -2]]).reshape(1, 1, 2, 4)
    assert np.array_equal(pool_loops(x, start=0.0), [[[[4.0, 0]]]])
    assert not check.max_pool(lambda x: pool_loops(x, start=0.0))


def test_a_pooling_that_changes_its_input_is_reported():
    def clips_in_place(x):
        np.maximum(x, -1e300, out=x)
        x[:, :, 0, 0] += 1.0
        return pool_reshape(x)

    assert "改动了传入的数组 x" in repr(check.max_pool(clips_in_place))


def test_a_stub_says_it_is_not_implemented():
    def my_pool(x):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.max_pool(my_pool))


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(
        repr(check.max_pool(func)),
        _MAX_POOL,
        contract.FROM_THREE_DECIMALS,
        # 2.003 is "2" to 3 significant digits: a bare integer ("2.00 倍") reveals nothing
        keep=contract.not_a_bare_integer,
    )


def test_the_hidden_inputs_are_the_same_every_time():
    contract.assert_cases_are_fixed(_MAX_POOL)


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_pool"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.max_pool, not_a_function, "check.max_pool(my_pool)"
    )
