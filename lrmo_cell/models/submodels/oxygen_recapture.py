"""Mechanism 4: recapture of released oxygen by the RuO2 surface catalyst.

Released O2 (mol O2 per m3 of electrode) first sits near the surface (free); it adsorbs on free RuO2
sites (second order in free O2 and free sites; RuO2 binds O2, LiO2 and Li2O2 far more strongly than
Li2MnO3 does, DFT of Sun et al. 2025, doi:10.1039/d5ee00430f, so the uncatalysed surface is given no
sites), or escapes into the electrolyte (first order; without the RuO2 shell the paper's continuum
simulation loses the surface O2 within about 40 min). Adsorbed oxygen is reduced back into the
lattice on discharge, O2 + 4 Li+ + 4 e- -> 2 Li2O(lattice), below the O2/Li2O2 potential:

    a j_rec = -4 F r_rec,  r_rec = N_ads k / (1 + k / k_lim),
    k = k_rec [exp(alpha F eta- / (R T)) - 1],  eta- = max(U_rec - dphi_eff, 0),

which returns capacity and refills the oxidisable surface oxygen. The rate per adsorbed O2 is the
Butler-Volmer one in series with a limiting rate k_lim (Koutecky-Levich form): the reduced oxygen
has to be rebuilt into the lattice, which no overpotential makes instantaneous. Without the limit
the rate constant reaches ~1e5 s-1 at 2 V, and the current of a nearly empty pool becomes that
rate times the solver's error on the pool: spikes of ~1 A/m2, ten times the 1C current.

Oxygen is conserved by construction and checked in the tests: released = recaptured + adsorbed +
free + escaped.
"""

from __future__ import annotations

import pybamm

from .base import F, LumpedPositiveSubModel, R
from .oxygen_loss import ELECTRONS_PER_O2

OXYGEN_POOLS = ("free", "adsorbed", "escaped", "recaptured", "released")


def _pool(name: str) -> str:
    return f"X-averaged {name} oxygen [mol.m-3]"


class OxygenRecapture(LumpedPositiveSubModel):
    """Free, adsorbed, escaped and recaptured oxygen pools and the catalysed reduction reaction."""

    def get_fundamental_variables(self):
        return {_pool(name): self.scalar_state(_pool(name)) for name in OXYGEN_POOLS}

    def get_coupled_variables(self, variables):
        free = variables[_pool("free")]
        adsorbed = variables[_pool("adsorbed")]
        T = variables["X-averaged positive electrode temperature [K]"]
        a = self.x_averaged(variables, "surface area to volume ratio [m-1]")
        eps = self.x_averaged(variables, "active material volume fraction")
        alpha = pybamm.Parameter("Oxygen recapture charge transfer coefficient")
        k_rec = pybamm.Parameter("Oxygen recapture rate constant [s-1]")
        k_ads = pybamm.Parameter("Oxygen adsorption rate constant [m3.mol-1.s-1]")
        u_rec = pybamm.Parameter("Oxygen recapture potential [V]")
        # adsorption sites per electrode volume: RuO2 per LRMO volume times the electrode's LRMO
        sites = (
            eps
            * pybamm.Parameter("LRMO density [kg.m-3]")
            * pybamm.Parameter("RuO2 mass fraction in active powder")
            / (1 - pybamm.Parameter("RuO2 mass fraction in active powder"))
            * pybamm.Parameter("RuO2 oxygen adsorption site density [mol.kg-1]")
        )

        eta = pybamm.maximum(-self.surface_overpotential(variables, u_rec), 0)
        k_kinetic = k_rec * (pybamm.exp(alpha * F * eta / (R * T)) - 1)
        k_limit = pybamm.Parameter("Oxygen recapture limiting rate constant [s-1]")
        r_rec = adsorbed * k_kinetic / (1 + k_kinetic / k_limit)
        j = -ELECTRONS_PER_O2 * F * r_rec / a
        variables.update(self.reaction_variables("oxygen recapture", j, a))
        variables.update(
            {
                "X-averaged oxygen adsorption site capacity [mol.m-3]": sites,
                "X-averaged oxygen adsorption rate [mol.m-3.s-1]": k_ads
                * free
                * (sites - adsorbed),
                # escape is one-way: a pool the solver leaves a hair below zero must not
                # bring oxygen (and the host it destroyed) back
                "X-averaged oxygen escape rate [mol.m-3.s-1]": pybamm.Parameter(
                    "Oxygen escape rate constant [s-1]"
                )
                * pybamm.maximum(free, 0),
                "X-averaged oxygen recapture rate [mol.m-3.s-1]": r_rec,
            }
        )
        r_rel = variables["X-averaged oxygen release rate [mol.m-3.s-1]"]
        # two lattice O atoms per O2 molecule
        variables["X-averaged net lattice oxygen loss rate [mol.m-3.s-1]"] = 2 * (r_rel - r_rec)
        return variables

    def set_rhs(self, variables):
        r_rel = variables["X-averaged oxygen release rate [mol.m-3.s-1]"]
        r_ads = variables["X-averaged oxygen adsorption rate [mol.m-3.s-1]"]
        r_esc = variables["X-averaged oxygen escape rate [mol.m-3.s-1]"]
        r_rec = variables["X-averaged oxygen recapture rate [mol.m-3.s-1]"]
        rates = {
            "free": r_rel - r_ads - r_esc,
            "adsorbed": r_ads - r_rec,
            "escaped": r_esc,
            "recaptured": r_rec,
            "released": r_rel,
        }
        self.rhs = {variables[_pool(name)]: rate for name, rate in rates.items()}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            variables[_pool(name)]: pybamm.Scalar(0) for name in OXYGEN_POOLS
        }
