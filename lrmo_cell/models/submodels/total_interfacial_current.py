"""The total interfacial current, summing the oxygen reactions with PyBaMM's own.

PyBaMM's ``TotalInterfacialCurrent`` sums a fixed list of reaction names. The LRMO positive
electrode adds three charge-carrying reactions, all exchanging Li+ with the electrolyte
(s_k = 1): reversible lattice-oxygen redox, irreversible oxygen loss and catalysed oxygen recapture;
in full cells the negative electrode adds the reduction of escaped oxygen (``OxygenCrossover``).
"""

from __future__ import annotations

import pybamm

OXYGEN_REACTIONS = {
    "positive": ("oxygen redox ", "oxygen loss ", "oxygen recapture "),
    "negative": ("oxygen crossover ",),
}


class LRMOTotalInterfacialCurrent(pybamm.interface.TotalInterfacialCurrent):
    """``TotalInterfacialCurrent`` with the LRMO oxygen reactions in the positive electrode."""

    def __init__(self, param, options):
        super().__init__(param, "lithium-ion", options)

    def _get_coupled_variables_by_phase_and_domain(self, variables, domain, phase_name):
        variables = super()._get_coupled_variables_by_phase_and_domain(
            variables, domain, phase_name
        )
        if phase_name != "" or domain not in self._oxygen_domains():
            return variables
        Domain = domain.capitalize()
        sums = (
            f"Sum of {domain} electrode electrolyte reaction source terms [A.m-3]",
            f"Sum of {domain} electrode volumetric interfacial current densities [A.m-3]",
        )
        for reaction in OXYGEN_REACTIONS[domain]:
            a_j = variables[
                f"{Domain} electrode {reaction}volumetric interfacial current density [A.m-3]"
            ]
            for name in sums:
                variables[name] = variables[name] + a_j
                x_name = name.replace(f"Sum of {domain}", f"Sum of x-averaged {domain}")
                variables[x_name] = variables[x_name] + pybamm.x_average(a_j)
        return variables

    def _oxygen_domains(self) -> tuple[str, ...]:
        full_cell = self.options["working electrode"] == "both"
        return ("negative", "positive") if full_cell else ("positive",)
