"""Shared by the tests/small_cnn files: a small torch network built without biases."""


def small_net_without_bias():
    import torch

    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, stride=2, padding=1, bias=False),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(4 * 14 * 14, 5, bias=False),
    )
