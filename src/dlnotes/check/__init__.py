"""Self-checking exercises: call a checker with your function and read its Chinese verdict.

Each implement-it exercise of the book names one checker here, grouped by chapter. A checker
runs your function on hidden random inputs (some of them extreme), compares the result with the
reference implementation in dlnotes, and returns a :class:`CheckResult`: truthy when correct, and
shown in a notebook as a message that says “正确！” or what is wrong (the shape, a transpose, a
constant factor, the sign, NaN or inf, an ignored input, a typical mistake of that exercise, an
exception), without revealing the answer.

>>> import numpy as np
>>> from dlnotes import check
>>> check.softmax_rows(lambda z: np.ones_like(z))
没有归一化：每一行（一个样本的各类概率）之和应为 1。
"""

from dlnotes.check._diagnose import CheckResult
from dlnotes.check.activations_losses import cross_entropy_grad
from dlnotes.check.attention import masked_attention
from dlnotes.check.backpropagation import dense_backward
from dlnotes.check.boxes import box_iou_pairs
from dlnotes.check.classification import softmax_rows
from dlnotes.check.cnn_end_to_end import batch_norm_train
from dlnotes.check.cnn_layers import max_pool
from dlnotes.check.convolution import cross_correlate
from dlnotes.check.detection import ssd_encode
from dlnotes.check.edges import luma
from dlnotes.check.gan import nonsaturating_grad
from dlnotes.check.generalization import ridge_fit
from dlnotes.check.gradient_descent import descent_step
from dlnotes.check.least_squares import line_fit
from dlnotes.check.neural_net import neuron_gradients
from dlnotes.check.optimizers import momentum_step
from dlnotes.check.preliminaries import quadratic_gradient
from dlnotes.check.recurrent import rnn_step

__all__ = [
    "CheckResult",
    "softmax_rows",
    "rnn_step",
    "masked_attention",
    "nonsaturating_grad",
    "ssd_encode",
    "quadratic_gradient",
    "line_fit",
    "descent_step",
    "neuron_gradients",
    "ridge_fit",
    "dense_backward",
    "cross_entropy_grad",
    "momentum_step",
    "cross_correlate",
    "max_pool",
    "batch_norm_train",
    "luma",
    "box_iou_pairs",
]
