"""The oxygen couple's rest potential, as a function of its site shares and surface potential.

Its reaction overpotential is ln(anodic / cathodic rate) in units of R T / F. Properties that
follow from that, reasoned by hand here rather than read off the code: with no unactivated sites
left it is the reversible gallery's MSMR overpotential, at any potential the cell reaches; with
them, under Butler-Volmer, the rest potential is the closed-form mixed potential of the two
populations, and under Marcus-Hush-Chidsey it is the potential itself where the net current
vanishes; the as-made couple, whose only reaction runs one way, is frozen rather than at rest.
"""

import math

import pybamm
import pytest
from scipy.optimize import brentq

from lrmo_cell.models.lrmo.couples import oxygen_couple_driving_force, oxygen_couple_rates

F_RT = pybamm.constants.F.value / (pybamm.constants.R.value * 298.15)
# the sets' couple: 0.21 eV (Bai & Bazant 2014), spreads 3 (reversible) and 1 (activation),
# formal potentials [V] of the activated (before hysteresis) and unactivated sites
REORGANIZATION = 0.21 * F_RT
W, W_ACT = 3.0, 1.0
U0, U0_ACT = 3.75, 4.5
MHC = "Marcus-Hush-Chidsey"


def _arguments(x, u, delta_phi, kinetics):
    return (
        pybamm.Scalar(x),
        pybamm.Scalar(u),
        pybamm.Scalar(F_RT * (delta_phi - U0)),
        pybamm.Scalar(F_RT * (delta_phi - U0_ACT)),
        W,
        W_ACT,
        pybamm.Scalar(REORGANIZATION),
        kinetics,
    )


def rest_potential(x, u, delta_phi, kinetics):
    """[V] the couple's rest potential at surface potential difference delta_phi [V]."""
    driving_force = oxygen_couple_driving_force(*_arguments(x, u, delta_phi, kinetics))
    return delta_phi - float(driving_force.evaluate()) / F_RT


def net_current(x, u, delta_phi, kinetics):
    """The couple's net anodic current per unit rate constant."""
    oxidation, activation, reduction = oxygen_couple_rates(*_arguments(x, u, delta_phi, kinetics))
    return float((oxidation + activation - reduction).evaluate())


@pytest.mark.parametrize("kinetics", ["Butler-Volmer", MHC])
@pytest.mark.parametrize("delta_phi", [2.0, 2.6, 3.4, 3.8, 4.8])
def test_activated_couple_rests_at_its_gallery_ocp(kinetics, delta_phi):
    """u = 0: U0 + w (R T / F) ln((1 - x) / x) whatever the potential it is taken at (detailed
    balance of a single reaction), from 2.0 V, where the oxidation rate is e^-34 of the rate
    constant, to 4.8 V, where the reduction rate is e^-20 (and 1 - tanh(eta / 2) cancels to
    nothing in double precision). To 1e-9 V: the 1e-12 share of sites held at equilibrium weighs
    (1e-12)^3 against the sites' (0.3)^3 and (0.7)^3."""
    x = 0.3
    gallery = U0 + W / F_RT * math.log((1 - x) / x)
    assert rest_potential(x, 0.0, delta_phi, kinetics) == pytest.approx(gallery, abs=1e-9)


def _activating_surface():
    """A surface whose reversible sites hold little Li (x - u = 5e-3) next to unactivated ones
    (u = 0.3), where the activation's oxidation and the reversible sites' are comparable."""
    u = 0.3
    return u + 5e-3, u


@pytest.mark.parametrize("offset", [-0.1, 0.0, 0.1])
def test_activating_couple_rests_at_the_mixed_potential(offset):
    """Butler-Volmer: the net current A e^(eta/2) + B e^(eta_act/2) - C e^(-eta/2) vanishes at
    U0 + (R T / F) ln(C / (A + B e^(-F (U0_act - U0) / 2 R T))), A = (x - u)^w, B = u^w_act,
    C = (1 - x)^w: here 4.111 V, 0.36 V above the reversible sites' formal potential, where
    the activation term is 1.1 times the reversible oxidation. State only, so the same at any
    potential it is taken at (here 0.1 V either side)."""
    x, u = _activating_surface()
    a, b, c = (x - u) ** W, u**W_ACT, (1 - x) ** W
    mixed = U0 + math.log(c / (a + b * math.exp(-F_RT * (U0_ACT - U0) / 2))) / F_RT
    assert mixed == pytest.approx(4.111, abs=0.001)
    rest = rest_potential(x, u, mixed + offset, "Butler-Volmer")
    assert rest == pytest.approx(mixed, abs=1e-9)


def test_activating_couple_rests_where_its_current_vanishes():
    """Marcus-Hush-Chidsey, the same surface: the ratio of the two populations' oxidation rates
    moves with the potential, so the rest potential taken away from it is not the zero-current
    potential (4.130 V taken at 4.016 V, 3.889 V at 4.416 V); at the potential where the net
    current vanishes (4.116 V, found by root-finding on the current) it is that potential."""
    x, u = _activating_surface()
    root = brentq(lambda v: net_current(x, u, v, MHC), 3.7, 4.4, xtol=1e-13)
    assert root == pytest.approx(4.116, abs=0.001)
    assert rest_potential(x, u, root, MHC) == pytest.approx(root, abs=1e-9)


def test_as_made_couple_is_frozen_not_at_rest():
    """x = u = 1 at the as-made cell's 3.4 V: no reversible Li and no empty site, and the
    Li2MnO3-like sites, 1.1 V below their plateau, delithiate one way only, at 2 shape(eta_act)
    e^-42.8 ~ 8e-18 of the rate constant, with nothing to oppose them. The couple is kinetically
    frozen, not at equilibrium: its driving force is that of an oxidation (1.2 V here, bounded by
    the 1e-12 share held at equilibrium), and its current is below 1e-15 of the rate constant."""
    assert 3.4 - rest_potential(1.0, 1.0, 3.4, MHC) > 0
    assert abs(net_current(1.0, 1.0, 3.4, MHC)) < 1e-15
