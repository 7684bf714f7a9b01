"""Adaptive inter-cycle extrapolation against the full simulation: time and error.

    python benchmarks/bench_extrapolation.py [--family LRMO] [--tolerance 0.002]

The three cases of issue 14 for the sets of each family named (default LRMO: LRMO_Sun2025_...):
one 0.1C formation cycle, then 1000 cycles at 1C (2.0-4.8 V) of pristine and of Ru-1, and 450
cycles at C/3 (2.0-4.6 V) of the Ru-1 || graphite full cell. Each case runs ``simulate_cycling``
in full and with ``extrapolate=True`` (model build and per-cycle summary included in both) and
prints both times, their ratio, the cycles simulated in full, and the largest relative error of
the retention (discharge capacity over that of the first cycle after formation) and of the mean
discharge voltage at every 50th cycle after formation and at the last, and the load average
before each case (other jobs on the machine slow both runs, not always alike).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

# (set suffix, C-rate, cycles after formation, v_max [V]): the three cases
CASES = (
    ("Sun2025_pristine", 1.0, 1000, 4.8),
    ("Sun2025_Ru1", 1.0, 1000, 4.8),
    ("Sun2025_Ru1_graphite", 1 / 3, 450, 4.6),
)
FORMATION_CYCLES = 1
EVERY_CYCLES = 50


def errors_at_checkpoints(full, extrapolated) -> tuple[float, float]:
    """Largest relative error of retention and of mean discharge voltage at every 50th cycle
    after formation and at the last one both runs reached."""
    cycles = min(len(full), len(extrapolated)) - FORMATION_CYCLES
    checked = sorted({*range(EVERY_CYCLES, cycles + 1, EVERY_CYCLES), cycles})
    rows = [FORMATION_CYCLES + k - 1 for k in checked]

    def retention(frame):
        q = frame["discharge_capacity_mAh_per_g"].to_numpy()
        return q[rows] / q[FORMATION_CYCLES]

    def voltage(frame):
        return frame["mean_discharge_voltage_V"].to_numpy()[rows]

    return (
        float(np.max(np.abs(retention(extrapolated) / retention(full) - 1))),
        float(np.max(np.abs(voltage(extrapolated) / voltage(full) - 1))),
    )


def timed(name, c_rate, cycles, v_max, **options):
    from lrmo_cell.models.cycling import simulate_cycling

    start = time.perf_counter()
    frame = simulate_cycling(
        name, c_rate, cycles, formation_cycles=FORMATION_CYCLES, v_max=v_max, **options
    )
    return frame, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", nargs="+", default=["LRMO"])
    parser.add_argument("--tolerance", type=float, default=None)
    parser.add_argument("--max-skip-cycles", type=int, default=None)
    args = parser.parse_args()
    options = {
        key: value
        for key, value in (("tolerance", args.tolerance), ("max_skip_cycles", args.max_skip_cycles))
        if value is not None
    }
    header = (
        f"{'set':30s} {'cycles':>6s} {'full s':>8s} {'extrap s':>8s} {'ratio':>6s} "
        f"{'simulated':>9s} {'retention err':>13s} {'mean V err':>10s} {'load':>5s}"
    )
    print(header)
    for family in args.family:
        for suffix, c_rate, cycles, v_max in CASES:
            name = f"{family}_{suffix}"
            load = os.getloadavg()[0]
            full, full_s = timed(name, c_rate, cycles, v_max, show_progress=False)
            fast, fast_s = timed(name, c_rate, cycles, v_max, extrapolate=True, **options)
            retention_error, voltage_error = errors_at_checkpoints(full, fast)
            simulated = fast.attrs["simulated_cycles"]
            print(
                f"{name:30s} {cycles:6d} {full_s:8.1f} {fast_s:8.2f} {full_s / fast_s:6.1f} "
                f"{simulated:9d} {100 * retention_error:12.3f}% {100 * voltage_error:9.3f}% "
                f"{load:5.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
