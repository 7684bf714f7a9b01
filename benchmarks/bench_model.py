"""Time the LRMO model against PyBaMM's stock degradation model, same protocol, same solver.

    python benchmarks/bench_model.py [--cycles 300] [--sample Ru-1] [--repeat 3]

Prints the wall time of one 0.1C formation cycle of the LRMO half cell, of the formation plus
``--cycles`` cycles at 1C (through ``lrmo_cell.simulate_cycling``, model build included), and of
the same number of 1C cycles with PyBaMM's SPMe with SEI growth and loss of active material
(OKane2022 parameters, 2.5-4.2 V) as the yardstick, with seconds per cycle for each. Each is run
``--repeat`` times, interleaved, and the fastest and slowest are shown: on shared machines a
single run can be off by a second or two.
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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from lrmo_cell.models.cycling import simulate_cycling

    formation, cycling, stock = [], [], []
    for _ in range(args.repeat):
        formation.append(
            _timed(lambda: simulate_cycling(args.sample, 1.0, 0, show_progress=False))[0]
        )
        seconds, frame = _timed(
            lambda: simulate_cycling(args.sample, 1.0, args.cycles, show_progress=False)
        )
        cycling.append(seconds)
        seconds, stock_n = stock_degradation_cycles(args.cycles)
        stock.append(seconds)
    n = len(frame) - 1

    def spread(times, cycles=1):
        fast, slow = min(times), max(times)
        return f"{fast:6.2f}-{slow:6.2f} s ({fast / cycles:.3f}-{slow / cycles:.3f} s per cycle)"

    print(f"LRMO {args.sample}, one 0.1C formation cycle: {spread(formation)}")
    print(f"LRMO {args.sample}, formation + {n} cycles at 1C: {spread(cycling, max(n, 1))}")
    print(f"PyBaMM SPMe + SEI + LAM (OKane2022), {stock_n} cycles at 1C: {spread(stock, stock_n)}")
    print(f"LRMO / yardstick, fastest runs: {min(cycling) / min(stock):.2f}")


if __name__ == "__main__":
    main()
