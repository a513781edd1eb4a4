"""Linear regression: closed-form least squares, gradient descent, polynomial features, one neuron.

* ``least_squares``: the closed forms (centred by default; the textbook formulas 13, 15, 16
  on request) and the normal equation;
* ``gradient_descent``: the cost ``J = half_mse_cost`` (½ · mean squared error), its
  gradients and the descent loop;
* ``descent_result``: ``GradientDescentResult``, what a run records, and the cost along its path;
* ``polynomial``: polynomial regression, i.e. linear regression on the features 1, x, …, x^k;
* ``neural_net``: the same model written as one neuron with forward / backward / update.
"""

from dlnotes.linear.descent_result import GradientDescentResult
from dlnotes.linear.gradient_descent import (
    gradient_descent,
    half_mse_cost,
    half_mse_gradients,
    mse_cost,
    mse_gradients,
)
from dlnotes.linear.least_squares import (
    CancellationWarning,
    intercept,
    least_squares,
    normal_equation,
    slope,
)
from dlnotes.linear.neural_net import NeuralNet
from dlnotes.linear.polynomial import fit_polynomial, polynomial_features, predict_polynomial

__all__ = [
    "CancellationWarning",
    "intercept",
    "least_squares",
    "normal_equation",
    "slope",
    "GradientDescentResult",
    "gradient_descent",
    "half_mse_cost",
    "half_mse_gradients",
    "mse_cost",
    "mse_gradients",
    "NeuralNet",
    "polynomial_features",
    "fit_polynomial",
    "predict_polynomial",
]
