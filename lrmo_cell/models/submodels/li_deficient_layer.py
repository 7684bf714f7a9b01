"""Mechanism 6: the Li-deficient surface layer left by the acidic RuCl3 treatment.

H+/Li+ exchange removes Li from the outer few nm (Sun et al. 2025, doi:10.1039/d5ee00430f: a 4-5 nm
interlayer, Li rising from surface to bulk). Fewer Li-O-Li configurations leave less oxidisable
surface oxygen: in the paper's DFT the oxygen share of the states within 1 eV below the Fermi level
falls from 84.2 % (Li30Mn18O48) to 75.5 % (Li25Mn23O48). The layer therefore

- lowers the surface oxygen activity (the share of oxidisable O states, relative to the bulk), which
  scales the oxygen-loss rate, and
- delays the onset of lattice-oxygen oxidation, linearly in the Li removed between the two measured
  onsets (about 4.4 V pristine, 4.6 V Ru-1).

Its faster Li transport enters through the particle diffusivity function
(``lrmo_cell.parameters.functions.lrmo_diffusivity``, a series resistance of layer and bulk).
"""

from __future__ import annotations

import pybamm

from .base import LumpedPositiveSubModel

# oxygen share of states near the Fermi level at Li fraction 1 (Li30) and 25/30 (Li25), DFT of
# Sun et al. 2025
_O_SHARE_BULK = 0.842
_O_SHARE_LI25 = 0.755
_LI_FRACTION_LI25 = 25 / 30


def surface_oxygen_activity(li_fraction):
    """Oxidisable surface-oxygen activity (1 = bulk) at a layer Li fraction (1 = bulk Li content).

    Linear in Li content through the two DFT points of Sun et al. 2025 (84.2 % -> 75.5 %),
    normalised by the bulk value. Works on floats, numpy arrays and pybamm symbols.
    """
    slope = (_O_SHARE_BULK - _O_SHARE_LI25) / (1 - _LI_FRACTION_LI25)
    return (_O_SHARE_BULK - slope * (1 - li_fraction)) / _O_SHARE_BULK


class LiDeficientLayer(LumpedPositiveSubModel):
    """Surface-oxygen activity and oxygen-loss onset potential set by the Li-deficient layer."""

    def get_fundamental_variables(self):
        y = pybamm.Parameter("Li-deficient layer Li fraction")
        thickness = pybamm.Parameter("Li-deficient layer thickness [m]")
        onset_0 = pybamm.Parameter("Pristine oxygen loss onset potential [V]")
        shift = pybamm.Parameter("Oxygen loss onset shift per Li removed [V]")
        # a layer of zero thickness leaves the surface pristine whatever its nominal Li fraction
        y_eff = pybamm.minimum(1, 1 - (1 - y) * pybamm.sign(thickness))
        return {
            "Li-deficient layer thickness [m]": thickness,
            "Li-deficient layer Li fraction": y_eff,
            "Surface oxygen activity": surface_oxygen_activity(y_eff),
            "Oxygen loss onset potential [V]": onset_0 + shift * (1 - y_eff),
        }
