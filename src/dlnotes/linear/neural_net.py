"""A single linear neuron z = x·W + b trained by (mini-batch) gradient descent.

The code is organised around the neuron, as later chapters organise layers:
``forward`` computes the output, ``backward`` the gradients of the loss,
``update`` takes one step, and ``train`` loops over the data.

Shapes: ``X`` holds m samples of d features, shape (m, d); for d = 1 it may
also be (m,). Labels ``Y`` are (m,) or (m, 1). The weights ``W`` are a
column (d, 1), so the outputs ``Z = X @ W + b`` are (m, 1).

The loss is ``J = (1/2m) Σ (z_i − y_i)²``, **half** the mean squared error
(``half_mse`` in the naming rule of :mod:`dlnotes.metrics.regression`), as in
:func:`dlnotes.linear.half_mse_cost`; ``torch.nn.MSELoss`` has no ½.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_number, check_positive_int

__all__ = ["NeuralNet"]

# Weights beyond this size count as divergence; training stops before floats overflow.
_DIVERGED = 1e100


class NeuralNet:
    """One neuron with d inputs, no activation, and the loss ``J = ½ · mean((z − y)²)`` (half MSE).

    Parameters
    ----------
    eta : float
        Learning rate η > 0.
    n_features : int
        Number of inputs d ≥ 1.

    Attributes
    ----------
    W : ndarray, shape (d, 1)
        Weights, zero at the start.
    b : float
        Bias, zero at the start.
    w : float or ndarray, shape (d,)
        The weights read as a float when d = 1 (the seed's ``net.w``), else as a (d,) copy.

    Examples
    --------
    >>> net = NeuralNet(eta=0.1)
    >>> _ = net.train([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], epochs=2000, batch_size=3)
    >>> round(net.w, 6), round(net.b, 6), round(net.inference(3.0), 6)
    (2.0, 1.0, 7.0)
    """

    def __init__(self, eta: float, n_features: int = 1) -> None:
        self.eta = check_number(eta, "eta", positive=True)
        self.n_features = check_positive_int(n_features, "n_features")
        self.W = np.zeros((self.n_features, 1))
        self.b = 0.0

    def __repr__(self) -> str:
        return f"NeuralNet(eta={self.eta}, n_features={self.n_features})"

    @property
    def w(self) -> float | np.ndarray:
        return float(self.W[0, 0]) if self.n_features == 1 else self.W[:, 0].copy()

    @w.setter
    def w(self, value: ArrayLike) -> None:
        arr = as_float_array(value, "w").reshape(-1)
        if arr.shape != (self.n_features,):
            raise ValueError(
                f"w must hold n_features = {self.n_features} numbers, got shape {np.shape(value)}"
            )
        check_finite(arr, "w")
        self.W = arr.astype(np.float64).reshape(self.n_features, 1)

    # -- validation: the one family of checks of this class ----------------
    def _check_inputs(self, X: ArrayLike) -> np.ndarray:
        arr = as_float_array(X, "X")
        if arr.ndim == 1 and self.n_features == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[1] != self.n_features:
            expected = "(m,) or (m, 1)" if self.n_features == 1 else f"(m, {self.n_features})"
            raise ValueError(
                f"X must have shape {expected} for n_features = {self.n_features}, "
                f"got shape {arr.shape}"
            )
        check_finite(arr, "X")
        return arr.astype(np.float64, copy=False)

    def _check_labels(self, Y: ArrayLike, m: int, name: str = "Y") -> np.ndarray:
        arr = as_float_array(Y, name)
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[1] != 1:
            raise ValueError(f"{name} must have shape (m,) or (m, 1), got shape {arr.shape}")
        if arr.shape[0] != m:
            raise ValueError(
                f"X and {name} must hold the same number of samples, got {m} and {arr.shape[0]}"
            )
        check_finite(arr, name)
        return arr.astype(np.float64, copy=False)

    def _check_training(
        self, X: ArrayLike, Y: ArrayLike, epochs: int, batch_size: int
    ) -> tuple[np.ndarray, np.ndarray, int, int]:
        Xa = self._check_inputs(X)
        m = Xa.shape[0]
        Ya = self._check_labels(Y, m)
        if m == 0:
            raise ValueError("X must hold at least 1 sample, got 0")
        epochs = check_positive_int(epochs, "epochs")
        batch_size = check_positive_int(batch_size, "batch_size")
        if batch_size > m:
            raise ValueError(
                f"batch_size must be <= the number of samples m = {m}, got {batch_size}"
            )
        return Xa, Ya, epochs, batch_size

    def _check_diverged(self, epoch: int, step: int) -> None:
        """Raise once W or b has blown up (> 1e100, inf or NaN): eta is too large for the data."""
        if not (np.all(np.abs(self.W) <= _DIVERGED) and abs(self.b) <= _DIVERGED):
            raise ValueError(
                f"training diverged at epoch {epoch}, update {step}: |W| or |b| passed "
                f"{_DIVERGED:g} with eta = {self.eta}; each step overshoots the minimum, "
                f"so try a smaller eta (for example {self.eta / 10:g})"
            )

    # -- the neuron ------------------------------------------------------
    def forward(self, X: ArrayLike) -> np.ndarray:
        """Outputs ``Z = X W + b``.

        Parameters
        ----------
        X : array_like, shape (m, d), or (m,) when d = 1

        Returns
        -------
        Z : ndarray, shape (m, 1)
        """
        return self._check_inputs(X) @ self.W + self.b

    def backward(self, X: ArrayLike, Y: ArrayLike, Z: ArrayLike) -> tuple[np.ndarray, float]:
        """Gradients of ``J = (1/2m) Σ (z_i − y_i)²`` (half the MSE), the mean over the batch.

        ``dZ = Z − Y`` (m, 1); ``dW = Xᵀ dZ / m`` (d, 1); ``db = Σ dZ / m``.

        Parameters
        ----------
        X : array_like, shape (m, d), or (m,) when d = 1
        Y, Z : array_like, shape (m,) or (m, 1)

        Returns
        -------
        dW : ndarray, shape (d, 1)
        db : float
        """
        Xa = self._check_inputs(X)
        m = Xa.shape[0]
        if m == 0:
            raise ValueError("X must hold at least 1 sample, got 0")
        dZ = self._check_labels(Z, m, "Z") - self._check_labels(Y, m)
        return Xa.T @ dZ / m, float(np.sum(dZ) / m)

    def update(self, dW: ArrayLike, db: float) -> None:
        """One gradient step: ``W ← W − η dW``, ``b ← b − η db``."""
        grad = as_float_array(dW, "dW")
        if grad.size != self.n_features or grad.ndim > 2:
            raise ValueError(f"dW must have shape ({self.n_features}, 1), got shape {grad.shape}")
        self.W = self.W - self.eta * grad.reshape(self.n_features, 1)
        self.b = self.b - self.eta * check_number(db, "db")

    def loss(self, X: ArrayLike, Y: ArrayLike) -> float:
        """Cost ``J = (1/2m) Σ (z_i − y_i)²`` (half the MSE) of the current parameters on (X, Y)."""
        Z = self.forward(X)
        return float(0.5 * np.mean((Z - self._check_labels(Y, Z.shape[0])) ** 2))

    def train(self, X: ArrayLike, Y: ArrayLike, epochs: int = 1, batch_size: int = 1) -> np.ndarray:
        """Train on the samples **in the given order**, one update per batch.

        Each epoch cuts (X, Y) into consecutive batches of ``batch_size`` rows
        (the last may be smaller) and calls forward, backward and update on each.
        If the weights blow up (eta too large) it stops with a ValueError that
        names the epoch and the update.

        Parameters
        ----------
        X : array_like, shape (m, d), or (m,) when d = 1
        Y : array_like, shape (m,) or (m, 1)
        epochs : int
            Passes over the data, ≥ 1.
        batch_size : int
            1 ≤ batch_size ≤ m.

        Returns
        -------
        ndarray, shape (epochs,)
            The cost J on all of (X, Y) after each epoch.
        """
        Xa, Ya, epochs, batch_size = self._check_training(X, Y, epochs, batch_size)
        m = Xa.shape[0]
        history = np.empty(epochs)
        for epoch in range(epochs):
            for step, start in enumerate(range(0, m, batch_size), start=1):
                xb, yb = Xa[start : start + batch_size], Ya[start : start + batch_size]
                dW, db = self.backward(xb, yb, self.forward(xb))
                self.update(dW, db)
                self._check_diverged(epoch + 1, step)
            history[epoch] = self.loss(Xa, Ya)
        return history

    def inference(self, x: ArrayLike) -> float | np.ndarray:
        """Predict: a float for one number when d = 1, else ``forward(x)`` of shape (m, 1).

        A single sample with d > 1 features may be passed as shape (d,).
        """
        arr = as_float_array(x, "x")
        if arr.ndim == 0 and self.n_features == 1:
            return float(self.forward(arr.reshape(1, 1))[0, 0])
        if arr.ndim == 1 and self.n_features > 1:
            if arr.shape[0] != self.n_features:
                raise ValueError(
                    f"one sample must hold n_features = {self.n_features} numbers, "
                    f"got shape {arr.shape}"
                )
            arr = arr[None, :]
        return self.forward(arr)
