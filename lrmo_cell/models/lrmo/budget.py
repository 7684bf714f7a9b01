"""The first-cycle irreversible-capacity budget of an LRMO half cell, per sample.

The charge that does not come back on the first discharge is the Li the hosts end the cycle
without. With x the R-averaged site occupancy of a couple, eps its active volume fraction and
c_max its site density, the hosts' Li deficit sum[x0 eps0 - x1 eps1] c_max V splits exactly into

- Li sites lost to oxygen loss (the volume the densifying surface takes from the hosts),
  x0 (eps0 - eps1) c_max V, less the Li the lost volume still held (trapped there, not returned
  to the counter electrode); TMs settled in the Li layer take no sites (``TMMigration``), they
  shift them;
- Li kinetically stranded at the cut-off, eps1 (x0 - x1) c_max V: sites that are left empty and a
  slower discharge would refill, for each couple;
- less the Li the electrolyte gained over the cycle (its concentration profile relaxes
  differently);
- less the Li the RuO2 couple took up as Li2O2 at the end of the discharge (two per O2), which
  the discharge delivered on top of the hosts;
- plus the charge that oxidised the electrolyte (``electrolyte_oxidation``), which passed
  without taking Li from the hosts.

In the spirit of the Li-rich literature's split (O2 and densification, kinetic Li trapped at
the cut-off; Strehle et al., J. Electrochem. Soc. 164 (2017) A400; Robert &
Novak, Chem. Mater. 30 (2018) 1907 for the kinetic part), with every term from the model's
states, so the parts add up to charge minus discharge. The rows are these signed parts: a
row named "less ..." is minus the quantity it names.
"""

from __future__ import annotations

import pybamm

F_MAH_PER_MOL = pybamm.constants.F.value / 3.6  # mAh per mol of Li

_PHASES = {"TM": "primary", "oxygen": "secondary"}


def _ends(solution, name):
    values = solution[name].entries
    if values.ndim > 1:  # x-distributed: electrode average
        values = values.mean(axis=0)
    return float(values[0]), float(values[-1])


def first_cycle_budget(solution: pybamm.Solution, parameter_values) -> dict[str, float]:
    """Budget [mAh per g of active powder] of the first cycle of ``solution`` (an LRMO
    half-cell experiment whose first cycle is a charge and a discharge)."""
    cycle = solution.cycles[0]
    p = parameter_values
    volume = (
        p["Positive electrode thickness [m]"] * p["Electrode height [m]"] * p["Electrode width [m]"]
    )
    mass_g = cycle["Active powder mass [g]"].entries[0]
    per_g = F_MAH_PER_MOL / mass_g
    budget = {}
    destroyed = 0.0
    for couple, phase in _PHASES.items():
        c_max = p[f"{phase.capitalize()}: Maximum concentration in positive electrode [mol.m-3]"]
        x0, x1 = _ends(cycle, f"R-averaged positive {phase} particle stoichiometry")
        eps0, eps1 = _ends(
            cycle, f"X-averaged positive electrode {phase} active material volume fraction"
        )
        destroyed += x0 * (eps0 - eps1) * c_max * volume
        budget[f"Li stranded in the {couple} couple at the cut-off [mAh.g-1]"] = (
            eps1 * (x0 - x1) * c_max * volume * per_g
        )
    trapped = sum(
        _ends(
            cycle,
            f"Loss of lithium due to loss of {phase} active material in positive electrode [mol]",
        )[1]
        for phase in _PHASES.values()
    )
    electrolyte = _ends(cycle, "Total lithium in electrolyte [mol]")
    budget["Li sites lost to oxygen loss [mAh.g-1]"] = (destroyed - trapped) * per_g
    gained = electrolyte[1] - electrolyte[0]
    budget["less Li gained by the electrolyte [mAh.g-1]"] = -gained * per_g
    budget["less Li taken up as Li2O2 on RuO2 [mAh.g-1]"] = (
        -2e-6 * _ends(cycle, "Oxygen reduced to Li2O2 on RuO2 [umol.g-1]")[1] * F_MAH_PER_MOL
    )
    budget["Li trapped in the densified layer [mAh.g-1]"] = trapped * per_g
    oxidation = _ends(cycle, "Charge to electrolyte oxidation [mol]")
    budget["Charge to electrolyte oxidation [mAh.g-1]"] = (oxidation[1] - oxidation[0]) * per_g
    budget["O2 released [umol.g-1]"] = _ends(cycle, "Released oxygen [umol.g-1]")[1]
    budget["O2 escaped [umol.g-1]"] = _ends(cycle, "Escaped oxygen [umol.g-1]")[1]
    return budget
