"""The lecture notes' small convolutional network, in PyTorch and in numpy.

Architecture (input (N, 3, 28, 28), PyTorch's NCHW layout)::

    conv1  Conv2d(3→32, 5×5, stride 2, padding 2) → relu1 → pool1 MaxPool2d(2)
    conv2  Conv2d(32→64, 3×3, stride 2, padding 1) → relu2 → pool2 MaxPool2d(2)
    flatten → fc1 Linear(256→128) → head → fc2 Linear(128→10)

``head`` is ReLU → Dropout → BatchNorm1d in the notes' order
(``order="relu-dropout-bn"``) or BatchNorm1d → ReLU → Dropout
(``order="bn-relu-dropout"``), the more common order.

The network ends with **logits**, not probabilities: there is no softmax
layer, because ``torch.nn.CrossEntropyLoss`` applies log-softmax itself.
Apply ``softmax`` only when probabilities are wanted, at prediction time.

One description, :func:`small_cnn_spec`, drives everything: it gives the
shape table (``dlnotes.shapes.trace_shapes``), the torch model
(:func:`build_small_cnn`) and the numpy forward pass (:func:`numpy_forward`).
:func:`export_params` reads the layers back from a model and keeps them with
the weights, so ``numpy_forward(export_params(model), x)`` runs the layers of
that model, in its order. Only :func:`build_small_cnn`, :func:`export_params`
and :func:`init_weights` need torch, and they import it when called.

One module per part: :mod:`~dlnotes.small_cnn.spec` (the description),
:mod:`~dlnotes.small_cnn.torch_model` (torch), :mod:`~dlnotes.small_cnn.numpy_model`
(numpy) and :mod:`~dlnotes.small_cnn.numpy_train` (the numpy backward pass and SGD:
:func:`numpy_loss_and_grads`, :func:`sgd_step`, :func:`numpy_train_step`).

>>> import numpy as np
>>> import torch
>>> model = build_small_cnn(order="bn-relu-dropout").double().eval()
>>> x = np.random.default_rng(0).random((2, 3, 28, 28))
>>> ours = numpy_forward(export_params(model), x)
>>> bool(np.allclose(ours, model(torch.from_numpy(x)).detach().numpy(), rtol=0, atol=1e-12))
True
"""

from dlnotes.small_cnn.numpy_model import numpy_forward
from dlnotes.small_cnn.numpy_train import (
    LossAndGrads,
    numpy_loss_and_grads,
    numpy_train_step,
    sgd_step,
)
from dlnotes.small_cnn.spec import INIT_SCHEMES, ORDERS, SmallCNNParams, small_cnn_spec
from dlnotes.small_cnn.torch_model import build_small_cnn, export_params, init_weights

__all__ = [
    "ORDERS",
    "INIT_SCHEMES",
    "SmallCNNParams",
    "small_cnn_spec",
    "build_small_cnn",
    "export_params",
    "numpy_forward",
    "init_weights",
    "LossAndGrads",
    "numpy_loss_and_grads",
    "sgd_step",
    "numpy_train_step",
]
