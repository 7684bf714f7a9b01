"""Numerical checks of the LRMO model: mesh convergence, solver tolerances, impedance, and its
registration with PyBaMM and pybamm-model-zoo."""

import numpy as np
import pybamm
import pytest

from lrmo_cell.errors import InputError
from lrmo_cell.models import LRMO, cycling
from lrmo_cell.models.cycling import (
    TIGHT_ATOL,
    TIGHT_RTOL,
    VAR_PTS,
    WORKING_RTOL,
    run_cycling,
    run_experiment,
    summarise_cycles,
)
from lrmo_cell.parameters import load_parameter_set


def _values(sample):
    return pybamm.ParameterValues(load_parameter_set(sample))


def test_formation_cycle_converges_with_the_mesh():
    """PyBaMM-style refinement: the default coarse mesh (``VAR_PTS``), twice and four times as
    many points. The first-cycle capacity, ICE and released oxygen must change less from the
    2x to the 4x mesh than from 1x to 4x (unless both are at the floor set by the solver's
    relative tolerance: we allow ten times that), and the default mesh must be within 1% of the
    finest (the calibration table's tolerances are three times coarser)."""
    values = _values("pristine")
    rows = {}
    for factor in (1, 2, 4):
        var_pts = {k: n * factor for k, n in VAR_PTS.items()}
        solution, rates = run_experiment(values, [(0.1, 1)], var_pts=var_pts)
        rows[factor] = summarise_cycles(solution, rates, values).iloc[0]
    for column in (
        "discharge_capacity_mAh_per_g",
        "coulombic_efficiency",
        "oxygen_released_umol_per_g",
    ):
        fine = rows[4][column]
        error_1 = abs(rows[1][column] - fine)
        error_2 = abs(rows[2][column] - fine)
        solver_floor = 10 * WORKING_RTOL * abs(fine)
        assert error_2 <= max(error_1, solver_floor), column
        assert error_1 <= 0.01 * abs(fine), column


@pytest.mark.parametrize("sample", ["Ru-1", "pristine"])
def test_working_tolerances_agree_with_tight_ones(sample):
    """The default solver's working tolerances must not move what the study compares: formation
    and 20 cycles at 1C, cycle by cycle, against IDAKLU at 1e-6 / 1e-8. The bounds are a
    hundredth of the calibration table's (3 % of ~260 mAh/g is 8 mAh/g) and a millivolt; the O2
    released within 0.5 umol/g, 0.25 % of the first charge's ~200 umol/g, below DEMS resolution."""
    values = _values(sample)
    protocol = [(0.1, 1), (1.0, 20)]
    working = summarise_cycles(*run_experiment(values, protocol), values)
    tight_solver = pybamm.IDAKLUSolver(rtol=TIGHT_RTOL, atol=TIGHT_ATOL)
    tight = summarise_cycles(*run_experiment(values, protocol, solver=tight_solver), values)
    assert len(working) == len(tight) == 21
    for column, bound in (
        ("charge_capacity_mAh_per_g", 0.08),
        ("discharge_capacity_mAh_per_g", 0.08),
        ("mean_discharge_voltage_V", 1e-3),
        ("oxygen_released_umol_per_g", 0.5),
    ):
        np.testing.assert_allclose(working[column], tight[column], rtol=0, atol=bound)


def test_the_compiled_model_gives_the_same_cycles(tmp_path, monkeypatch):
    """``compiled=True`` evaluates the same equations through C code that gcc builds (PyBaMM's
    IDAKLU "compile" option) instead of CasADi's virtual machine: only rounding differs, which
    moves the adaptive steps, far less than the tolerances do, so ten 1C cycles must agree to a
    tenth of the bounds of the test above (measured: 1.5e-3 mAh/g, 1e-5 V, 8e-4 umol/g; the
    capacities in the formation cycle, whose activation plateau is where a moved step shows
    most; 2.4e-6 mAh/g on the sets before the layer's composition was corrected), and the build
    must really have happened (PyBaMM falls back to the virtual machine with
    only a log line if the compiler fails)."""
    monkeypatch.setenv("PYBAMM_CASADI_AOT_CACHE", str(tmp_path))
    protocol = {"sample": "Ru-1", "c_rate": 1.0, "cycles": 10}
    compiled, *_ = run_cycling(**protocol, compiled=True)
    assert list(tmp_path.glob("*.so"))
    interpreted, *_ = run_cycling(**protocol)
    assert len(compiled) == len(interpreted) == 11
    for column, bound in (
        ("charge_capacity_mAh_per_g", 8e-3),
        ("discharge_capacity_mAh_per_g", 8e-3),
        ("mean_discharge_voltage_V", 1e-4),
        ("oxygen_released_umol_per_g", 5e-2),
    ):
        np.testing.assert_allclose(compiled[column], interpreted[column], rtol=0, atol=bound)


def test_compiled_without_a_compiler_is_refused(monkeypatch):
    # PyBaMM would fall back to the virtual machine with only a log line, 4.5 times slower
    monkeypatch.setattr(cycling.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="compiled=True needs the C compiler gcc on PATH"):
        cycling.working_solver(compiled=True)
    assert cycling.working_solver() is not None  # the interpreted solver needs none


def _impedance(values, frequencies_Hz):
    model = LRMO({"working electrode": "positive"})
    return pybamm.EISSimulation(model, parameter_values=values).solve(frequencies_Hz).impedance


def _interface_m2(values) -> float:
    """Particle surface [m2] of both couples in the electrode (spheres of one radius)."""
    eps = sum(
        values.evaluate(values[f"{p}: Positive electrode active material volume fraction"](0, 0, 0))
        for p in ("Primary", "Secondary")
    )
    a = 3 * eps / values["Primary: Positive particle radius [m]"]
    area = values["Electrode height [m]"] * values["Electrode width [m]"]
    return a * values["Positive electrode thickness [m]"] * area


def test_impedance_is_passive_and_grows_with_the_densified_film():
    """EIS of the as-made Ru-1 half cell through pybamm.EISSimulation. A passive electrode has
    Re Z > 0 and a capacitive response (-Im Z > 0). A film resistance R_f [Ohm.m2] on the particle
    surface adds at most R_f / (a L A) to Re Z (a series resistance inside a passive network
    cannot add more than itself), adds something at every frequency below the arc, and, the model
    being linearised, adds exactly twice as much for twice the film."""
    base = _values("Ru-1")
    frequencies = np.logspace(-4, 3, 15)
    series_ohm_per_ohm_m2 = 1 / _interface_m2(base)

    z = {}
    for r_film in (0.0, 0.01, 0.02):
        values = base.copy()
        values["Initial positive film resistance [Ohm.m2]"] = r_film
        z[r_film] = _impedance(values, frequencies)
    assert np.all(z[0.0].real > 0)
    assert np.all(-z[0.0].imag > 0)
    # A finite particle is a blocking electrode at low frequency: a capacitor, -Im Z = 1/(w C),
    # so over the lowest half decade -Im Z rises by sqrt(10); the as-made oxygen couple's
    # one-way activation reaction leaves a small DC leak in parallel, which keeps the rise 11%
    # short of it at 1e-4 Hz and still 10% short at 1e-6 Hz: 15% allowed, and the rise must be
    # more than a Warburg tail's 10**0.25.
    ratio = z[0.0].imag[0] / z[0.0].imag[1]
    np.testing.assert_allclose(ratio, np.sqrt(10), rtol=0.15)
    assert ratio > 10**0.25
    added = z[0.01].real - z[0.0].real
    low = frequencies < 1e-2
    assert np.all(added[low] > 0)
    assert np.all(added <= 0.01 * series_ohm_per_ohm_m2 * (1 + 1e-6))
    # a series film adds linearly: met to 5e-7
    np.testing.assert_allclose(z[0.02].real - z[0.0].real, 2 * added, rtol=1e-5, atol=1e-9)


def test_charge_transfer_arc_is_rt_over_f_i0_a():
    """The charge-transfer arc of a pristine half cell at rest half way through the TM redox
    (oxygen couple's rate constant zero, no film) is a parallel R_ct C_dl with R_ct = R T / (F j0
    A_TM), A_TM the TM couple's particle surface, j0 = k (1/2)^w at half occupancy (mass action
    with alpha = 1/2, which Marcus-Hush-Chidsey rates equal at small overpotential), and C_dl =
    c_dl A with A both couples' surface: the top of the arc has -Im Z = R_ct / 2 at
    f = 1 / (2 pi R_ct C_dl). The Li-metal arc (kHz) and the diffusion tail (mHz) lie two decades
    or more away, so each adds at most a few percent at the top; 3% on the height and the grid
    spacing (10 points per decade) on the frequency."""
    values = _values("pristine")
    c_max = values["Primary: Maximum concentration in positive electrode [mol.m-3]"]
    values.update(
        {
            "Secondary: Positive electrode reaction rate constant [A.m-2]": 0.0,
            "Primary: Initial concentration in positive electrode [mol.m-3]": 0.5 * c_max,
        }
    )
    eps_tm = values.evaluate(
        values["Primary: Positive electrode active material volume fraction"](0, 0, 0)
    )
    eps_o = values.evaluate(
        values["Secondary: Positive electrode active material volume fraction"](0, 0, 0)
    )
    interface_m2 = _interface_m2(values)
    tm_interface_m2 = interface_m2 * eps_tm / (eps_tm + eps_o)
    k = values["Primary: Positive electrode reaction rate constant [A.m-2]"]
    w = values["Primary: Positive electrode non-ideality factor"]
    j0 = k * 0.5**w
    T = values["Ambient temperature [K]"]
    r_ct = pybamm.constants.R.value * T / (pybamm.constants.F.value * j0 * tm_interface_m2)
    c_dl = values["Positive electrode double-layer capacity [F.m-2]"] * interface_m2

    frequencies = np.logspace(-1, 3, 41)
    minus_imag = -_impedance(values, frequencies).imag
    top = np.argmax(minus_imag)
    np.testing.assert_allclose(minus_imag[top], r_ct / 2, rtol=0.03)
    f_top = 1 / (2 * np.pi * r_ct * c_dl)
    assert abs(np.log10(frequencies[top] / f_top)) <= 0.1


# --- pybamm-model-zoo portable contract, as a user's zoo install finds it -------------------
# lrmo_cell/zoo/lrmo/tests runs the contract on the manifest's class from its folder; here the
# zoo's own registry must discover the entry through our ``pybamm_zoo_models`` entry point, and
# the two variants the manifest does not name (SPM, DFN) must pass the same checks.


def _registered_entry():
    from pybamm_model_zoo._registry import Registry

    return Registry(paths=[]).by_slug("lrmo")


def test_zoo_registry_discovers_the_entry_point():
    """The installed zoo finds the LRMO entry via its entry point and credits this package."""
    entry = _registered_entry()
    assert entry.external
    assert entry.load().__module__ == "lrmo_cell.models.lrmo.model"


def test_models_and_sets_are_registered_by_entry_point():
    """PyBaMM's registries see every parameter set by name, and the three model variants."""
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="pybamm_models")}
    assert {"LRMO", "LRMO_SPM", "LRMO_DFN"} <= names
    for sample in ("pristine", "Ru0p5", "Ru1", "Ru3", "Ru1_graphite"):
        values = pybamm.ParameterValues(f"LRMO_Sun2025_{sample}")
        assert values["Primary: Positive particle radius [m]"] > 0


@pytest.mark.parametrize("variant", ["LRMOSPM", "LRMODFN"])
def test_zoo_portable_contract_for_other_variants(variant):
    """Every MODEL-scope check of pybamm-model-zoo (manifest, layout, import, citation,
    well-posedness, build, one-hour solve with finite key variables) on the SPM and DFN
    variants, using the registered manifest with only its class swapped."""
    import dataclasses

    from pybamm_model_zoo.testing.contract import MODEL, checks_in_scope

    entry = _registered_entry()
    raw = {
        **entry.raw,
        "model": {**entry.raw["model"], "class": f"lrmo_cell.models.lrmo:{variant}"},
    }
    variant_entry = dataclasses.replace(entry, raw=raw)
    for check in checks_in_scope(MODEL):
        check.run(variant_entry)
