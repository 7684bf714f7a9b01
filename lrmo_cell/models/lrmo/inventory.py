"""Li and O inventories of the LRMO cell, and per-mass outputs for spectroscopy and DEMS.

Li: both hosts' particles, the electrolyte (in the SPM less what the double layers took from
it, ``DoubleLayerLithium``), the counter electrode (or the graphite with the Li its
SEI, the part deposited Mn catalysed included, its formation on the first lithiation, its
plating and escaped O2 took), Li left in the
volume each host loses to densification, and Li in the Li2O2 on RuO2 (two per O2).
Lattice O: both hosts' active volume, the densified layer, and O2 dissolved, adsorbed, reduced
(as Li2O2) and escaped.
TM: the hosts' TMs (those of their volume, less what dissolved, ``tm_dissolution``), those of
the densified layer (the TMs per lattice O of the volume oxygen loss destroyed: its O still in the
layer and the O that left as O2), and in a full cell the dissolved TM in the electrolyte and in
the graphite's SEI. Each inventory is a state or a function of states, so the totals are
conserved by construction; tests check them to 1e-8.
"""

from __future__ import annotations

import pybamm

from .base import PositiveSubModel
from .electrode import DoubleLayerLithium
from .oxygen_loss import DENSIFIED
from .released_oxygen import POOLS, pool_name
from .tm_dissolution import DEPOSITED, IN_ELECTROLYTE, TOTAL_DISSOLVED

DOUBLE_LAYER = DoubleLayerLithium.NAME


class Inventories(PositiveSubModel):
    """Totals of Li and O over every inventory, and the per-mass oxygen variables."""

    def _negative_electrode_lithium(self, variables):
        """Li metal counter electrode (relative to as made), or the graphite's Li with what its
        side reactions took: SEI (its formation too), plating, and escaped oxygen reduced on it."""
        if self.options["working electrode"] == "positive":
            return variables["Lithium in counter electrode [mol]"]
        c = variables["R-averaged negative particle concentration [mol.m-3]"]
        eps = variables["Negative electrode active material volume fraction"]
        graphite = self.param.n.L * self.param.A_cc * pybamm.x_average(eps * c)
        losses = [
            "Loss of lithium to negative SEI [mol]",
            "Loss of lithium to negative SEI on cracks [mol]",
            "Loss of lithium to negative lithium plating [mol]",
            "Loss of lithium to oxygen crossover [mol]",
            "Loss of lithium to graphite formation SEI [mol]",
        ]
        return graphite + sum(variables[name] for name in losses if name in variables)

    def _r_averaged(self, variables, phase):
        c = variables[f"R-averaged positive {phase} particle concentration [mol.m-3]"]
        return pybamm.x_average(c) if self.x_average else c

    def get_coupled_variables(self, variables):
        c_o = pybamm.Parameter("Lattice oxygen concentration [mol.m-3]")
        eps = self.hosts_volume_fraction(variables)
        pools = {p: self.integrate(self.local(variables, pool_name(p))) for p in POOLS}
        released = sum(pools.values())
        lattice = self.integrate(eps * c_o)
        densified = self.integrate(self.local(variables, DENSIFIED))
        # Li in the hosts with the same R-averaged concentrations PyBaMM's loss of active material
        # debits, so that a destroyed volume's Li moves between the two inventories exactly
        hosts = sum(
            self.integrate(
                self.local(variables, f"{phase} active material volume fraction")
                * self._r_averaged(variables, phase)
            )
            for phase in ("primary", "secondary")
        )
        li = (
            hosts
            + variables["Total lithium in electrolyte [mol]"]
            - variables.get(DOUBLE_LAYER, 0)
            + self._negative_electrode_lithium(variables)
            + variables[
                "Loss of lithium due to loss of primary active material in positive electrode [mol]"
            ]
            + variables[
                "Loss of lithium due to loss of secondary active material in positive "
                "electrode [mol]"
            ]
            + 2 * pools["reduced"]
        )
        mass_g = 1000 * self.integrate(
            pybamm.Parameter("Positive electrode active material volume fraction")
            * pybamm.Parameter("LRMO density [kg.m-3]")
            / (1 - pybamm.Parameter("RuO2 mass fraction in active powder"))
        )
        # holes on oxygen (one per emptied oxygen-couple site) per lattice oxygen of the hosts
        x_o = variables["R-averaged positive secondary particle stoichiometry"]
        eps_tm, eps_o = (
            variables[f"Positive electrode {phase} active material volume fraction"]
            for phase in ("primary", "secondary")
        )
        eps_hosts = eps_tm + eps_o
        holes = (
            (1 - x_o)
            * eps_o
            * pybamm.Parameter("Secondary: Maximum concentration in positive electrode [mol.m-3]")
        )
        oxidised = holes / (eps_hosts * c_o)
        # TMs per lattice O of the hosts' volume and of the volume lost to densification (its O
        # in the layer, and the O that left as O2), less the TMs dissolved out of the hosts
        tm_per_o = pybamm.Parameter("Transition metals per lattice oxygen")
        tm_positive = tm_per_o * (lattice + densified + 2 * released) - variables[TOTAL_DISSOLVED]
        tm_crossed = sum(
            variables[name] for name in (IN_ELECTROLYTE, DEPOSITED) if name in variables
        )
        variables.update(
            {
                "Total transition metal in positive electrode [mol]": tm_positive,
                "Total transition metal in all inventories [mol]": tm_positive + tm_crossed,
                "Dissolved TM [umol.g-1]": 1e6 * variables[TOTAL_DISSOLVED] / mass_g,
                "Total lithium in all inventories [mol]": li,
                "Total lattice oxygen in hosts [mol]": lattice,
                "Total oxygen in densified layer [mol]": densified,
                "Total released oxygen [mol]": released,
                "Total oxygen in all inventories [mol]": lattice + densified + 2 * released,
                "Active powder mass [g]": mass_g,
                "Released oxygen [umol.g-1]": 1e6 * released / mass_g,
                "Escaped oxygen [umol.g-1]": 1e6 * pools["escaped"] / mass_g,
                "Oxygen reduced to Li2O2 on RuO2 [umol.g-1]": 1e6 * pools["reduced"] / mass_g,
                "RuO2-bound oxygen [umol.g-1]": 1e6
                * (pools["adsorbed"] + pools["reduced"])
                / mass_g,
                "Oxidised lattice oxygen fraction": oxidised,
                "X-averaged oxidised lattice oxygen fraction": pybamm.x_average(holes)
                / pybamm.x_average(eps_hosts * c_o),
            }
        )
        return variables
