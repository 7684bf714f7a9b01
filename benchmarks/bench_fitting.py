"""Time the fits: a 20-pulse GITT fit and a 100-frequency DRT, each beside the library it uses.

    python benchmarks/bench_fitting.py [--pulses 20] [--frequencies 100]

GITT: synthetic 20-pulse discharge of PyBaMM's Xu2019 half cell (SPMe, 1 mV noise, seed 0), fitted
pulse by pulse (diffusivity and exchange-current density) by ``lrmo_cell.fitting.gitt.fit_gitt``;
the yardstick is one forward solve of the same experiment (the least-squares fit needs about
5-15 model runs per pulse). DRT: two-RC spectrum with 100 log-spaced frequencies through
``lrmo_cell.fitting.drt`` (TR-RBF, lambda by modified GCV, peaks) against pyimpspec's
``calculate_drt`` called the same way without our checks and peak assignment.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bench_gitt(n_pulses: int) -> None:
    from lrmo_cell.fitting.gitt import detect_pulses, fit_gitt, half_cell_setup
    from lrmo_cell.fitting.synthetic import synthetic_gitt

    setup = half_cell_setup("Xu2019")
    forward_s, frame = _timed(lambda: synthetic_gitt(setup, n_pulses=n_pulses, seed=0))
    pulses = detect_pulses(frame)
    fit_s, (table, _) = _timed(lambda: fit_gitt(setup, frame, pulses))
    truth = setup.parameter_values["Positive particle diffusivity [m2.s-1]"]
    error = (table["Positive particle diffusivity [m2.s-1]"] / truth - 1).abs().median()
    print(f"GITT {len(pulses)} pulses: fit {fit_s:.1f} s ({fit_s / len(pulses):.2f} s/pulse)")
    print(f"  one forward solve of the whole experiment (PyBaMM, IDAKLU): {forward_s:.1f} s")
    print(f"  median |D_fit / D_true - 1| = {error:.3f}")


def bench_drt(n_frequencies: int) -> None:
    import numpy as np
    import pandas as pd
    from pyimpspec import DataSet
    from pyimpspec.analysis.drt import calculate_drt

    from lrmo_cell.fitting.drt import compute_drt, find_peaks

    f = np.logspace(-3, 5, n_frequencies)
    z = 0.5 + 2.0 / (1 + 2j * np.pi * f * 0.1) + 5.0 / (1 + 2j * np.pi * f * 30.0)
    frame = pd.DataFrame({"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag})
    ours_s, drt = _timed(lambda: find_peaks(compute_drt(frame)))
    raw_s, _ = _timed(
        lambda: calculate_drt(
            DataSet(frequencies=f, impedances=z),
            method="tr-rbf",
            lambda_value=-1.0,
            cross_validation="mgcv",
            num_procs=1,
        )
    )
    print(
        f"DRT {n_frequencies} frequencies: lrmo_cell {ours_s:.2f} s, pyimpspec alone {raw_s:.2f} s"
    )
    print(f"  peaks at tau = {', '.join(f'{t:.3g}' for t in drt['tau_s'])} s (true 0.1 and 30 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pulses", type=int, default=20)
    parser.add_argument("--frequencies", type=int, default=100)
    args = parser.parse_args()
    bench_drt(args.frequencies)
    bench_gitt(args.pulses)


if __name__ == "__main__":
    main()
