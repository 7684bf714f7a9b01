"""Mechanism 3: irreversible loss of surface lattice oxygen above the onset of oxygen oxidation.

Above the onset potential, surface lattice oxygen is over-oxidised and leaves as O2 (Sun et al.
2025, doi:10.1039/d5ee00430f; core-shell oxygen-loss models: Ghosh et al., J. Electrochem. Soc. 168
(2021) 020509; Zhuo et al., J. Power Sources 556 (2023) 232461). Per released O2,
2 Li2O(lattice) -> 4 Li+ + O2 + 4 e-: the charge passes on charge but no Li can return to the
destroyed sites, so the initial Coulombic efficiency drops below 100 % as a result of the model.

    j_loss = j0_loss a_O theta [exp(alpha F eta+ / (R T)) - 1],  eta+ = max(eta, 0)

is anodic only and exactly zero below the onset (no loss below onset, tested). theta is the fraction
of the oxidisable surface-oxygen inventory still present; it is consumed by the loss, refilled by
recaptured oxygen and by oxygen-vacancy migration from the surface into the bulk (the bulk O that
takes the vacancy's place becomes oxidisable surface O), which keeps the loss going cycle after
cycle. a_O is the surface oxygen activity of the Li-deficient layer (``LiDeficientLayer``).
"""

from __future__ import annotations

import pybamm

from .base import F, LumpedPositiveSubModel, R

ELECTRONS_PER_O2 = 4


class OxygenLoss(LumpedPositiveSubModel):
    """Anodic surface-oxygen loss reaction and the oxidisable surface-oxygen fraction."""

    def get_fundamental_variables(self):
        theta = self.scalar_state(
            "X-averaged positive electrode oxidisable surface oxygen fraction"
        )
        return {"X-averaged positive electrode oxidisable surface oxygen fraction": theta}

    def get_coupled_variables(self, variables):
        theta = variables["X-averaged positive electrode oxidisable surface oxygen fraction"]
        T = variables["X-averaged positive electrode temperature [K]"]
        a = self.x_averaged(variables, "surface area to volume ratio [m-1]")
        activity = variables["Surface oxygen activity"]
        onset = variables["Oxygen loss onset potential [V]"]
        j0 = pybamm.Parameter("Oxygen loss exchange-current density [A.m-2]")
        alpha = pybamm.Parameter("Oxygen loss charge transfer coefficient")

        eta = pybamm.maximum(self.surface_overpotential(variables, onset), 0)
        j = j0 * activity * theta * (pybamm.exp(alpha * F * eta / (R * T)) - 1)
        variables.update(self.reaction_variables("oxygen loss", j, a))
        variables.update(
            {
                "X-averaged positive electrode oxygen loss overpotential [V]": eta,
                # mol O2 per electrode volume per second
                "X-averaged oxygen release rate [mol.m-3.s-1]": a * j / (ELECTRONS_PER_O2 * F),
            }
        )
        return variables

    def set_rhs(self, variables):
        theta = variables["X-averaged positive electrode oxidisable surface oxygen fraction"]
        a = self.x_averaged(variables, "surface area to volume ratio [m-1]")
        net_o_loss = variables["X-averaged net lattice oxygen loss rate [mol.m-3.s-1]"]
        gamma_O = pybamm.Parameter("Oxidisable surface oxygen [mol.m-2]")
        k_v = pybamm.Parameter("Oxygen vacancy migration rate constant [s-1]")
        self.rhs = {theta: -net_o_loss / (a * gamma_O) + k_v * (1 - theta)}

    def set_initial_conditions(self, variables):
        theta = variables["X-averaged positive electrode oxidisable surface oxygen fraction"]
        self.initial_conditions = {theta: pybamm.Scalar(1)}
