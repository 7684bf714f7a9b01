"""Speed of the pouch-cell designer (prints figures; never run as a test).

    python benchmarks/bench_design.py

1. designs evaluated per second in one vectorised 1e6-design call (best of 5) and through the
   chunked sweep runner (``run_sweep``, 1000 x 1000 grid, in-process, best of 3);
2. start-up-to-answer time of ``lrmo-cell design designs/ru1_li_metal_5p83Ah.toml --json`` as a
   subprocess, median of 7 runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import numpy as np

from lrmo_cell.design.core import evaluate
from lrmo_cell.design.schema import load_design
from lrmo_cell.resources import data_path
from lrmo_cell.studies.sweep import parse_vary, run_sweep

N = 1_000_000


def main() -> None:
    design = load_design("ru1_li_metal_5p83Ah")
    rng = np.random.default_rng(0)
    overrides = {
        "cathode.loading_mg_per_cm2": rng.uniform(15, 35, N),
        "electrolyte.g_per_Ah": rng.uniform(1.2, 3.0, N),
        "anode.li_thickness_um": rng.uniform(20, 60, N),
    }
    times = []
    for _ in range(5):
        start = time.perf_counter()
        evaluate(design, overrides)
        times.append(time.perf_counter() - start)
    print(
        f"evaluate(): {N:.0e} designs (3 fields varied) in {min(times):.3f} s -> "
        f"{N / min(times):.3g} designs/s"
    )

    axes = [
        parse_vary("cathode.loading_mg_per_cm2=15:35:1000", design),
        parse_vary("electrolyte.g_per_Ah=1.2:3.0:1000", design),
    ]
    runs = []
    for _ in range(3):  # the first run also pays for importing pandas
        start = time.perf_counter()
        frame = run_sweep(design, axes)
        runs.append(time.perf_counter() - start)
    seconds = min(runs)
    print(
        f"run_sweep(): {len(frame):.0e} designs with {frame.shape[1]} columns in "
        f"{seconds:.3f} s -> {len(frame) / seconds:.3g} designs/s"
    )

    command = [
        sys.executable,
        "-m",
        "lrmo_cell.cli",
        "design",
        str(data_path("designs", "ru1_li_metal_5p83Ah.toml")),
        "--json",
    ]
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    print(
        f"lrmo-cell design ... --json: median {statistics.median(runs):.3f} s over 7 runs "
        f"(min {min(runs):.3f} s)"
    )


if __name__ == "__main__":
    main()
