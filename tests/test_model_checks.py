"""Numerical checks of the LRMO model: mesh convergence of the new quantities and impedance."""

import numpy as np
import pybamm

from lrmo_cell.models import LRMO
from lrmo_cell.models.cycling import VAR_PTS, run_experiment, summarise_cycles
from lrmo_cell.parameters import load_parameter_set


def _values(sample):
    return pybamm.ParameterValues(load_parameter_set(sample))


def test_formation_cycle_converges_with_the_mesh():
    """PyBaMM-style refinement: the default coarse mesh (``VAR_PTS``), twice and four times as
    many points. The first-cycle capacity, ICE and released oxygen must change less from the
    2x to the 4x mesh than from 1x to 4x (unless both are at the floor set by the solver's
    relative tolerance, 1e-6: we allow ten times that), and the default mesh must be within 1% of
    the finest (the calibration table's tolerances are three times coarser)."""
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
        solver_floor = 1e-5 * abs(fine)
        assert error_2 <= max(error_1, solver_floor), column
        assert error_1 <= 0.01 * abs(fine), column


def _impedance(values, frequencies_Hz):
    model = LRMO({"working electrode": "positive"})
    return pybamm.EISSimulation(model, parameter_values=values).solve(frequencies_Hz).impedance


def test_impedance_is_passive_and_grows_with_the_densified_film():
    """EIS of the as-made Ru-1 half cell through pybamm.EISSimulation. A passive electrode has
    Re Z > 0 and a capacitive response (-Im Z > 0). A film resistance R_f [Ohm.m2] on the particle
    surface adds at most R_f / (a L A) to Re Z (a series resistance inside a passive network
    cannot add more than itself), adds something at every frequency below the arc, and, the model
    being linearised, adds exactly twice as much for twice the film."""
    base = _values("Ru-1")
    frequencies = np.logspace(-4, 3, 15)
    a = (
        3
        * base["Positive electrode active material volume fraction"]
        / base["Positive particle radius [m]"]
    )
    area = base["Electrode height [m]"] * base["Electrode width [m]"]
    series_ohm_per_ohm_m2 = 1 / (a * base["Positive electrode thickness [m]"] * area)

    z = {}
    for r_film in (0.0, 0.01, 0.02):
        values = base.copy()
        values["Initial positive film resistance [Ohm.m2]"] = r_film
        z[r_film] = _impedance(values, frequencies)
    assert np.all(z[0.0].real > 0)
    assert np.all(-z[0.0].imag > 0)
    added = z[0.01].real - z[0.0].real
    low = frequencies < 1e-2
    assert np.all(added[low] > 0)
    assert np.all(added <= 0.01 * series_ohm_per_ohm_m2 * (1 + 1e-6))
    np.testing.assert_allclose(z[0.02].real - z[0.0].real, 2 * added, rtol=1e-3, atol=1e-9)
