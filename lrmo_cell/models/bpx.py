"""Export the base (PyBaMM-standard) parameters of an LRMO full-cell set to BPX 1.x.

BPX (https://bpxstandard.com) describes a standard DFN/SPMe cell; the LRMO mechanisms (oxygen
redox, oxygen loss, recapture, densified film, Li-deficient layer) have no BPX field, so their
parameters go into BPX's "User-defined" section, which the standard provides for exactly that.
Function-valued parameters are tabulated (OCPs against stoichiometry) or evaluated at the
reference state (transport and kinetics), since BPX stores expressions or tables, not Python.
"""

from __future__ import annotations

import os

import numpy as np

from lrmo_cell.errors import InputError

F = 96485.33212  # C/mol


def _ocp_table(values, ocp, points: int = 101) -> dict:
    """OCP [V] tabulated on stoichiometry 0.001..0.999 as a BPX InterpolatedTable."""
    x = np.linspace(0.001, 0.999, points)
    return {"x": x.tolist(), "y": [_at_reference(values, ocp, s) for s in x]}


def _at_reference(values, value, *args) -> float:
    """A constant, or a PyBaMM function evaluated at reference arguments; parameters the
    function refers to are filled in from ``values`` (a pybamm.ParameterValues)."""
    import pybamm

    if callable(value):
        return float(values.evaluate(value(*[pybamm.Scalar(a) for a in args])))
    return float(value)


def _rate_constant(values, j0, c_e: float, c_max: float, T: float) -> float:
    """BPX reaction rate constant k [mol.m-2.s-1] from j0 [A.m-2] at half stoichiometry and
    the initial electrolyte concentration c_e, inverting BPX's normalised form
    j0 = F k sqrt((c_e/c_e0) (c_s/c_max) (1 - c_s/c_max)) (see pybamm.parameters.bpx), in which
    that state gives j0 = F k / 2."""
    return 2 * _at_reference(values, j0, c_e, 0.5 * c_max, c_max, T) / F


def _electrode(values, p: dict, side: str, particle: str, c_e: float, T: float) -> dict:
    c_max = p[f"Maximum concentration in {side.lower()} electrode [mol.m-3]"]
    eps_s = p[f"{side} electrode active material volume fraction"]
    radius = p[f"{particle} particle radius [m]"]
    stoich0 = p[f"Initial concentration in {side.lower()} electrode [mol.m-3]"] / c_max
    return {
        "Thickness [m]": p[f"{side} electrode thickness [m]"],
        "Porosity": p[f"{side} electrode porosity"],
        "Transport efficiency": p[f"{side} electrode porosity"]
        ** p[f"{side} electrode Bruggeman coefficient (electrolyte)"],
        "Conductivity [S.m-1]": p[f"{side} electrode conductivity [S.m-1]"],
        # The sets start discharged, so the initial stoichiometry is one end of the window.
        "Minimum stoichiometry": stoich0 if side == "Negative" else 0.001,
        "Maximum stoichiometry": stoich0 if side == "Positive" else 0.999,
        "Maximum concentration [mol.m-3]": c_max,
        "Particle radius [m]": radius,
        "Surface area per unit volume [m-1]": 3 * eps_s / radius,
        "Diffusivity [m2.s-1]": _at_reference(
            values, p[f"{particle} particle diffusivity [m2.s-1]"], 0.5, T
        ),
        "OCP [V]": _ocp_table(values, p[f"{side} electrode OCP [V]"]),
        "Entropic change coefficient [V.K-1]": p[f"{side} electrode OCP entropic change [V.K-1]"],
        "Reaction rate constant [mol.m-2.s-1]": _rate_constant(
            values, p[f"{side} electrode exchange-current density [A.m-2]"], c_e, c_max, T
        ),
    }


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
    stack_m = sum(
        p[f"{part} thickness [m]"]
        for part in ("Negative electrode", "Separator", "Positive electrode")
    )
    pos = _electrode(values, p, "Positive", "Positive", c_e, T)
    neg = _electrode(values, p, "Negative", "Negative", c_e, T)
    used = {
        k
        for k in p
        if k.startswith(("Positive electrode", "Negative electrode", "Separator", "Electrolyte"))
        or "particle" in k
        or "concentration in" in k
    }
    extras = {
        k: float(v)
        for k, v in p.items()
        if k not in used and isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    return {
        "Header": {
            "BPX": "1.0.0",
            "Title": f"{set_name} base cell parameters (exported by lrmo_cell)",
            "Description": "LRMO || graphite cell; LRMO extension in User-defined.",
            "Model": "SPMe",
        },
        "Parameterisation": {
            "Cell": {
                "Electrode area [m2]": area,
                # A bare single-layer stack (no can or pouch in these sets): both faces cool,
                # and its volume is the electrode pair; BPX requires both, PyBaMM reads both.
                "External surface area [m2]": 2 * area,
                "Volume [m3]": area * stack_m,
                "Number of electrode pairs connected in parallel to make a cell": int(
                    p["Number of electrodes connected in parallel to make a cell"]
                ),
                "Lower voltage cut-off [V]": p["Lower voltage cut-off [V]"],
                "Upper voltage cut-off [V]": p["Upper voltage cut-off [V]"],
                "Nominal cell capacity [A.h]": p["Nominal cell capacity [A.h]"],
                "Reference temperature [K]": T,
            },
            "Electrolyte": {
                "Cation transference number": p["Cation transference number"],
                "Diffusivity [m2.s-1]": _at_reference(
                    values, p["Electrolyte diffusivity [m2.s-1]"], c_e, T
                ),
                "Conductivity [S.m-1]": _at_reference(
                    values, p["Electrolyte conductivity [S.m-1]"], c_e, T
                ),
            },
            "Negative electrode": neg,
            "Positive electrode": pos,
            "Separator": {
                "Thickness [m]": p["Separator thickness [m]"],
                "Porosity": p["Separator porosity"],
                "Transport efficiency": p["Separator porosity"]
                ** p["Separator Bruggeman coefficient (electrolyte)"],
            },
            "User-defined": extras,
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
