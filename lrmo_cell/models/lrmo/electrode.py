"""PyBaMM submodels of the positive electrode that the LRMO model extends by public methods.

- ``LostSitesActiveMaterial``: PyBaMM's loss of active material for one phase, driven by the
  sites that oxygen loss destroys (``SurfaceOxygenLoss``); never negative, so the host never
  heals.
- ``LRMOTotalInterfacialCurrent``: PyBaMM's sum of reaction currents plus the RuO2 surface oxygen
  couple, which exchanges Li+ with the electrolyte but no Li with either host, the electrolyte's
  oxidation and, in a full cell, the reduction of its products and of escaped O2 on the
  graphite. PyBaMM has no hook for an extra reaction of an electrode; this subclass extends the
  public ``get_coupled_variables`` and rebuilds the whole-cell sums with PyBaMM's own helper.
- ``EscapedOxygenCrossover``: in a full cell, escaped O2 crosses to the graphite and is reduced
  there, O2 + 4 Li+ + 4 e- -> 2 Li2O, taking four cyclable Li per O2 (cathode-to-anode cross-talk
  of Li-rich oxides). Without this sink the Li+ that the hosts gave up for the holes whose oxygen
  left would stay cyclable, and a full cell would gain capacity from losing oxygen. Assumed: all
  escaped O2 reaches the graphite (across a 25 um separator L^2/D is under a second for D ~ 1e-9
  m2/s, fast next to the escape time) and reacts spread uniformly over the negative electrode, as
  a negative-electrode side reaction that ``LRMOTotalInterfacialCurrent`` sums; and reduced all
  the way to Li2O at a lithiated graphite's potential (no source here splits the products: Li2O2
  or carbonates would take two Li per O2, which halves this sink).
- ``CounterElectrodeLithium``: the Li inventory of a Li metal counter electrode, which PyBaMM does
  not track, so that the Li balance of a half cell closes over every inventory;
  ``set_explicit_lithium_metal_submodels`` gives that electrode PyBaMM's explicit interface.
- ``DoubleLayerLithium``: in the SPM, the Li+ the double layers' charge takes from the
  electrolyte, which the SPM's fixed electrolyte cannot show (the SPMe's and DFN's electrolyte
  loses it, as ``tests/test_model_standard.py`` checks), so that the SPM's Li balance closes.
"""

from __future__ import annotations

import pybamm

from .base import F

ELECTRONS_PER_O2 = 4


class LostSitesActiveMaterial(pybamm.active_material.LossActiveMaterial):
    """Active material of one phase lost to oxygen loss."""

    def get_coupled_variables(self, variables):
        prefix = f"{'X-averaged p' if self.x_average else 'P'}ositive electrode {self.phase} "
        deps = variables[f"{prefix}active material volume fraction change from oxygen loss [s-1]"]
        variables.update(self._get_standard_active_material_change_variables(deps))
        return variables


class LRMOTotalInterfacialCurrent(pybamm.interface.TotalInterfacialCurrent):
    """PyBaMM's total interfacial current with the RuO2 surface oxygen couple added."""

    def __init__(self, param, options):
        super().__init__(param, "lithium-ion", options)

    def get_coupled_variables(self, variables):
        variables = super().get_coupled_variables(variables)
        extra = [
            ("positive", "RuO2 oxygen"),
            ("positive", "electrolyte oxidation"),
        ]
        if self.options["working electrode"] == "both":
            extra += [
                ("negative", "oxygen crossover"),
                ("negative", "electrolyte oxidation products"),
                ("negative", "formation SEI"),
            ]
        for domain, reaction in extra:
            a_j = variables[
                f"{domain.capitalize()} electrode {reaction} volumetric interfacial current "
                "density [A.m-3]"
            ]
            for name in (
                f"Sum of {domain} electrode electrolyte reaction source terms [A.m-3]",
                f"Sum of {domain} electrode volumetric interfacial current densities [A.m-3]",
            ):
                variables[name] = variables[name] + a_j
                x_name = name.replace(f"Sum of {domain}", f"Sum of x-averaged {domain}")
                variables[x_name] = variables[x_name] + pybamm.x_average(a_j)
        variables.update(self._get_whole_cell_coupled_variables(variables))
        return variables


def uniform_negative_reaction(variables: dict, reaction: str, a_j_av) -> dict:
    """The variables of a side reaction spread uniformly over the negative electrode, from its
    volumetric current density ``a_j_av`` [A.m-3]: interfacial and volumetric, X-averaged and
    broadcast (the names ``LRMOTotalInterfacialCurrent`` sums)."""
    a = variables["X-averaged negative electrode surface area to volume ratio [m-1]"]
    name = f"negative electrode {reaction} {{}}interfacial current density [A.m-{{}}]"
    out = {}
    for kind, value, exponent in (("", a_j_av / a, 2), ("volumetric ", a_j_av, 3)):
        out[f"X-averaged {name.format(kind, exponent)}"] = value
        out["N" + name.format(kind, exponent)[1:]] = pybamm.PrimaryBroadcast(
            value, "negative electrode"
        )
    return out


class EscapedOxygenCrossover(pybamm.BaseSubModel):
    """Reduction of escaped cathode oxygen on the negative electrode (full cells only)."""

    ESCAPE_RATE = "X-averaged positive electrode oxygen escape rate [mol.m-3.s-1]"
    LOST = "Loss of lithium to oxygen crossover [mol]"

    def __init__(self, param, options=None):
        super().__init__(param, domain="negative", options=options)

    def get_fundamental_variables(self):
        return {self.LOST: pybamm.Variable(self.LOST, domain="current collector")}

    def get_coupled_variables(self, variables):
        r_escape = variables[self.ESCAPE_RATE]
        # O2 escaping per positive-electrode volume, reduced per negative-electrode volume
        a_j_av = -ELECTRONS_PER_O2 * F * r_escape * self.param.p.L / self.param.n.L
        variables.update(uniform_negative_reaction(variables, "oxygen crossover", a_j_av))
        return variables

    def set_rhs(self, variables):
        r_escape = variables[self.ESCAPE_RATE]
        self.rhs = {
            variables[self.LOST]: ELECTRONS_PER_O2 * r_escape * self.param.p.L * self.param.A_cc
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.LOST]: pybamm.Scalar(0)}


def set_explicit_lithium_metal_submodels(model) -> None:
    """The Li metal counter electrode of ``model`` as PyBaMM has it without a surface form:
    inverted Butler-Volmer, no double layer. The surface form the LRMO model needs for its
    positive electrode would otherwise also give the Li metal a double-layer state, whose
    millisecond transient at every current step only costs solver steps."""
    param, options = model.param, model.options
    model.submodels["negative electrode potential"] = pybamm.electrode.ohm.LithiumMetalExplicit(
        param, "negative", options
    )
    model.submodels["negative electrode interface"] = pybamm.kinetics.InverseButlerVolmer(
        param, "negative", "lithium metal plating", options
    )
    model.submodels["negative electrode interface current"] = (
        pybamm.kinetics.CurrentForInverseKineticsLithiumMetal(
            param, "negative", "lithium metal plating", options
        )
    )


class CounterElectrodeLithium(pybamm.BaseSubModel):
    """Li in the Li metal counter electrode [mol], relative to its as-made amount."""

    NAME = "Lithium in counter electrode [mol]"

    def get_fundamental_variables(self):
        return {self.NAME: pybamm.Variable(self.NAME, scale=pybamm.Scalar(1e-6))}

    def set_rhs(self, variables):
        # discharge (positive current) strips Li from the counter electrode; the part of the
        # current that reduces the electrolyte's oxidation products there plates no Li
        # (``electrolyte_oxidation``)
        current = variables["Current [A]"] + variables["Electrolyte oxidation current [A]"]
        self.rhs = {variables[self.NAME]: -current / F}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.NAME]: pybamm.Scalar(0)}


class DoubleLayerLithium(pybamm.BaseSubModel):
    """Li+ taken from the electrolyte by the porous electrodes' double layers [mol] (the SPM,
    whose electrolyte concentration is fixed).

    PyBaMM's surface form charges each double layer with the electrode's current less its
    reactions', a C_dl d(dphi)/dt = a j_total - sum a j; the SPMe and DFN take that charge's
    Li+ out of the electrolyte, the SPM's fixed electrolyte cannot. A Li metal electrode has no
    double layer (``set_explicit_lithium_metal_submodels``)."""

    NAME = "Lithium taken from the electrolyte by the double layers [mol]"

    def get_fundamental_variables(self):
        return {self.NAME: pybamm.Variable(self.NAME, scale=pybamm.Scalar(1e-6))}

    def set_rhs(self, variables):
        domains = (
            ("negative", "positive")
            if self.options["working electrode"] == "both"
            else ("positive",)
        )
        # a C_dl d(dphi)/dt, as PyBaMM's leading-order surface form writes it
        total = "X-averaged {} electrode total volumetric interfacial current density [A.m-3]"
        reactions = (
            "Sum of x-averaged {} electrode volumetric interfacial current densities [A.m-3]"
        )
        charge_rate = sum(
            (variables[total.format(d)] - variables[reactions.format(d)])
            * self.param.domain_params[d].L
            for d in domains
        )
        self.rhs = {variables[self.NAME]: charge_rate * self.param.A_cc / F}

    def set_initial_conditions(self, variables):
        self.initial_conditions = {variables[self.NAME]: pybamm.Scalar(0)}
