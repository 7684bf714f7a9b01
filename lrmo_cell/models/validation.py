"""The model against the study's calibration table (validation/sun2025_calibration.csv).

``calibration_table()`` reads the table; ``table_metrics(frame)`` turns a cycling frame (from
``simulate_cycling(sample, 1.0, 300)``: one 0.1C formation cycle, then 1C cycles) into the table's
quantities; ``compare(...)`` puts model and paper side by side with pass/fail per row.
"""

from __future__ import annotations

import pandas as pd

from lrmo_cell.resources import data_path

CALIBRATION_FILE = "sun2025_calibration.csv"
# figures of other LRMO studies that set a model rate no Sun 2025 row pins (voltage decay)
LITERATURE_TARGETS_FILE = "lrmo_literature_targets.csv"
DECAY_CYCLES = 100


def calibration_table() -> pd.DataFrame:
    """The calibration rows of Sun et al. 2025 (doi:10.1039/d5ee00430f) with their tolerances."""
    return pd.read_csv(data_path("validation", CALIBRATION_FILE))


def literature_targets() -> pd.DataFrame:
    """Rows of the same shape from other LRMO studies (each row names its source)."""
    return pd.read_csv(data_path("validation", LITERATURE_TARGETS_FILE))


def table_metrics(frame: pd.DataFrame, retention_cycles: int = 300) -> dict:
    """Table quantities of one sample from its cycling frame (formation row first).

    first_discharge_capacity, initial_coulombic_efficiency and first_charge_oxygen_released
    [umol O2/g] come from cycle 1 (0.1C);
    discharge_capacity (1C) is the first cycle after formation; capacity_retention is the
    discharge capacity after ``retention_cycles`` 1C cycles over that first 1C cycle;
    mean_discharge_voltage_decay [V/cycle] the change of the mean discharge voltage over the
    first ``DECAY_CYCLES`` 1C cycles, per cycle.
    """
    first = frame.iloc[0]
    metrics = {
        "first_discharge_capacity": first["discharge_capacity_mAh_per_g"],
        "initial_coulombic_efficiency": first["coulombic_efficiency"],
        "first_charge_oxygen_released": first["oxygen_released_umol_per_g"],
    }
    if len(frame) > 1:
        metrics["discharge_capacity"] = frame.iloc[1]["discharge_capacity_mAh_per_g"]
    if len(frame) > retention_cycles:
        metrics["capacity_retention"] = (
            frame.iloc[retention_cycles]["discharge_capacity_mAh_per_g"]
            / frame.iloc[1]["discharge_capacity_mAh_per_g"]
        )
    if len(frame) > DECAY_CYCLES + 1:
        voltage = frame["mean_discharge_voltage_V"]
        metrics["mean_discharge_voltage_decay"] = (
            voltage.iloc[DECAY_CYCLES + 1] - voltage.iloc[1]
        ) / DECAY_CYCLES
    return metrics


def compare(table: pd.DataFrame, metrics_by_sample: dict[str, dict]) -> pd.DataFrame:
    """Model vs paper for every table row, with the allowed band and whether the model is in it."""
    rows = []
    for row in table.itertuples():
        model = metrics_by_sample.get(row.sample, {}).get(row.quantity, float("nan"))
        allowed = row.tolerance * (row.value if row.tolerance_kind == "relative" else 1)
        rows.append(
            {
                "id": row.id,
                "sample": row.sample,
                "quantity": row.quantity,
                "unit": row.unit,
                "paper": row.value,
                "model": model,
                "allowed_deviation": allowed,
                "passes": bool(abs(model - row.value) <= allowed),
            }
        )
    return pd.DataFrame(rows)


def residuals(table: pd.DataFrame, metrics_by_sample: dict[str, dict], ids) -> list[float]:
    """(model - paper) / allowed deviation for the rows ``ids`` (a fit drives these to zero)."""
    result = compare(table, metrics_by_sample).set_index("id")
    return [
        float(
            (result.loc[i, "model"] - result.loc[i, "paper"]) / result.loc[i, "allowed_deviation"]
        )
        for i in ids
    ]
