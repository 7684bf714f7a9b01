"""Zero-argument functions behind the ``pybamm_parameter_sets`` entry points.

``pybamm.ParameterValues("LRMO_Sun2025_Ru1")`` calls ``get_LRMO_Sun2025_Ru1()`` and gets the dict.
"""

from __future__ import annotations

from .io import load_parameter_set


def get_LRMO_Sun2025_pristine() -> dict:  # noqa: N802 - named after the set
    """LRMO pristine || Li metal half cell, Sun et al. 2025 (doi:10.1039/d5ee00430f)."""
    return load_parameter_set("LRMO_Sun2025_pristine")


def get_LRMO_Sun2025_Ru0p5() -> dict:  # noqa: N802
    """LRMO Ru-0.5 (0.1 mg/mL RuCl3) || Li metal half cell, Sun et al. 2025."""
    return load_parameter_set("LRMO_Sun2025_Ru0p5")


def get_LRMO_Sun2025_Ru1() -> dict:  # noqa: N802
    """LRMO Ru-1 (0.2 mg/mL RuCl3, 0.46 wt% RuO2) || Li metal half cell, Sun et al. 2025."""
    return load_parameter_set("LRMO_Sun2025_Ru1")


def get_LRMO_Sun2025_Ru3() -> dict:  # noqa: N802
    """LRMO Ru-3 (0.6 mg/mL RuCl3) || Li metal half cell, Sun et al. 2025."""
    return load_parameter_set("LRMO_Sun2025_Ru3")


def get_LRMO_Sun2025_Ru1_graphite() -> dict:  # noqa: N802
    """Ru-1 || graphite full cell (graphite: Chen et al. 2020, doi:10.1149/1945-7111/ab9050)."""
    return load_parameter_set("LRMO_Sun2025_Ru1_graphite")
