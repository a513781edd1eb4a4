"""Recurrent cells, one time step each: the plain RNN cell and the LSTM cell.

The weights use PyTorch's layout (``torch.nn.RNNCell``, ``torch.nn.LSTMCell``):
``w_ih`` multiplies the input x (N, D), ``w_hh`` the hidden state h (N, H), both
from the left, ``x @ w_ih.T``. The LSTM stacks its four gates along the rows,
in the order i, f, g, o, so its weights have 4H rows.

A sequence is processed by calling the cell once per step; backpropagation
through time calls the backward in reverse order and adds up the weight
gradients of all steps.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_choice, check_rank, check_shape
from dlnotes.layers._common import check_cache, private
from dlnotes.layers.activations import _sigmoid as sigmoid

__all__ = [
    "RNNCellCache",
    "LSTMCellCache",
    "rnn_cell_forward",
    "rnn_cell_backward",
    "lstm_cell_forward",
    "lstm_cell_backward",
]

_LSTM_LAYOUT = "4H rows, gate order i, f, g, o"


class RNNCellCache(NamedTuple):
    """What ``rnn_cell_backward`` needs: the inputs, the weights and the new state (own copies)."""

    x: np.ndarray
    h: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    h_next: np.ndarray
    nonlinearity: str


class LSTMCellCache(NamedTuple):
    """What ``lstm_cell_backward`` needs: inputs, weights, the four gates and ``tanh(c_next)``."""

    x: np.ndarray
    h: np.ndarray
    c: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    tanh_c: np.ndarray


def _check_cell(
    x: ArrayLike,
    h: ArrayLike,
    w_ih: ArrayLike,
    w_hh: ArrayLike,
    b_ih: ArrayLike,
    b_hh: ArrayLike,
    gates: int,
    c: ArrayLike | None = None,
) -> tuple[np.ndarray, ...]:
    """Validate one cell's arguments; return them in one dtype, x, h, weights (and c) private.

    ``gates`` is 1 for the RNN cell and 4 for the LSTM cell (rows of w_ih per hidden unit).
    """
    given = (x, h, w_ih, w_hh)
    x, h, w_ih, w_hh = (as_float_array(a, n) for a, n in zip(given, ("x", "h", "w_ih", "w_hh")))
    b_ih, b_hh = as_float_array(b_ih, "b_ih"), as_float_array(b_hh, "b_hh")
    check_rank(x, 2, "x", "(N, D)")
    check_rank(h, 2, "h", "(N, H)")
    (n, d), hidden = x.shape, h.shape[1]
    check_shape(h, (n, hidden), "h", "(N, H) with N = x.shape[0]")
    rows = gates * hidden
    if gates == 4:
        where = f"({_LSTM_LAYOUT}; H = h.shape[1]"
        layouts = (f"{where}, D = x.shape[1])", f"{where})", f"{where})")
    else:
        layouts = ("(H, D) with H = h.shape[1], D = x.shape[1]", "(H, H)", "(H,)")
    check_shape(w_ih, (rows, d), "w_ih", layouts[0])
    check_shape(w_hh, (rows, hidden), "w_hh", layouts[1])
    check_shape(b_ih, (rows,), "b_ih", layouts[2])
    check_shape(b_hh, (rows,), "b_hh", layouts[2])
    arrays = [x, h, w_ih, w_hh]
    if c is not None:
        given, c = (*given, c), as_float_array(c, "c")
        check_shape(c, (n, hidden), "c", "(N, H) like h")
        arrays.append(c)
    dtype = np.result_type(*arrays)  # the biases follow, as in linear_forward
    out = [private(a.astype(dtype, copy=False), g) for a, g in zip(arrays, given)]
    return (*out, b_ih.astype(dtype, copy=False), b_hh.astype(dtype, copy=False))


def _check_grad(grad: ArrayLike, like: np.ndarray, name: str) -> np.ndarray:
    grad = as_float_array(grad, name)
    check_shape(grad, like.shape, name, "(N, H) like the forward's new state")
    return grad


def rnn_cell_forward(
    x: ArrayLike,
    h: ArrayLike,
    w_ih: ArrayLike,
    w_hh: ArrayLike,
    b_ih: ArrayLike,
    b_hh: ArrayLike,
    nonlinearity: Literal["tanh", "relu"] = "tanh",
) -> tuple[np.ndarray, RNNCellCache]:
    """One step of the plain RNN: ``h_next = tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)``.

    Parameters
    ----------
    x : array_like, shape (N, D)
        The inputs at this step.
    h : array_like, shape (N, H)
        The hidden state from the previous step.
    w_ih : array_like, shape (H, D)
    w_hh : array_like, shape (H, H)
    b_ih, b_hh : array_like, shape (H,)
    nonlinearity : {"tanh", "relu"}
        As in ``torch.nn.RNNCell``.

    Returns
    -------
    h_next : numpy.ndarray, shape (N, H)
    cache : RNNCellCache

    Examples
    --------
    >>> import numpy as np
    >>> h_next, _ = rnn_cell_forward(np.ones((1, 2)), np.zeros((1, 3)), np.full((3, 2), 0.25),
    ...                              np.eye(3), np.zeros(3), np.zeros(3))
    >>> h_next.round(4)  # tanh(0.25 + 0.25)
    array([[0.4621, 0.4621, 0.4621]])
    """
    nonlinearity = check_choice(nonlinearity, "nonlinearity", ("tanh", "relu"))
    x, h, w_ih, w_hh, b_ih, b_hh = _check_cell(x, h, w_ih, w_hh, b_ih, b_hh, gates=1)
    a = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh  # (N, H)
    h_next = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0)
    return h_next, RNNCellCache(x, h, w_ih, w_hh, h_next.copy(), nonlinearity)


def rnn_cell_backward(
    dh_next: ArrayLike, cache: RNNCellCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of one RNN step, given the gradient ``dh_next`` reaching its output.

    Returns
    -------
    dx : (N, D), dh : (N, H)
        ``dh`` flows on to the previous step: backpropagation through time.
    dw_ih : (H, D), dw_hh : (H, H), db_ih : (H,), db_hh : (H,)

    Examples
    --------
    >>> import numpy as np
    >>> _, cache = rnn_cell_forward(np.ones((2, 4)), np.zeros((2, 3)), np.zeros((3, 4)),
    ...                             np.eye(3), np.zeros(3), np.zeros(3))
    >>> [g.shape for g in rnn_cell_backward(np.ones((2, 3)), cache)]
    [(2, 4), (2, 3), (3, 4), (3, 3), (3,), (3,)]
    """
    check_cache(cache, RNNCellCache, "rnn_cell_forward")
    x, h, w_ih, w_hh, h_next, nonlinearity = cache
    dh_next = _check_grad(dh_next, h_next, "dh_next")
    if nonlinearity == "tanh":
        da = dh_next * (1 - h_next**2)  # tanh' = 1 - tanh²
    else:
        da = dh_next * (h_next > 0)  # relu' = 1 where the output is positive, else 0
    dx, dh = da @ w_ih, da @ w_hh
    dw_ih, dw_hh = da.T @ x, da.T @ h
    db_ih = da.sum(axis=0)
    return dx, dh, dw_ih, dw_hh, db_ih, db_ih.copy()


def lstm_cell_forward(
    x: ArrayLike,
    h: ArrayLike,
    c: ArrayLike,
    w_ih: ArrayLike,
    w_hh: ArrayLike,
    b_ih: ArrayLike,
    b_hh: ArrayLike,
) -> tuple[np.ndarray, np.ndarray, LSTMCellCache]:
    """One step of the LSTM, gates i, f, g, o stacked along the rows as in ``torch.nn.LSTMCell``.

    ``i, f, o = σ(·)``, ``g = tanh(·)``, ``c_next = f ⊙ c + i ⊙ g``,
    ``h_next = o ⊙ tanh(c_next)``, each gate from ``x @ w_ih.T + b_ih + h @ w_hh.T + b_hh``.

    Parameters
    ----------
    x : array_like, shape (N, D)
    h, c : array_like, shape (N, H)
        The hidden state and the cell state from the previous step.
    w_ih : array_like, shape (4H, D)
    w_hh : array_like, shape (4H, H)
    b_ih, b_hh : array_like, shape (4H,)

    Returns
    -------
    h_next, c_next : numpy.ndarray, shape (N, H)
    cache : LSTMCellCache

    Examples
    --------
    >>> import numpy as np
    >>> H = 2  # all gate inputs 0: i = f = o = 0.5, g = 0, so c_next = c / 2
    >>> h_next, c_next, _ = lstm_cell_forward(np.ones((1, 3)), np.zeros((1, H)), np.ones((1, H)),
    ...     np.zeros((4 * H, 3)), np.zeros((4 * H, H)), np.zeros(4 * H), np.zeros(4 * H))
    >>> c_next, h_next.round(4)
    (array([[0.5, 0.5]]), array([[0.2311, 0.2311]]))
    """
    x, h, w_ih, w_hh, c, b_ih, b_hh = _check_cell(x, h, w_ih, w_hh, b_ih, b_hh, gates=4, c=c)
    a = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh  # (N, 4H): the four gates side by side
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    c_next = f * c + i * g  # the cell path: forget part of c, write i ⊙ g
    tanh_c = np.tanh(c_next)
    h_next = o * tanh_c
    return h_next, c_next, LSTMCellCache(x, h, c, w_ih, w_hh, i, f, g, o, tanh_c)


def lstm_cell_backward(
    dh_next: ArrayLike, dc_next: ArrayLike, cache: LSTMCellCache
) -> tuple[np.ndarray, ...]:
    """Gradients of one LSTM step, given the gradients reaching ``h_next`` and ``c_next``.

    Returns
    -------
    dx : (N, D), dh : (N, H), dc : (N, H)
        ``dh`` and ``dc`` flow on to the previous step.
    dw_ih : (4H, D), dw_hh : (4H, H), db_ih : (4H,), db_hh : (4H,)

    Examples
    --------
    >>> import numpy as np
    >>> H = 2
    >>> *_, cache = lstm_cell_forward(np.ones((1, 3)), np.zeros((1, H)), np.ones((1, H)),
    ...     np.zeros((4 * H, 3)), np.zeros((4 * H, H)), np.zeros(4 * H), np.zeros(4 * H))
    >>> dx, dh, dc, *_ = lstm_cell_backward(np.zeros((1, H)), np.ones((1, H)), cache)
    >>> dc  # along the cell path alone the gradient is multiplied by f = 0.5
    array([[0.5, 0.5]])
    """
    check_cache(cache, LSTMCellCache, "lstm_cell_forward")
    x, h, c, w_ih, w_hh, i, f, g, o, tanh_c = cache
    dh_next = _check_grad(dh_next, tanh_c, "dh_next")
    dc_next = _check_grad(dc_next, tanh_c, "dc_next")
    do = dh_next * tanh_c
    dc_total = dc_next + dh_next * o * (1 - tanh_c**2)  # both paths into c_next
    di, df, dg, dc = dc_total * g, dc_total * c, dc_total * i, dc_total * f
    da = np.concatenate(  # back through σ' = σ(1 − σ) and tanh' = 1 − tanh², order i, f, g, o
        [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1
    )
    dx, dh = da @ w_ih, da @ w_hh
    dw_ih, dw_hh = da.T @ x, da.T @ h
    db_ih = da.sum(axis=0)
    return dx, dh, dc, dw_ih, dw_hh, db_ih, db_ih.copy()
