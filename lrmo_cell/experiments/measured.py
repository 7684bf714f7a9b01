"""Measured data beside the model: a cycler file (read by ``lrmo_cell.fitting.readers``) turned
into the columns of each experiment's model frame, and the error between the two.

Time series are in the readers' standard frame (SI, current positive on discharge); their
per-gram quantities need the measured electrode's active mass ``mass_g``. Each ``compare_*``
returns a :class:`Comparison`: the RMSE, its unit, what it compares, and the measured data in
the model frame's columns (for the overlay).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lrmo_cell.errors import InputError
from lrmo_cell.fitting.cycling import half_cycles


@dataclass
class Comparison:
    rmse: float
    unit: str
    quantity: str
    measured: pd.DataFrame

    def describe(self) -> str:
        return f"RMSE of {self.quantity} (model - measured): {self.rmse:.4g} {self.unit}"


def rmse(model, measured) -> float:
    difference = np.abs(np.asarray(model) - np.asarray(measured))
    return float(np.sqrt(np.mean(difference**2)))


def read(path) -> pd.DataFrame:
    from lrmo_cell.fitting.readers import read_file

    return read_file(path)


def _need_timeseries(frame: pd.DataFrame, source) -> None:
    if "time_s" not in frame:
        raise InputError(f"--data {source}: this experiment needs a time series, not a spectrum")


def _mass(mass_g, source) -> float:
    if mass_g is None or not mass_g > 0:
        raise InputError(
            f"--data {source}: a time series needs --mass-g, the active mass of the measured "
            "electrode in g (> 0)"
        )
    return float(mass_g)


def check(kind: str, frame: pd.DataFrame, mass_g, source="data") -> None:
    """Before a run: a spectrum for "impedance", else a time series, with ``mass_g`` unless
    "gitt" (whose voltage needs no per-gram scale)."""
    if kind == "impedance":
        if "frequency_Hz" not in frame:
            raise InputError(f"--data {source}: this experiment needs an impedance spectrum")
        return
    _need_timeseries(frame, source)
    if kind != "gitt":
        _mass(mass_g, source)


def compare_formation(model: pd.DataFrame, frame, mass_g, source="data") -> Comparison:
    """The measured first charge (the file's first run of charging current) against the model's:
    voltage at the same specific charge, over the charge both cover."""
    _need_timeseries(frame, source)
    mass_g = _mass(mass_g, source)
    current = frame["current_A"].to_numpy()
    charging = current < 0
    if not charging.any():
        raise InputError(f"--data {source}: has no charging (negative) current")
    start = int(np.argmax(charging))
    stop = len(current) if charging[start:].all() else start + int(np.argmin(charging[start:]))
    # from the point before the first charging one: the interval up to it carries the current
    run = slice(max(start - 1, 0), stop)
    t, i, v = frame["time_s"].to_numpy()[run], current[run], frame["voltage_V"].to_numpy()[run]
    q = np.r_[0.0, np.cumsum(-i[1:] * np.diff(t))] / 3.6 / mass_g
    measured = pd.DataFrame({"charge_mAh_per_g": q, "voltage_V": v})
    inside = measured["charge_mAh_per_g"] <= model["charge_mAh_per_g"].max()
    at = np.interp(q[inside], model["charge_mAh_per_g"], model["voltage_V"])
    return Comparison(rmse(at, v[inside]), "V", "the first-charge voltage", measured)


def _compare_discharges(model_capacity, frame, mass_g, source, skip: int) -> Comparison:
    _need_timeseries(frame, source)
    runs = half_cycles(frame, _mass(mass_g, source))
    discharges = runs[runs["direction"] == "discharge"].iloc[skip:].reset_index(drop=True)
    n = min(len(discharges), len(model_capacity))
    if n == 0:
        raise InputError(f"--data {source}: has no discharge to compare")
    measured = discharges.iloc[:n].rename(
        columns={
            "capacity_mAh_per_g": "discharge_capacity_mAh_per_g",
            "voltage_V": "mean_discharge_voltage_V",
        }
    )
    error = rmse(np.asarray(model_capacity)[:n], measured["discharge_capacity_mAh_per_g"])
    return Comparison(error, "mAh/g", f"the discharge capacity of {n} discharges", measured)


def compare_rate(model: pd.DataFrame, frame, mass_g, source="data") -> Comparison:
    """The measured discharges in order, the first (formation) left out, against the model's
    one per C-rate."""
    comparison = _compare_discharges(
        model["discharge_capacity_mAh_per_g"], frame, mass_g, source, skip=1
    )
    comparison.measured.insert(0, "c_rate", model["c_rate"].iloc[: len(comparison.measured)])
    return comparison


def compare_cycling(model: pd.DataFrame, frame, mass_g, source="data") -> Comparison:
    """The measured discharges in order against the model's cycles (formation first)."""
    comparison = _compare_discharges(
        model["discharge_capacity_mAh_per_g"], frame, mass_g, source, skip=0
    )
    comparison.measured.insert(0, "cycle", np.arange(1, len(comparison.measured) + 1))
    return comparison


def compare_cv(model: pd.DataFrame, frame, mass_g, source="data") -> Comparison:
    """The measured voltammogram against the model's at the same time from the start (both
    sweep the same program from the open-circuit voltage): current in mA/g."""
    _need_timeseries(frame, source)
    mass_g = _mass(mass_g, source)
    t = frame["time_s"].to_numpy() - frame["time_s"].iloc[0]
    measured = pd.DataFrame(
        {
            "cycle": frame["cycle"].to_numpy() if frame["cycle"].any() else 1,
            "time_s": t,
            "voltage_V": frame["voltage_V"].to_numpy(),
            "current_mA_per_g": -1000 * frame["current_A"].to_numpy() / mass_g,
        }
    )
    inside = t <= model["time_s"].max()
    at = np.interp(t[inside], model["time_s"], model["current_mA_per_g"])
    error = rmse(at, measured["current_mA_per_g"][inside])
    return Comparison(error, "mA/g", "the current at the same time", measured)


def compare_gitt(model: pd.DataFrame, frame, mass_g=None, source="data") -> Comparison:
    """The measured GITT voltage against the model's at the same time from the start."""
    _need_timeseries(frame, source)
    t = frame["time_s"].to_numpy() - frame["time_s"].iloc[0]
    measured = frame.assign(time_s=t)
    inside = t <= model["time_s"].max()
    at = np.interp(t[inside], model["time_s"], model["voltage_V"])
    error = rmse(at, frame["voltage_V"].to_numpy()[inside])
    return Comparison(error, "V", "the voltage at the same time", measured)


def compare_impedance(model: pd.DataFrame, frame, mass_g=None, source="data") -> Comparison:
    """A measured spectrum against each model spectrum at the measured frequencies (the model
    is run at them): RMSE of |Z_model - Z_measured| [Ohm], of the closest state."""
    check("impedance", frame, mass_g, source)
    z_data = frame["z_real_ohm"].to_numpy() + 1j * frame["z_imag_ohm"].to_numpy()
    errors = {}
    for (voltage, direction), spectrum in model.groupby(["voltage_V", "direction"], sort=False):
        spectrum = spectrum.set_index("frequency_Hz").loc[frame["frequency_Hz"]]
        z_model = spectrum["z_real_ohm"].to_numpy() + 1j * spectrum["z_imag_ohm"].to_numpy()
        errors[f"{direction} {voltage:g} V"] = rmse(z_model, z_data)
    best = min(errors, key=errors.get)
    return Comparison(errors[best], "Ohm", f"the impedance, closest state {best}", frame)
