"""Speed of a design at a rate through the LRMO model (prints figures; never run as a test).

    python benchmarks/bench_cell_physics.py

``lrmo_cell.studies.cell_physics.at_rate`` (one electrode pair: 0.1C formation, then a cycle at
1C) for the Li-metal design with the old calibrated model's set and Model 2's, best and worst of
3 runs after a first one (which pays for PyBaMM's first model build), and the start-up-to-answer
time of ``lrmo-cell design ru1_li_metal_5p83Ah --at-rate 1C --json`` as a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
import time

from lrmo_cell.design.schema import load_design
from lrmo_cell.studies.cell_physics import at_rate

SETS = ("LRMO_Sun2025_Ru1",)


def main() -> None:
    for name in SETS:
        design = load_design("ru1_li_metal_5p83Ah", {"cathode.parameter_set": name})
        times = []
        for _ in range(4):
            start = time.perf_counter()
            result = at_rate(design, 1.0)
            times.append(time.perf_counter() - start)
        print(
            f"at_rate 1C, {name}: first {times[0]:.2f} s, then {min(times[1:]):.2f}-"
            f"{max(times[1:]):.2f} s ({result['capacity_Ah']:.3f} Ah)"
        )
    command = [sys.executable, "-m", "lrmo_cell.cli", "design", "ru1_li_metal_5p83Ah"]
    start = time.perf_counter()
    subprocess.run([*command, "--at-rate", "1C", "--json"], check=True, capture_output=True)
    print(f"lrmo-cell design ... --at-rate 1C --json: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
