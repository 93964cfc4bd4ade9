"""``python -m autograd EXPRESSION name=number ... -o FILE``: see ``autograd.cli``.

The same command is installed as ``chainrule``.
"""

import sys

from autograd.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m autograd"))
