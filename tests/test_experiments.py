"""The virtual lab (lrmo_cell.experiments): its column contract and physical properties that any
sound LRMO model keeps, plus the analyses checked on hand-made data with known answers."""

import numpy as np
import pandas as pd
import pytest

from lrmo_cell import experiments as ex
from lrmo_cell.errors import InputError
from lrmo_cell.experiments import _model as lab
from lrmo_cell.fitting.gitt import detect_pulses
from lrmo_cell.fitting.readers import check_sign_convention, check_timeseries
from lrmo_cell.parameters import load_parameter_set

FULL_CELL = "LRMO_Sun2025_Ru1_graphite"

# the solver stops on a voltage cut-off event, which it locates to ~1e-12 V
CUT_OFF_V = 1e-6


def _mass_g(sample):
    return lab.active_powder_mass_g(lab.parameter_values(sample))


@pytest.fixture(scope="module")
def first_charges():
    return {s: ex.formation(s) for s in ("pristine", "Ru-1")}


def test_formation_columns_and_first_charge_with_oxygen(first_charges):
    frame = first_charges["Ru-1"]
    assert list(frame.columns[:5]) == [
        "voltage_V",
        "charge_mAh_per_g",
        "oxidised_lattice_oxygen_fraction",
        "o2_released_umol_per_g",
        "o2_escaped_umol_per_g",
    ]
    assert all(frame[c].dtype == float for c in frame.columns)
    q = frame["charge_mAh_per_g"].to_numpy()
    assert q[0] == 0 and np.all(np.diff(q) >= 0)
    # an LRMO first charge passes the TM capacity plus the lattice-oxygen plateau: 250-450 mAh/g
    assert 250 < q[-1] < 450
    assert frame["voltage_V"].iloc[-1] == pytest.approx(4.8, abs=CUT_OFF_V)
    fraction = frame["oxidised_lattice_oxygen_fraction"]
    # to the solver's absolute tolerance on the oxygen fractions (1e-8)
    assert fraction.between(-1e-8, 1).all() and fraction.iloc[-1] > 10 * fraction.iloc[0]
    released, escaped = frame["o2_released_umol_per_g"], frame["o2_escaped_umol_per_g"]
    assert np.all(np.diff(released) >= -1e-9)
    assert np.all(escaped <= released + 1e-9) and escaped.min() >= -1e-9


def test_less_oxygen_leaves_the_treated_material_on_the_first_charge(first_charges):
    """The study's DEMS: Ru-1 evolves less O2 than pristine on the first charge."""
    pristine, ru1 = (first_charges[s]["o2_released_umol_per_g"].iloc[-1] for s in first_charges)
    assert ru1 < pristine


def test_a_set_with_its_own_1c_runs_at_that_current():
    """1C is 250 mA/g unless the set says otherwise: 500 A/kg at 0.1C is the default 0.2C."""
    values = load_parameter_set("Ru-1")
    own = ex.formation({**values, lab.SPECIFIC_CURRENT_PARAMETER: 500.0}, c_rate=0.1)
    default = ex.formation("Ru-1", c_rate=0.2)
    assert own["time_s"].iloc[-1] == pytest.approx(default["time_s"].iloc[-1], rel=1e-6)


def test_first_cycle_budget_closes():
    """The irreversible capacity of the pristine first cycle is the model's own split (sites
    lost, Li stranded per couple, electrolyte; no Li2O2 without RuO2); the rest is the double
    layer and solver tolerance: under 0.1 mAh/g."""
    budget = ex.first_cycle_budget("pristine").set_index("item")["mAh_per_g"]
    irreversible = budget["irreversible (charge - discharge)"]
    assert irreversible > 0
    assert budget["less Li taken up as Li2O2 on RuO2"] == 0
    assert abs(budget["not explained by the above"]) < 0.1


@pytest.fixture(scope="module")
def ru1_rates():
    return ex.rate_test("Ru-1")


def test_rate_test_capacity_falls_with_c_rate(ru1_rates):
    frame = ru1_rates
    assert list(frame.columns[:4]) == [
        "c_rate",
        "charge_capacity_mAh_per_g",
        "discharge_capacity_mAh_per_g",
        "mean_discharge_voltage_V",
    ]
    assert frame["c_rate"].tolist() == [0.1, 0.2, 0.5, 1, 2, 5]
    q = frame["discharge_capacity_mAh_per_g"].to_numpy()
    assert np.all(np.diff(q) < 0)
    assert 150 < q[0] < 400 and q[-1] > 0
    # after formation a cycle up to 2C is nearly reversible: CE within a few percent of one (at
    # 5C the discharge leaves stranded what the charge took out of the slow oxygen couple)
    slow = frame["c_rate"] <= 2
    assert frame.loc[slow, "coulombic_efficiency"].between(0.95, 1.02).all()
    assert frame["mean_discharge_voltage_V"].between(2.0, 4.8).all()


def test_a_slow_charge_gives_more_fast_discharge(ru1_rates):
    """Charging at C/10 fills the cathode further than at 2C, so the 2C discharge delivers more."""
    slow = ex.rate_test("Ru-1", c_rates=(2,), charge_c_rate=0.1)
    fast = ru1_rates.set_index("c_rate").loc[2]
    assert slow["charge_capacity_mAh_per_g"].iloc[0] > fast["charge_capacity_mAh_per_g"]
    assert slow["discharge_capacity_mAh_per_g"].iloc[0] > fast["discharge_capacity_mAh_per_g"]


def test_full_cell_runs_the_galvanostatic_experiments():
    first = ex.formation(FULL_CELL)
    assert first["voltage_V"].iloc[-1] == pytest.approx(4.6, abs=CUT_OFF_V)  # the set's cut-off
    rates = ex.rate_test(FULL_CELL, c_rates=(0.2, 1))
    q = rates["discharge_capacity_mAh_per_g"]
    assert q.iloc[0] > q.iloc[1] > 0


def test_full_cell_runs_the_voltammetry_and_the_titration():
    cv = ex.cyclic_voltammetry(FULL_CELL, scan_rate_mV_per_s=1.0)
    assert cv["voltage_V"].max() == pytest.approx(4.6, abs=CUT_OFF_V)
    assert (ex.cv_peaks(cv)["direction"] == "anodic").any()
    frame = ex.gitt(FULL_CELL, pulse_c_rate=0.5, pulses=3)
    assert len(detect_pulses(frame)) == 3
    assert np.all(np.diff(frame["time_s"]) > 0)


SAMPLE_RU1 = "Ru-1"


def test_the_lab_reads_the_models_oxygen_outputs_and_budget():
    """The model names its per-gram oxygen outputs itself; the lab reads them, runs its
    experiments with the cycling module's solver, and reports the model's own budget."""
    first = ex.formation(SAMPLE_RU1)
    assert first["voltage_V"].iloc[-1] == pytest.approx(4.8, abs=CUT_OFF_V)
    assert 250 < first["charge_mAh_per_g"].iloc[-1] < 450
    assert first["o2_escaped_umol_per_g"].iloc[-1] <= first["o2_released_umol_per_g"].iloc[-1]
    q = ex.rate_test(SAMPLE_RU1, c_rates=(0.2, 2))["discharge_capacity_mAh_per_g"]
    assert q.iloc[0] > q.iloc[1] > 0
    spectrum = ex.impedance(SAMPLE_RU1, voltages_V=(3.9,))
    assert (spectrum["z_real_ohm"] > 0).all() and (spectrum["z_imag_ohm"] < 0).all()
    # the model's own budget adds up to the cycler's irreversible capacity (by construction of
    # its states; 0.1 mAh/g leaves room for the double layer and the solver's tolerance)
    budget = ex.first_cycle_budget(SAMPLE_RU1).set_index("item")["mAh_per_g"]
    assert budget["irreversible (charge - discharge)"] > 0
    assert abs(budget["not explained by the above"]) < 0.1


def test_cycling_is_simulate_cycling():
    from lrmo_cell import simulate_cycling

    pd.testing.assert_frame_equal(
        ex.cycling("Ru-1", 1.0, 2), simulate_cycling("Ru-1", 1.0, 2, show_progress=False)
    )


@pytest.fixture(scope="module")
def voltammograms():
    return {rate: ex.cyclic_voltammetry("Ru-1", rate) for rate in (0.1, 1.0)}


def test_cv_anodic_sweep_draws_anodic_current_and_peaks_inside_the_window(voltammograms):
    frame = voltammograms[0.1]
    assert list(frame.columns) == ["cycle", "time_s", "voltage_V", "current_mA_per_g"]
    assert np.all(np.diff(frame["time_s"]) > 0)
    turn = int(frame["voltage_V"].idxmax())
    anodic, cathodic = frame.iloc[: turn + 1], frame.iloc[turn + 1 :]
    assert frame["voltage_V"].max() == pytest.approx(4.8, abs=CUT_OFF_V)
    assert cathodic["voltage_V"].iloc[-1] == pytest.approx(2.0, abs=CUT_OFF_V)
    # the as-made cell relaxes by a fraction of a mA/g; the sweep itself draws anodic current
    assert anodic["current_mA_per_g"].min() > -1.0
    # the charge the first anodic sweep passes is an LRMO first charge: 250-450 mAh/g
    charge = np.trapezoid(anodic["current_mA_per_g"], anodic["time_s"]) / 3600
    assert 250 < charge < 450
    # after the switch the current stays anodic while the voltage is above the reactions'
    # potentials; the cathodic sweep as a whole returns most of that charge
    back = np.trapezoid(cathodic["current_mA_per_g"], cathodic["time_s"]) / 3600
    assert -charge < back < -0.5 * charge
    peaks = ex.cv_peaks(frame)
    assert list(peaks.columns) == ["cycle", "direction", "voltage_V", "current_mA_per_g"]
    assert set(peaks["direction"]) == {"anodic", "cathodic"}
    assert peaks["voltage_V"].between(2.01, 4.79).all()
    assert (peaks["current_mA_per_g"] > 0).eq(peaks["direction"] == "anodic").all()


def test_peak_separation_grows_with_scan_rate(voltammograms):
    """The TM couple's anodic peak (the lowest) and cathodic peak (the highest) move apart when
    the sweep is ten times faster: more overpotential at more current."""

    def separation(frame):
        peaks = ex.cv_peaks(frame)
        anodic = peaks[peaks.direction == "anodic"]["voltage_V"].min()
        cathodic = peaks[peaks.direction == "cathodic"]["voltage_V"].max()
        return anodic - cathodic

    assert 0 < separation(voltammograms[0.1]) < separation(voltammograms[1.0])


def test_cv_peaks_of_a_hand_made_voltammogram():
    """Two Gaussian peaks per sweep at known voltages, on a capacitive background."""
    v_up = np.linspace(2.0, 4.8, 2801)
    v = np.r_[v_up, v_up[::-1][1:]]
    rising = np.r_[np.ones(len(v_up)), -np.ones(len(v_up) - 1)]

    def gauss(centre, height):
        return height * np.exp(-(((v - centre) / 0.05) ** 2))

    current = np.where(
        rising > 0, 5 + gauss(3.8, 100) + gauss(4.5, 60), -5 - gauss(3.7, 90) - gauss(3.3, 40)
    )
    frame = pd.DataFrame({"cycle": 1, "voltage_V": v, "current_mA_per_g": current})
    peaks = ex.cv_peaks(frame).sort_values(["direction", "voltage_V"])
    assert peaks["direction"].tolist() == ["anodic", "anodic", "cathodic", "cathodic"]
    np.testing.assert_allclose(peaks["voltage_V"], [3.8, 4.5, 3.3, 3.7], atol=1.5e-3)


@pytest.fixture(scope="module")
def ru1_gitt():
    return ex.gitt("Ru-1", pulses=5)


def test_gitt_frame_is_the_standard_measured_frame(ru1_gitt):
    frame = ru1_gitt
    standard = ["time_s", "current_A", "voltage_V", "step", "cycle"]
    # the standard columns a cycler's file has, then the model's Li of each couple's hosts
    assert list(frame.columns) == [*standard, "tm_couple_li_mol", "oxygen_couple_li_mol"]
    pd.testing.assert_frame_equal(check_timeseries(frame), frame[standard])
    check_sign_convention(frame)  # discharge-positive: a charge pulse raises the voltage
    pulses = detect_pulses(frame)
    assert len(pulses) == 5
    expected_A = -0.05 * 0.25 * _mass_g("Ru-1")  # 0.05C of 250 mA/g, charge negative
    np.testing.assert_allclose(pulses["current_A"], expected_A, rtol=1e-6)
    np.testing.assert_allclose(pulses["pulse_time_s"], 600, atol=1e-6)


def test_gitt_relaxes_after_each_charge_pulse(ru1_gitt):
    table = ex.gitt_table(ru1_gitt, lab.particle_radius_m(lab.parameter_values("Ru-1")))
    assert list(table.columns[:3]) == ["voltage_V", "overpotential_V", "diffusivity_m2_per_s"]
    assert (table["overpotential_V"] > 0).all()
    assert np.all(np.diff(table["voltage_V"]) > 0)  # each charge pulse leaves a higher OCV
    assert (table["diffusivity_m2_per_s"] > 0).all()
    frame = ru1_gitt
    for pulse in detect_pulses(frame).itertuples():
        rest = frame["voltage_V"].iloc[pulse.i_end + 1 : pulse.i_relaxed + 1].to_numpy()
        assert rest[-1] < frame["voltage_V"].iloc[pulse.i_end]
        # falls towards the OCV, never back up by more than 10 uV (a tenth of a cycler's
        # resolution; the solver's relative tolerance on 4 V is 0.4 mV)
        assert np.all(np.diff(rest) <= 1e-5)


def test_gitt_pulses_draw_on_the_tm_couple_first_and_on_the_oxygen_couple_on_the_plateau():
    """The as-made first charge empties the TM couple (OCP up to ~4.1 V here) before the oxygen
    couple's activation plateau: the pulses' oxygen-couple share goes from nil to nearly all,
    once, and Li is conserved between the couples (shares within [0, 1]); a cycler's frame,
    without the model's columns, gets no share."""
    values = lab.parameter_values("Ru-1")
    frame = ex.gitt("Ru-1", pulse_c_rate=0.2, pulse_s=1800, rest_s=600)
    table = ex.gitt_table(frame, lab.particle_radius_m(values))
    share = table["oxygen_couple_share"].to_numpy()
    assert share[0] < 0.01 and share[-1] > 0.9
    assert np.all((share > -1e-6) & (share < 1 + 1e-6))
    assert np.count_nonzero(np.diff(share > 0.5)) == 1
    standard = check_timeseries(frame)
    assert "oxygen_couple_share" not in ex.gitt_table(standard, lab.particle_radius_m(values))


def test_gitt_table_gives_back_the_diffusivity_of_an_ideal_pulse():
    """An ideal semi-infinite pulse by hand: rest at E0, a 50 mV IR step, then
    E = E0 + IR + k sqrt(t) for tau, then a rest at E0 + dEs. Weppner-Huggins (spheres, L = R/3)
    returns D = 4/(pi tau) (R/3)^2 (dEs/dEt)^2 with dEt = k sqrt(tau): choose dEs from D."""
    radius, tau, d_true, slope = 2.5e-7, 600.0, 3e-16, 2e-4  # m, s, m2/s, V/sqrt(s)
    d_et = slope * np.sqrt(tau)
    d_es = d_et * np.sqrt(d_true * np.pi * tau / 4) / (radius / 3)
    t = np.arange(0.0, 600 + tau + 1800 + 1, 10.0)
    on = (t > 600) & (t <= 600 + tau)
    e0 = 3.7
    v = np.where(t <= 600, e0, e0 + d_es)
    v = np.where(on, e0 + 0.05 + slope * np.sqrt(np.clip(t - 600, 0, None)), v)
    frame = pd.DataFrame({"time_s": t, "current_A": np.where(on, -1e-4, 0.0), "voltage_V": v})
    table = ex.gitt_table(frame, radius)
    assert len(table) == 1
    assert table["diffusivity_m2_per_s"].iloc[0] == pytest.approx(d_true, rel=1e-3)
    assert table["voltage_V"].iloc[0] == pytest.approx(e0 + d_es)
    assert table["overpotential_V"].iloc[0] == pytest.approx(0.05 + d_et - d_es)


def test_gitt_until_the_voltage_limit_ends_on_that_pulse():
    frame = ex.gitt("Ru-1", pulse_c_rate=1.0, pulse_s=900, rest_s=900)
    pulses = detect_pulses(frame)
    last = frame["voltage_V"].iloc[pulses["i_end"].iloc[-1]]
    assert last == pytest.approx(4.8, abs=CUT_OFF_V)
    assert (frame["voltage_V"].iloc[pulses["i_end"].iloc[:-1]] < 4.8 - 1e-3).all()


@pytest.fixture(scope="module")
def ru1_spectra():
    return ex.impedance("Ru-1", voltages_V=(3.9, 4.3))


def test_impedance_spectra_are_passive_arcs(ru1_spectra):
    frame = ru1_spectra
    assert list(frame.columns[:5]) == [
        "voltage_V",
        "direction",
        "frequency_Hz",
        "z_real_ohm",
        "z_imag_ohm",
    ]
    assert frame["direction"].eq("charge").all()
    assert sorted(frame["voltage_V"].unique()) == [3.9, 4.3]
    assert (frame["z_real_ohm"] > 0).all() and (frame["z_imag_ohm"] < 0).all()
    # the series (electrolyte, Li metal) resistance does not depend on the cathode's state
    high = frame[frame["frequency_Hz"] == frame["frequency_Hz"].max()]["z_real_ohm"]
    assert high.max() / high.min() < 1.05
    # the rest after the charge lets the voltage fall back below where the current stopped
    rest = frame.groupby("voltage_V")["rest_voltage_V"].first()
    assert (rest < rest.index).all()


@pytest.mark.parametrize("sample", ["pristine", "Ru-1"])
def test_in_situ_charge_transfer_on_the_plateau_is_the_tafel_resistance(sample):
    """At 4.5 V on the first charge 99.5 % of the current goes into the activation of the
    oxygen couple's unactivated sites, a one-way reaction (no back term). Its current then
    grows as exp(F eta / 2RT) for symmetric (alpha = 1/2) kinetics at any overpotential, so
    under the 0.1C current its differential resistance is 2RT / (F |I|) for the whole
    electrode, whatever its rate constant and area: pristine and Ru-1, whose oxygen couples
    differ by their RuO2 catalysis and Li-O-Li activity, must both show it within 5 %
    (measured +1.4 % and +1.8 %: the linearisation itself gives +0.5 %, from the 0.5 % of the
    current in other paths and the double layer, and the DRT fit the rest; on a grid from
    10 mHz the fit gives +3.3 %). At rest the same state has almost no exchange current: no
    charge-transfer peak in the study's 1e-2-10 s window."""
    in_situ = ex.impedance(sample, voltages_V=(4.5,), in_situ=True)
    current = in_situ["current_A"].iloc[0]
    assert current < 0  # a charge, PyBaMM's sign
    np.testing.assert_allclose(in_situ["rest_voltage_V"], 4.5, atol=1e-3)  # no rest
    peaks = ex.impedance_drt(in_situ)
    charge_transfer = peaks[peaks["process"] == "charge_transfer"]["resistance_ohm"].sum()
    tafel = 2 * 8.314462618 * 298.15 / (96485.33212 * abs(current))
    assert charge_transfer == pytest.approx(tafel, rel=0.05)
    at_rest = ex.impedance_drt(ex.impedance(sample, voltages_V=(4.5,)))
    assert not (at_rest["process"] == "charge_transfer").any()


def _drt_at_3p9_v(spectra):
    peaks = ex.impedance_drt(spectra[spectra["voltage_V"] == 3.9])
    assert list(peaks.columns[:5]) == [
        "voltage_V",
        "direction",
        "tau_s",
        "process",
        "resistance_ohm",
    ]
    return peaks


@pytest.mark.parametrize(
    ("process", "window"),
    [
        ("charge_transfer", (1e-2, 10)),
        pytest.param(
            "diffusion",
            (10, 100),
            marks=pytest.mark.xfail(
                strict=True,
                reason="model defect: at 3.9 V on the first charge the model's spectrum shows "
                "almost no solid-diffusion resistance (Z' rises by 0.14 ohm from 10 mHz to "
                "1 mHz) before it turns capacitive (the particles' intercalation capacitance, "
                "-Z'' ~ 1/f); the DRT's slow peak near 1e3 s is that capacitance at the end of "
                "its grid, not a process: it moves with the lowest frequency (101 s at 10 mHz, "
                "992 s at 1 mHz, 1.0e4 s at 0.1 mHz)",
            ),
        ),
    ],
)
def test_drt_of_the_model_spectrum_shows_the_studys_processes(ru1_spectra, process, window):
    """In the TM region (3.9 V on charge) the DRT shows a peak in each of the study's windows:
    charge transfer (1e-2-10 s) and solid-state diffusion (10-100 s)."""
    peaks = _drt_at_3p9_v(ru1_spectra)
    found = peaks[peaks["process"] == process]
    low, high = window
    assert len(found) >= 1 and found["tau_s"].between(low, high).all()
    assert (found["resistance_ohm"] > 0).all()


def test_impedance_on_discharge_and_in_the_full_cell():
    down = ex.impedance("Ru-1", voltages_V=(3.6, 4.0), direction="discharge")
    assert down["voltage_V"].unique().tolist() == [4.0, 3.6]  # in the order the cell meets them
    assert (down["z_real_ohm"] > 0).all()
    full = ex.impedance(FULL_CELL, voltages_V=(3.8,))
    assert (full["z_real_ohm"] > 0).all() and (full["z_imag_ohm"] < 0).all()


@pytest.mark.parametrize(
    ("call", "option"),
    [
        (lambda: ex.formation("Ru-1", c_rate=0), "c_rate"),
        (lambda: ex.formation("Ru-9"), "sample"),
        (lambda: ex.rate_test("Ru-1", c_rates=(1, -2)), "c_rates"),
        (lambda: ex.cyclic_voltammetry("Ru-1", scan_rate_mV_per_s=500), "scan_rate_mV_per_s"),
        (lambda: ex.cyclic_voltammetry("Ru-1", v_min=4.0, v_max=3.0), "v_min"),
        (lambda: ex.gitt("Ru-1", direction="sideways"), "direction"),
        (lambda: ex.gitt("Ru-1", pulses=0), "pulses"),
        (lambda: ex.impedance("Ru-1", voltages_V=(2.5,)), "voltages_V"),
        (lambda: ex.impedance("Ru-1", frequencies_Hz=[1, 2]), "frequencies_Hz"),
        (lambda: ex.first_cycle_budget(FULL_CELL), "half-cell"),
    ],
)
def test_bad_options_are_one_sentence_naming_the_option(call, option):
    with pytest.raises(InputError, match=option) as error:
        call()
    assert "\n" not in str(error.value)
