"""Speed of the study runner (prints figures; never run as a test).

    python benchmarks/bench_study.py [--points 200] [--cycles 2]

1. points per second of a physics study (Latin hypercube over RuCl3 treatment strength and
   cathode loading of the Ru-1 || Li metal pouch; each point one electrode pair through
   ``--cycles`` cycles at 1C, no formation) in one process and on a 2-worker LocalCluster,
   and the parallel efficiency (2-worker rate / (2 x one-process rate)). The workers import the
   model before the clock starts, as a long study's workers have long done. Then the same
   one-process study twice at once in two processes: what two independent processes get on this
   machine (other jobs on a shared machine take their share), the ceiling for the cluster;
2. designs per second of a designer-only study (a 2000 x 2000 grid, in one process), the
   runner's chunks and Parquet parts included.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

PHYSICS = """design = "ru1_li_metal_5p83Ah"
parameter_set = "pristine"
outputs = ["specific_energy_Wh_per_kg", "capacity_retention", "oxygen_released_umol_per_g"]
[sampling]
method = "lhs"
points = {points}
seed = 1
[inputs]
"treatment.rucl3_mg_per_ml" = {{ low = 0.0, high = 0.6 }}
"cathode.loading_mg_per_cm2" = {{ low = 15, high = 30 }}
[protocol]
c_rate = 1.0
cycles = {cycles}
formation_cycles = 0
"""
DESIGNS = """design = "ru1_li_metal_5p83Ah"
outputs = ["specific_energy_Wh_per_kg", "energy_density_Wh_per_L", "thickness_mm"]
[inputs]
"cathode.loading_mg_per_cm2" = { low = 15, high = 35, points = 2000 }
"electrolyte.g_per_Ah" = { low = 1.2, high = 3, points = 2000 }
"""


def _warm(dask_worker=None) -> None:
    import lrmo_cell.models.cycling  # noqa: F401 - the import is the point
    import lrmo_cell.studies.cell_physics  # noqa: F401


def timed(study, out: Path, client=None) -> float:
    from lrmo_cell.studies.study import run_study

    start = time.perf_counter()
    run_study(study, out, client=client, progress=False)
    return time.perf_counter() - start


def _alone(study_and_out) -> float:
    _warm()
    return timed(*study_and_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--cycles", type=int, default=2)
    args = parser.parse_args()

    import pandas as pd
    from dask.distributed import Client, LocalCluster

    from lrmo_cell.studies.study_spec import load_study

    folder = Path(tempfile.mkdtemp(prefix="bench_study."))
    (folder / "physics.toml").write_text(PHYSICS.format(points=args.points, cycles=args.cycles))
    study = load_study(folder / "physics.toml")
    _warm()
    one = timed(study, folder / "one.parquet")
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(_warm)
        two = timed(study, folder / "two.parquet", client)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pair = pool.map(_alone, [(study, folder / f"pair{i}.parquet") for i in (0, 1)])
    failed = int((pd.read_parquet(folder / "two.parquet")["error"] != "").sum())
    rate_one, rate_two = args.points / one, args.points / two
    print(
        f"physics study, {args.points} points ({args.cycles} cycles at 1C each, {failed} failed):"
    )
    print(f"  one process:           {one:7.1f} s -> {rate_one:.3g} points/s")
    print(f"  LocalCluster, 2 workers: {two:5.1f} s -> {rate_two:.3g} points/s")
    print(f"  parallel efficiency:   {rate_two / (2 * rate_one):.0%}")
    rate_pair = sum(args.points / seconds for seconds in pair)
    print(
        f"  two one-process studies at once: {rate_pair:.3g} points/s together "
        f"({rate_pair / (2 * rate_one):.0%} of twice one process; load average "
        f"{os.getloadavg()[0]:.2f})"
    )

    (folder / "designs.toml").write_text(DESIGNS)
    designs = load_study(folder / "designs.toml")
    seconds = timed(designs, folder / "designs.parquet")
    print(
        f"designer-only study, {designs.n_points:.0e} designs in one process: {seconds:.2f} s "
        f"-> {designs.n_points / seconds:.3g} designs/s"
    )


if __name__ == "__main__":
    main()
