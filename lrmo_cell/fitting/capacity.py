"""Theoretical capacities of the model's positive electrode, for scaling measured cells to it."""

from __future__ import annotations

from lrmo_cell.errors import InputError
from lrmo_cell.fitting.drt import FARADAY_C_PER_MOL

MAXIMUM_CONCENTRATION = "Maximum concentration in positive electrode [mol.m-3]"


def _site_density(parameter_values) -> float:
    """Li sites [mol.m-3] of the positive host: PyBaMM's one particle, or the LRMO model's,
    whose two couples share the host's Li site density."""
    if MAXIMUM_CONCENTRATION in parameter_values:
        return float(parameter_values[MAXIMUM_CONCENTRATION])
    return float(parameter_values[f"Primary: {MAXIMUM_CONCENTRATION}"])


def electrode_capacity_Ah(parameter_values) -> float:
    """Theoretical capacity [A.h] of the positive electrode: c_max eps_s L W H F / 3600."""
    names = (
        "Positive electrode active material volume fraction",
        "Positive electrode thickness [m]",
        "Electrode width [m]",
        "Electrode height [m]",
    )
    product = _site_density(parameter_values)
    for name in names:
        product *= float(parameter_values[name])
    return product * FARADAY_C_PER_MOL / 3600.0


def capacity_of_mass_Ah(parameter_values, mass_g: float, model: str) -> float:
    """Theoretical capacity [A.h] of ``mass_g`` of the model's active material:
    m c_max F / (3600 rho), rho the "LRMO density [kg.m-3]" of the LRMO sets."""
    if not mass_g > 0:
        raise InputError(f"--mass-g must be > 0 g, got {mass_g:g}")
    if "LRMO density [kg.m-3]" not in parameter_values:
        raise InputError(
            f"--mass-g needs the active-material density, which {model} does not give; "
            "use --capacity-ah instead"
        )
    c_max = _site_density(parameter_values)
    density = float(parameter_values["LRMO density [kg.m-3]"])
    return mass_g / 1000 * c_max / density * FARADAY_C_PER_MOL / 3600.0
