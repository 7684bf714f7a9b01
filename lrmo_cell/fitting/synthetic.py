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
    charge_pulses: int = 0,
    v_min: float | None = None,
    v_max: float | None = None,
) -> pd.DataFrame:
    """A GITT discharge (lithiation) of ``setup``'s half cell, in the standard frame, after
    ``charge_pulses`` charge pulses (each with its rest) if asked: the charge and the
    discharge GITT of one cell, so that the second inherits the first one's history.

    ``setup`` is a :class:`lrmo_cell.fitting.gitt.HalfCellSetup` or ``TwoCoupleSetup``; its
    parameter values are the truth, run with its solver and mesh. A pulse ends early at
    ``v_max`` [V] (charge) or ``v_min`` [V] (discharge) if given. Returns time_s, current_A
    (discharge positive), voltage_V (+ noise), step, cycle.
    """
    import pybamm

    def pulse(verb, limit):
        until = "" if limit is None else f" or until {limit} V"
        return [
            f"{verb} at {c_rate}C for {pulse_min} minutes{until}",
            f"Rest for {rest_min} minutes",
        ]

    steps = [f"Rest for {initial_rest_min} minutes"]
    steps += pulse("Charge", v_max) * charge_pulses + pulse("Discharge", v_min) * n_pulses
    options = {"solver": pybamm.IDAKLUSolver(), **setup.simulator_options}
    sim = pybamm.Simulation(
        setup.model.new_copy(),
        parameter_values=setup.parameter_values,
        experiment=pybamm.Experiment(steps, period=f"{period_s} seconds"),
        **options,
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
