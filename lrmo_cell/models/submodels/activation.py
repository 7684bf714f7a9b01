"""Mechanism 2: first-charge activation of Li2MnO3 and oxygen-redox voltage hysteresis.

Activation: the Li2MnO3 component oxidises its lattice oxygen for the first time on a ~4.5 V plateau
seen only on the first charge (Assat & Tarascon 2018, doi:10.1038/s41560-018-0097-0; Sun et al.
2025, doi:10.1039/d5ee00430f). u is the part of the reduced oxygen reservoir that has never been
oxidised; each oxidised increment takes its share u / (1 - q) of it,

    du/dt = -max(dq/dt, 0) u / (1 - q),

so u = 1 - q on the first charge (it starts equal to the reduced fraction) and u never goes
negative. The unactivated share u / (1 - q) raises the formal potential by the activation
overpotential, which flattens the Nernstian rise of the first charge into a plateau.

Hysteresis: a one-state hysteresis variable h in [-1, 1] (Plett-type, as PyBaMM's one-state
hysteresis OCP) relaxes towards +1 while oxygen is oxidised and towards -1 while it is reduced,

    dh/dt = gamma (dq/dt - |dq/dt| h).
"""

from __future__ import annotations

import pybamm

from .base import LumpedPositiveSubModel


class ActivationHysteresis(LumpedPositiveSubModel):
    """Unactivated Li2MnO3 fraction and the oxygen-redox hysteresis state."""

    def get_fundamental_variables(self):
        u = self.scalar_state("X-averaged unactivated Li2MnO3 fraction")
        h = self.scalar_state("X-averaged oxygen redox hysteresis state")
        return {
            "X-averaged unactivated Li2MnO3 fraction": u,
            "X-averaged oxygen redox hysteresis state": h,
        }

    def set_rhs(self, variables):
        u = variables["X-averaged unactivated Li2MnO3 fraction"]
        h = variables["X-averaged oxygen redox hysteresis state"]
        q = variables["X-averaged positive electrode oxygen redox oxidised fraction"]
        dq_dt = variables["X-averaged positive electrode oxygen redox oxidation rate [s-1]"]
        gamma = pybamm.Parameter("Oxygen redox hysteresis rate constant")
        self.rhs = {
            u: -pybamm.maximum(dq_dt, 0) * u / (1 - q),
            h: gamma * (dq_dt - pybamm.AbsoluteValue(dq_dt) * h),
        }

    def set_initial_conditions(self, variables):
        u = variables["X-averaged unactivated Li2MnO3 fraction"]
        h = variables["X-averaged oxygen redox hysteresis state"]
        q0 = pybamm.Parameter("Initial oxygen redox oxidised fraction")
        self.initial_conditions = {
            u: (1 - q0) * pybamm.Parameter("Initial unactivated Li2MnO3 share"),
            # a discharged (as-made or freshly reduced) reservoir sits on the reduction branch
            h: pybamm.Scalar(-1),
        }
