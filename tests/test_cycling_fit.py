"""`lrmo-cell fit cycling`: a round trip through the LRMO model with known degradation."""

import json

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.fitting.cycling import cycling_metrics
from lrmo_cell.models.cycling import simulate_cycling
from lrmo_cell.parameters import load_parameter_set

HOST_VOLUME = "Host volume lost per lost oxygen [m3.mol-1]"


def test_cycling_metrics_by_hand():
    frame = pd.DataFrame(
        {
            "cycle": [1, 2, 3],
            "charge_capacity_mAh_per_g": [300.0, 250.0, 245.0],
            "discharge_capacity_mAh_per_g": [270.0, 248.0, 223.2],
            "mean_discharge_voltage_V": [3.6, 3.50, 3.49],
        }
    )
    metrics = cycling_metrics(frame)
    assert metrics["initial_coulombic_efficiency"] == pytest.approx(0.9)
    assert metrics["capacity_retention"] == pytest.approx(0.9)
    assert metrics["voltage_decay_mV_per_cycle"] == pytest.approx(-10.0)


@pytest.mark.slow
def test_fit_cycling_recovers_the_host_volume_lost_per_oxygen(tmp_path):
    """Data: the pristine model with 1.5x its host-volume loss per lost oxygen, 0.5 mAh/g and
    1 mV noise (seeded), 12 cycles. The fit starts from the set's own value and must come back
    within 5% of the truth, with the truth inside its 95% interval."""
    truth = 1.5 * load_parameter_set("pristine")[HOST_VOLUME]
    data = simulate_cycling(
        "pristine", 1.0, 11, parameter_overrides={HOST_VOLUME: truth}, show_progress=False
    )
    rng = np.random.default_rng(3)
    for column in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        data[column] += rng.normal(0, 0.5, len(data))
    data["mean_discharge_voltage_V"] += rng.normal(0, 1e-3, len(data))
    path = tmp_path / "cycles.csv"
    data.to_csv(path, index=False)
    out = tmp_path / "fit.json"
    args = ["fit", "cycling", str(path), "--model", "pristine", "--fit", HOST_VOLUME]
    assert main([*args, "--out", str(out)]) == 0
    entry = json.loads(out.read_text())["parameters"][HOST_VOLUME]
    assert entry["value"] == pytest.approx(truth, rel=0.05)
    assert entry["ci95"][0] <= truth <= entry["ci95"][1]
    assert (tmp_path / "fit_fit.png").read_bytes()[:4] == b"\x89PNG"
