"""Design sweeps: grid order, chunked and Dask execution, resumable output, tornado."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.design.core import evaluate
from lrmo_cell.design.schema import load_design
from lrmo_cell.errors import InputError
from lrmo_cell.studies import sweep as sweep_module
from lrmo_cell.studies.sensitivity import tornado
from lrmo_cell.studies.sweep import parse_vary, run_sweep

DESIGN = load_design("ru1_li_metal_5p83Ah")


def axes(*texts):
    return [parse_vary(t, DESIGN) for t in texts]


def test_sweep_rows_are_the_grid_points_evaluated_one_by_one():
    grid = axes("cathode.loading_mg_per_cm2=15:30:4", "cell.n_cathode_layers=8:12:5")
    frame = run_sweep(DESIGN, grid, chunk_size=3)
    assert len(frame) == 20
    for _, row in frame.sample(5, random_state=0).iterrows():
        one = evaluate(
            DESIGN,
            {
                "cathode.loading_mg_per_cm2": row["cathode.loading_mg_per_cm2"],
                "cell.n_cathode_layers": row["cell.n_cathode_layers"],
            },
        )
        assert row["specific_energy_Wh_per_kg"] == pytest.approx(
            float(one["specific_energy_Wh_per_kg"]), rel=1e-12
        )
    # C order: the last axis runs fastest
    assert frame["cell.n_cathode_layers"].iloc[:5].tolist() == [8, 9, 10, 11, 12]


def test_layer_count_axis_takes_whole_numbers():
    (axis,) = axes("cell.n_cathode_layers=1:4:7")
    assert axis.values.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "text",
    [
        "cathode.porosity=0.2:0.4",
        "cathode.porosity=a:b:3",
        "cathode.porosity=0.2:0.4:0",
        "cathode.porosity=0.2:1.0:3",
    ],
)
def test_bad_vary_is_one_sentence_naming_the_field(text):
    with pytest.raises(InputError, match=r"--vary|cathode.porosity"):
        parse_vary(text, DESIGN)


def test_dask_local_cluster_gives_the_in_process_result(tmp_path):
    from dask.distributed import Client

    grid = axes("cathode.loading_mg_per_cm2=15:30:6", "electrolyte.g_per_Ah=1.2:3:7")
    expected = run_sweep(DESIGN, grid, chunk_size=8)
    with Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as client:
        got = run_sweep(DESIGN, grid, tmp_path / "sweep.parquet", chunk_size=8, client=client)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "sweep.parquet"), expected)
    assert not (tmp_path / "sweep.parquet.parts").exists()


def test_an_interrupted_sweep_keeps_its_finished_chunks_and_resumes(tmp_path, monkeypatch):
    grid = axes("cathode.loading_mg_per_cm2=15:30:10")
    out = tmp_path / "sweep.csv"
    real = sweep_module.evaluate_chunk
    calls = []

    def failing(design, axes_, start, stop, outputs=sweep_module.SWEEP_OUTPUTS):
        calls.append(start)
        if start == 6:
            raise KeyboardInterrupt
        return real(design, axes_, start, stop, outputs)

    monkeypatch.setattr(sweep_module, "evaluate_chunk", failing)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(DESIGN, grid, out, chunk_size=3)
    assert not out.exists()  # no partial output file
    parts = sorted(p.name for p in (tmp_path / "sweep.csv.parts").glob("part-*.parquet"))
    assert parts == ["part-00000.parquet", "part-00001.parquet"]
    assert not list(tmp_path.glob("*.tmp"))

    monkeypatch.setattr(sweep_module, "evaluate_chunk", real)
    resumed = run_sweep(DESIGN, grid, out, chunk_size=3)
    assert len(resumed) == 10
    np.testing.assert_allclose(
        pd.read_csv(out)["capacity_Ah"], run_sweep(DESIGN, grid)["capacity_Ah"], rtol=1e-12
    )


def test_a_parts_folder_of_another_sweep_is_not_mixed_in(tmp_path):
    out = tmp_path / "s.parquet"
    (tmp_path / "s.parquet.parts").mkdir()
    (tmp_path / "s.parquet.parts" / "sweep.json").write_text("{}")
    with pytest.raises(InputError, match="different sweep"):
        run_sweep(DESIGN, axes("cathode.porosity=0.2:0.3:3"), out)


def test_tornado_matches_proportionalities_of_the_energy():
    rows = {r["field"]: r for r in tornado(DESIGN)}
    base = rows["cathode.mean_voltage_V"]["base_metric"]
    # energy is linear in voltage and mass does not depend on it (electrolyte in g/Ah)
    assert rows["cathode.mean_voltage_V"]["metric_high"] == pytest.approx(1.1 * base)
    assert rows["cathode.mean_voltage_V"]["metric_low"] == pytest.approx(0.9 * base)
    # active fraction 0.97 cannot rise by 10%: clipped at 1
    assert rows["cathode.active_fraction"]["clipped"]
    assert rows["cathode.active_fraction"]["high"] == 1.0
    # more inactive mass lowers Wh/kg
    assert (
        rows["electrolyte.g_per_Ah"]["metric_high"]
        < base
        < rows["electrolyte.g_per_Ah"]["metric_low"]
    )


def test_tornado_table_says_the_step_it_was_made_with(tmp_path, capsys):
    from lrmo_cell.cli import main

    png = tmp_path / "t.png"
    assert main(["sweep", "ru1_li_metal_5p83Ah", "--tornado", str(png), "--step", "0.05"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert "at -5%" in header and "at +5%" in header and "10%" not in header


def test_result_files_get_the_umask_mode_not_owner_only(tmp_path):
    import os
    import stat

    from lrmo_cell.studies.storage import atomic_path

    target = tmp_path / "out.csv"
    with atomic_path(target) as tmp:
        Path(tmp).write_text("x\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
