"""The study's pouch cells as published (validation/sun2025_pouch_cells.csv) vs the designer."""

from __future__ import annotations

import pandas as pd

from lrmo_cell.resources import data_path

POUCH_CELL_FILE = "sun2025_pouch_cells.csv"


def pouch_cell_table() -> pd.DataFrame:
    """Published figures of the study's pouch cells with their tolerances and sources."""
    return pd.read_csv(data_path("validation", POUCH_CELL_FILE))


def compare_designs(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Designer vs paper, one row per published figure, with the allowed band and pass/fail."""
    from lrmo_cell.design.core import evaluate
    from lrmo_cell.design.schema import load_design

    table = pouch_cell_table() if table is None else table
    rows = []
    for name, group in table.groupby("design", sort=False):
        result = evaluate(load_design(name))
        for row in group.itertuples():
            model = float(result[row.quantity])
            allowed = row.tolerance * (abs(row.value) if row.tolerance_kind == "relative" else 1)
            rows.append(
                {
                    "design": name,
                    "quantity": row.quantity,
                    "unit": row.unit,
                    "paper": row.value,
                    "designer": model,
                    "allowed_deviation": allowed,
                    "passes": abs(model - row.value) <= allowed,
                }
            )
    return pd.DataFrame(rows)
