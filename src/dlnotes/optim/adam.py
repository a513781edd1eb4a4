"""Adam: momentum and RMSprop with bias correction, as ``torch.optim.Adam``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlnotes.optim._base import Optimizer, _check_hyper

__all__ = ["Adam"]


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
        params: Sequence[np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr, (self.beta1, self.beta2), self.eps, self.weight_decay = _check_hyper(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay
        )

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray]) -> None:
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
