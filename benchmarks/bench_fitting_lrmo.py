"""Time and score `fit gitt` on the LRMO model over the whole 2.0-4.8 V window.

    python benchmarks/bench_fitting_lrmo.py [--pulses-per-direction 4] [--c-rate 0.5]
        [--told-capacity-share 0.98]

The virtual lab's GITT of one LRMO pristine half cell (``fitting.synthetic.synthetic_gitt``:
charge pulses from the as-made state to 4.8 V, then discharge pulses to 2.0 V, 1-h pulses and
rests, 1 mV noise, seed 0) with diffusivities 2e-17 (TM) and 3e-18 m2/s (oxygen), fitted back
from the set's own (1e-16, 1e-17) by ``fit_gitt_two_couples``, told an electrode capacity
``--told-capacity-share`` times the cell's. Prints the time to make the data; then the fit
with the capacity as given (``fit_capacity=False``, one pass over the pulses: the yardstick,
told the true capacity) and with the capacity fitted, each with its time (wall and CPU: a
shared machine stretches the wall time) and their CPU ratio; and per pulse of the second its
carrier, the TM share of its charge and D / D_true, and the capacity scale against its truth.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

TRUTH = {
    "Primary: Positive particle diffusivity [m2.s-1]": 2e-17,
    "Secondary: Positive particle diffusivity [m2.s-1]": 3e-18,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pulses-per-direction", type=int, default=4)
    parser.add_argument("--c-rate", type=float, default=0.5)
    parser.add_argument("--told-capacity-share", type=float, default=0.98)
    args = parser.parse_args()

    from lrmo_cell.fitting.gitt import (
        CAPACITY_SCALE,
        couple_diffusivity_name,
        detect_pulses,
        fit_gitt_two_couples,
        half_cell_setup,
    )
    from lrmo_cell.fitting.synthetic import synthetic_gitt

    truth_setup = half_cell_setup("LRMO_Sun2025_pristine")
    truth_setup.parameter_values.update(TRUTH)
    start = time.perf_counter()
    frame = synthetic_gitt(
        truth_setup,
        n_pulses=args.pulses_per_direction,
        c_rate=args.c_rate,
        pulse_min=60,
        rest_min=60,
        charge_pulses=args.pulses_per_direction,
        v_min=2.0,
        v_max=4.8,
        noise_V=1e-3,
        seed=0,
    )
    made_s = time.perf_counter() - start

    def timed_fit(frame, fit_capacity):
        pulses = detect_pulses(frame)
        wall, cpu = time.perf_counter(), time.process_time()
        table, _ = fit_gitt_two_couples(
            half_cell_setup("LRMO_Sun2025_pristine"), frame, pulses, fit_capacity=fit_capacity
        )
        return table, pulses, time.perf_counter() - wall, time.process_time() - cpu

    print(
        f"synthetic GITT: {len(detect_pulses(frame))} pulses, {frame['voltage_V'].min():.2f}-"
        f"{frame['voltage_V'].max():.2f} V, made in {made_s:.1f} s"
    )
    _, pulses, wall, yardstick_cpu = timed_fit(frame, fit_capacity=False)
    print(
        f"capacity as given (the true one): {wall:.1f} s wall, {yardstick_cpu:.1f} s CPU, "
        f"{yardstick_cpu / len(pulses):.1f} s CPU per pulse"
    )
    told = frame.assign(current_A=frame["current_A"] / args.told_capacity_share)
    table, pulses, wall, cpu = timed_fit(told, fit_capacity=True)
    truth = 1 / args.told_capacity_share
    print(
        f"capacity fitted (told {args.told_capacity_share:g} of it): {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU ({cpu / yardstick_cpu:.1f} times the fit with it given); scale "
        f"{table[CAPACITY_SCALE].iloc[0]:.5f} against {truth:.5f} (95%: "
        f"{table[f'{CAPACITY_SCALE} ci95 low'].iloc[0]:.5f} to "
        f"{table[f'{CAPACITY_SCALE} ci95 high'].iloc[0]:.5f})"
    )
    print("pulse  direction  carrier  TM share  D/D_true  rms [mV]")
    for (_, row), current in zip(table.iterrows(), pulses["current_A"], strict=True):
        name = couple_diffusivity_name(row["carrier"])
        direction = "charge" if current < 0 else "discharge"
        print(
            f"{row['pulse']:5d}  {direction:9s}  {row['carrier']:7s}  {row['TM charge share']:8.3f}"
            f"  {row[name] / TRUTH[name]:8.3f}  {1e3 * row['model_rms_V']:8.2f}"
        )


if __name__ == "__main__":
    main()
