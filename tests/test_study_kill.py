"""A study under real SIGKILLs: of the runner (in-process and with a LocalCluster) and of a Dask
worker. Each must end, after a resume where needed, with exactly the rows of an uninterrupted
run: none lost, none twice; in between, the folder holds the result or its parts, nothing else.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from lrmo_cell.studies.study import run_study
from lrmo_cell.studies.study_spec import load_study

ENV = {**os.environ, "PYBAMM_DISABLE_TELEMETRY": "true", "MPLBACKEND": "Agg"}
# designer-only: 200 x 1000 designs in 20 parts, a few seconds in one process
DESIGNS = """design = "ru1_li_metal_5p83Ah"
outputs = ["specific_energy_Wh_per_kg", "energy_density_Wh_per_L", "thickness_mm"]
[inputs]
"cathode.loading_mg_per_cm2" = { low = 15, high = 35, points = 200 }
"electrolyte.g_per_Ah" = { low = 1.2, high = 3, points = 1000 }
"""
DESIGN_ROWS, DESIGN_PARTS = 200 * 1000, 20
# model points of one short 1C cycle of the set's own thin electrode, one point per task
POINTS = 3
PHYSICS = """parameter_set = "pristine"
outputs = ["discharge_capacity_mAh_per_g", "capacity_retention"]
[sampling]
method = "lhs"
points = 3
seed = 1
[inputs]
"treatment.rucl3_mg_per_ml" = { low = 0.0, high = 0.6 }
[protocol]
c_rate = 1.0
cycles = 1
formation_cycles = 0
"""


def start(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lrmo_cell.cli", "study", "s.toml", *args],
        cwd=folder,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 180) -> str:
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr
    return stdout


def wait_for_parts(folder: Path, process: subprocess.Popen, count: int = 1) -> bool:
    """True once `count` parts are stored; False if the study finished (cleanly) first, as
    its last parts may land and be merged between two looks."""
    deadline = time.monotonic() + 120
    while len(list((folder / "s.parquet.parts").glob("part-*.parquet"))) < count:
        if process.poll() is not None:
            assert process.returncode == 0, process.stderr.read()
            return False
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return True


def result_or_parts(folder: Path, rows_per_part: int) -> int:
    """The folder holds the result, or the parts folder (manifest + finished parts, and
    temporaries the next run removes), and nothing else; returns the finished parts."""
    entries = {p.name for p in folder.iterdir()} - {"s.toml"}
    if entries == {"s.parquet"}:
        return -1
    assert entries <= {"s.parquet.parts"}, entries
    if not entries:
        return 0
    names = {p.name for p in (folder / "s.parquet.parts").iterdir()}
    parts = {n for n in names if n.startswith("part-") and n.endswith(".parquet")}
    assert all(n.startswith(".") and n.endswith(".tmp") for n in names - parts - {"sweep.json"})
    assert not parts or "sweep.json" in names
    for name in parts:
        assert pq.ParquetFile(folder / "s.parquet.parts" / name).metadata.num_rows == rows_per_part
    return len(parts)


def workers_of(process: subprocess.Popen) -> list[psutil.Process]:
    """The Dask worker processes a runner's LocalCluster spawned (not multiprocessing's
    resource tracker)."""
    workers = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                workers.append(child)
        except psutil.NoSuchProcess:  # ZombieProcess is one
            pass  # a killed worker its nanny has not reaped yet is not a running worker
    return workers


@pytest.fixture(scope="module")
def designs(tmp_path_factory) -> tuple[pd.DataFrame, float]:
    folder = tmp_path_factory.mktemp("designs")
    (folder / "s.toml").write_text(DESIGNS)
    begin = time.perf_counter()
    finish(start(folder, "--workers", "0", "--chunk-size", "10000"))
    return pd.read_parquet(folder / "s.parquet"), time.perf_counter() - begin


# tests/test_trust_kill.py kills the sweep at eight moments of the same storage; here the
# study's own path through it is killed once, halfway
@pytest.mark.parametrize("fraction", [0.5])
def test_a_sigkilled_runner_leaves_parts_that_resume_to_the_same_rows(tmp_path, designs, fraction):
    expected, seconds = designs
    (tmp_path / "s.toml").write_text(DESIGNS)
    args = ("--workers", "0", "--chunk-size", "10000")
    process = start(tmp_path, *args)
    time.sleep(fraction * seconds)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    result_or_parts(tmp_path, DESIGN_ROWS // DESIGN_PARTS)
    finish(start(tmp_path, *args, "--resume"))
    assert {p.name for p in tmp_path.iterdir()} == {"s.toml", "s.parquet"}
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"), expected)


def test_a_second_identical_study_meanwhile_is_refused_in_one_line(tmp_path, designs):
    expected, _ = designs
    (tmp_path / "s.toml").write_text(DESIGNS)
    args = ("--workers", "0", "--chunk-size", "10000")
    first = start(tmp_path, *args)
    assert wait_for_parts(tmp_path, first)
    first.send_signal(signal.SIGSTOP)  # held mid-study, so the second surely meets it
    try:
        second = start(tmp_path, *args, "--resume")
        _, err = second.communicate(timeout=60)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 2
    assert len(err.strip().splitlines()) == 1 and "another lrmo-cell process" in err
    finish(first)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"), expected)


@pytest.fixture(scope="module")
def physics(tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("physics")
    (folder / "s.toml").write_text(PHYSICS)
    run_study(load_study(folder / "s.toml"), folder / "s.parquet")
    table = pd.read_parquet(folder / "s.parquet")
    assert (table["error"] == "").all() and len(table) == POINTS
    return table


def replacement_worker(process: subprocess.Popen, gone: set[int]) -> list[psutil.Process]:
    """The runner's workers once its nanny has replaced the killed one (pids not in `gone`);
    [] if the study finished (cleanly) first."""
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            assert process.returncode == 0, process.stderr.read()
            return []
        workers = workers_of(process)
        if any(worker.pid not in gone for worker in workers):
            return workers
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_sigkilled_worker_then_runner_lose_and_repeat_no_point(tmp_path, physics):
    """A worker killed mid-point: its nanny starts another and the study goes on; the runner,
    killed as soon as that new worker is up, takes all its workers with it, and the resumed
    run computes only the points not yet stored, the killed worker's among them."""
    (tmp_path / "s.toml").write_text(PHYSICS)
    process = start(tmp_path, "--workers", "2")
    # two workers and three points: the study needs two points' time after its first part
    assert wait_for_parts(tmp_path, process)
    workers = workers_of(process)
    assert len(workers) == 2
    workers[0].send_signal(signal.SIGKILL)
    # a study that ends before the nanny's new worker shows is the race's clean end
    replaced = replacement_worker(process, {worker.pid for worker in workers})
    if replaced:
        workers = replaced
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    # the workers watch their parent and end with it: no process outlives the study
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive
    kept = result_or_parts(tmp_path, 1)
    out = finish(start(tmp_path, "--workers", "0", "--resume"))
    if kept >= 0:  # not killed after the very end: the kept parts are not computed again
        assert kept >= 1 and f"{kept} kept from s.parquet.parts" in out
    assert {p.name for p in tmp_path.iterdir()} == {"s.toml", "s.parquet"}
    got = pd.read_parquet(tmp_path / "s.parquet")
    assert got["point"].tolist() == list(range(POINTS))
    pd.testing.assert_frame_equal(got, physics, rtol=1e-9)
