"""PyBaMM's own positive-electrode submodels, extended by the oxygen-loss consequences.

- ``FilmButlerVolmer``: the symmetric Butler-Volmer main (TM) reaction with the film overpotential
  of the densified surface layer in series (as PyBaMM adds its SEI film overpotential).
- ``MigratedOpenCircuitPotential``: PyBaMM's single OCP, shifted down by TM migration (voltage
  decay).
- ``OxygenLossActiveMaterial``: PyBaMM's loss-of-active-material state, driven by the oxygen
  that escapes for good: each escaped O destroys a host volume V_host [m3.mol-1].
"""

from __future__ import annotations

import pybamm


def _match_domain(symbol: pybamm.Symbol, like: pybamm.Symbol) -> pybamm.Symbol:
    """Broadcast a lumped (current-collector) symbol onto ``like``'s electrode domain if needed."""
    if like.domain == ["positive electrode"] and symbol.domain != like.domain:
        return pybamm.PrimaryBroadcast(symbol, "positive electrode")
    return symbol


class FilmButlerVolmer(pybamm.kinetics.SymmetricButlerVolmer):
    """Main intercalation reaction with the densified-layer film overpotential in series."""

    def get_coupled_variables(self, variables):
        self._eta_film = variables["X-averaged positive electrode film overpotential [V]"]
        return super().get_coupled_variables(variables)

    def _get_kinetics(self, j0, ne, eta_r, T, u):
        return super()._get_kinetics(j0, ne, eta_r + _match_domain(self._eta_film, eta_r), T, u)


class MigratedOpenCircuitPotential(pybamm.open_circuit_potential.SingleOpenCircuitPotential):
    """TM-redox OCP U(sto, T) - m dU_mig, with m the TM migration fraction."""

    def get_coupled_variables(self, variables):
        sto_surf, sto_bulk, T, T_bulk = self._get_stoichiometry_and_temperature(variables)
        shift = variables["X-averaged positive electrode OCP shift from TM migration [V]"]
        ocp_surf = self.phase_param.U(sto_surf, T) - _match_domain(shift, sto_surf)
        ocp_bulk = self.phase_param.U(sto_bulk, T_bulk) - _match_domain(shift, sto_bulk)
        dUdT = self.phase_param.dUdT(sto_surf)
        variables.update(self._get_standard_ocp_variables(ocp_surf, ocp_bulk, dUdT))
        self._alias_ocp_as_equilibrium(variables)
        return variables


class OxygenLossActiveMaterial(pybamm.active_material.LossActiveMaterial):
    """Active material volume fraction lost in proportion to the oxygen that escapes.

    Only escaped oxygen counts: oxygen still free or adsorbed can be recaptured into the lattice
    (its Li returns through the recapture reaction), and a host rebuilt on recapture would bring
    back Li at the particle's concentration, out of nothing. Escape is one-way, so the active
    material only ever decreases and its Li loss never runs backwards."""

    def get_coupled_variables(self, variables):
        o2_escape = variables["X-averaged oxygen escape rate [mol.m-3.s-1]"]
        v_host = pybamm.Parameter("Host volume lost per lost oxygen [m3.mol-1]")
        # two lattice O atoms per escaped O2
        variables.update(
            self._get_standard_active_material_change_variables(-v_host * 2 * o2_escape)
        )
        return variables
