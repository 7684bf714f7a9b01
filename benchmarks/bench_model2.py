"""Time Model 2 against PyBaMM's stock degradation model, same protocol, same solver family.

    python benchmarks/bench_model2.py [--cycles 300] [--set LRMO2_Sun2025_Ru1] [--repeat 3]

One 0.1C formation cycle, then ``--cycles`` cycles at 1C (2.0-4.8 V), through
``lrmo_cell.simulate_cycling`` (model build and per-cycle summary included), against the
yardstick of ``bench_model.py`` (PyBaMM's SPMe with SEI and LAM, OKane2022) on its own formation +
1C protocol; prints both times and their ratio, and Model 2's DFN cost per 1C cycle beside its
SPMe cost (both from the difference between ``--cycles`` and 0 cycles after formation).
"""

from __future__ import annotations

import argparse
import os
import time

from bench_model import stock_degradation_cycles

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")


def model2_cycles(name: str, cycles: int, base: str = "SPMe") -> float:
    from lrmo_cell.models.cycling import simulate_cycling

    start = time.perf_counter()
    simulate_cycling(name, 1.0, cycles, base=base, show_progress=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--set", default="LRMO2_Sun2025_Ru1")
    parser.add_argument("--dfn-cycles", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ours, theirs = [], []
    for _ in range(args.repeat):
        ours.append(model2_cycles(args.set, args.cycles))
        theirs.append(stock_degradation_cycles(args.cycles)[0])
    ratio = min(ours) / min(theirs)
    protocol = f"formation + {args.cycles} x 1C"
    print(f"Model 2 SPMe ({args.set}), {protocol}: {min(ours):.2f}-{max(ours):.2f} s")
    span = f"{min(theirs):.2f}-{max(theirs):.2f} s"
    print(f"yardstick (OKane2022 SPMe + SEI + LAM), {protocol}: {span}")
    print(f"ratio (fastest runs): {ratio:.2f}")
    formation = {base: model2_cycles(args.set, 0, base) for base in ("SPMe", "DFN")}
    for base, n in (("SPMe", args.cycles), ("DFN", args.dfn_cycles)):
        per_cycle = (model2_cycles(args.set, n, base) - formation[base]) / n
        print(f"Model 2 {base}: {1000 * per_cycle:.1f} ms per further 1C cycle")


if __name__ == "__main__":
    main()
