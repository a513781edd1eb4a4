"""check.neuron_gradients: correct gradients pass, each typical mistake gets its own diagnosis,
and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.neural_net import _NEURON

# ---- independent correct implementations, written here and not taken from dlnotes ----


def grads_loop(x, y, W, b):
    batch, d = x.shape
    dW = np.zeros((d, 1))
    for i in range(batch):
        error = sum(x[i, k] * W[k, 0] for k in range(d)) + b - y[i, 0]
        for k in range(d):
            dW[k, 0] += error * x[i, k] / batch
    return dW


def grads_einsum(x, y, W, b):
    dz = np.einsum("ik,kj->ij", x, W) + b - y
    return np.einsum("ik,ij->kj", x, dz) / y.shape[0]


def grads_broadcast(x, y, W, b):
    dz = x @ W + b - y  # (B, 1)
    return np.mean(x * dz, axis=0).reshape(-1, 1)


@pytest.mark.parametrize("func", [grads_loop, grads_einsum, grads_broadcast])
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.neuron_gradients(func), func)


def test_the_reference_itself_passes():
    assert check.neuron_gradients(_NEURON.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # two samples (1, 0) and (0, 2), labels 1 and 0, W = (1, 1), b = 0.5:
    # z = (1.5, 2.5), errors (0.5, 2.5); dW = ((0.5·1 + 2.5·0) / 2, (0.5·0 + 2.5·2) / 2)
    x = np.array([[1.0, 0.0], [0.0, 2.0]])
    got = _NEURON.reference(x=x, y=np.array([[1.0], [0.0]]), W=np.ones((2, 1)), b=0.5)
    np.testing.assert_allclose(got, [[0.25], [2.5]], rtol=0, atol=1e-15)


def test_the_reference_is_the_gradient_of_the_chapter_loss():
    case = _NEURON.cases()[1]
    x, y, W, b = (case.args[k] for k in ("x", "y", "W", "b"))

    def loss(weights):
        return 0.5 * np.mean((x @ weights + b - y) ** 2)

    h, numeric = 1e-6, np.zeros_like(W)
    for k in range(W.shape[0]):
        step = np.zeros_like(W)
        step[k, 0] = h
        numeric[k, 0] = (loss(W + step) - loss(W - step)) / (2 * h)
    np.testing.assert_allclose(_reference(_NEURON, case), numeric, rtol=1e-7, atol=1e-9)


# ---- typical wrong answers and the words their diagnosis must contain ----


def _dz(x, y, W, b):
    return x @ W + b - y


WRONG = [
    (lambda x, y, W, b: x @ _dz(x, y, W, b) / len(x), "而不是 x 的转置"),
    (lambda x, y, W, b: _dz(x, y, W, b).T @ x / len(x), "是 dW 的转置"),
    (lambda x, y, W, b: (x * _dz(x, y, W, b)).mean(axis=0), "形状却是 (d,)"),
    (lambda x, y, W, b: x.T @ _dz(x, y, W, b), "与批量大小 B 有关的倍数"),
    (lambda x, y, W, b: x.T @ _dz(x, y, W, b) / len(x) / len(x), "只出现一次"),
    (lambda x, y, W, b: x.T @ (y - x @ W - b) / len(x), "标签减预测"),
    (lambda x, y, W, b: _dz(x, y, W, b).mean(axis=0, keepdims=True), "对偏置 b 的梯度"),
    (lambda x, y, W, b: np.sum(_dz(x, y, W, b), axis=0) / len(x), "对偏置 b 的梯度"),
    (lambda x, y, W, b: _dz(x, y, W, b) @ W.T / len(x), "对输入 x 的梯度"),
    (lambda x, y, W, b: _dz(x, y, W, b) @ W.T, "对输入 x 的梯度"),
    (lambda x, y, W, b: x.T @ (x @ W - y) / len(x), "漏掉了偏置 b"),
    (lambda x, y, W, b: (x.T @ x @ W + x.T * b @ np.ones_like(y) - x.T @ y) / len(x), "数值不稳定"),
    (lambda x, y, W, b: 2 * grads_einsum(x, y, W, b), "约为正确答案的 2.00 倍"),
    (lambda x, y, W, b: grads_einsum(x, y, W, b)[:-1], "形状不对"),
    (lambda x, y, W, b: grads_einsum(x, y, W, b).astype(np.float32), "float32"),
    (lambda x, y, W, b: grads_einsum(x, y, W, b).tolist(), "list"),
    (lambda x, y, W, b: (grads_einsum(x, y, W, b), 0.0), "tuple"),
    (lambda x, y, W, b: None, "忘了写 return"),
    (lambda x, y, W, b: grads_einsum(x, 0 * y, W, b), "不随 y 变化"),
    (lambda x, y, W, b: x.T @ _dz(x, y, W, b).T / len(x), "ValueError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.neuron_gradients(func), words)


def test_each_mistake_has_its_own_message():
    # the bias gradient and the input gradient are each listed in two forms, with one message
    contract.assert_each_mistake_has_its_own_message(
        check.neuron_gradients, _NEURON, distinct=False
    )


def test_an_overflow_gets_a_hint_about_the_product_not_about_exp():
    message = repr(check.neuron_gradients(WRONG[11][0]))
    assert "自身的乘积" in message and "exp" not in message


def test_changing_an_input_in_place_is_reported():
    def in_place(x, y, W, b):
        y -= x @ W + b
        return -x.T @ y / len(x)

    assert "改动了传入的数组 y" in repr(check.neuron_gradients(in_place))


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.neuron_gradients(func)), _NEURON)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    # the first case is square: every mistake runs there, and no two agree
    contract.assert_cases_are_fixed_and_tell_mistakes_apart(_NEURON, shapes_may_differ=True)


def test_the_extreme_case_has_a_finite_answer_that_x_transpose_x_would_overflow():
    extreme = [case for case in _NEURON.cases() if case.extreme]
    assert extreme
    for case in extreme:
        assert np.isfinite(_reference(_NEURON, case)).all()
        with np.errstate(over="ignore"):
            assert not np.isfinite(case.args["x"].T @ case.args["x"]).all()
