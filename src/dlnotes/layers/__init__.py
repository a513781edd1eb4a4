"""Neural-network layers in numpy, with forward and backward passes.

Every function uses PyTorch's layouts: images (N, C, H, W), convolution
kernels (F, C, HH, WW). Use ``nhwc_to_nchw`` and ``hwio_to_oihw`` to convert
the lecture notes' (N, H, W, C) images and (HH, WW, C, F) kernels.

Conventions:

* ``*_forward(...)`` returns ``(out, cache)`` (batch norm also returns the
  new running statistics); ``*_backward(dout, cache)`` returns the
  gradients with respect to the forward's array arguments.
* No function modifies its arguments, and a cache never holds the caller's
  arrays: updating ``w`` in place between forward and backward (an
  optimiser step) leaves the gradients of that backward unchanged.
* float32 inputs are computed in float32, float64 in float64.
* Every forward and backward is tested against PyTorch's autograd.

This package imports only numpy.

>>> import numpy as np
>>> from dlnotes.layers import conv2d_forward, conv2d_backward
>>> x, w, b = np.ones((2, 3, 8, 8)), np.ones((4, 3, 3, 3)), np.zeros(4)
>>> out, cache = conv2d_forward(x, w, b, padding=1)
>>> dx, dw, db = conv2d_backward(np.ones_like(out), cache)
>>> out.shape, dx.shape, dw.shape, db.shape
((2, 4, 8, 8), (2, 3, 8, 8), (4, 3, 3, 3), (4,))
"""

from dlnotes.layers.activations import (
    ActivationCache,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from dlnotes.layers.attention import multi_head_attention_forward, scaled_dot_product_attention
from dlnotes.layers.batchnorm import BatchNormCache, batchnorm_backward, batchnorm_forward
from dlnotes.layers.conv import (
    Conv2dCache,
    conv2d_backward,
    conv2d_forward,
    conv2d_naive,
    conv2d_nhwc_loop,
)
from dlnotes.layers.dense import LinearCache, linear_backward, linear_forward
from dlnotes.layers.dropout import DropoutCache, dropout_backward, dropout_forward
from dlnotes.layers.layout import hwio_to_oihw, nchw_to_nhwc, nhwc_to_nchw, oihw_to_hwio
from dlnotes.layers.losses import (
    binary_focal_loss,
    log_softmax,
    mse_loss,
    softmax,
    softmax_cross_entropy,
)
from dlnotes.layers.pooling import (
    PoolCache,
    avgpool2d_backward,
    avgpool2d_forward,
    maxpool2d_backward,
    maxpool2d_forward,
)
from dlnotes.layers.recurrent import (
    LSTMCellCache,
    RNNCellCache,
    lstm_cell_backward,
    lstm_cell_forward,
    rnn_cell_backward,
    rnn_cell_forward,
)
from dlnotes.layers.sizes import conv_output_size
from dlnotes.layers.transformer import (
    EncoderLayerParams,
    layer_norm,
    sinusoidal_positional_encoding,
    transformer_encoder_layer_forward,
)

__all__ = [
    "linear_forward",
    "linear_backward",
    "relu_forward",
    "relu_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_naive",
    "conv2d_nhwc_loop",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
    "dropout_forward",
    "dropout_backward",
    "batchnorm_forward",
    "batchnorm_backward",
    "softmax",
    "log_softmax",
    "softmax_cross_entropy",
    "mse_loss",
    "binary_focal_loss",
    "nhwc_to_nchw",
    "nchw_to_nhwc",
    "hwio_to_oihw",
    "oihw_to_hwio",
    "conv_output_size",
    "rnn_cell_forward",
    "rnn_cell_backward",
    "lstm_cell_forward",
    "lstm_cell_backward",
    "scaled_dot_product_attention",
    "multi_head_attention_forward",
    "sinusoidal_positional_encoding",
    "layer_norm",
    "transformer_encoder_layer_forward",
    "EncoderLayerParams",
    "LinearCache",
    "Conv2dCache",
    "PoolCache",
    "DropoutCache",
    "BatchNormCache",
    "ActivationCache",
    "RNNCellCache",
    "LSTMCellCache",
]
