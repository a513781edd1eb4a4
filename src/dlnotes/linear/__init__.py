"""Linear regression: closed-form least squares, gradient descent and a one-neuron network."""

from dlnotes.linear.gradient_descent import (
    GradientDescentResult,
    gradient_descent,
    mse_cost,
    mse_gradients,
)
from dlnotes.linear.least_squares import intercept, least_squares, normal_equation, slope
from dlnotes.linear.neural_net import NeuralNet

__all__ = [
    "intercept",
    "least_squares",
    "normal_equation",
    "slope",
    "GradientDescentResult",
    "gradient_descent",
    "mse_cost",
    "mse_gradients",
    "NeuralNet",
]
