"""Fit oxygen-loss and degradation parameters to measured per-cycle data.

The measured table has one row per cycle with the column names of ``lrmo-cell simulate --json``
(``cycle``, ``charge_capacity_mAh_per_g``, ``discharge_capacity_mAh_per_g``, optionally
``mean_discharge_voltage_V``), formation cycles first, so that measured and simulated tables are
compared row by row. The fit is generic over a ``simulate(overrides) -> DataFrame`` callable;
:func:`lrmo_simulator` makes one from ``lrmo_cell.simulate_cycling``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from lrmo_cell.errors import InputError
from lrmo_cell.fitting.estimation import fit_least_squares

REQUIRED = ("cycle", "charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g")
VOLTAGE = "mean_discharge_voltage_V"


def check_cycling(frame: pd.DataFrame, source="cycling data") -> pd.DataFrame:
    """The measured per-cycle table, checked: required columns, cycles 1, 2, 3 ... in order,
    positive finite capacities."""
    missing = [c for c in REQUIRED if c not in frame]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}.")
    cycles = frame["cycle"].to_numpy()
    if len(cycles) < 2 or not np.array_equal(cycles, np.arange(1, len(cycles) + 1)):
        raise InputError(f"{source}: cycle must run 1, 2, 3, ... without gaps (2 cycles at least).")
    capacities = frame[list(REQUIRED[1:])].to_numpy(dtype=float)
    if not np.all(np.isfinite(capacities)) or np.any(capacities <= 0):
        raise InputError(f"{source}: capacities must be finite and > 0 mAh/g.")
    return frame.reset_index(drop=True)


def cycling_metrics(frame: pd.DataFrame, formation_cycles: int = 1) -> dict[str, float]:
    """ICE (cycle 1), capacity retention (last over first cycle after formation) and the mean
    discharge voltage decay [mV per cycle] by a straight line over the cycles after formation."""
    after = frame.iloc[formation_cycles:]
    metrics = {
        "initial_coulombic_efficiency": float(
            frame["discharge_capacity_mAh_per_g"].iloc[0]
            / frame["charge_capacity_mAh_per_g"].iloc[0]
        ),
        "capacity_retention": float(
            after["discharge_capacity_mAh_per_g"].iloc[-1]
            / after["discharge_capacity_mAh_per_g"].iloc[0]
        ),
    }
    if VOLTAGE in frame and len(after) >= 2:
        slope = np.polyfit(after["cycle"], after[VOLTAGE], 1)[0]
        metrics["voltage_decay_mV_per_cycle"] = float(1000 * slope)
    return metrics


def residuals(measured: pd.DataFrame, simulated: pd.DataFrame) -> np.ndarray:
    """Per-cycle misfit, each series scaled by a measurement-sized unit (1 mAh/g, 1 mV) so that
    capacity and voltage weigh alike; cycles the simulation did not reach count as large."""
    n = len(measured)
    sim = simulated.set_index("cycle").reindex(measured["cycle"])
    parts = [
        (sim["charge_capacity_mAh_per_g"].to_numpy() - measured["charge_capacity_mAh_per_g"]) / 1,
        (sim["discharge_capacity_mAh_per_g"].to_numpy() - measured["discharge_capacity_mAh_per_g"])
        / 1,
    ]
    if VOLTAGE in measured:
        parts.append((sim[VOLTAGE].to_numpy() - measured[VOLTAGE]) / 1e-3)
    out = np.concatenate([np.asarray(p, float) for p in parts])
    return np.nan_to_num(out, nan=1e3)[: 3 * n]


def fit_cycling(
    simulate: Callable[[dict], pd.DataFrame],
    measured: pd.DataFrame,
    guess: dict[str, float],
    bounds: dict[str, tuple[float, float]],
) -> tuple[dict[str, float], dict, pd.DataFrame]:
    """Fit the parameters in ``guess`` (positive, fitted in log10) so that ``simulate`` reproduces
    ``measured`` cycle by cycle. Returns best values, their 95% intervals (Gauss-Newton) and the
    simulated table at the best values."""
    names = list(guess)
    measured = check_cycling(measured)

    def misfit(x_log10):
        overrides = dict(zip(names, 10.0 ** np.asarray(x_log10), strict=True))
        return residuals(measured, simulate(overrides))

    n_data = len(misfit(np.log10([guess[n] for n in names])))
    best, extra = fit_least_squares(
        misfit,
        np.array([guess[n] for n in names]),
        np.array([bounds[n][0] for n in names]),
        np.array([bounds[n][1] for n in names]),
        names,
        n_data,
    )
    values = dict(zip(names, map(float, best), strict=True))
    return values, extra["ci95"], simulate(values)


def lrmo_simulator(model: str, c_rate: float, measured: pd.DataFrame, **options):
    """``simulate(overrides)`` for :func:`fit_cycling`: the LRMO model cycled like the data (one
    0.1C formation cycle, then ``len(measured) - 1`` cycles at ``c_rate``)."""
    from lrmo_cell.models.cycling import simulate_cycling

    cycles = len(measured) - 1

    def simulate(overrides: dict) -> pd.DataFrame:
        return simulate_cycling(
            model, c_rate, cycles, parameter_overrides=overrides, show_progress=False, **options
        )

    return simulate
