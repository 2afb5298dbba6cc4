"""``python -m payamak.cli``: the ``payamak`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
