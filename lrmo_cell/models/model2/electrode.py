"""PyBaMM submodels of the positive electrode that Model 2 extends through their public methods.

- ``LostSitesActiveMaterial``: PyBaMM's loss of active material for one phase, driven by the
  sites that oxygen loss destroys (``SurfaceOxygenLoss``) and that migrated TMs block
  (``TMMigration``); never negative, so the host never heals.
- ``LRMOTotalInterfacialCurrent``: PyBaMM's sum of reaction currents plus the RuO2 surface oxygen
  couple, which exchanges Li+ with the electrolyte but no Li with either host. PyBaMM has no hook
  for an extra reaction of a positive electrode; this subclass extends the public
  ``get_coupled_variables`` and rebuilds the whole-cell sums with PyBaMM's own helper.
- ``EscapedOxygenCrossover``: in a full cell, escaped O2 is reduced on the graphite, four Li per O2
  (the mechanism of ``lrmo_cell.models.submodels.OxygenCrossover``, fed by Model 2's escape rate).
- ``CounterElectrodeLithium``: the Li inventory of a Li metal counter electrode, which PyBaMM does
  not track, so that the Li balance of a half cell closes over every inventory.
"""

from __future__ import annotations

import pybamm

from ..submodels.oxygen_crossover import OxygenCrossover
from .base import F


class LostSitesActiveMaterial(pybamm.active_material.LossActiveMaterial):
    """Active material of one phase lost to oxygen loss and to TMs settled in the Li layer."""

    def get_coupled_variables(self, variables):
        prefix = f"{'X-averaged p' if self.x_average else 'P'}ositive electrode {self.phase} "
        deps = sum(
            variables[f"{prefix}active material volume fraction change from {cause} [s-1]"]
            for cause in ("oxygen loss", "TM migration")
        )
        variables.update(self._get_standard_active_material_change_variables(deps))
        return variables


class LRMOTotalInterfacialCurrent(pybamm.interface.TotalInterfacialCurrent):
    """PyBaMM's total interfacial current with the RuO2 surface oxygen couple added."""

    def __init__(self, param, options):
        super().__init__(param, "lithium-ion", options)

    def get_coupled_variables(self, variables):
        variables = super().get_coupled_variables(variables)
        extra = {
            "positive": "Positive electrode RuO2 oxygen volumetric interfacial current density "
            "[A.m-3]",
        }
        if self.options["working electrode"] == "both":
            extra["negative"] = (
                "Negative electrode oxygen crossover volumetric interfacial current density [A.m-3]"
            )
        for domain, reaction in extra.items():
            a_j = variables[reaction]
            for name in (
                f"Sum of {domain} electrode electrolyte reaction source terms [A.m-3]",
                f"Sum of {domain} electrode volumetric interfacial current densities [A.m-3]",
            ):
                variables[name] = variables[name] + a_j
                x_name = name.replace(f"Sum of {domain}", f"Sum of x-averaged {domain}")
                variables[x_name] = variables[x_name] + pybamm.x_average(a_j)
        variables.update(self._get_whole_cell_coupled_variables(variables))
        return variables


class EscapedOxygenCrossover(OxygenCrossover):
    """Escaped O2 reduced on the graphite of a full cell (four Li per O2)."""

    ESCAPE_RATE = "X-averaged positive electrode oxygen escape rate [mol.m-3.s-1]"


class CounterElectrodeLithium(pybamm.BaseSubModel):
    """Li in the Li metal counter electrode [mol], relative to its as-made amount."""

    NAME = "Lithium in counter electrode [mol]"

    def get_fundamental_variables(self):
        return {self.NAME: pybamm.Variable(self.NAME, scale=pybamm.Scalar(1e-6))}

    def set_rhs(self, variables):
        # discharge (positive current) strips Li from the counter electrode
        self.rhs = {variables[self.NAME]: -variables["Current [A]"] / F}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.NAME]: pybamm.Scalar(0)}
