"""PyBaMM's degradation and summary variables, extended over the LRMO model's oxygen inventory.

PyBaMM counts the Li a cell has lost as the particles' and electrolyte's shortfall, and checks it
against the Li its side reactions (SEI, plating) and its loss of active material hold. The LRMO
model has three more Li sinks that PyBaMM does not know: escaped O2 reduced on the graphite (four
Li per O2, ``EscapedOxygenCrossover``), the fresh graphite's SEI formation on its first
lithiation (``formation``) and O2 reduced to Li2O2 on the RuO2 islands (two Li per O2); each is
added to PyBaMM's "Total lithium lost to side reactions [mol]" (and its
capacity), so that the two ways of counting lost Li agree again. The SEI that deposited Mn
catalyses in a full cell is part of PyBaMM's own SEI (``tm_dissolution``); its share is a summary
variable of its own. Capacity and LAM need no
change: PyBaMM sums both phases, and the volume oxygen loss destroys is PyBaMM's own loss of
active material of each phase.

``LRMO_SUMMARY_VARIABLES`` are the per-cycle quantities of an LRMO study, added to PyBaMM's
summary variables (``Solution.summary_variables``, ``pybamm.plot_summary_variables``).
"""

from __future__ import annotations

CROSSOVER = "Loss of lithium to oxygen crossover [mol]"
LI2O2 = "Loss of lithium to Li2O2 on RuO2 [mol]"
MN_SEI = "Loss of lithium to Mn-catalysed SEI [mol]"
FORMATION = "Loss of lithium to graphite formation SEI [mol]"
LRMO_SUMMARY_VARIABLES = (
    "Positive electrode capacity [mA.h.g-1]",
    "Throughput capacity [mA.h.g-1]",
    "Released oxygen [umol.g-1]",
    "Escaped oxygen [umol.g-1]",
    "X-averaged positive electrode densified film resistance [Ohm.m2]",
    # PyBaMM's SEI film on the negative: in a full cell the graphite's, with the products the
    # deposited Mn catalyses (``tm_dissolution``)
    "X-averaged negative electrode resistance [Ohm.m2]",
    "X-averaged positive electrode irreversible TM migration fraction",
    "X-averaged positive electrode oxygen-redox hysteresis branch state",
    "Dissolved TM [umol.g-1]",
    CROSSOVER,
    LI2O2,
    MN_SEI,
    FORMATION,
)


def lrmo_degradation_variables(variables: dict, param) -> dict:
    """The LRMO additions to PyBaMM's degradation variables (after PyBaMM has set its own)."""
    mass_g = variables["Active powder mass [g]"]
    li2o2 = 2e-6 * variables["Oxygen reduced to Li2O2 on RuO2 [umol.g-1]"] * mass_g
    sinks = li2o2 + variables.get(CROSSOVER, 0) + variables.get(FORMATION, 0)
    lost = variables["Total lithium lost to side reactions [mol]"] + sinks
    return {
        LI2O2: li2o2,
        "Total lithium lost to side reactions [mol]": lost,
        "Total capacity lost to side reactions [A.h]": lost * param.F / 3600,
        "Positive electrode capacity [mA.h.g-1]": 1000
        * variables["Positive electrode capacity [A.h]"]
        / mass_g,
        "Throughput capacity [mA.h.g-1]": 1000 * variables["Throughput capacity [A.h]"] / mass_g,
    }


def lrmo_summary_variables(variables: dict) -> list[str]:
    """The LRMO summary variables this model defines (a "none" mechanism defines fewer)."""
    return [name for name in LRMO_SUMMARY_VARIABLES if name in variables]
