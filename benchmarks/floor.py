"""The floor: the same training steps written by hand in plain Python floats.

No graph and no node objects. Forward keeps each layer's activations, and
backward walks them by hand. This is the fastest a pure-Python scalar
approach can be, and the yardstick for chainrule's overhead.

A model is a list of layers; a layer is (weights, biases) with one weight
row per neuron. Hidden layers use relu, and the last layer is linear.
"""

from __future__ import annotations

import math
from operator import add, mul


def forward(layers, x):
    """Activations of every layer: [x, h1, ..., output]."""
    activations = [x]
    last = len(layers) - 1
    for index, (weights, biases) in enumerate(layers):
        inputs = activations[-1]
        z = [sum(map(mul, row, inputs)) + b for row, b in zip(weights, biases, strict=True)]
        activations.append(z if index == last else [v if v > 0 else 0.0 for v in z])
    return activations


def backward(layers, activations, d_output, grads):
    """Add d(loss)/d(parameter) into ``grads`` (same shape as ``layers``)."""
    last = len(layers) - 1
    d = d_output
    for index in range(last, -1, -1):
        weights, _ = layers[index]
        grad_weights, grad_biases = grads[index]
        inputs = activations[index]
        if index != last:  # relu: pass the gradient where the output was positive
            d = [g if a > 0 else 0.0 for g, a in zip(d, activations[index + 1], strict=True)]
        for j, g in enumerate(d):
            if g:
                grad_weights[j] = list(map(add, grad_weights[j], [g * a for a in inputs]))
                grad_biases[j] += g
        if index:
            d = [sum(map(mul, column, d)) for column in zip(*weights, strict=True)]


def zero_grads(layers):
    return [([[0.0] * len(row) for row in weights], [0.0] * len(biases))
            for weights, biases in layers]


def moons_step(layers, xs, ys, lr, alpha=1e-4):
    """Hinge + L2 loss over the batch, its gradients, then an SGD update. Returns (loss, grads)."""
    grads = zero_grads(layers)
    n = len(xs)
    data_loss = 0.0
    for x, y in zip(xs, ys, strict=True):
        activations = forward(layers, x)
        score = activations[-1][0]
        margin = 1 - y * score
        if margin > 0:
            data_loss += margin
            backward(layers, activations, [-y / n], grads)
    squares = 0.0
    for (weights, biases), (grad_weights, grad_biases) in zip(layers, grads, strict=True):
        for row, grad_row in zip(weights, grad_weights, strict=True):
            squares += sum(map(mul, row, row))
            grad_row[:] = [g + 2 * alpha * w for g, w in zip(grad_row, row, strict=True)]
        squares += sum(map(mul, biases, biases))
        grad_biases[:] = [g + 2 * alpha * b for g, b in zip(grad_biases, biases, strict=True)]
    loss = data_loss / n + alpha * squares
    for (weights, biases), (grad_weights, grad_biases) in zip(layers, grads, strict=True):
        for row, grad_row in zip(weights, grad_weights, strict=True):
            row[:] = [w - lr * g for w, g in zip(row, grad_row, strict=True)]
        biases[:] = [b - lr * g for b, g in zip(biases, grad_biases, strict=True)]
    return loss, grads


def digits_step(layers, xs, targets):
    """Mean softmax cross-entropy over the batch and its gradients (no update)."""
    grads = zero_grads(layers)
    n = len(xs)
    total = 0.0
    for x, target in zip(xs, targets, strict=True):
        activations = forward(layers, x)
        z = activations[-1]
        m = max(z)
        exps = [math.exp(v - m) for v in z]
        s = sum(exps)
        total += math.log(s) + m - z[target]
        d = [e / s / n for e in exps]
        d[target] -= 1 / n
        backward(layers, activations, d, grads)
    return total / n, grads


def chain(steps, k=1.0000001, c=1e-7):
    """y = y*k + c, `steps` times from y = 1, and dy/dy0 by a backward loop."""
    y = 1.0
    for _ in range(steps):
        y = y * k + c
    grad = 1.0
    for _ in range(steps):
        grad *= k
    return y, grad
