"""Time the LRMO model against PyBaMM's stock degradation model, same protocol, same solver.

    python benchmarks/bench_model.py [--cycles 300] [--sample Ru-1]

Prints the wall time of one 0.1C formation cycle of the LRMO half cell, of the formation plus
``--cycles`` cycles at 1C (through ``lrmo_cell.simulate_cycling``, model build included), and of
the same number of 1C cycles with PyBaMM's SPMe with SEI growth and loss of active material
(OKane2022 parameters, 2.5-4.2 V) as the yardstick, with seconds per cycle for each.
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


def stock_degradation_cycles(cycles: int) -> tuple[float, int]:
    """Seconds for ``cycles`` 1C cycles of SPMe + SEI + LAM (OKane2022), IDAKLU, and the
    number of cycles it completed."""
    import pybamm

    model = pybamm.lithium_ion.SPMe(
        {"SEI": "solvent-diffusion limited", "loss of active material": "stress-driven"}
    )
    experiment = pybamm.Experiment(
        [("Charge at 1C until 4.2 V", "Discharge at 1C until 2.5 V")] * cycles
    )
    sim = pybamm.Simulation(
        model,
        parameter_values=pybamm.ParameterValues("OKane2022"),
        experiment=experiment,
        solver=pybamm.IDAKLUSolver(),
    )
    seconds, solution = _timed(sim.solve)
    return seconds, len(solution.cycles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--sample", default="Ru-1")
    args = parser.parse_args()

    from lrmo_cell.models.cycling import simulate_cycling

    formation_s, _ = _timed(lambda: simulate_cycling(args.sample, 1.0, 0, show_progress=False))
    cycling_s, frame = _timed(
        lambda: simulate_cycling(args.sample, 1.0, args.cycles, show_progress=False)
    )
    stock_s, stock_n = stock_degradation_cycles(args.cycles)
    n = len(frame) - 1
    print(f"LRMO {args.sample}, one 0.1C formation cycle:     {formation_s:7.2f} s")
    print(
        f"LRMO {args.sample}, formation + {n} cycles at 1C: {cycling_s:7.2f} s "
        f"({(cycling_s - formation_s) / max(n, 1):.3f} s per 1C cycle)"
    )
    print(
        f"PyBaMM SPMe + SEI + LAM (OKane2022), {stock_n} cycles at 1C: {stock_s:7.2f} s "
        f"({stock_s / stock_n:.3f} s per cycle)"
    )


if __name__ == "__main__":
    main()
