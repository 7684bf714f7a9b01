"""Fast tests of the validation table, the validate report and the calibration's pure parts
(lrmo_cell.models.validation, .report, .calibrate): hand-built cycling frames and a stand-in
model in place of the minutes-long runs, so each check takes milliseconds to a second."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.models import calibrate, report
from lrmo_cell.models.validation import calibration_table, compare, residuals, table_metrics
from lrmo_cell.parameters import load_parameter_set, read_parameter_file

# the study's figures (doi:10.1039/d5ee00430f, as /work/shared's digest restates them)
PAPER = {
    "pristine": {"ice": 0.86, "c1": 230.0, "retention": 0.75},
    "Ru-1": {"first": 307.0, "ice": 0.97, "c1": 261.0, "retention": 0.975},
}


def cycling_frame(first, ice, c1, retention, cycles=300) -> pd.DataFrame:
    """One 0.1C formation cycle, then ``cycles`` 1C cycles fading linearly from ``c1`` so that
    the last keeps ``retention`` of the first; mean voltage falls 0.02 mV per cycle; 150 umol/g
    of O2 leaves on the first charge and 1 umol/g on every later one; every charge runs at a
    mean 3.9 V."""
    n = cycles + 1
    discharge = np.r_[first, np.linspace(c1, c1 * retention, cycles)]
    coulombic = np.r_[ice, np.full(cycles, 0.999)]
    mean_v = 3.5 - 2e-5 * np.arange(1, n + 1)
    return pd.DataFrame(
        {
            "cycle": np.arange(1, n + 1),
            "c_rate": np.r_[0.1, np.ones(cycles)],
            "charge_capacity_mAh_per_g": np.r_[first / ice, discharge[1:] / 0.999],
            "discharge_capacity_mAh_per_g": discharge,
            "coulombic_efficiency": coulombic,
            "mean_discharge_voltage_V": mean_v,
            "energy_efficiency": coulombic * mean_v / 3.9,
            "oxygen_released_umol_per_g": np.r_[150.0, np.ones(cycles)],
        }
    )


def paper_frames(**changes) -> dict[str, pd.DataFrame]:
    frames = {}
    for sample, figures in PAPER.items():
        figures = {"first": 290.0, **figures, **changes.get(sample, {})}
        frames[sample] = cycling_frame(**figures)
    return frames


# ---- validation: table metrics, comparison, residuals


def test_table_metrics_read_formation_first_1c_and_the_300th_1c_cycle():
    metrics = table_metrics(cycling_frame(280.0, 0.9, 300.0, 0.9))
    assert metrics["first_discharge_capacity"] == 280.0
    assert metrics["initial_coulombic_efficiency"] == 0.9
    assert metrics["discharge_capacity"] == 300.0
    # the 300th 1C cycle is row 301: 270 of the first 1C cycle's 300 mAh/g
    assert metrics["capacity_retention"] == pytest.approx(0.9, rel=1e-12)
    assert metrics["first_charge_oxygen_released"] == 150.0
    # rows 2 and 102: 100 cycles of 0.02 mV each
    assert metrics["mean_discharge_voltage_decay"] == pytest.approx(-2e-5, rel=1e-9)


def test_table_metrics_leave_out_what_the_frame_does_not_reach():
    assert "capacity_retention" not in table_metrics(cycling_frame(280.0, 0.9, 300.0, 0.9, 299))
    formation_only = table_metrics(cycling_frame(280.0, 0.9, 300.0, 0.9).iloc[:1])
    assert set(formation_only) == {
        "first_discharge_capacity",
        "initial_coulombic_efficiency",
        "first_charge_oxygen_released",
    }


def test_the_calibration_table_has_one_row_per_figure_and_fractions_are_absolute():
    table = calibration_table()
    assert table["id"].is_unique and len(table) == 7
    produced = set(table_metrics(cycling_frame(280.0, 0.9, 300.0, 0.9)))
    assert set(table["quantity"]) <= produced
    # a fraction (unit "-") gets an absolute band, a capacity one relative to its value
    kinds = dict(zip(table["unit"], table["tolerance_kind"], strict=True))
    assert kinds == {"mAh/g": "relative", "-": "absolute"}


def test_compare_applies_relative_and_absolute_bands_and_fails_a_missing_sample():
    table = calibration_table()
    # Ru-1 first discharge 307 +/- 3 % = +/- 9.21 mAh/g; Ru-1 ICE 0.97 +/- 0.015
    inside = {"Ru-1": {"first_discharge_capacity": 316.2, "initial_coulombic_efficiency": 0.9551}}
    outside = {"Ru-1": {"first_discharge_capacity": 316.3, "initial_coulombic_efficiency": 0.9549}}
    rows = ["ru1_first_discharge", "ru1_ice"]
    assert compare(table, inside).set_index("id").loc[rows, "passes"].all()
    assert not compare(table, outside).set_index("id").loc[rows, "passes"].any()
    result = compare(table, inside).set_index("id")
    assert result.loc["ru1_first_discharge", "allowed_deviation"] == pytest.approx(9.21)
    assert math.isnan(result.loc["pristine_ice", "model"])
    assert not result.loc["pristine_ice", "passes"]


def test_residuals_are_deviations_in_units_of_the_allowed_band():
    table = calibration_table()
    metrics = {"Ru-1": {"first_discharge_capacity": 307 + 9.21, "discharge_capacity": 261 - 3.915}}
    assert residuals(table, metrics, ["ru1_first_discharge", "ru1_1c_capacity"]) == pytest.approx(
        [1.0, -0.5], rel=1e-9
    )


# ---- the validate report, with the model runs replaced by hand-built ones


class _Entries:
    def __init__(self, values):
        self.entries = np.asarray(values, float)


class _Cycle(dict):
    """One cycle of a solution: variables by name, and its steps."""

    def __init__(self, variables, steps=()):
        super().__init__(variables)
        self.steps = list(steps)


POWDER_G = 2.0  # 0.5 x 1e-4 m x 0.1 m x 0.1 m of LRMO at 4000 kg/m3
VALUES = {
    "Positive electrode active material volume fraction": 0.5,
    "Positive electrode thickness [m]": 1e-4,
    "Electrode height [m]": 0.1,
    "Electrode width [m]": 0.1,
    "LRMO density [kg.m-3]": 4000.0,
    "RuO2 mass fraction in active powder": 0.0,
}


def _step(q_ah, voltage):
    return {"Discharge capacity [A.h]": _Entries(q_ah), "Voltage [V]": _Entries(voltage)}


def _fake_run(frame: pd.DataFrame):
    """(frame, solution, parameter values) as run_cycling returns them: a first cycle of 0.6 A.h
    (300 mAh/g on the 2 g of powder) charged 3.0 -> 4.8 V and discharged 4.6 -> 2.0 V, and
    oxygen pools that grow with time."""
    first = [
        _step(np.linspace(0.1, 0.7, 50), np.linspace(3.0, 4.8, 50)),
        _step(np.linspace(0.7, 1.3, 50), np.linspace(4.6, 2.0, 50)),
    ]
    cycles = []
    for k in range(6):
        time = np.linspace(k, k + 1, 20)
        pools = {
            f"{pool} oxygen [umol.g-1]": _Entries(time * (i + 1))
            for i, pool in enumerate(("Released", "RuO2-bound", "Escaped"))
        }
        cycles.append(_Cycle({"Time [h]": _Entries(time), **pools}, first if k == 0 else ()))
    return frame, SimpleNamespace(cycles=cycles), VALUES


def test_specific_capacity_of_a_step_counts_from_its_start_per_gram():
    q, v = report._specific(_step([0.5, 0.5036, 0.5072], [3.0, 3.1, 3.2]), mass_g=2.0)
    # 3.6 mA.h passed per point over 2 g: 1.8 mAh/g per point
    np.testing.assert_allclose(q, [0.0, 1.8, 3.6], rtol=1e-9)
    np.testing.assert_array_equal(v, [3.0, 3.1, 3.2])


def test_the_fake_powder_mass_is_what_the_model_counts():
    from lrmo_cell.models.cycling import active_powder_mass_g

    assert active_powder_mass_g(VALUES) == pytest.approx(POWDER_G, rel=1e-12)


def test_predictions_fit_the_voltage_slope_and_read_the_rate_table(monkeypatch):
    def short_run(sample, c_rate, cycles, **options):
        return cycling_frame(250.0, 0.9, 250.0, 0.9, cycles=max(cycles, 1))

    monkeypatch.setattr(report, "simulate_cycling", short_run)
    runs = {s: _fake_run(f) for s, f in paper_frames().items()}
    series = report.treatment_series(runs)
    # the series runs by RuCl3 concentration, the calibrated samples' rows taken from their runs
    assert list(series) == ["pristine", "Ru-0.5", "Ru-1", "Ru-3"]
    assert series["Ru-1"] is runs["Ru-1"][0]
    table = report.predictions(runs, series).set_index("prediction")["value"]
    # an uncalibrated sample's rows are its run's: formation, the first 1C cycle, the last kept
    assert table["Ru-3: ICE at 0.1C"] == 0.9
    assert table["Ru-3: discharge capacity at 1C"] == 250.0
    assert table["Ru-0.5: retention after 300 cycles at 1C (extrapolated run)"] == pytest.approx(
        0.9, rel=1e-12
    )
    assert not table.filter(like="pristine: ICE").size  # a calibration row, not a prediction
    # the hand-built frames lose 2e-5 V per cycle: -0.02 mV/cycle
    decay = table["Ru-1: mean discharge voltage decay at 1C (slope over all 1C cycles)"]
    assert decay == pytest.approx(-0.02, rel=1e-6)
    ru1_rates = read_parameter_file("LRMO_Sun2025_Ru1")["performance"]["rates"]
    for rate in ru1_rates:
        key = f"Ru-1: discharge capacity at {rate['c_rate']}C"
        assert table[key] == rate["discharge_capacity_mAh_per_g"]
    # the stand-in full cell fades linearly to 0.9 of its first C/3 cycle
    assert table.filter(like="Ru-1 || graphite").iloc[0] == pytest.approx(0.9, rel=1e-9)
    # its first cycle's Coulombic efficiency and first C/3 discharge are the stand-in's
    assert table["Ru-1 || graphite: Coulombic efficiency of the 0.1C first cycle"] == 0.9
    assert table["Ru-1 || graphite: discharge capacity, first C/3 cycle"] == 250.0
    # and its energy efficiency is its first C/3 cycle's: 0.999 x 3.49996 V / 3.9 V
    first = table["Ru-1 || graphite: energy efficiency, first C/3 cycle"]
    assert first == pytest.approx(0.999 * (3.5 - 4e-5) / 3.9, rel=1e-9)


@pytest.mark.parametrize(
    ("changes", "passing", "all_pass"),
    [({}, 7, True), ({"Ru-1": {"c1": 261.0 * 1.05}}, 6, False)],
    ids=["the paper's figures", "Ru-1 1C 5% high"],
)
def test_the_report_counts_the_rows_met_and_writes_every_figure(
    tmp_path, monkeypatch, changes, passing, all_pass
):
    frames = paper_frames(**changes)
    monkeypatch.setattr(report, "run_cycling", lambda sample, *a, **k: _fake_run(frames[sample]))
    monkeypatch.setattr(report, "simulate_cycling", lambda *a, **k: frames["Ru-1"])
    monkeypatch.setattr(report, "predictions", lambda *a: pd.DataFrame({"prediction": ["p"]}))
    assert report.write_validation_report(tmp_path) is all_pass
    text = (tmp_path / "report.md").read_text()
    assert f"**{passing} of 7 rows within tolerance.**" in text
    figures = sorted(p.name for p in tmp_path.glob("*.png"))
    assert figures == sorted(
        [
            "first_cycle_voltage.png",
            "first_cycle_dqdv.png",
            "capacity_and_voltage_vs_cycle.png",
            "oxygen_vs_time.png",
            "treatment_series.png",
        ]
    )
    for name in figures:
        assert f"![{name}]({name})" in text
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ---- calibration: the treated sets, the source lines, one fit stage, the files it writes

FREE = calibrate._free_parameters(load_parameter_set(calibrate.PRISTINE))
ACCESSIBLE = "Accessible share of the oxygen-redox Li sites"
RELEASE_RATE = "Oxygen release rate constant [s-1]"


@pytest.mark.parametrize("sample", ["Ru-0.5", "Ru-1", "Ru-3"])
def test_the_packaged_treated_sets_are_what_the_calibration_writes(sample):
    document = calibrate.treated_set_document(sample)
    packaged = read_parameter_file(document["name"])
    assert packaged["base"] == document["base"] == calibrate.PRISTINE
    assert packaged["parameters"] == document["parameters"]


def test_each_free_parameter_maps_to_its_fit_coordinate_and_back():
    for name, (lower, upper, log) in FREE.items():
        for x in (lower, (lower + upper) / 2, upper):
            back = calibrate._to_fit(calibrate._from_fit(x, log), log)
            assert back == pytest.approx(x, rel=1e-12, abs=1e-12), name


def test_a_fitted_value_on_its_search_bound_says_so_and_one_inside_does_not():
    # the oxygen release rate constant is searched over 1e-6 to 1e-1 s-1
    assert "at the upper bound 0.1 " in calibrate.fit_source(RELEASE_RATE, 0.1, FREE)
    assert "lower bound 1e-06 " in calibrate.fit_source(RELEASE_RATE, 1e-6, FREE)
    assert "bound" not in calibrate.fit_source(RELEASE_RATE, 1e-3, FREE)


def test_the_packaged_fitted_values_lie_strictly_inside_their_bounds():
    """A value on its bound is a model failure (the data asked for more than physics allows),
    so every packaged one keeps more than 1 % of its interval from either end."""
    pristine = read_parameter_file(calibrate.PRISTINE)["parameters"]
    for name, (lower, upper, log) in FREE.items():
        x = calibrate._to_fit(pristine[name]["value"], log)
        margin = 1e-2 * (upper - lower)
        assert lower + margin < x < upper - margin, name
        assert pristine[name]["source"].startswith("fit: " + calibrate.COMMAND), name
        assert "bound" not in pristine[name]["source"], name


def _stand_in_model(share_true):
    """Ru-1's first discharge proportional to the accessible share of the oxygen-redox sites:
    the paper's 307 mAh/g exactly at ``share_true``."""

    def sample_metrics(samples, values, cycles):
        return {"Ru-1": {"first_discharge_capacity": 307.0 * values[ACCESSIBLE] / share_true}}

    return sample_metrics


def test_a_fit_stage_finds_the_value_that_meets_its_row(monkeypatch):
    monkeypatch.setattr(calibrate, "_sample_metrics", _stand_in_model(0.7))
    fitted = calibrate.fit_stage([ACCESSIBLE], ["ru1_first_discharge"], 0, {ACCESSIBLE: 0.6}, FREE)
    assert fitted[ACCESSIBLE] == pytest.approx(0.7, rel=1e-3)


def test_a_fit_stage_whose_row_needs_more_than_the_bound_stops_on_it(monkeypatch):
    monkeypatch.setattr(calibrate, "_sample_metrics", _stand_in_model(1.5))
    fitted = calibrate.fit_stage([ACCESSIBLE], ["ru1_first_discharge"], 0, {ACCESSIBLE: 0.6}, FREE)
    assert fitted[ACCESSIBLE] == pytest.approx(1.0, rel=1e-6)  # bound: all the sites
    assert "upper bound" in calibrate.fit_source(ACCESSIBLE, fitted[ACCESSIBLE], FREE)


def test_writing_the_treated_sets_keeps_a_performance_block_and_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(calibrate, "data_dir", lambda folder: tmp_path)
    calibrate.write_treated_sets()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "LRMO_Sun2025_Ru0p5.json",
        "LRMO_Sun2025_Ru1.json",
        "LRMO_Sun2025_Ru3.json",
    ]
    ru1 = tmp_path / "LRMO_Sun2025_Ru1.json"
    document = json.loads(ru1.read_text())
    assert "performance" not in document
    document["performance"] = {"source": "test", "rates": []}
    ru1.write_text(json.dumps(document))
    calibrate.write_treated_sets()
    assert json.loads(ru1.read_text())["performance"] == {"source": "test", "rates": []}
    assert "performance" not in json.loads((tmp_path / "LRMO_Sun2025_Ru3.json").read_text())
    # a written patch is a set the model can run: its base resolves and nothing is missing
    values = load_parameter_set(ru1, complete=True)
    assert values["Primary: Positive particle radius [m]"] > 0


def test_an_assumption_refits_around_it_and_writes_nothing(monkeypatch, capsys):
    """``--assume`` holds a parameter the stages do not fit: the stand-in model sees it in every
    trial, the fitted value meets the row again under it, and no parameter file is touched."""
    seen = []

    def sample_metrics(samples, values, cycles):
        seen.append(values["Li sites perturbed per migrated TM"])
        # the first discharge scales with the assumed value: 307 mAh/g at share 0.7 when it is 6
        share_needed = 0.7 * 6.0 / values["Li sites perturbed per migrated TM"]
        return {"Ru-1": {"first_discharge_capacity": 307.0 * values[ACCESSIBLE] / share_needed}}

    monkeypatch.setattr(calibrate, "_sample_metrics", sample_metrics)
    monkeypatch.setattr(calibrate, "STAGES", (([ACCESSIBLE], ["ru1_first_discharge"], 0),))
    written = []
    monkeypatch.setattr(calibrate, "write_parameter_file", lambda *a: written.append(a))
    monkeypatch.setattr(calibrate, "write_treated_sets", lambda: written.append("treated"))
    argv = ["--rounds", "1", "--assume", "Li sites perturbed per migrated TM=7"]
    assert calibrate.main(argv) == 0
    assert set(seen) == {7.0} and written == []
    out = capsys.readouterr().out
    fitted = float(out.split(f"{ACCESSIBLE} = ")[1].split()[0])
    assert fitted == pytest.approx(0.6, rel=1e-3)  # 0.7 x 6 / 7


@pytest.mark.parametrize(
    "item",
    [
        "Oxygen release rate constant [s-1]=1e-3",  # fitted by stage 1: not an assumption
        "No such parameter=1",
        "Li sites perturbed per migrated TM=-1",
        "Li sites perturbed per migrated TM=six",
    ],
)
def test_a_bad_assumption_is_one_line_and_exit_2(item, capsys):
    assert calibrate.main(["--assume", item]) == 2
    (message,) = capsys.readouterr().err.strip().splitlines()
    assert "--assume" in message and ("NAME must be" in message or "VALUE must be" in message)
