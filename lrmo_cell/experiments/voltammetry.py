"""Cyclic voltammetry of an LRMO cell and the peaks of its voltammogram.

PyBaMM has no potential-sweep step string, but its public step API takes a function of time as
the value of a voltage-controlled step: ``pybamm.step.voltage(lambda t: v0 + r * t,
duration=...)`` holds the cell voltage on a line in time (``t`` counts from the step's start;
PyBaMM builds the expression symbolically, so the solver sees the exact ramp, not a sampled
one). A cycle is two such steps, anodic and cathodic. The first cycle starts from the as-made
cell's open-circuit voltage (a voltage jump from rest to ``v_min`` would drive a current spike
of thousands of mA/g that no cycler applies), sweeps up to ``v_max`` and down to ``v_min``; every
later cycle sweeps ``v_min`` -> ``v_max`` -> ``v_min``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pybamm

from . import _inputs
from . import _model as lab

COLUMNS = ("cycle", "time_s", "voltage_V", "current_mA_per_g")
PEAK_COLUMNS = ("cycle", "direction", "voltage_V", "current_mA_per_g")
# output every this many volts of sweep: resolves peaks of 0.1 V width to a few percent
SAMPLING_V = 1e-3
MAX_SCAN_RATE_MV_PER_S = 100.0


def _sweep(start_V: float, end_V: float, rate_V_per_s: float):
    sign = 1.0 if end_V > start_V else -1.0
    return pybamm.step.voltage(
        lambda t: start_V + sign * rate_V_per_s * t,
        duration=abs(end_V - start_V) / rate_V_per_s,
        period=SAMPLING_V / rate_V_per_s,
    )


def cyclic_voltammetry(
    sample,
    scan_rate_mV_per_s: float = 0.1,
    v_min: float = 2.0,
    v_max: float | None = None,
    cycles: int = 1,
    **options,
) -> pd.DataFrame:
    """Voltammogram: one row per output point (every 1 mV of sweep) with the cycle number,
    time [s], voltage [V] and current [mA per g of active powder], anodic (charging the
    cathode) positive. ``v_max`` defaults to the set's upper cut-off (4.8 V for the half cells).
    Option ``show_progress`` (tqdm bar over cycles)."""
    values = lab.parameter_values(sample)
    rate = _inputs.positive(
        "scan_rate_mV_per_s", scan_rate_mV_per_s, MAX_SCAN_RATE_MV_PER_S, " mV/s"
    )
    v_min, v_max = _inputs.window(v_min, lab.upper_cut_off_V(values) if v_max is None else v_max)
    cycles = _inputs.count("cycles", cycles, 1, 100)
    v_rest = lab.open_circuit_voltage_V(values)
    _inputs.check(
        v_rest < v_max,
        f"v_max must be above the cell's open-circuit voltage {v_rest:.3f} V, got {v_max}",
    )
    r = rate / 1000
    protocol = [(_sweep(v_rest, v_max, r), _sweep(v_max, v_min, r))]
    protocol += [(_sweep(v_min, v_max, r), _sweep(v_max, v_min, r))] * (cycles - 1)
    solution = lab.solve(values, protocol, v_min, v_max, **options)
    mass_g = lab.active_powder_mass_g(values)
    frames = [
        pd.DataFrame(
            {
                "cycle": number,
                "time_s": lab.time_s(step),
                "voltage_V": lab.voltage_V(step),
                "current_mA_per_g": -1000 * lab.cell_current_A(step) / mass_g,
            }
        )
        for number, cycle in enumerate(solution.cycles, start=1)
        if cycle is not None
        for step in cycle.steps
    ]
    return lab.join_steps(frames)


def cv_peaks(frame: pd.DataFrame, min_prominence: float = 0.05) -> pd.DataFrame:
    """Peaks of a voltammogram (``cycle``, ``voltage_V``, ``current_mA_per_g``, anodic
    positive; model-made or measured): the local maxima of the current on each anodic sweep
    (voltage rising) and the local minima on each cathodic sweep, with a prominence of at least
    ``min_prominence`` of that sweep's largest current magnitude (scipy.signal.find_peaks). The
    current at a switching potential is an end of the sweep, not a peak. Columns ``cycle``,
    ``direction`` ("anodic"/"cathodic"), ``voltage_V``, ``current_mA_per_g``."""
    from scipy.signal import find_peaks

    missing = [c for c in ("cycle", "voltage_V", "current_mA_per_g") if c not in frame]
    _inputs.check(not missing, f"a voltammogram needs column(s) {', '.join(missing)}")
    rows = []
    for number, cycle in frame.groupby("cycle", sort=True):
        v = cycle["voltage_V"].to_numpy()
        i = cycle["current_mA_per_g"].to_numpy()
        rising = np.gradient(v) > 0
        # a sweep is a run of one sign of dV/dt
        edges = np.flatnonzero(np.diff(rising.astype(int))) + 1
        for part in np.split(np.arange(len(v)), edges):
            if len(part) < 5:
                continue
            sign = 1.0 if rising[part[0]] else -1.0
            signal = sign * i[part]
            scale = np.abs(i[part]).max()
            found, _ = find_peaks(signal, prominence=min_prominence * scale)
            rows += [
                {
                    "cycle": int(number),
                    "direction": "anodic" if sign > 0 else "cathodic",
                    "voltage_V": float(v[part][k]),
                    "current_mA_per_g": float(i[part][k]),
                }
                for k in found
            ]
    return pd.DataFrame(rows, columns=list(PEAK_COLUMNS))
