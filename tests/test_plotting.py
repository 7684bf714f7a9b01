"""Axis labels say the quantity and its unit, never the code name."""

import pytest

from lrmo_cell.plotting import quantity_label


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("cathode.loading_mg_per_cm2", "cathode loading [mg/cm²]"),
        ("electrolyte.g_per_Ah", "electrolyte [g/Ah]"),
        ("specific_energy_Wh_per_kg", "specific energy [Wh/kg]"),
        ("cathode.specific_capacity_mAh_per_g", "cathode specific capacity [mAh/g]"),
        ("anode.li_thickness_um", "anode Li thickness [µm]"),
        ("n_p_ratio", "N/P ratio"),
        ("cell.n_cathode_layers", "cell number of cathode layers"),
        ("separator.porosity", "separator porosity"),
    ],
)
def test_quantity_label(name, label):
    assert quantity_label(name) == label
