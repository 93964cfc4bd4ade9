"""``python -m autograd.draw EXPRESSION name=number ... -o FILE``: see ``autograd.cli``.

In Python, ``autograd.draw`` is the drawing function (``autograd.diagram.draw``).
This module only runs the command line, so import ``autograd.diagram`` or
``autograd.cli`` rather than this module.
"""

import sys

from autograd.cli import main

if __name__ == "__main__":
    sys.exit(main())
