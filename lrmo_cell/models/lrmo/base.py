"""Shared pieces of the LRMO positive-electrode submodels.

Every state of an LRMO mechanism lives where PyBaMM puts its own side-reaction states: one value
per electrode location in the DFN (domain "positive electrode"), one X-averaged value in the SPM
and SPMe ("x-average side reactions", PyBaMM's choice for those models).
"""

from __future__ import annotations

import pybamm

F = pybamm.constants.F
R = pybamm.constants.R
# phases of the positive electrode: PyBaMM's "particle phases" = "2"
TM, OXYGEN = "primary", "secondary"


def orphan(symbol: pybamm.Symbol) -> pybamm.Symbol:
    """The un-broadcast symbol (PyBaMM's X-averaged models broadcast lumped values)."""
    return symbol.orphans[0] if isinstance(symbol, pybamm.Broadcast) else symbol


SMALLEST_NORMAL = 2.2250738585072014e-308


def site_power(x: pybamm.Symbol, w: pybamm.Symbol) -> pybamm.Symbol:
    """x^w of a site fraction, zero where the solver leaves x a hair below zero.

    That keeps a non-integer power real without hiding anything: a mass-action rate has a term
    per direction, and where one term's sites are gone the other term is not, so a fraction past
    0 or 1 is still driven back (an empty surface can only be lithiated, a full one only
    delithiated). The floor is the smallest normal double rather than 0 so that both
    derivatives stay finite where a fraction is exactly 0 (an as-made oxygen couple is full to
    1e-19, i.e. exactly 1): w x^(w - 1) for every w >= 1, and x^w ln x with respect to a spread
    that moves with activation.
    """
    return pybamm.maximum(x, SMALLEST_NORMAL) ** w


class PositiveSubModel(pybamm.BaseSubModel):
    """A submodel of the positive electrode whose states are distributed (DFN) or X-averaged."""

    def __init__(self, param, options, x_average: bool):
        super().__init__(param, "positive", options=options)
        self.x_average = x_average

    def electrode_state(self, name: str, scale=1) -> dict:
        """A state named ``"Positive electrode <name>"`` and its X-averaged twin."""
        full_name = f"Positive electrode {name}"
        xav_name = f"X-averaged positive electrode {name}"
        if self.x_average:
            xav = pybamm.Variable(xav_name, domain="current collector", scale=scale)
            full = pybamm.PrimaryBroadcast(xav, "positive electrode")
        else:
            full = pybamm.Variable(
                full_name,
                domain="positive electrode",
                auxiliary_domains={"secondary": "current collector"},
                scale=scale,
            )
            xav = pybamm.x_average(full)
        return {full_name: full, xav_name: xav}

    def state_of(self, variables: dict, name: str) -> pybamm.Symbol:
        """The solved-for variable of ``electrode_state(name)`` (the X-averaged one in SPM/SPMe)."""
        prefix = "X-averaged positive electrode " if self.x_average else "Positive electrode "
        return variables[prefix + name]

    def local(self, variables: dict, name: str) -> pybamm.Symbol:
        """A positive-electrode variable where this submodel's states live."""
        if self.x_average:
            return variables[f"X-averaged positive electrode {name}"]
        return variables[f"Positive electrode {name}"]

    def hosts_volume_fraction(self, variables: dict) -> pybamm.Symbol:
        """Both couples' host volume fraction where this submodel's states live (what loss of
        active material leaves of the LRMO)."""
        return sum(
            self.local(variables, f"{phase} active material volume fraction")
            for phase in ("primary", "secondary")
        )

    def electrode_variables(self, name: str, value: pybamm.Symbol) -> dict:
        """``value`` (local to this submodel's states) as the full and X-averaged variables."""
        if self.x_average:
            xav = orphan(value)
            if xav.domain == []:
                xav = pybamm.PrimaryBroadcast(xav, "current collector")
            full = pybamm.PrimaryBroadcast(xav, "positive electrode")
        else:
            full = value
            xav = pybamm.x_average(full)
        return {f"Positive electrode {name}": full, f"X-averaged positive electrode {name}": xav}

    def integrate(self, per_volume: pybamm.Symbol) -> pybamm.Symbol:
        """Integral [per electrode volume x m3] over the positive electrode."""
        volume = self.param.p.L * self.param.A_cc
        return volume * pybamm.x_average(
            pybamm.PrimaryBroadcast(per_volume, "positive electrode")
            if self.x_average
            else per_volume
        )

    def oxygen_delithiation_rate(self, variables: dict) -> pybamm.Symbol:
        """R [s-1]: fraction of the oxygen couple's sites delithiated per second (negative on
        discharge), where this submodel's states live. TM migration is driven by the oxygen
        redox that has passed, not by time, so its hysteresis stays at low rates."""
        a_j = self.local(variables, "secondary volumetric interfacial current density [A.m-3]")
        eps = self.local(variables, "secondary active material volume fraction")
        c_max = pybamm.Parameter("Secondary: Maximum concentration in positive electrode [mol.m-3]")
        return a_j / (F * eps * c_max)
