"""Linear regression: closed-form least squares, gradient descent and a one-neuron network."""

from dlnotes.linear.least_squares import intercept, least_squares, normal_equation, slope

__all__ = ["intercept", "least_squares", "normal_equation", "slope"]
