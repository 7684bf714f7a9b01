"""Impedance spectra of an LRMO cell at states along a charge or a discharge, and their DRT.

The states: from the as-made cell, a galvanostatic charge at ``c_rate`` stopped at each of the
voltages in turn (ascending), each followed by a rest of ``rest_s``; for ``"discharge"`` the
cell is first charged to ``v_max`` and rested, then discharged to each voltage (descending).
After each rest PyBaMM's own EIS (``pybamm.EISSimulation``, the model linearised about that
state at zero current) gives the spectrum: the rest lets the double layer and the particle
gradients settle, so that the linearisation is about a (nearly) stationary state.
``in_situ=True`` is the study's protocol, EIS during the galvanostatic step: no rest, and the
model linearised about the state it reaches under the current (``_model.impedance_ohm``). The
two differ where the current goes into a one-way reaction: on the first charge's activation
plateau the oxygen couple has almost no exchange current at rest (its unactivated sites only
oxidise; its activated ones are empty), while under the current its charge-transfer resistance
is 2RT / (F I) for the whole electrode (a one-way symmetric rate grows as exp(F eta / 2RT)),
whatever its rate constant or area. A state under current drifts: a spectrum is about one state
only at periods short against its lifetime (at 4.5 V on the first charge at 0.1C the
unactivated sites would run out in ~600 s, and the DRT's peak near 1e3 s there is that drift,
outside the study's windows).
``voltage_V`` names the state by the voltage at which the current was stopped (or, in situ,
reached); ``rest_voltage_V`` is the voltage after the rest (in situ: at that state) and
``current_A`` the current the spectrum is linearised at.

:func:`impedance_drt` runs the fitting package's DRT (``lrmo_cell.fitting.drt``: pyimpspec
TR-RBF, lambda by modified GCV) on each spectrum and assigns its peaks by time constant with the
study's windows (1e-2-10 s charge transfer, 10-100 s solid-state diffusion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lrmo_cell.errors import InputError

from . import _inputs
from . import _model as lab

COLUMNS = (
    "voltage_V",
    "direction",
    "frequency_Hz",
    "z_real_ohm",
    "z_imag_ohm",
    "rest_voltage_V",
    "current_A",
)
DRT_COLUMNS = ("voltage_V", "direction", "tau_s", "process", "resistance_ohm", "gamma_ohm")
DIRECTIONS = ("charge", "discharge")
DEFAULT_VOLTAGES_V = (3.7, 3.9, 4.1, 4.3, 4.5, 4.7)
# 1 mHz (tau ~ 160 s, past the study's diffusion window) to 10 kHz, 6 points per decade: the
# DRT's cost grows as the cube of the points (six spectra: about 1 s here, 6 s at 10 per decade)
# and its charge-transfer resistances move by about 1% between the two
DEFAULT_FREQUENCIES_HZ = np.logspace(-3, 4, 43)


def impedance(
    sample,
    voltages_V=DEFAULT_VOLTAGES_V,
    direction: str = "charge",
    frequencies_Hz=None,
    c_rate: float = 0.1,
    rest_s: float = 600.0,
    v_min: float = 2.0,
    v_max: float | None = None,
    in_situ: bool = False,
    **options,
) -> pd.DataFrame:
    """Spectra at the states ``voltages_V`` [V] reached on the first ``direction``
    ("charge" or "discharge") at ``c_rate`` (see the module docstring), one row per state and
    frequency: ``voltage_V``, ``direction``, ``frequency_Hz``, ``z_real_ohm``, ``z_imag_ohm``
    (capacitive arcs negative) [Ohm, the set's electrode], ``rest_voltage_V``, ``current_A``.
    ``in_situ``: under the step's current, without the rest (``rest_s`` unused).
    ``frequencies_Hz`` defaults to 1 mHz-10 kHz, 6 per decade (``np.logspace(-3, 4, 71)`` for
    finer DRT time constants, at five times the DRT's cost). Option ``show_progress``."""
    values = lab.parameter_values(sample)
    _inputs.choice("direction", direction, DIRECTIONS)
    c_rate = _inputs.c_rate("c_rate", c_rate)
    rest_s = _inputs.positive("rest_s", rest_s, 86400.0, " s")
    v_min, v_max = _inputs.window(v_min, lab.upper_cut_off_V(values) if v_max is None else v_max)
    voltages = sorted({float(v) for v in np.atleast_1d(voltages_V)}, reverse=direction != "charge")
    _inputs.check(
        1 <= len(voltages) <= 50 and all(v_min < v <= v_max for v in voltages),
        f"voltages_V must be 1 to 50 voltages in ({v_min}, {v_max}] V, got {list(voltages_V)}",
    )
    frequencies = DEFAULT_FREQUENCIES_HZ if frequencies_Hz is None else frequencies_Hz
    frequencies = np.asarray(frequencies, float)
    _inputs.check(
        frequencies.ndim == 1 and len(frequencies) >= 5 and np.all(frequencies > 0),
        "frequencies_Hz must hold at least 5 frequencies, all > 0 Hz",
    )
    rest = f"Rest for {rest_s} seconds"
    charge = lab.constant_current("Charge", values, c_rate, v_max)
    protocol = [] if direction == "charge" else [(charge, rest)]
    verb = "Charge" if direction == "charge" else "Discharge"
    after = () if in_situ else (rest,)
    protocol += [(lab.constant_current(verb, values, c_rate, v), *after) for v in voltages]
    solution = lab.solve(values, protocol, v_min, v_max, **options)
    states = solution.cycles[len(protocol) - len(voltages) :]
    frames = []
    for k, voltage in enumerate(voltages):
        state = states[k] if k < len(states) else None
        if state is None or not abs(lab.final_voltage_V(state.steps[0]) - voltage) <= 1e-3:
            raise InputError(
                f"voltages_V: the {direction} at {c_rate}C did not reach {voltage} V (a charge "
                "state must lie above the cell's rest voltage, a discharge state below the one "
                "before)"
            )
        current = float(lab.cell_current_A(state)[-1]) if in_situ else 0.0
        z = lab.impedance_ohm(state, values, frequencies, current)
        frames.append(
            pd.DataFrame(
                {
                    "voltage_V": voltage,
                    "direction": direction,
                    "frequency_Hz": frequencies,
                    "z_real_ohm": z.real,
                    "z_imag_ohm": z.imag,
                    "rest_voltage_V": lab.final_voltage_V(state),
                    "current_A": current,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def impedance_drt(spectra, windows=None, **options) -> pd.DataFrame:
    """DRT peaks of each spectrum of an :func:`impedance` frame (or, given a sample instead,
    of ``impedance(sample, **options)``): one row per peak with ``voltage_V``, ``direction``,
    ``tau_s`` [s], ``process`` ("charge_transfer", "diffusion" or "unassigned"),
    ``resistance_ohm`` (the peak's area) and ``gamma_ohm``. ``windows`` replaces the study's
    time-constant windows, {process: (tau_min, tau_max)} [s]."""
    from lrmo_cell.fitting.drt import compute_drt, find_peaks

    frame = spectra if isinstance(spectra, pd.DataFrame) else impedance(spectra, **options)
    rows = []
    for (voltage, direction), spectrum in frame.groupby(["voltage_V", "direction"], sort=False):
        label = f"{direction} {voltage} V"
        peaks = find_peaks(compute_drt(spectrum, source=label), windows)
        rows.append(peaks.assign(voltage_V=voltage, direction=direction))
    return pd.concat(rows, ignore_index=True)[list(DRT_COLUMNS)]
