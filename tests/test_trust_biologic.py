"""A real BioLogic .mpr file (tests/data/SOURCE.md) through the readers and `fit cycling`.

The file stores EC-Lab's own charge counter per half cycle ("Q charge/discharge/mA.h") and power
("P/W"), which the readers do not use: they are the independent figures the per-cycle table is
checked against.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.fitting.readers import read_cycling_csv, read_file

MPR = Path(__file__).parent / "data" / "biologic_v1150_gcpl.mpr"
MASS_G = 0.002
RADIUS = "Primary: Positive particle radius [m]"


def _ec_lab_half_cycles() -> pd.DataFrame:
    """EC-Lab's own figures per half cycle: charge passed [mAh] and energy [mWh]."""
    from galvani import BioLogic

    raw = pd.DataFrame(BioLogic.MPRfile(str(MPR)).data)
    dt = np.diff(raw["time/s"], prepend=raw["time/s"].iloc[0])
    raw["energy_mWh"] = np.abs(raw["P/W"]) * dt / 3.6
    return raw.groupby("half cycle").agg(
        charge_mAh=("Q charge/discharge/mA.h", lambda q: np.abs(q).max()),
        energy_mWh=("energy_mWh", "sum"),
    )


def test_the_mpr_reads_as_a_time_series_with_charge_negative():
    """EC-Lab counts oxidation (charge) positive; the standard frame counts discharge positive,
    so a charge of the cathode, during which its voltage rises, carries negative current."""
    frame = read_file(MPR, kind="timeseries")
    charging = frame["current_A"] < 0
    rises = np.diff(frame["voltage_V"])[charging.to_numpy()[1:] & charging.to_numpy()[:-1]]
    assert np.median(rises) > 0
    assert np.abs(frame["current_A"]).max() == pytest.approx(3e-5, rel=1e-6)  # 0.03 mA in float32


def test_per_cycle_table_of_the_mpr_matches_ec_labs_own_counters():
    table = read_cycling_csv(MPR, mass_g=MASS_G)
    ec_lab = _ec_lab_half_cycles()
    # half cycles 0, 2, 4, 6 are the charges, 1, 3, 5, 7 the discharges
    assert table["cycle"].tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(
        table["charge_capacity_mAh_per_g"] * MASS_G, ec_lab["charge_mAh"].iloc[0::2], rtol=1e-3
    )
    np.testing.assert_allclose(
        table["discharge_capacity_mAh_per_g"] * MASS_G, ec_lab["charge_mAh"].iloc[1::2], rtol=1e-3
    )
    discharge = ec_lab.iloc[1::2]
    np.testing.assert_allclose(
        table["mean_discharge_voltage_V"],
        discharge["energy_mWh"] / discharge["charge_mAh"],
        atol=1e-3,
    )


def test_fit_cycling_without_a_mass_refuses_the_mpr_in_one_line(tmp_path, capsys):
    status = main(["fit", "cycling", str(MPR), "--fit", RADIUS, "--out", str(tmp_path / "p.json")])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "--mass-g" in err
    assert list(tmp_path.iterdir()) == []


def test_fit_cycling_routes_the_mpr_through_the_biologic_reader(tmp_path, monkeypatch):
    """The command's table holds the .mpr's cycles; the model fit itself is replaced by one
    that returns its start (the fit has its own tests), so this runs in a second."""
    import lrmo_cell.fitting.cycling as cycling

    seen = {}

    def fit_at_start(simulate, measured, guess, bounds, surrogate):
        seen["measured"] = measured
        simulated = measured.assign(charge_capacity_mAh_per_g=np.nan)
        return guess, {name: (value, value) for name, value in guess.items()}, simulated

    monkeypatch.setattr(cycling, "fit_cycling", fit_at_start)
    out = tmp_path / "p.json"
    argv = ["fit", "cycling", str(MPR), "--mass-g", str(MASS_G), "--fit", RADIUS, "--out", str(out)]
    assert main(argv) == 0
    written = pd.read_csv(tmp_path / "p_cycles.csv")
    np.testing.assert_allclose(
        written["discharge_capacity_mAh_per_g"] * MASS_G,
        _ec_lab_half_cycles()["charge_mAh"].iloc[1::2],
        rtol=1e-3,
    )
    source = json.loads(out.read_text())["parameters"][RADIUS]["source"]
    assert "--mass-g" in source and MPR.name in source


def _charge_positive_csv(path: Path) -> Path:
    """Two cycles of a cycler that counts charge positive: 1 h at +1 mA with the voltage rising,
    then 1 h at -1 mA with it falling (10 s logging), rests between: 1 mAh each way."""
    t, current = [0.0], [0.0]
    for amps in (1e-3, 0.0, -1e-3, 0.0) * 2:
        t += list(t[-1] + np.arange(10.0, 3601, 10.0))
        current += [amps] * 360
    current = np.array(current)
    voltage = 3.5 + 1e-6 * np.cumsum(current * 10.0)  # rises while charging
    pd.DataFrame({"time_s": t, "current_A": current, "voltage_V": voltage}).to_csv(
        path, index=False
    )
    return path


def test_a_charge_positive_csv_needs_the_flag_it_is_told_about(tmp_path):
    from lrmo_cell.errors import InputError

    path = _charge_positive_csv(tmp_path / "cycles.csv")
    with pytest.raises(InputError, match="--charge-positive"):
        read_cycling_csv(path, mass_g=0.01)
    table = read_cycling_csv(path, mass_g=0.01, charge_positive=True)
    # 1 mAh on 0.01 g each way
    np.testing.assert_allclose(table["charge_capacity_mAh_per_g"], [100.0, 100.0], rtol=1e-9)
    np.testing.assert_allclose(table["discharge_capacity_mAh_per_g"], [100.0, 100.0], rtol=1e-9)
