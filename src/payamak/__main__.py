"""The ``payamak`` console script (and ``python -m payamak``).

Kept outside ``payamak.cli`` so that, without the ``cli`` extra, the command says in one line
which extra to install and exits 1, instead of failing with a traceback while importing.
"""

from __future__ import annotations

import sys

from ._extras import require_extra

__all__ = ["main"]


def main() -> int:
    """Run the ``payamak`` command; returns its exit status."""
    require_extra("payamak", "cli", command=True)
    from payamak.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
