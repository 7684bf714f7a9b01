"""Mechanism: what becomes of released O2: RuO2 capture, its reversible redox, escape.

Released O2 (mol O2 per m3 of electrode) is first dissolved at the surface. It adsorbs on free
RuO2 sites (second order in dissolved O2 and free sites; RuO2 binds O2, LiO2 and Li2O2 far more
strongly than Li2MnO3 does, DFT of Sun et al., Energy Environ. Sci. 18 (2025) 4335,
doi:10.1039/d5ee00430f, so the oxide surface itself is given no sites) or escapes into the
electrolyte (first order; without the RuO2 shell the study's continuum simulation loses the
surface O2 within about 40 min). Captured O2 takes part in a reversible surface couple on RuO2,
the Li-O2 reaction confined to the island (interface-confined catalysis):

    O2(ads) + 2 Li+ + 2 e- <-> Li2O2(ads),   U = 2.96 V vs Li (Li2O2 formation),
    a j = 2 F k_Ru [n_p r_ox(eta) - n_a (c_e / c_ref)^2 r_red(eta)],   eta = 2 F (dphi - U) / R T,

two electrons per O2 (so the ratio of the rates is exp(2 F eta / R T), the Nernst slope of a
two-electron couple), symmetric (alpha = 1/2, with the kinetics of ``couples``), mass action in
adsorbed O2 (n_a), Li+ (c_e, two per O2) and Li2O2 (n_p). It returns capacity on every
discharge below 2.96 V and gives it back on the next charge; it never rebuilds lattice: a
captured O2 is surface oxygen, not host. One site holds one O2 or one Li2O2 (sites counted in O2).
Why a site, once taken, stays taken (no desorption term): the study's DFT binds O2 on RuO2 by
1.497 eV, so thermal desorption, ~1e13 s-1 x exp(-1.497 eV / k T), is ~5e-13 s-1 at 25 C, a
mean residence of ~6e4 years; the sites therefore saturate, and the capacity they return is
bounded by their count.

Oxygen is conserved by construction: released = dissolved + adsorbed + Li2O2 + escaped.
"""

from __future__ import annotations

import pybamm

from .base import F, PositiveSubModel, R
from .couples import C_E_REF, densified_film_overpotential, transfer_rates

POOLS = ("dissolved", "adsorbed", "reduced", "escaped")
SCALE = 100.0  # mol O2 per m3 of electrode, the size of the pools (~50 umol O2 per g)


def pool_name(pool: str) -> str:
    return f"{pool} oxygen [mol.m-3]"


class ReleasedOxygen(PositiveSubModel):
    """Dissolved, RuO2-adsorbed, RuO2-reduced (Li2O2) and escaped oxygen, and the RuO2 couple."""

    def __init__(self, param, options, x_average, kinetics):
        super().__init__(param, options, x_average)
        self.kinetics = kinetics

    def get_fundamental_variables(self):
        variables = {}
        for pool in POOLS:
            variables.update(self.electrode_state(pool_name(pool), scale=pybamm.Scalar(SCALE)))
        return variables

    def get_coupled_variables(self, variables):
        dissolved, adsorbed, reduced = (
            self.local(variables, pool_name(p)) for p in ("dissolved", "adsorbed", "reduced")
        )
        sites = variables["RuO2 oxygen sites [mol.m-3]"]
        delta_phi = self.local(variables, "surface potential difference [V]")
        T = self.local(variables, "temperature [K]")
        u = pybamm.Parameter("RuO2 surface oxygen couple potential [V]")
        k_ru = pybamm.Parameter("RuO2 surface oxygen rate constant [s-1]")
        j_tot_av = variables[
            "X-averaged positive electrode total interfacial current density [A.m-2]"
        ]
        eta_film = densified_film_overpotential(variables, j_tot_av)
        eta = 2 * F * (delta_phi + eta_film - u) / (R * T)
        reorganization = (
            pybamm.Parameter("RuO2 surface oxygen couple reorganization energy [eV]") * F / (R * T)
        )
        oxidation, reduction = transfer_rates(eta, reorganization, self.kinetics)
        c_e = (
            variables["X-averaged positive electrolyte concentration [mol.m-3]"]
            if self.x_average
            else variables["Positive electrolyte concentration [mol.m-3]"]
        ) / C_E_REF
        # two Li+ per O2 reduced: second order in the electrolyte's Li+
        a_j = 2 * F * k_ru * (reduced * oxidation - adsorbed * c_e**2 * reduction)
        r_ads = pybamm.Parameter("RuO2 oxygen adsorption rate constant [m3.mol-1.s-1]") * (
            dissolved * (sites - adsorbed - reduced)
        )
        r_esc = pybamm.Parameter("Oxygen escape rate constant [s-1]") * dissolved
        variables.update(
            self.electrode_variables(
                "RuO2 oxygen volumetric interfacial current density [A.m-3]", a_j
            )
        )
        variables.update(self.electrode_variables("oxygen adsorption rate [mol.m-3.s-1]", r_ads))
        variables.update(self.electrode_variables("oxygen escape rate [mol.m-3.s-1]", r_esc))
        return variables

    def set_rhs(self, variables):
        r_rel = self.local(variables, "oxygen release rate [mol.m-3.s-1]")
        r_ads = self.local(variables, "oxygen adsorption rate [mol.m-3.s-1]")
        r_esc = self.local(variables, "oxygen escape rate [mol.m-3.s-1]")
        r_ox = self.local(
            variables, "RuO2 oxygen volumetric interfacial current density [A.m-3]"
        ) / (2 * F)
        rates = {
            "dissolved": r_rel - r_ads - r_esc,
            "adsorbed": r_ads + r_ox,
            "reduced": -r_ox,
            "escaped": r_esc,
        }
        self.rhs = {self.state_of(variables, pool_name(p)): rate for p, rate in rates.items()}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            self.state_of(variables, pool_name(p)): pybamm.Scalar(0) for p in POOLS
        }
