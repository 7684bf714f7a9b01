"""Adaptive inter-cycle extrapolation (lrmo_cell.models.extrapolation) against the full run.

The issue's claim is checked at full length by benchmarks/bench_extrapolation.py (1000 cycles,
within 1 %); here a short run of pristine and of Ru-1 must track the full simulation: retention
and mean discharge voltage at every 20th cycle within ``RELATIVE_ERROR``.
"""

import json

import numpy as np
import pytest

from lrmo_cell.cli import main
from lrmo_cell.errors import InputError
from lrmo_cell.models.cycling import simulate_cycling
from lrmo_cell.models.extrapolation import LEAD_CYCLES

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
