"""`lrmo-cell fit gitt` and `lrmo-cell fit drt` from files to parameters and reports."""

import json

import numpy as np
import pandas as pd
import pybamm
import pytest

from lrmo_cell.cli import main
from lrmo_cell.fitting.gitt import half_cell_setup
from lrmo_cell.fitting.synthetic import synthetic_gitt
from lrmo_cell.parameters import load_parameter_set

PNG = b"\x89PNG"


def test_fit_gitt_writes_a_patch_with_the_true_diffusivity_inside_its_interval(tmp_path):
    setup = half_cell_setup("Xu2019")
    data = tmp_path / "gitt.csv"
    synthetic_gitt(setup, n_pulses=3, noise_V=1e-3, seed=1).to_csv(data, index=False)
    out = tmp_path / "fitted.json"
    assert (
        main(["fit", "gitt", str(data), "--model", "Xu2019", "--pulses", "2", "--out", str(out)])
        == 0
    )
    patch = json.loads(out.read_text())
    name = "Positive particle diffusivity [m2.s-1]"
    entry = patch["parameters"][name]
    truth = setup.parameter_values[name]
    # two pulses: the value is D against mid-pulse stoichiometry, which the set loads as a
    # function that returns each pulse's D at its stoichiometry and stays constant beyond
    table = entry["value"]
    np.testing.assert_allclose(table["values"], truth, rtol=0.10)
    assert entry["ci95"][0] <= truth <= entry["ci95"][1]
    d_of = load_parameter_set(out)[name]
    for sto, d in [*zip(table["stoichiometry"], table["values"], strict=True), (0.0, None)]:
        expected = d if d is not None else table["values"][int(np.argmin(table["stoichiometry"]))]
        value = d_of(pybamm.Scalar(sto), pybamm.Scalar(298.15)).evaluate()
        assert float(value) == pytest.approx(expected, rel=1e-9)
    assert (
        entry["source"] == f"fit: lrmo-cell fit gitt {data} --model Xu2019 --pulses 2 --out {out}"
    )
    table = pd.read_csv(tmp_path / "fitted_pulses.csv")
    assert list(table["pulse"]) == [1, 2]
    # discharge lithiates the cathode: stoichiometry rises and the relaxed OCV falls pulse by pulse
    assert np.all(np.diff(table["stoichiometry"]) > 0)
    assert np.all(table["dEs_V"] < 0) and np.all(table["D_WH_m2_per_s"] > 0)
    assert (tmp_path / "fitted_fit.png").read_bytes()[:4] == PNG


def test_a_cell_larger_than_the_models_electrode_is_fitted_at_its_own_c_rate(tmp_path):
    """The same GITT on an electrode of twice the capacity carries twice the current. Given that
    capacity, the model's electrode is driven at the measured C-rate and the diffusivity comes
    back as from the model-sized cell."""
    from lrmo_cell.fitting.capacity import electrode_capacity_Ah

    setup = half_cell_setup("Xu2019")
    frame = synthetic_gitt(setup, n_pulses=2, noise_V=1e-3, seed=1)
    data = tmp_path / "big.csv"
    frame.assign(current_A=2 * frame["current_A"]).to_csv(data, index=False)
    capacity = 2 * electrode_capacity_Ah(setup.parameter_values)
    out = tmp_path / "big.json"
    args = ["fit", "gitt", str(data), "--model", "Xu2019", "--pulses", "1"]
    assert main([*args, "--capacity-ah", str(capacity), "--out", str(out)]) == 0
    entry = json.loads(out.read_text())["parameters"]["Positive particle diffusivity [m2.s-1]"]
    truth = setup.parameter_values["Positive particle diffusivity [m2.s-1]"]
    assert entry["value"] == pytest.approx(truth, rel=0.10)
    assert entry["ci95"][0] <= truth <= entry["ci95"][1]


def test_fit_drt_writes_the_peaks_and_the_exchange_current_density(tmp_path):
    f = np.logspace(-3.5, 4, 70)
    z = 0.5 + 2.0 / (1 + 2j * np.pi * f * 0.1) + 5.0 / (1 + 2j * np.pi * f * 30.0)
    data = tmp_path / "eis.csv"
    pd.DataFrame({"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag}).to_csv(
        data, index=False
    )
    out = tmp_path / "peaks.csv"
    assert main(["fit", "drt", str(data), "--area-m2", "1e-3", "--out", str(out)]) == 0
    peaks = pd.read_csv(out)
    ct = peaks[peaks["process"] == "charge_transfer"].iloc[0]
    # i0 = R T / (F R_ct A) with the peak's own resistance
    assert ct["i0_A_per_m2"] == pytest.approx(
        8.314462618 * 298.15 / (96485.33212 * ct["resistance_ohm"] * 1e-3), rel=1e-9
    )
    assert (tmp_path / "peaks.png").read_bytes()[:4] == PNG
    # the same peaks under the user's own assignment windows
    windows = ["--window", "fast=0.01:1", "--window", "slow=1:1000"]
    assert main(["fit", "drt", str(data), *windows, "--out", str(out)]) == 0
    assert sorted(pd.read_csv(out)["process"]) == ["fast", "slow"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["fit", "gitt", "absent.csv", "--out", "p.json"], "does not exist"),
        (["fit", "gitt", "x.csv", "--out", "p.txt"], "--out"),
        (["fit", "drt", "x.csv", "--area-m2", "0", "--out", "p.csv"], "--area-m2"),
        (["fit", "drt", "x.csv", "--window", "ct=10:1", "--out", "p.csv"], "--window"),
    ],
)
def test_bad_fit_input_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, args, named):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and named in err


def test_fit_capacity_is_refused_on_a_one_host_set(tmp_path, capsys):
    """A PyBaMM set's fit takes each pulse's initial stoichiometry instead of a capacity."""
    data = tmp_path / "gitt.csv"
    synthetic_gitt(half_cell_setup("Xu2019"), n_pulses=1, noise_V=0.0, seed=0).to_csv(
        data, index=False
    )
    args = ["fit", "gitt", str(data), "--model", "Xu2019", "--fit-capacity"]
    assert main([*args, "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert "--fit-capacity: Xu2019 is a one-host set" in err and "\n" not in err
    assert not (tmp_path / "p.json").exists()


def test_mass_needs_a_set_with_the_active_material_density(tmp_path, capsys):
    setup = half_cell_setup("Xu2019")
    data = tmp_path / "gitt.csv"
    synthetic_gitt(setup, n_pulses=1, noise_V=0.0, seed=0).to_csv(data, index=False)
    args = ["fit", "gitt", str(data), "--model", "Xu2019", "--mass-g", "0.01"]
    assert main([*args, "--out", str(tmp_path / "p.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--mass-g" in err and "--capacity-ah" in err
    assert not (tmp_path / "p.json").exists()


def test_mass_gives_the_theoretical_capacity_of_the_lrmo_sites_the_window_reaches():
    """1 g of Ru-1 powder is 1 - 0.0046 g of Li1.20Mn0.555Ni0.158Co0.080O2 (84.81 g/mol, 0.46
    wt % RuO2), which holds 1.2 Li sites per formula unit, 0.268 Ah per Li: the TM share s of
    them and the accessible share of the rest; in Ru-1's shell (a 4.5 nm layer of a 125 nm
    particle) (1 + 0.2 / 6) / 1.2 of the Li is left, of which the oxygen couple keeps its
    Li-O-Li sixth, (1 - s) / 6, and the TM couple the rest."""
    from lrmo_cell.fitting.capacity import capacity_of_mass_Ah

    values = pybamm.ParameterValues(load_parameter_set("LRMO_Sun2025_Ru1"))
    tm = values["TM-redox share of Li sites"]
    accessible = values["Accessible share of the oxygen-redox Li sites"]
    shell = 1 - (1 - 4.5e-9 / 125e-9) ** 3
    oxygen = (1 - tm) * ((1 - shell) + shell / 6)
    y = (1 + 0.2 / 6) / 1.2
    li = 1.2 * (tm * (1 - shell) + shell * (y - (1 - tm) / 6) + accessible * oxygen)
    expected = (1 - 0.0046) * li * 96485.33212 / 3600 / 84.81
    assert capacity_of_mass_Ah(values, 1.0, "Ru-1") == pytest.approx(expected, rel=1e-3)
