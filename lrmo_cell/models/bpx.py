"""Export the base (PyBaMM-standard) parameters of an LRMO full-cell set to BPX 1.x.

BPX (https://bpxstandard.com) describes a standard DFN/SPMe cell; the LRMO mechanisms (oxygen
redox, oxygen loss, recapture, densified film, Li-deficient layer) have no BPX field, so their
parameters go into BPX's "User-defined" section, which the standard provides for exactly that.
Function-valued parameters are tabulated (OCPs and the particles' diffusivities against
stoichiometry, the electrolyte's transport against concentration) or evaluated at the reference
state (the kinetics), each with its activation energy, since BPX stores expressions or tables,
not Python.
"""

from __future__ import annotations

import os

import numpy as np

from lrmo_cell.errors import InputError
from lrmo_cell.parameters import value_at

DESCRIPTION = (
    "LRMO || graphite cell (lrmo_cell.models.lrmo.LRMO). The positive electrode is "
    "BPX's blended electrode: particle 1 (PyBaMM 'Primary:') is the TM couple, particle 2 "
    "('Secondary:') the lattice-oxygen couple; their OCP tables and rate constants are the "
    "as-made curves a plain blended DFN would use. LRMO extension: User-defined holds every "
    "number of the set BPX has no field for (the couples' formal potentials, spreads, rate "
    "constants and reorganization energies, oxygen-redox activation, TM migration, oxygen loss, "
    "released oxygen and RuO2, and PyBaMM's SEI, thermal and mechanics extras) or that "
    "PyBaMM's BPX reader would fill in otherwise (the as-made initial state, current "
    "collectors, default current, OCV window); its "
    "function-valued extras (plating and Li metal exchange currents, swelling laws) are not "
    "carried: lrmo_cell.models.bpx.parameter_values_from_bpx re-attaches them from the named set."
)

F = 96485.33212  # C/mol
R = 8.314462618  # J/(mol K)
_REFERENCE_DIFFUSIVITY = "Positive particle diffusivity at reference temperature [m2.s-1]"


def _stoichiometry_grid() -> np.ndarray:
    """Stoichiometry 1e-4..1 - 1e-4 with points packed geometrically towards both ends, where
    the OCPs are steep and as-made cells sit (an empty graphite at 1e-3): uniform points there
    misplace the first volts of a formation charge."""
    ends = np.geomspace(1e-4, 0.05, 60)
    return np.concatenate([ends, np.linspace(0.05, 0.95, 181)[1:-1], 1 - ends[::-1]])


def _ocp_table(values, ocp) -> dict:
    """OCP [V] as a BPX InterpolatedTable on stoichiometry."""
    x = _stoichiometry_grid()
    return {"x": x.tolist(), "y": [value_at(values, ocp, s) for s in x]}


def _particle_diffusivity(values, law, T: float) -> float | dict:
    """A particle diffusivity D(sto, T) [m2.s-1] at the reference temperature ``T``, as BPX
    holds one: a number where it does not depend on stoichiometry, else a table on it (a GITT
    fit's per-pulse diffusivities, ``lrmo-cell fit gitt``), which BPX scales by its activation
    energy."""
    x = _stoichiometry_grid()
    y = [value_at(values, law, s, T) for s in x]
    if max(y) == min(y):
        return y[0]
    return {"x": x.tolist(), "y": y}


# the temperatures an exported cell is run at: the designer's cold (0 C) to warm (45 C) cells
_TRANSPORT_FIT_TEMPERATURES_K = np.linspace(273.15, 318.15, 10)


def _electrolyte_transport(values, law, c_e: float, T: float) -> tuple[dict, float]:
    """An electrolyte transport law f(c [mol.m-3], T [K]) as BPX holds one: a table on
    concentration (0-5 M) at the reference temperature ``T``, and the activation energy [J/mol]
    of the Arrhenius law through f(c_e, T) that fits ln f(c_e, T') best over 0-45 C. Why a fit:
    Valoen & Reimers' laws are Vogel-Tammann-Fulcher-like, not Arrhenius, so BPX's one
    activation energy holds them only near c_e (at 1 M over 0-45 C, the sets' diffusivity to
    26 % and conductivity to 2.5 %; tests/test_model_bpx.py)."""
    c = np.linspace(0.0, 5000.0, 201)
    table = {"x": c.tolist(), "y": [value_at(values, law, ci, T) for ci in c]}
    x = 1 / T - 1 / _TRANSPORT_FIT_TEMPERATURES_K
    ln_ratio = np.log(
        [value_at(values, law, c_e, t) for t in _TRANSPORT_FIT_TEMPERATURES_K]
    ) - np.log(value_at(values, law, c_e, T))
    return table, float(R * (x @ ln_ratio) / (x @ x))


def _electrolyte(values, p: dict, c_e: float, T: float) -> dict:
    section = {"Cation transference number": p["Cation transference number"]}
    for field, name in (
        ("Diffusivity", "Electrolyte diffusivity [m2.s-1]"),
        ("Conductivity", "Electrolyte conductivity [S.m-1]"),
    ):
        unit = name[name.index("[") :]
        table, energy = _electrolyte_transport(values, p[name], c_e, T)
        section[f"{field} {unit}"] = table
        section[f"{field} activation energy [J.mol-1]"] = energy
    return section


def _rate_constant(values, j0, c_e: float, c_max: float, T: float) -> float:
    """BPX reaction rate constant k [mol.m-2.s-1] from j0 [A.m-2] at half stoichiometry and
    the initial electrolyte concentration c_e, inverting BPX's normalised form
    j0 = F k sqrt((c_e/c_e0) (c_s/c_max) (1 - c_s/c_max)) (see pybamm.parameters.bpx), in which
    that state gives j0 = F k / 2."""
    return 2 * value_at(values, j0, c_e, 0.5 * c_max, c_max, T) / F


def _reaction_activation_energy(values, j0, c_e: float, c_max: float, T: float) -> float:
    """The activation energy [J/mol] of exchange-current function ``j0``'s own temperature law,
    from its values at ``T`` and 10 K above: exact for an Arrhenius law (the LRMO couples'
    17.8 kJ/mol, Chen2020's graphite 35 kJ/mol), which BPX's field assumes."""
    hotter = T + 10.0
    ratio = _rate_constant(values, j0, c_e, c_max, hotter) / _rate_constant(
        values, j0, c_e, c_max, T
    )
    return float(R * np.log(ratio) / (1 / T - 1 / hotter))


def _electrode_contact(p: dict, side: str) -> dict:
    """The porous-electrode fields of a BPX electrode (those of its matrix, not particles)."""
    return {
        "Thickness [m]": p[f"{side} electrode thickness [m]"],
        "Porosity": p[f"{side} electrode porosity"],
        "Transport efficiency": p[f"{side} electrode porosity"]
        ** p[f"{side} electrode Bruggeman coefficient (electrolyte)"],
        # BPX holds the effective conductivity; PyBaMM's sets hold the solid's and a Bruggeman
        # exponent over the solid volume fraction
        "Conductivity [S.m-1]": p[f"{side} electrode conductivity [S.m-1]"]
        * (1 - p[f"{side} electrode porosity"])
        ** p.get(f"{side} electrode Bruggeman coefficient (electrode)", 0),
    }


def _electrode(values, p: dict, side: str, particle: str, c_e: float, T: float) -> dict:
    c_max = p[f"Maximum concentration in {side.lower()} electrode [mol.m-3]"]
    eps_s = p[f"{side} electrode active material volume fraction"]
    radius = p[f"{particle} particle radius [m]"]
    stoich0 = p[f"Initial concentration in {side.lower()} electrode [mol.m-3]"] / c_max
    return {
        **_electrode_contact(p, side),
        # The sets start discharged, so the initial stoichiometry is one end of the window.
        "Minimum stoichiometry": stoich0 if side == "Negative" else 0.001,
        "Maximum stoichiometry": stoich0 if side == "Positive" else 0.999,
        "Maximum concentration [mol.m-3]": c_max,
        "Particle radius [m]": radius,
        "Surface area per unit volume [m-1]": 3 * eps_s / radius,
        "Diffusivity [m2.s-1]": _particle_diffusivity(
            values, p[f"{particle} particle diffusivity [m2.s-1]"], T
        ),
        "OCP [V]": _ocp_table(values, p[f"{side} electrode OCP [V]"]),
        "Entropic change coefficient [V.K-1]": p[f"{side} electrode OCP entropic change [V.K-1]"],
        "Reaction rate constant [mol.m-2.s-1]": _rate_constant(
            values, p[f"{side} electrode exchange-current density [A.m-2]"], c_e, c_max, T
        ),
        "Reaction rate constant activation energy [J.mol-1]": _reaction_activation_energy(
            values, p[f"{side} electrode exchange-current density [A.m-2]"], c_e, c_max, T
        ),
    }


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _blended_positive(values, p: dict, c_e: float, T: float) -> dict:
    """The LRMO model's two couples as BPX's blended positive electrode, one particle per
    couple."""
    particles = {}
    for phase, couple in (("Primary", "TM couple"), ("Secondary", "Oxygen couple")):
        prefix = f"{phase}: "
        c_max = p[f"{prefix}Maximum concentration in positive electrode [mol.m-3]"]
        eps_s = value_at(
            values, p[f"{prefix}Positive electrode active material volume fraction"], 0, 0, 0
        )
        radius = p[f"{prefix}Positive particle radius [m]"]
        j0 = p[f"{prefix}Positive electrode exchange-current density [A.m-2]"]
        c0 = value_at(
            values, p[f"{prefix}Initial concentration in positive electrode [mol.m-3]"], 0, 0
        )
        particles[couple] = {
            # the as-made cell is discharged: its stoichiometry is the top of the window
            "Minimum stoichiometry": 0.001,
            "Maximum stoichiometry": c0 / c_max,
            "Maximum concentration [mol.m-3]": c_max,
            "Particle radius [m]": radius,
            "Surface area per unit volume [m-1]": 3 * eps_s / radius,
            "Diffusivity [m2.s-1]": _particle_diffusivity(
                values, p[f"{prefix}Positive particle diffusivity [m2.s-1]"], T
            ),
            "Diffusivity activation energy [J.mol-1]": p[
                f"{prefix}Positive particle diffusivity activation energy [J.mol-1]"
            ],
            "OCP [V]": _ocp_table(values, p[f"{prefix}Positive electrode OCP [V]"]),
            "Entropic change coefficient [V.K-1]": p[
                f"{prefix}Positive electrode OCP entropic change [V.K-1]"
            ],
            "Reaction rate constant [mol.m-2.s-1]": _rate_constant(values, j0, c_e, c_max, T),
            "Reaction rate constant activation energy [J.mol-1]": _reaction_activation_energy(
                values, j0, c_e, c_max, T
            ),
        }
    return {**_electrode_contact(p, "Positive"), "Particle": particles}


def _lrmo_extension(p: dict, document: dict) -> dict:
    """The numbers of an LRMO set that PyBaMM's own BPX reader does not produce, or produces
    otherwise, from the standard sections of ``document``: what BPX has no field for, and what
    the reader fills in its own way (the as-made cell's initial state where it solves for 100 %
    SOC, zero-thickness current collectors that halve a lumped cell's heat capacity, a 1C
    discharge as the default current where an as-made cell can only be charged, the cut-offs as
    the OCV window's ends). User-defined is applied last, so the rebuilt set has every number
    of the named one."""
    import pybamm

    standard = pybamm.ParameterValues.create_from_bpx_obj(
        {**document, "Parameterisation": {**document["Parameterisation"], "User-defined": {}}}
    )

    def same(name, value) -> bool:
        if name not in standard.keys() or not _is_number(standard[name]):
            return False
        return abs(float(standard[name]) - value) <= 1e-12 * abs(value)

    return {
        k: float(v)
        for k, v in p.items()
        # the couples' diffusivities at the reference temperature are BPX's own Diffusivity
        if _is_number(v) and not same(k, float(v)) and not k.endswith(_REFERENCE_DIFFUSIVITY)
    }


def _as_made_concentrations(values) -> dict:
    """Initial concentrations [mol.m-3] at the ends of the BPX windows of an as-made cell."""
    ends = {
        ("Negative", ""): "minimum",
        ("Positive", "Primary: "): "maximum",
        ("Positive", "Secondary: "): "maximum",
    }
    return {
        f"{phase}Initial concentration in {side.lower()} electrode [mol.m-3]": values[
            f"{phase}{side} electrode {end} stoichiometry"
        ]
        * values[f"{phase}Maximum concentration in {side.lower()} electrode [mol.m-3]"]
        for (side, phase), end in ends.items()
    }


def parameter_values_from_bpx(path: str | os.PathLike, set_name: str):
    """``pybamm.ParameterValues`` of an LRMO cell rebuilt from a BPX file written by
    ``export_bpx``: every value the file holds (standard sections and the LRMO extension in
    User-defined) comes from the file; the named set supplies only the function-valued
    parameters BPX does not carry (see ``DESCRIPTION``), and the couples' diffusivities
    at the reference temperature, which BPX's Diffusivity holds (unused here: the rebuilt
    diffusivities are PyBaMM's Arrhenius law from the file)."""
    import pybamm

    from lrmo_cell.parameters import load_parameter_set

    values = pybamm.ParameterValues.create_from_bpx(path)
    # the as-made cell sits at the bottom of each window (empty graphite, full LRMO couples);
    # PyBaMM's reader would solve for it from the OCP tables instead
    values.update(_as_made_concentrations(values), check_already_exists=False)
    named = pybamm.ParameterValues(load_parameter_set(set_name))
    missing = {k: named[k] for k in named.keys() if k not in values.keys()}
    values.update(missing, check_already_exists=False)
    return values


def bpx_dict(set_name: str) -> dict:
    """The BPX document (a plain dict) for a full-cell parameter set; LRMO-only numbers go
    to "User-defined"."""
    import pybamm

    from lrmo_cell.parameters import load_parameter_set

    p = load_parameter_set(set_name)
    if "Negative particle radius [m]" not in p:
        raise InputError(
            f"set_name must be a full-cell parameter set (BPX has no half-cell form); "
            f"'{set_name}' is a half cell."
        )
    values = pybamm.ParameterValues(p)
    T = p["Reference temperature [K]"]
    c_e = p["Initial concentration in electrolyte [mol.m-3]"]
    area = p["Electrode height [m]"] * p["Electrode width [m]"]
    pos = _blended_positive(values, p, c_e, T)
    neg = _electrode(values, p, "Negative", "Negative", c_e, T)
    document = {
        "Header": {
            "BPX": "1.0.0",
            "Title": f"{set_name} base cell parameters (exported by lrmo_cell)",
            "Description": DESCRIPTION,
            "Model": "DFN",
        },
        "Parameterisation": {
            "Cell": {
                "Electrode area [m2]": area,
                # A bare single-layer stack (no can or pouch in these sets): both faces cool,
                # and its volume is the set's, electrode pair and current collectors; BPX
                # requires both, PyBaMM reads both.
                "External surface area [m2]": 2 * area,
                "Volume [m3]": p["Cell volume [m3]"],
                "Number of electrode pairs connected in parallel to make a cell": int(
                    p["Number of electrodes connected in parallel to make a cell"]
                ),
                "Lower voltage cut-off [V]": p["Lower voltage cut-off [V]"],
                "Upper voltage cut-off [V]": p["Upper voltage cut-off [V]"],
                "Nominal cell capacity [A.h]": p["Nominal cell capacity [A.h]"],
                "Reference temperature [K]": T,
            },
            "Electrolyte": _electrolyte(values, p, c_e, T),
            "Negative electrode": neg,
            "Positive electrode": pos,
            "Separator": {
                "Thickness [m]": p["Separator thickness [m]"],
                "Porosity": p["Separator porosity"],
                "Transport efficiency": p["Separator porosity"]
                ** p["Separator Bruggeman coefficient (electrolyte)"],
            },
            "User-defined": {},
        },
        "State": {
            "Initial conditions": {
                "Initial state-of-charge": 0.0,
                "Initial temperature [K]": p["Initial temperature [K]"],
                "Initial electrolyte concentration [mol.m-3]": c_e,
            },
            "Thermal environment": {
                "Ambient temperature [K]": p["Ambient temperature [K]"],
                "Heat transfer coefficient [W.m-2.K-1]": p["Heat transfer coefficient [W.m-2.K-1]"],
            },
        },
    }
    document["Parameterisation"]["User-defined"] = _lrmo_extension(p, document)
    return document


def export_bpx(set_name: str, path: str | os.PathLike) -> str:
    """Validate the BPX document of ``set_name`` with the ``bpx`` package and write it to
    ``path`` (JSON, atomically). Returns the path written."""
    from pathlib import Path

    import bpx

    from lrmo_cell.files import atomic_path

    obj = bpx.parse_bpx_obj(bpx_dict(set_name))
    with atomic_path(path) as tmp:
        Path(tmp).write_text(obj.model_dump_json(by_alias=True, exclude_unset=True, indent=2))
    return str(path)
