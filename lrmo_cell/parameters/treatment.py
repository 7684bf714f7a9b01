"""Treatment -> parameters: the RuCl3 concentration of the acid treatment mapped to the model.

Sun et al. 2025 (doi:10.1039/d5ee00430f) stir the LRMO powder in acidic RuCl3 at 0.1, 0.2 and
0.6 mg/mL (Ru-0.5, Ru-1, Ru-3). More acid exchanges more surface Li for H+ (a thicker, more Li-poor
layer: later and slower oxygen loss), and more RuO2 lands on the particles (0.46 wt% in Ru-1): more
catalyst, but also inactive mass that lowers the specific capacity. ``treatment_parameters`` turns
one concentration into the model's layer and catalyst parameters, so a study can vary treatment
continuously.
"""

from __future__ import annotations

import math

from lrmo_cell.errors import InputError

DOI = "doi:10.1039/d5ee00430f"
SAMPLE_RUCL3_MG_PER_ML = {"pristine": 0.0, "Ru-0.5": 0.1, "Ru-1": 0.2, "Ru-3": 0.6}

RU1_RUCL3_MG_PER_ML = 0.2
RU1_RUO2_MASS_FRACTION = 0.0046  # 0.46 wt% RuO2 in Ru-1, Sun et al. 2025
RU1_LAYER_THICKNESS_M = 4.5e-9  # 4-5 nm Li-poor interlayer imaged in Ru-1, Sun et al. 2025
# Li fraction of the layer in Ru-1: assumed equal to the most Li-poor DFT cell of the paper
# (Li25 vs Li30 per 48 O), the composition range its DFT explores for the layer
RU1_LAYER_LI_FRACTION = 25 / 30
# The paper's DFT cells Li(30-n)Mn(18+n)O48 trade Li of the TM layer for Mn one for one: Li30 has
# 6 Li among the 24 TM-layer sites, Li25 one. H+/Li+ exchange can take the layer no further than
# Li24Mn24O48 (LiMnO2 stoichiometry), where no TM-layer Li, hence no Li-O-Li, is left.
MIN_LAYER_LI_FRACTION = 24 / 30
RUO2_DENSITY_KG_PER_M3 = 6970.0  # rutile RuO2, CRC Handbook of Chemistry and Physics
SPECIFIC_CURRENT_1C_A_PER_KG = 250.0  # 1C = 250 mA/g, Sun et al. 2025

# exchange constant [mg/mL] so that the Ru-1 concentration gives the Ru-1 layer Li fraction
_EXCHANGE_SCALE = RU1_RUCL3_MG_PER_ML / -math.log(
    1 - (1 - RU1_LAYER_LI_FRACTION) / (1 - MIN_LAYER_LI_FRACTION)
)


def layer_li_fraction(rucl3_mg_per_ml: float) -> float:
    """Li fraction (1 = bulk) of the Li-deficient layer after treatment at ``rucl3_mg_per_ml``.

    Saturating H+/Li+ exchange, 1 - (1 - y_min)(1 - exp(-c / c0)), pinned to Ru-1's layer.
    """
    exchanged = 1 - math.exp(-rucl3_mg_per_ml / _EXCHANGE_SCALE)
    return 1 - (1 - MIN_LAYER_LI_FRACTION) * exchanged


def li_o_li_share(li_fraction):
    """Li-O-Li configurations of the layer relative to the bulk at layer Li fraction y.

    Each Li of the TM layer makes the Li-O-Li configurations whose oxygen is oxidisable (Seo et
    al., Nat. Chem. 8 (2016) 692, doi:10.1038/nchem.2524); in the DFT cells of Sun et al. 2025
    (Li(30-n)Mn(18+n)O48) the Li removed is TM-layer Li, so their count falls linearly from 6 at
    y = 1 to 0 at y = 24/30: (y - 24/30) / (1 - 24/30), 1/6 for Ru-1's Li25 layer. Works on
    floats, numpy arrays and pybamm symbols.
    """
    return (li_fraction - MIN_LAYER_LI_FRACTION) / (1 - MIN_LAYER_LI_FRACTION)


def treatment_parameters(
    rucl3_mg_per_ml: float,
    *,
    powder_volume_fraction: float,
    lrmo_density_kg_per_m3: float,
    electrode_volume_m3: float,
) -> dict:
    """Model parameters of one treatment, name -> {"value": ..., "source": ...}.

    ``powder_volume_fraction`` is the volume fraction of active powder (LRMO + RuO2) in the
    electrode and ``electrode_volume_m3`` the positive electrode volume (thickness x area);
    both come from the base set. Layer thickness scales with the Li removed (Ru-1: 4.5 nm); RuO2
    uptake is proportional to the RuCl3 concentration (Ru-1: 0.46 wt%), both assumed forms
    pinned to Ru-1.
    """
    if not 0 <= rucl3_mg_per_ml <= 2:
        raise InputError(
            f"RuCl3 concentration must be between 0 and 2 mg/mL, got {rucl3_mg_per_ml}"
        )
    source = (
        "computed: lrmo_cell.parameters.treatment.treatment_parameters"
        f"({rucl3_mg_per_ml} mg/mL RuCl3, {DOI})"
    )
    li_fraction = layer_li_fraction(rucl3_mg_per_ml)
    thickness = RU1_LAYER_THICKNESS_M * (1 - li_fraction) / (1 - RU1_LAYER_LI_FRACTION)
    ruo2 = RU1_RUO2_MASS_FRACTION * rucl3_mg_per_ml / RU1_RUCL3_MG_PER_ML
    lrmo_volume_share = ((1 - ruo2) / lrmo_density_kg_per_m3) / (
        (1 - ruo2) / lrmo_density_kg_per_m3 + ruo2 / RUO2_DENSITY_KG_PER_M3
    )
    eps_lrmo = powder_volume_fraction * lrmo_volume_share
    powder_mass_kg = eps_lrmo * electrode_volume_m3 * lrmo_density_kg_per_m3 / (1 - ruo2)
    values = {
        "RuCl3 treatment concentration [mg.mL-1]": rucl3_mg_per_ml,
        "Li-deficient layer Li fraction": li_fraction,
        "Li-deficient layer thickness [m]": thickness,
        "RuO2 mass fraction in active powder": ruo2,
        "Positive electrode active material volume fraction": eps_lrmo,
        "Nominal cell capacity [A.h]": SPECIFIC_CURRENT_1C_A_PER_KG * powder_mass_kg,
    }
    return {name: {"value": value, "source": source} for name, value in values.items()}
