"""Run hemcell's benchmarks: ``python benchmarks/run.py [--out DIR] [--only NAME] [--repeats N]``.

Same as ``hemcell bench``. Every benchmark is timed against a baseline measured in the
same run; the ratios are printed and written to ``DIR/bench.json`` and ``DIR/bench.csv``.
``--repeats N`` times every benchmark N times; without it each is timed 5 times, or its own
count where it sets one (the slow anode benchmarks: 3).
"""

import sys

from hemcell.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
