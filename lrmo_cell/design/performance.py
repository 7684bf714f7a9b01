"""Take a cathode's specific capacity and mean voltage from a parameter set's "performance" block.

The block (see the shared parameter-set format) is written by the model's calibration command:
``{"source": "...", "rates": [{"c_rate": 0.1, "discharge_capacity_mAh_per_g": ...,
"mean_discharge_voltage_V": ...}, ...]}``. Only the JSON is read: the designer never imports pybamm.
Only the set's own block counts: a set that patches another (``"base"``) changes the material,
so the base's performance does not carry over.
"""

from __future__ import annotations

from pathlib import Path

from lrmo_cell.errors import InputError


def _read_parameter_set(name_or_path: str, relative_to: Path | None) -> tuple[dict, str]:
    """The set's JSON document and file name; a relative path counts from the design file."""
    from lrmo_cell.parameters.io import read_parameter_file, resolve_parameter_file

    beside_design = relative_to / name_or_path if relative_to is not None else None
    target = (
        beside_design if beside_design is not None and beside_design.is_file() else name_or_path
    )
    try:
        return read_parameter_file(target), resolve_parameter_file(target).name
    except InputError as err:
        raise InputError(f"cathode.performance_from: {err}") from None


def read_performance(name_or_path: str, c_rate: float, relative_to: Path | None = None) -> dict:
    """``{"specific_capacity_mAh_per_g", "mean_voltage_V", "source"}`` at ``c_rate`` (exact match).

    Raises :class:`InputError` if the set, its block or the rate is missing.
    """
    data, file_name = _read_parameter_set(name_or_path, relative_to)
    block = data.get("performance")
    if not block or not block.get("rates"):
        raise InputError(
            f"cathode.performance_from: parameter set {file_name} has no performance block yet; "
            "give cathode.specific_capacity_mAh_per_g and cathode.mean_voltage_V instead"
        )
    rates = block["rates"]
    for row in rates:
        if abs(float(row["c_rate"]) - c_rate) <= 1e-9 * max(1.0, c_rate):
            return {
                "specific_capacity_mAh_per_g": float(row["discharge_capacity_mAh_per_g"]),
                "mean_voltage_V": float(row["mean_discharge_voltage_V"]),
                "source": f"parameter set {file_name}, performance at {c_rate:g}C: "
                f"{block.get('source', 'no source given')}",
            }
    available = ", ".join(f"{float(r['c_rate']):g}" for r in rates)
    raise InputError(f"cathode.c_rate must be one of the set's rates ({available}), got {c_rate:g}")
