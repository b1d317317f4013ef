r"""Li plating/stripping kinetics at the Li metal electrode.

Butler–Volmer kinetics (Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed., eq. 8.6)
with equal transfer coefficients :math:`\alpha_a = \alpha_c = 1/2`:

.. math::

    i = 2 i_0 \sinh\!\left(\frac{F\eta}{2RT}\right)
    \quad\Longleftrightarrow\quad
    \eta = \frac{2RT}{F}\,\operatorname{arsinh}\!\left(\frac{i}{2 i_0}\right).

**Exchange current from the measured charge-transfer resistance** (the laws are
:func:`hemcell.laws.exchange_current_from_resistance` and
:func:`hemcell.laws.coated_exchange_current`; the cell's value is derived once, in
:func:`hemcell.limetal.parameters.reference_exchange_current_A_per_m2`). Linearising at
:math:`\eta \to 0` gives the area-specific charge-transfer resistance
:math:`r_{ct} = RT/(F i_0)`. Seed 004 reports the interfacial resistance of symmetric
Li‖Li cells (two identical interfaces in series) in Ohm: 64 Ω bare, 44 Ω coated (L86).
With the electrode area :math:`A` one interface has :math:`r = R A / 2`; the coating's own
Ohmic share :math:`h/\kappa_c` (:mod:`hemcell.laws`) is taken out, the rest is
charge transfer:

.. math::

    i_0(T_{ref}) = \frac{RT_{ref}}{F\,\left(R_{ct} A/2 - h/\kappa_c\right)}.

**Temperature.** Arrhenius (:func:`hemcell.laws.arrhenius_factor`) with the seed's
activation energies (27.82 vs 29.31 kJ/mol, L76) from the set's
``reference_temperature``, :math:`i_0(T) = i_0(T_{ref}) \exp[-E_a/R\,(1/T - 1/T_{ref})]`, so
:math:`r_{ct}(T) \propto T \exp(E_a/RT)`.

**Current focusing: where it enters (one rule).** The measured symmetric-cell
resistance is the small-signal response of the real, heterogeneous Li surface: whatever
current focusing that surface has is already in it (the current concentrates where the
interface conducts best, and the measurement averages over it). So

- the **cell-averaged** interface overpotential (the cell voltage's charge-transfer term
  of Li‖Li, the Li counter electrode of Li‖Cu, the Li electrode of the Li‖LFP DFN, the
  EIS model) is Butler–Volmer at the **mean** current density with that i0,
  :func:`interface_overpotential_V`; by construction its small-current resistance, plus
  the film's :math:`h/\kappa_c`, is the measured :math:`R A/2` per interface, so the
  model's Li‖Li reproduces 64 Ω (bare) and 44 Ω (coated);
- only **local** quantities see the focusing factor :math:`f = \max i_n/\bar i_n` of the
  surface model: the deposition overpotential at the hot spots, at :math:`f\bar i`
  (:func:`local_deposition_overpotential_V`), which sets the Li loss
  :math:`\lambda = k_{loss}\eta_{loc}` (:mod:`hemcell.limetal.losses`).

Nucleation on Cu (:mod:`hemcell.limetal.nucleation`) runs at the mean current density:
the focusing factor belongs to the Li surface and its native SEI, which bare Cu does not
have before the first plating, and the nucleation shape factors are calibrated on the
measured (cell-averaged) nucleation overpotentials, so any heterogeneity of the Cu is in
them.
"""

from __future__ import annotations

from hemcell.errors import InputError
from hemcell.laws import butler_volmer_overpotential_V


def interface_overpotential_V(mean_current_density_A_per_m2: float,
                              exchange_current_A_per_m2: float, temperature_K: float) -> float:
    """Cell-averaged charge-transfer overpotential of one Li interface [V] (magnitude).

    Butler–Volmer at the mean current density ``|i|`` with the i0 derived from the measured
    resistance: no focusing factor, it is already in the measurement (module docstring).
    """
    return butler_volmer_overpotential_V(abs(mean_current_density_A_per_m2),
                                         exchange_current_A_per_m2, temperature_K)


def local_deposition_overpotential_V(mean_current_density_A_per_m2: float,
                                     exchange_current_A_per_m2: float,
                                     focusing_factor: float, temperature_K: float) -> float:
    """Deposition overpotential at the hot spots, where the current is ``f`` times the mean
    [V] (magnitude); only local quantities (the Li loss) use it.

    Raises
    ------
    InputError
        A focusing factor below 1.
    """
    if focusing_factor < 1:
        raise InputError("current_focusing_factor", focusing_factor, "a factor >= 1")
    return interface_overpotential_V(mean_current_density_A_per_m2 * focusing_factor,
                                     exchange_current_A_per_m2, temperature_K)
