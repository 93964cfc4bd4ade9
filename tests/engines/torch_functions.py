"""A learner's own torch.autograd.Functions: tanh right, and tanh with its slope 1 - y."""

import torch


class MyTanh(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y * y)


class BadTanh(MyTanh):
    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y)


class DetachedTanh(MyTanh):
    """Right as a number, wrong as a function: the saved y is detached, so the slope
    1 - y² is a constant to a second differentiation."""

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * (1 - y.detach() ** 2)
