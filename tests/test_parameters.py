"""Parameter sets: sources, base resolution, entry points and the treatment map."""

import json
import math

import pytest

from lrmo_cell.errors import InputError
from lrmo_cell.parameters import (
    SAMPLE_SETS,
    load_parameter_set,
    read_parameter_file,
    treatment_parameters,
    write_parameter_file,
)
from lrmo_cell.parameters.io import parameter_sources
from lrmo_cell.parameters.treatment import (
    RU1_LAYER_LI_FRACTION,
    RU1_RUO2_MASS_FRACTION,
    SAMPLE_RUCL3_MG_PER_ML,
    layer_li_fraction,
)
from lrmo_cell.resources import data_dir

ALL_SETS = [*SAMPLE_SETS.values(), "LRMO_Sun2025_Ru1_graphite"]
# the electrode a treatment is mapped onto in these tests: 45 vol% powder of 4.25 g/cm3 LRMO in
# 1 mm3 of electrode, 125 nm particles
CELL = dict(
    powder_volume_fraction=0.45,
    lrmo_density_kg_per_m3=4250.0,
    electrode_volume_m3=1e-9,
    particle_radius_m=1.25e-7,
)
SOURCE_KINDS = (
    "doi",
    "assumed",
    "fit:",
    "computed",
    "lrmo_cell.parameters",
    "Chen et al",
    "Xu et al",
    "CRC Handbook",  # a reference handbook
    "geometry:",  # counted from the crystal structure
    "as made:",  # the definition of the as-made state
)


@pytest.mark.parametrize("name", ALL_SETS)
def test_every_value_has_a_source_of_a_known_kind(name):
    sources = parameter_sources(name)
    assert sources
    for key, source in sources.items():
        assert any(kind in source for kind in SOURCE_KINDS), (key, source)


@pytest.mark.parametrize("name", ALL_SETS)
def test_every_parameter_name_carries_units_or_is_dimensionless_by_pybamm_convention(name):
    # PyBaMM names without "[...]" are dimensionless (fractions, ratios, coefficients)
    for key in read_parameter_file(name)["parameters"]:
        if "[" in key:
            assert key.rstrip().endswith("]"), key


def test_treated_sets_patch_the_pristine_set():
    pristine = load_parameter_set("pristine")
    ru1 = load_parameter_set("Ru-1")
    assert read_parameter_file("Ru-1")["base"] == SAMPLE_SETS["pristine"]
    assert (
        ru1["Oxygen release rate constant [s-1]"] == pristine["Oxygen release rate constant [s-1]"]
    )
    assert ru1["RuO2 mass fraction in active powder"] == pytest.approx(RU1_RUO2_MASS_FRACTION)
    assert pristine["RuO2 mass fraction in active powder"] == 0


def test_functions_are_imported():
    values = load_parameter_set("Ru-1")
    assert callable(values["Primary: Positive electrode OCP [V]"])
    assert callable(values["Secondary: Positive electrode OCP [V]"])
    assert callable(values["Electrolyte conductivity [S.m-1]"])


@pytest.mark.parametrize("name", ALL_SETS)
def test_pybamm_finds_the_sets_through_entry_points(name):
    import pybamm

    values = pybamm.ParameterValues(name)
    assert values["LRMO density [kg.m-3]"] == pytest.approx(4250)


def test_model_entry_point():
    import pybamm

    model = pybamm.Model("LRMO", {"working electrode": "positive"})
    assert isinstance(model, pybamm.lithium_ion.SPMe)


def test_unknown_sample_is_an_input_error():
    with pytest.raises(InputError, match="sample must be one of"):
        load_parameter_set("Ru-7")


def test_write_round_trip(tmp_path):
    document = read_parameter_file("Ru-1")
    path = write_parameter_file(document, tmp_path / "copy.json")
    assert json.loads(path.read_text()) == document
    assert load_parameter_set(path)["Li-deficient layer thickness [m]"] > 0
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    "table",
    [
        {"stoichiometry": [0.5, 0.5], "values": [1e-15, 2e-15]},  # not distinct
        {"stoichiometry": [0.2, 1.2], "values": [1e-15, 2e-15]},  # beyond 0..1
        {"stoichiometry": [0.2, 0.4], "values": [1e-15, 0.0]},  # not positive
        {"stoichiometry": [0.2], "values": [1e-15]},  # one point is a number, not a table
    ],
)
def test_a_bad_stoichiometry_table_is_one_sentence_naming_the_parameter(tmp_path, table):
    path = tmp_path / "patch.json"
    name = "Positive particle diffusivity [m2.s-1]"
    path.write_text(json.dumps({"parameters": {name: {"value": table, "source": "test"}}}))
    with pytest.raises(InputError, match=r"Positive particle diffusivity .* table value needs"):
        load_parameter_set(path)


def test_lithium_capacity_matches_the_measured_composition():
    # Li1.20Mn0.555Ni0.158Co0.080O2 (Sun et al. 2025): M = 84.81 g/mol; Ni 2 e + Co 1 e = 0.396 Li
    molar_mass = 1.2 * 6.94 + 0.555 * 54.938 + 0.158 * 58.693 + 0.080 * 58.933 + 2 * 15.999
    values = load_parameter_set("pristine")
    sites = values["Primary: Maximum concentration in positive electrode [mol.m-3]"]
    density = values["LRMO density [kg.m-3]"]
    assert sites == pytest.approx(1.2 * density / (molar_mass / 1000), 1e-3)
    tm = sites * values["TM-redox share of Li sites"]
    assert tm == pytest.approx(0.396 * density / (molar_mass / 1000), 1e-2)


def test_treatment_reproduces_ru1_and_is_pristine_at_zero():
    zero = treatment_parameters(0.0, **CELL)
    ru1 = treatment_parameters(0.2, **CELL)
    assert zero["Li-deficient layer thickness [m]"]["value"] == 0
    assert zero["Positive electrode active material volume fraction"]["value"] == 0.45
    assert ru1["Li-deficient layer Li fraction"]["value"] == pytest.approx(RU1_LAYER_LI_FRACTION)
    assert ru1["RuO2 mass fraction in active powder"]["value"] == pytest.approx(0.0046)
    # 1C = 250 mA/g of powder: 0.45 x 1e-9 m3 x 4250 kg/m3 = 1.9125 mg of LRMO -> 0.478 mA
    assert zero["Nominal cell capacity [A.h]"]["value"] == pytest.approx(250 * 0.45e-9 * 4250)


def test_more_acid_removes_more_li_and_adds_more_ruo2():
    rows = [treatment_parameters(c, **CELL) for c in sorted(SAMPLE_RUCL3_MG_PER_ML.values())]
    li = [r["Li-deficient layer Li fraction"]["value"] for r in rows]
    ruo2 = [r["RuO2 mass fraction in active powder"]["value"] for r in rows]
    eps = [r["Positive electrode active material volume fraction"]["value"] for r in rows]
    assert li == sorted(li, reverse=True) and len(set(li)) == len(li)
    assert ruo2 == sorted(ruo2) and eps == sorted(eps, reverse=True)
    # saturates where the layer has no TM-layer Li left: Li1.20M0.80O2 keeps its full Li layer,
    # 1 of its 1.2 Li, never below
    assert layer_li_fraction(100.0) == pytest.approx(1 / 1.2)
    assert math.isclose(layer_li_fraction(0.0), 1.0)


def test_the_li_removed_follows_the_acid_dose_and_deepens_the_layer():
    # Ru-1: a 4.5 nm shell of 125 nm particles, short of 5/6 of its 0.2 TM-layer Li per 1.2 Li
    # (1 - y = 5/36); Ru-3 (three times the RuCl3, so three times the protons) removes three
    # times that Li from a layer whose Li fraction can fall only to 1/1.2, so its shell must
    # hold 3 x 0.10416 x 5/36 = 0.04340 of the particle's Li at y = layer_li_fraction(0.6) =
    # 0.83410: share 0.2616 -> 125 nm x (1 - 0.7384^(1/3)) = 12.0 nm
    ru1_shell = 1 - (1 - 4.5 / 125) ** 3
    assert ru1_shell == pytest.approx(0.10416, abs=1e-5)
    ru3 = treatment_parameters(0.6, **CELL)
    y3 = ru3["Li-deficient layer Li fraction"]["value"]
    share = 3 * ru1_shell * (1 - RU1_LAYER_LI_FRACTION) / (1 - y3)
    assert ru3["Li-deficient layer thickness [m]"]["value"] == pytest.approx(
        125e-9 * (1 - (1 - share) ** (1 / 3)), rel=1e-9
    )
    assert 11.5e-9 < ru3["Li-deficient layer thickness [m]"]["value"] < 12.5e-9
    ru05 = treatment_parameters(0.1, **CELL)
    assert 3.0e-9 < ru05["Li-deficient layer thickness [m]"]["value"] < 3.3e-9


def test_the_li_deficient_shell_trades_oxygen_redox_for_mn_redox_and_keeps_its_li():
    # DFT cells of the layer (Sun et al. 2025): Li30Mn18O48 has 6 TM-layer Li, Li25Mn23O48 one,
    # so Ru-1's shell keeps a sixth of the Li-O-Li oxygen; on Li1.20M0.80O2 (0.2 TM-layer Li
    # per O2) it keeps (1 + 0.2 / 6) / 1.2 of its Li, and the oxygen redox lost goes to Mn
    import pybamm

    from lrmo_cell.parameters.functions import (
        oxygen_couple_volume_fraction,
        tm_couple_volume_fraction,
    )

    def fractions(sample):
        values = pybamm.ParameterValues(load_parameter_set(SAMPLE_SETS[sample]))
        values["Accessible share of the oxygen-redox Li sites"] = 1.0
        eps = values["Positive electrode active material volume fraction"]
        tm = values.evaluate(tm_couple_volume_fraction(0, 0, 0)) / eps
        ox = values.evaluate(oxygen_couple_volume_fraction(0, 0, 0)) / eps
        return tm, ox

    (tm0, ox0), (tm1, ox1) = fractions("pristine"), fractions("Ru-1")
    shell = 1 - (1 - 4.5 / 125) ** 3
    assert ox1 / ox0 == pytest.approx(1 - shell * (1 - 1 / 6), rel=1e-9)
    y = (1 + 0.2 / 6) / 1.2
    assert tm1 + ox1 == pytest.approx((tm0 + ox0) * (1 - shell * (1 - y)), rel=1e-9)
    assert tm1 > tm0


def test_treatment_rejects_out_of_range_concentration():
    with pytest.raises(InputError, match="RuCl3 concentration"):
        treatment_parameters(
            -0.1,
            powder_volume_fraction=0.45,
            lrmo_density_kg_per_m3=4250,
            electrode_volume_m3=1e-9,
            particle_radius_m=1.25e-7,
        )


def test_packaged_sets_are_in_the_data_folder():
    names = {p.stem for p in data_dir("parameter_sets").glob("*.json")}
    assert set(ALL_SETS) <= names


@pytest.mark.parametrize("value", [0.0, 1.2])
def test_a_first_cycle_efficiency_is_refused_outside_zero_to_one(value):
    # the graphite's formation takes 1/ICE - 1 of its capacity: ICE = 0 divides by zero, and an
    # efficiency above 1 would give Li back
    from lrmo_cell.parameters.io import check_value

    name = "Negative electrode first-cycle Coulombic efficiency"
    with pytest.raises(InputError, match=r"first-cycle Coulombic efficiency.*in \(0, 1\]"):
        check_value(name, value, "a set")
    check_value(name, 0.92, "a set")
