"""Mechanism: the fresh graphite's SEI formation on its first lithiation (full cells).

A fresh graphite reduces the electrolyte on its bare surface during its first lithiation until the
film that forms covers it; the reduction then stops, and later cycles lose no more Li to it (Fong,
von Sacken & Dahn, J. Electrochem. Soc. 137 (1990) 2009, doi:10.1149/1.2086855, abstract seen:
"irreversible reactions only on the first discharge", "proportional to the specific surface area
of the carbon", and "when all the available surface area is coated ... further decomposition
reactions stop"). Novák et al. (J. Power Sources 97-98 (2001) 39, doi:10.1016/S0378-7753(01)00586-9,
abstract seen; volume and DOI as recalled) keep that irreversible charge below 7 % of the first
lithiation only in dry cells. It is the first-cycle efficiency of the graphite that a full cell's
Li balance pays once: of the Li the cathode gives up on its first charge, this share never reaches
the graphite's lattice.

PyBaMM's SEI growth (the set's OKane2022 parameters) describes the film after formation: it
starts from the 5 nm of a formed cell and thickens as solvent diffuses through it. From a bare
surface that law grows about 2 nm (L^2 = 2 D c V t) in a 10 h first charge, under 0.1 % of the
graphite's capacity, so it cannot carry a formation loss. The formation is therefore its own Li
sink, an inventory taken once, first order in the share theta of it still untaken (the bare
surface) and driven by the graphite's potential:

    dtheta/dt = -k_f theta exp(-F (dphi_n - U_f) / (2 R T)),      theta(0) = 1,
    n_f0 = (1 / ICE_n - 1) eps_n c_n,max L_n A,   Li lost = n_f0 (1 - theta),

ICE_n the graphite's first-cycle Coulombic efficiency (the irreversible charge per unit of its Li
capacity, as the pouch designer's graphite cell counts it: the surface it covers goes with the
graphite present, not with how deep a cell lithiates it), dphi_n the graphite's X-averaged
surface potential difference (its potential vs Li, film drop included: at most 2 mV at 2C, against
2RT/F = 51 mV) and a symmetric (alpha = 0.5) Tafel branch. Only k_f exp(F U_f / 2RT) matters; the
set puts the formation where a first lithiation in carbonate electrolyte shows its irreversible
shoulder, from about 0.8 V down to 0.6 V at 0.1C (118 mV lower per decade of current), before the
graphite's staging. Each Li is one Li+ and one electron reduced with the solvent, spread uniformly
over the graphite (``uniform_negative_reaction``; the inventory is fixed, so where in x it forms
does not change what it takes). The state is theta, which the Li lost is linear in, so the
solver's steps keep the Li inventories closed (on ln theta, which would keep theta positive, the
loose relative error a large |ln theta| is allowed left 2e-4 of the Li unaccounted). The
reaction is one-way: where the solver steps theta a hair below zero its rate is zero
(``site_power``), rather than a Li-returning current that the ~100 s-1 rate constant of a
lithiated graphite would make of the step (up to 0.2 A/m2 at 1C).

Assumed, not measured here: the formation thickens no film. Its Li, in OKane2022's SEI (9.6e-5
m3 per mol on the geometric surface 3 eps/R), would be ~540 nm of film, which would shut off the
set's later growth that OKane et al. fitted on formed cells; the real film is spread over a
surface several times the spheres' (the BET area), holds denser Li salts and leaves part as gas
and soluble products. PyBaMM's SEI therefore starts from the set's formed 5 nm, with the
formation's Li a sink of its own. Its timing would also shift with temperature through an
activation energy the set does not have (not its amount).
"""

from __future__ import annotations

import pybamm

from .base import F, R, site_power
from .electrode import uniform_negative_reaction

LOST = "Loss of lithium to graphite formation SEI [mol]"
UNTAKEN = "Graphite formation SEI untaken share"
INVENTORY = "Graphite formation SEI lithium inventory [mol]"
REACTION = "formation SEI"
RATE = "Graphite formation SEI lithium consumption rate [mol.s-1]"
SHARE_RATE = "Graphite formation SEI untaken share rate [s-1]"


class GraphiteFormation(pybamm.BaseSubModel):
    """The fresh graphite's one-off SEI formation on its first lithiation."""

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_fundamental_variables(self):
        return {UNTAKEN: pybamm.Variable(UNTAKEN, domain="current collector")}

    def get_coupled_variables(self, variables):
        p = self.param
        ice = pybamm.Parameter("Negative electrode first-cycle Coulombic efficiency")
        inventory = (
            (1 / ice - 1)
            * pybamm.Parameter("Negative electrode active material volume fraction")
            * pybamm.Parameter("Maximum concentration in negative electrode [mol.m-3]")
            * p.n.L
            * p.A_cc
        )
        delta_phi = variables["X-averaged negative electrode surface potential difference [V]"]
        temperature = variables["X-averaged negative electrode temperature [K]"]
        onset = pybamm.Parameter("Graphite formation SEI onset potential [V]")
        k_f = pybamm.Parameter("Graphite formation SEI rate constant at onset [s-1]")
        theta = variables[UNTAKEN]
        share_rate = (
            k_f
            * site_power(theta, 1)
            * pybamm.exp(-F * (delta_phi - onset) / (2 * R * temperature))
        )
        rate = inventory * share_rate
        variables.update(
            {
                SHARE_RATE: share_rate,
                RATE: rate,
                INVENTORY: inventory,
                LOST: inventory * (1 - theta),
            }
        )
        variables.update(
            uniform_negative_reaction(variables, REACTION, -F * rate / (p.n.L * p.A_cc))
        )
        return variables

    def set_rhs(self, variables):
        self.rhs = {variables[UNTAKEN]: -variables[SHARE_RATE]}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[UNTAKEN]: pybamm.Scalar(1)}


class NoGraphiteFormation(pybamm.BaseSubModel):
    """A graphite whose SEI is already formed (option "none")."""

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_coupled_variables(self, variables):
        variables.update(uniform_negative_reaction(variables, REACTION, pybamm.Scalar(0)))
        return variables
