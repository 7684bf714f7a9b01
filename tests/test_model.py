"""The LRMO PyBaMM model: conservation laws, onset, treatment trends, bases and cells."""

import numpy as np
import pybamm
import pytest

from lrmo_cell.models import LRMO
from lrmo_cell.models.cycling import active_powder_mass_g, run_cycling, run_experiment
from lrmo_cell.parameters import load_parameter_set

F = 96485.33212
POOLS = ("free", "adsorbed", "escaped", "recaptured")


def _values(sample):
    return pybamm.ParameterValues(load_parameter_set(sample))


@pytest.fixture(scope="module")
def ru1_formation():
    """Ru-1: one 0.1C formation cycle and two 1C cycles (the catalyst recaptures on discharge)."""
    _, solution, values = run_cycling("Ru-1", 1.0, 2, show_progress=False)
    return solution, values


@pytest.fixture(scope="module")
def formation_by_sample():
    from lrmo_cell.models.cycling import simulate_cycling

    samples = ("pristine", "Ru-0.5", "Ru-1", "Ru-3")
    return {s: simulate_cycling(s, 1.0, 0, show_progress=False).iloc[0] for s in samples}


def test_model_is_a_pybamm_model_with_the_oxygen_states():
    model = LRMO({"working electrode": "positive"})
    assert isinstance(model, pybamm.lithium_ion.BaseModel)
    for name in (
        "X-averaged positive electrode oxygen redox oxidised fraction",
        "X-averaged unactivated Li2MnO3 fraction",
        "X-averaged released oxygen [mol.m-3]",
        "X-averaged positive electrode film resistance [Ohm.m2]",
        "Positive electrode oxygen loss volumetric interfacial current density [A.m-3]",
    ):
        assert name in model.variables


def test_oxygen_reactions_enter_the_total_interfacial_current(ru1_formation):
    solution, _ = ru1_formation
    name = "X-averaged positive electrode {}volumetric interfacial current density [A.m-3]"
    total = solution[
        "Sum of x-averaged positive electrode volumetric interfacial current densities [A.m-3]"
    ].entries
    parts = [
        solution[name.format(r)].entries
        for r in ("", "oxygen redox ", "oxygen loss ", "oxygen recapture ")
    ]
    assert all(np.abs(p).max() > 0 for p in parts)
    np.testing.assert_allclose(total, sum(parts), rtol=1e-9, atol=1e-12 * np.abs(total).max())


def test_oxygen_is_conserved(ru1_formation):
    solution, _ = ru1_formation
    released = solution["X-averaged released oxygen [mol.m-3]"].entries
    pools = sum(solution[f"X-averaged {p} oxygen [mol.m-3]"].entries for p in POOLS)
    assert released[-1] > 0
    assert solution["X-averaged recaptured oxygen [mol.m-3]"].entries[-1] > 0
    np.testing.assert_allclose(pools, released, rtol=1e-6, atol=1e-9 * released.max())


def test_lithium_is_conserved(ru1_formation):
    """Li in particles, O reservoir, electrolyte and LAM losses + Li plated on the counter
    electrode - Li+ set free by O loss + Li+ bound by recapture is constant (4 Li per O2)."""
    solution, values = ru1_formation
    volume = (
        values["Positive electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    net_o2 = (
        solution["X-averaged released oxygen [mol.m-3]"].entries
        - solution["X-averaged recaptured oxygen [mol.m-3]"].entries
    ) * volume
    plated = -solution["Discharge capacity [A.h]"].entries * 3600 / F
    inventory = (
        solution["Total lithium in particles [mol]"].entries
        + solution["Total lithium in oxygen redox reservoir [mol]"].entries
        + solution["Total lithium in electrolyte [mol]"].entries
        + solution[
            "Loss of lithium due to loss of active material in positive electrode [mol]"
        ].entries
        + solution[
            "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]"
        ].entries
        + plated
        - 4 * net_o2
    )
    # the double layer stores ~0.1 % of the charge passed; everything else must balance
    charge_passed = np.abs(plated).max()
    assert np.ptp(inventory) < 2e-3 * charge_passed


def test_lithium_lost_with_active_material_never_comes_back(ru1_formation):
    """Destroyed host takes its Li with it; Ru-1 recaptures oxygen on every discharge, and a host
    rebuilt on recapture would create Li at the particle's concentration. So the host volume
    fraction may only fall: its rate of change is <= 0 at every solver point, exactly (only
    oxygen that escapes destroys host, and escape is one-way), and the two LAM Li losses, which
    that rate drives, grow from cycle to cycle. (Within a step the integrated losses carry the
    solver's own error, a relative 1e-4, which says nothing about the physics.)"""
    solution, _ = ru1_formation
    host_rate = solution[
        "X-averaged positive electrode active material volume fraction change [s-1]"
    ].entries
    assert host_rate.min() < 0
    assert np.all(host_rate <= 0)
    for name in (
        "Loss of lithium due to loss of active material in positive electrode [mol]",
        "Loss of lithium due to loss of active material in oxygen redox reservoir [mol]",
    ):
        by_cycle = [cycle[name].entries[-1] for cycle in solution.cycles]
        assert by_cycle[0] > 0
        assert np.all(np.diff(by_cycle) > 0)


def test_no_oxygen_loss_below_the_onset():
    values = _values("pristine")
    solution, _ = run_experiment(values, [(0.1, 1)], v_max=4.3)
    assert solution["X-averaged released oxygen [mol.m-3]"].entries.max() == 0
    # and in a full cycle to 4.8 V the loss current is zero wherever the surface is below onset
    solution, _ = run_experiment(values, [(0.1, 1)])
    dphi = solution["X-averaged positive electrode surface potential difference [V]"].entries
    film = solution["X-averaged positive electrode film overpotential [V]"].entries
    onset = solution["Oxygen loss onset potential [V]"].entries
    j_loss = solution[
        "X-averaged positive electrode oxygen loss interfacial current density [A.m-2]"
    ].entries
    below = dphi + film < onset
    assert below.any() and (~below).any()
    assert np.all(j_loss[below] == 0)
    assert j_loss[~below].max() > 0


def test_onset_is_later_with_the_li_deficient_layer():
    # Sun et al. 2025: ~4.4 V pristine, ~4.6 V Ru-1
    model = LRMO({"working electrode": "positive"})
    onset = model.variables["Oxygen loss onset potential [V]"]
    for sample, expected in (("pristine", 4.4), ("Ru-1", 4.6)):
        value = _values(sample).process_symbol(onset).evaluate()
        assert float(value) == pytest.approx(expected, abs=1e-9)


def test_ice_rises_and_oxygen_release_falls_with_treatment(formation_by_sample):
    rows = list(formation_by_sample.values())
    ice = [r["coulombic_efficiency"] for r in rows]
    o2 = [r["oxygen_released_umol_per_g"] for r in rows]
    assert all(a < b for a, b in zip(ice, ice[1:], strict=False)), ice
    assert all(a > b for a, b in zip(o2, o2[1:], strict=False)), o2


def test_first_cycle_irreversible_capacity_is_oxygen_loss_plus_li_left_out_of_the_host():
    """Cycler side: charge - discharge capacity of the pristine formation cycle. Model side,
    from independent states: the O-loss charge (4 e- per released O2; pristine has no catalyst)
    plus the Li the host did not take back by the 2.0 V cut-off (particles, O-redox reservoir,
    net of the Li trapped in lost active material). They must agree to the double-layer share;
    the oxygen loss must be most of it (the study's explanation of the pristine ICE)."""
    frame, solution, values = run_cycling("pristine", 1.0, 0, show_progress=False)
    row = frame.iloc[0]
    mass_g = active_powder_mass_g(values)
    to_mAh_per_g = F / 3.6 / mass_g  # mol -> mAh per g of powder

    def change(name):
        entries = solution[name].entries
        return entries[-1] - entries[0]

    o_loss = 4 * row["oxygen_released_umol_per_g"] * 1e-6 * F / 3.6
    li_left_out = -to_mAh_per_g * (
        change("Total lithium in particles [mol]")
        + change("Total lithium in oxygen redox reservoir [mol]")
        + change("Loss of lithium due to loss of active material in positive electrode [mol]")
        + change("Loss of lithium due to loss of active material in oxygen redox reservoir [mol]")
    )
    irreversible = row["charge_capacity_mAh_per_g"] - row["discharge_capacity_mAh_per_g"]
    assert irreversible == pytest.approx(o_loss + li_left_out, rel=0.01)
    assert o_loss > 0.7 * irreversible


def test_active_powder_mass_is_the_electrode_loading():
    values = _values("pristine")
    # 0.45 x 20 um x 1 cm x 1.54 cm x 4.25 g/cm3 = 5.89 mg
    assert active_powder_mass_g(values) == pytest.approx(0.45 * 20e-4 * 1 * 1.54 * 4.25, rel=1e-9)


@pytest.mark.parametrize("base", ["SPM", "SPMe", "DFN"])
def test_half_cell_runs_on_every_base(base):
    values = _values("Ru-1")
    solution, _ = run_experiment(values, [(0.5, 1)], base=base)
    v = solution["Voltage [V]"].entries
    # the solver stops on the cut-off events, which it locates to ~1e-11 V
    assert v.max() == pytest.approx(4.8, abs=1e-6) and v.min() == pytest.approx(2.0, abs=1e-6)


@pytest.mark.slow
def test_spme_and_dfn_agree_at_low_rate():
    values = _values("Ru-1")
    caps = {}
    for base in ("SPMe", "DFN"):
        solution, _ = run_experiment(values, [(0.1, 1)], base=base)
        caps[base] = solution.cycles[0].steps[-1]["Discharge capacity [A.h]"].entries
    # at 0.1C the electrolyte barely polarises: they agree to 3e-7 (1e-4 asked)
    assert caps["DFN"][-1] - caps["DFN"][0] == pytest.approx(
        caps["SPMe"][-1] - caps["SPMe"][0], rel=1e-4
    )


def test_full_cell_with_graphite_runs_with_experiment_and_idaklu():
    """A C/10 formation cycle of the Ru-1 || graphite cell. The graphite's Li changes by the
    electrons the cycler passed, less four Li per O2 that escaped the cathode and was reduced on
    the graphite (no other graphite side reaction in this set); the double layer holds ~1e-4 of
    the charge, so the balance must close to 1e-3 of the charge passed on charge. The oxygen-loss
    rate constant is raised 100-fold (and the catalyst removed) so that the crossover loss is
    far larger than that and the test would see it missing."""
    model = LRMO()
    values = pybamm.ParameterValues("LRMO_Sun2025_Ru1_graphite")
    values.update(
        {
            "Oxygen loss exchange-current density [A.m-2]": 100
            * values["Oxygen loss exchange-current density [A.m-2]"],
            "RuO2 mass fraction in active powder": 0.0,
        }
    )
    current = values["Nominal cell capacity [A.h]"] / 10
    experiment = pybamm.Experiment(
        [(f"Charge at {current} A until 4.6 V", f"Discharge at {current} A until 2.0 V")]
    )
    sim = pybamm.Simulation(
        model, parameter_values=values, experiment=experiment, solver=pybamm.IDAKLUSolver()
    )
    solution = sim.solve()
    charge = solution.cycles[0].steps[0]
    assert charge["Voltage [V]"].entries[-1] == pytest.approx(4.6, abs=1e-6)  # the cut-off event
    li_n = solution["Total lithium in negative electrode [mol]"].entries
    q = solution["Discharge capacity [A.h]"].entries
    charged_mol = -q.min() * 3600 / F
    net_passed_mol = -q[-1] * 3600 / F
    lost = solution["Loss of lithium to oxygen crossover [mol]"].entries[-1]
    cathode_m3 = (
        values["Positive electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    escaped_mol = solution["X-averaged escaped oxygen [mol.m-3]"].entries[-1] * cathode_m3
    assert lost == pytest.approx(4 * escaped_mol, rel=1e-10)  # by construction: met to 2e-15
    assert lost > 1e-2 * charged_mol
    assert abs(li_n[-1] - li_n[0] - (net_passed_mol - lost)) < 1e-3 * charged_mol
    assert 0.8 < (q[-1] - q.min()) / -q.min() < 1.0


def test_surface_form_false_is_rejected():
    with pytest.raises(pybamm.OptionError, match="surface form"):
        LRMO({"working electrode": "positive", "surface form": "false"})
