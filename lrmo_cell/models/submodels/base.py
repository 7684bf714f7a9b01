"""Shared helpers of the lumped positive-electrode oxygen submodels."""

from __future__ import annotations

import pybamm

F = pybamm.constants.F
R = pybamm.constants.R


class LumpedPositiveSubModel(pybamm.BaseSubModel):
    """A submodel with states lumped over the positive electrode (domain "current collector")."""

    def __init__(self, param, options=None):
        super().__init__(param, domain="positive", options=options)

    @staticmethod
    def scalar_state(name: str) -> pybamm.Variable:
        """A lumped state variable living on the current collector (one value in 1D cells)."""
        return pybamm.Variable(name, domain="current collector")

    @staticmethod
    def x_averaged(variables: dict, name: str) -> pybamm.Symbol:
        """The X-averaged value of a positive-electrode variable."""
        return variables[f"X-averaged positive electrode {name}"]

    @staticmethod
    def reaction_variables(reaction: str, j_av: pybamm.Symbol, a_av: pybamm.Symbol) -> dict:
        """PyBaMM-style interfacial current variables of a lumped positive-electrode reaction.

        ``j_av`` [A.m-2] is the X-averaged current density per particle surface (anodic positive)
        and ``a_av`` [m-1] the X-averaged surface area per electrode volume; the electrode-domain
        versions are broadcasts, as ``TotalInterfacialCurrent`` sums those.
        """
        a_j_av = a_av * j_av
        return {
            f"X-averaged positive electrode {reaction} interfacial current density [A.m-2]": j_av,
            f"Positive electrode {reaction} interfacial current density [A.m-2]": (
                pybamm.PrimaryBroadcast(j_av, "positive electrode")
            ),
            f"X-averaged positive electrode {reaction} volumetric interfacial current density "
            "[A.m-3]": a_j_av,
            f"Positive electrode {reaction} volumetric interfacial current density [A.m-3]": (
                pybamm.PrimaryBroadcast(a_j_av, "positive electrode")
            ),
        }

    @staticmethod
    def surface_overpotential(variables: dict, formal_potential: pybamm.Symbol) -> pybamm.Symbol:
        """Overpotential [V] of a surface reaction: surface potential difference, less the film drop
        of the densified surface layer, less the reaction's formal potential."""
        delta_phi = variables["X-averaged positive electrode surface potential difference [V]"]
        eta_film = variables["X-averaged positive electrode film overpotential [V]"]
        return delta_phi + eta_film - formal_potential
