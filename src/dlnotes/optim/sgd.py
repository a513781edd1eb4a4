"""Stochastic gradient descent with momentum, as ``torch.optim.SGD``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlnotes.optim._base import Optimizer, _check_hyper

__all__ = ["SGD"]


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
        params: Sequence[np.ndarray],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr, self.momentum, self.dampening, self.nesterov, self.weight_decay = _check_hyper(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            nesterov=nesterov,
            weight_decay=weight_decay,
        )

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            if "velocity" not in state:
                state["velocity"] = g.copy()  # first step: the velocity is the gradient itself
            else:
                state["velocity"] = self.momentum * state["velocity"] + (1 - self.dampening) * g
            g = g + self.momentum * state["velocity"] if self.nesterov else state["velocity"]
        p -= self.lr * g
