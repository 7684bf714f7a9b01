"""Data safety under real process kills, overwrites and concurrent runs of the same sweep.

A sweep killed by SIGKILL at any moment must leave in its folder either the complete result or
its resumable parts folder (manifest + finished parts), nothing else; the resumed run must give
exactly the rows of an uninterrupted one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from lrmo_cell.cli import main
from lrmo_cell.design.schema import load_design
from lrmo_cell.errors import InputError
from lrmo_cell.studies.storage import PartStore
from lrmo_cell.studies.sweep import parse_vary, run_sweep

ARGS = [
    "sweep",
    "ru1_li_metal_5p83Ah",
    "--vary",
    "cathode.loading_mg_per_cm2=15:35:400",
    "--vary",
    "electrolyte.g_per_Ah=1.2:3:1000",
    "--chunk-size",
    "20000",
]
ROWS, PARTS = 400 * 1000, 20
ENV = {**os.environ, "PYBAMM_DISABLE_TELEMETRY": "true", "MPLBACKEND": "Agg"}


def start(folder: Path, out: str = "s.parquet") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lrmo_cell.cli", *ARGS, "--out", out],
        cwd=folder,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_to_end(folder: Path) -> subprocess.CompletedProcess:
    process = start(folder)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def assert_result_or_parts(folder: Path) -> str:
    """The folder holds the complete result, or the parts folder, and nothing else."""
    entries = {p.name for p in folder.iterdir()}
    if entries == {"s.parquet"}:
        assert pq.ParquetFile(folder / "s.parquet").metadata.num_rows == ROWS
        return "complete"
    if not entries:
        return "nothing"  # killed before the parts folder was made
    assert entries == {"s.parquet.parts"}, entries
    parts = folder / "s.parquet.parts"
    names = {p.name for p in parts.iterdir()}
    finished = {n for n in names if n.startswith("part-") and n.endswith(".parquet")}
    # temporaries of a part being written when the kill came are inside the folder, which the
    # resumed run owns and cleans; near the end the combined table waits there to be moved onto
    # --out; a folder with parts or that table always has its manifest
    leftover = names - finished - {"sweep.json", "final.parquet"}
    assert all(n.startswith(".") and n.endswith(".tmp") for n in leftover), leftover
    if finished or "final.parquet" in names:
        assert "sweep.json" in names
    if "final.parquet" in names:
        assert pq.ParquetFile(parts / "final.parquet").metadata.num_rows == ROWS
    for name in finished:
        assert pq.ParquetFile(parts / name).metadata.num_rows == ROWS // PARTS
    return "parts"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[pd.DataFrame, float]:
    """The uninterrupted sweep and how long it takes from process start."""
    folder = tmp_path_factory.mktemp("reference")
    begin = time.perf_counter()
    run_to_end(folder)
    return pd.read_parquet(folder / "s.parquet"), time.perf_counter() - begin


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0])
def test_a_sigkill_leaves_the_result_or_resumable_parts(tmp_path, reference, fraction):
    expected, seconds = reference
    process = start(tmp_path)
    time.sleep(fraction * seconds)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert_result_or_parts(tmp_path)
    resumed = run_to_end(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"s.parquet"}
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"), expected)
    assert resumed.stderr == ""


def test_a_second_identical_sweep_meanwhile_is_refused_in_one_line(tmp_path, reference):
    expected, _ = reference
    first = start(tmp_path)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "s.parquet.parts").glob("part-*")):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.02)
    # the first one is held mid-sweep, so the second surely meets it however loaded the machine
    first.send_signal(signal.SIGSTOP)
    try:
        second = start(tmp_path)
        _, err = second.communicate(timeout=60)
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 2
    assert len(err.strip().splitlines()) == 1 and "another lrmo-cell process" in err
    first.communicate(timeout=120)
    assert first.returncode == 0
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"), expected)


DESIGN = load_design("ru1_li_metal_5p83Ah")


def axes(*texts):
    return [parse_vary(t, DESIGN) for t in texts]


def test_parts_without_a_manifest_are_never_adopted(tmp_path):
    grid = axes("cathode.porosity=0.2:0.3:6")
    out = tmp_path / "s.parquet"
    other = run_sweep(DESIGN, axes("cathode.porosity=0.31:0.4:6"), chunk_size=3)
    parts = tmp_path / "s.parquet.parts"
    parts.mkdir()
    other.iloc[:3].to_parquet(parts / "part-00000.parquet")
    with pytest.raises(InputError, match="no sweep.json"):
        run_sweep(DESIGN, grid, out, chunk_size=3)
    assert not out.exists()
    assert {p.name for p in parts.iterdir()} == {"part-00000.parquet"}


def test_the_manifest_is_written_before_the_first_part(tmp_path, monkeypatch):
    """Killed after its first part, a sweep's folder already says which sweep the part is."""
    written = []
    real = PartStore.write

    def spy(self, index, frame):
        written.append(self.manifest.is_file())
        real(self, index, frame)

    monkeypatch.setattr(PartStore, "write", spy)
    run_sweep(DESIGN, axes("cathode.porosity=0.2:0.3:6"), tmp_path / "s.csv", chunk_size=2)
    assert written == [True, True, True]


def test_an_existing_file_is_replaced_only_with_overwrite(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    unrelated = tmp_path / "s.csv"
    unrelated.write_text("someone else's table\n")
    args = ["sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.3:4", "--out"]
    assert main([*args, "s.csv"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert unrelated.read_text() == "someone else's table\n"
    assert {p.name for p in tmp_path.iterdir()} == {"s.csv"}
    assert main([*args, "s.csv", "--overwrite"]) == 0
    assert len(pd.read_csv(unrelated)) == 4


def test_a_finished_parquet_sweep_is_reused_not_recomputed(tmp_path, capsys, monkeypatch):
    from lrmo_cell.studies import sweep as sweep_module

    monkeypatch.chdir(tmp_path)
    args = ["sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.3:4", "--out"]
    assert main([*args, "s.parquet"]) == 0
    before = (tmp_path / "s.parquet").read_bytes()
    calls = []
    real = sweep_module.evaluate_chunk
    monkeypatch.setattr(
        sweep_module, "evaluate_chunk", lambda *a, **k: calls.append(a[2]) or real(*a, **k)
    )
    capsys.readouterr()
    assert main([*args, "s.parquet"]) == 0
    assert "reused" in capsys.readouterr().out
    assert calls == [0]  # only the one-point check of the inputs, no chunk of the grid
    assert (tmp_path / "s.parquet").read_bytes() == before
    # a different sweep into the same file is another matter
    assert (
        main(
            [
                "sweep",
                "ru1_li_metal_5p83Ah",
                "--vary",
                "cathode.porosity=0.2:0.3:5",
                "--out",
                "s.parquet",
            ]
        )
        == 2
    )


def test_a_killed_reproduce_leaves_complete_results_after_the_next_run(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    command = [
        sys.executable,
        "-m",
        "lrmo_cell.cli",
        "reproduce",
        "--skip-model",
        "--out",
        "results",
    ]
    process = subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL)
    # kill it once it has written some of its results (into its staging folder), not before
    deadline = time.monotonic() + 60
    while not any(out.glob(".staging.*/designs/*.png")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    # what is visible: the user's own file and, at most, a hidden staging folder
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} <= {"notes.txt"}
    subprocess.run(command, cwd=tmp_path, env=ENV, check=True, capture_output=True)
    assert {p.name for p in out.iterdir()} == {"notes.txt", "designs", "README.md"}
    assert (out / "notes.txt").read_text() == "mine\n"


def test_a_killed_writers_temporary_is_removed_by_the_next_write(tmp_path):
    """A process killed inside an atomic write leaves its temporary; the next write of the same
    file removes it (its writer is dead), and leaves a live writer's temporary alone."""
    code = (
        "import sys, time\n"
        "from lrmo_cell.files import atomic_path\n"
        "with atomic_path(sys.argv[1]) as tmp:\n"
        "    open(tmp, 'w').write('half')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    target = tmp_path / "table.csv"
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert writer.stdout.readline().strip() == "writing"
    live = subprocess.Popen(
        [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    assert live.stdout.readline().strip() == "writing"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert len(list(tmp_path.glob(".table.csv.*.tmp"))) == 2

    from lrmo_cell.files import atomic_path

    with atomic_path(target) as tmp:
        Path(tmp).write_text("complete\n")
    left = list(tmp_path.glob(".table.csv.*.tmp"))
    assert [p.name.split(".")[3] for p in left] == [str(live.pid)]
    assert target.read_text() == "complete\n"
    live.send_signal(signal.SIGKILL)
    live.wait(timeout=30)


CSV_ARGS = ["sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.3:4", "--out"]


def test_a_finished_csv_sweep_is_reused_like_a_parquet_one(tmp_path, capsys, monkeypatch):
    from lrmo_cell.studies import sweep as sweep_module

    monkeypatch.chdir(tmp_path)
    assert main([*CSV_ARGS, "s.csv"]) == 0
    before = (tmp_path / "s.csv").read_bytes()
    calls = []
    real = sweep_module.evaluate_chunk
    monkeypatch.setattr(
        sweep_module, "evaluate_chunk", lambda *a, **k: calls.append(a[2]) or real(*a, **k)
    )
    capsys.readouterr()
    assert main([*CSV_ARGS, "s.csv"]) == 0
    assert "reused" in capsys.readouterr().out
    assert calls == [0]
    assert (tmp_path / "s.csv").read_bytes() == before
    # another sweep into the same file is refused, and so is the same sweep once the file changed
    other = ["sweep", "ru1_li_metal_5p83Ah", "--vary", "cathode.porosity=0.2:0.3:5", "--out"]
    assert main([*other, "s.csv"]) == 2
    (tmp_path / "s.csv").write_bytes(before.replace(b"\n", b"\r\n"))
    assert main([*CSV_ARGS, "s.csv"]) == 2
    assert "--overwrite" in capsys.readouterr().err


def test_a_csv_overwrite_killed_at_its_final_move_never_passes_the_old_file_off(
    tmp_path, capsys, monkeypatch
):
    """The record of a finished CSV is written just before the table moves onto --out; killed in
    between, the old file at --out must not count as this sweep's result."""
    import lrmo_cell.studies.storage as storage

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("someone else's table\n")

    real_replace = os.replace
    moves = []

    def killed_at_the_final_move(src, dst):
        moves.append(Path(dst).name)
        if Path(src).name == "final.csv":
            raise KeyboardInterrupt
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(storage.os, "replace", killed_at_the_final_move)
        assert main([*CSV_ARGS, "s.csv", "--overwrite"]) == 130
    assert moves[-2:] == [".s.csv.sweep.json", "s.csv"]  # the record was in place already
    assert (tmp_path / "s.csv").read_text() == "someone else's table\n"
    assert main([*CSV_ARGS, "s.csv"]) == 2  # not taken for this sweep's result
    assert main([*CSV_ARGS, "s.csv", "--overwrite"]) == 0  # resumes from the finished table
    assert len(pd.read_csv(tmp_path / "s.csv")) == 4
    assert {p.name for p in tmp_path.iterdir()} == {"s.csv", ".s.csv.sweep.json"}
