"""`fit gitt` on the LRMO model: both couples over the whole 2.0-4.8 V window of an LRMO half cell.

The truth is the LRMO pristine set with diffusivities of 2e-17 (TM) and 3e-18 m2/s (oxygen),
5 and 3.3 times below the set's own (1e-16, 1e-17), where the fit starts. With R = 125 nm the
diffusion times R^2/D are 780 s and 5200 s, against 1-h pulses and rests: diffusion shapes
every pulse, so each is informative (at the set's own values, R^2/D = 156 s, a 1-h pulse is
near equilibrium and the TM diffusivity is barely determined).
"""

import json

import numpy as np
import pandas as pd
import pybamm
import pytest

from lrmo_cell.errors import InputError
from lrmo_cell.fitting.gitt import (
    CAPACITY_SCALE,
    TwoCoupleSetup,
    couple_diffusivity_name,
    detect_pulses,
    fit_gitt_two_couples,
    half_cell_setup,
)
from lrmo_cell.fitting.synthetic import synthetic_gitt
from lrmo_cell.parameters import value_at

SET = "LRMO_Sun2025_pristine"
TRUTH = {couple_diffusivity_name("TM"): 2e-17, couple_diffusivity_name("oxygen"): 3e-18}
# the TM couple's OCP range in the set: the old fit refused every pulse above it
TM_OCP_TOP_V = 4.38


def _truth_setup():
    setup = half_cell_setup(SET)
    setup.parameter_values.update(TRUTH)
    return setup


def _whole_window_gitt(charge_pulses, discharge_pulses, seed=0):
    """The virtual lab's GITT of one cell: a charge GITT from the as-made state to 4.8 V, then
    a discharge GITT to 2.0 V (0.5C pulses of 1 h, 1-h rests, 1 mV noise)."""
    return synthetic_gitt(
        _truth_setup(),
        n_pulses=discharge_pulses,
        c_rate=0.5,
        pulse_min=60,
        rest_min=60,
        charge_pulses=charge_pulses,
        v_min=2.0,
        v_max=4.8,
        noise_V=1e-3,
        seed=seed,
    )


# the fit is told an electrode capacity 2 % below the cell's (a weighing error, say): the
# currents it replays are 1 / 0.98 times the model electrode's share of them
TOLD_CAPACITY_SHARE = 0.98


@pytest.fixture(scope="module")
def whole_window():
    frame = _whole_window_gitt(4, 4)
    told = frame.assign(current_A=frame["current_A"] / TOLD_CAPACITY_SHARE)
    pulses = detect_pulses(told)
    table, _ = fit_gitt_two_couples(half_cell_setup(SET), told, pulses, fit_capacity=True)
    return frame, pulses, table


def test_the_gitt_spans_the_window_and_both_couples_in_both_directions(whole_window):
    frame, pulses, table = whole_window
    v = frame["voltage_V"].to_numpy()
    assert v.max() > 4.75 and v.min() < 2.05
    # pulses driven above the TM couple's OCP range are fitted too
    assert (v[pulses["i_end"].to_numpy()] > TM_OCP_TOP_V).sum() >= 2
    direction = np.where(pulses["current_A"].to_numpy() < 0, "charge", "discharge")
    assert set(zip(table["carrier"], direction, strict=True)) == {
        ("TM", "charge"),
        ("oxygen", "charge"),
        ("TM", "discharge"),
        ("oxygen", "discharge"),
    }
    # the as-made oxygen couple is full and activates only on its plateau (activation formal
    # potential 4.5 V), so the first pulse from 3.4 V is the TM couple's
    assert table["carrier"].iloc[0] == "TM"
    assert table["TM charge share"].iloc[0] > 0.9


def test_plateau_pulses_relax_into_the_tm_range_yet_are_the_oxygen_couples(whole_window):
    """Why the fit attributes a pulse by where its charge went, not by its relaxed voltage:
    on the first-charge plateau the activated oxygen sites take Li back from the TM couple in
    the rest, so the relaxed voltage falls below the TM couple's top while the pulse itself
    delithiated the oxygen couple (over 95% of its charge)."""
    frame, pulses, table = whole_window
    v = frame["voltage_V"].to_numpy()
    plateau = (pulses["current_A"].to_numpy() < 0) & (table["carrier"].to_numpy() == "oxygen")
    assert plateau.sum() >= 2
    assert np.all(v[pulses["i_relaxed"].to_numpy()[plateau]] < TM_OCP_TOP_V)
    assert np.all(table["TM charge share"].to_numpy()[plateau] < 0.05)


def test_each_pulse_recovers_the_diffusivity_of_its_couple(whole_window):
    """Tolerance: 10% per pulse. The fit's own 95% intervals, from 1 mV noise on 360 points per
    pulse, are 1-8% wide here; the rest of the error is the state each pulse inherits from the
    fits before it (a mis-fitted pulse leaves the next one a slightly wrong activation and Li
    split). Measured: 0.2-2.2% (TM) and 0.0-0.3% (oxygen). The per-couple geometric mean (what
    the patch's single value is) must be within 3%."""
    _, _, table = whole_window
    for name, truth in TRUTH.items():
        fitted = table[name].dropna().to_numpy()
        assert len(fitted) >= 2
        np.testing.assert_allclose(fitted, truth, rtol=0.10)
        assert 10 ** np.log10(fitted).mean() == pytest.approx(truth, rel=0.03)


def test_the_fit_finds_the_electrode_capacity_it_was_not_told(whole_window):
    """Asked to, the fit finds the capacity the replay runs with (1 / 0.98 of the one told) to
    1e-3: the GITT runs up the steep ends of both couples' OCPs, where 0.1 % of capacity moves
    the relaxed voltage by millivolts against 1 mV noise (measured: 3e-4, where the
    search ends on a residual that is not smooth below 1e-4), and its 95% interval, never
    narrower than the search's 5e-4 resolution, holds the truth. Without it,
    a mass 0.44 % off left the TM diffusivity of the Ru-1 lab file 3.6 times low."""
    _, _, table = whole_window
    truth = 1 / TOLD_CAPACITY_SHARE
    scale = table[CAPACITY_SCALE].to_numpy()
    assert np.all(scale == scale[0])
    assert scale[0] == pytest.approx(truth, rel=1e-3)
    low, high = (table[f"{CAPACITY_SCALE} ci95 {end}"].iloc[0] for end in ("low", "high"))
    assert low <= truth <= high
    assert not table[f"{CAPACITY_SCALE} at search edge"].iloc[0]


def test_a_frame_with_a_step_that_is_no_pulse_is_refused():
    """A charge step followed at once by a discharge step, between two pulses, is no pulse
    (no rest between them), so the replay, which knows only pulses and rests, cannot run it:
    one sentence, no fit."""
    t = np.arange(0.0, 2400.0, 10.0)
    current = np.zeros_like(t)
    current[(t >= 300) & (t < 600)] = -1e-4  # a pulse
    current[(t >= 900) & (t < 1200)] = -2e-4  # a charge step, then straight...
    current[(t >= 1200) & (t < 1500)] = 1e-4  # ...a discharge step
    current[(t >= 1800) & (t < 2100)] = -1e-4  # a pulse
    frame = pd.DataFrame({"time_s": t, "current_A": current, "voltage_V": 3.4 + 0 * t})
    pulses = detect_pulses(frame)
    assert len(pulses) == 2
    with pytest.raises(InputError, match="after pulse 1 that is neither a pulse nor a rest"):
        fit_gitt_two_couples(half_cell_setup(SET), frame, pulses)


def test_half_cell_set_gives_a_two_couple_setup_and_a_full_cell_is_refused():
    setup = half_cell_setup(SET)
    assert isinstance(setup, TwoCoupleSetup)
    assert setup.fit_names == tuple(TRUTH)
    with pytest.raises(InputError, match="full cell"):
        half_cell_setup("LRMO_Sun2025_Ru1_graphite")


def test_fit_gitt_cli_on_writes_both_couples_into_the_patch(tmp_path):
    """Two pulses of the charge GITT: the first is the TM couple's, the second (on the
    plateau) the oxygen couple's, so the patch holds one value per couple, each 95% interval
    around its truth, on top of the LRMO set, as the couples' diffusivities at the reference
    temperature (the set's 25 C, which the fit ran at): loaded, the patch keeps the set's
    Arrhenius law, 1.357 times the 25 C value at 45 C (1449 K, O'Regan 2022)."""
    from lrmo_cell.cli import main
    from lrmo_cell.parameters import load_parameter_set

    data = tmp_path / "gitt.csv"
    _whole_window_gitt(2, 0, seed=1).to_csv(data, index=False)
    out = tmp_path / "patch.json"
    assert main(["fit", "gitt", str(data), "--model", SET, "--pulses", "2", "--out", str(out)]) == 0
    patch = json.loads(out.read_text())
    assert patch["base"] == SET
    for name, truth in TRUTH.items():
        reference = name.replace("[m2.s-1]", "at reference temperature [m2.s-1]")
        assert name not in patch["parameters"]
        low, high = patch["parameters"][reference]["ci95"]
        assert low <= truth <= high
        assert high / low < 1.5
    table = pd.read_csv(tmp_path / "patch_pulses.csv")
    assert list(table["carrier"]) == ["TM", "oxygen"]
    # Weppner-Huggins needs tau << (R/3)^2 / D: (125 nm / 3)^2 / 2e-17 m2/s = 87 s (TM) and
    # 580 s (oxygen), against 1-h pulses, so it applies to neither
    assert not table["weppner_huggins_applies"].any()
    assert (tmp_path / "patch_fit.png").stat().st_size > 10_000
    # the patch is a parameter set the loader takes
    values = pybamm.ParameterValues(load_parameter_set(str(out)))
    for name in TRUTH:
        reference = name.replace("[m2.s-1]", "at reference temperature [m2.s-1]")
        fitted = patch["parameters"][reference]["value"]
        at_25, at_45 = (value_at(values, values[name], 0.5, kelvin) for kelvin in (298.15, 318.15))
        assert at_25 == pytest.approx(value_at(values, values[reference], 0.5), rel=1e-12)
        if isinstance(fitted, float):  # one pulse per couple: a number, not a table
            assert at_25 == pytest.approx(fitted, rel=1e-12)
        assert at_45 / at_25 == pytest.approx(1.357, rel=1e-3)


def test_fit_gitt_cli_warns_when_a_wrong_electrode_size_leaves_the_diffusivity_undetermined(
    tmp_path, capsys
):
    """The first charge pulse of the as-made cell told it has 70 % of its capacity. Asked to
    fit the capacity, the fit may make up at most 1.25 times the one told, so the model's
    stoichiometry still moves 1 / (0.7 x 1.25) = 1.14 times as far as the cell's did, which
    no diffusivity can make up either, so the TM couple's goes to its bound (or its interval
    opens): the fit still writes its files, and says on stderr that neither value means
    anything. Told its own capacity, and taking it as given (the default), the same pulse is
    determined."""
    from lrmo_cell.cli import main
    from lrmo_cell.fitting.capacity import electrode_capacity_Ah

    data = tmp_path / "gitt.csv"
    _whole_window_gitt(1, 0, seed=1).to_csv(data, index=False)
    capacity = 0.7 * electrode_capacity_Ah(half_cell_setup(SET).parameter_values)
    out = tmp_path / "p.json"
    args = ["fit", "gitt", str(data), "--model", SET, "--pulses", "1"]
    assert main([*args, "--capacity-ah", str(capacity), "--fit-capacity", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    # the capacity it asks for, 1 / 0.7, is beyond the 1.25 the fit allows
    assert "warning: the electrode capacity is undetermined (its search ended at the edge" in err
    assert "warning: Primary: Positive particle diffusivity [m2.s-1] is undetermined" in err
    assert out.exists()
    right = tmp_path / "right.json"
    assert main([*args, "--out", str(right)]) == 0
    assert "warning" not in capsys.readouterr().err
    assert "the electrode's capacity as given" in json.loads(right.read_text())["description"]


def test_fit_gitt_cli_refuses_a_full_cell_in_one_line(tmp_path, capsys):
    from lrmo_cell.cli import main

    data = tmp_path / "gitt.csv"
    t = np.arange(0.0, 900.0, 10.0)
    current = np.where((t >= 300) & (t < 600), -1e-4, 0.0)
    np.savetxt(
        data,
        np.column_stack([t, current, 3.4 + 0 * t]),
        delimiter=",",
        header="time_s,current_A,voltage_V",
        comments="",
    )
    out = tmp_path / "p.json"
    args = ["fit", "gitt", str(data), "--model", "LRMO_Sun2025_Ru1_graphite", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "--model" in err and "full cell" in err
    assert not out.exists()


def test_the_drt_of_in_the_tm_range_gives_the_tm_couples_exchange_current():
    """``fit drt`` on the LRMO model's own impedance (the lab's 0.1C charge to 3.8 V, 10-min rest).
    There the as-made oxygen couple is full (no reversible sites, no exchange current), so the
    charge-transfer arc is the TM couple's alone: R_ct = R T / (F j0 A_TM), with j0 from the
    set's mass-action form at the TM occupancy in equilibrium with the rest voltage,
    x = 1 / (1 + exp(F (V - U0) / (w R T))), j0 = k (x (1 - x))^(w / 2), and A_TM = 3 eps_TM V /
    R, the TM couple's particle surface. The DRT peak of the study's charge-transfer window
    (1e-2-10 s) with the largest area sits within 10% of that R_ct (measured: 6% above, the
    regularisation's spread), and ``exchange_current_density`` on A_TM gives j0 back as well.
    So ``fit drt --area-m2`` on an LRMO in its TM range wants the TM couple's area, a third of
    the particles' surface in these sets, not all of it."""
    import pybamm

    from lrmo_cell.experiments import impedance
    from lrmo_cell.fitting.drt import compute_drt, exchange_current_density, find_peaks
    from lrmo_cell.fitting.gitt import COUPLES
    from lrmo_cell.parameters import load_parameter_set

    spectrum = impedance(SET, voltages_V=[3.8], direction="charge")
    values = pybamm.ParameterValues(load_parameter_set(SET))
    temperature = float(values["Reference temperature [K]"])
    thermal_V = 8.314462618 * temperature / 96485.33212
    u0 = float(values["Primary: Positive electrode formal potential [V]"])
    w = float(values["Primary: Positive electrode non-ideality factor"])
    k = float(values["Primary: Positive electrode reaction rate constant [A.m-2]"])
    x = 1 / (1 + np.exp((spectrum["rest_voltage_V"].iloc[0] - u0) / (w * thermal_V)))
    j0 = k * (x * (1 - x)) ** (w / 2)
    eps_tm = float(values["Positive electrode active material volume fraction"]) * float(
        values["TM-redox share of Li sites"]
    )
    sides = ("Positive electrode thickness [m]", "Electrode width [m]", "Electrode height [m]")
    volume = np.prod([float(values[n]) for n in sides])
    area_tm = 3 * eps_tm * volume / float(values[f"{COUPLES['TM']}: Positive particle radius [m]"])
    r_ct = thermal_V / (j0 * area_tm)
    peaks = find_peaks(compute_drt(spectrum))
    transfer = peaks[peaks["process"] == "charge_transfer"]
    r_peak = float(transfer["resistance_ohm"].max())
    assert r_peak == pytest.approx(r_ct, rel=0.10)
    assert exchange_current_density(r_peak, area_tm, temperature) == pytest.approx(j0, rel=0.10)
