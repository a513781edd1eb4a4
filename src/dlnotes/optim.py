"""Gradient-based optimisers in numpy with exactly the update rules of ``torch.optim``.

Each optimiser works like its PyTorch namesake: it is built from a list of
parameter arrays, keeps per-parameter state (velocity, running averages) and
updates the arrays **in place** when ``step`` receives their gradients::

    >>> import numpy as np
    >>> w = np.array([1.0, -2.0])
    >>> opt = SGD([w], lr=0.1)
    >>> opt.step([2 * w])            # gradient of sum(w ** 2)
    >>> w
    array([ 0.8, -1.6])

The formulas follow the PyTorch documentation line by line (t counts steps
from 1, ``g`` already includes ``weight_decay * p``):

* SGD: ``b = g`` at t = 1, later ``b = momentum * b + (1 - dampening) * g``;
  ``p -= lr * b`` (Nesterov: ``p -= lr * (g + momentum * b)``).
* RMSprop: ``v = alpha * v + (1 - alpha) * g**2``; ``p -= lr * g / (sqrt(v) + eps)``;
  eps is added **outside** the square root.
* Adam: ``m = beta1 * m + (1 - beta1) * g``, ``v = beta2 * v + (1 - beta2) * g**2``,
  ``p -= lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_flag,
    check_positive_int,
    check_probability,
)

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "run_optimizer"]


def _number(value: object, name: str, *, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r} of type {type(value).__name__}")
    ok = value >= 0 if allow_zero else value > 0
    if not ok or not np.isfinite(value):
        raise ValueError(
            f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, got {value}"
        )
    return float(value)


class Optimizer:
    """Shared bookkeeping: the parameter list, the step counter and one state dict per parameter.

    Parameters
    ----------
    params : sequence of numpy.ndarray, each of any shape
        Float arrays that ``step`` overwrites in place (like ``torch.nn.Parameter``).

    Attributes
    ----------
    state : list of dict
        ``state[i]`` holds the buffers of ``params[i]`` (empty before the first step).
    t : int
        Number of steps taken so far.
    """

    def __init__(self, params: Sequence[np.ndarray]) -> None:
        if isinstance(params, np.ndarray) or not isinstance(params, (list, tuple)):
            raise TypeError(
                f"params must be a list or tuple of numpy arrays, got {type(params).__name__}; "
                "wrap a single array as [w]"
            )
        if len(params) == 0:
            raise ValueError("params must hold at least one array, got an empty sequence")
        for i, p in enumerate(params):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                kind = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(
                    f"params[{i}] must be a float numpy array (updated in place), got {kind}"
                )
            if not p.flags.writeable:
                raise ValueError(f"params[{i}] must be writeable, got a read-only array")
        self.params = list(params)
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self.t = 0

    def step(self, grads: Sequence[object]) -> None:
        """Update every parameter in place, given gradients of the same shapes.

        Parameters
        ----------
        grads : sequence of array_like, ``grads[i].shape == params[i].shape``
        """
        if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
            raise TypeError(f"grads must be a list or tuple of arrays, got {type(grads).__name__}")
        if len(grads) != len(self.params):
            raise ValueError(
                f"grads must hold one array per parameter ({len(self.params)}), got {len(grads)}"
            )
        checked = []
        for i, (p, g) in enumerate(zip(self.params, grads)):
            g = as_float_array(g, f"grads[{i}]")
            if g.shape != p.shape:
                raise ValueError(
                    f"grads[{i}] must have the shape of params[{i}], {p.shape}, got {g.shape}"
                )
            check_finite(g, f"grads[{i}]")
            checked.append(g.astype(p.dtype, copy=False))
        self.t += 1
        for p, g, state in zip(self.params, checked, self.state):
            self._update(p, g, state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError  # each optimiser defines its rule


class SGD(Optimizer):
    """Stochastic gradient descent with optional (Nesterov) momentum, as ``torch.optim.SGD``.

    Parameters
    ----------
    params : list of float numpy.ndarray
    lr : float > 0
    momentum : float in [0, 1)
    dampening : float in [0, 1)
        Scales the new gradient in the velocity from step 2 on; 0 by default.
    nesterov : bool
        Needs ``momentum > 0`` and ``dampening == 0``.
    weight_decay : float >= 0
        L2 penalty: ``g = g + weight_decay * p`` before anything else.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0])
    >>> opt = SGD([w], lr=0.5, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.step([np.array([1.0])])   # constant gradient 1
    >>> w                                   # 1 - 0.5 * 1 - 0.5 * (0.9 + 1)
    array([-0.45])
    """

    def __init__(
        self,
        params,
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _number(lr, "lr", allow_zero=False)
        self.momentum = check_probability(momentum, "momentum")
        self.dampening = check_probability(dampening, "dampening")
        self.weight_decay = _number(weight_decay, "weight_decay", allow_zero=True)
        self.nesterov = check_flag(nesterov, "nesterov")
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(
                f"nesterov=True needs momentum > 0 and dampening = 0, got {momentum=}, {dampening=}"
            )

    def _update(self, p, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            if "velocity" not in state:
                state["velocity"] = g.copy()  # first step: the velocity is the gradient itself
            else:
                state["velocity"] = self.momentum * state["velocity"] + (1 - self.dampening) * g
            g = g + self.momentum * state["velocity"] if self.nesterov else state["velocity"]
        p -= self.lr * g


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), as ``torch.optim.RMSprop``.

    Parameters
    ----------
    params : list of float numpy.ndarray
    lr : float > 0
        PyTorch's default is 0.01.
    alpha : float in [0, 1)
        Decay of the running average of squared gradients.
    eps : float > 0
        Added to ``sqrt(v)``, not to ``v``.
    momentum : float in [0, 1)
        Velocity of the scaled step, starting from zero.
    centered : bool
        Divide by an estimate of the standard deviation ``sqrt(v - mean(g)**2)`` instead of ``sqrt(v)``.
    weight_decay : float >= 0

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([3.0, 3.0])
    >>> RMSprop([w], lr=0.1, alpha=0.0, eps=1e-12).step([np.array([100.0, 0.01])])
    >>> w.round(6)       # alpha = 0: the step is lr * sign(g), whatever the size of g
    array([2.9, 2.9])
    """

    def __init__(
        self,
        params,
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        momentum: float = 0.0,
        centered: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _number(lr, "lr", allow_zero=False)
        self.alpha = check_probability(alpha, "alpha")
        self.eps = _number(eps, "eps", allow_zero=False)
        self.momentum = check_probability(momentum, "momentum")
        self.weight_decay = _number(weight_decay, "weight_decay", allow_zero=True)
        self.centered = check_flag(centered, "centered")

    def _update(self, p, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * p
        if not state:
            state["square_avg"] = np.zeros_like(p)
            state["grad_avg"] = np.zeros_like(p)
            state["velocity"] = np.zeros_like(p)
        state["square_avg"] = self.alpha * state["square_avg"] + (1 - self.alpha) * g * g
        variance = state["square_avg"]
        if self.centered:
            state["grad_avg"] = self.alpha * state["grad_avg"] + (1 - self.alpha) * g
            variance = variance - state["grad_avg"] ** 2
        scaled = g / (np.sqrt(variance) + self.eps)
        if self.momentum:
            state["velocity"] = self.momentum * state["velocity"] + scaled
            scaled = state["velocity"]
        p -= self.lr * scaled


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction, as ``torch.optim.Adam``.

    Parameters
    ----------
    params : list of float numpy.ndarray
    lr : float > 0
    betas : (beta1, beta2), each in [0, 1)
        Decays of the first moment (momentum) and of the second moment (RMSprop part).
    eps : float > 0
        Added to the bias-corrected ``sqrt(v_hat)``.
    weight_decay : float >= 0
        Classic L2 (added to the gradient), not AdamW's decoupled decay.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, 1.0])
    >>> Adam([w], lr=0.1).step([np.array([1e-2, 1e2])])
    >>> w.round(6)       # bias correction makes the first step lr * sign(g) for both entries
    array([0.9, 0.9])
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _number(lr, "lr", allow_zero=False)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = check_probability(betas[0], "betas[0]")
        self.beta2 = check_probability(betas[1], "betas[1]")
        self.eps = _number(eps, "eps", allow_zero=False)
        self.weight_decay = _number(weight_decay, "weight_decay", allow_zero=True)

    def _update(self, p, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * p
        if not state:
            state["m"] = np.zeros_like(p)
            state["v"] = np.zeros_like(p)
        state["m"] = self.beta1 * state["m"] + (1 - self.beta1) * g
        state["v"] = self.beta2 * state["v"] + (1 - self.beta2) * g * g
        m_hat = state["m"] / (1 - self.beta1**self.t)  # both start at 0: undo the pull towards 0
        v_hat = state["v"] / (1 - self.beta2**self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def run_optimizer(
    optimizer: Optimizer, grad_fn: Callable[[np.ndarray], object], steps: int
) -> np.ndarray:
    """Run ``steps`` updates on the optimiser's single parameter and record the path.

    Parameters
    ----------
    optimizer : Optimizer
        Built with exactly one parameter array ``x`` of shape (D,).
    grad_fn : callable
        ``grad_fn(x)`` returns the gradient, shape (D,).
    steps : int >= 1

    Returns
    -------
    path : numpy.ndarray, shape (steps + 1, D)
        ``path[0]`` is the start, ``path[k]`` the point after k steps.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([4.0, 0.0])
    >>> run_optimizer(SGD([x], lr=0.25), lambda z: 2 * z, steps=2)[:, 0]
    array([4., 2., 1.])
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a dlnotes.optim optimiser, got {type(optimizer).__name__}"
        )
    if len(optimizer.params) != 1 or optimizer.params[0].ndim != 1:
        shapes = [p.shape for p in optimizer.params]
        raise ValueError(
            f"run_optimizer needs one parameter of shape (D,), got parameters of shapes {shapes}"
        )
    steps = check_positive_int(steps, "steps")
    x = optimizer.params[0]
    path = np.empty((steps + 1, x.size), dtype=x.dtype)
    path[0] = x
    for k in range(1, steps + 1):
        optimizer.step([grad_fn(x.copy())])
        path[k] = x
    return path
