"""Pouch-cell designer: hand calculations, the Ru-1 cells, parameter-set reader, inverse design."""

import json

import numpy as np
import pytest

from lrmo_cell.design.core import COMPONENTS, LI_SPECIFIC_CAPACITY_MAH_PER_G, evaluate
from lrmo_cell.design.inverse import solve
from lrmo_cell.design.published import compare_designs, pouch_cell_table
from lrmo_cell.design.schema import load_design
from lrmo_cell.errors import InputError

SIMPLE = """
name = "one-layer hand-check cell"
[cell]
electrode_width_mm = {value = 100.0, source = "test"}
electrode_height_mm = {value = 50.0, source = "test"}
n_cathode_layers = {value = 1, source = "test"}
[cathode]
specific_capacity_mAh_per_g = {value = 200.0, source = "test"}
mean_voltage_V = {value = 4.0, source = "test"}
first_cycle_efficiency = {value = 0.9, source = "test"}
active_fraction = {value = 0.9, source = "test"}
carbon_fraction_of_inactive = {value = 0.5, source = "test"}
loading_mg_per_cm2 = {value = 20.0, source = "test"}
porosity = {value = 0.25, source = "test"}
active_density_g_per_cm3 = {value = 4.0, source = "test"}
carbon_density_g_per_cm3 = {value = 2.0, source = "test"}
binder_density_g_per_cm3 = {value = 2.0, source = "test"}
foil_thickness_um = {value = 10.0, source = "test"}
[anode]
type = "li_metal"
li_thickness_um = {value = 40.0, source = "test"}
foil_thickness_um = {value = 10.0, source = "test"}
overhang_mm = {value = 5.0, source = "test"}
[separator]
thickness_um = {value = 10.0, source = "test"}
porosity = {value = 0.5, source = "test"}
overhang_mm = {value = 5.0, source = "test"}
density_g_per_cm3 = {value = 1.0, source = "test"}
[electrolyte]
g_per_Ah = {value = 2.0, source = "test"}
[tabs]
positive_width_mm = {value = 10.0, source = "test"}
positive_length_mm = {value = 10.0, source = "test"}
positive_thickness_um = {value = 100.0, source = "test"}
negative_width_mm = {value = 10.0, source = "test"}
negative_length_mm = {value = 10.0, source = "test"}
negative_thickness_um = {value = 100.0, source = "test"}
[pouch]
laminate_thickness_um = {value = 100.0, source = "test"}
laminate_density_g_per_cm3 = {value = 1.5, source = "test"}
side_seal_mm = {value = 0.0, source = "test"}
top_seal_mm = {value = 0.0, source = "test"}
bottom_seal_mm = {value = 0.0, source = "test"}
"""


@pytest.fixture
def simple(tmp_path):
    path = tmp_path / "simple.toml"
    path.write_text(SIMPLE)
    return path


def test_one_layer_cell_matches_a_hand_calculation(simple):
    r = evaluate(load_design(simple))
    # 1 double-sided cathode 10 x 5 cm: 2 faces x 50 cm2 x 20 mg/cm2 x 0.9 x 200 mAh/g = 0.36 Ah
    assert float(r["capacity_Ah"]) == pytest.approx(0.36)
    assert float(r["energy_Wh"]) == pytest.approx(1.44)
    assert float(r["mass_cathode_active_g"]) == pytest.approx(1.8)
    assert float(r["mass_cathode_carbon_g"]) == pytest.approx(0.1)
    # Al: 50 cm2 x 10e-4 cm x 2.70 g/cm3
    assert float(r["mass_al_foil_g"]) == pytest.approx(0.135)
    # anode 11 x 6 cm = 66 cm2; two single-sided anodes on two Cu foils
    assert float(r["mass_anode_active_g"]) == pytest.approx(2 * 66 * 40e-4 * 0.534)
    assert float(r["mass_cu_foil_g"]) == pytest.approx(2 * 66 * 10e-4 * 8.96)
    # separator 12 x 7 cm, two sheets, half solid
    assert float(r["mass_separator_g"]) == pytest.approx(2 * 84 * 10e-4 * 0.5 * 1.0)
    assert float(r["mass_electrolyte_g"]) == pytest.approx(0.72)
    assert float(r["mass_tabs_g"]) == pytest.approx(1 * 1 * 0.01 * (2.70 + 8.90))
    # coating: skeleton 1/(0.9/4 + 0.1/2) = 3.636 g/cm3, x 0.75 -> 2.727; 20 mg/cm2 -> 73.3 um
    t_c = 10 * 20 / (0.75 / (0.9 / 4 + 0.1 / 2))
    assert float(r["cathode_coating_thickness_um"]) == pytest.approx(t_c)
    stack_um = 10 + 2 * t_c + 2 * 10 + 2 * 40 + 2 * 10
    assert float(r["thickness_mm"]) == pytest.approx((stack_um + 200) / 1e3)
    laminate_cm2 = 2 * 12 * 7 + 2 * (12 + 7) * stack_um / 1e4
    assert float(r["mass_pouch_g"]) == pytest.approx(laminate_cm2 * 100e-4 * 1.5)
    assert float(r["volume_cm3"]) == pytest.approx(12 * 7 * (stack_um + 200) / 1e4)
    q_li = 40e-4 * 0.534 * LI_SPECIFIC_CAPACITY_MAH_PER_G
    assert float(r["n_p_ratio"]) == pytest.approx(q_li / 3.6)
    assert LI_SPECIFIC_CAPACITY_MAH_PER_G == pytest.approx(3861, abs=1)


def test_ru1_li_metal_cell_reproduces_the_paper_within_one_percent():
    design = load_design("ru1_li_metal_5p83Ah")
    r = evaluate(design)
    published = pouch_cell_table().query("design == 'ru1_li_metal_5p83Ah'")
    assert set(published["quantity"]) == {"capacity_Ah", "specific_energy_Wh_per_kg"}
    for row in published.itertuples():
        assert float(r[row.quantity]) == pytest.approx(row.value, rel=row.tolerance)
    # the rebuilt cell is physically feasible and inside the practice ranges it claims
    assert 20 <= design.values["cathode.loading_mg_per_cm2"] <= 30
    assert 1.5 <= float(r["electrolyte_g_per_Ah"]) <= 2.5
    assert float(r["electrolyte_to_pore_volume"]) >= 1.0  # enough liquid to wet every pore
    assert float(r["n_p_ratio"]) > 1.0  # more Li than the cathode can take
    assert 0.25 <= float(r["cathode_porosity"]) <= 0.30


@pytest.mark.parametrize("name", ["ru1_li_metal_5p83Ah", "ru1_graphite"])
def test_every_design_input_carries_a_source(name):
    design = load_design(name)
    prefixes = ("doi", "assumed", "solved", "computed", "CRC")
    assert set(design.sources) == set(design.values)
    assert all(design.sources[k].startswith(prefixes) for k in design.values)


@pytest.mark.parametrize(
    ("field", "target", "value"),
    [
        ("cathode.loading_mg_per_cm2", "capacity_Ah", 5.83),
        ("electrolyte.g_per_Ah", "specific_energy_Wh_per_kg", 513.0),
    ],
)
def test_solved_inputs_of_the_li_metal_design_are_what_the_solver_gives(field, target, value):
    design = load_design("ru1_li_metal_5p83Ah")
    assert f"--solve {field} --target {target}" in design.sources[field]
    assert solve(design, field, target, value).value == pytest.approx(
        design.values[field], abs=0.005
    )


def test_graphite_cell_is_limited_by_lithium_inventory():
    design = load_design("ru1_graphite")
    v = design.values
    r = evaluate(design)
    q_dis = v["cathode.loading_mg_per_cm2"] * v["cathode.active_fraction"] * 307e-3
    sei_loss = v["anode.n_p_ratio"] * q_dis * (1 / v["anode.first_cycle_efficiency"] - 1)
    q_cell = q_dis / v["cathode.first_cycle_efficiency"] - sei_loss
    area = v["cell.electrode_width_mm"] * v["cell.electrode_height_mm"] / 100
    faces = 2 * v["cell.n_cathode_layers"]
    assert q_cell < q_dis
    assert float(r["capacity_Ah"]) == pytest.approx(faces * area * q_cell / 1e3)
    assert float(r["mean_voltage_V"]) == pytest.approx(3.55 - 0.15)
    assert float(r["n_p_ratio"]) == pytest.approx(1.10)
    # graphite loading from N/P: 1.1 q_dis / (0.955 x 350 mAh/g)
    assert float(r["anode_loading_mg_per_cm2"]) == pytest.approx(1.1 * q_dis / (0.955 * 0.350))
    # pore-fill electrolyte: 1.25 x the pore volume
    assert float(r["electrolyte_to_pore_volume"]) == pytest.approx(1.25)


def _design_with_performance(tmp_path, c_rate, base=False):
    pset = {
        "name": "T",
        "parameters": {},
        "performance": {
            "source": "lrmo-cell calibrate T",
            "rates": [
                {
                    "c_rate": 0.1,
                    "discharge_capacity_mAh_per_g": 280.0,
                    "mean_discharge_voltage_V": 3.6,
                },
                {
                    "c_rate": 1.0,
                    "discharge_capacity_mAh_per_g": 240.0,
                    "mean_discharge_voltage_V": 3.4,
                },
            ],
        },
    }
    (tmp_path / "base.json").write_text(json.dumps(pset))
    name = "base.json"
    if base:
        (tmp_path / "patch.json").write_text(
            json.dumps({"name": "P", "base": str(tmp_path / "base.json"), "parameters": {}})
        )
        name = "patch.json"
    text = SIMPLE.replace(
        'specific_capacity_mAh_per_g = {value = 200.0, source = "test"}\n'
        'mean_voltage_V = {value = 4.0, source = "test"}',
        f'performance_from = "{name}"\nc_rate = {{value = {c_rate}, source = "test"}}',
    )
    path = tmp_path / "perf.toml"
    path.write_text(text)
    return path


def test_cathode_takes_capacity_and_voltage_from_a_parameter_set(tmp_path):
    design = load_design(_design_with_performance(tmp_path, 1.0))
    assert design.values["cathode.specific_capacity_mAh_per_g"] == 240.0
    assert design.values["cathode.mean_voltage_V"] == 3.4
    assert "lrmo-cell calibrate T" in design.sources["cathode.mean_voltage_V"]
    # 100 cm2 of faces x 20 x 0.9 x 240 mAh/g
    assert float(evaluate(design)["capacity_Ah"]) == pytest.approx(0.432)


def test_a_patch_set_does_not_inherit_its_base_performance(tmp_path):
    # a patched material performs differently: only the set's own block may be used
    with pytest.raises(InputError, match="no performance block"):
        load_design(_design_with_performance(tmp_path, 1.0, base=True))


def test_a_rate_missing_from_the_parameter_set_is_named(tmp_path):
    with pytest.raises(InputError, match=r"cathode.c_rate must be one of .*0.1, 1"):
        load_design(_design_with_performance(tmp_path, 0.5))


def test_solver_hits_a_capacity_target_and_handles_whole_layer_counts():
    design = load_design("ru1_li_metal_5p83Ah")
    s = solve(design, "cathode.loading_mg_per_cm2", "capacity_Ah", 5.0)
    assert float(evaluate(s.design)["capacity_Ah"]) == pytest.approx(5.0, rel=1e-9)
    # capacity is linear in loading: 5.0 / 5.83 of the design's loading
    ratio = 5.0 / float(evaluate(design)["capacity_Ah"])
    assert s.value == pytest.approx(design.values["cathode.loading_mg_per_cm2"] * ratio)
    layers = solve(design, "cell.n_cathode_layers", "capacity_Ah", 5.0)
    per_layer = float(evaluate(design)["capacity_Ah"]) / 10
    assert layers.value == round(5.0 / per_layer)


def test_an_unreachable_target_says_the_best_there_is():
    design = load_design("ru1_li_metal_5p83Ah")
    with pytest.raises(InputError, match=r"unreachable by varying cathode.loading.*maximum is"):
        solve(design, "cathode.loading_mg_per_cm2", "specific_energy_Wh_per_kg", 700)
    # Wh/kg can never pass the cathode-active-material level 307 mAh/g x 3.55 V
    with pytest.raises(InputError, match="unreachable"):
        solve(design, "electrolyte.g_per_Ah", "specific_energy_Wh_per_kg", 307 * 3.55)


def test_bare_numbers_in_a_design_file_are_refused(tmp_path):
    path = tmp_path / "bare.toml"
    path.write_text(SIMPLE.replace('{value = 20.0, source = "test"}', "20.0", 1))
    with pytest.raises(InputError, match="needs its source"):
        load_design(path)


def test_mass_breakdown_covers_every_component():
    r = evaluate(load_design("ru1_graphite"))
    parts = sum(float(r[f"mass_{c}_g"]) for c in COMPONENTS)
    assert parts == pytest.approx(float(r["mass_g"]))
    assert np.all([float(r[f"mass_{c}_g"]) >= 0 for c in COMPONENTS])


def test_comparison_with_the_paper_flags_a_cell_outside_its_band():
    table = pouch_cell_table()
    assert compare_designs(table)["passes"].all()
    shifted = table.assign(value=table["value"] * 1.02)  # 2% off: outside the 1% band
    assert not compare_designs(shifted)["passes"].any()


@pytest.mark.parametrize("name", ["ru1_li_metal_5p83Ah", "ru1_graphite"])
@pytest.mark.parametrize(
    ("field", "target"),
    [
        ("cathode.loading_mg_per_cm2", "capacity_Ah"),
        ("cathode.porosity", "thickness_mm"),
        ("cathode.mean_voltage_V", "energy_Wh"),
        ("separator.thickness_um", "thickness_mm"),
    ],
)
def test_solving_for_a_designs_own_output_returns_its_own_input(name, field, target):
    """The inverse of evaluate at the design point: Brent's method to 1e-12 must land on the
    input to far better than any rounding in a design file (1e-9 relative)."""
    design = load_design(name)
    achieved = float(evaluate(design)[target])
    solution = solve(design, field, target, achieved)
    assert solution.value == pytest.approx(design.values[field], rel=1e-9)
    assert solution.achieved == pytest.approx(achieved, rel=1e-12)
