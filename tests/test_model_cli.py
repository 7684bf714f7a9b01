"""`lrmo-cell simulate`: the JSON contract of architecture.md and the bad-input contract."""

import json

import pytest

from lrmo_cell.cli import main

CYCLE_KEYS = {
    "cycle",
    "c_rate",
    "charge_capacity_mAh_per_g",
    "discharge_capacity_mAh_per_g",
    "coulombic_efficiency",
    "median_discharge_voltage_V",
    "mean_discharge_voltage_V",
    "discharge_energy_Wh_per_kg",
    "charge_energy_Wh_per_kg",
    "energy_efficiency",
    "oxygen_released_umol_per_g",
}


def test_simulate_json_lists_formation_and_cycling_numbered_from_one(capsys):
    assert main(["simulate", "Ru-1", "--cycles", "2", "--c-rate", "0.5", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["sample"] == "Ru-1"
    cycles = document["cycles"]
    assert [c["cycle"] for c in cycles] == [1, 2, 3]
    assert [c["c_rate"] for c in cycles] == [0.1, 0.5, 0.5]
    for c in cycles:
        assert set(c) >= CYCLE_KEYS
        # the energy is the capacity times the mean voltage (Wh/kg = mAh/g x V)
        assert c["discharge_energy_Wh_per_kg"] == pytest.approx(
            c["discharge_capacity_mAh_per_g"] * c["mean_discharge_voltage_V"], rel=1e-9
        )
        assert c["coulombic_efficiency"] == pytest.approx(
            c["discharge_capacity_mAh_per_g"] / c["charge_capacity_mAh_per_g"], rel=1e-9
        )
        # charge runs above the discharge's voltage (overpotential, the oxygen couple's
        # hysteresis), so the energy comes back less completely than the charge
        assert c["energy_efficiency"] < c["coulombic_efficiency"]
        # ... and the charge's energy per capacity is a voltage inside the window
        mean_charge_v = c["charge_energy_Wh_per_kg"] / c["charge_capacity_mAh_per_g"]
        assert c["mean_discharge_voltage_V"] < mean_charge_v < 4.8


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["Ru-9"], "sample"),
        (["Ru-1", "--c-rate", "0"], "c_rate"),
        (["Ru-1", "--v-min", "4.0", "--v-max", "3.0"], "v_min"),
        (["Ru-1", "--cycles", "-1"], "cycles"),
    ],
)
def test_bad_simulate_input_is_one_line_naming_the_field_and_exit_2(capsys, args, field):
    assert main(["simulate", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and field in err


def test_bpx_command_writes_a_valid_file_and_refuses_half_cells(tmp_path, capsys):
    import bpx

    out = tmp_path / "cell.bpx.json"
    assert main(["bpx", "LRMO_Sun2025_Ru1_graphite", "--out", str(out)]) == 0
    assert bpx.parse_bpx_file(str(out)).parameterisation.user_defined is not None
    assert main(["bpx", "Ru-1", "--out", str(tmp_path / "half.json")]) == 2
    assert "full-cell" in capsys.readouterr().err
    assert not (tmp_path / "half.json").exists()
