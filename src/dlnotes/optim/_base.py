"""What every optimiser shares: the parameter list, the step counter, per-parameter state.

``_check_hyper`` is the one check of the optimisers' hyper-parameters; ``Optimizer.step``
checks the gradients once and hands each (parameter, gradient, state) to ``_update``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_flag,
    check_probability,
    check_scalar,
)

__all__ = ["Optimizer"]


def _check_hyper(**values: object) -> tuple:
    """Check hyper-parameters by their names; return them in the order given.

    ``lr`` and ``eps`` are > 0, ``weight_decay`` >= 0, the decay rates
    (``momentum``, ``dampening``, ``alpha``, each beta of ``betas``) lie in
    [0, 1), ``nesterov`` and ``centered`` are flags.
    """
    checked: dict[str, object] = {}
    for name, value in values.items():
        if name in ("lr", "eps"):
            checked[name] = check_scalar(
                value, name, float, min_val=0, include_boundaries="neither"
            )
        elif name == "weight_decay":
            checked[name] = check_scalar(value, name, float, min_val=0)
        elif name in ("nesterov", "centered"):
            checked[name] = check_flag(value, name)
        elif name == "betas":
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r}")
            checked[name] = tuple(check_probability(b, f"betas[{k}]") for k, b in enumerate(value))
        else:
            checked[name] = check_probability(value, name)
    if checked.get("nesterov") and (checked["momentum"] == 0 or checked["dampening"] != 0):
        raise ValueError(
            "nesterov=True needs momentum > 0 and dampening = 0, "
            f"got momentum={checked['momentum']}, dampening={checked['dampening']}"
        )
    return tuple(checked.values())


def _check_params(params: Sequence[np.ndarray]) -> list[np.ndarray]:
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
    return list(params)


def _check_grads(grads: Sequence[ArrayLike], params: list[np.ndarray]) -> list[np.ndarray]:
    """Validate the gradients; return them as **copies** in the parameters' dtypes.

    A copy, because a gradient may be a parameter itself (for f = a * b,
    df/da is b): updating a first must not change the gradient b is updated with.
    """
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise TypeError(f"grads must be a list or tuple of arrays, got {type(grads).__name__}")
    if len(grads) != len(params):
        raise ValueError(
            f"grads must hold one array per parameter ({len(params)}), got {len(grads)}"
        )
    checked = []
    for i, (p, g) in enumerate(zip(params, grads)):
        g = as_float_array(g, f"grads[{i}]")
        if g.shape != p.shape:
            raise ValueError(
                f"grads[{i}] must have the shape of params[{i}], {p.shape}, got {g.shape}"
            )
        check_finite(g, f"grads[{i}]")
        checked.append(np.array(g, dtype=p.dtype, copy=True))
    return checked


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
        self.params = _check_params(params)
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self.t = 0

    def step(self, grads: Sequence[ArrayLike]) -> None:
        """Update every parameter in place, given gradients of the same shapes.

        Parameters
        ----------
        grads : sequence of array_like, ``grads[i].shape == params[i].shape``
            Every parameter moves by the gradients at the old point, all at
            once, even when a gradient is one of the parameters.
        """
        checked = _check_grads(grads, self.params)  # copies: a gradient may alias a parameter
        self.t += 1
        for p, g, state in zip(self.params, checked, self.state):
            self._update(p, g, state)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        raise NotImplementedError  # each optimiser defines its rule
