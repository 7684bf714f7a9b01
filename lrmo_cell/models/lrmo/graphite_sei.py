"""PyBaMM's SEI growth on the graphite of a full cell, with what the LRMO cell adds to it.

- The solvent's reduction in series with its diffusion. PyBaMM's "solvent-diffusion limited"
  law, j_d = -F D_sol c_sol / L (the set's OKane2022 parameters), takes the solvent to be
  reduced as soon as it reaches the graphite, at any potential: on the as-made cell's fresh
  graphite, at 2.3 V vs Li, it ran at 1.3e-5 A/m2, drained the graphite's last Li and moved the
  cell's voltage 6.5 mV in a 10 h rest, although no solvent is reduced that far above its
  reduction potential. Here the reduction, PyBaMM's reaction-limited law with the same set's
  parameters, j_r = F c_sol k_SEI exp(-F (dphi_n - U_SEI) / (2 R T)) (OKane2022: U_SEI = 0.4 V,
  k_SEI = 1e-12 m/s; symmetric transfer, as the LRMO couples), acts in series with the
  diffusion, as in PyBaMM's "ec reaction limited" law:

      j = j_d j_r / (j_r - j_d)   (j_d < 0),

  so on a lithiated graphite (dphi_n ~ 0.1 V, j_r ~ 7000 |j_d|) the growth is OKane's
  diffusion-limited one within 2e-4, and above ~0.6 V it stops. Both carry PyBaMM's Arrhenius
  factor. Only with the "solvent-diffusion limited" option; any other SEI option is PyBaMM's own.
- The reduction that deposited Mn catalyses (``tm_dissolution.DissolvedTMCrossover``), when
  "LRMO TM dissolution" is on: its current is added, one film, one Li sink, one resistance.

PyBaMM has no hook for either; this subclass extends the public ``get_coupled_variables`` and
rebuilds the SEI's standard variables from the summed current with PyBaMM's own helper.
"""

from __future__ import annotations

import pybamm

from .base import F, R
from .tm_dissolution import REACTION as CATALYSED


class GraphiteSEIGrowth(pybamm.sei.SEIGrowth):
    """The graphite's SEI growth: PyBaMM's, its solvent's reduction in series with a
    diffusion-limited growth (``in_series``) and the Mn-catalysed reduction (``catalysed``)."""

    def __init__(self, param, options, *, in_series: bool, catalysed: bool):
        super().__init__(param, "negative", options)
        self.in_series, self.catalysed = in_series, catalysed

    def get_coupled_variables(self, variables):
        # read first: a missing catalysed current must stop this submodel before PyBaMM's own
        # SEI current alone reaches the shared variables
        catalysed = (
            variables[f"Negative electrode {CATALYSED} interfacial current density [A.m-2]"]
            if self.catalysed
            else pybamm.Scalar(0)
        )
        variables = super().get_coupled_variables(variables)
        current = variables[
            f"Negative electrode {self.reaction_name}interfacial current density [A.m-2]"
        ]
        if self.in_series:
            current = _in_series_with_reduction(current, variables)
        variables.update(self._get_standard_reaction_variables(current + catalysed))
        # PyBaMM's volumetric SEI currents, from the summed interfacial current
        return super(pybamm.sei.SEIGrowth, self).get_coupled_variables(variables)


def _in_series_with_reduction(diffusion_limited, variables):
    """The diffusion-limited SEI current [A.m-2] in series with the solvent's reduction."""
    delta_phi = variables["Negative electrode surface potential difference [V]"]
    temperature = variables["Negative electrode temperature [K]"]
    arrhenius = pybamm.exp(
        pybamm.Parameter("SEI growth activation energy [J.mol-1]")
        / R
        * (1 / pybamm.Parameter("Reference temperature [K]") - 1 / temperature)
    )
    reduction = (
        F
        * pybamm.Parameter("Bulk solvent concentration [mol.m-3]")
        * pybamm.Parameter("SEI kinetic rate constant [m.s-1]")
        * arrhenius
        * pybamm.exp(
            -F
            * (delta_phi - pybamm.Parameter("SEI open-circuit potential [V]"))
            / (2 * R * temperature)
        )
    )
    return diffusion_limited * reduction / (reduction - diffusion_limited)
