"""Take a cathode's specific capacity and mean voltage from a parameter set's "performance" block.

The block (see the shared parameter-set format) is written by the model's calibration command:
``{"source": "...", "rates": [{"c_rate": 0.1, "discharge_capacity_mAh_per_g": ...,
"mean_discharge_voltage_V": ...}, ...]}``. Only the JSON is read: the designer never imports pybamm.
Only the set's own block counts: a set that patches another (``"base"``) changes the material,
so the base's performance does not carry over.
"""

from __future__ import annotations

import json
from pathlib import Path

from lrmo_cell.errors import InputError


def _find_parameter_set(name_or_path: str, relative_to: Path | None) -> Path:
    from lrmo_cell.resources import data_dir

    candidates = [Path(name_or_path)]
    if relative_to is not None:
        candidates.append(relative_to / name_or_path)
    folder = data_dir("parameter_sets")
    candidates += [folder / name_or_path, folder / f"{name_or_path}.json"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise InputError(
        f"cathode.performance_from: parameter set {name_or_path!r} is neither a file nor in "
        "parameter_sets/"
    )


def read_performance(name_or_path: str, c_rate: float, relative_to: Path | None = None) -> dict:
    """``{"specific_capacity_mAh_per_g", "mean_voltage_V", "source"}`` at ``c_rate`` (exact match).

    Raises :class:`InputError` if the set, its block or the rate is missing.
    """
    path = _find_parameter_set(name_or_path, relative_to)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cathode.performance_from: cannot read {path}: {err}") from None
    block = data.get("performance")
    if not block or not block.get("rates"):
        raise InputError(
            f"cathode.performance_from: parameter set {path.name} has no performance block yet; "
            "give cathode.specific_capacity_mAh_per_g and cathode.mean_voltage_V instead"
        )
    rates = block["rates"]
    for row in rates:
        if abs(float(row["c_rate"]) - c_rate) <= 1e-9 * max(1.0, c_rate):
            return {
                "specific_capacity_mAh_per_g": float(row["discharge_capacity_mAh_per_g"]),
                "mean_voltage_V": float(row["mean_discharge_voltage_V"]),
                "source": f"parameter set {path.name}, performance at {c_rate:g}C: "
                f"{block.get('source', 'no source given')}",
            }
    available = ", ".join(f"{float(r['c_rate']):g}" for r in rates)
    raise InputError(f"cathode.c_rate must be one of the set's rates ({available}), got {c_rate:g}")
