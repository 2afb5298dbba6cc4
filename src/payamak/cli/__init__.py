"""The ``payamak`` command line (the ``cli`` extra: ``pip install 'payamak[cli]'``).

``payamak send``, ``status``, ``credit``, ``inbox``, ``providers`` and ``sandbox``; run
``payamak --help``, or ``python -m payamak.cli``. ``main`` runs it from Python and returns the
exit status.
"""

from .._extras import require_extra, running_as_module

require_extra("payamak.cli", "cli", command=running_as_module())

# The check above must run before anything that needs the extra is imported (hence E402).
from ._app import main  # noqa: E402

__all__ = ["main"]
