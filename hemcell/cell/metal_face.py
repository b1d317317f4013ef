"""The electrolyte's salt flux at a metal counter electrode, exact on PyBaMM's finite volumes.

At the metal face of a half cell (x = 0, where the separator starts) the cell current
crosses as cations only: the electrolyte's flux there is N_e = i/F, its migration part
t₊ i/F and its diffusive part (1 − t₊) i/F. PyBaMM imposes the diffusive part as a
gradient, a Neumann condition on c_e,

    ∂c_e/∂x |₀ = −(1 − t₊) i / (F tor D_e),

and its finite volumes multiply that face's gradient by tor D_e(c_e) taken to the face by
linear extrapolation from the first two nodes (``FiniteVolume.shift``'s exterior edge,
the same extrapolation as ``pybamm.boundary_value``). PyBaMM's DFN half cell
(``electrolyte_diffusion.Full.set_boundary_conditions``, as of PyBaMM 26.10) divides by
the extrapolated *reciprocal*, ``boundary_value(1/(tor D_e))``: wherever D_e(c_e) varies
across the first cell, 1/extrap(1/f) ≠ extrap(f), the face passes (1 − t₊) i/F times
their ratio, and salt leaves or enters the cell (the HE-NVPF half cell at 5C lost
7.4e-4 of its salt over a charge and discharge). :func:`metal_face_concentration_gradient`
divides by the extrapolated tor D_e itself, so the face passes exactly (1 − t₊) i/F and
the salt ∫ε c_e dx is conserved to the solver's tolerance. The same law holds at the
metal face of hemcell's HEM half cell (:mod:`hemcell.cell.model`, ``_build_p2d``).

:class:`MetalFaceDFN` is PyBaMM's ``lithium_ion.DFN`` with that condition, the model of
the cathode half cells (``cathode_half_cell_p2d``); with a negative electrode (a full
cell) the left face is a current collector and nothing changes.
"""

from __future__ import annotations

from typing import Any

import pybamm


def metal_face_concentration_gradient(t_plus: Any, tor_D_e: Any, current_density: Any,
                                      faraday: Any) -> Any:
    """∂c_e/∂x at the metal face x = 0 [mol m⁻⁴] that passes exactly (1 − t₊) i/F of
    salt by diffusion on PyBaMM's finite volumes (module docstring).

    Parameters
    ----------
    t_plus
        Cation transference number t₊(c_e, T) on the electrolyte's nodes.
    tor_D_e
        Transport efficiency times salt diffusivity, tor D_e(c_e, T) [m² s⁻¹], on the
        nodes: the product whose face value the finite volumes multiply the gradient by.
    current_density
        Cell current density i [A m⁻²] (> 0 on discharge: cations leave the metal).
    faraday
        Faraday's constant [C mol⁻¹].

    Returns
    -------
    pybamm.Symbol
        −(1 − t₊|₀) i / (F (tor D_e)|₀), both face values by PyBaMM's linear extrapolation.
    """
    return (-(1 - pybamm.boundary_value(t_plus, "left")) * current_density
            / (faraday * pybamm.boundary_value(tor_D_e, "left")))


class MetalFaceElectrolyteDiffusion(pybamm.electrolyte_diffusion.Full):
    """PyBaMM's full electrolyte diffusion with the metal face's flux of
    :func:`metal_face_concentration_gradient` (half cells: the whole cell starts with the
    separator); otherwise PyBaMM's own boundary conditions."""

    def set_boundary_conditions(self, variables: dict[str, Any]) -> None:
        """PyBaMM's conditions, the metal face's replaced (module docstring)."""
        super().set_boundary_conditions(variables)
        if self.options.whole_cell_domains[0] != "separator":
            return
        c_e = variables["Electrolyte concentration [mol.m-3]"]
        temperature = variables["Cell temperature [K]"]
        tor = variables["Electrolyte transport efficiency"]
        left = (metal_face_concentration_gradient(
            self.param.t_plus(c_e, temperature), tor * self.param.D_e(c_e, temperature),
            variables["Current collector current density [A.m-2]"], self.param.F),
            "Neumann")
        for var in self.boundary_conditions.values():
            var["left"] = left


class MetalFaceDFN(pybamm.lithium_ion.DFN):
    """PyBaMM's ``lithium_ion.DFN`` whose electrolyte diffusion is
    :class:`MetalFaceElectrolyteDiffusion` (the same options, variables and outputs)."""

    def set_electrolyte_concentration_submodel(self) -> None:
        """The electrolyte diffusion with the exact metal-face flux."""
        self.submodels["electrolyte diffusion"] = MetalFaceElectrolyteDiffusion(
            self.param, self.options)
