"""Function-valued parameters of the LRMO sets (referenced as "module:function" in the JSON).

They read their coefficients as named pybamm Parameters, so the coefficients live (with sources) in
the parameter-set files, not here.
"""

from __future__ import annotations

import pybamm

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


def lrmo_diffusivity(sto, T):
    """Effective Li diffusivity [m2.s-1] of a particle with a Li-deficient surface layer.

    Bulk (radius R - delta) and layer (thickness delta, diffusivity ratio k) in series:
    R / D_eff = (R - delta) / D_bulk + delta / (k D_bulk). Sun et al. 2025
    (doi:10.1039/d5ee00430f) find a lower Li+ migration barrier in Li-poor cells, hence k > 1.
    """
    d_bulk = pybamm.Parameter("Positive particle bulk diffusivity [m2.s-1]")
    radius = pybamm.Parameter("Positive particle radius [m]")
    delta = pybamm.Parameter("Li-deficient layer thickness [m]")
    ratio = pybamm.Parameter("Li-deficient layer diffusivity ratio")
    return d_bulk * radius / (radius - delta + delta / ratio)


def stoichiometry_table(stoichiometry, values, name: str):
    """A parameter function of the working-electrode stoichiometry from a table of fitted values
    (e.g. a GITT fit's per-pulse diffusivities): linear in log10 of the value between the table
    points (such parameters change by decades), constant beyond them.

    The function takes PyBaMM's arguments for the parameter it stands for: ``(sto, T)`` for a
    particle diffusivity, ``(c_e, c_s_surf, c_s_max, T)`` for an exchange-current density.
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
        sto = args[0] if len(args) == 2 else args[1] / args[2]
        return 10 ** pybamm.Interpolant(x, log_y, sto, name=name)

    return function
