"""The fresh graphite's SEI formation on its first lithiation (lrmo_cell.models.lrmo.formation),
in the Ru-1 || graphite full cell: a fixed share of Li taken once, during the first charge,
whatever its assumed rate, and nothing at rest or in later cycles."""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from lrmo_cell.models.cycling import cycling_parameter_values, model_for, run_cycling

FULL = "LRMO_Sun2025_Ru1_graphite"
FORMATION = "Loss of lithium to graphite formation SEI [mol]"
UNTAKEN = "Graphite formation SEI untaken share"
RATE = "Graphite formation SEI rate constant at onset [s-1]"
FARADAY = pybamm.constants.F.value


def _run(cycles, **kwargs):
    return run_cycling(FULL, 1 / 3, cycles, v_max=4.6, show_progress=False, **kwargs)


def _graphite_irreversible_lithium(parameter_values) -> float:
    """What a graphite of first-cycle efficiency ICE keeps of its first lithiation: (1/ICE - 1)
    of its Li capacity [mol]."""
    p = parameter_values
    capacity = (
        p["Negative electrode active material volume fraction"]
        * p["Maximum concentration in negative electrode [mol.m-3]"]
        * p["Negative electrode thickness [m]"]
        * p["Electrode height [m]"]
        * p["Electrode width [m]"]
    )
    return (1 / p["Negative electrode first-cycle Coulombic efficiency"] - 1) * capacity


@pytest.fixture(scope="module")
def formed():
    return _run(2)


@pytest.mark.parametrize("formation_c_rate", [0.1, 1.0])
def test_the_first_charge_takes_the_graphites_irreversible_share_and_no_cycle_after_it(
    formed, formation_c_rate
):
    _, solution, parameter_values = (
        formed if formation_c_rate == 0.1 else _run(1, formation_c_rate=1.0)
    )
    expected = _graphite_irreversible_lithium(parameter_values)
    first_charge = solution.cycles[0].steps[0]
    # taken within the solver's absolute tolerance on the untaken share (1e-6), the one-way
    # reaction stopping where the solver leaves it a hair below zero (measured: -2.6e-6 at
    # 0.1C, -6.6e-6 at 1C; -7e-6 at most later)
    assert first_charge[FORMATION].entries[-1] == pytest.approx(expected, rel=2e-5)
    assert solution[UNTAKEN].entries.min() > -2e-5
    later = solution[FORMATION].entries[-1] - first_charge[FORMATION].entries[-1]
    assert abs(later) < 1e-9 * expected


def test_the_graphite_gains_the_charge_passed_less_what_its_side_reactions_took(formed):
    """Coulomb count over the first charge: the graphite's Li gain is the charge passed (PyBaMM's
    current integral) less the formation, the SEI growth, the O2 crossover, the electrolyte's
    oxidation products reduced there and its double layer's charge (measured: 1e-13 of the
    charge passed left over). The formation is (1/0.92 - 1) x N/P 1.10 x 307 mAh/g = 29.4 of the
    ~321 mAh/g charged, 9.2 % of it, so a full cell's first discharge returns no more than the
    graphite then holds (285.3 against 291.7 mAh/g)."""
    frame, solution, p = formed
    charge = solution.cycles[0].steps[0]

    def change(name):
        values = charge[name].entries
        return values[-1] - values[0]

    passed = -change("Discharge capacity [A.h]") * 3600 / FARADAY
    surface = (
        3
        * p["Negative electrode active material volume fraction"]
        / p["Negative particle radius [m]"]
        * p["Negative electrode thickness [m]"]
        * p["Electrode height [m]"]
        * p["Electrode width [m]"]
    )
    double_layer = (
        p["Negative electrode double-layer capacity [F.m-2]"]
        * surface
        * change("X-averaged negative electrode surface potential difference [V]")
        / FARADAY
    )
    side = sum(
        change(name)
        for name in (
            FORMATION,
            "Loss of lithium to negative SEI [mol]",
            "Loss of lithium to oxygen crossover [mol]",
            "Charge to electrolyte oxidation [mol]",
        )
    )
    gain = change("Total lithium in negative electrode [mol]")
    # the double layer's potential fell: it took electrons no Li came with
    assert gain == pytest.approx(passed - side + double_layer, rel=1e-9)
    assert 0.088 < change(FORMATION) / passed < 0.096
    mass_g = solution["Active powder mass [g]"].entries[0]
    held_mah_per_g = charge["Total lithium in negative electrode [mol]"].entries[-1] * FARADAY
    held_mah_per_g /= 3.6 * mass_g
    assert frame["discharge_capacity_mAh_per_g"].iloc[0] < held_mah_per_g


@pytest.mark.parametrize("factor", [0.1, 10.0])
def test_how_much_li_the_formation_takes_does_not_depend_on_its_assumed_rate(formed, factor):
    frame, solution, parameter_values = formed
    other, other_solution, _ = _run(0, parameter_overrides={RATE: factor * parameter_values[RATE]})
    # measured: under 3e-6 of the Li taken and of the capacities
    assert other_solution[FORMATION].entries[-1] == pytest.approx(
        solution.cycles[0][FORMATION].entries[-1], rel=2e-5
    )
    for column in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        assert other[column].iloc[0] == pytest.approx(frame[column].iloc[0], rel=1e-4)


def test_the_dfn_takes_what_the_spme_takes(formed):
    # the inventory is fixed, so where in the graphite the film forms does not change it
    frame, solution, _ = formed
    dfn, dfn_solution, _ = _run(0, base="DFN")
    assert dfn_solution[FORMATION].entries[-1] == pytest.approx(
        solution.cycles[0][FORMATION].entries[-1], rel=2e-5
    )
    # measured: 4e-6 of the first discharge
    assert dfn["discharge_capacity_mAh_per_g"].iloc[0] == pytest.approx(
        frame["discharge_capacity_mAh_per_g"].iloc[0], rel=1e-4
    )


def test_the_as_made_full_cell_forms_no_sei_at_rest():
    # fresh graphite sits at 2.3 V vs Li, 1.5 V above the onset, where the rate is e^-29 of its
    # value there: a 10 h rest takes 5e-13 of the inventory, at 8e-15 A/m2
    parameter_values = cycling_parameter_values(FULL, "SPMe", None)
    simulation = pybamm.Simulation(
        model_for(parameter_values),
        parameter_values=parameter_values,
        experiment=pybamm.Experiment(["Rest for 10 hours"]),
    )
    solution = simulation.solve()
    taken = solution[FORMATION].entries[-1]
    assert abs(taken) < 1e-11 * _graphite_irreversible_lithium(parameter_values)
    current = solution[
        "X-averaged negative electrode formation SEI interfacial current density [A.m-2]"
    ].entries
    assert np.max(np.abs(current)) < 1e-13


def test_a_formed_graphite_and_a_half_cell_have_no_formation():
    parameter_values = cycling_parameter_values(FULL, "SPMe", None)
    model = model_for(parameter_values, model_options={"LRMO graphite formation": "none"})
    assert FORMATION not in model.variables
    with pytest.raises(pybamm.OptionError, match="LRMO graphite formation"):
        model_for(
            cycling_parameter_values("LRMO_Sun2025_Ru1", "SPMe", None),
            model_options={"LRMO graphite formation": "first lithiation"},
        )
