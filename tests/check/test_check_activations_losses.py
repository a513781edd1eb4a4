"""check.cross_entropy_grad: correct gradients pass, each typical mistake gets its own diagnosis,
and no message reveals the reference values."""

from __future__ import annotations

import math

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.activations_losses import _CROSS_ENTROPY

# ---- independent correct implementations, written here and not taken from dlnotes ----


def grad_loops(logits, labels):
    n, k = logits.shape
    out = np.zeros((n, k))
    for i in range(n):
        top = max(logits[i])
        total = sum(math.exp(z - top) for z in logits[i])
        for j in range(k):
            out[i, j] = (math.exp(logits[i, j] - top) / total - (j == labels[i])) / n
    return out


def grad_log_sum_exp(logits, labels):
    log_p = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)
    grad = np.exp(log_p)
    grad[np.arange(len(labels)), labels] -= 1
    return grad / len(labels)


def grad_eye(logits, labels):
    shifted = logits - logits.max(axis=1)[:, None]
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1)[:, None]
    return (p - np.eye(logits.shape[1])[labels]) / logits.shape[0]


def grad_comparison(logits, labels):
    one_hot = (np.arange(logits.shape[1]) == labels[:, None]).astype(float)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True) - one_hot) / len(logits)


CORRECT = [grad_loops, grad_log_sum_exp, grad_eye, grad_comparison]


@pytest.mark.parametrize("func", CORRECT, ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.cross_entropy_grad(func), func)


def test_the_reference_itself_passes():
    assert check.cross_entropy_grad(_CROSS_ENTROPY.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # row 1: p = (1/4, 3/4), label 0 -> (-3/4, 3/4); row 2: p = (1/2, 1/2), label 1 ->
    # (1/2, -1/2); the mean over N = 2 halves both
    logits = np.array([[0.0, math.log(3.0)], [5.0, 5.0]])
    got = _CROSS_ENTROPY.reference(logits=logits, labels=np.array([0, 1]))
    np.testing.assert_allclose(got, [[-3 / 8, 3 / 8], [1 / 4, -1 / 4]], rtol=0, atol=1e-15)


# ---- typical wrong answers and the words their diagnosis must contain ----


def _p(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _y(logits, labels):
    y = np.zeros_like(logits)
    y[np.arange(len(labels)), labels] = 1.0
    return y


def summed(logits, labels):
    return _p(logits) - _y(logits, labels)


def over_k(logits, labels):
    return (_p(logits) - _y(logits, labels)) / logits.shape[1]


def mean_of_everything(logits, labels):
    return (_p(logits) - _y(logits, labels)) / (logits.shape[0] * logits.shape[1])


def no_one_hot(logits, labels):
    return _p(logits) / len(labels)


def one_hot_minus_p(logits, labels):
    return (_y(logits, labels) - _p(logits)) / len(labels)


def swapped_indices(logits, labels):
    y = np.zeros_like(logits)
    y[labels, np.arange(len(labels))] = 1.0
    return (_p(logits) - y) / len(labels)


def predicted_class(logits, labels):
    return (_p(logits) - _y(logits, np.argmax(logits, axis=1))) / len(labels)


def sigmoid_instead(logits, labels):
    return (0.5 * (1 + np.tanh(logits / 2)) - _y(logits, labels)) / len(labels)


def softmax_over_columns(logits, labels):
    return (_p(logits.T).T - _y(logits, labels)) / len(labels)


def gradient_of_p(logits, labels):
    return -_y(logits, labels) / _p(logits) / len(labels)


def naive(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return (p - _y(logits, labels)) / len(labels)


def in_place(logits, labels):
    logits -= logits.max(axis=1, keepdims=True)
    return grad_eye(logits, labels)


def unnormalised(logits, labels):
    return (np.exp(logits - logits.max(axis=1, keepdims=True)) - _y(logits, labels)) / len(labels)


MISTAKES = [
    (summed, "与样本数 N 有关的倍数"),
    (over_k, "除以的是类别数 K"),
    (mean_of_everything, "与类别数 K 有关的倍数"),
    (no_one_hot, "没有减去真实标签的独热向量"),
    (one_hot_minus_p, "−L 的梯度"),
    (swapped_indices, "行列下标对调了"),
    (predicted_class, "预测的类别"),
    (sigmoid_instead, "用 sigmoid 代替了 softmax"),
    (softmax_over_columns, "softmax 的方向不对"),
    (gradient_of_p, "对概率 p 的梯度"),
]
WRONG = MISTAKES + [
    (naive, "数值不稳定"),
    (in_place, "改动了传入的数组 logits"),
    (unnormalised, "梯度分量之和应当为 0"),
    (lambda logits, labels: grad_eye(logits, labels).T, "转置"),
    (lambda logits, labels: grad_eye(logits, labels)[:, 0], "形状不对"),
    (lambda logits, labels: 2 * grad_eye(logits, labels), "约为正确答案的 2.00 倍"),
    (lambda logits, labels: (1.0, grad_eye(logits, labels)), "tuple"),
    (lambda logits, labels: grad_eye(logits, labels).astype(np.float32), "float32"),
    (lambda logits, labels: grad_eye(logits, labels).tolist(), "list"),
    (lambda logits, labels: None, "忘了写 return"),
    (
        lambda logits, labels: (1 / logits.shape[1] - _y(logits, labels)) / len(labels),
        "不随 logits 变化",
    ),
    (lambda logits, labels: logits[labels.astype(float)], "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.cross_entropy_grad(func), words)


def test_each_mistake_has_its_own_message():
    contract.assert_each_mistake_has_its_own_message(check.cross_entropy_grad, _CROSS_ENTROPY)


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.cross_entropy_grad(func)), _CROSS_ENTROPY)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    first = contract.assert_cases_are_fixed(_CROSS_ENTROPY)
    # the square first case: a swapped one-hot fits its shape and differs from the answer
    square = first[0].args
    assert square["logits"].shape[0] == square["logits"].shape[1]
    assert not np.allclose(swapped_indices(**square), grad_eye(**square))
    assert (square["labels"] != square["logits"].argmax(axis=1)).any()
    # every mistake differs from the answer on some case, and several shapes are used
    for mistake in _CROSS_ENTROPY.mistakes:
        differs = False
        for case in first:
            with np.errstate(all="ignore"):
                try:
                    wrong = np.asarray(mistake.func(**case.args))
                except IndexError:
                    continue
            differs = differs or not np.allclose(wrong, _reference(_CROSS_ENTROPY, case))
        assert differs, mistake.message
    assert len({case.args["logits"].shape for case in first}) == len(first)


def test_the_extreme_case_has_a_finite_answer_that_the_plain_formula_misses():
    extreme = [case for case in _CROSS_ENTROPY.cases() if case.extreme]
    assert extreme
    for case in extreme:
        logits = case.args["logits"]
        assert (logits > 900).any() and (logits < -900).any()
        assert np.isfinite(_reference(_CROSS_ENTROPY, case)).all()
        with np.errstate(all="ignore"):
            assert not np.isfinite(naive(**case.args)).all()
