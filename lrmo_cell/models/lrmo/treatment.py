"""Mechanisms of the acid RuCl3 treatment: the Li-deficient surface layer and the RuO2 islands.

Li-deficient layer (Sun et al., Energy Environ. Sci. 18 (2025) 4335, doi:10.1039/d5ee00430f: a
4-5 nm Li-poor interlayer): fewer Li-O-Li configurations, so

- less oxidisable surface oxygen and slower oxygen-couple kinetics, both by the surface oxygen
  activity: the layer's Li-O-Li configurations relative to the bulk's
  (``lrmo_cell.parameters.treatment.li_o_li_share``: the study's DFT cells Li30Mn18O48 ->
  Li25Mn23O48 trade TM-layer Li for Mn, 6 -> 1 per 48 O, so Ru-1's layer keeps a sixth);
- a later onset of lattice-oxygen oxidation: the shell's own activation couple, on which its
  oxygen is oxidised and lost (``SurfaceOxygenLoss``), moves up by dU_onset (1 - y) (the bulk's
  plateau stays), with dU_onset fixed by the two measured onsets (about 4.4 V pristine,
  4.6 V Ru-1, the study's calibration row).

RuO2 islands (0.46 wt % in Ru-1): islands of height h, landing at random, cover the share phi = 1 -
exp(-V_RuO2 / (h A_LRMO)) of the particle surface. They block it for TM intercalation, carry the
oxygen couple's electron transfer where they sit by the factor kappa, whatever the shell's Li-O-Li
(so the oxygen couple's rate constant becomes k [a (1 - phi) + kappa phi], in both directions, as a
catalyst must), and carry Gamma_Ru A_RuO2 oxygen sites (one O2 per coordinatively unsaturated Ru
of RuO2(110)). More treatment therefore means less oxygen loss and faster catalysed oxygen redox,
but also more blocked surface, less Li-O-Li oxygen outside the islands, Li removed and inactive
mass (``lrmo_cell.parameters.treatment``), so an optimum can emerge."""

from __future__ import annotations

import pybamm

from lrmo_cell.parameters.treatment import li_o_li_share

from .base import PositiveSubModel


class LiDeficientLayer(PositiveSubModel):
    """Surface oxygen activity and activation onset shift of the Li-deficient layer."""

    def get_fundamental_variables(self):
        y = pybamm.Parameter("Li-deficient layer Li fraction")
        shift = pybamm.Parameter("Oxygen-redox onset shift per Li removed [V]") * (1 - y)
        variables = {"Surface oxygen activity": li_o_li_share(y)}
        variables.update(self.electrode_variables("oxygen-redox activation onset shift [V]", shift))
        return variables


class NoLiDeficientLayer(PositiveSubModel):
    """An untreated surface (option "none")."""

    def get_fundamental_variables(self):
        variables = {"Surface oxygen activity": pybamm.Scalar(1)}
        variables.update(
            self.electrode_variables("oxygen-redox activation onset shift [V]", pybamm.Scalar(0))
        )
        return variables


class RuO2Islands(PositiveSubModel):
    """Surface coverage, oxygen-couple catalysis and O2 sites of the RuO2 islands."""

    def get_fundamental_variables(self):
        w = pybamm.Parameter("RuO2 mass fraction in active powder")
        rho_lrmo = pybamm.Parameter("LRMO density [kg.m-3]")
        rho_ru = pybamm.Parameter("RuO2 density [kg.m-3]")
        radius = pybamm.Parameter("Primary: Positive particle radius [m]")
        height = pybamm.Parameter("RuO2 island height [m]")
        eps_lrmo = pybamm.Parameter("Positive electrode active material volume fraction")
        ruo2_volume_per_lrmo_volume = w / (1 - w) * rho_lrmo / rho_ru
        # LRMO surface per LRMO volume: 3 / R for spheres
        # islands land at random: the covered share of a nominal coverage n is 1 - exp(-n),
        # which stays below 1 however much RuO2 there is
        coverage = 1 - pybamm.exp(-ruo2_volume_per_lrmo_volume * radius / (3 * height))
        # RuO2 surface per electrode volume: islands of height h expose about their footprint
        # twice (top and rim)
        ruo2_area = 2 * eps_lrmo * ruo2_volume_per_lrmo_volume / height
        sites = ruo2_area * pybamm.Parameter("RuO2 oxygen site density [mol.m-2]")
        return {
            "RuO2 surface coverage": coverage,
            "RuO2 oxygen-redox catalytic enhancement": pybamm.Parameter(
                "RuO2 oxygen-redox catalytic enhancement"
            ),
            "RuO2 oxygen sites [mol.m-3]": sites,
        }


class NoRuO2Islands(PositiveSubModel):
    """No RuO2 on the surface (option "none")."""

    def get_fundamental_variables(self):
        return {
            "RuO2 surface coverage": pybamm.Scalar(0),
            "RuO2 oxygen-redox catalytic enhancement": pybamm.Scalar(1),
            "RuO2 oxygen sites [mol.m-3]": pybamm.Scalar(0),
        }
