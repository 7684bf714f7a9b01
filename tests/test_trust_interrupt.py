"""Long commands interrupted (Ctrl-C) at their last moment: every output appears complete or not
at all, and stderr says what was kept."""

from __future__ import annotations

import pandas as pd
import pytest

from lrmo_cell.cli import main


def _interrupted_rate_test(monkeypatch, runs):
    """The rate command with its model run replaced by a 2-row table, interrupted while its figure
    is drawn, i.e. after the table is ready: the old code had written the table by then."""
    from lrmo_cell.experiments import commands

    def run(args, window, progress, data, full_cell):
        runs.append(args.sample)
        frame = pd.DataFrame({"c_rate": [0.1, 1.0], "discharge_capacity_mAh_per_g": [300, 260]})

        def figure(measured):
            raise KeyboardInterrupt

        return frame, {}, figure

    monkeypatch.setitem(commands._RUNNERS, "rate", run)


def test_an_interrupted_experiment_leaves_neither_table_nor_figure(tmp_path, capsys, monkeypatch):
    runs = []
    _interrupted_rate_test(monkeypatch, runs)
    old = tmp_path / "rate.csv"
    old.write_text("c_rate\n0.5\n")
    argv = ["experiment", "rate", "Ru-1", "--out", str(old), "--plot", str(tmp_path / "r.png")]
    assert main(argv) == 130
    assert runs == ["Ru-1"]
    assert {p.name for p in tmp_path.iterdir()} == {"rate.csv"}
    assert old.read_text() == "c_rate\n0.5\n"
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "interrupted" in err and "no partial output" in err


@pytest.mark.parametrize("command", ["validate", "reproduce"])
def test_an_interrupted_report_keeps_the_old_folder_as_it_was(
    tmp_path, capsys, monkeypatch, command
):
    """validate and reproduce build in a staging folder; interrupted, the folder holds exactly
    what it held, and no staging folder is left."""
    import lrmo_cell.experiments.report as lab_report
    import lrmo_cell.reproduce as reproduce

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lab_report, "write_report", interrupted)
    monkeypatch.setattr(reproduce, "reproduce_designs", interrupted)
    out = tmp_path / "results"
    out.mkdir()
    (out / "report.md").write_text("the last complete report\n")
    assert main([command, "--out", str(out)]) == 130
    assert [p.name for p in out.iterdir()] == ["report.md"]
    assert (out / "report.md").read_text() == "the last complete report\n"
    assert "no partial output" in capsys.readouterr().err
