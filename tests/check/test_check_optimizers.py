"""check.momentum_step: correct momentum steps pass, each typical mistake gets its own diagnosis,
a malformed pair of results is named, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.optimizers import _MOMENTUM, _step
from dlnotes.optim import SGD

# ---- independent correct implementations, written here and not taken from dlnotes ----


def step_two_lines(param, grad, velocity, lr, momentum):
    new_velocity = momentum * velocity + grad
    return param - lr * new_velocity, new_velocity


def step_loop(param, grad, velocity, lr, momentum):
    new_param, new_velocity = np.empty_like(param), np.empty_like(velocity)
    for i in np.ndindex(param.shape):
        new_velocity[i] = momentum * velocity[i] + grad[i]
        new_param[i] = param[i] - lr * new_velocity[i]
    return new_param, new_velocity


def step_as_list(param, grad, velocity, lr, momentum):
    v = np.add(np.multiply(momentum, velocity), grad)
    return [np.subtract(param, np.multiply(lr, v)), v]


def step_on_copies(param, grad, velocity, lr, momentum):
    velocity = velocity.copy()
    velocity *= momentum
    velocity += grad
    param = param.copy()
    param -= lr * velocity
    return param, velocity


CORRECT = [step_two_lines, step_loop, step_as_list, step_on_copies]


@pytest.mark.parametrize("func", CORRECT, ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.momentum_step(func), func)


def test_the_reference_step_itself_passes():
    assert check.momentum_step(_step)


def test_the_reference_agrees_with_a_hand_computation():
    # v = 0.9 * 0.5 + 2 = 2.45, theta = 1 - 0.1 * 2.45 = 0.755
    args = dict(grad=np.array([2.0]), velocity=np.array([0.5]), lr=0.1, momentum=0.9)
    np.testing.assert_allclose(
        _MOMENTUM.reference(param=np.array([1.0]), **args), [[0.755], [2.45]], rtol=0, atol=1e-15
    )


def test_a_zero_velocity_gives_the_first_step_of_a_fresh_optimiser():
    (first,) = [c for c in _MOMENTUM.cases() if not c.args["velocity"].any()]
    a = first.args
    theta = a["param"].copy()
    SGD([theta], lr=a["lr"], momentum=a["momentum"]).step([a["grad"]])  # b_1 = g_1
    np.testing.assert_array_equal(_reference(_MOMENTUM, first)[0], theta)


def _torch_path(lrs, grads, momentum):
    torch = pytest.importorskip("torch")
    theta = torch.tensor(np.zeros(3), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lrs[0], momentum=momentum)
    for lr, g in zip(lrs, grads):
        opt.param_groups[0]["lr"] = lr
        theta.grad = torch.tensor(g)
        opt.step()
    return theta.detach().numpy()


def _chained(rule, lrs, grads, momentum):
    theta, v = np.zeros(3), np.zeros(3)
    for lr, g in zip(lrs, grads):
        theta, v = rule(theta, g, v, lr, momentum)
    return theta


def lr_in_velocity(param, grad, velocity, lr, momentum):
    new_velocity = momentum * velocity + lr * grad
    return param - new_velocity, new_velocity


@pytest.mark.parametrize("lrs", [[0.1] * 5, [0.1, 0.3, 0.05, 0.2, 0.1]])
def test_the_reference_follows_torch_and_the_lr_in_velocity_rule_only_for_a_fixed_lr(lrs):
    grads = np.random.default_rng(0).standard_normal((5, 3))
    expected = _torch_path(lrs, grads, 0.9)
    np.testing.assert_allclose(_chained(_step, lrs, grads, 0.9), expected, rtol=1e-13, atol=0)
    other = _chained(lr_in_velocity, lrs, grads, 0.9)
    assert np.allclose(other, expected, rtol=1e-12, atol=0) == (len(set(lrs)) == 1)


# ---- typical wrong answers and the words their diagnosis must contain ----


def dampened(param, grad, velocity, lr, momentum):
    v = momentum * velocity + (1 - momentum) * grad
    return param - lr * v, v


def displacement(param, grad, velocity, lr, momentum):  # v = mu v - lr g; theta += v
    v = momentum * velocity - lr * grad
    return param + v, v


def ascent(param, grad, velocity, lr, momentum):
    v = momentum * velocity + grad
    return param + lr * v, v


def old_velocity_returned(param, grad, velocity, lr, momentum):
    return param - lr * (momentum * velocity + grad), velocity


def old_velocity_used(param, grad, velocity, lr, momentum):
    return param - lr * velocity, momentum * velocity + grad


def nesterov(param, grad, velocity, lr, momentum):
    v = momentum * velocity + grad
    return param - lr * (grad + momentum * v), v


def plain_sgd(param, grad, velocity, lr, momentum):
    return param - lr * grad, momentum * velocity + grad


def no_lr(param, grad, velocity, lr, momentum):
    v = momentum * velocity + grad
    return param - v, v


def no_momentum(param, grad, velocity, lr, momentum):
    v = velocity + grad
    return param - lr * v, v


def momentum_on_grad(param, grad, velocity, lr, momentum):
    v = velocity + momentum * grad
    return param - lr * v, v


def swapped(param, grad, velocity, lr, momentum):
    return step_two_lines(param, grad, velocity, lr, momentum)[::-1]


def torch_style(param, grad, velocity, lr, momentum):
    velocity *= momentum
    velocity += grad
    param -= lr * velocity
    return param, velocity


def torch_style_no_return(param, grad, velocity, lr, momentum):
    torch_style(param, grad, velocity, lr, momentum)


def _both(func):
    return lambda **a: tuple(func(**a))


MISTAKES = [
    (dampened, "(1 − momentum)"),
    (lr_in_velocity, "学习率乘进了速度里"),
    (displacement, "“位移”"),
    (ascent, "梯度上升"),
    (old_velocity_returned, "还是传入的旧速度"),
    (old_velocity_used, "用的是旧的速度"),
    (nesterov, "Nesterov"),
    (plain_sgd, "没有用上速度"),
    (no_lr, "没有乘学习率 lr"),
    (no_momentum, "momentum 没有用上"),
    (momentum_on_grad, "乘错了对象"),
    (swapped, "顺序反了"),
]


WRONG = MISTAKES + [
    (torch_style, "改动了传入的数组 param、velocity"),
    (torch_style_no_return, "原地改动了传入的数组 param、velocity"),
    (lambda param, grad, velocity, lr, momentum: None, "忘了写 return"),
    (lambda **a: np.stack(step_two_lines(**a)), "只返回了一个数组"),
    (lambda **a: (*step_two_lines(**a), a["lr"]), "返回了 3 个值"),
    (lambda **a: {"param": 1.0}, "dict 类型的值"),
    (lambda **a: (step_two_lines(**a)[0].tolist(), a["velocity"]), "new_param 是 list"),
    (lambda **a: (step_two_lines(**a)[0], a["velocity"].astype(int)), "int64 类型，应当是浮点"),
    (lambda **a: tuple(x.astype(np.float32) for x in step_two_lines(**a)), "float32"),
    (lambda **a: (step_two_lines(**a)[0], step_two_lines(**a)[1][:, None]), "new_velocity 的形状"),
    (lambda **a: tuple(2 * x for x in step_two_lines(**a)), "约为正确答案的 2.00 倍"),
    (lambda **a: (step_two_lines(**a)[0], 2 * step_two_lines(**a)[1]), "new_param 对了"),
    (
        lambda **a: (step_two_lines(**a)[0] + a["grad"] ** 2, step_two_lines(**a)[1]),
        "new_velocity 对了",
    ),
    (lambda **a: (a["param"] - a["lr"] * a["velocity"], a["velocity"]), "不随 grad 变化"),
    (lambda **a: a["velocity"][1, 0], "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.momentum_step(func), words)


def test_each_mistake_has_its_own_message():
    contract.assert_each_mistake_has_its_own_message(check.momentum_step, _MOMENTUM, wrap=_both)


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.momentum_step(func)), _MOMENTUM)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    first = contract.assert_cases_are_fixed_and_tell_mistakes_apart(_MOMENTUM)
    # several shapes, learning rates and momenta, a first step, and a velocity against the grad
    assert len({c.args["param"].shape for c in first}) == len(first)
    assert len({(c.args["lr"], c.args["momentum"]) for c in first}) >= 3
    assert any(not c.args["velocity"].any() for c in first)
    assert any((c.args["velocity"] * c.args["grad"] < 0).all() for c in first)


def test_a_stub_says_it_is_not_implemented():
    def stub(param, grad, velocity, lr, momentum):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.momentum_step(stub))


@pytest.mark.parametrize("not_a_function", [3, np.zeros(2), None, "my_momentum"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.momentum_step, not_a_function, "check.momentum_step(my_momentum)"
    )
