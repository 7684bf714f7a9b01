"""Mechanism: first-charge activation of the Li2MnO3-like oxygen sites.

The as-made Li2MnO3-like domains oxidise their lattice oxygen for the first time on a flat ~4.5 V
plateau seen only on the first charge (Strehle et al., J. Electrochem. Soc. 164 (2017) A400,
doi:10.1149/2.1001702jes; Lu & Dahn, J. Electrochem. Soc. 149 (2002) A815,
doi:10.1149/1.1480014). u is the share of the oxygen couple's sites that are still unactivated:
Li-occupied as made, they give up their Li only forward, through the activation term of the
oxygen couple's current (``couples``), and a site once emptied is an activated site for good:

    du/dt = -a_O j_act / (F eps_O c_max,O),   j_act >= 0,

so u never rises (activation is irreversible) and never exceeds the couple's occupancy.
"""

from __future__ import annotations

import pybamm

from .base import F, PositiveSubModel

NAME = "unactivated oxygen-redox share"


class OxygenRedoxActivation(PositiveSubModel):
    """Unactivated share of the oxygen couple's sites."""

    def get_fundamental_variables(self):
        return self.electrode_state(NAME)

    def set_rhs(self, variables):
        u = self.state_of(variables, NAME)
        j_act = self.local(variables, "oxygen-redox activation current density [A.m-2]")
        a = self.local(variables, "secondary surface area to volume ratio [m-1]")
        eps = self.local(variables, "secondary active material volume fraction")
        c_max = pybamm.Parameter("Secondary: Maximum concentration in positive electrode [mol.m-3]")
        self.rhs = {u: -a * j_act / (F * eps * c_max)}

    def set_initial_conditions(self, variables):
        u = self.state_of(variables, NAME)
        self.initial_conditions = {
            u: pybamm.Parameter("Secondary: Initial unactivated oxygen-redox share")
        }


class NoOxygenRedoxActivation(PositiveSubModel):
    """Every oxygen site is activated from the start (option "none")."""

    def get_fundamental_variables(self):
        variables = self.electrode_variables(NAME, pybamm.Scalar(0))
        variables.update(
            self.electrode_variables(
                "oxygen-redox activation current density [A.m-2]", pybamm.Scalar(0)
            )
        )
        return variables
