"""Function-valued parameters of the LRMO sets (referenced as "module:function" in the JSON).

They read their coefficients as named pybamm Parameters, so the coefficients live (with sources) in
the parameter-set files, not here.
"""

from __future__ import annotations

import pybamm

from .treatment import li_o_li_share, shell_share

# Keeps the Nernst logarithm finite at the ends of the stoichiometry range. Small enough that the
# clipped OCP (1.2 V at full, 6.5 V at empty for the Ru-1 set) lies outside every allowed voltage
# window (1.5-5 V): a surface the solver overshoots past full or empty is then driven back by
# its own overpotential instead of being pushed further by a floored OCP.
_EPS = 1e-15


def _clipped(x):
    """Stoichiometry clipped into (0, 1): solver overshoot past a full or empty surface must not
    make the exchange current NaN or the logarithm undefined."""
    return pybamm.maximum(pybamm.minimum(x, 1 - _EPS), _EPS)


def tm_ocp(sto):
    """Transition-metal (Ni/Co) redox OCP [V] of LRMO vs Li/Li+ at stoichiometry ``sto``.

    Non-ideal Nernst form U0 - w (R T / F) ln(sto / (1 - sto)) (a one-reaction MSMR curve,
    Verbrugge et al., J. Electrochem. Soc. 164 (2017) E3243), with the formal potential and spread
    in the parameter set ("TM redox formal potential [V]", "TM redox non-ideality factor"), at the
    reference temperature (PyBaMM adds the entropic term).
    """
    u0 = pybamm.Parameter("TM redox formal potential [V]")
    w = pybamm.Parameter("TM redox non-ideality factor")
    T_ref = pybamm.Parameter("Reference temperature [K]")
    thermal_voltage = pybamm.constants.R * T_ref / pybamm.constants.F
    x = _clipped(sto)
    return u0 - w * thermal_voltage * pybamm.log(x / (1 - x))


def tm_exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """Exchange-current density [A.m-2] of TM intercalation.

    The MSMR form that belongs to the non-ideal Nernst OCP of ``tm_ocp`` (Baker & Verbrugge,
    J. Electrochem. Soc. 165 (2018) A3952, doi:10.1149/2.0771816jes), with a symmetric barrier:
    j0 = j0_ref (c_e / c_e,ref)^0.5 [4 x (1 - x)]^(w / 2), x = c_s / c_max, w the TM
    non-ideality factor, so that j0 = j0_ref at half stoichiometry and 1 M electrolyte. With the
    ideal exponent 1/2 instead, the current that drives a nearly full (empty) surface back would
    grow as 1 / (1 - x) (1 / x) and make the surface equation needlessly stiff at the ends of
    every 1C half cycle; with w / 2 it stays bounded.
    """
    j0_ref = pybamm.Parameter("Positive electrode reference exchange-current density [A.m-2]")
    w = pybamm.Parameter("TM redox non-ideality factor")
    x = _clipped(c_s_surf / c_s_max)
    return j0_ref * (c_e / 1000) ** 0.5 * (4 * x * (1 - x)) ** (w / 2)


def stoichiometry_table(stoichiometry, values, name: str):
    """A parameter function of the working-electrode stoichiometry from a table of fitted values
    (e.g. a GITT fit's per-pulse diffusivities): linear in log10 of the value between the table
    points (such parameters change by decades), constant beyond them.

    The function takes PyBaMM's arguments for the parameter it stands for: ``(sto, T)`` for a
    particle diffusivity, ``(sto,)`` for a couple's diffusivity at the reference temperature,
    ``(c_e, c_s_surf, c_s_max, T)`` for an exchange-current density.
    """
    import numpy as np

    x = np.asarray(stoichiometry, float)
    order = np.argsort(x)
    x, log_y = x[order], np.log10(np.asarray(values, float))[order]
    if x[0] > 0:
        x, log_y = np.r_[0.0, x], np.r_[log_y[0], log_y]
    if x[-1] < 1:
        x, log_y = np.r_[x, 1.0], np.r_[log_y, log_y[-1]]

    def function(*args):
        sto = args[0] if len(args) <= 2 else args[1] / args[2]
        return 10 ** pybamm.Interpolant(x, log_y, sto, name=name)

    return function


# --- the LRMO model: the TM (primary) and lattice-oxygen (secondary) couples ------------------


def _couple(phase: str, name: str) -> pybamm.Parameter:
    return pybamm.Parameter(f"{phase}: Positive electrode {name}")


def _as_made_formal_potential_and_spread(phase: str):
    """(U0 [V], w) of a couple in the as-made (unactivated, unmigrated) material."""
    if phase == "Primary":
        return _couple(phase, "formal potential [V]"), _couple(phase, "non-ideality factor")
    onset = pybamm.Parameter("Oxygen-redox onset shift per Li removed [V]") * (
        1 - pybamm.Parameter("Li-deficient layer Li fraction")
    )
    return (
        _couple(phase, "activation formal potential [V]") + onset,
        _couple(phase, "activation non-ideality factor"),
    )


def _gallery_ocp(phase: str, sto):
    u0, w = _as_made_formal_potential_and_spread(phase)
    T_ref = pybamm.Parameter("Reference temperature [K]")
    x = _clipped(sto)
    return u0 + w * pybamm.constants.R * T_ref / pybamm.constants.F * pybamm.log((1 - x) / x)


def tm_couple_ocp(sto):
    """OCP [V] of the TM couple: one-gallery MSMR U0 + w (RT/F) ln((1 - x)/x) (Baker & Verbrugge,
    J. Electrochem. Soc. 165 (2018) A3952), with U0 and w from the set."""
    return _gallery_ocp("Primary", sto)


def oxygen_couple_ocp(sto):
    """OCP [V] of the as-made (unactivated) lattice-oxygen couple; the LRMO model moves its formal
    potential with activation and TM migration, plain PyBaMM keeps this curve."""
    return _gallery_ocp("Secondary", sto)


def arrhenius(activation_energy_name: str, T):
    """exp(E / R (1 / T_ref - 1 / T)) of the set's activation energy ``activation_energy_name``
    [J.mol-1] and "Reference temperature [K]": 1 where the set's values were taken."""
    e_a = pybamm.Parameter(activation_energy_name)
    t_ref = pybamm.Parameter("Reference temperature [K]")
    return pybamm.exp(e_a / pybamm.constants.R * (1 / t_ref - 1 / T))


def _mass_action_j0(phase: str, c_e, c_s_surf, c_s_max, T):
    k = _couple(phase, "reaction rate constant [A.m-2]")
    _, w = _as_made_formal_potential_and_spread(phase)
    x = _clipped(c_s_surf / c_s_max)
    temperature_factor = arrhenius("Positive electrode reaction activation energy [J.mol-1]", T)
    return k * temperature_factor * (c_e / 1000) ** 0.5 * (x * (1 - x)) ** (w / 2)


def tm_couple_exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """MSMR exchange-current density [A.m-2] k (c_e/c_ref)^(1/2) x^(w/2) (1 - x)^(w/2) of the TM
    couple (alpha = 1/2), Arrhenius in T as the LRMO model's rate constants, the form the LRMO
    model writes as mass action; for plain PyBaMM runs."""
    return _mass_action_j0("Primary", c_e, c_s_surf, c_s_max, T)


def oxygen_couple_exchange_current_density(c_e, c_s_surf, c_s_max, T):
    """As ``tm_couple_exchange_current_density``, for the as-made lattice-oxygen couple."""
    return _mass_action_j0("Secondary", c_e, c_s_surf, c_s_max, T)


def _arrhenius_diffusivity(phase: str, sto, T):
    # a number, or a function of stoichiometry (a ``fit gitt`` table)
    d_ref = pybamm.FunctionParameter(
        f"{phase}: Positive particle diffusivity at reference temperature [m2.s-1]",
        {"Positive particle stoichiometry": sto},
    )
    return d_ref * arrhenius(
        f"{phase}: Positive particle diffusivity activation energy [J.mol-1]", T
    )


def tm_couple_diffusivity(sto, T):
    """Li diffusivity [m2.s-1] of the TM couple at stoichiometry ``sto`` and temperature ``T``
    [K]: D_ref(sto) exp(E_D / R (1 / T_ref - 1 / T)), PyBaMM's Arrhenius form for a layered
    oxide's diffusivity (O'Regan et al., Electrochim. Acta 425 (2022) 140700, PyBaMM set
    ORegan2022), with D_ref (a number, or a ``fit gitt`` table of the stoichiometry referred to
    the reference temperature) and E_D from the set."""
    return _arrhenius_diffusivity("Primary", sto, T)


def oxygen_couple_diffusivity(sto, T):
    """As ``tm_couple_diffusivity``, for the lattice-oxygen couple."""
    return _arrhenius_diffusivity("Secondary", sto, T)


def _rest_occupancy(phase: str):
    """Site occupancy of a couple in equilibrium with the as-made rest voltage: the inverse of
    its OCP, 1 / (1 + exp(F (V0 - U0) / (w R T))). Both couples and the surface potential then
    start at one potential, so a rest from the initial state moves nothing (the as-made oxygen
    couple is full, its unactivated sites delithiate only on their plateau)."""
    u0, w = _as_made_formal_potential_and_spread(phase)
    v0 = pybamm.Parameter("As-made open-circuit voltage [V]")
    T_ref = pybamm.Parameter("Reference temperature [K]")
    return 1 / (1 + pybamm.exp(pybamm.constants.F * (v0 - u0) / (w * pybamm.constants.R * T_ref)))


def tm_couple_initial_concentration(r, x):
    """Initial Li concentration [mol.m-3] of the TM couple, at rest with the as-made voltage."""
    c_max = pybamm.Parameter("Primary: Maximum concentration in positive electrode [mol.m-3]")
    return _rest_occupancy("Primary") * c_max


def _li_deficient_shell():
    """(shell share of the particle volume, layer Li fraction y, layer Li-O-Li share a) of the
    acid treatment's Li-deficient layer."""
    radius = pybamm.Parameter("Primary: Positive particle radius [m]")
    shell = shell_share(pybamm.Parameter("Li-deficient layer thickness [m]"), radius)
    y = pybamm.Parameter("Li-deficient layer Li fraction")
    return shell, y, li_o_li_share(y)


def li_deficient_shell_oxygen_share():
    """Share 1 - shell (1 - a) of the oxygen-redox sites that the acid treatment's Li-deficient
    layer leaves: the shell (its share of the particle volume) keeps only its Li-O-Li share a
    of them. The particle's surface does not shrink with it: a surface quantity of the oxygen
    domains divides their PyBaMM surface area (3 eps / R, which does) by this share."""
    shell, _, a = _li_deficient_shell()
    return 1 - shell * (1 - a)


def tm_couple_volume_fraction(x, y, z):
    """Volume fraction of the TM couple's domains: the LRMO share s of TM-redox Li sites, and in
    the Li-deficient shell the Li that oxygen redox no longer exchanges.

    Why the shell's TM share grows (assumed): the study's DFT cells of the layer,
    Li(30-n)Mn(18+n)O48 (Sun et al. 2025, doi:10.1039/d5ee00430f), put reduced Mn where the
    Li was (Mn 3.67+ in Li30Mn18O48, 3.09+ in Li25Mn23O48), and their states near the Fermi
    level shift from O to Mn; so of the layer's Li fraction y only the Li-O-Li share a (1 - s) is
    taken as still charge-compensated by oxygen and the rest, y - a (1 - s), by the layer's Mn,
    counted with the TM couple at its formal potential (no separate Mn3+/Mn4+ couple is resolved
    by the study). The reading is the DFT cells', not the measured layer's: the study's line scan
    shows Mn flat through the layer, which H+/Li+ exchange alone (no redox) would also give, with
    the layer's leftover Li then exchanged by neither couple. The Li the exchange removed,
    (1 - y) of the shell, is in neither couple.
    """
    eps = pybamm.Parameter("Positive electrode active material volume fraction")
    s = pybamm.Parameter("TM-redox share of Li sites")
    shell, y, a = _li_deficient_shell()
    return eps * (s * (1 - shell) + shell * (y - a * (1 - s)))


def oxygen_couple_volume_fraction(x, y, z):
    """Volume fraction of the oxygen couple's domains: the share of the rest of the LRMO's Li
    sites that oxygen redox can empty below the upper cut-off (the others hold Li the whole
    time); in the Li-deficient shell only its Li-O-Li share of them
    (``li_deficient_shell_oxygen_share``; ``tm_couple_volume_fraction`` takes the rest of the
    shell's Li)."""
    eps = pybamm.Parameter("Positive electrode active material volume fraction")
    accessible = pybamm.Parameter("Accessible share of the oxygen-redox Li sites")
    oxygen_share = 1 - pybamm.Parameter("TM-redox share of Li sites")
    return eps * oxygen_share * accessible * li_deficient_shell_oxygen_share()


def _couple_volume_change(phase: str, sto):
    """dV/V = Omega (c - c_ref) of one couple's domain: PyBaMM's swelling asks for a volume
    change function besides the partial molar volume of its stress; writing it with the set's own
    partial molar volume and strain-free concentration keeps the two from disagreeing."""
    prefix = f"{phase}: Positive electrode "
    omega = pybamm.Parameter(prefix + "partial molar volume [m3.mol-1]")
    c_ref = pybamm.Parameter(prefix + "reference concentration for free of deformation [mol.m-3]")
    c_max = pybamm.Parameter(f"{phase}: Maximum concentration in positive electrode [mol.m-3]")
    return omega * (c_max * sto - c_ref)


def tm_couple_volume_change(sto):
    """Volume change of the TM couple's domain at stoichiometry ``sto`` (negative below the
    as-made, strain-free state)."""
    return _couple_volume_change("Primary", sto)


def oxygen_couple_volume_change(sto):
    """Volume change of the oxygen couple's domain at stoichiometry ``sto``."""
    return _couple_volume_change("Secondary", sto)
