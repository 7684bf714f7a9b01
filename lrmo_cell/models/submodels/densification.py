"""Mechanism 5: consequences of lost lattice oxygen (surface densification and TM migration).

Oxygen vacancies left at the surface let transition metals migrate into the Li layer; the surface
densifies into spinel and rock-salt phases (Sun et al. 2025, doi:10.1039/d5ee00430f). From the net
lattice oxygen lost per particle surface, n_O = 2 (N_released - N_recaptured) / a [mol.m-2]:

- film resistance of the densified layer, R_film = R_film,0 + rho_dens n_O, in series with every
  positive-electrode surface reaction (film overpotential -j_tot R_film, as PyBaMM's SEI film);
- TM migration fraction m = nu 2 (N_released - N_recaptured) / (eps_0 c_O,lattice), which shifts the
  TM open-circuit potential down by m dU_mig (voltage decay);
- loss of active material (``OxygenLossActiveMaterial``): each O that escapes for good destroys
  a host volume.
"""

from __future__ import annotations

import pybamm

from .base import LumpedPositiveSubModel


class SurfaceDensification(LumpedPositiveSubModel):
    """Film resistance and TM-migration OCP shift from the net lattice-oxygen loss."""

    def get_coupled_variables(self, variables):
        released = variables["X-averaged released oxygen [mol.m-3]"]
        recaptured = variables["X-averaged recaptured oxygen [mol.m-3]"]
        a = self.x_averaged(variables, "surface area to volume ratio [m-1]")
        lost = 2 * (released - recaptured)  # mol O per electrode volume
        r_film = pybamm.Parameter("Initial positive film resistance [Ohm.m2]") + pybamm.Parameter(
            "Densified layer resistance per lost oxygen [Ohm.m4.mol-1]"
        ) * (lost / a)
        i_cc = variables["Current collector current density [A.m-2]"]
        # average total interfacial current density of the positive electrode (anodic positive)
        j_tot = -i_cc / (a * self.param.p.L)
        migration = (
            pybamm.Parameter("TM migrations per lost oxygen")
            * lost
            / (
                pybamm.Parameter("Positive electrode active material volume fraction")
                * pybamm.Parameter("Lattice oxygen concentration [mol.m-3]")
            )
        )
        variables.update(
            {
                "X-averaged net lattice oxygen lost [mol.m-3]": lost,
                "X-averaged positive electrode film resistance [Ohm.m2]": r_film,
                "X-averaged positive electrode film overpotential [V]": -j_tot * r_film,
                "X-averaged TM migration fraction": migration,
                "X-averaged positive electrode OCP shift from TM migration [V]": migration
                * pybamm.Parameter("OCP shift at full TM migration [V]"),
            }
        )
        return variables
