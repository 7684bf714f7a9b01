"""Time the LRMO model against PyBaMM's stock degradation model, same protocol, same solver.

    python benchmarks/bench_model.py [--cycles 300] [--sample Ru-1] [--repeat 3] [--dfn-cycles 20]

The protocol is the study's: one 0.1C formation cycle, then ``--cycles`` cycles at 1C, CC charge
and CC discharge. The LRMO half cell runs it through ``lrmo_cell.simulate_cycling`` (model build
and the per-cycle summary included); the yardstick is PyBaMM's SPMe with SEI growth and loss of
active material (OKane2022 parameters, 2.5-4.2 V, IDAKLU at its defaults) on the same experiment.
Both also run the formation cycle alone, so the cost of one more 1C cycle (the difference, divided
by ``--cycles``) is printed for each, and both run the 1C cycles without the formation cycle (the
yardstick's protocol in earlier versions of this script, which gave the LRMO model one cycle and
two step models more to build). Each run is repeated ``--repeat`` times, interleaved, and the
fastest and slowest are shown: on shared machines a single run can be off by a second or two.
Then both again with IDAKLU's "compile" option (``simulate_cycling(..., compiled=True)``: the
models evaluated by C code gcc builds ahead of time): first cold, in a new build cache, so the
build is in the time, then warm (the build kept), and the ratio of the warm runs. Last, the cost
of one more 1C cycle of the DFN beside the SPMe's.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def stock_degradation_cycles(
    cycles: int, formation: bool = True, compiled: bool = False
) -> tuple[float, int]:
    """Seconds for (a 0.1C formation cycle and) ``cycles`` 1C cycles of SPMe + SEI + LAM
    (OKane2022), IDAKLU at its defaults (``compiled``: with its "compile" option), and the
    number of cycles it completed."""
    import pybamm

    model = pybamm.lithium_ion.SPMe(
        {"SEI": "solvent-diffusion limited", "loss of active material": "stress-driven"}
    )
    steps = [("Charge at 0.1C until 4.2 V", "Discharge at 0.1C until 2.5 V")] if formation else []
    steps += [("Charge at 1C until 4.2 V", "Discharge at 1C until 2.5 V")] * cycles
    sim = pybamm.Simulation(
        model,
        parameter_values=pybamm.ParameterValues("OKane2022"),
        experiment=pybamm.Experiment(steps),
        solver=pybamm.IDAKLUSolver(options={"compile": compiled}),
    )
    seconds, solution = _timed(sim.solve)
    return seconds, len(solution.cycles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--sample", default="Ru-1")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dfn-cycles", type=int, default=20)
    args = parser.parse_args()

    from lrmo_cell.models.cycling import simulate_cycling

    def lrmo(cycles, formation_cycles=1, base="SPMe", compiled=False):
        return simulate_cycling(
            args.sample,
            1.0,
            cycles,
            formation_cycles=formation_cycles,
            base=base,
            show_progress=False,
            compiled=compiled,
        )

    keys = ("lrmo_0", "lrmo_n", "lrmo_bare", "stock_0", "stock_n", "stock_bare")
    times = {key: [] for key in keys}
    for _ in range(args.repeat):
        times["lrmo_0"].append(_timed(lambda: lrmo(0))[0])
        seconds, frame = _timed(lambda: lrmo(args.cycles))
        times["lrmo_n"].append(seconds)
        times["lrmo_bare"].append(_timed(lambda: lrmo(args.cycles, formation_cycles=0))[0])
        times["stock_0"].append(stock_degradation_cycles(0)[0])
        seconds, stock_n = stock_degradation_cycles(args.cycles)
        times["stock_n"].append(seconds)
        times["stock_bare"].append(stock_degradation_cycles(args.cycles, formation=False)[0])
    n, stock_n = len(frame) - 1, stock_n - 1

    def spread(key):
        return f"{min(times[key]):6.2f}-{max(times[key]):6.2f} s"

    def per_cycle(key, cycles):
        extra = min(times[key]) - min(times[key.replace("_n", "_0")])
        return f"{extra / max(cycles, 1):.4f} s per further 1C cycle"

    yardstick = "PyBaMM SPMe + SEI + LAM (OKane2022)"
    print(f"LRMO {args.sample}, one 0.1C formation cycle: {spread('lrmo_0')}")
    print(f"LRMO {args.sample}, formation + {n} cycles at 1C: {spread('lrmo_n')}")
    print(f"LRMO {args.sample}, {n} cycles at 1C without formation: {spread('lrmo_bare')}")
    print(f"{yardstick}, one 0.1C formation cycle: {spread('stock_0')}")
    print(f"{yardstick}, formation + {stock_n} cycles at 1C: {spread('stock_n')}")
    print(f"{yardstick}, {stock_n} cycles at 1C without formation: {spread('stock_bare')}")
    print(f"LRMO: {per_cycle('lrmo_n', n)}; yardstick: {per_cycle('stock_n', stock_n)}")
    print(
        "LRMO / yardstick, fastest runs: "
        f"{min(times['lrmo_n']) / min(times['stock_n']):.2f} with the formation cycle, "
        f"{min(times['lrmo_bare']) / min(times['stock_bare']):.2f} without"
    )
    with tempfile.TemporaryDirectory() as cache:
        os.environ["PYBAMM_CASADI_AOT_CACHE"] = cache
        lrmo_cold = _timed(lambda: lrmo(args.cycles, compiled=True))[0]
        stock_cold = stock_degradation_cycles(args.cycles, compiled=True)[0]
        lrmo_warm, stock_warm = [], []
        for _ in range(args.repeat):
            lrmo_warm.append(_timed(lambda: lrmo(args.cycles, compiled=True))[0])
            stock_warm.append(stock_degradation_cycles(args.cycles, compiled=True)[0])
    print(
        f"compiled, formation + {n} cycles at 1C: LRMO {lrmo_cold:.2f} s cold, "
        f"{min(lrmo_warm):.2f}-{max(lrmo_warm):.2f} s warm; yardstick {stock_cold:.2f} s cold, "
        f"{min(stock_warm):.2f}-{max(stock_warm):.2f} s warm"
    )
    print(
        f"compiled LRMO / compiled yardstick, fastest warm runs: "
        f"{min(lrmo_warm) / min(stock_warm):.2f}; compiled LRMO warm / yardstick at its "
        f"defaults: {min(lrmo_warm) / min(times['stock_n']):.2f}"
    )
    dfn_0 = _timed(lambda: lrmo(0, base="DFN"))[0]
    dfn_n = _timed(lambda: lrmo(args.dfn_cycles, base="DFN"))[0]
    spme = (min(times["lrmo_n"]) - min(times["lrmo_0"])) / max(n, 1)
    dfn = (dfn_n - dfn_0) / args.dfn_cycles
    print(
        f"LRMO per further 1C cycle: SPMe {1000 * spme:.0f} ms, DFN {1000 * dfn:.0f} ms "
        f"({args.dfn_cycles} DFN cycles; DFN / SPMe {dfn / spme:.1f})"
    )


if __name__ == "__main__":
    main()
