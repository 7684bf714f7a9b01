"""PyBaMM's own positive-electrode submodels, extended by the oxygen-loss consequences.

- ``FilmButlerVolmer``: the symmetric Butler-Volmer main (TM) reaction with the film overpotential
  of the densified surface layer in series (as PyBaMM adds its SEI film overpotential).
- ``MigratedOpenCircuitPotential``: PyBaMM's single OCP, shifted down by TM migration (voltage
  decay), without the barrier PyBaMM adds near empty and full.
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
        ocp_surf = self._ocp_without_asymptotes(sto_surf, T) - _match_domain(shift, sto_surf)
        ocp_bulk = self._ocp_without_asymptotes(sto_bulk, T_bulk) - _match_domain(shift, sto_bulk)
        dUdT = self.phase_param.dUdT(sto_surf)
        variables.update(self._get_standard_ocp_variables(ocp_surf, ocp_bulk, dUdT))
        self._alias_ocp_as_equilibrium(variables)
        return variables

    def _ocp_without_asymptotes(self, sto, T):
        """PyBaMM's U(sto, T) = U_ref(sto) + (T - T_ref) dU/dT without its end barrier.

        PyBaMM adds a barrier to every OCP (1 mV at 0.001 from either end, 1 V at the end, then
        linear at 1.4e6 V per unit stoichiometry; pybamm#5371) so that a curve that stays finite
        still drives the solver back from an empty or full surface. The LRMO TM curve is a
        non-ideal Nernst curve that diverges by itself, and its surface runs to within 1e-4 of
        empty and full every cycle at 1C: there the barrier would add 0.25 V to the OCP, and a
        surface value the solver overshoots past 1 turns the Butler-Volmer sinh into inf.
        Without it the surface is kept in range by the exchange current vanishing at both ends,
        which holds as long as the solver stays inside (0, 1): a surface it leaves a hair past
        full at the end of a discharge meets a clipped OCP and a vanishing exchange current, no
        restoring force, and the next charge cannot start the TM reaction (a few charges in 300
        cycles of the pristine cell; ``FallbackIDAKLUSolver`` redoes them at tight tolerances).
        The stoichiometry is only clipped into [0, 1] (PyBaMM clips to 1e-10 from either end,
        which would floor the TM curve at 2.07 V, inside the voltage window); the LRMO OCP
        function keeps its own logarithm finite.
        """
        sto_clipped = pybamm.maximum(pybamm.minimum(sto, 1), 0)
        u_ref = pybamm.FunctionParameter(
            "Positive electrode OCP [V]", {"Positive particle stoichiometry": sto_clipped}
        )
        return u_ref + (T - self.param.T_ref) * self.phase_param.dUdT(sto_clipped)


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
