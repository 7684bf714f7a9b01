"""Treatment -> parameters: the RuCl3 concentration of the acid treatment mapped to the model.

Sun et al. 2025 (doi:10.1039/d5ee00430f) stir the LRMO powder in acidic RuCl3 at 0.1, 0.2 and
0.6 mg/mL (Ru-0.5, Ru-1, Ru-3). More acid exchanges more surface Li for H+ (a thicker, more Li-poor
layer: later and slower oxygen loss), and more RuO2 lands on the particles (0.46 wt% in Ru-1): more
catalyst, but also inactive mass that lowers the specific capacity.

Why the Li removed grows in proportion to the concentration: the protons come with the RuO2.
Depositing RuO2 from RuCl3 in water frees three H+ per Ru (4 RuCl3 + O2 + 6 H2O -> 4 RuO2 +
12 HCl); Ru-1's 0.46 wt% RuO2 is 35 umol Ru per g of powder, so ~100 umol H+ per g, the order of
the ~205 umol Li per g that a 4.5 nm shell short of 5/6 of its TM-layer Li lacks (125 nm
particles, 14.2 mmol Li per g, 0.139 of it gone in the shell's 10.4 % of the volume; the acid of
the solution itself supplies the rest). The exchange is therefore acid-limited (assumed; the
study reports no layer thickness but Ru-1's): the Li removed per gram of powder follows the
dose, like the RuO2 uptake. The layer's Li fraction saturates (H+/Li+ exchange takes the
TM-layer Li, whose sites the layer keeps, and cannot go below the LiMO2 stoichiometry), so the
rest of the dose deepens the layer: its thickness follows from the Li balance, shell share x
(1 - y) = (c / c_Ru1) x that of Ru-1.
``treatment_parameters`` turns one concentration into the model's layer and catalyst
parameters, so a study can vary treatment continuously.
"""

from __future__ import annotations

import math

from lrmo_cell.errors import InputError

DOI = "doi:10.1039/d5ee00430f"
SAMPLE_RUCL3_MG_PER_ML = {"pristine": 0.0, "Ru-0.5": 0.1, "Ru-1": 0.2, "Ru-3": 0.6}

RU1_RUCL3_MG_PER_ML = 0.2
RU1_RUO2_MASS_FRACTION = 0.0046  # 0.46 wt% RuO2 in Ru-1, Sun et al. 2025
RU1_LAYER_THICKNESS_M = 4.5e-9  # 4-5 nm Li-poor interlayer imaged in Ru-1, Sun et al. 2025
# primary particles of the study's material (the pristine set's radius, 150-250 nm across)
RU1_PARTICLE_RADIUS_M = 1.25e-7
# Li1.20M0.80O2 (the study's Li1.20Mn0.555Ni0.158Co0.080O2) holds 1.2 Li per O2: a full Li
# layer (1) and 0.2 in the TM layer, the Li2MnO3-like Li whose Li-O-Li configurations make oxygen
# oxidisable (Seo et al. 2016). H+/Li+ exchange that takes all of the TM-layer Li leaves the
# LiMO2 stoichiometry, 1 of 1.2, with no Li-O-Li left.
MIN_LAYER_LI_FRACTION = 1 / 1.2
# Ru-1's layer keeps a sixth of its TM-layer Li (assumed): the share of the study's most Li-poor
# DFT cell of the layer, Li25Mn23O48, which keeps 1 of the 6 TM-layer Li of Li30Mn18O48, the
# composition range its DFT explores; on Li1.20 that is (1 + 0.2 / 6) / 1.2 = 0.861
RU1_LAYER_LI_FRACTION = MIN_LAYER_LI_FRACTION + (1 - MIN_LAYER_LI_FRACTION) / 6
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
    al., Nat. Chem. 8 (2016) 692, doi:10.1038/nchem.2524); the exchange removes TM-layer Li (as
    in the DFT cells of Sun et al. 2025, Li(30-n)Mn(18+n)O48), so their count falls linearly
    from 0.2 per O2 at y = 1 to 0 at y = 1 / 1.2: (y - y_min) / (1 - y_min), 1/6 for Ru-1's
    layer. Works on floats, numpy arrays and pybamm symbols.
    """
    return (li_fraction - MIN_LAYER_LI_FRACTION) / (1 - MIN_LAYER_LI_FRACTION)


def shell_share(thickness_m, radius_m):
    """Volume share of a sphere of radius ``radius_m`` within ``thickness_m`` of its surface.
    Works on floats and pybamm symbols."""
    return 1 - (1 - thickness_m / radius_m) ** 3


def layer_thickness(rucl3_mg_per_ml: float, li_fraction: float, particle_radius_m: float) -> float:
    """Thickness [m] of the Li-deficient layer whose shell holds the Li the dose removed.

    Li removed per LRMO volume, shell share x (1 - y), is (c / c_Ru1) x Ru-1's (4.5 nm at Li
    fraction 0.861 in the study's 125 nm particles, ``RU1_PARTICLE_RADIUS_M``); the shell of that
    share at the layer's Li fraction y gives the thickness. The share is per LRMO volume, so it
    does not depend on the radius; the thickness scales with it.
    """
    if rucl3_mg_per_ml == 0:  # no exchange: y = 1 and no shell
        return 0.0
    ru1_removed = shell_share(RU1_LAYER_THICKNESS_M, RU1_PARTICLE_RADIUS_M) * (
        1 - RU1_LAYER_LI_FRACTION
    )
    # below 1 over the accepted 0-2 mg/mL: at 2 mg/mL 10 x 0.0145 / (1 - 1/1.2) = 0.87
    share = ru1_removed * rucl3_mg_per_ml / RU1_RUCL3_MG_PER_ML / (1 - li_fraction)
    return particle_radius_m * (1 - (1 - share) ** (1 / 3))


#: the parameters a treatment sets (``treatment_parameters``), in the order it returns them
TREATED_PARAMETERS = (
    "RuCl3 treatment concentration [mg.mL-1]",
    "Li-deficient layer Li fraction",
    "Li-deficient layer thickness [m]",
    "RuO2 mass fraction in active powder",
    "Positive electrode active material volume fraction",
    "Nominal cell capacity [A.h]",
)


def treatment_parameters(
    rucl3_mg_per_ml: float,
    *,
    powder_volume_fraction: float,
    lrmo_density_kg_per_m3: float,
    electrode_volume_m3: float,
    particle_radius_m: float,
) -> dict:
    """Model parameters of one treatment, name -> {"value": ..., "source": ...}.

    ``powder_volume_fraction`` is the volume fraction of active powder (LRMO + RuO2) in the
    electrode and ``electrode_volume_m3`` the positive electrode volume (thickness x area);
    both come from the base set, as does ``particle_radius_m``, the primary particles' radius
    that the layer is a shell of. The Li removed and the RuO2 uptake are proportional to the RuCl3
    concentration (the acid comes with the RuO2, module docstring), pinned to Ru-1 (4.5 nm layer,
    0.46 wt% RuO2); the layer thickness follows from the Li balance of its shell.
    """
    if not 0 <= rucl3_mg_per_ml <= 2:
        raise InputError(
            f"RuCl3 concentration must be between 0 and 2 mg/mL, got {rucl3_mg_per_ml}"
        )
    source = (
        "computed: lrmo_cell.parameters.treatment.treatment_parameters"
        f"({rucl3_mg_per_ml} mg/mL RuCl3, {DOI}), from assumed forms pinned to Ru-1's 0.46 wt% "
        "RuO2 and 4.5 nm layer: RuO2 uptake and Li removed proportional to the concentration, "
        "the layer's Li fraction saturating at LiMO2 stoichiometry (1 of the 1.2 Li)"
    )
    li_fraction = layer_li_fraction(rucl3_mg_per_ml)
    thickness = layer_thickness(rucl3_mg_per_ml, li_fraction, particle_radius_m)
    ruo2 = RU1_RUO2_MASS_FRACTION * rucl3_mg_per_ml / RU1_RUCL3_MG_PER_ML
    lrmo_volume_share = ((1 - ruo2) / lrmo_density_kg_per_m3) / (
        (1 - ruo2) / lrmo_density_kg_per_m3 + ruo2 / RUO2_DENSITY_KG_PER_M3
    )
    eps_lrmo = powder_volume_fraction * lrmo_volume_share
    powder_mass_kg = eps_lrmo * electrode_volume_m3 * lrmo_density_kg_per_m3 / (1 - ruo2)
    values = (
        rucl3_mg_per_ml,
        li_fraction,
        thickness,
        ruo2,
        eps_lrmo,
        SPECIFIC_CURRENT_1C_A_PER_KG * powder_mass_kg,
    )
    return {
        name: {"value": value, "source": source}
        for name, value in zip(TREATED_PARAMETERS, values, strict=True)
    }
