"""Time of each virtual-lab experiment for Ru-1 (prints figures; never run as a test).

    python benchmarks/bench_experiments.py [--repeats 3]

The issue's set: a 6-rate test (after its 0.1C formation cycle), one CV cycle at 0.1 mV/s, a
20-pulse GITT (0.05C, 600 s pulses, 3600 s rests) with its Weppner-Huggins table, a 6-state
impedance set (1 mHz-10 kHz, 6 per decade) and, apart, the DRT of those six spectra; plus the
first charge. Best and worst of ``--repeats`` runs, after a first run of everything, printed
apart: it also pays for the model build and PyBaMM's first set-up, which a session pays once.
"""

from __future__ import annotations

import argparse
import time

from lrmo_cell import experiments as ex
from lrmo_cell.experiments import _model as lab

SAMPLE = "Ru-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    radius = lab.particle_radius_m(lab.parameter_values(SAMPLE))
    spectra = {}

    def impedance_set():
        spectra["frame"] = ex.impedance(SAMPLE)
        return spectra["frame"]

    cases = {
        "first charge (0.1C to 4.8 V)": lambda: ex.formation(SAMPLE),
        "6-rate test (0.1-5C, after formation)": lambda: ex.rate_test(SAMPLE),
        "one CV cycle (0.1 mV/s, 2.0-4.8 V)": lambda: ex.cyclic_voltammetry(SAMPLE),
        "20-pulse GITT + Weppner-Huggins table": lambda: ex.gitt_table(
            ex.gitt(SAMPLE, pulses=20), radius
        ),
        "6-state impedance set (43 frequencies)": impedance_set,
        "DRT of the 6 spectra": lambda: ex.impedance_drt(spectra["frame"]),
    }
    first = {}
    for name, case in cases.items():
        start = time.perf_counter()
        case()
        first[name] = time.perf_counter() - start
    times = {name: [] for name in cases}
    for _ in range(repeats):
        for name, case in cases.items():
            start = time.perf_counter()
            case()
            times[name].append(time.perf_counter() - start)
    width = max(map(len, cases))
    print(f"{SAMPLE}: first run, then best / worst of {repeats} more")
    for name, seconds in times.items():
        print(
            f"  {name:<{width}}  {first[name]:6.2f} s, then {min(seconds):6.2f} s / "
            f"{max(seconds):6.2f} s"
        )


if __name__ == "__main__":
    main()
