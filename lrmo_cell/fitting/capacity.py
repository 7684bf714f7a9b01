"""Theoretical capacities of the model's positive electrode, for scaling measured cells to it."""

from __future__ import annotations

from lrmo_cell.errors import InputError
from lrmo_cell.fitting.drt import FARADAY_C_PER_MOL


def electrode_capacity_Ah(parameter_values) -> float:
    """Theoretical capacity [A.h] of the positive electrode: c_max eps_s L W H F / 3600, summed
    over the LRMO model's two particle phases (its couples) where the set has them."""
    phases = ("Primary: ", "Secondary: ")
    if f"{phases[1]}Maximum concentration in positive electrode [mol.m-3]" not in parameter_values:
        phases = ("",)
    sites = sum(
        _value(parameter_values, f"{phase}Maximum concentration in positive electrode [mol.m-3]")
        * _value(parameter_values, f"{phase}Positive electrode active material volume fraction")
        for phase in phases
    )
    volume = 1.0
    for name in ("Positive electrode thickness [m]", "Electrode width [m]", "Electrode height [m]"):
        volume *= float(parameter_values[name])
    return sites * volume * FARADAY_C_PER_MOL / 3600.0


def _value(parameter_values, name: str) -> float:
    """A scalar parameter, or a function of position (the LRMO model's volume fractions)
    evaluated: the functions these sets use for it are uniform."""
    import pybamm

    value = parameter_values[name]
    if callable(value):
        zero = pybamm.Scalar(0)
        return float(parameter_values.evaluate(value(zero, zero, zero)))
    return float(value)


def capacity_of_mass_Ah(parameter_values, mass_g: float, model: str) -> float:
    """Theoretical capacity [A.h] of ``mass_g`` of the model's active powder (the LRMO and, in
    a treated set, its RuO2: the mass that is weighed, and what the lab's and the study's
    per-gram figures count): the electrode's (``electrode_capacity_Ah``) per gram of its
    powder (``lrmo_cell.models.cycling.active_powder_mass_g``), times ``mass_g``."""
    from lrmo_cell.models.cycling import active_powder_mass_g

    if not mass_g > 0:
        raise InputError(f"--mass-g must be > 0 g, got {mass_g:g}")
    if "LRMO density [kg.m-3]" not in parameter_values:
        raise InputError(
            f"--mass-g needs the active-material density, which {model} does not give; "
            "use --capacity-ah instead"
        )
    powder_g = active_powder_mass_g(parameter_values)
    return electrode_capacity_Ah(parameter_values) * mass_g / powder_g
