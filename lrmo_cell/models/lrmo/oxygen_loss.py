"""Mechanism: irreversible loss of oxidised surface lattice oxygen, and the densified layer.

At high state of charge the oxidised surface oxygen (O^-, holes on Li-O-Li oxygen) pairs up and
leaves the lattice as O2 (Strehle et al., J. Electrochem. Soc. 164 (2017) A400,
doi:10.1149/2.1001702jes: O2 onset above the 4.5 V plateau, O depletion confined to a
near-surface layer because oxide ions are immobile in the bulk). The step is chemical: no current
passes and no Li is exchanged, because at that state of charge the Li is already gone. Two O^-
leave as O2 and hand their two electrons to the lattice, which reduce two transition metals (the
Mn3+ surface the study sees after discharge); those TMs, now in a densified spinel/rock-salt
surface, take part in TM redox no more:

    2 O^-(surface) + 2 M^(n+1)+ -> O2 + 2 M^n+(densified),

so per O2 two emptied oxygen-redox sites and two emptied TM sites are lost (PyBaMM's loss of
active material for each phase; the Li still held in the volume they take with them is Li lost to
densification), and the lattice oxygen of that volume that does not leave stays in the densified
layer. The rate is second order in the holes of the surface shell's oxygen (two O^- form one O2)
and first order in the oxidisable surface oxygen still present:

    r = (a_O / 2) k_loss Gamma theta h^2      [mol O2 per m3 electrode per s],
    h = 1 / (1 + exp(-F (dphi - U_shell) / (w_act R T))),
    dtheta/dt = -2 r / (a_O Gamma) + k_v (1 - theta),

h the oxidised share of the shell's oxygen, in equilibrium with the surface potential (a shell a
few nm thick follows it within milliseconds) on the shell's own oxygen couple, the activation
couple U_shell = U0_act + dU_onset: a Li-deficient shell oxidises its oxygen later (dU_onset,
``LiDeficientLayer``) whatever the bulk does. a_O is the oxygen domains' surface per electrode
volume, which the Li-deficient shell does not shrink (``oxidisable_surface_oxygen``), and
Gamma [mol O.m-2] the oxidisable surface oxygen
(fewer Li-O-Li in the Li-deficient layer lower it by the surface oxygen activity), k_v the rate at
which oxygen vacancies move inward and expose fresh Li-O-Li oxygen. theta Gamma is a property of
lattice oxygen already counted in the hosts (which of it is oxidisable), not a pool of its own:
refilling it moves no oxygen, and what leaves is debited from the hosts' volume. r is never
negative, and negligible below the activation plateau (h < exp(-F (U_shell - dphi) / w_act R T)).

The densified layer's thickness delta = n_dens / (a c_O) adds a film resistance rho_dens delta in
series with both couples; its TMs have left the hosts with its volume. The vacancies that move
inward, v = a_O Gamma k_v (1 - theta) [mol.m-3.s-1], enter the bulk (Csernica et al., Nat.
Energy 6 (2021) 642, doi:10.1038/s41560-021-00832-7: bulk O vacancies in Li-rich oxides
accumulate with cycling and go with voltage fade), where each pins nu of the TMs that sit in the
Li layer while the lattice is charged (``TMMigration`` takes the rate nu v m, m its branch
state). Assumed here: a vacancy acts on arrival only, and one that arrives while the TMs are
back in the TM layer (the share 1 - m) pins none then or later, so the bulk's vacancies are not
a state of their own (the oxygen they lack is the released oxygen, debited once, in n_dens).
Csernica et al. see the bulk vacancies persist and partly move; the other limit, a vacancy pool
that pins TMs as they come, would make the decay follow the vacancies' lifetime in the bulk,
which no source here gives.
"""

from __future__ import annotations

import pybamm

from lrmo_cell.parameters.functions import li_deficient_shell_oxygen_share

from .base import OXYGEN, F, PositiveSubModel, R
from .couples import activation_formal_potential, phase_parameter

THETA = "oxidisable surface oxygen fraction"
DENSIFIED = "densified layer oxygen [mol.m-3]"


def _lam_names(phase: str) -> str:
    return f"{phase} active material volume fraction change from oxygen loss [s-1]"


class SurfaceOxygenLoss(PositiveSubModel):
    """Oxygen release at high state of charge, the densified layer and its film resistance."""

    def oxidisable_surface_oxygen(self, variables):
        """a_O Gamma [mol O.m-3 of electrode] with theta = 1: the oxygen domains' surface (their
        PyBaMM area before the Li-deficient shell took sites from their volume: the shell is
        at that surface, and its fewer Li-O-Li are counted once, by the surface oxygen
        activity in Gamma)."""
        a_o = self.local(variables, "secondary surface area to volume ratio [m-1]")
        gamma = (
            pybamm.Parameter("Oxidisable surface oxygen [mol.m-2]")
            * variables["Surface oxygen activity"]
        )
        return a_o / li_deficient_shell_oxygen_share() * gamma

    def get_fundamental_variables(self):
        return {
            **self.electrode_state(THETA),
            **self.electrode_state(DENSIFIED, scale=pybamm.Scalar(100)),
        }

    def get_coupled_variables(self, variables):
        theta = self.local(variables, THETA)
        n_dens = self.local(variables, DENSIFIED)
        a_o = self.local(variables, "secondary surface area to volume ratio [m-1]")
        a_tm = self.local(variables, "primary surface area to volume ratio [m-1]")
        delta_phi = self.local(variables, "surface potential difference [V]")
        T = self.local(variables, "temperature [K]")
        shell = activation_formal_potential(variables, self.local, shell=True)
        w_act = phase_parameter(OXYGEN, "activation non-ideality factor")
        surface_oxygen = self.oxidisable_surface_oxygen(variables)
        k_loss = pybamm.Parameter("Oxygen release rate constant [s-1]")
        c_o = pybamm.Parameter("Lattice oxygen concentration [mol.m-3]")
        c_max_tm = pybamm.Parameter(
            "Primary: Maximum concentration in positive electrode [mol.m-3]"
        )
        c_max_o = pybamm.Parameter(
            "Secondary: Maximum concentration in positive electrode [mol.m-3]"
        )
        eps = self.hosts_volume_fraction(variables)
        # the logistic 1 / (1 + exp(-z)) in its overflow-free form
        holes = (1 + pybamm.tanh(F * (delta_phi - shell) / (2 * w_act * R * T))) / 2
        r_rel = k_loss * surface_oxygen * theta * holes**2 / 2
        thickness = self.electrode_variables(
            "densified layer thickness [m]", n_dens / ((a_o + a_tm) * c_o)
        )
        variables.update(thickness)
        r_film = (
            pybamm.Parameter("Initial positive film resistance [Ohm.m2]")
            + pybamm.Parameter("Densified layer Li+ resistivity [Ohm.m]")
            * thickness["X-averaged positive electrode densified layer thickness [m]"]
        )
        nu = pybamm.Parameter("TM migrations per oxygen vacancy")
        tm_per_o = pybamm.Parameter("Transition metals per lattice oxygen")
        k_v = pybamm.Parameter("Oxygen vacancy migration rate constant [s-1]")
        inward = surface_oxygen * k_v * (1 - theta)
        # TM sites of the hosts per electrode volume: rates below are shares of them per second
        tm_sites = tm_per_o * c_o * eps
        variables.update(self.electrode_variables("oxygen release rate [mol.m-3.s-1]", r_rel))
        variables.update(
            self.electrode_variables("inward oxygen vacancy flux [mol.m-3.s-1]", inward)
        )
        variables.update(self.electrode_variables(_lam_names("primary"), -2 * r_rel / c_max_tm))
        variables.update(self.electrode_variables(_lam_names("secondary"), -2 * r_rel / c_max_o))
        variables.update(
            self.electrode_variables("bulk vacancy TM migration rate [s-1]", nu * inward / tm_sites)
        )
        variables["X-averaged positive electrode densified film resistance [Ohm.m2]"] = r_film
        return variables

    def set_rhs(self, variables):
        theta = self.state_of(variables, THETA)
        n_dens = self.state_of(variables, DENSIFIED)
        r_rel = self.local(variables, "oxygen release rate [mol.m-3.s-1]")
        c_o = pybamm.Parameter("Lattice oxygen concentration [mol.m-3]")
        inward = self.local(variables, "inward oxygen vacancy flux [mol.m-3.s-1]")
        deps = self.local(variables, _lam_names("primary")) + self.local(
            variables, _lam_names("secondary")
        )
        self.rhs = {
            theta: (inward - 2 * r_rel) / self.oxidisable_surface_oxygen(variables),
            # lattice O of the destroyed volume that does not leave as O2
            n_dens: -deps * c_o - 2 * r_rel,
        }

    def set_initial_conditions(self, variables):
        self.initial_conditions = {
            self.state_of(variables, THETA): pybamm.Scalar(1),
            self.state_of(variables, DENSIFIED): pybamm.Scalar(0),
        }


class NoOxygenLoss(PositiveSubModel):
    """No oxygen leaves the lattice (option "none")."""

    def get_fundamental_variables(self):
        zero = pybamm.Scalar(0)
        variables = {}
        for name in (
            "oxygen release rate [mol.m-3.s-1]",
            DENSIFIED,
            "densified layer thickness [m]",
            "bulk vacancy TM migration rate [s-1]",
            "inward oxygen vacancy flux [mol.m-3.s-1]",
            _lam_names("primary"),
            _lam_names("secondary"),
        ):
            variables.update(self.electrode_variables(name, zero))
        variables["X-averaged positive electrode densified film resistance [Ohm.m2]"] = zero
        return variables
