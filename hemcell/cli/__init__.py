"""The ``hemcell`` command line and the demos: the top layer, which nothing imports.

:func:`main` is the console-script entry point; :mod:`hemcell.cli.main` holds the app and
the ``params``/``demo``/``validate``/``bench`` commands, and one module per command group
(``cell``, ``surface``, ``limetal``, ``sweep``, ``composition``) holds the rest.
"""

from __future__ import annotations

from hemcell.cli.main import main

__all__ = ["main"]
