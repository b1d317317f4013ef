"""``python -m hemcell`` runs the command line."""

import sys

from hemcell.cli import main

sys.exit(main())
