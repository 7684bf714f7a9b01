"""The total interfacial current, summing the oxygen reactions with PyBaMM's own.

PyBaMM's ``TotalInterfacialCurrent`` sums a fixed list of reaction names. The LRMO positive
electrode adds three charge-carrying reactions, all exchanging Li+ with the electrolyte
(s_k = 1): reversible lattice-oxygen redox, irreversible oxygen loss and catalysed oxygen recapture.
"""

from __future__ import annotations

import pybamm

OXYGEN_REACTIONS = ("oxygen redox ", "oxygen loss ", "oxygen recapture ")


class LRMOTotalInterfacialCurrent(pybamm.interface.TotalInterfacialCurrent):
    """``TotalInterfacialCurrent`` with the LRMO oxygen reactions in the positive electrode."""

    def __init__(self, param, options):
        super().__init__(param, "lithium-ion", options)

    def _get_coupled_variables_by_phase_and_domain(self, variables, domain, phase_name):
        variables = super()._get_coupled_variables_by_phase_and_domain(
            variables, domain, phase_name
        )
        if domain != "positive" or phase_name != "":
            return variables
        sums = (
            "Sum of positive electrode electrolyte reaction source terms [A.m-3]",
            "Sum of positive electrode volumetric interfacial current densities [A.m-3]",
        )
        for reaction in OXYGEN_REACTIONS:
            a_j = variables[
                f"Positive electrode {reaction}volumetric interfacial current density [A.m-3]"
            ]
            for name in sums:
                variables[name] = variables[name] + a_j
                x_name = name.replace("Sum of positive", "Sum of x-averaged positive")
                variables[x_name] = variables[x_name] + pybamm.x_average(a_j)
        return variables
