"""Synthetic measurements from models with known parameters, for round-trip tests and benchmarks.

Noise is Gaussian with a fixed seed, of the size of a good cycler (about 1 mV, 0.5% impedance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def synthetic_gitt(
    setup,
    n_pulses: int = 20,
    c_rate: float = 0.1,
    pulse_min: float = 10.0,
    rest_min: float = 30.0,
    initial_rest_min: float = 10.0,
    period_s: float = 10.0,
    noise_V: float = 1e-3,
    seed: int = 0,
) -> pd.DataFrame:
    """A GITT discharge (lithiation) of ``setup``'s half cell, in the standard frame.

    ``setup`` is a :class:`lrmo_cell.fitting.gitt.HalfCellSetup`; its parameter values are the
    truth. Returns time_s, current_A (discharge positive), voltage_V (+ noise), step, cycle.
    """
    import pybamm

    steps = [f"Rest for {initial_rest_min} minutes"]
    steps += [
        f"Discharge at {c_rate}C for {pulse_min} minutes",
        f"Rest for {rest_min} minutes",
    ] * n_pulses
    sim = pybamm.Simulation(
        setup.model.new_copy(),
        parameter_values=setup.parameter_values,
        experiment=pybamm.Experiment(steps, period=f"{period_s} seconds"),
        solver=pybamm.IDAKLUSolver(),
    )
    sol = sim.solve()
    frames = []
    for k, step in enumerate(sol.cycles):
        frames.append(
            pd.DataFrame(
                {
                    "time_s": step["Time [s]"].entries,
                    "current_A": step["Current [A]"].entries,
                    "voltage_V": step["Voltage [V]"].entries,
                    "step": k + 1,
                    "cycle": 1,
                }
            ).iloc[(1 if k else 0) :]  # each step repeats its predecessor's last point
        )
    frame = pd.concat(frames, ignore_index=True)
    rng = np.random.default_rng(seed)
    frame["voltage_V"] += rng.normal(0.0, noise_V, len(frame))
    return frame
