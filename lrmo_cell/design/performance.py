"""Take a cathode's specific capacity and mean voltage from a parameter set's "performance" block.

The block (see the shared parameter-set format) is written by the model's calibration command:
``{"source": "...", "rates": [{"c_rate": 0.1, "discharge_capacity_mAh_per_g": ...,
"mean_discharge_voltage_V": ...}, ...]}``. Only the JSON is read: the designer never imports pybamm.
Only the set's own block counts: a set that patches another (``"base"``) changes the material,
so the base's performance does not carry over.
"""

from __future__ import annotations

import math
from pathlib import Path

from lrmo_cell.errors import InputError


def _read_parameter_set(name_or_path: str, relative_to: Path | None) -> tuple[dict, str]:
    """The set's JSON document and file name: a packaged name, or a path that counts from the
    design file's folder (as a set's ``base`` counts from the set's own file)."""
    from lrmo_cell.parameters.io import read_parameter_file, resolve_parameter_file

    try:
        path = resolve_parameter_file(name_or_path, relative_to)
        return read_parameter_file(path), path.name
    except InputError as err:
        raise InputError(f"cathode.performance_from: {err}") from None


def _number(row, key: str, file_name: str) -> float:
    try:
        value = float(row[key])
    except (KeyError, TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0) or isinstance(row.get(key), bool):
        raise InputError(
            f"cathode.performance_from: every rate of {file_name}'s performance block needs "
            f"{key} > 0, got {row.get(key) if isinstance(row, dict) else row!r}"
        )
    return value


def read_performance(name_or_path: str, c_rate: float, relative_to: Path | None = None) -> dict:
    """``{"specific_capacity_mAh_per_g", "mean_voltage_V", "source"}`` at ``c_rate`` (exact match).

    Raises :class:`InputError` if the set, its block or the rate is missing or malformed.
    """
    data, file_name = _read_parameter_set(name_or_path, relative_to)
    block = data.get("performance")
    rates = block.get("rates") if isinstance(block, dict) else None
    if not rates:
        raise InputError(
            f"cathode.performance_from: parameter set {file_name} has no performance block yet; "
            "give cathode.specific_capacity_mAh_per_g and cathode.mean_voltage_V instead"
        )
    if not isinstance(rates, list) or not all(isinstance(r, dict) for r in rates):
        raise InputError(
            f"cathode.performance_from: the performance 'rates' of {file_name} must be a list "
            "of objects"
        )
    keys = ("c_rate", "discharge_capacity_mAh_per_g", "mean_discharge_voltage_V")
    table = [{k: _number(row, k, file_name) for k in keys} for row in rates]
    for row in table:
        if abs(row["c_rate"] - c_rate) <= 1e-9 * max(1.0, c_rate):
            return {
                "specific_capacity_mAh_per_g": row["discharge_capacity_mAh_per_g"],
                "mean_voltage_V": row["mean_discharge_voltage_V"],
                "source": f"parameter set {file_name}, performance at {c_rate:g}C: "
                f"{block.get('source', 'no source given')}",
            }
    available = ", ".join(f"{r['c_rate']:g}" for r in table)
    raise InputError(f"cathode.c_rate must be one of the set's rates ({available}), got {c_rate:g}")
