"""``python -m autograd.testing.engine_check ENGINE ...``: see ``command.py``."""

import sys

from autograd.testing.engine_check.command import main

sys.exit(main(prog="python -m autograd.testing.engine_check"))
