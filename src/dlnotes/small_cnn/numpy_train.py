"""Training the small CNN in numpy: the backward pass through ``dlnotes.layers``, and SGD.

:func:`numpy_loss_and_grads` runs the network forward in training mode,
keeping every layer's cache, then calls the layers' ``*_backward`` functions
in reverse order. :func:`sgd_step` moves the parameters against the
gradients, as ``torch.optim.SGD(lr=lr)`` does; :func:`numpy_train_step` does
both, and also keeps batch norm's new running statistics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes import layers as L
from dlnotes.checks import as_float_array, check_finite, check_scalar, check_shape
from dlnotes.shapes import (
    BatchNorm1dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    trace_shapes,
)
from dlnotes.small_cnn.numpy_model import _check_forward, _layer_forward
from dlnotes.small_cnn.spec import SmallCNNParams, Spec

__all__ = ["LossAndGrads", "numpy_loss_and_grads", "sgd_step", "numpy_train_step"]


class LossAndGrads(NamedTuple):
    """What one training-mode forward and backward pass gives.

    ``grads`` has one entry per trainable parameter, by its ``params`` key
    (``"conv1.weight"``, ..., ``"bn.bias"``), in the parameter's layout;
    ``running_stats`` holds batch norm's updated ``"bn.running_mean"`` and
    ``"bn.running_var"``; ``logits`` is the network's (N, num_classes) output.
    """

    loss: float
    grads: dict[str, np.ndarray]
    running_stats: dict[str, np.ndarray]
    logits: np.ndarray


def numpy_loss_and_grads(
    params: Mapping[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    *,
    rng: int | np.random.Generator | None = None,
    dropout_keep: ArrayLike | None = None,
    spec: Spec | None = None,
) -> LossAndGrads:
    """Mean cross-entropy of the network in training mode, and its gradients.

    Training mode, as ``model.train()``: dropout drops units, batch norm
    normalises with the statistics of this batch (and updates its running
    statistics, which are returned, not written into ``params``).

    Parameters
    ----------
    params : dict from :func:`export_params`
        Torch layouts, float64 or float32 (the computation keeps that dtype).
    x : array_like, shape (N, C, H, W)
    y : array_like of int, shape (N,)
        Class labels in [0, num_classes).
    rng : None, int or numpy.random.Generator
        Source of the dropout mask when ``dropout_keep`` is not given.
    dropout_keep : array_like of bool, shape (N, D), optional
        The dropout mask to use (True keeps a unit, which is then scaled by
        1/(1-p)), e.g. the mask a torch run used, so that both runs agree.
    spec : dict, optional
        The layers, as in :func:`numpy_forward` (by default those of params).

    Returns
    -------
    LossAndGrads
        ``loss``, ``grads`` (shapes of the parameters), ``running_stats``, ``logits``.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnotes.small_cnn import build_small_cnn, export_params
    >>> params = export_params(build_small_cnn(dropout=0.0).double())
    >>> x, y = np.random.default_rng(0).random((4, 3, 28, 28)), np.array([0, 1, 2, 3])
    >>> result = numpy_loss_and_grads(params, x, y)
    >>> result.grads["conv1.weight"].shape, sorted(result.running_stats)
    ((32, 3, 5, 5), ['bn.running_mean', 'bn.running_var'])
    """
    spec, out, weights, y, keep = _check_train(params, x, y, spec, dropout_keep)
    caches, running = [], {}
    for name, layer in spec.items():  # forward, keeping each layer's cache
        out, cache, stats = _layer_forward(layer, weights[name], out, True, rng, keep)
        caches.append((name, layer, cache))
        if stats is not None:
            running[f"{name}.running_mean"], running[f"{name}.running_var"] = stats
    loss, dout = L.softmax_cross_entropy(out, y)
    grads = {}
    for name, layer, cache in reversed(caches):  # backward: each layer's own backward pass
        if isinstance(layer, Conv2dSpec):
            dout, grads[f"{name}.weight"], grads[f"{name}.bias"] = L.conv2d_backward(dout, cache)
        elif isinstance(layer, MaxPool2dSpec):
            dout = L.maxpool2d_backward(dout, cache)
        elif isinstance(layer, FlattenSpec):
            dout = dout.reshape(cache)  # cache: the input shape (N, C, H, W)
        elif isinstance(layer, LinearSpec):
            dout, dw, grads[f"{name}.bias"] = L.linear_backward(dout, cache)
            grads[f"{name}.weight"] = dw.T  # back to torch's (D_out, D_in)
        elif isinstance(layer, DropoutSpec):
            dout = L.dropout_backward(dout, cache)
        elif isinstance(layer, BatchNorm1dSpec):
            dout, grads[f"{name}.weight"], grads[f"{name}.bias"] = L.batchnorm_backward(dout, cache)
        else:  # ReLUSpec
            dout = L.relu_backward(dout, cache)
        if getattr(layer, "bias", True) is False:  # a layer built without bias has none
            grads.pop(f"{name}.bias")
    return LossAndGrads(loss, grads, running, out)


def sgd_step(
    params: Mapping[str, np.ndarray], grads: Mapping[str, ArrayLike], lr: float
) -> SmallCNNParams:
    """Plain stochastic gradient descent, ``p - lr * grad``, as ``torch.optim.SGD(lr=lr)``.

    Parameters
    ----------
    params : dict from :func:`export_params`
        Not modified.
    grads : dict, ``grads[key].shape == params[key].shape``
        The gradients of some of the keys, e.g. ``numpy_loss_and_grads(...).grads``.
    lr : float > 0
        Learning rate.

    Returns
    -------
    SmallCNNParams
        New arrays (dtypes of params): the keys of ``grads`` moved, the others copied;
        the layers of ``params.spec``, if params has them.

    Examples
    --------
    >>> import numpy as np
    >>> new = sgd_step({"fc2.bias": np.array([1.0, 2.0])}, {"fc2.bias": np.array([1.0, -1.0])}, 0.5)
    >>> new["fc2.bias"]
    array([0.5, 2.5])
    """
    grads, lr = _check_sgd(params, grads, lr)
    arrays = {
        key: value - lr * grads[key] if key in grads else value.copy()
        for key, value in params.items()
    }
    return SmallCNNParams(arrays, getattr(params, "spec", None))


def numpy_train_step(
    params: Mapping[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    lr: float,
    *,
    rng: int | np.random.Generator | None = None,
    dropout_keep: ArrayLike | None = None,
) -> tuple[SmallCNNParams, LossAndGrads]:
    """One training step: gradients, an SGD step and batch norm's new running statistics.

    The same as ``model.train(); loss = CrossEntropyLoss()(model(x), y);
    loss.backward(); SGD(model.parameters(), lr).step()`` in torch.

    Parameters
    ----------
    params, x, y, rng, dropout_keep
        As in :func:`numpy_loss_and_grads`.
    lr : float > 0
        Learning rate.

    Returns
    -------
    new_params : SmallCNNParams
        The updated parameters and running statistics (``params`` is not modified).
    result : LossAndGrads
        The loss, gradients and logits at the old parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnotes.small_cnn import build_small_cnn, export_params, init_weights
    >>> params = export_params(init_weights(build_small_cnn(), "he", seed=0))
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.random((8, 3, 28, 28)), rng.integers(0, 10, 8)
    >>> losses = []
    >>> for _ in range(5):
    ...     params, result = numpy_train_step(params, x, y, 0.05, rng=rng)
    ...     losses.append(result.loss)
    >>> bool(losses[-1] < losses[0])
    True
    """
    result = numpy_loss_and_grads(params, x, y, rng=rng, dropout_keep=dropout_keep)
    new = sgd_step(params, result.grads, lr)
    for key, value in result.running_stats.items():
        new[key] = value.astype(new[key].dtype, copy=False)
    return new, result


def _check_train(
    params: Mapping[str, np.ndarray],
    x: ArrayLike,
    y: ArrayLike,
    spec: Spec | None,
    dropout_keep: ArrayLike | None,
) -> tuple[Spec, np.ndarray, dict[str, dict[str, np.ndarray]], np.ndarray, np.ndarray | None]:
    """Validate numpy_loss_and_grads' input; return spec, x, the weights, y and the keep-mask."""
    spec, x, weights = _check_forward(params, x, spec, True)
    shapes = trace_shapes(x.shape, list(spec.values()))  # also checks x against the layers
    n, num_classes = shapes[-1].output_shape
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
    check_shape(y, (n,), "y", f"(N,), one label per image of x of shape {x.shape}")
    if n and (y.min() < 0 or y.max() >= num_classes):
        bad = int(np.flatnonzero((y < 0) | (y >= num_classes))[0])
        raise ValueError(
            f"y must lie in [0, num_classes) = [0, {num_classes}), got {y[bad]} at index {bad}"
        )
    if dropout_keep is None:
        return spec, x, weights, y, None
    dropouts = [k for k, layer in enumerate(spec.values()) if isinstance(layer, DropoutSpec)]
    if len(dropouts) != 1:
        raise ValueError(
            f"dropout_keep needs a network with exactly one Dropout layer, got {len(dropouts)}"
        )
    keep = np.asarray(dropout_keep)
    if keep.dtype != bool:
        raise TypeError(f"dropout_keep must be a boolean array, got dtype {keep.dtype}")
    check_shape(keep, shapes[dropouts[0]].output_shape, "dropout_keep", "(the dropout's input)")
    return spec, x, weights, y, keep


def _check_sgd(
    params: Mapping[str, np.ndarray], grads: Mapping[str, ArrayLike], lr: float
) -> tuple[dict[str, np.ndarray], float]:
    """Validate sgd_step's input; return the gradients in the parameters' dtypes and lr."""
    for what, value in (("params", params), ("grads", grads)):
        if not isinstance(value, Mapping):
            raise TypeError(f"{what} must be a dict of arrays, got {type(value).__name__}")
    lr = check_scalar(lr, "lr", float, min_val=0, include_boundaries="neither")
    checked: dict[str, Any] = {}
    for key, g in grads.items():
        if key not in params:
            raise ValueError(
                f"grads has key {key!r} that params lacks; params has keys {sorted(params)}"
            )
        g = as_float_array(g, f"grads[{key!r}]")
        check_shape(g, params[key].shape, f"grads[{key!r}]", f"(the shape of params[{key!r}])")
        check_finite(g, f"grads[{key!r}]")
        checked[key] = g.astype(params[key].dtype, copy=False)
    return checked, lr
