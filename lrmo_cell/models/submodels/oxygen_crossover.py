"""Full cells: escaped oxygen crosses to the graphite and is reduced there.

Oxygen that leaves the cathode surface without being caught by RuO2 (``OxygenRecapture``'s
"escaped" pool) dissolves in the electrolyte; in a Li-metal half cell it ends on the lithium
counter electrode, in a full cell on the lithiated graphite, where it is reduced,
O2 + 4 Li+ + 4 e- -> 2 Li2O, and takes four cyclable Li per O2 (cathode-to-anode cross-talk of
Li-rich oxides; Sun et al. 2025, doi:10.1039/d5ee00430f, name the released O2 and Li2O2 among the
degradation products). Without this sink the four Li+ that the oxygen-loss reaction sends to the
graphite on charge would stay cyclable, and a full cell would gain capacity from losing oxygen.

Assumed: all escaped O2 reaches the graphite (its diffusion across a 25 um separator, L^2/D under
a second for D ~ 1e-9 m2/s, is fast next to the ~13 min escape time) and reacts there, spread
uniformly over the negative electrode. The reaction is a negative-electrode side reaction summed
by ``LRMOTotalInterfacialCurrent``, so the graphite's intercalation current is reduced by it and
its Li inventory falls by exactly four Li per escaped O2.
"""

from __future__ import annotations

import pybamm

from .base import F
from .oxygen_loss import ELECTRONS_PER_O2


class OxygenCrossover(pybamm.BaseSubModel):
    """Reduction of escaped cathode oxygen on the negative electrode (full cells only)."""

    # the positive electrode's escape rate [mol O2 per m3 of positive electrode per s]
    ESCAPE_RATE = "X-averaged oxygen escape rate [mol.m-3.s-1]"

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_fundamental_variables(self):
        lost = pybamm.Variable(
            "Loss of lithium to oxygen crossover [mol]", domain="current collector"
        )
        return {"Loss of lithium to oxygen crossover [mol]": lost}

    def get_coupled_variables(self, variables):
        r_escape = variables[self.ESCAPE_RATE]
        a = variables["X-averaged negative electrode surface area to volume ratio [m-1]"]
        # O2 escaping per positive-electrode volume, reduced per negative-electrode volume
        a_j_av = -ELECTRONS_PER_O2 * F * r_escape * self.param.p.L / self.param.n.L
        j_av = a_j_av / a
        variables.update(
            {
                "X-averaged negative electrode oxygen crossover interfacial current density "
                "[A.m-2]": j_av,
                "Negative electrode oxygen crossover interfacial current density [A.m-2]": (
                    pybamm.PrimaryBroadcast(j_av, "negative electrode")
                ),
                "X-averaged negative electrode oxygen crossover volumetric interfacial current "
                "density [A.m-3]": a_j_av,
                "Negative electrode oxygen crossover volumetric interfacial current density "
                "[A.m-3]": pybamm.PrimaryBroadcast(a_j_av, "negative electrode"),
            }
        )
        return variables

    def set_rhs(self, variables):
        lost = variables["Loss of lithium to oxygen crossover [mol]"]
        r_escape = variables[self.ESCAPE_RATE]
        self.rhs = {lost: ELECTRONS_PER_O2 * r_escape * self.param.p.L * self.param.A_cc}

    def set_initial_conditions(self, variables):
        lost = variables["Loss of lithium to oxygen crossover [mol]"]
        self.initial_conditions = {lost: pybamm.Scalar(0)}
