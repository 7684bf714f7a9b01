"""Parameter sets of the LRMO model: JSON files with a source for every number.

``load_parameter_set(name_or_path)`` returns a dict ready for ``pybamm.ParameterValues``;
``read_parameter_file`` / ``write_parameter_file`` handle the raw JSON (the format is
described in the README). ``treatment_parameters`` maps the RuCl3 concentration of the acid
treatment to the Li-deficient layer, catalyst and RuO2 mass.
"""

from __future__ import annotations

from .io import (
    SAMPLE_SETS,
    load_parameter_set,
    read_parameter_file,
    resolve_parameter_file,
    value_at,
    write_parameter_file,
)
from .treatment import treatment_parameters

__all__ = [
    "SAMPLE_SETS",
    "load_parameter_set",
    "read_parameter_file",
    "resolve_parameter_file",
    "treatment_parameters",
    "value_at",
    "write_parameter_file",
]
