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
from lrmo_cell.fitting.estimation import fit_least_squares, gauss_newton_ci

REQUIRED = ("cycle", "charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g")
VOLTAGE = "mean_discharge_voltage_V"
#: the widest window simulate_cycling takes [V]: a mean discharge voltage outside it is no
#: voltage the model can reach, so a fit to it would only run the model for nothing
VOLTAGE_RANGE_V = (1.5, 5.0)


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
    if VOLTAGE in frame:
        low, high = VOLTAGE_RANGE_V
        voltage = frame[VOLTAGE].to_numpy(dtype=float)
        outside = ~((voltage >= low) & (voltage <= high))
        if outside.any():
            row = int(np.argmax(outside))
            raise InputError(
                f"{source}: {VOLTAGE} must be in [{low:g}, {high:g}] V, got {voltage[row]:g} at "
                f"row {row}."
            )
    return frame.reset_index(drop=True)


def half_cycles(frame: pd.DataFrame, mass_g: float) -> pd.DataFrame:
    """Runs of one current sign of a time series in the readers' standard frame (rests, below 1%
    of the largest current, end a run): per run its ``direction`` ("charge"/"discharge"),
    ``capacity_mAh_per_g`` and mean ``voltage_V`` weighted by charge."""
    t = frame["time_s"].to_numpy()
    current = frame["current_A"].to_numpy()
    voltage = frame["voltage_V"].to_numpy()
    sign = np.where(np.abs(current) > 0.01 * np.abs(current).max(), np.sign(current), 0)
    edges = np.flatnonzero(np.diff(sign)) + 1
    rows = []
    for part in np.split(np.arange(len(t)), edges):
        if sign[part[0]] == 0 or len(part) < 2:
            continue
        # the interval before a run's first point already carries its current (a cycler logs a
        # step's first point one period after the switch)
        span = np.r_[max(part[0] - 1, 0), part]
        dq = np.abs(current[span][1:]) * np.diff(t[span]) / 3.6 / mass_g  # mAh/g
        rows.append(
            {
                "direction": "discharge" if sign[part[0]] > 0 else "charge",
                "capacity_mAh_per_g": float(dq.sum()),
                "voltage_V": float(np.sum(dq * voltage[span][1:]) / dq.sum()),
            }
        )
    return pd.DataFrame(rows, columns=["direction", "capacity_mAh_per_g", "voltage_V"])


def cycles_from_timeseries(frame: pd.DataFrame, mass_g: float, source="data") -> pd.DataFrame:
    """The per-cycle table of a cycler time series (standard frame): cycle n is the n-th charge
    and the discharge that follows it. Runs of one direction split by a rest count as one half
    cycle; an LRMO half cell starts discharged, so a discharge before the first charge and a
    last charge without its discharge are left out."""
    runs = half_cycles(frame, mass_g)
    runs = runs.assign(
        half=(runs["direction"] != runs["direction"].shift()).cumsum(),
        energy=runs["capacity_mAh_per_g"] * runs["voltage_V"],
    )
    halves = runs.groupby("half").agg(
        direction=("direction", "first"),
        capacity=("capacity_mAh_per_g", "sum"),
        energy=("energy", "sum"),
    )
    if len(halves) and halves["direction"].iloc[0] == "discharge":
        halves = halves.iloc[1:]
    charges = halves[halves["direction"] == "charge"]
    discharges = halves[halves["direction"] == "discharge"]
    n = len(discharges)
    if n == 0:
        raise InputError(f"{source}: has no charge followed by a discharge, so no cycle.")
    return pd.DataFrame(
        {
            "cycle": np.arange(1, n + 1),
            "charge_capacity_mAh_per_g": charges["capacity"].to_numpy()[:n],
            "discharge_capacity_mAh_per_g": discharges["capacity"].to_numpy(),
            VOLTAGE: (discharges["energy"] / discharges["capacity"]).to_numpy(),
        }
    )


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
    surrogate: bool = True,
) -> tuple[dict[str, float], dict, pd.DataFrame]:
    """Fit the parameters in ``guess`` (positive, fitted in log10) so that ``simulate`` reproduces
    ``measured`` cycle by cycle. Returns best values, their 95% intervals (Gauss-Newton) and the
    simulated table at the best values.

    ``surrogate=True`` minimises a quadratic response surface of the residuals built from a few
    full runs and refined with full runs (:func:`response_surface_fit`); ``False`` runs the full
    model at every evaluation of scipy's least squares. On the 12-cycle round trip of
    ``tests/test_cycling_fit.py`` (one parameter) that is 7 full runs against 31, for the same
    value within 0.14% (``benchmarks/bench_fitting.py``)."""
    names = list(guess)
    measured = check_cycling(measured)
    runs: dict[tuple, pd.DataFrame] = {}

    def run(x_log10) -> pd.DataFrame:
        key = tuple(np.round(x_log10, 12))
        if key not in runs:
            runs[key] = simulate(dict(zip(names, 10.0 ** np.asarray(x_log10), strict=True)))
        return runs[key]

    def misfit(x_log10):
        return residuals(measured, run(x_log10))

    x0 = np.log10([guess[n] for n in names])
    lower = np.log10([bounds[n][0] for n in names])
    upper = np.log10([bounds[n][1] for n in names])
    if surrogate:
        x_best, jac = response_surface_fit(misfit, x0, lower, upper)
        extra = gauss_newton_ci(x_best, jac, misfit(x_best), names)
        best = 10**x_best
    else:
        n_data = len(misfit(x0))
        best, extra = fit_least_squares(misfit, 10**x0, 10**lower, 10**upper, names, n_data)
    values = dict(zip(names, map(float, best), strict=True))
    return values, extra["ci95"], run(np.log10(best))


def _quadratic_features(x: np.ndarray, cross: bool) -> np.ndarray:
    """1, x_i and x_i x_j (i <= j; only i = j unless ``cross``) for each row of ``x``."""
    x = np.atleast_2d(x)
    p = x.shape[1]
    pairs = [x[:, i] * x[:, j] for i in range(p) for j in range(i, p) if cross or i == j]
    return np.column_stack([np.ones(len(x)), x, *pairs])


def response_surface_fit(
    misfit, x0, lower, upper, step=0.1, tolerance=0.005, max_rounds=8
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares on a quadratic surrogate of the residual vector, refined with full runs.

    Each round runs ``misfit`` (the full model) at a centre and at +/- ``step`` [decades] along
    each parameter, fits every residual component by a quadratic in the log10 parameters (least
    squares through all runs within 2 steps of the centre), and minimises the surrogate's sum of
    squares within 2 steps. The optimum becomes the next centre, with the step shrunk to the
    distance moved (at least ``tolerance``), until the centre moves less than ``tolerance``
    decades. A
    response surface of this kind is classical (Box & Wilson, J. R. Stat. Soc. B 13 (1951) 1).
    Returns the optimum and the surrogate's Jacobian there (for :func:`gauss_newton_ci`).
    """
    from scipy import optimize

    x0, lower, upper = (np.asarray(v, float) for v in (x0, lower, upper))
    p = len(x0)
    evaluated: dict[tuple, np.ndarray] = {}
    centre = np.clip(x0, lower, upper)
    for _ in range(max_rounds):
        design = [centre] + [
            np.clip(centre + sign * step * np.eye(p)[i], lower, upper)
            for i in range(p)
            for sign in (-1.0, 1.0)
        ]
        for x in design:
            evaluated.setdefault(tuple(x), misfit(x))
        near = [x for x in evaluated if np.max(np.abs(np.array(x) - centre)) <= 2 * step + 1e-12]
        # cross terms once the runs can tell them apart (the first round's star design cannot)
        cross = len(near) >= 1 + p + p * (p + 1) // 2
        features = _quadratic_features(np.array(near), cross)
        coef = np.linalg.lstsq(features, np.array([evaluated[x] for x in near]))[0]

        def surrogate(x, coef=coef, cross=cross):
            return _quadratic_features(x, cross)[0] @ coef

        box_low = np.maximum(lower, centre - 2 * step)
        box_high = np.minimum(upper, centre + 2 * step)
        x_new = optimize.least_squares(surrogate, centre, bounds=(box_low, box_high)).x
        moved = float(np.max(np.abs(x_new - centre)))
        centre = x_new
        if moved < tolerance:
            break
        step = max(min(step, moved), tolerance)
    jac = optimize.approx_fprime(centre, surrogate, 1e-6)
    evaluated.setdefault(tuple(centre), misfit(centre))
    return centre, jac


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
