"""Mechanism: anodic oxidation of the carbonate electrolyte at high potential, and its products'
reduction at the negative electrode.

Above about 4.5 V vs Li the carbonate electrolyte and the cathode's conductive carbon oxidise
(Metzger et al., J. Electrochem. Soc. 162 (2015) A1123, doi:10.1149/2.0951506jes: CO2 from EC
and carbon on OEMS above 4.5 V, substantial at 5 V). The current rises exponentially with the
potential, the same Tafel line on every electrode material (the microelectrode study of
shared/lrmo-literature-leads.md item 7), so it is written per electrode volume of composite, as a
Tafel law in decades:

    a j_ox = i_ref 10^((dphi - U_ref) / b)       [A.m-3],

dphi the surface potential difference (the potential vs Li of the electrode's surface), U_ref
= 4.5 V, i_ref the current at U_ref and b the potential per decade. The electrons go to the
positive electrode and no Li leaves its hosts for them: the charge passes without delithiating
anything (the first cycle's charge exceeds the Li the hosts gave up), and at rest the same
current relithiates the hosts (self-discharge).

Its products (protons and protic species from EC oxidation; the same literature) cross the
separator and are reduced at the negative electrode (H+ + e- -> 1/2 H2): in a Li metal half cell
part of the current through the Li metal is that reduction, not Li plating
(``CounterElectrodeLithium`` debits it); in a graphite full cell a negative-electrode side
reaction of the same total current, spread uniformly like the escaped oxygen's
(``ElectrolyteOxidationProductsReduction``), so neither electrode's hosts receive that charge and
no cyclable Li is lost: the cell loses Coulombic and energy efficiency, not Li inventory. The
electrolyte's cation total is unchanged (produced at one electrode, consumed at the other); the
model's single-cation electrolyte carries the protons in transit as cations.

The charge to electrolyte oxidation is a state (``ELECTROLYTE_OXIDATION_CHARGE``), for the
first-cycle budget.
"""

from __future__ import annotations

import pybamm

from .base import F, PositiveSubModel
from .electrode import uniform_negative_reaction

CURRENT = "electrolyte oxidation volumetric interfacial current density [A.m-3]"
TOTAL_CURRENT = "Electrolyte oxidation current [A]"
ELECTROLYTE_OXIDATION_CHARGE = "Charge to electrolyte oxidation [mol]"


class ElectrolyteOxidation(PositiveSubModel):
    """Tafel oxidation of the electrolyte at the positive electrode."""

    def get_fundamental_variables(self):
        return {
            ELECTROLYTE_OXIDATION_CHARGE: pybamm.Variable(
                ELECTROLYTE_OXIDATION_CHARGE, domain="current collector", scale=pybamm.Scalar(1e-6)
            )
        }

    def get_coupled_variables(self, variables):
        delta_phi = self.local(variables, "surface potential difference [V]")
        i_ref = pybamm.Parameter("Electrolyte oxidation current density at 4.5 V [A.m-3]")
        decade = pybamm.Parameter("Electrolyte oxidation Tafel slope [V]")
        a_j = i_ref * 10 ** ((delta_phi - 4.5) / decade)
        variables.update(self.electrode_variables(CURRENT, a_j))
        variables[TOTAL_CURRENT] = self.integrate(self.local(variables, CURRENT))
        return variables

    def set_rhs(self, variables):
        self.rhs = {variables[ELECTROLYTE_OXIDATION_CHARGE]: variables[TOTAL_CURRENT] / F}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[ELECTROLYTE_OXIDATION_CHARGE]: pybamm.Scalar(0)}


class NoElectrolyteOxidation(PositiveSubModel):
    """A stable electrolyte (option "none")."""

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        variables = self.electrode_variables(CURRENT, zero)
        variables[TOTAL_CURRENT] = zero
        variables[ELECTROLYTE_OXIDATION_CHARGE] = zero
        return variables


class ElectrolyteOxidationProductsReduction(pybamm.BaseSubModel):
    """The electrolyte oxidation products reduced on the negative electrode (full cells)."""

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_coupled_variables(self, variables):
        a_j_av = -variables[TOTAL_CURRENT] / (self.param.n.L * self.param.A_cc)
        variables.update(
            uniform_negative_reaction(variables, "electrolyte oxidation products", a_j_av)
        )
        return variables
