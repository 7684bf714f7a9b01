"""The study runner: sampling, outputs, failures, resume and the report from the table alone.

Physics points here run one short cycle; designer-only studies carry the rest.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.design.core import COMPONENTS
from lrmo_cell.errors import InputError
from lrmo_cell.studies import study as study_module
from lrmo_cell.studies.study import point_parameter_values, run_study
from lrmo_cell.studies.study_report import pareto_front, read_results, sobol_indices
from lrmo_cell.studies.study_spec import load_study, sampler

DESIGN = 'design = "ru1_li_metal_5p83Ah"\n'
LOADING = '"cathode.loading_mg_per_cm2"'
ELECTROLYTE = '"electrolyte.g_per_Ah"'


def write(folder, text: str, name: str = "s.toml"):
    path = folder / name
    path.write_text(text)
    return path


def test_a_grid_holds_every_combination_of_its_levels_once(tmp_path):
    study = load_study(
        write(
            tmp_path,
            DESIGN + 'outputs = ["specific_energy_Wh_per_kg"]\n[inputs]\n'
            f"{LOADING} = {{ low = 15, high = 30, points = 4 }}\n"
            f"{ELECTROLYTE} = {{ values = [1.5, 2.0, 3.0] }}\n",
        )
    )
    points = sampler(study)(0, study.n_points)
    got = sorted(zip(*points.values(), strict=True))
    assert got == sorted(itertools.product([15, 20, 25, 30], [1.5, 2.0, 3.0]))


@pytest.mark.parametrize("distribution", ["uniform", "loguniform"])
def test_a_latin_hypercube_puts_one_point_in_every_stratum(tmp_path, distribution):
    study = load_study(
        write(
            tmp_path,
            DESIGN + 'outputs = ["mass_g"]\n[sampling]\nmethod = "lhs"\npoints = 50\n[inputs]\n'
            f'{LOADING} = {{ low = 10, high = 40, distribution = "{distribution}" }}\n'
            f"{ELECTROLYTE} = {{ low = 1.5, high = 3 }}\n",
        )
    )
    x = sampler(study)(0, 50)["cathode.loading_mg_per_cm2"]
    # the strata are equal in the distribution's own scale: linear or logarithmic
    to_unit = (
        (lambda v: (v - 10) / 30)
        if distribution == "uniform"
        else (lambda v: np.log(v / 10) / np.log(4))
    )
    strata = np.floor(to_unit(x) * 50).astype(int)
    assert sorted(strata) == list(range(50))


def test_a_truncated_normal_input_stays_in_its_bounds_around_its_mean(tmp_path):
    study = load_study(
        write(
            tmp_path,
            DESIGN + 'outputs = ["mass_g"]\n[sampling]\nmethod = "lhs"\npoints = 400\n[inputs]\n'
            f'{LOADING} = {{ distribution = "normal", mean = 24, sd = 2, low = 20, high = 30 }}\n',
        )
    )
    x = sampler(study)(0, 400)["cathode.loading_mg_per_cm2"]
    assert x.min() >= 20 and x.max() <= 30
    # truncation at -2 and +3 sd shifts the mean up by sd (phi(-2) - phi(3)) / (Phi(3) -
    # Phi(-2)) = (0.0540 - 0.0044) / 0.9759 sd = 0.0508 sd; LHS gets the mean to within ~0.01
    assert np.mean(x) == pytest.approx(24 + 2 * 0.0508, abs=0.03)


def test_materials_cost_at_one_usd_per_kg_is_the_inverse_of_the_specific_energy(tmp_path):
    prices = "".join(f'{c}_USD_per_kg = {{ value = 1.0, source = "test" }}\n' for c in COMPONENTS)
    path = write(
        tmp_path,
        DESIGN + 'outputs = ["specific_energy_Wh_per_kg", "materials_cost_USD_per_kWh"]\n'
        f"[inputs]\n{LOADING} = {{ low = 15, high = 30, points = 4 }}\n[prices]\n" + prices,
    )
    run_study(load_study(path), tmp_path / "r.parquet")
    table = pd.read_parquet(tmp_path / "r.parquet")
    # 1 USD per kg of everything: USD/kWh = kg/kWh = 1000 / (Wh/kg)
    np.testing.assert_allclose(
        table["materials_cost_USD_per_kWh"], 1000 / table["specific_energy_Wh_per_kg"], rtol=1e-12
    )
    assert table["point"].tolist() == [0, 1, 2, 3] and (table["error"] == "").all()


def test_sobol_indices_find_the_one_input_an_output_depends_on(tmp_path):
    """The coating thickness is loading / coating density: the electrolyte amount has no part
    in it, so the loading explains all of its variance (S1 = ST = 1, the other's ST = 0)."""
    path = write(
        tmp_path,
        DESIGN + 'outputs = ["cathode_coating_thickness_um", "specific_energy_Wh_per_kg"]\n'
        '[sampling]\nmethod = "sobol"\npoints = 256\nseed = 3\n[inputs]\n'
        f"{LOADING} = {{ low = 15, high = 30 }}\n{ELECTROLYTE} = {{ low = 1.5, high = 3 }}\n",
    )
    run_study(load_study(path), tmp_path / "r.parquet")
    table, identity = read_results(tmp_path / "r.parquet")
    assert len(table) == 256 * 4
    indices = sobol_indices(table, identity).set_index(["output", "input"])
    thickness = indices.loc["cathode_coating_thickness_um"]
    assert thickness.loc["cathode.loading_mg_per_cm2", "S1"] == pytest.approx(1, abs=0.05)
    assert thickness.loc["cathode.loading_mg_per_cm2", "ST"] == pytest.approx(1, abs=0.05)
    assert thickness.loc["electrolyte.g_per_Ah", "ST"] == pytest.approx(0, abs=1e-9)
    # both change the Wh/kg, so each explains part of its variance
    energy = indices.loc["specific_energy_Wh_per_kg"]
    assert (energy["ST"] > 0.05).all()


def test_the_pareto_front_keeps_exactly_the_points_nothing_beats_in_both():
    x = np.array([1.0, 2.0, 3.0, 1.0, 2.0, np.nan, 2.0])
    y = np.array([3.0, 2.0, 1.0, 1.0, 1.5, 9.0, 2.0])
    front = pareto_front(x, y, "max", "max")
    # (2, 2) appears twice: one of the twins is on the front, the other adds nothing
    assert set(np.flatnonzero(front)) in ({0, 1, 2}, {0, 2, 6})
    # minimising y instead: (3, 1) beats everything with x <= 3 and y >= 1
    assert set(np.flatnonzero(pareto_front(x, y, "max", "min"))) == {2}


def test_the_treatment_input_reproduces_the_calibrated_ru1_set(tmp_path):
    """Ru-1 is the pristine set patched at 0.2 mg/mL RuCl3: a study that treats the pristine
    set at 0.2 mg/mL must cycle exactly as Ru-1 does."""
    from lrmo_cell.models.cycling import simulate_cycling

    path = write(
        tmp_path,
        'parameter_set = "pristine"\noutputs = ["discharge_capacity_mAh_per_g", '
        '"capacity_retention"]\n[inputs]\n"treatment.rucl3_mg_per_ml" = { values = [0.2] }\n'
        "[protocol]\nc_rate = 1.0\ncycles = 2\nformation_cycles = 0\n",
    )
    run_study(load_study(path), tmp_path / "r.parquet")
    row = pd.read_parquet(tmp_path / "r.parquet").iloc[0]
    capacity = simulate_cycling("Ru-1", 1.0, 2, formation_cycles=0)["discharge_capacity_mAh_per_g"]
    assert row["discharge_capacity_mAh_per_g"] == pytest.approx(capacity.iloc[0], rel=1e-6)
    assert row["capacity_retention"] == pytest.approx(capacity.iloc[1] / capacity.iloc[0], rel=1e-6)


@pytest.mark.parametrize("rucl3_mg_per_ml", [0.0, 0.6])
def test_a_treated_design_point_keeps_the_designs_powder(tmp_path, rucl3_mg_per_ml):
    """The design fixes the active powder per area (loading x active fraction); the treatment
    changes how much of it is RuO2, never how much there is."""
    from lrmo_cell.models.cycling import active_powder_mass_g

    path = write(
        tmp_path,
        DESIGN + 'parameter_set = "pristine"\noutputs = ["capacity_retention"]\n[inputs]\n'
        f'{LOADING} = {{ values = [12.0, 30.0] }}\n"treatment.rucl3_mg_per_ml" = '
        "{ values = [0.0, 0.6] }\n",
    )
    study = load_study(path)
    for loading in (12.0, 30.0):
        inputs = {LOADING[1:-1]: loading, "treatment.rucl3_mg_per_ml": rucl3_mg_per_ml}
        values = point_parameter_values(study, inputs)
        area_cm2 = values["Electrode height [m]"] * values["Electrode width [m]"] * 1e4
        # the design's cathode is 97% active powder
        assert 1e3 * active_powder_mass_g(values) / area_cm2 == pytest.approx(
            0.97 * loading, rel=1e-9
        )
        # Ru-1's 0.46 wt% at 0.2 mg/mL, in proportion to the RuCl3 concentration
        assert values["RuO2 mass fraction in active powder"] == pytest.approx(
            0.0046 * rucl3_mg_per_ml / 0.2, rel=1e-9
        )


def test_a_radius_input_moves_both_couples_particles_and_the_treatments_layer(tmp_path):
    """Both couples fill the same primary particles, so an unprefixed radius sets both; the
    acid dose sets the share of the particle's Li the layer takes, so the layer's share of the
    particle volume, and its thickness per radius, stay: Ru-1's 4.5 nm on 125 nm particles is
    9.0 nm on 250 nm ones."""
    path = write(
        tmp_path,
        'parameter_set = "pristine"\noutputs = ["capacity_retention"]\n[inputs]\n'
        '"parameter.Positive particle radius [m]" = { values = [2.5e-7] }\n'
        '"treatment.rucl3_mg_per_ml" = { values = [0.2] }\n',
    )
    inputs = {"parameter.Positive particle radius [m]": 2.5e-7, "treatment.rucl3_mg_per_ml": 0.2}
    values = point_parameter_values(load_study(path), inputs)
    for phase in ("Primary", "Secondary"):
        assert values[f"{phase}: Positive particle radius [m]"] == 2.5e-7
    assert values["Li-deficient layer thickness [m]"] == pytest.approx(9.0e-9, rel=1e-3)


def test_the_cells_energy_after_cycles_agrees_with_the_at_rate_discharge(tmp_path):
    """One cycle at 1C after formation is also what at_rate discharges: the stack energy from the
    pair's energy per kg of powder (this module) and from the pair count (cell_physics) must
    be the same Wh/kg."""
    path = write(
        tmp_path,
        DESIGN + 'outputs = ["specific_energy_after_cycles_Wh_per_kg", '
        '"specific_energy_at_rate_Wh_per_kg", "specific_energy_Wh_per_kg"]\n[inputs]\n'
        f"{LOADING} = {{ values = [20.0] }}\n[protocol]\nc_rate = 1.0\ncycles = 1\n",
    )
    run_study(load_study(path), tmp_path / "r.parquet")
    row = pd.read_parquet(tmp_path / "r.parquet").iloc[0]
    assert row["error"] == ""
    assert row["specific_energy_after_cycles_Wh_per_kg"] == pytest.approx(
        row["specific_energy_at_rate_Wh_per_kg"], rel=1e-6
    )
    # and 1C gives less than the designer's nominal 0.1C figure
    assert row["specific_energy_at_rate_Wh_per_kg"] < row["specific_energy_Wh_per_kg"]


def test_a_design_study_that_varies_only_the_treatment_gives_each_point_the_design(tmp_path):
    from lrmo_cell.design.core import evaluate

    path = write(
        tmp_path,
        DESIGN
        + 'parameter_set = "pristine"\noutputs = ["mass_g", "discharge_capacity_mAh_per_g"]\n'
        '[inputs]\n"treatment.rucl3_mg_per_ml" = { values = [0.2] }\n'
        "[protocol]\nc_rate = 1.0\ncycles = 1\nformation_cycles = 0\n",
    )
    study = load_study(path)
    run_study(study, tmp_path / "r.parquet")
    row = pd.read_parquet(tmp_path / "r.parquet").iloc[0]
    assert row["error"] == "" and row["mass_g"] == pytest.approx(evaluate(study.design)["mass_g"])
    assert 200 < row["discharge_capacity_mAh_per_g"] < 320  # an LRMO at 1C, per g of powder


def test_a_point_whose_solver_fails_keeps_its_error_and_the_study_goes_on(tmp_path):
    path = write(
        tmp_path,
        'parameter_set = "Ru-1"\noutputs = ["capacity_retention"]\n[inputs]\n'
        '"parameter.Positive electrode conductivity [S.m-1]" = { values = [1e-9, 10.0] }\n'
        "[protocol]\ncycles = 1\nformation_cycles = 0\n",
    )
    run_study(load_study(path), tmp_path / "r.parquet")
    table = pd.read_parquet(tmp_path / "r.parquet")
    failed, fine = table.iloc[0], table.iloc[1]
    assert failed["error"].startswith("SolverError") and np.isnan(failed["capacity_retention"])
    # one cycle: its last discharge is its first, so it keeps all of it
    assert fine["error"] == "" and fine["capacity_retention"] == 1.0


GRID_STUDY = (
    DESIGN + 'outputs = ["specific_energy_Wh_per_kg", "thickness_mm"]\n[inputs]\n'
    f"{LOADING} = {{ low = 15, high = 30, points = 5 }}\n"
    f"{ELECTROLYTE} = {{ low = 1.5, high = 3, points = 4 }}\n"
)


def test_a_stopped_study_resumes_only_with_resume_and_computes_only_what_is_missing(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, GRID_STUDY)
    assert main(["study", "s.toml", "--workers", "0", "--out", "ref.parquet"]) == 0
    reference = pd.read_parquet("ref.parquet")

    real, calls = study_module.evaluate_points, []

    def stop_after_two(study, start, inputs):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(start)
        return real(study, start, inputs)

    monkeypatch.setattr(study_module, "evaluate_points", stop_after_two)
    args = ["study", "s.toml", "--workers", "0", "--chunk-size", "3"]
    assert main(args) == 130
    assert "--resume" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "s.parquet.parts").iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "sweep.json",
    ]
    assert main(args) == 2  # a stopped run is not silently continued
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--resume" in err

    calls.clear()
    monkeypatch.setattr(study_module, "evaluate_points", real)
    counted = []
    monkeypatch.setattr(
        study_module,
        "evaluate_points",
        lambda study, start, inputs: counted.append(start) or real(study, start, inputs),
    )
    assert main([*args, "--resume"]) == 0
    assert counted == [6, 9, 12, 15, 18]  # 20 points in chunks of 3; the first two were kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref.parquet", "s.parquet", "s.toml"]
    pd.testing.assert_frame_equal(pd.read_parquet("s.parquet"), reference)
    # run again: the result is this study's, so it is reused, not recomputed
    counted.clear()
    assert main([*args, "--resume"]) == 0
    assert counted == [] and "reused" in capsys.readouterr().out


def test_the_report_is_drawn_from_the_table_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        GRID_STUDY
        + '[report]\npareto = [["specific_energy_Wh_per_kg", "thickness_mm"]]\n'
        + f'heatmaps = [[{LOADING}, {ELECTROLYTE}, "specific_energy_Wh_per_kg"]]\n',
    )
    assert main(["study", "s.toml", "--workers", "0"]) == 0
    (tmp_path / "s.toml").unlink()  # the report needs nothing but the table
    assert main(["study", "report", "s.parquet", "--out", "rep"]) == 0
    names = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert names == [
        "heatmap_specific_energy_Wh_per_kg__cathode_loading_mg_per_cm2__electrolyte_g_per_Ah.png",
        "pareto_specific_energy_Wh_per_kg__thickness_mm.csv",
        "pareto_specific_energy_Wh_per_kg__thickness_mm.png",
        "summary.csv",
    ]
    front = pd.read_csv(tmp_path / "rep" / "pareto_specific_energy_Wh_per_kg__thickness_mm.csv")
    table = pd.read_parquet("s.parquet")
    # more electrolyte only adds mass, not thickness: the front is the leanest electrolyte at
    # every loading (thicker cells with more Wh/kg), nothing else
    assert sorted(front["point"]) == sorted(table.index[table["electrolyte.g_per_Ah"] == 1.5])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            DESIGN
            + 'outputs = ["energy_Wh_kg"]\n[inputs]\n'
            + f"{LOADING} = {{ values = [20] }}\n",
            "unknown output 'energy_Wh_kg'",
        ),
        (
            DESIGN + 'outputs = ["zzz"]\n[inputs]\n' + f"{LOADING} = {{ values = [20] }}\n",
            "the outputs are capacity_Ah, energy_Wh, mass_g",
        ),
        (
            DESIGN + 'outputs = ["mass_g"]\n[inputs]\n' + f"{LOADING} = {{ values = [-1] }}\n",
            "cathode.loading_mg_per_cm2 must be",
        ),
        (
            DESIGN + 'outputs = ["mass_g"]\n[sampling]\nmethod = "sobol"\npoints = 6\n[inputs]\n'
            f"{LOADING} = {{ low = 15, high = 30 }}\n{ELECTROLYTE} = {{ low = 1.5, high = 3 }}\n",
            "power of 2",
        ),
        (
            'parameter_set = "Ru-1"\noutputs = ["mass_g"]\n[inputs]\n'
            f"{LOADING} = {{ values = [20] }}\n",
            "needs design",
        ),
        (
            'parameter_set = "Ru-1"\noutputs = ["capacity_retention"]\n[inputs]\n'
            '"treatment.rucl3_mg_per_ml" = { values = [0.1, 5] }\n',
            "[0, 2] mg/mL",
        ),
        (
            DESIGN + 'outputs = ["materials_cost_USD_per_kWh"]\n[inputs]\n'
            f"{LOADING} = {{ values = [20] }}\n",
            "[prices] cathode_active_USD_per_kg",
        ),
        (
            DESIGN
            + 'outputs = ["mass_g"]\n[inputs]\n'
            + f"{LOADING} = {{ low = 30, high = 15 }}\n",
            "low must be below high",
        ),
        (
            DESIGN + 'outputs = ["energy_at_rate_Wh"]\n[inputs]\n'
            '"treatment.rucl3_mg_per_ml" = { values = [0.1] }\n',
            "cannot change it",
        ),
        (
            'parameter_set = "Ru-9"\noutputs = ["capacity_retention"]\n[inputs]\n'
            '"treatment.rucl3_mg_per_ml" = { values = [0.1] }\n',
            "parameter_set: sample must be one of",
        ),
        (
            'parameter_set = "Ru-1"\noutputs = ["capacity_retention"]\n[inputs]\n'
            '"parameter.Positive particle radus [m]" = { values = [2e-7] }\n',
            "did you mean 'Primary: Positive particle radius [m]'",
        ),
        (
            'parameter_set = "Ru-1"\noutputs = ["capacity_retention"]\n[inputs]\n'
            '"treatment.rucl3_mg_per_ml" = { values = [0.1] }\n'
            '"parameter.RuO2 mass fraction in active powder" = { values = [0.01] }\n',
            "vary one of the two",
        ),
        (
            DESIGN + 'outputs = ["mass_g"]\n[protocol]\ncycels = 3\n[inputs]\n'
            f"{LOADING} = {{ values = [20] }}\n",
            "unknown key 'cycels' in protocol; known: c_rate, cycles",
        ),
    ],
)
def test_bad_study_files_are_one_sentence_and_write_nothing(
    tmp_path, monkeypatch, capsys, text, words
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    assert main(["study", "s.toml", "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["s.toml", "--workers", "0", "--out", ""], "--out must end in .parquet"),
        (["s.toml", "--workers", "0", "--report", ""], "--report is empty"),
        (["report", "s.parquet", "--out", ""], "--out is empty"),
    ],
)
def test_an_empty_output_name_is_refused_not_replaced_by_the_default(
    tmp_path, monkeypatch, capsys, argv, words
):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, DESIGN + f'outputs = ["mass_g"]\n[inputs]\n{LOADING} = {{ values = [20] }}\n')
    assert main(["study", "s.toml", "--workers", "0"]) == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["study", *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_existing_file_is_replaced_only_with_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, GRID_STUDY)
    (tmp_path / "s.parquet").write_text("someone else's file")
    assert main(["study", "s.toml", "--workers", "0"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (tmp_path / "s.parquet").read_text() == "someone else's file"
    assert main(["study", "s.toml", "--workers", "0", "--overwrite"]) == 0
    assert len(pd.read_parquet("s.parquet")) == 20


def test_the_example_study_is_packaged_and_valid():
    study = load_study("ru_loading_electrolyte")
    assert study.n_points == 8 * (3 + 2) and study.protocol["c_rate"] == 0.5
    assert study.protocol["cycles"] == 300
    with pytest.raises(InputError, match="designs/studies"):
        load_study("no_such_study")
    assert json.loads(json.dumps(study.identity()))["method"] == "sobol"
