"""`lrmo-cell fit cycling`: a round trip through the LRMO model with known degradation."""

import json

import numpy as np
import pandas as pd
import pytest

from lrmo_cell.cli import main
from lrmo_cell.fitting.cycling import cycling_metrics, response_surface_fit
from lrmo_cell.models.cycling import simulate_cycling
from lrmo_cell.parameters import load_parameter_set

RELEASE_RATE = "Oxygen release rate constant [s-1]"


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


def test_response_surface_finds_a_least_squares_optimum_with_few_runs():
    """Residuals r_k = a_k (exp(x - x*) - 1) + b_k (y - y*) + a_k b_k (x - x*)(y - y*): least
    squares optimum at (x*, y*) = (0.3, -0.2), not quadratic (so the surface must be refined),
    Jacobian there (a_k, b_k): the optimum within the 0.005-decade tolerance, the Jacobian (from
    the refined surface, for the intervals) within 1%. Run counts are benchmarked, not tested."""
    a, b = np.array([1.0, 2.0, 0.5, 1.5]), np.array([0.5, -1.0, 2.0, 1.0])

    def misfit(x):
        dx, dy = x[0] - 0.3, x[1] + 0.2
        return a * np.expm1(dx) + b * dy + a * b * dx * dy

    best, jac = response_surface_fit(misfit, [0.0, 0.0], [-2.0, -2.0], [2.0, 2.0])
    np.testing.assert_allclose(best, [0.3, -0.2], atol=0.005)
    np.testing.assert_allclose(jac, np.column_stack([a, b]), rtol=0.01, atol=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("option", [[], ["--no-surrogate"]])
def test_fit_cycling_recovers_the_oxygen_release_rate(tmp_path, option):
    """Data: the pristine model with 1.5x its oxygen release rate constant, 0.5 mAh/g and
    1 mV noise (seeded), 12 cycles. The fit starts from the set's own value and must come back
    within 5% of the truth, with the truth inside its 95% interval, through the response
    surface (default) as through the full model at every evaluation."""
    truth = 1.5 * load_parameter_set("pristine")[RELEASE_RATE]
    data = simulate_cycling(
        "pristine", 1.0, 11, parameter_overrides={RELEASE_RATE: truth}, show_progress=False
    )
    rng = np.random.default_rng(3)
    for column in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        data[column] += rng.normal(0, 0.5, len(data))
    data["mean_discharge_voltage_V"] += rng.normal(0, 1e-3, len(data))
    path = tmp_path / "cycles.csv"
    data.to_csv(path, index=False)
    out = tmp_path / "fit.json"
    args = ["fit", "cycling", str(path), "--model", "pristine", "--fit", RELEASE_RATE, *option]
    assert main([*args, "--out", str(out)]) == 0
    entry = json.loads(out.read_text())["parameters"][RELEASE_RATE]
    assert entry["value"] == pytest.approx(truth, rel=0.05)
    assert entry["ci95"][0] <= truth <= entry["ci95"][1]
    assert (tmp_path / "fit_fit.png").read_bytes()[:4] == b"\x89PNG"
