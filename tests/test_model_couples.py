"""The oxygen couple's rest potential, as a function of its site shares and surface potential.

Its reaction overpotential is its affinity, ln(anodic / cathodic rate) in units of R T / F. Three
properties follow from what the affinity is, reasoned by hand here rather than read off the code:
with no unactivated sites left it is the reversible gallery's MSMR overpotential; with them, under
Butler-Volmer, the rest potential is the closed-form mixed potential of the two populations; a
couple that runs in neither direction has no driving force.
"""

import math

import pybamm
import pytest

from lrmo_cell.models.lrmo.couples import couple_affinity, oxygen_couple_rates

F_RT = pybamm.constants.F.value / (pybamm.constants.R.value * 298.15)
REORGANIZATION = 0.21 * F_RT  # the sets' 0.21 eV (Bai & Bazant 2014)
W, W_ACT = 1.3, 0.5
U0, U0_ACT = 3.6, 4.45  # V, formal potentials of the activated and unactivated sites


def rest_potential(x, u, delta_phi, kinetics):
    """[V] the couple's rest potential at surface potential difference delta_phi [V]."""
    rates = oxygen_couple_rates(
        pybamm.Scalar(x),
        pybamm.Scalar(u),
        pybamm.Scalar(F_RT * (delta_phi - U0)),
        pybamm.Scalar(F_RT * (delta_phi - U0_ACT)),
        W,
        W_ACT,
        pybamm.Scalar(REORGANIZATION),
        kinetics,
    )
    oxidation, activation, reduction = rates
    return delta_phi - couple_affinity(oxidation + activation, reduction).evaluate() / F_RT


@pytest.mark.parametrize("kinetics", ["Butler-Volmer", "Marcus-Hush-Chidsey"])
@pytest.mark.parametrize("delta_phi", [3.4, 3.6, 3.8])
def test_activated_couple_rests_at_its_gallery_ocp(kinetics, delta_phi):
    """u = 0: U0 + w (R T / F) ln((1 - x) / x) whatever the potential it is taken at (detailed
    balance of a single reaction). To 1e-9 V: the rates there are at least e^-8, and the 1e-12
    no-rate floor moves the logarithm by under 1e-8 of R T / F."""
    x = 0.3
    gallery = U0 + W / F_RT * math.log((1 - x) / x)
    assert rest_potential(x, 0.0, delta_phi, kinetics) == pytest.approx(gallery, abs=1e-9)


@pytest.mark.parametrize("delta_phi", [3.95, 4.03, 4.1])
def test_activating_couple_rests_at_the_mixed_potential(delta_phi):
    """Butler-Volmer, a surface whose reversible sites hold almost no Li (x - u = 1e-7) next to
    unactivated ones: the net current A e^(eta/2) + B e^(eta_act/2) - C e^(-eta/2) vanishes at
    U0 + (R T / F) ln(C / (A + B e^(-F (U0_act - U0) / 2 R T))), A = (x - u)^w, B = u^w_act,
    C = (1 - x)^w: here 4.03 V, 0.43 V above the reversible sites' formal potential, where the
    activation term is 45 times the reversible oxidation. State only, so the same at any
    potential it is taken at."""
    u = 0.3
    x = u + 1e-7
    a, b, c = (x - u) ** W, u**W_ACT, (1 - x) ** W
    mixed = U0 + math.log(c / (a + b * math.exp(-F_RT * (U0_ACT - U0) / 2))) / F_RT
    assert mixed == pytest.approx(4.03, abs=0.005)
    assert rest_potential(x, u, delta_phi, "Butler-Volmer") == pytest.approx(mixed, abs=1e-8)


def test_as_made_couple_has_no_driving_force():
    """x = u = 1 at 3.4 V, the sets' Marcus-Hush-Chidsey kinetics: no reversible Li, no empty
    site, and the Li2MnO3-like sites 1.05 V below their plateau, beyond the reorganization
    energy: the couple runs in neither direction, and its rest potential is the potential it
    is at."""
    assert rest_potential(1.0, 1.0, 3.4, "Marcus-Hush-Chidsey") == pytest.approx(3.4, abs=1e-9)


def test_as_made_couple_activates_under_butler_volmer():
    """The same surface under Butler-Volmer: the unbounded exponential leaves the plateau sites
    a one-way rate of e^(-F 1.05 V / 2 R T) = 1.4e-9 of the rate constant with nothing to oppose
    it, so the couple is not at rest: its driving force is that of an oxidation against no
    reduction, which the 1e-12 no-rate floor bounds to ln((1.4e-9 + 1e-12) / 1e-12) R T / F =
    0.19 V."""
    driving_force = 3.4 - rest_potential(1.0, 1.0, 3.4, "Butler-Volmer")
    one_way = math.exp(-F_RT * (U0_ACT - 3.4) / 2)
    expected = math.log((one_way + 1e-12) / 1e-12) / F_RT
    assert driving_force == pytest.approx(expected, abs=1e-6)
