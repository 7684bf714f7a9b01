"""Physical invariants of the pouch-cell arithmetic, checked on random designs (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrmo_cell.design.core import COMPONENTS, evaluate
from lrmo_cell.design.schema import load_design

LI = load_design("ru1_li_metal_5p83Ah")
GRAPHITE = load_design("ru1_graphite")

designs = st.sampled_from([LI, GRAPHITE])
loading = st.floats(5, 60)
porosity = st.floats(0.15, 0.5)
layers = st.integers(1, 40)
# a few dozen random designs per property keep the whole file near one second
few = settings(max_examples=60, deadline=None)


@few
@given(designs, loading, porosity, layers)
def test_component_masses_add_up_to_the_cell_mass(design, load, eps, n):
    r = evaluate(
        design,
        {"cathode.loading_mg_per_cm2": load, "cathode.porosity": eps, "cell.n_cathode_layers": n},
    )
    total = sum(float(r[f"mass_{c}_g"]) for c in COMPONENTS)
    assert total == pytest.approx(float(r["mass_g"]), rel=1e-12)
    assert all(float(r[f"mass_{c}_g"]) >= 0 for c in COMPONENTS)


@few
@given(designs, layers, st.integers(2, 5))
def test_capacity_and_energy_scale_with_layer_count(design, n, k):
    r = evaluate(design, {"cell.n_cathode_layers": np.array([n, k * n])})
    assert r["energy_Wh"][1] == pytest.approx(k * r["energy_Wh"][0], rel=1e-12)
    assert r["capacity_Ah"][1] == pytest.approx(k * r["capacity_Ah"][0], rel=1e-12)
    # fixed overheads (pouch, tabs) weigh less per layer in a taller stack
    assert r["specific_energy_Wh_per_kg"][1] >= r["specific_energy_Wh_per_kg"][0]
    assert r["thickness_mm"][1] > r["thickness_mm"][0]


@few
@given(designs, loading, porosity)
def test_doubling_loading_cannot_lower_capacity_and_thickens_the_cell(design, load, eps):
    r = evaluate(
        design, {"cathode.loading_mg_per_cm2": np.array([load, 2 * load]), "cathode.porosity": eps}
    )
    assert r["capacity_Ah"][1] >= r["capacity_Ah"][0]
    assert r["cathode_coating_thickness_um"][1] == pytest.approx(
        2 * r["cathode_coating_thickness_um"][0]
    )
    assert r["thickness_mm"][1] > r["thickness_mm"][0]


@few
@given(designs, loading, layers)
def test_specific_energy_stays_below_the_active_material_limit(design, load, n):
    r = evaluate(design, {"cathode.loading_mg_per_cm2": load, "cell.n_cathode_layers": n})
    v = design.values
    limit = v["cathode.specific_capacity_mAh_per_g"] * v["cathode.mean_voltage_V"]
    assert float(r["specific_energy_Wh_per_kg"]) < limit
    assert float(r["energy_density_Wh_per_L"]) > 0


@few
@given(st.floats(0.80, 0.99), st.floats(0.80, 0.99), st.floats(1.0, 1.5))
def test_graphite_full_cell_never_beats_its_cathode_and_gains_from_a_better_anode_ice(
    ice_a, ice_c, np_ratio
):
    r = evaluate(
        GRAPHITE,
        {
            "anode.first_cycle_efficiency": np.array([ice_a, min(ice_a + 0.01, 1.0)]),
            "cathode.first_cycle_efficiency": ice_c,
            "anode.n_p_ratio": np_ratio,
        },
    )
    cathode_limit = (
        2
        * GRAPHITE.values["cell.n_cathode_layers"]
        * GRAPHITE.values["cell.electrode_width_mm"]
        * GRAPHITE.values["cell.electrode_height_mm"]
        / 100
        * r["cathode_areal_capacity_mAh_per_cm2"][0]
        / 1e3
    )
    assert np.all(r["capacity_Ah"] <= cathode_limit * (1 + 1e-12))
    assert r["capacity_Ah"][1] >= r["capacity_Ah"][0]


@few
@given(st.floats(1.0, 3.0), st.floats(1.0, 3.0))
def test_more_electrolyte_means_lower_specific_energy(a, b):
    r = evaluate(LI, {"electrolyte.g_per_Ah": np.array([min(a, b), max(a, b)])})
    assert r["specific_energy_Wh_per_kg"][0] >= r["specific_energy_Wh_per_kg"][1]
