"""The two redox couples of the LRMO host: transition-metal redox and lattice-oxygen redox.

Why two particle phases (PyBaMM "particle phases" = "2") rather than one MSMR particle: the LRMO
of the study is a nanocomposite of LiMO2-like (M = Ni, Co, Mn) and Li2MnO3-like domains
(xLi2MnO3.(1-x)LiMO2; Thackeray et al., J. Mater. Chem. 17 (2007) 3112, doi:10.1039/b702425h).
Ni/Co redox lives in the first, the oxidisable Li-O-Li oxygen of the second (Seo et al., Nat.
Chem. 8 (2016) 692, doi:10.1038/nchem.2524). Each domain has its own Li transport (GITT shows a
different diffusivity on the oxygen plateau) and both exchange Li+ with the same electrolyte at
the same surface potential, distributed through the electrode in the DFN. MSMR would give them
one diffusivity and one fixed OCP per reaction; the oxygen couple's formal potential moves with
its history (first-charge activation, TM-migration hysteresis and decay), which a PyBaMM MSMR
particle (whose state is the potential itself) cannot carry while conserving Li.

Each couple is a one-gallery MSMR reaction (Baker & Verbrugge, J. Electrochem. Soc. 165 (2018)
A3952, doi:10.1149/2.0771816jes) with site fraction x (Li-occupied) at the particle surface:

    U = U0 + w (R T / F) ln((1 - x) / x),
    j = k (c_e / c_ref)^(1/2) [x^w exp(f (dphi - U0) / 2) - (1 - x)^w exp(-f (dphi - U0) / 2)]

with f = F / R T, dphi the surface potential difference less the densified film's drop, for "LRMO
kinetics" = "Butler-Volmer". The default, "Marcus-Hush-Chidsey", keeps the same mass-action form
and the same exchange current but replaces exp(+-eta / 2) by the symmetric Marcus-Hush-Chidsey
rates of ``transfer_rates`` (Zeng, Smith, Bai & Bazant, J. Electroanal. Chem. 735 (2014) 77,
doi:10.1016/j.jelechem.2014.09.038), equal to Butler-Volmer with alpha = 1/2 at small eta and
bounded beyond the reorganization energy. Why: the as-made oxygen couple rests 1.1 V below its
activation potential and the RuO2 couple runs 1.8 V above its own at the top of charge; there the
unbounded Butler-Volmer exponential (e^21 and e^35) turns a site fraction the solver resolves to
1e-12 into a current larger than the 1C current, which is no physics (Marcus inverted region), only
the exponential's reach. This mass-action form
is MSMR Butler-Volmer with alpha = 1/2 and j0 = k (c_e / c_ref)^(1/2) x^(w/2) (1 - x)^(w/2),
written without the logarithm: the anodic term needs Li in the host, the cathodic term free sites,
and neither vanishes where its direction is still possible, so a full or empty surface always has a
restoring force and there is no 0 x infinity at the ends.

The oxygen couple's sites come in two populations (``OxygenRedoxActivation``): a share u of its
sites is unactivated Li2MnO3-like oxygen, Li-occupied as made, which delithiates only forward, on
the flat first-charge plateau (formal potential U0_act, spread w_act), and turns into
an activated site once empty; the activated sites (occupancy x - u) cycle reversibly at
U0_O + dU_hys - dU_irr with spread w (hysteresis and decay from ``TMMigration``):

    j_O = k [(x - u)^w r_ox(eta_O) - (1 - x)^w r_red(eta_O)] + k u^w_act r_ox(eta_act).

The couple's open-circuit potential is its rest potential, dphi - eta, and its reaction
overpotential is the driving force of the whole current it carries, whichever of its sites
carry it:

    eta = (R T / F) ln[((x - u)^w r_ox(eta_O) + u^w_act r_ox(eta_act)) / ((1 - x)^w r_red(eta_O))],

which has the sign of the couple's current wherever it runs. With no unactivated sites left it
is, by detailed balance (r_ox / r_red = exp(eta_O)), the reversible gallery's overpotential
dphi - U0 - w (R T / F) ln((1 - x) / (x - u)), as for the TM couple; with them, under
Butler-Volmer, the rest potential is the mixed potential of the two populations, a function of
the state; under Marcus-Hush-Chidsey the ratio of the two populations' oxidation rates moves
with the potential, so the rest potential is the zero-current potential only where the current
vanishes. It is computed from the rates' logarithms (exact where a rate underflows or cancels:
the current itself, from the rates, can take the wrong sign where it is below ~1e-14 of the rate
constant, under Marcus-Hush-Chidsey at |eta_O| above ~34) with a share of 1e-12 of sites held at
equilibrium on both sides, which bounds it where the couple has no sites on one side: the
as-made couple (x = u = 1), whose only reaction, the activation 1.1 V below its plateau, runs
one way at ~e^-39 of its rate constant, is kinetically frozen rather than at rest, and reports
the driving force of that oxidation as the floor bounds it (1.135 V in the sets, 0.18 V less
per decade more of the share; its reported open-circuit potential is then 2.27 V). Why: against the
reversible sites' OCP alone the activation on the first-charge plateau ran under an
overpotential down to -1.5 V, and PyBaMM's thermal models took its reaction heat a j eta as
negative. That heat is now never negative, but it is a lower bound on what the couple
dissipates: the exchange of Li between its two populations at zero net current, and the energy
of the activated sites' lower potential, are heat that one overpotential per phase cannot
carry.

"""

from __future__ import annotations

import pybamm

from lrmo_cell.parameters.functions import arrhenius

from .base import OXYGEN, SMALLEST_NORMAL, TM, F, R, orphan, site_power

C_E_REF = 1000.0  # mol.m-3, the reference of the rate constants (1 M electrolyte)
# the share of a couple's sites taken to be at equilibrium with the surface when its driving force
# is reported, gallery_ocp's floor: it bounds the driving force of a couple with no sites on one
# side (the as-made oxygen couple, x = u = 1: 0.18 V less per decade more of it), and moves that
# of a couple with sites by (1e-12 / its sites' share)^w exp(|eta| / 2) of R T / F, nothing
# for the sets' w = 3
EQUILIBRIUM_SHARE = 1e-12


def _mhc_shape(eta, reorganization):
    """Marcus-Hush-Chidsey's rate shape at the scaled overpotential eta, 1 at eta = 0, between 1
    and 2 / erfc of its value there (Zeng et al. 2014's closed form), the same in both
    directions."""
    root = pybamm.sqrt(reorganization)

    def erfc_part(x):
        return pybamm.erfc((reorganization - pybamm.sqrt(1 + root + x**2)) / (2 * root))

    return erfc_part(eta) / erfc_part(pybamm.Scalar(0))


def transfer_rates(eta, reorganization, kinetics: str):
    """(oxidation, reduction) rate factors at the scaled overpotential eta = F eta / R T.

    Both are 1 at eta = 0 and their ratio is exp(eta) (detailed balance). "Butler-Volmer":
    exp(+-eta / 2). "Marcus-Hush-Chidsey": Zeng et al. 2014's closed form with the scaled
    reorganization energy ``reorganization`` (lambda / k T), normalised to 1 at eta = 0.
    """
    if kinetics == "Butler-Volmer":
        return pybamm.exp(eta / 2), pybamm.exp(-eta / 2)
    shape = _mhc_shape(eta, reorganization)
    # 2 / (1 + exp(-+eta)) written with tanh, which cannot overflow however far a Newton
    # iterate strays
    return shape * (1 + pybamm.tanh(eta / 2)), shape * (1 - pybamm.tanh(eta / 2))


def _log_sigmoid(z):
    """ln(1 / (1 + exp(-z))) without overflow or cancellation at any z."""
    return -(pybamm.maximum(-z, 0) + pybamm.log(1 + pybamm.exp(-abs(z))))


def log_transfer_rates(eta, reorganization, kinetics: str):
    """ln of ``transfer_rates``, exact where the rates themselves underflow or cancel (1 -
    tanh(eta / 2) is 0 in double precision from eta = 38)."""
    if kinetics == "Butler-Volmer":
        return eta / 2, -eta / 2
    log_shape = pybamm.log(2 * _mhc_shape(eta, reorganization))
    return log_shape + _log_sigmoid(eta), log_shape + _log_sigmoid(-eta)


def _log_sum(*logs):
    """ln(sum(exp(l))) of the logarithms ``logs``, without overflow."""
    top = logs[0]
    for term in logs[1:]:
        top = pybamm.maximum(top, term)
    return top + pybamm.log(sum(pybamm.exp(term - top) for term in logs))


def phase_parameter(phase: str, name: str) -> pybamm.Parameter:
    return pybamm.Parameter(f"{phase.capitalize()}: Positive electrode {name}")


def formal_potential_and_spread(variables: dict, phase: str, local):
    """(U0 [V], w) of a couple's reversible sites, from the mechanism variables where they
    live: the TM couple, or the activated sites of the oxygen couple."""
    shift_irr = local(variables, "TM migration OCP shift [V]")
    if phase == TM:
        return (
            phase_parameter(TM, "formal potential [V]") - shift_irr,
            phase_parameter(TM, "non-ideality factor"),
        )
    u0 = (
        phase_parameter(OXYGEN, "formal potential [V]")
        + local(variables, "oxygen-redox hysteresis shift [V]")
        - shift_irr
    )
    return u0, phase_parameter(OXYGEN, "non-ideality factor")


def surface_unactivated_share(u, x_surf):
    """Unactivated (Li-occupied) share of the sites at the particle surface.

    The unactivated share u is a particle average of a site property; at a surface that the
    current has emptied below u, no more than x_surf of its sites can still hold Li, so the
    unactivated sites there are the occupied ones: min(u, x_surf). Without this bound the
    activated sites at a depleted surface would count a negative occupancy, and every Li of the
    particle would leave through the activation term (a referee of the model)."""
    return pybamm.minimum(u, x_surf)


def activation_formal_potential(variables: dict, local, shell: bool = False):
    """U0 [V] of the unactivated oxygen sites' plateau: in the bulk, or (``shell``) in the
    Li-deficient surface shell, whose fewer Li-O-Li oxidise later (dU_onset). Why the shift is
    the shell's only: the layer is a few nm of a ~125 nm particle, and what it changes is the
    oxidation of its own oxygen (the surface-sensitive onset of lattice-oxygen oxidation and the
    O2 loss, ``SurfaceOxygenLoss``), not the bulk Li2MnO3 plateau under it (a referee). The
    bulk's migrated TMs shift the bulk plateau only: the shell's TMs are not among them
    (``TMMigration``), so its oxygen keeps its own potential (another referee: with the bulk
    shift on it, Ru-1's own migration had undone its 0.2 V later onset within ~170 cycles)."""
    u0 = phase_parameter(OXYGEN, "activation formal potential [V]")
    if shell:
        return u0 + local(variables, "oxygen-redox activation onset shift [V]")
    return u0 - local(variables, "TM migration OCP shift [V]")


def oxygen_couple_rates(x, u, eta, eta_act, w, w_act, reorganization, kinetics):
    """(reversible oxidation, activation, reduction) of the oxygen couple per unit rate constant,
    at the scaled overpotentials eta = F (dphi - U0) / R T of its activated sites and eta_act =
    F (dphi - U0_act) / R T of its unactivated ones; x the surface site fraction, u the
    unactivated share there (``surface_unactivated_share``)."""
    oxidation, reduction = transfer_rates(eta, reorganization, kinetics)
    activation, _ = transfer_rates(eta_act, reorganization, kinetics)
    return (
        site_power(x - u, w) * oxidation,
        site_power(u, w_act) * activation,
        site_power(1 - x, w) * reduction,
    )


def oxygen_couple_driving_force(x, u, eta, eta_act, w, w_act, reorganization, kinetics):
    """F / R T-scaled driving force of the oxygen couple: ln of its anodic rate (the reversible
    sites' oxidation and the activation) over its cathodic rate (the reversible sites'
    reduction), arguments as ``oxygen_couple_rates``. Where its current runs it has the current's
    sign; with no unactivated sites it is the reversible gallery's eta - w ln((1 - x) / (x - u)),
    the affinity per electron of a single reaction (detailed balance). Computed from the rates'
    logarithms, so that it stays exact where a rate underflows, with a share
    ``EQUILIBRIUM_SHARE`` of sites at equilibrium added to both sides."""
    log_ox, log_red = log_transfer_rates(eta, reorganization, kinetics)
    log_activation, _ = log_transfer_rates(eta_act, reorganization, kinetics)

    def log_share(share, power):
        return power * pybamm.log(pybamm.maximum(share, SMALLEST_NORMAL))

    log_equilibrium = w * pybamm.log(pybamm.Scalar(EQUILIBRIUM_SHARE)) + (log_ox + log_red) / 2
    anodic = _log_sum(
        log_share(x - u, w) + log_ox, log_share(u, w_act) + log_activation, log_equilibrium
    )
    cathodic = _log_sum(log_share(1 - x, w) + log_red, log_equilibrium)
    return anodic - cathodic


def surface_potential_difference(variables, x):
    """The positive's surface potential difference where a couple's surface site fraction x
    lives (through the electrode even in the SPMe, PyBaMM's own choice there)."""
    delta_phi = orphan(variables["Positive electrode surface potential difference [V]"])
    if x.domain == ["positive electrode"] and delta_phi.domain == ["current collector"]:
        delta_phi = pybamm.PrimaryBroadcast(delta_phi, "positive electrode")
    return delta_phi


def densified_film_overpotential(variables, j_tot_av):
    """[V] the drop across the densified surface layer, which both couples and the RuO2 couple
    see in series: -j_tot r_film, j_tot the electrode's mean interfacial current density."""
    r_film = variables["X-averaged positive electrode densified film resistance [Ohm.m2]"]
    return -j_tot_av * r_film


def gallery_ocp(filled, empty, u0, w, T):
    """One-gallery MSMR OCP [V] from the shares of filled and empty reversible sites; the shares
    are floored for the logarithm only (reporting, never kinetics)."""
    filled, empty = pybamm.maximum(filled, 1e-12), pybamm.maximum(empty, 1e-12)
    return u0 + w * R * T / F * pybamm.log(empty / filled)


class GalleryOpenCircuitPotential(pybamm.open_circuit_potential.BaseOpenCircuitPotential):
    """OCP of one couple from its (history-dependent) formal potential and spread: the TM
    couple's gallery OCP; the oxygen couple's rest potential (module docstring), which is the
    gallery OCP of its activated sites once no unactivated ones are left."""

    def __init__(self, param, options, phase, x_average, kinetics):
        super().__init__(param, "positive", "lithium-ion main", options, phase)
        self.x_average = x_average
        self.kinetics = kinetics

    def _local(self, variables, name):
        prefix = "X-averaged positive electrode " if self.x_average else "Positive electrode "
        return variables[prefix + name]

    def _rest_potential(self, variables, local, x, u_particle, u0, w, T, delta_phi):
        """The oxygen couple's rest potential [V] at site fraction x and the present
        (film-corrected) surface potential difference."""
        u = surface_unactivated_share(u_particle, x)
        u0_act = activation_formal_potential(variables, local)
        reorganization = phase_parameter(OXYGEN, "reorganization energy [eV]") * F / (R * T)
        driving_force = oxygen_couple_driving_force(
            x,
            u,
            F * (delta_phi - u0) / (R * T),
            F * (delta_phi - u0_act) / (R * T),
            w,
            phase_parameter(OXYGEN, "activation non-ideality factor"),
            reorganization,
            self.kinetics,
        )
        return delta_phi - R * T / F * driving_force

    def get_coupled_variables(self, variables):
        phase = self.phase
        sto_surf, sto_bulk, T, T_bulk = self._get_stoichiometry_and_temperature(variables)
        u0, w = formal_potential_and_spread(variables, phase, self._local)

        def x_averaged(v, n):
            return v[f"X-averaged positive electrode {n}"]

        u0_av, w_av = formal_potential_and_spread(variables, phase, x_averaged)
        if phase == TM:
            ocp_surf = gallery_ocp(sto_surf, 1 - sto_surf, u0, w, T)
            ocp_bulk = gallery_ocp(sto_bulk, 1 - sto_bulk, u0_av, w_av, T_bulk)
        else:
            delta_phi_av = variables[
                "X-averaged positive electrode surface potential difference [V]"
            ]
            # the surface potential the kinetics see (``MassActionKinetics``)
            delta_phi = surface_potential_difference(variables, sto_surf)
            j_tot_av, _ = self._get_average_total_interfacial_current_density(variables)
            eta_film = densified_film_overpotential(variables, j_tot_av)
            ocp_surf = self._rest_potential(
                variables,
                self._local,
                sto_surf,
                self._local(variables, "unactivated oxygen-redox share"),
                u0,
                w,
                T,
                delta_phi + eta_film,
            )
            ocp_bulk = self._rest_potential(
                variables,
                x_averaged,
                sto_bulk,
                x_averaged(variables, "unactivated oxygen-redox share"),
                u0_av,
                w_av,
                T_bulk,
                delta_phi_av + eta_film,
            )
        # the set's entropic change, for PyBaMM's reversible heat (as its MSMR OCP passes it)
        d_u_d_t = self.phase_param.dUdT(sto_surf)
        variables.update(self._get_standard_ocp_variables(ocp_surf, ocp_bulk, d_u_d_t))
        self._alias_ocp_as_equilibrium(variables)
        variables.update(
            {
                f"Positive electrode {self.phase_name}formal potential [V]": u0,
                f"Positive electrode {self.phase_name}non-ideality factor": w,
            }
        )
        return variables


class MassActionKinetics(pybamm.interface.BaseInterface):
    """Symmetric MSMR Butler-Volmer kinetics of one couple, in its mass-action form."""

    def __init__(self, param, options, phase, kinetics):
        super().__init__(param, "positive", "lithium-ion main", options, phase)
        self.kinetics = kinetics

    def rate_constant(self, variables):
        """k [A.m-2]: the couple's own on the share of surface that RuO2 islands leave free;
        for the oxygen couple there it needs the shell's Li-O-Li oxygen (the treatment's surface
        oxygen activity), and under the islands RuO2 carries the electron transfer to the
        lattice oxygen instead (interface-confined catalysis, enhancement kappa):
        k [a (1 - phi) + kappa phi]."""
        k = phase_parameter(self.phase, "reaction rate constant [A.m-2]")
        coverage = variables["RuO2 surface coverage"]
        if self.phase == TM:
            return k * (1 - coverage)
        enhancement = variables["RuO2 oxygen-redox catalytic enhancement"]
        activity = variables["Surface oxygen activity"]
        return k * (activity * (1 - coverage) + enhancement * coverage)

    @staticmethod
    def _prefix(x):
        """Where the couple's surface lives: X-averaged (SPM, SPMe) or through the electrode."""
        return (
            "Positive electrode "
            if x.domain == ["positive electrode"]
            else ("X-averaged positive electrode ")
        )

    def _local_for(self, x):
        prefix = self._prefix(x)
        return lambda variables, name: variables[prefix + name]

    def get_coupled_variables(self, variables):
        phase_name = self.phase_name
        x = variables[f"Positive {phase_name}particle surface stoichiometry"]
        if isinstance(x, pybamm.Broadcast):  # X-averaged surface (SPM, SPMe)
            x = orphan(x)
            c_e = variables["X-averaged positive electrolyte concentration [mol.m-3]"]
            T = variables["X-averaged positive electrode temperature [K]"]
        else:
            c_e = variables["Positive electrolyte concentration [mol.m-3]"]
            T = variables["Positive electrode temperature [K]"]
        u0 = orphan(variables[f"Positive electrode {phase_name}formal potential [V]"])
        w = orphan(variables[f"Positive electrode {phase_name}non-ideality factor"])
        ocp = orphan(variables[f"Positive electrode {phase_name}open-circuit potential [V]"])
        j_tot_av, a_j_tot_av = self._get_average_total_interfacial_current_density(variables)
        delta_phi = surface_potential_difference(variables, x)
        eta_film = densified_film_overpotential(variables, j_tot_av)

        eta = F * (delta_phi + eta_film - u0) / (R * T)
        reorganization = phase_parameter(self.phase, "reorganization energy [eV]") * F / (R * T)
        # Arrhenius in temperature, one activation energy for both couples (a layered-oxide
        # value; no LRMO measurement), 1 at the reference temperature the rates were set at
        k = (
            self.rate_constant(variables)
            * arrhenius("Positive electrode reaction activation energy [J.mol-1]", T)
            * (c_e / C_E_REF) ** 0.5
        )
        u = 0
        if self.phase == TM:
            oxidation, reduction = transfer_rates(eta, reorganization, self.kinetics)
            j = k * (site_power(x, w) * oxidation - site_power(1 - x, w) * reduction)
        else:
            u = surface_unactivated_share(
                orphan(variables[f"{self._prefix(x)}unactivated oxygen-redox share"]), x
            )
            u0_act = orphan(activation_formal_potential(variables, self._local_for(x)))
            oxidation, activation, reduction = oxygen_couple_rates(
                x,
                u,
                eta,
                F * (delta_phi + eta_film - u0_act) / (R * T),
                w,
                phase_parameter(OXYGEN, "activation non-ideality factor"),
                reorganization,
                self.kinetics,
            )
            j = k * (oxidation + activation - reduction)
            j_act = k * activation
            name = "positive electrode oxygen-redox activation current density [A.m-2]"
            if j_act.domain == ["positive electrode"]:
                full, x_av = j_act, pybamm.x_average(j_act)
            else:
                full, x_av = pybamm.PrimaryBroadcast(j_act, "positive electrode"), j_act
            variables.update({"P" + name[1:]: full, f"X-averaged {name}": x_av})
        j0 = k * (site_power(x - u, 1) * site_power(1 - x, 1)) ** (w / 2)

        variables.update(self._get_standard_interfacial_current_variables(j))
        variables.update(
            self._get_standard_total_interfacial_current_variables(j_tot_av, a_j_tot_av)
        )
        variables.update(self._get_standard_exchange_current_variables(j0))
        variables.update(self._get_standard_overpotential_variables(delta_phi + eta_film - ocp))
        variables.update(self._get_standard_volumetric_current_density_variables(variables))
        variables.update(self._get_standard_sei_film_overpotential_variables(eta_film))
        return variables
