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

from dlnotes.optim._base import Optimizer
from dlnotes.optim.adam import Adam
from dlnotes.optim.rmsprop import RMSprop
from dlnotes.optim.run import run_optimizer
from dlnotes.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "run_optimizer"]
