"""Lithium-metal cells with bare or HEA-coated Li (seed 004): Li‖LFP, Li‖Li, Li‖Cu.

One mechanism per module:

- :mod:`~hemcell.laws` (shared): the film drop h/κ_c, Butler–Volmer, Arrhenius, i₀ ↔ R_ct;
- :mod:`~hemcell.limetal.kinetics`: Li plating/stripping kinetics (Butler–Volmer,
  exchange current from the measured charge-transfer resistance, Arrhenius, focusing);
- :mod:`~hemcell.limetal.losses`: Li lost to SEI and dead Li per plated charge, and the
  resistance of the dead-Li/SEI layer it leaves behind;
- :mod:`~hemcell.limetal.nucleation`: classical heterogeneous nucleation of Li on Cu;
- :mod:`~hemcell.limetal.parameters`: typed SI parameters built from the sets;
- :mod:`~hemcell.limetal.halfcell`: the Li‖LFP half-cell (PyBaMM DFN) and rate test;
- :mod:`~hemcell.limetal.cycling`, :mod:`~hemcell.limetal.symmetric`,
  :mod:`~hemcell.limetal.licu`: the cell tests;
- :mod:`~hemcell.workflows.coupling`: the current focusing factor from the surface model;
- :mod:`~hemcell.workflows.limetal_fit`: fits that write ``calibrated`` values;
- :mod:`~hemcell.workflows.limetal`, :mod:`~hemcell.cli.limetal`, :mod:`~hemcell.limetal.plots`,
  :mod:`~hemcell.cli.demo_limetal`: commands, figures and the bare-vs-coated demo.

See ``docs/limetal.md`` for the physics, the decisions and the validation results.

Importing this package is light: PyBaMM is imported inside the functions that need it.
"""
