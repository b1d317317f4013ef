"""Coated vs bare lithium surface: a 2D/3D FEniCSx model (docs/theory.md §3).

Li⁺ transport in a binary-salt electrolyte above a lithium surface, Butler–Volmer
deposition kinetics (heterogeneous native SEI on bare Li, uniform kinetics under a
single-ion-conducting coating), and small-strain elasticity of the lithium and the
coating coupled to the kinetics through the Li molar volume.

One mechanism per module:

========================  ==========================================================
``geometry``              gmsh geometry and mesh, region and facet tags
``parameters``            :class:`SurfaceParameters` (typed SI floats) and loading
``kinetics``              Butler–Volmer, Arrhenius, exchange-current fields
``electrolyte``           concentrated-solution binary-salt transport (c, φ)
``coating``               single-ion conductor, resolved and thin-layer forms
``thin_film``             the thin-layer film's bound: thinner than the troughs' radius
``mechanics``             linear elasticity, stack pressure, growth strain
``solver``                SNES set-up, staggered electro-chemo-mechanical coupling
``transient``             time stepping, Sand's time, moving boundary, remeshing
``transient_output``      time series, frames/animation, VTX over time, comparisons
``metrics``               scalar results (focusing factor, stresses, ...)
``analytic``              hand results the model is verified against
``phasefield``            phase-field dendrite morphology (Allen–Cahn + Butler–Volmer)
``phasefield_output``     its metrics, time series, frames/animation, VTX/VTK fields
``output``                VTX fields for ParaView, PNG maps, comparison figure
``run``                   parameter sets → parameters, ``run`` and ``compare``
``cli``                   ``hemcell surface run|compare [--transient]``
========================  ==========================================================

This package imports DOLFINx, gmsh and PETSc only inside its submodules, so
``import hemcell.surface`` stays light.
"""

from __future__ import annotations

__all__: list[str] = []
