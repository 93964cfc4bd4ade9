"""A small engine written the way a learner writes micrograd, and copies of it with one
bug planted each: check_engine must find every bug, with the right kind and op.

``Value`` is right: gradients added up, a topological order built with a stack, every
rule as the book has it. Each subclass changes one method.
"""

from __future__ import annotations

import math
import sys


class Value:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def _make(self, data, children, op):
        return type(self)(data, children, op)

    def _lift(self, other):
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other):
        other = self._lift(other)
        out = self._make(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._lift(other)
        out = self._make(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        out = self._make(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = self._make(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = self._make(self.data if self.data > 0 else 0.0, (self,), "ReLU")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = self._make(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __truediv__(self, other):
        return self * self._lift(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self._lift(other) - self

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def topological_order(self):
        """Every node, each after the nodes it is made from, with a stack."""
        order, seen, stack = [], {id(self)}, [(self, iter(self._prev))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child._prev)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward(self):
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


class WrongTanhRule(Value):
    """tanh's slope written 1 - t instead of 1 - t²."""

    def tanh(self):
        t = math.tanh(self.data)
        out = self._make(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t) * out.grad
        out._backward = _backward
        return out


class WrongMulRule(Value):
    """d(xy)/dy written y instead of x: the inputs not swapped."""

    def __mul__(self, other):
        other = self._lift(other)
        out = self._make(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += other.data * out.grad
        out._backward = _backward
        return out


class WrongExpValue(Value):
    """exp's forward as 2 ** x: the value is wrong, its rule reads that value."""

    def exp(self):
        out = self._make(2.0**self.data, (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out


class Overwrites(Value):
    """add's backward assigns where it should add: a node used twice keeps one share."""

    def __add__(self, other):
        other = self._lift(other)
        out = self._make(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad
        out._backward = _backward
        return out


class BreadthFirst(Value):
    """backward walks breadth-first from the output: a node can hand its gradient on
    before every node that uses it has handed it a share."""

    def backward(self):
        for node in self.topological_order():
            node.grad = 0.0
        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            node._backward()
            for child in node._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)


class EveryPath(Value):
    """The topological order built by following every path (no 'seen' set), then
    deduplicated: right, but exponential on a graph whose paths double."""

    def topological_order(self):
        order, ids = [], set()

        def visit(node):
            for child in node._prev:
                visit(child)
            if id(node) not in ids:
                ids.add(id(node))
                order.append(node)
        visit(self)
        return order


class Recursive(Value):
    """micrograd's recursive topological sort: RecursionError past about 1,000 deep."""

    def topological_order(self):
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)
        visit(self)
        return order


class ReluSlopeOneAtZero(Value):
    """relu'(0) = 1: a convention, not a bug."""

    def relu(self):
        out = self._make(self.data if self.data > 0 else 0.0, (self,), "ReLU")

        def _backward():
            self.grad += (1.0 if self.data >= 0 else 0.0) * out.grad
        out._backward = _backward
        return out


class CrashesOnNegative(Value):
    """relu raises on a negative input (a comparison with None)."""

    def relu(self):
        if self.data < 0:
            raise TypeError("'<' not supported between instances of 'float' and 'NoneType'")
        return super().relu()


class PrintsFlood(Value):
    """tanh prints two megabytes on a negative input."""

    def tanh(self):
        if self.data < 0:
            print("x" * 2_000_000)
        return super().tanh()


class Exits(Value):
    """tanh calls sys.exit on a negative input."""

    def tanh(self):
        if self.data < 0:
            sys.exit(3)
        return super().tanh()


class ReplacesMathExp(Value):
    """tanh replaces math.exp on a negative input."""

    def tanh(self):
        if self.data < 0:
            math.exp = lambda x: 0.0
        return super().tanh()


class BlowsMemory(Value):
    """tanh allocates without end on a negative input."""

    def tanh(self):
        if self.data < 0:
            hoard = []
            while True:
                hoard.append(bytearray(10_000_000))
        return super().tanh()


class Hangs(Value):
    """tanh never returns on a negative input."""

    def tanh(self):
        while self.data < 0:
            pass
        return super().tanh()


class GradIsText(Value):
    """backward leaves the output's gradient as text."""

    def backward(self):
        super().backward()
        self.grad = "1.0"
