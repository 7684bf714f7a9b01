"""Galvanostatic intermittent titration (GITT) of an LRMO cell, and its per-pulse table.

:func:`gitt` returns the project's standard measured-data frame
(:mod:`lrmo_cell.fitting.readers`: ``time_s``, ``current_A`` discharge positive, ``voltage_V``,
``step``, ``cycle``), so that ``lrmo-cell fit gitt`` reads the model's titration exactly as it
reads a cycler's. :func:`gitt_table` analyses any such frame with the fitting package's own
pulse detection and Weppner-Huggins analysis (:mod:`lrmo_cell.fitting.gitt`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import _inputs
from . import _model as lab

TABLE_COLUMNS = ("voltage_V", "overpotential_V", "diffusivity_m2_per_s")
# the Li of each couple's hosts, so that a model-made titration says which couple each pulse
# drew on
COUPLE_LITHIUM = {
    "tm_couple_li_mol": "Total lithium in primary phase in positive electrode [mol]",
    "oxygen_couple_li_mol": "Total lithium in secondary phase in positive electrode [mol]",
}
DIRECTIONS = ("charge", "discharge")


def gitt(
    sample,
    pulse_c_rate: float = 0.05,
    pulse_s: float = 600.0,
    rest_s: float = 3600.0,
    direction: str = "charge",
    pulses: int | None = None,
    v_min: float = 2.0,
    v_max: float | None = None,
    initial_rest_s: float = 600.0,
    period_s: float = 10.0,
    **options,
) -> pd.DataFrame:
    """GITT from the as-made cell: a rest of ``initial_rest_s``, then pulses of ``pulse_s`` at
    ``pulse_c_rate`` each followed by a rest of ``rest_s`` [s], sampled every ``period_s``.
    ``direction="charge"`` titrates the first charge up to ``v_max`` (default: the set's upper
    cut-off); ``"discharge"`` first charges the cell at ``pulse_c_rate`` to ``v_max`` and
    titrates its discharge down to ``v_min``, the frame then starting at the rest after that
    charge. ``pulses``: the number of pulses (default: as many as it takes); a pulse that
    reaches the voltage limit is the last, with its rest. ``step`` counts the steps, ``cycle``
    the pulses (0: the rest before the first). The model's own columns ``tm_couple_li_mol``
    and ``oxygen_couple_li_mol`` [mol], the Li of each couple's hosts, say which couple a
    pulse drew on (``gitt_table``'s ``oxygen_couple_share``); a cycler's file has none."""
    values = lab.parameter_values(sample)
    c_rate = _inputs.c_rate("pulse_c_rate", pulse_c_rate)
    pulse_s = _inputs.positive("pulse_s", pulse_s, 86400.0, " s")
    rest_s = _inputs.positive("rest_s", rest_s, 86400.0, " s")
    initial_rest_s = _inputs.positive("initial_rest_s", initial_rest_s, 86400.0, " s")
    period_s = _inputs.positive("period_s", period_s, min(pulse_s, rest_s) / 3, " s")
    _inputs.choice("direction", direction, DIRECTIONS)
    pulses = _inputs.count("pulses", pulses, 1, 2000)
    v_min, v_max = _inputs.window(v_min, lab.upper_cut_off_V(values) if v_max is None else v_max)
    current = lab.current_A(values, c_rate)
    if pulses is None:
        # until the voltage limit: the protocol holds as many pulses as pass the charge that
        # bounds a constant-current step
        pulses = math.ceil(lab.MAX_STEP_1C_HOURS * 3600 / (c_rate * pulse_s))
    verb, limit = ("Charge", v_max) if direction == "charge" else ("Discharge", v_min)
    protocol = [(f"Rest for {initial_rest_s} seconds",)]
    if direction == "discharge":
        charge = lab.constant_current("Charge", values, c_rate, v_max)
        protocol = [(charge, f"Rest for {initial_rest_s} seconds")]
    pulse = (f"{verb} at {current} A for {pulse_s} seconds or until {limit} V",)
    protocol += [(*pulse, f"Rest for {rest_s} seconds")] * pulses
    solution = lab.solve(values, protocol, v_min, v_max, period_s=period_s, **options)
    frames, step_number = [], 0
    first = 0 if direction == "charge" else 1
    for number, cycle in enumerate(solution.cycles):
        if cycle is None:
            continue
        steps = cycle.steps if number else cycle.steps[first:]
        for step in steps:
            if lab.is_skipped(step):
                continue
            step_number += 1
            frames.append(
                pd.DataFrame(
                    {
                        "time_s": lab.time_s(step),
                        "current_A": lab.cell_current_A(step),
                        "voltage_V": lab.voltage_V(step),
                        "step": step_number,
                        "cycle": number,
                        **{
                            column: lab.entries(step, name)
                            for column, name in COUPLE_LITHIUM.items()
                        },
                    }
                )
            )
        if number and abs(lab.final_voltage_V(cycle.steps[0]) - limit) < 1e-3:
            break
    _inputs.check(len(frames) > 1, f"the GITT {direction} could not start: {solution.termination}")
    frame = lab.join_steps(frames)
    frame["time_s"] -= frame["time_s"].iloc[0]
    return frame.reset_index(drop=True)


def gitt_table(frame: pd.DataFrame, particle_radius_m: float) -> pd.DataFrame:
    """Per pulse of a GITT frame (standard layout, model-made or measured): the relaxed voltage
    after the pulse ``voltage_V`` [V], the ``overpotential_V`` [V] (voltage at the end of the
    pulse minus that relaxed voltage, positive for a pulse in either direction) and the
    Weppner-Huggins diffusivity ``diffusivity_m2_per_s`` [m2/s] for spheres of
    ``particle_radius_m`` (``lrmo_cell.fitting.gitt.pulse_table``; its assumptions, a pulse
    short against R^2/D among them, are in ``weppner_huggins_diffusivity``). More columns:
    ``pulse``, ``current_A``, ``dEs_V``, ``dEt_V``, ``ir_drop_V``, and for a model-made frame
    ``oxygen_couple_share``, the share of the pulse's Li exchange that the oxygen couple's
    hosts took (over the pulse and its rest). For half cells: in a full cell the voltage mixes
    both electrodes."""
    from lrmo_cell.fitting.gitt import detect_pulses, pulse_table
    from lrmo_cell.fitting.readers import check_timeseries

    radius = _inputs.positive("particle_radius_m", particle_radius_m, 1e-3, " m")
    frame_in, frame = frame, check_timeseries(frame, "GITT frame")
    pulses = detect_pulses(frame, source="GITT frame")
    # the stoichiometry columns of pulse_table are left out of this table, so the electrode
    # capacity and the starting stoichiometry it asks for only need to be finite
    table = pulse_table(frame, pulses, 1.0, 0.0, radius)
    v = frame["voltage_V"].to_numpy()
    v_end = v[pulses["i_end"].to_numpy()]
    table["voltage_V"] = table["ocv_end_V"]
    table["overpotential_V"] = -np.sign(table["current_A"]) * (v_end - table["ocv_end_V"])
    table["diffusivity_m2_per_s"] = table["D_WH_m2_per_s"]
    extra = ["pulse", "current_A", "dEs_V", "dEt_V", "ir_drop_V"]
    if set(COUPLE_LITHIUM) <= set(frame_in):
        tm, oxygen = (frame_in[column].to_numpy() for column in COUPLE_LITHIUM)
        # from the rest before the pulse to the end of the rest after it, so that Li moving
        # between the couples while they relax counts where it settles
        start = pulses["i_start"].to_numpy()
        end = np.r_[start[1:], len(tm) - 1]
        d_tm, d_oxygen = tm[end] - tm[start], oxygen[end] - oxygen[start]
        table["oxygen_couple_share"] = d_oxygen / (d_tm + d_oxygen)
        extra.append("oxygen_couple_share")
    return table[[*TABLE_COLUMNS, *extra]]
