"""Check derivatives: central differences, gradcheck at any order, the wrong rule, exactly.

    >>> from autograd.testing import gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [0.3, -1.2], order=2)
    True

* ``gradcheck``: backprop against Richardson-extrapolated central differences,
  every order up to ``order``, every input or one random direction;
* ``find_wrong_rule``: the node whose own rule is off, when gradcheck fails;
* ``exact_check``: for graphs of + - * / and whole powers, backprop against
  exact rational arithmetic, with no differences at all;
* ``check_backward``: a book-style numpy layer's hand-written backward
  against chainrule's gradients, element by element;
* ``check_engine``: another autograd engine (a learner's micrograd, an engine in
  another language) graded against chainrule's answers, each wrong rule named;
* ``autograd.testing.expressions`` and ``.strategies``: random expression
  graphs for hypothesis (a test extra).
"""

from autograd.testing.differences import Estimate, derivative
from autograd.testing.engine_check import EngineReport, Finding, check_engine
from autograd.testing.exact import EXACT_OPS, exact_check
from autograd.testing.gradcheck import GradcheckError, gradcheck, numerical_gradient
from autograd.testing.layers import BackwardMismatch, ForwardMismatch, Mismatch, check_backward
from autograd.testing.rules import RuleMismatch, check_rules, find_wrong_rule

__all__ = [
    "EXACT_OPS", "BackwardMismatch", "EngineReport", "Estimate", "Finding", "ForwardMismatch",
    "GradcheckError", "Mismatch",
    "RuleMismatch",
    "check_backward", "check_engine", "check_rules",
    "derivative", "exact_check", "find_wrong_rule", "gradcheck", "numerical_gradient",
]
