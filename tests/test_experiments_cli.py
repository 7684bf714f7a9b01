"""`lrmo-cell experiment ...`: tables by extension, figures, measured data overlaid with an RMSE
(model-made data with noise, and the measured spectrum in validation/), and the error contract."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lrmo_cell import experiments as ex
from lrmo_cell.cli import main
from lrmo_cell.experiments import _model as lab
from lrmo_cell.experiments.measured import half_cycles
from lrmo_cell.resources import data_path

PNG = b"\x89PNG"


def _rmse(text: str) -> float:
    return float(re.search(r"RMSE of .*: ([0-9.eE+-]+) ", text).group(1))


def _mass_g(sample="Ru-1"):
    return lab.active_powder_mass_g(lab.parameter_values(sample))


@pytest.mark.parametrize(
    ("kind", "options", "suffix", "columns"),
    [
        ("formation", [], ".json", ["voltage_V", "charge_mAh_per_g"]),
        ("rate", ["--c-rates", "0.5,1"], ".parquet", ["c_rate", "discharge_capacity_mAh_per_g"]),
        ("cv", ["--scan-rate", "1"], ".csv", ["cycle", "time_s", "voltage_V", "current_mA_per_g"]),
        ("gitt", ["--pulses", "3"], ".csv", ["time_s", "current_A", "voltage_V", "step", "cycle"]),
        ("eis", ["--voltages", "3.9", "--drt"], ".csv", ["voltage_V", "direction", "z_real_ohm"]),
        ("cycling", ["--cycles", "2"], ".csv", ["cycle", "discharge_capacity_mAh_per_g"]),
    ],
)
def test_each_experiment_writes_its_table_and_figure(
    tmp_path, capsys, kind, options, suffix, columns
):
    out, plot = tmp_path / f"{kind}{suffix}", tmp_path / f"{kind}.png"
    assert main(["experiment", kind, "Ru-1", *options, "--out", str(out), "--plot", str(plot)]) == 0
    reader = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".json": pd.read_json}[suffix]
    frame = reader(out)
    assert set(columns) <= set(frame.columns)
    assert len(frame) > 0
    assert plot.read_bytes()[:4] == PNG
    assert str(out) in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files
    if kind == "eis":
        peaks = pd.read_csv(tmp_path / "eis_drt.csv")
        assert {"process", "resistance_ohm"} <= set(peaks.columns)


def test_gitt_output_is_read_unchanged_by_the_fitting_readers(tmp_path):
    from lrmo_cell.fitting.readers import read_file

    out = tmp_path / "gitt.csv"
    assert main(["experiment", "gitt", "Ru-1", "--pulses", "2", "--out", str(out)]) == 0
    frame = read_file(out)
    np.testing.assert_allclose(frame["voltage_V"], pd.read_csv(out)["voltage_V"])


def _with_noise(frame, column, sigma, seed=0):
    rng = np.random.default_rng(seed)
    return frame.assign(**{column: frame[column] + rng.normal(0.0, sigma, len(frame))})


def test_model_made_first_charge_with_noise_reads_back_at_the_noise_level(tmp_path, capsys):
    """The model's own first charge as a cycler file (constant charging current, voltage with
    2 mV noise): the RMSE of the overlay is the noise, 2 mV, to sampling scatter."""
    first = ex.formation("Ru-1")
    current_A = -lab.current_A(lab.parameter_values("Ru-1"), 0.1)
    measured = pd.DataFrame(
        {"time_s": first["time_s"], "current_A": current_A, "voltage_V": first["voltage_V"]}
    )
    data = tmp_path / "first_charge.csv"
    _with_noise(measured, "voltage_V", 2e-3).to_csv(data, index=False)
    plot = tmp_path / "overlay.png"
    args = ["--data", str(data), "--mass-g", str(_mass_g()), "--plot", str(plot)]
    assert main(["experiment", "formation", "Ru-1", *args, "--out", str(tmp_path / "f.csv")]) == 0
    printed = capsys.readouterr().out
    assert "V" in printed.split("RMSE")[1]
    assert _rmse(printed) == pytest.approx(2e-3, rel=0.2)
    assert plot.read_bytes()[:4] == PNG


def test_model_made_gitt_and_voltammogram_with_noise_read_back_at_the_noise_level(tmp_path, capsys):
    gitt = tmp_path / "gitt.csv"
    _with_noise(ex.gitt("Ru-1", pulses=3), "voltage_V", 1e-3).to_csv(gitt, index=False)
    out = str(tmp_path / "g.csv")
    assert (
        main(["experiment", "gitt", "Ru-1", "--pulses", "3", "--data", str(gitt), "--out", out])
        == 0
    )
    assert _rmse(capsys.readouterr().out) == pytest.approx(1e-3, rel=0.1)

    cv = ex.cyclic_voltammetry("Ru-1", 1.0)
    measured = pd.DataFrame(
        {
            "time_s": cv["time_s"],
            "current_A": -cv["current_mA_per_g"] * _mass_g() / 1000,
            "voltage_V": cv["voltage_V"],
        }
    )
    data = tmp_path / "cv.csv"
    # 0.5 mA/g of noise on the current, in A
    _with_noise(measured, "current_A", 0.5e-3 * _mass_g()).to_csv(data, index=False)
    args = ["--scan-rate", "1", "--data", str(data), "--mass-g", str(_mass_g())]
    assert main(["experiment", "cv", "Ru-1", *args, "--out", str(tmp_path / "c.csv")]) == 0
    assert _rmse(capsys.readouterr().out) == pytest.approx(0.5, rel=0.1)


def test_model_made_spectrum_with_noise_reads_back_at_the_noise_level(tmp_path, capsys):
    """0.5 Ohm of noise on each part of Z: |dZ| has an RMS of 0.5 sqrt(2) Ohm."""
    spectrum = ex.impedance("Ru-1", voltages_V=(3.9,))[["frequency_Hz", "z_real_ohm", "z_imag_ohm"]]
    rng = np.random.default_rng(1)
    noisy = spectrum.assign(
        z_real_ohm=spectrum["z_real_ohm"] + rng.normal(0, 0.5, len(spectrum)),
        z_imag_ohm=spectrum["z_imag_ohm"] + rng.normal(0, 0.5, len(spectrum)),
    )
    data = tmp_path / "spectrum.csv"
    noisy.to_csv(data, index=False)
    args = ["--voltages", "3.9,4.3", "--data", str(data), "--out", str(tmp_path / "z.csv")]
    assert main(["experiment", "eis", "Ru-1", *args]) == 0
    printed = capsys.readouterr().out
    assert "closest state charge 3.9 V" in printed
    assert _rmse(printed) == pytest.approx(0.5 * np.sqrt(2), rel=0.2)


def test_the_measured_spectrum_in_validation_overlays_the_model(tmp_path, capsys):
    """impedance.py's measured Li-ion spectrum (a commercial cell, milliohms) beside the model's
    1.5 cm2 half cell (ohms): the command reads it, runs the model at its 66 frequencies and
    reports how far apart they are; the model is no model of that cell, so only the size of
    the error is checked, about the model's own impedance."""
    spectrum = data_path("validation", "fitting/impedance_py_example/exampleData.csv")
    plot = tmp_path / "real.png"
    args = ["--voltages", "3.9", "--data", str(spectrum), "--plot", str(plot)]
    assert main(["experiment", "eis", "Ru-1", *args, "--out", str(tmp_path / "z.csv")]) == 0
    model = pd.read_csv(tmp_path / "z.csv")
    assert len(model) == 66
    z_model = np.abs(model["z_real_ohm"] + 1j * model["z_imag_ohm"])
    # the measured |Z| is below 0.2 Ohm, so the error is the model's |Z| to within 0.2 Ohm
    expected = np.sqrt(np.mean(z_model**2))
    assert _rmse(capsys.readouterr().out) == pytest.approx(expected, abs=0.2)
    assert plot.read_bytes()[:4] == PNG


def test_half_cycles_of_a_hand_made_cycler_file():
    """A 0.1 A charge for 1 h, a rest, a 0.2 A discharge for 0.5 h (10 s logging): 100 mAh each,
    on 1 g, 100 mAh/g."""
    t = np.arange(0, 3 * 3600 + 1, 10.0)
    current = np.where(t <= 3600, -0.1, 0.0)
    current = np.where((t > 5400) & (t <= 7200), 0.2, current)
    current[0] = 0.0
    frame = pd.DataFrame({"time_s": t, "current_A": current, "voltage_V": 3.5 + 0 * t})
    runs = half_cycles(frame, 1.0)
    assert runs["direction"].tolist() == ["charge", "discharge"]
    np.testing.assert_allclose(runs["capacity_mAh_per_g"], 100.0, rtol=1e-9)


def test_rate_overlay_compares_discharge_capacities_in_mah_per_g(tmp_path, capsys):
    """A cycler file of a formation and one 1C cycle, each discharging exactly 200 mAh/g."""
    mass_g = 0.005
    one_c = 0.25 * mass_g
    # formation at 0.1C: 10 h up, 8 h down (200 mAh/g); then 1C: 1 h up, 0.8 h down
    pieces = [(-0.1 * one_c, 36000), (0.1 * one_c, 28800), (-one_c, 3600), (one_c, 2880)]
    t, current = [0.0], [0.0]
    for amps, seconds in pieces:
        steps = np.arange(10.0, seconds + 1, 10.0)
        t += list(t[-1] + steps)
        current += [amps] * len(steps)
    frame = pd.DataFrame({"time_s": t, "current_A": current})
    frame["voltage_V"] = 3.5 - 0.1 * np.sign(frame["current_A"])
    data = tmp_path / "rate.csv"
    frame.to_csv(data, index=False)
    args = ["--c-rates", "1", "--data", str(data), "--mass-g", str(mass_g)]
    assert main(["experiment", "rate", "Ru-1", *args, "--out", str(tmp_path / "r.csv")]) == 0
    model = pd.read_csv(tmp_path / "r.csv")
    printed = capsys.readouterr().out
    assert "mAh/g" in printed.split("RMSE")[1]
    expected = abs(model["discharge_capacity_mAh_per_g"].iloc[0] - 200.0)
    assert _rmse(printed) == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["formation", "Ru-1", "--out", "x.txt"], "--out"),
        (["formation", "Ru-1", "--c-rate", "0", "--out", "x.csv"], "c_rate"),
        (["cv", "Ru-1", "--scan-rate", "-1", "--out", "x.csv"], "scan_rate"),
        (["gitt", "Ru-1", "--direction", "up", "--out", "x.csv"], "direction"),
        (["eis", "Ru-1", "--voltages", "a,b", "--out", "x.csv"], "--voltages"),
        (["eis", "Ru-1", "--voltages", "5.5", "--out", "x.csv"], "voltages_V"),
        (["rate", "Ru-1", "--data", "missing.csv", "--out", "x.csv"], "missing.csv"),
        (["formation", "Ru-9", "--out", "x.csv"], "sample"),
        (["cv", "Ru-1", "--scan-rate", "nan", "--out", "x.csv"], "scan_rate"),
        (["gitt", "Ru-1", "--pulses", "2.5", "--out", "x.csv"], "--pulses"),
        (["gitt", "Ru-1", "--data", "x.csv", "--out", "x.csv"], "input file"),
        (["eis", "Ru-1", "--out", "x.csv", "--plot", "x.png", "--drt", "--v-max", "9"], "v_max"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, option):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("time_s,current_A,voltage_V\n0,0,3\n1,0,3\n2,0,3\n")
    try:
        status = main(["experiment", *args])
    except SystemExit as exit_:  # argparse's own errors (a malformed number) exit directly
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and option in err


def test_a_time_series_overlay_needs_the_measured_mass(tmp_path, capsys):
    data = tmp_path / "gitt.csv"
    ex.gitt("Ru-1", pulses=1).to_csv(data, index=False)
    out = str(tmp_path / "f.csv")
    assert main(["experiment", "formation", "Ru-1", "--data", str(data), "--out", out]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--mass-g" in err


def test_validate_runs_the_calibration_then_writes_the_predictions(tmp_path, monkeypatch, capsys):
    """`lrmo-cell validate` keeps its calibration (and its exit status) and adds one call of the
    virtual lab's report; both are replaced by recorders here, the real ones run below."""
    import lrmo_cell.experiments.report as lab_report
    import lrmo_cell.models.report as model_report

    calls = []
    monkeypatch.setattr(
        model_report, "write_validation_report", lambda out: calls.append(("calibration", out))
    )
    monkeypatch.setattr(lab_report, "write_predictions", lambda out: calls.append(("lab", out)))
    assert main(["validate", "--out", str(tmp_path)]) == 1  # the recorder "fails" calibration
    # both write into one staging folder inside --out, which is gone afterwards
    assert [kind for kind, _ in calls] == ["calibration", "lab"]
    assert calls[0][1] == calls[1][1] and Path(calls[0][1]).parent == tmp_path
    assert not Path(calls[0][1]).exists()
    # and says where the report is and that it failed, since the exit status alone does not
    out = capsys.readouterr().out.strip()
    assert str(tmp_path / "report.md") in out and "not every calibration row" in out


def test_validate_that_fails_leaves_the_old_report(tmp_path, monkeypatch):
    import lrmo_cell.experiments.report as lab_report
    import lrmo_cell.models.report as model_report

    (tmp_path / "report.md").write_text("old report\n")

    def calibration(out):
        (Path(out) / "report.md").write_text("half a report")
        return True

    def lab(out):
        raise MemoryError

    monkeypatch.setattr(model_report, "write_validation_report", calibration)
    monkeypatch.setattr(lab_report, "write_predictions", lab)
    assert main(["validate", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "report.md").read_text() == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@pytest.mark.slow
def test_predictions_section_follows_the_calibration_in_the_report(tmp_path):
    from lrmo_cell.experiments.report import HEADING, write_predictions

    (tmp_path / "report.md").write_text("# calibration\n\n| row | value |\n")
    report = write_predictions(tmp_path)
    text = report.read_text()
    assert text.startswith("# calibration\n\n| row | value |\n\n" + HEADING)
    assert text.count(HEADING) == 1
    for name in re.findall(r"!\[(lab_[a-z_]+\.png)\]", text):
        assert (tmp_path / name).read_bytes()[:4] == PNG
    assert len(re.findall(r"!\[(lab_[a-z_]+\.png)\]", text)) == 5
    assert "first cycle at 0.1C [mAh/g]" in text and "not explained by the above" in text
    # the calibration targets a lab experiment also shows are marked, not passed off as
    # predictions
    assert "calibration rows ru1_1c_capacity" in text
