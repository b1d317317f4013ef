"""``python -m hemcell`` runs the command line."""

import sys

from hemcell.cli.main import main

sys.exit(main())
