"""Adaptive inter-cycle extrapolation (lrmo_cell.models.extrapolation) against the full run.

The issue's claim is checked at full length by benchmarks/bench_extrapolation.py (1000 cycles,
within 1 %); here a short run of pristine and of Ru-1 must track the full simulation: retention
and mean discharge voltage at every 20th cycle within ``RELATIVE_ERROR``.
"""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from lrmo_cell.cli import main
from lrmo_cell.errors import InputError
from lrmo_cell.models.cycling import (
    WORKING_RTOL,
    cycling_parameter_values,
    simulate_cycling,
)
from lrmo_cell.models.extrapolation import (
    CONTROLLED,
    LEAD_CYCLES,
    _Slope,
    _slow_states,
    _Stepper,
    _Trend,
)

CYCLES = 60
# the issue asks for 1 % over 1000 cycles; over 60 cycles the method meets it with a margin
RELATIVE_ERROR = 0.005


@pytest.fixture(scope="module", params=["LRMO_Sun2025_pristine", "LRMO_Sun2025_Ru1"])
def runs(request):
    full = simulate_cycling(request.param, 1.0, CYCLES, show_progress=False)
    fast = simulate_cycling(request.param, 1.0, CYCLES, extrapolate=True)
    return full, fast


def test_every_cycle_has_a_row_numbered_in_order(runs):
    full, fast = runs
    assert fast["cycle"].tolist() == full["cycle"].tolist() == list(range(1, CYCLES + 2))
    # the run jumps: most cycles are interpolated, and the last is simulated in full
    assert fast["extrapolated"].sum() > CYCLES / 2
    assert not fast["extrapolated"].iloc[-1]


def test_cycles_before_the_first_jump_are_the_full_simulation(runs):
    full, fast = runs
    lead = slice(0, 1 + LEAD_CYCLES)  # formation and the lead cycles, run by the same code
    assert not fast["extrapolated"].iloc[lead].any()
    np.testing.assert_allclose(
        fast["discharge_capacity_mAh_per_g"].iloc[lead],
        full["discharge_capacity_mAh_per_g"].iloc[lead],
        rtol=1e-9,
    )


def test_retention_and_mean_voltage_track_the_full_run(runs):
    full, fast = runs
    rows = list(range(20, CYCLES + 1, 20))  # row k is the k-th cycle after formation

    def retention(frame):
        q = frame["discharge_capacity_mAh_per_g"].to_numpy()
        return q[rows] / q[1]

    np.testing.assert_allclose(retention(fast), retention(full), rtol=RELATIVE_ERROR)
    np.testing.assert_allclose(
        fast["mean_discharge_voltage_V"].to_numpy()[rows],
        full["mean_discharge_voltage_V"].to_numpy()[rows],
        rtol=RELATIVE_ERROR,
    )


FULL_CELL_CYCLES = 300


@pytest.fixture(scope="module")
def full_cell_runs():
    kwargs = {"formation_cycles": 1, "v_max": 4.6}
    name = "LRMO_Sun2025_Ru1_graphite"
    full = simulate_cycling(name, 1 / 3, FULL_CELL_CYCLES, show_progress=False, **kwargs)
    fast = simulate_cycling(name, 1 / 3, FULL_CELL_CYCLES, extrapolate=True, **kwargs)
    return full, fast


def test_the_full_cells_fade_knee_is_followed(full_cell_runs):
    """The full cell's graphite loses Li to its SEIs every cycle, and the fade speeds up as the
    deposited Mn grows: the jumps must carry that Li loss (held, they kept the capacity flat and
    missed it by 0.32 % at 300 cycles, 3 % at 450, before the graphite's formation took its
    Li reserve). Retention at every 50th C/3 cycle within 0.2 % (measured: 0.10 %)."""
    full, fast = full_cell_runs
    rows = list(range(50, FULL_CELL_CYCLES + 1, 50))

    def retention(frame):
        q = frame["discharge_capacity_mAh_per_g"].to_numpy()
        return q[rows] / q[1]

    knee = retention(full)
    # the loss over the last 100 cycles is more than 1.3 times that over the first 100 (1.6;
    # 2.4 while the Mn-catalysed SEI made no film that slowed the solvent-limited SEI)
    assert 1 - knee[-1] / knee[-3] > 1.3 * (1 - knee[1])
    assert (~fast["extrapolated"]).sum() < FULL_CELL_CYCLES / 5
    np.testing.assert_allclose(retention(fast), knee, rtol=0.002)


def test_no_rows_coulombic_efficiency_is_above_one(full_cell_runs):
    """A full cell at C/3 loses 1e-5 to 8e-5 of its charge per cycle to its side reactions (full
    run, cycles 3-301), and no row may show it gaining charge. The first cycle after a jump
    starts from held fast states and its charge settles them: its CE was off by up to 3e-3,
    above 1, and the rows interpolated towards it shared that. Every row after formation below
    1 and within 1e-4 of the full run's (measured: 1.9e-5)."""
    full, fast = full_cell_runs
    after_formation = slice(2, None)
    ce = fast["coulombic_efficiency"].to_numpy()[after_formation]
    ce_full = full["coulombic_efficiency"].to_numpy()[after_formation]
    assert np.max(1 - ce_full) > 5e-5  # the side reactions are there to be followed
    assert np.all(ce < 1)
    np.testing.assert_allclose(ce, ce_full, rtol=0, atol=1e-4)


def test_simulate_json_keeps_its_keys_and_marks_extrapolated_cycles(capsys):
    assert main(["simulate", "Ru-1", "--cycles", "12", "--extrapolate", "--json"]) == 0
    cycles = json.loads(capsys.readouterr().out)["cycles"]
    assert [c["cycle"] for c in cycles] == list(range(1, 14))
    assert all(isinstance(c["extrapolated"], bool) for c in cycles)
    assert any(c["extrapolated"] for c in cycles)
    # an interpolated row lies between the simulated rows around it
    q = [c["discharge_capacity_mAh_per_g"] for c in cycles]
    for i, c in enumerate(cycles[1:-1], start=1):
        if c["extrapolated"]:
            assert min(q[i - 1], q[i + 1]) <= q[i] <= max(q[i - 1], q[i + 1])


@pytest.mark.parametrize(
    ("options", "field"),
    [({"tolerance": 0.0}, "tolerance"), ({"max_skip_cycles": 0}, "max_skip_cycles")],
)
def test_bad_extrapolation_options_name_the_field(options, field):
    with pytest.raises(InputError, match=field):
        simulate_cycling("Ru-1", 1.0, 10, extrapolate=True, **options)


def test_bad_tolerance_on_the_command_line_is_one_line_and_exit_2(capsys):
    assert main(["simulate", "Ru-1", "--extrapolate", "--extrapolation-tolerance", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "tolerance" in err


def test_each_change_goes_on_by_its_law():
    # changes measured over cycle 50 and 7 cycles before: two shrinking by a ratio per cycle,
    # one shrinking as a power of the cycle number, one growing, one changing sign
    q, p, distance, number, skip = 0.97, 0.5, 7, 50, 40
    change = np.array([2.0, -3.0, 50.0**-p, 1.0, 0.5])
    before = np.array([2.0 / q**distance, -3.0 / q**distance, 43.0**-p, 0.3, -0.5])
    power = np.array([False, False, True, False, False])
    trend = _Trend(change, before, distance, number, power)
    cycles = np.arange(1, skip + 1)
    expected = [
        2.0 * np.sum(q**cycles),
        -3.0 * np.sum(q**cycles),
        np.sum((number + cycles) ** -p),
        np.sum(1.0 + 0.1 * cycles),  # linear: second-order Adams-Bashforth
        np.sum(0.5 + (1.0 / distance) * cycles),
    ]
    np.testing.assert_allclose(trend.over(skip), expected, rtol=1e-12)
    np.testing.assert_allclose(trend.at(skip)[:3], [2.0 * q**skip, -3.0 * q**skip, 90.0**-p])
    # the law that predicted a change is chosen for the next jump
    ratio_law = _Trend(change[:2], before[:2], distance, number)
    assert not ratio_law.power_fits(skip, change[:2] * q**skip).any()
    power_law = _Trend(change[2:3], before[2:3], distance, number)
    assert power_law.power_fits(skip, np.array([90.0**-p])).all()


def _cycle_pair(previous_slope, slope, end):
    """Two consecutive cycles of one state that swept 0..1 and ended at ``end``."""
    first = SimpleNamespace(slope=np.array([previous_slope]))
    second = SimpleNamespace(
        slope=np.array([slope]),
        swing=np.array([1.0]),
        end=np.array([end]),
        low=np.array([0.0]),
        high=np.array([1.0]),
    )
    return first, second


@pytest.mark.parametrize(
    ("before", "slope", "slow"),
    [(-1.8e-3, -1e-3, True), (1.8e-3, 1e-3, False), (1e-3, -1e-3, False)],
)
def test_a_state_at_the_edge_of_its_swing_is_jumped_only_back_into_it(before, slope, slow):
    # small and unsteady (the change before was 1.8 times this one, beyond the steady ratio of
    # 0.5): a particle full at the end of discharge whose lithium drifts back into its range by
    # more than its scatter is jumped; one that would be pushed past the edge is held, and so
    # is one whose drift back is within its scatter (the change before had the other sign: where
    # the cut-off's last step fell, not a trend)
    first, second = _cycle_pair(before, slope, 1.0)
    assert _slow_states(first, second)[0] == slow


def test_a_state_still_settling_inside_its_swing_is_held():
    # small against its swing but its change a third of the one before: still settling (a pool
    # relaxing back after a jump), whichever way it drifts
    for slope in (1e-3, -1e-3):
        first, second = _cycle_pair(3 * slope, slope, 0.5)
        assert not _slow_states(first, second)[0]


@pytest.mark.parametrize(("assumed", "slow"), [(None, True), (1.2e-3, True), (-1e-3, False)])
def test_a_state_whose_change_turned_against_the_jump_is_held(assumed, slow):
    # steady over the two cycles after a jump, but its change has the opposite sign of the one
    # the jump assumed: it overshot the course it relaxes towards, and jumped again along its
    # way back it would overshoot further
    first, second = _cycle_pair(1e-3, 1e-3, 0.5)
    assumed = None if assumed is None else np.array([assumed])
    assert _slow_states(first, second, assumed)[0] == slow


def test_after_a_jump_steadiness_is_judged_against_the_assumed_change():
    # the graphite of a full cell, empty at the end of discharge and losing Li every cycle: the
    # first cycle after a jump settles by 15 times the trend, the second is on the assumed one,
    # so its Li goes on being lost over the next jump; off the assumed change by twice, held
    first, second = _cycle_pair(-1.5e-3, -1e-4, 0.0)
    assert _slow_states(first, second, np.array([-1.1e-4]))[0]
    assert not _slow_states(first, second, np.array([-2e-4]))[0]


def test_a_state_no_equation_reads_changes_no_row_and_no_other_state():
    # the error control leaves out the counters: this checks that an offset in them changes
    # nothing a later cycle or a row depends on. The solver's steps follow every state's error
    # weight, a counter's too, so the two runs take other steps and agree as two solutions do:
    # the rows within the solver's relative tolerance (measured: 1e-5), the states within a
    # hundredth of a percent of their scale (1 in the solver's units; measured: 8e-6, in the
    # densified layer's oxygen, released steeply at the end of charge)
    parameter_values = cycling_parameter_values("LRMO_Sun2025_Ru1_graphite", "SPMe", None)
    stepper = _Stepper(parameter_values, 2.0, 4.6, "CC", "SPMe")
    model = next(iter(stepper.sim.steps_to_built_models.values()))
    names = {variable.name: stepper.read[y[0]].all() for variable, y in model.y_slices.items()}
    for counter in (
        "Discharge capacity [A.h]",
        "Throughput capacity [A.h]",
        "X-averaged positive electrode escaped oxygen [mol.m-3]",
        "Loss of lithium to oxygen crossover [mol]",
    ):
        assert not names[counter], counter
    assert names["X-averaged negative particle concentration [mol.m-3]"]
    assert names["X-averaged positive electrode irreversible TM migration fraction"]

    solution, _ = stepper.run(None, [1.0])
    end = solution.cycles[-1].last_state.all_ys[0][:, 0]
    _, _, plain = stepper.cycles(solution, end.copy(), 1.0)
    _, _, offset = stepper.cycles(solution, end + np.where(stepper.read, 0.0, 1.0), 1.0)
    for key in ("discharge_capacity_mAh_per_g", "mean_discharge_voltage_V"):
        assert offset.row[key] == pytest.approx(plain.row[key], rel=WORKING_RTOL)
    np.testing.assert_allclose(
        offset.end[stepper.read], plain.end[stepper.read], rtol=WORKING_RTOL, atol=1e-4
    )


# a cell whose capacity and mean voltage fall steadily and whose one degradation state grows by
# the same amount every cycle: every estimate of the jump's error is nil on that course
Q0, Q_RATE, V0, V_RATE, STATE_RATE, TOLERANCE = 250.0, -0.01, 3.5, -1e-4, 1e-3, 0.01


def _steady_cycle(number, change=STATE_RATE, q_offset=0.0):
    row = {CONTROLLED[0]: Q0 + Q_RATE * number + q_offset, CONTROLLED[1]: V0 + V_RATE * number}
    return SimpleNamespace(
        slope=np.array([change]),
        row={"cycle": number, **row},
        trend=dict(zip(CONTROLLED, (Q_RATE, V_RATE), strict=True)),
        end=np.array([STATE_RATE * number]),
        swing=np.array([abs(change)]),
    )


def _landing_error(
    skip, first_offset=0.0, second_offset=0.0, first_change=STATE_RATE, lead_offset=0.0
):
    """The error ratio of a jump of ``skip`` cycles from cycle 10 of the steady cell, its two
    landing rows' capacity off the course by the offsets given, and the lead's last two rows
    by ``lead_offset`` up and down."""
    lead = _Slope(
        _steady_cycle(9, q_offset=lead_offset),
        _steady_cycle(10, q_offset=-lead_offset),
        10,
        _Slope(_steady_cycle(8, q_offset=-lead_offset), _steady_cycle(9, q_offset=lead_offset), 9),
    )
    distance = skip + 2
    first = _steady_cycle(10 + skip + 1, first_change, first_offset)
    second = _steady_cycle(10 + distance, 2 * STATE_RATE - first_change, second_offset)
    new = _Slope(first, second, 10 + distance, lead, distance)
    return lead.error_ratio(skip, np.array([True]), new, TOLERANCE)


@pytest.mark.parametrize("skip", [2, 40])
def test_a_landing_on_the_assumed_course_has_no_error(skip):
    assert _landing_error(skip) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("skip", [2, 40])
def test_a_scatter_that_alternates_over_the_two_landing_cycles_is_no_error(skip):
    # every second charge ending late: one landing row 0.5 % up, the other as far down, and the
    # state growing 30 % more in one landing cycle and 30 % less in the other
    delta = 0.005 * Q0
    assert _landing_error(skip, delta, -delta) == pytest.approx(0.0, abs=1e-9)
    assert _landing_error(skip, first_change=1.3 * STATE_RATE) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("skip", [2, 40])
def test_an_alternation_before_the_jump_sets_no_false_trend(skip):
    # the lead's last rows alternating by 0.66 % (the full cell's late-ending charges): set
    # against the pair's mean, a landing on the cell's course is on the jump's course too
    assert _landing_error(skip, lead_offset=0.0033 * Q0) == pytest.approx(0.0, abs=1e-9)


def test_one_cycle_off_its_course_counts_once_whatever_the_jump():
    # a single landing row off by delta: the two rows' mean is off by delta / 2, the columns'
    # error itself (relative to that mean), not skip / 2 times a trend's gap
    delta = 0.004 * Q0
    for skip in (2, 38):
        value = Q0 + Q_RATE * (11.5 + skip) + delta / 2
        expected = delta / 2 / value / TOLERANCE
        assert _landing_error(skip, 0.0, delta) == pytest.approx(expected, rel=1e-6)
