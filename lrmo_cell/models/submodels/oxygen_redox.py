"""Mechanism 1: the lattice-oxygen redox reservoir, next to PyBaMM's transition-metal particle.

Why a lumped reservoir rather than a second particle phase or MSMR: TM redox (Ni2+/Ni4+, Co3+/Co4+)
is ordinary intercalation limited by Li diffusion, so it keeps PyBaMM's particle (with its own OCP,
kinetics and capacity). Lattice-oxygen redox is slow, strongly hysteretic and path dependent
(activation on the first charge; Assat & Tarascon, Nat. Energy 3 (2018) 373,
doi:10.1038/s41560-018-0097-0): its rate is set by the O-O bond formation at the surface, not by Li
diffusion, and its OCP depends on history (hysteresis, activation) which MSMR (one OCP per
stoichiometry) cannot express. A lumped redox couple with its own formal potential, Butler-Volmer
kinetics and capacity captures that with three scalar states instead of a second radial mesh.
(Half cells do accept "particle phases" for the positive electrode in PyBaMM 26.10, so the
two-phase alternative was available; it was not chosen for the reasons above.)

The couple is a non-ideal (Frumkin-broadened) one-electron couple O2- <-> O(2-n)- + Li+ on the
oxidised fraction q of the reservoir:

    j = j0 [(1 - q) exp(F eta / (2 w R T)) - q exp(-F eta / (2 w R T))],
    eta = dphi + eta_film - U_f,   U_f = U0 + dU_hys h + dU_act s,   s = u / (1 - q),

so its open-circuit potential is U_f + w (R T / F) ln(q / (1 - q)) without singularities in the
kinetics. h (hysteresis) and u (unactivated Li2MnO3) come from ``ActivationHysteresis``; s is the
unactivated share of the reduced reservoir (1 throughout the first charge).

The non-ideality w spreads activated anionic redox over many local oxygen environments (sloping
discharge), whereas the first-charge activation of Li2MnO3 is a flat plateau (Lu & Dahn,
J. Electrochem. Soc. 149 (2002) A815, doi:10.1149/1.1480014): w = w_act s + w_O (1 - s) moves
from the near-ideal activation value to the activated one as the reservoir activates.
"""

from __future__ import annotations

import pybamm

from .base import F, LumpedPositiveSubModel, R


class OxygenRedoxReservoir(LumpedPositiveSubModel):
    """Lumped lattice-oxygen redox reservoir with its own capacity, kinetics and OCP."""

    def get_fundamental_variables(self):
        q = self.scalar_state("X-averaged positive electrode oxygen redox oxidised fraction")
        lost = self.scalar_state(
            "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]"
        )
        return {
            "X-averaged positive electrode oxygen redox oxidised fraction": q,
            "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]": lost,
        }

    def get_coupled_variables(self, variables):
        q = variables["X-averaged positive electrode oxygen redox oxidised fraction"]
        h = variables["X-averaged oxygen redox hysteresis state"]
        u = variables["X-averaged unactivated Li2MnO3 fraction"]
        T = variables["X-averaged positive electrode temperature [K]"]
        a = self.x_averaged(variables, "surface area to volume ratio [m-1]")
        eps = self.x_averaged(variables, "active material volume fraction")
        c_O = pybamm.Parameter("Oxygen redox capacity [mol.m-3]")
        j0 = pybamm.Parameter("Oxygen redox exchange-current density [A.m-2]")
        unactivated_share = u / (1 - q)
        w_activated = pybamm.Parameter("Oxygen redox non-ideality factor")
        w_activation = pybamm.Parameter("Li2MnO3 activation non-ideality factor")
        w = w_activation * unactivated_share + w_activated * (1 - unactivated_share)

        formal = (
            pybamm.Parameter("Oxygen redox formal potential [V]")
            + pybamm.Parameter("Oxygen redox hysteresis half-width [V]") * h
            + pybamm.Parameter("Li2MnO3 activation overpotential [V]") * unactivated_share
        )
        eta = self.surface_overpotential(variables, formal)
        x = F * eta / (2 * w * R * T)
        j = j0 * ((1 - q) * pybamm.exp(x) - q * pybamm.exp(-x))
        ocp = formal + w * R * T / F * pybamm.log(q / (1 - q))

        dq_dt = a * j / (F * eps * c_O)
        L_A = self.param.p.L * self.param.A_cc
        variables.update(self.reaction_variables("oxygen redox", j, a))
        variables.update(
            {
                "X-averaged positive electrode oxygen redox open-circuit potential [V]": ocp,
                "X-averaged positive electrode oxygen redox formal potential [V]": formal,
                "X-averaged positive electrode oxygen redox oxidation rate [s-1]": dq_dt,
                "Total lithium in oxygen redox reservoir [mol]": eps * c_O * (1 - q) * L_A,
            }
        )
        return variables

    def set_rhs(self, variables):
        q = variables["X-averaged positive electrode oxygen redox oxidised fraction"]
        lost = variables[
            "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]"
        ]
        deps_dt = variables[
            "X-averaged positive electrode active material volume fraction change [s-1]"
        ]
        c_O = pybamm.Parameter("Oxygen redox capacity [mol.m-3]")
        L_A = self.param.p.L * self.param.A_cc
        self.rhs = {
            q: variables["X-averaged positive electrode oxygen redox oxidation rate [s-1]"],
            # Li held by reservoir sites that are destroyed leaves with them (as in PyBaMM's LAM)
            lost: -L_A * c_O * (1 - q) * deps_dt,
        }

    def set_initial_conditions(self, variables):
        q = variables["X-averaged positive electrode oxygen redox oxidised fraction"]
        lost = variables[
            "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]"
        ]
        self.initial_conditions = {
            q: pybamm.Parameter("Initial oxygen redox oxidised fraction"),
            lost: pybamm.Scalar(0),
        }
