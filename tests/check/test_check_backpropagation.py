"""check.dense_backward: correct backward passes pass, each typical mistake gets its own
diagnosis, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.backpropagation import _DENSE

# ---- independent correct implementations, written here and not taken from dlnotes ----


def backward_loops(dout, x, w):
    # element-wise, as in the chapter: sum over the paths through which each number acts
    n, d = x.shape
    m = w.shape[1]
    dx, dw, db = np.zeros((n, d)), np.zeros((d, m)), np.zeros(m)
    for s in range(n):
        for k in range(m):
            db[k] += dout[s, k]
            for i in range(d):
                dx[s, i] += dout[s, k] * w[i, k]
                dw[i, k] += dout[s, k] * x[s, i]
    return dx, dw, db


def backward_einsum(dout, x, w):
    return (
        np.einsum("nk,ik->ni", dout, w),
        np.einsum("ni,nk->ik", x, dout),
        np.einsum("nk->k", dout),
    )


def backward_broadcast(dout, x, w):
    dx = (dout[:, None, :] * w[None, :, :]).sum(axis=2)
    dw = (x[:, :, None] * dout[:, None, :]).sum(axis=0)
    return [dx, dw, np.ones(len(x)) @ dout]  # a list is fine too


@pytest.mark.parametrize("func", [backward_loops, backward_einsum, backward_broadcast])
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.dense_backward(func), func)


def test_the_reference_agrees_with_a_hand_computation():
    # two samples (1, 0) and (0, 1), one output, w = (1, 1)ᵀ, dout = (1, 2)ᵀ:
    # dx = dout wᵀ = ((1, 1), (2, 2)); dw = xᵀ dout = (1, 2)ᵀ; db = 1 + 2 = 3
    got = _DENSE.reference(dout=np.array([[1.0], [2.0]]), x=np.eye(2), w=np.ones((2, 1)))
    np.testing.assert_allclose(got, [1, 1, 2, 2, 1, 2, 3], rtol=0, atol=1e-15)


def test_the_reference_is_the_gradient_of_the_layer():
    # with L = Σ dout ⊙ (x w + b), the gradient of L with respect to out is exactly dout
    case = _DENSE.cases()[1]
    dout, x, w = (case.args[k] for k in ("dout", "x", "w"))
    b = np.zeros(w.shape[1])

    def loss(x_, w_, b_):
        return np.sum(dout * (x_ @ w_ + b_))

    numeric = []
    for name, value in (("x", x), ("w", w), ("b", b)):
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            step = np.zeros_like(value)
            step[index] = 1e-6
            args = {"x_": x, "w_": w, "b_": b}
            plus, minus = dict(args), dict(args)
            plus[f"{name}_"], minus[f"{name}_"] = value + step, value - step
            grad[index] = (loss(**plus) - loss(**minus)) / 2e-6
        numeric.append(grad.ravel())
    np.testing.assert_allclose(_reference(_DENSE, case), np.concatenate(numeric), atol=1e-8)


# ---- typical wrong answers and the words their diagnosis must contain ----


def db_mean(dout, x, w):
    return dout @ w.T, x.T @ dout, dout.mean(axis=0)


def dw_mean(dout, x, w):
    return dout @ w.T, x.T @ dout / len(x), dout.sum(axis=0)


def dw_and_db_mean(dout, x, w):
    return dout @ w.T, x.T @ dout / len(x), np.mean(dout, axis=0)


def dx_without_transpose(dout, x, w):
    return dout @ w, x.T @ dout, dout.sum(axis=0)


# in the order of _DENSE.mistakes
MISTAKES = [db_mean, dw_mean, dw_and_db_mean, dx_without_transpose]


def dw_transposed(dout, x, w):
    return dout @ w.T, dout.T @ x, dout.sum(axis=0)


def dx_transposed(dout, x, w):
    return w @ dout.T, x.T @ dout, dout.sum(axis=0)


def swapped(dout, x, w):
    return x.T @ dout, dout @ w.T, dout.sum(axis=0)


def db_wrong_axis(dout, x, w):
    return dout @ w.T, x.T @ dout, dout.sum(axis=1)


def db_keepdims(dout, x, w):
    return dout @ w.T, x.T @ dout, dout.sum(axis=0, keepdims=True)


def db_one_number(dout, x, w):
    return dout @ w.T, x.T @ dout, np.sum(dout)


def in_place(dout, x, w):
    dout *= 2.0
    return dout @ w.T / 2, x.T @ dout / 2, dout.sum(axis=0) / 2


def updates_w_in_place(dout, x, w):
    w -= 0.1 * (x.T @ dout)


def _good(dout, x, w):
    return backward_einsum(dout, x, w)


WRONG = [
    *zip(
        MISTAKES,
        ["db 差一个与批量大小 N", "但 dw 多除了批量大小 N", "dw 和 db 都多除了", "dx 乘的是 w"],
    ),
    (dw_transposed, "dw 是转置的"),
    (dx_transposed, "dx 是转置的"),
    (swapped, "dx 与 dw 对调了"),
    (db_wrong_axis, "db 的求和方向不对"),
    (db_keepdims, "db 的数值对了，形状却不对"),
    (db_one_number, "db 是一个数"),
    (lambda dout, x, w: (dout @ w.T, x.T @ dout, dout.sum(axis=0)[:-1]), "db 的形状不对"),
    (lambda dout, x, w: (dout @ w.T, (x.T @ dout)[:, :-1], dout.sum(axis=0)), "dw 的形状不对"),
    (in_place, "改动了传入的数组 dout"),
    (updates_w_in_place, "原地改动了传入的数组 w"),
    (lambda dout, x, w: None, "忘了写 return"),
    (lambda dout, x, w: dout @ w.T, "只返回了一个数组"),
    (lambda dout, x, w: _good(dout, x, w)[:2], "返回了 2 个值"),
    (lambda dout, x, w: dict(zip("abc", _good(dout, x, w))), "dict"),
    (
        lambda dout, x, w: (dout @ w.T, x.T @ dout, dout.sum(axis=0).astype(np.float32)),
        "db 是 float32",
    ),
    (lambda dout, x, w: (dout @ w.T, (x.T @ dout).tolist(), dout.sum(axis=0)), "dw 是 list"),
    (lambda dout, x, w: ((dout @ w.T > 0).astype(int), x.T @ dout, dout.sum(axis=0)), "int64"),
    (lambda dout, x, w: tuple(2 * g for g in _good(dout, x, w)), "约为正确答案的 2.00 倍"),
    (lambda dout, x, w: tuple(-g for g in _good(dout, x, w)), "符号反了：结果正好"),
    (lambda dout, x, w: (dout @ w.T, x.T @ dout, 0 * dout.sum(axis=0)), "但 db 全是 0"),
    (lambda dout, x, w: (dout @ w.T, -(x.T @ dout), dout.sum(axis=0)), "但 dw 的符号反了"),
    (
        lambda dout, x, w: (dout @ w.T, 3 * x.T @ dout, dout.sum(axis=0)),
        "dw 差一个常数倍，约为正确答案的 3.00 倍",
    ),
    (
        lambda dout, x, w: (dout @ np.ones_like(w).T, x.T @ dout, dout.sum(axis=0)),
        "dw 和 db 对了，但 dx 不对",
    ),
    (lambda dout, x, w: (0 * x, 0 * w, np.zeros(w.shape[1])), "不随 dout 变化"),
    (lambda dout, x, w: tuple(g + 1 for g in _good(dout, x, w)), "差一个常数"),
    (lambda dout, x, w: tuple(g + i for i, g in enumerate(_good(dout, x, w), 1)), "结果不对"),
    (lambda dout, x, w: (dout @ x, x.T @ dout, dout.sum(axis=0)), "ValueError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.dense_backward(func), words)


def test_each_mistake_has_its_own_message():
    assert len(MISTAKES) == len(_DENSE.mistakes)
    messages = [repr(check.dense_backward(func)) for func in MISTAKES]
    assert messages == [m.message for m in _DENSE.mistakes]
    # and the triples above are the engine's mistakes, joined
    case = _DENSE.cases()[0]
    for func, mistake in zip(MISTAKES, _DENSE.mistakes):
        joined = np.concatenate([np.ravel(g) for g in func(**case.args)])
        np.testing.assert_array_equal(mistake.func(**case.args), joined)


def test_a_stub_says_it_is_not_implemented():
    def stub(dout, x, w):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.dense_backward(stub))


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_backward"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.dense_backward, not_a_function, "check.dense_backward(my_backward)"
    )


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.dense_backward(func)), _DENSE)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    first = contract.assert_cases_are_fixed_and_tell_mistakes_apart(_DENSE)
    # the first w is square (dout @ w runs there), no x has the shape of its w (so a swap of
    # dx and dw shows in the shapes), and no batch has as many samples as outputs (so a db
    # summed over the wrong axis does too)
    shapes = [(c.args["x"].shape, c.args["w"].shape) for c in first]
    assert shapes[0][1][0] == shapes[0][1][1]
    assert all(xs != ws and xs[0] != ws[1] for xs, ws in shapes)
