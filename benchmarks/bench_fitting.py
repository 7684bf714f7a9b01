"""Time the fits: a 20-pulse GITT fit beside PyBOP's, a 100-frequency DRT beside pyimpspec, and
the cycling fit with and without its response surface.

    python benchmarks/bench_fitting.py [--pulses 20] [--frequencies 100] [--cycles 12]

GITT: synthetic 20-pulse discharge of PyBaMM's Xu2019 half cell (SPMe, D = 1e-14 m2/s, 1 mV noise,
seed 0), fitted pulse by pulse (diffusivity, exchange-current density, initial stoichiometry)
three ways: ``lrmo_cell.fitting.gitt.fit_gitt`` (PyBOP problem, scipy least squares on PyBOP's
sensitivities); PyBOP's ``SciPyMinimize`` on the same PyBOP problems from the same starts; and
PyBOP's own ``GITTFit`` application (its single-particle diffusion model with a series resistance,
D = R^2 / tau). DRT: two-RC spectrum with 100 log-spaced frequencies through
``lrmo_cell.fitting.drt`` (TR-RBF, lambda by modified GCV, peaks) against pyimpspec's
``calculate_drt`` called the same way without our checks and peak assignment. Cycling: the
round trip of ``tests/test_cycling_fit.py`` (the pristine LRMO model with 1.5x its oxygen release
rate constant, 0.5 mAh/g and 1 mV noise, seed 3), fitted back from the set's value with the
response surface and with the full model at every evaluation.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

D_NAME = "Positive particle diffusivity [m2.s-1]"


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _accuracy(ratio) -> str:
    import numpy as np

    error = np.abs(np.asarray(ratio) - 1)
    return f"median |D/D_true - 1| {np.median(error):.3f}, worst {error.max():.2f}"


def _pybop_minimize(setup, frame, pulses):
    """PyBOP's SciPyMinimize (L-BFGS-B, gradient from sensitivities) on fit_gitt's problems."""
    import pybop

    from lrmo_cell.fitting.gitt import DEFAULT_BOUNDS, DEFAULT_GUESS, pulse_problem, pulse_start

    guess, values, evaluations = dict(DEFAULT_GUESS), [], 0
    for pulse in pulses.itertuples():
        start, limits = pulse_start(setup, frame, pulse, guess, DEFAULT_BOUNDS)
        problem, _, _ = pulse_problem(setup, frame, pulse, start, limits)
        result = pybop.SciPyMinimize(problem).run()
        evaluations += result.n_evaluations
        guess = {name: float(result.best_inputs[name]) for name in setup.fit_names}
        values.append(guess[D_NAME])
    return values, evaluations


def _pybop_gitt_fit(setup, frame, pulses):
    """PyBOP's GITTFit application (SPDiffusion model) on the same pulses; D = R^2 / tau."""
    import numpy as np
    import pybop

    data = pybop.Dataset(
        {
            "Time [s]": frame["time_s"].to_numpy(),
            "Current [A]": frame["current_A"].to_numpy(),
            "Voltage [V]": frame["voltage_V"].to_numpy(),
        }
    )
    index = [np.arange(p.i_start, p.i_relaxed + 1) for p in pulses.itertuples()]
    grouped = pybop.lithium_ion.SPDiffusion.create_grouped_parameters(setup.parameter_values)
    table = pybop.GITTFit(data, index, grouped)()
    radius = setup.parameter_values["Positive particle radius [m]"]
    return radius**2 / np.asarray(table["Particle diffusion time scale [s]"])


def bench_gitt(n_pulses: int) -> None:
    from lrmo_cell.fitting.gitt import detect_pulses, fit_gitt, half_cell_setup
    from lrmo_cell.fitting.synthetic import synthetic_gitt

    setup = half_cell_setup("Xu2019")
    forward_s, frame = _timed(lambda: synthetic_gitt(setup, n_pulses=n_pulses, seed=0))
    pulses = detect_pulses(frame)
    truth = setup.parameter_values[D_NAME]
    print(f"GITT {len(pulses)} pulses (one forward solve of the experiment: {forward_s:.1f} s)")

    ours_s, (table, _) = _timed(lambda: fit_gitt(setup, frame, pulses))
    covered = (table[f"{D_NAME} ci95 low"] <= truth) & (truth <= table[f"{D_NAME} ci95 high"])
    print(
        f"  lrmo_cell fit_gitt (PyBOP problem, scipy least squares): {ours_s:.1f} s, "
        f"{_accuracy(table[D_NAME] / truth)}, truth in {covered.sum()}/{len(table)} intervals"
    )
    minimize_s, (values, evaluations) = _timed(lambda: _pybop_minimize(setup, frame, pulses))
    print(
        f"  PyBOP SciPyMinimize, same problems: {minimize_s:.1f} s ({evaluations} model runs), "
        f"{_accuracy([v / truth for v in values])}, no intervals"
    )
    gitt_s, diffusivity = _timed(lambda: _pybop_gitt_fit(setup, frame, pulses))
    print(
        f"  PyBOP GITTFit (SPDiffusion model): {gitt_s:.1f} s, {_accuracy(diffusivity / truth)}, "
        "no intervals"
    )


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


def bench_cycling(n_cycles: int) -> None:
    import numpy as np

    from lrmo_cell.fitting.cycling import fit_cycling, lrmo_simulator
    from lrmo_cell.models.cycling import simulate_cycling
    from lrmo_cell.parameters import load_parameter_set

    name = "Oxygen release rate constant [s-1]"
    value = load_parameter_set("pristine")[name]
    one_s, data = _timed(
        lambda: simulate_cycling(
            "pristine",
            1.0,
            n_cycles - 1,
            parameter_overrides={name: 1.5 * value},
            show_progress=False,
        )
    )
    rng = np.random.default_rng(3)
    for column in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        data[column] += rng.normal(0, 0.5, len(data))
    data["mean_discharge_voltage_V"] += rng.normal(0, 1e-3, len(data))
    simulate = lrmo_simulator("pristine", 1.0, data)
    print(f"Cycling fit, {n_cycles} cycles, 1 parameter (one full run {one_s:.1f} s):")
    times = {}
    for surrogate in (True, False):
        runs = []

        def counted(overrides, runs=runs):
            runs.append(overrides)
            return simulate(overrides)

        times[surrogate], (best, ci95, _) = _timed(
            lambda surrogate=surrogate, counted=counted: fit_cycling(
                counted, data, {name: value}, {name: (value / 100, value * 100)}, surrogate
            )
        )
        low, high = (c / (1.5 * value) for c in ci95[name])
        label = "response surface" if surrogate else "full model     "
        print(
            f"  {label}: {times[surrogate]:.1f} s, {len(runs)} full runs, fitted/true "
            f"{best[name] / (1.5 * value):.4f} (95% {low:.4f}-{high:.4f})"
        )
    print(f"  speed-up {times[False] / times[True]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pulses", type=int, default=20)
    parser.add_argument("--frequencies", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=12)
    args = parser.parse_args()
    bench_drt(args.frequencies)
    bench_gitt(args.pulses)
    bench_cycling(args.cycles)


if __name__ == "__main__":
    main()
