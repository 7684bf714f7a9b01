"""Mechanism: TM migration into the Li layer, coupled to oxygen-redox cycling.

Oxidised lattice oxygen lets transition metals hop into tetrahedral sites of the Li layer; on
reduction most of them hop back, and the round trip through different sites makes the oxygen
couple's voltage hysteresis (Gent et al., Nat. Commun. 8 (2017) 2091,
doi:10.1038/s41467-017-02041-x; Eum et al., Nat. Mater. 19 (2020) 419,
doi:10.1038/s41563-019-0572-4: reversible migration). A share of the migrated TMs settles in
lower-energy sites for good, which shifts the redox potentials down: voltage decay (Gallagher et
al., Electrochem. Commun. 33 (2013) 96, doi:10.1016/j.elecom.2013.04.022: ~1 V hysteresis on
10-15 % of the Li sites from reversible migration, decay from irreversible migration). Where
oxygen has been lost the surface densifies into spinel-like phases, which is irreversible
migration too (``SurfaceOxygenLoss`` supplies that rate).

States: m, the hysteresis branch state of the oxygen couple (Plett's one-state hysteresis, as
PyBaMM's "one-state hysteresis" OCP), which the reversible migration sets: it moves towards 1
(the configuration oxygen is oxidised in) while the oxygen couple charges and towards 0 while it
discharges; and m_irr, the irreversibly migrated share of TM sites. Both are driven by the oxygen
redox that passes (R, sites per second), not by time, so the hysteresis persists at vanishing
rate (Gent 2017):

    dm/dt = gamma [max(R, 0) (1 - m) - max(-R, 0) m],
    dm_irr/dt = beta max(R, 0) m (1 - m_irr) + r_dens (1 - m_irr),

putting the oxygen couple on its charge branch (+dU_hys) after a charge and on its discharge
branch (-dU_hys) after a discharge, shift dU_hys (2 m - 1), and shifting both couples by
-dU_irr m_irr. m_irr never falls: irreversible migration needs the oxygen oxidised and the
lattice in its charged configuration (m), as in Gallagher 2013's metastable-site pathway.
"""

from __future__ import annotations

import pybamm

from .base import PositiveSubModel

REVERSIBLE = "oxygen-redox hysteresis branch state"
IRREVERSIBLE = "irreversible TM migration fraction"


class TMMigration(PositiveSubModel):
    """Reversible (hysteresis) and irreversible (voltage decay) TM migration."""

    def get_fundamental_variables(self):
        return {**self.electrode_state(REVERSIBLE), **self.electrode_state(IRREVERSIBLE)}

    def get_coupled_variables(self, variables):
        m = self.local(variables, REVERSIBLE)
        m_irr = self.local(variables, IRREVERSIBLE)
        half_width = pybamm.Parameter("Oxygen-redox hysteresis half-width [V]")
        decay = pybamm.Parameter("OCP shift at full irreversible TM migration [V]")
        variables.update(
            self.electrode_variables("oxygen-redox hysteresis shift [V]", half_width * (2 * m - 1))
        )
        variables.update(self.electrode_variables("TM migration OCP shift [V]", decay * m_irr))
        return variables

    def set_rhs(self, variables):
        m = self.state_of(variables, REVERSIBLE)
        m_irr = self.state_of(variables, IRREVERSIBLE)
        rate = self.oxygen_delithiation_rate(variables)
        charge, discharge = pybamm.maximum(rate, 0), pybamm.maximum(-rate, 0)
        gamma = pybamm.Parameter("Oxygen-redox hysteresis switching rate per site cycled")
        beta = pybamm.Parameter("Irreversible TM migration share per oxygen-redox site cycled")
        r_dens = self.local(variables, "densification TM migration rate [s-1]")
        self.rhs = {
            m: gamma * (charge * (1 - m) - discharge * m),
            m_irr: (beta * charge * m + r_dens) * (1 - m_irr),
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            self.state_of(variables, REVERSIBLE): pybamm.Scalar(0),
            self.state_of(variables, IRREVERSIBLE): pybamm.Scalar(0),
        }


class NoTMMigration(PositiveSubModel):
    """No TM migration: no hysteresis, no voltage decay (option "none")."""

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        return {
            **self.electrode_variables(REVERSIBLE, zero),
            **self.electrode_variables(IRREVERSIBLE, zero),
            **self.electrode_variables("oxygen-redox hysteresis shift [V]", zero),
            **self.electrode_variables("TM migration OCP shift [V]", zero),
        }
