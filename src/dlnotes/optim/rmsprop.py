"""RMSprop: steps scaled by a running RMS of the gradients, as ``torch.optim.RMSprop``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlnotes.optim._base import Optimizer, _check_hyper

__all__ = ["RMSprop"]


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
        Divide by an estimate of the standard deviation, ``sqrt(v - mean(g)**2)``,
        instead of ``sqrt(v)``.
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
        params: Sequence[np.ndarray],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        momentum: float = 0.0,
        centered: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr, self.alpha, self.eps, self.momentum, self.centered, self.weight_decay = (
            _check_hyper(
                lr=lr,
                alpha=alpha,
                eps=eps,
                momentum=momentum,
                centered=centered,
                weight_decay=weight_decay,
            )
        )

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
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
