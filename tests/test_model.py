"""The LRMO model: the positive electrode as two couples with their own transport (properties)."""

import casadi
import numpy as np
import pybamm
import pytest

from lrmo_cell.models.cycling import FULL_CELL_OPTIONS
from lrmo_cell.models.lrmo import LRMO, MECHANISMS
from lrmo_cell.parameters import load_parameter_set

SETS = ("LRMO_Sun2025_pristine", "LRMO_Sun2025_Ru1")
MESH = {"x_n": 5, "x_s": 5, "x_p": 5, "r_n": 10, "r_p": 10, "r_p_prim": 10, "r_p_sec": 10}
ALL_OFF = {key: "none" for key in MECHANISMS}
REACTIONS = (
    "X-averaged positive electrode primary interfacial current density [A.m-2]",
    "X-averaged positive electrode secondary interfacial current density [A.m-2]",
)


def _values(name, **changes):
    values = pybamm.ParameterValues(load_parameter_set(name))
    values.update(changes, check_already_exists=False)
    return values


def _simulation(values, base="SPMe", options=None, experiment=None, rtol=1e-6):
    model = LRMO({"working electrode": "positive", **(options or {})}, base=base)
    return pybamm.Simulation(
        model,
        parameter_values=values,
        experiment=experiment,
        var_pts=MESH,
        solver=pybamm.IDAKLUSolver(rtol=rtol, atol=rtol * 1e-2),
    )


@pytest.fixture(scope="module")
def pristine_formation():
    """Pristine: 0.1C charge to 4.8 V and discharge to 2.0 V, then a 1C cycle."""
    values = _values("LRMO_Sun2025_pristine")
    i_1c = values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment(
        [
            (f"Charge at {i_1c / 10} A until 4.8 V", f"Discharge at {i_1c / 10} A until 2.0 V"),
            (f"Charge at {i_1c} A until 4.8 V", f"Discharge at {i_1c} A until 2.0 V"),
        ]
    )
    simulation = _simulation(values, experiment=experiment)
    return simulation.solve(), simulation


@pytest.mark.parametrize("base", ["SPMe", "DFN"])
@pytest.mark.parametrize("name", SETS)
def test_ten_hour_rest_from_the_initial_state_moves_nothing(name, base):
    values = _values(name, **{"Current function [A]": 0})
    solution = _simulation(values, base=base).solve([0, 36000])
    voltage = solution["Voltage [V]"].entries
    # the couples start on one potential, the as-made voltage
    assert voltage[0] == pytest.approx(values["As-made open-circuit voltage [V]"], abs=1e-6)
    assert np.abs(voltage - voltage[0]).max() < 1e-6
    for name in REACTIONS:
        assert np.abs(solution[name].entries).max() < 1e-8


def _time_derivative(solution, variable):
    """d(variable)/dt from the model's own right-hand side at every solution point, the value,
    and the largest dependence of the variable on algebraic states (which have no rate)."""
    rates, values, algebraic = [], [], 0.0
    for model, ts, ys in zip(solution.all_models, solution.all_ts, solution.all_ys, strict=True):
        n = model.concatenated_initial_conditions.shape[0]
        t, y = casadi.MX.sym("t"), casadi.MX.sym("y", n)
        total = model.get_processed_variable(variable).to_casadi(t, y, inputs={})
        rhs = model.concatenated_rhs.to_casadi(t, y, inputs={})
        jac = casadi.jacobian(total, y)
        n_rhs = rhs.shape[0]
        f = casadi.Function("f", [t, y], [jac[:, :n_rhs] @ rhs, total, jac[:, n_rhs:]])
        for k, ti in enumerate(ts):
            rate, value, dependence = f(ti, ys[:, k])
            rates.append(float(rate))
            values.append(float(value))
            algebraic = max(algebraic, float(np.abs(np.array(dependence)).max(initial=0)))
    return np.array(rates), np.array(values), algebraic


@pytest.fixture(scope="module")
def algebraic_formation():
    """Pristine formation cycle with PyBaMM's algebraic surface form, whose own Li balance is
    exact (its differential form keeps double-layer charge that no inventory holds).

    Conservation is a property of the equations whatever the rate constants; the fixture takes
    0.5 eV of reorganization energy because with the set's 0.21 eV PyBaMM's algebraic initial
    solve at the first current step does not converge (IDA_BAD_K), which the set's differential
    form never asks for."""
    values = _values(
        "LRMO_Sun2025_pristine",
        **{
            name: 0.5
            for name in (
                "Primary: Positive electrode reorganization energy [eV]",
                "Secondary: Positive electrode reorganization energy [eV]",
                "RuO2 surface oxygen couple reorganization energy [eV]",
            )
        },
    )
    i_1c = values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment(
        [(f"Charge at {i_1c / 10} A until 4.8 V", f"Discharge at {i_1c / 10} A until 2.0 V")]
    )
    options = {"surface form": "algebraic"}
    return _simulation(values, options=options, experiment=experiment).solve()


@pytest.mark.parametrize(
    "variable", ["Total lithium in all inventories [mol]", "Total oxygen in all inventories [mol]"]
)
def test_lithium_and_oxygen_are_conserved_by_construction(algebraic_formation, variable):
    """The right-hand side conserves every inventory's sum: at the largest rate of the formation
    cycle the total would move by less than 1e-8 of itself in an hour."""
    rate, total, algebraic = _time_derivative(algebraic_formation, variable)
    assert algebraic == 0
    assert np.abs(rate).max() * 3600 < 1e-8 * total[0]


def test_oxygen_loss_moves_lithium_and_oxygen_between_inventories(algebraic_formation):
    """The budget of the first cycle: O2 released, lattice oxygen destroyed and the Li of the
    destroyed volume all move (so the closure above is not a sum of zeros)."""
    solution = algebraic_formation
    released = solution["Released oxygen [umol.g-1]"].entries[-1]
    lost_li = sum(
        solution[
            f"Loss of lithium due to loss of {phase} active material in positive electrode [mol]"
        ].entries[-1]
        for phase in ("primary", "secondary")
    )
    lattice = solution["Total lattice oxygen in hosts [mol]"].entries
    assert 10 < released < 1000  # umol O2 per g: DEMS range of Li-rich oxides (Strehle 2017)
    assert lost_li > 0
    assert lattice[-1] < lattice[0]


def test_no_oxygen_leaves_below_the_activation_plateau(algebraic_formation):
    solution = algebraic_formation.cycles[0].steps[0]
    voltage = solution["Voltage [V]"].entries
    released = solution["Released oxygen [umol.g-1]"].entries
    below = voltage < 4.2
    assert below.sum() > 10
    assert released[below].max() < 1e-6 * released[-1]


@pytest.mark.parametrize(
    "variable",
    [
        "X-averaged positive electrode irreversible TM migration fraction",
        "X-averaged positive electrode densified layer oxygen [mol.m-3]",
        "Loss of lithium due to loss of secondary active material in positive electrode [mol]",
    ],
)
def test_damage_never_heals(pristine_formation, variable):
    """Irreversible states only grow, through charge and discharge, at 0.1C and 1C: no step
    takes back more than the solver's relative tolerance (1e-6) of the damage done."""
    solution, _ = pristine_formation
    values = solution[variable].entries
    assert values[-1] > 0
    assert np.diff(values).min() >= -1e-6 * values[-1]


def test_migrated_tms_shift_li_sites_and_take_none():
    """Without oxygen loss the hosts keep every site while TMs settle in the Li layer: a TM
    leaves a TM-layer site that Li can take, so migration shifts the couples down and loses no
    active material (before, each migrated TM blocked a Li site)."""
    beta = 1e-3  # a large share (the sets hold it at nil), so the migration is plain to see
    values = _values(
        "LRMO_Sun2025_pristine",
        **{"Irreversible TM migration share per oxygen-redox site cycled": beta},
    )
    i_1c = values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment(
        [(f"Charge at {i_1c / 10} A until 4.8 V", f"Discharge at {i_1c / 10} A until 2.0 V")]
    )
    options = {"LRMO oxygen loss": "none"}
    solution = _simulation(values, options=options, experiment=experiment).solve()
    migrated = solution["X-averaged positive electrode irreversible TM migration fraction"]
    shift = solution["X-averaged positive electrode TM migration OCP shift [V]"]
    # ~ beta per oxygen-redox site cycled once, and 6 x 0.67 TM per Li site x 1 V of it: the
    # first charge's migration alone
    assert migrated.entries[-1] > 0.5 * beta
    assert shift.entries[-1] > 0.5 * 6 * 0.67 * beta
    for phase in ("primary", "secondary"):
        eps = solution[f"X-averaged positive electrode {phase} active material volume fraction"]
        assert np.ptp(eps.entries) == 0


def test_tms_settle_for_good_in_the_charged_lattice_not_at_rest_discharged():
    """A vacancy pins a TM that has migrated into the Li layer, and the TMs are there in the
    lattice's charged configuration (the branch state m): cycling keeps m near 1 for about half
    of each cycle (its mean over a 1C cycle is 0.57), while a rest after a discharge holds it
    near its discharge branch, raised only by the ~1 % of oxygen sites the couples' Li exchange
    re-oxidises at rest (m ~ 10 x 0.01, 10 the assumed switching rate). The vacancy flux that
    drives the settling is nearly the same in the three parts (the surface that feeds it changes
    little over a few cycles), so per hour the settling goes as m: such a rest settles about a
    sixth of what 1C cycling does; before the vacancy pathway needed m it settled as much (a
    100 h rest as many TMs as 35 cycles). A rest at the top of charge holds m at ~1, so per hour
    it settles more than cycling does, by about 1 / 0.57 ~ 1.75."""
    values = _values("LRMO_Sun2025_pristine")
    i_1c = values["Nominal cell capacity [A.h]"]
    cycle = (f"Charge at {i_1c} A until 4.8 V", f"Discharge at {i_1c} A until 2.0 V")
    rest = ("Rest for 10 hours",)
    charged_rest = (f"Charge at {i_1c} A until 4.8 V", "Rest for 10 hours")
    experiment = pybamm.Experiment([cycle, cycle, rest, charged_rest])
    solution = _simulation(values, experiment=experiment).solve()
    migrated = "X-averaged positive electrode irreversible TM migration fraction"

    def settled_per_hour(part):
        values = part[migrated].entries
        return (values[-1] - values[0]) / (part.t[-1] - part.t[0]) * 3600

    cycling = settled_per_hour(solution.cycles[1])
    discharged = settled_per_hour(solution.cycles[2])
    charged = settled_per_hour(solution.cycles[3].steps[1])
    assert discharged < cycling / 3
    assert 1.4 * cycling < charged < 2.2 * cycling


def test_with_its_mechanisms_off_the_model_is_pybamms():
    """Mechanisms off (and Butler-Volmer), the model is PyBaMM's two-phase SPMe on the same set:
    the TM and activated oxygen couples from a mid-range start, 20 minutes at 1C, compared from
    the first second on: PyBaMM gives the Li metal a double layer whose first milliseconds the
    Li metal of the LRMO model, PyBaMM's explicit interface, does not have."""
    values = _values(
        "LRMO_Sun2025_pristine",
        **{
            "As-made open-circuit voltage [V]": 3.9,
            "Secondary: Positive electrode activation formal potential [V]": 3.75,
            "Secondary: Positive electrode activation non-ideality factor": 3.0,
            "Secondary: Initial concentration in positive electrode [mol.m-3]": 0.4 * 60130,
        },
    )
    i_1c = values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment([f"Discharge at {i_1c} A for 20 minutes"])
    options = {**ALL_OFF, "LRMO kinetics": "Butler-Volmer"}
    ours = _simulation(values, options=options, experiment=experiment, rtol=1e-9).solve()
    theirs = pybamm.Simulation(
        pybamm.lithium_ion.SPMe(
            {
                "working electrode": "positive",
                "particle phases": ("1", "2"),
                "surface form": "differential",
            }
        ),
        parameter_values=values,
        experiment=experiment,
        var_pts=MESH,
        solver=pybamm.IDAKLUSolver(rtol=1e-9, atol=1e-11),
    ).solve()
    t = np.linspace(1, 1200, 50)
    # 4e-7 V measured (the two Li metal interfaces): the 1e-6 V the issue asks for
    assert np.abs(ours["Voltage [V]"](t) - theirs["Voltage [V]"](t)).max() < 1e-6


def test_dfn_distributes_the_oxygen_couple_through_the_electrode():
    """A pouch-like 100 um electrode at 2C: the separator side charges ahead of the back."""
    values = _values("LRMO_Sun2025_pristine", **{"Positive electrode thickness [m]": 1e-4})
    i_1c = 5 * values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment([f"Charge at {2 * i_1c} A until 4.6 V"])
    solution = _simulation(values, base="DFN", experiment=experiment).solve()
    emptied = 1 - solution["R-averaged positive secondary particle stoichiometry"].entries[:, -1]
    # at 2C the separator side (x = 0) is charged further than the current collector side
    assert emptied[0] > emptied[-1] + 0.05
    # one hole per emptied oxygen-couple site, per lattice O of the hosts: at most the O-redox
    # share of Li1.20Mn0.555Ni0.158Co0.080O2's Li, (1.2 - 0.396) / 2 O = 0.402, and ordered alike
    oxidised = solution["Oxidised lattice oxygen fraction"].entries[:, -1]
    assert 0 < oxidised[-1] < oxidised[0] < 0.402


@pytest.fixture(scope="module")
def first_cycles():
    """Formation + one 1C cycle of pristine and Ru-1 through ``simulate_cycling``."""
    from lrmo_cell.models.cycling import run_cycling

    return {name: run_cycling(name, 1.0, 1, show_progress=False) for name in SETS}


def _oxygen_onset_V(solution):
    """Voltage at which the first charge has released 1 % of its O2."""
    charge = solution.cycles[0].steps[0]
    released = charge["Released oxygen [umol.g-1]"].entries
    return float(np.interp(0.01 * released[-1], released, charge["Voltage [V]"].entries))


def test_the_treatment_releases_less_oxygen_and_later(first_cycles):
    """The study's DEMS and onset observations, from the Li-deficient shell's later oxidation."""
    (pristine, pristine_solution, _), (ru1, ru1_solution, _) = (first_cycles[name] for name in SETS)
    assert (
        ru1.loc[0, "oxygen_released_umol_per_g"]
        < 0.7 * pristine.loc[0, "oxygen_released_umol_per_g"]
    )
    assert ru1.loc[0, "coulombic_efficiency"] > pristine.loc[0, "coulombic_efficiency"]
    # the shell's activation couple sits 0.2 V higher in Ru-1 (the onset row of the digest)
    shift = _oxygen_onset_V(ru1_solution) - _oxygen_onset_V(pristine_solution)
    assert 0.1 < shift < 0.3


def _plateau_V(solution):
    """Voltage at which half of the first charge above 4.3 V has passed (the activation
    plateau)."""
    charge = solution.cycles[0].steps[0]
    voltage = charge["Voltage [V]"].entries
    q = np.abs(charge["Discharge capacity [A.h]"].entries)
    above = voltage > 4.3
    half = q[above][0] + 0.5 * (q[above][-1] - q[above][0])
    return float(np.interp(half, q[above], voltage[above]))


def test_the_layer_delays_its_own_oxygen_not_the_bulk_plateau(first_cycles):
    """The Li-deficient shell is ~10 % of a 125 nm particle: its oxygen oxidises (and leaves)
    ~0.2 V later, but the bulk Li2MnO3 plateau under it stays where the pristine one is: within
    30 mV (the two differ in surface kinetics at 0.1C, not in the plateau's formal potential;
    before the shift was the shell's only, Ru-1's plateau sat ~0.2 V higher)."""
    (_, pristine, _), (_, ru1, _) = (first_cycles[name] for name in SETS)
    assert abs(_plateau_V(ru1) - _plateau_V(pristine)) < 0.03


def test_simulate_cycling_runs_the_sets(first_cycles):
    frame, solution, values = first_cycles["LRMO_Sun2025_pristine"]
    # the oxygen of the summary is the model's own per-mass variable over each cycle
    whole = solution["Released oxygen [umol.g-1]"].entries
    assert frame["oxygen_released_umol_per_g"].sum() == pytest.approx(whole[-1], rel=1e-9)
    # first charge: TM slope plus the activation plateau, below the 1.2 Li of the formula
    theoretical = 1.2 * 96485.33212 / 3.6 / 84.81  # mAh/g
    assert 0.8 * theoretical < frame.loc[0, "charge_capacity_mAh_per_g"] < theoretical


BUDGET_PARTS = (
    "Li sites lost to oxygen loss [mAh.g-1]",
    "Li stranded in the TM couple at the cut-off [mAh.g-1]",
    "Li stranded in the oxygen couple at the cut-off [mAh.g-1]",
    "less Li gained by the electrolyte [mAh.g-1]",
    "less Li taken up as Li2O2 on RuO2 [mAh.g-1]",
    "Charge to electrolyte oxidation [mAh.g-1]",
)


@pytest.mark.parametrize("name", SETS)
def test_first_cycle_budget_adds_up_to_the_irreversible_capacity(first_cycles, name):
    """The split is built from the hosts' states; charge minus discharge comes from the current:
    two independent routes to one number. They differ by what the double layer holds and the
    solver's tolerance (rtol 1e-4 of a ~300 mAh/g cycle could reach 0.03 mAh/g; 1.1e-3 mAh/g
    measured); 0.01 mAh/g."""
    from lrmo_cell.models.lrmo.budget import first_cycle_budget

    frame, solution, values = first_cycles[name]
    budget = first_cycle_budget(solution, values)
    irreversible = (
        frame.loc[0, "charge_capacity_mAh_per_g"] - frame.loc[0, "discharge_capacity_mAh_per_g"]
    )
    assert sum(budget[part] for part in BUDGET_PARTS) == pytest.approx(irreversible, abs=1e-2)
    assert budget["Li sites lost to oxygen loss [mAh.g-1]"] > 0


@pytest.mark.parametrize("name", SETS)
def test_electrolyte_oxidation_is_a_small_part_of_the_first_cycle_loss(first_cycles, name):
    """Carbonate oxidation is minor below 5 V (Metzger et al. 2015: substantial at 5 V; the
    literature's first-cycle split of Li-rich oxides counts it as its smallest part), so a cycle
    to 4.8 V spends under a tenth of its irreversible capacity on it, but some."""
    from lrmo_cell.models.lrmo.budget import first_cycle_budget

    frame, solution, values = first_cycles[name]
    oxidation = first_cycle_budget(solution, values)["Charge to electrolyte oxidation [mAh.g-1]"]
    irreversible = (
        frame.loc[0, "charge_capacity_mAh_per_g"] - frame.loc[0, "discharge_capacity_mAh_per_g"]
    )
    assert 0 < oxidation < 0.1 * irreversible


@pytest.fixture(scope="module")
def full_cell():
    """Ru-1 || graphite with PyBaMM's SEI: 0.1C formation, then two C/3 cycles, 2.0-4.6 V."""
    values = _values("LRMO_Sun2025_Ru1_graphite")
    i_1c = values["Nominal cell capacity [A.h]"]
    experiment = pybamm.Experiment(
        [(f"Charge at {i_1c / 10} A until 4.6 V", f"Discharge at {i_1c / 10} A until 2.0 V")]
        + [(f"Charge at {i_1c / 3} A until 4.6 V", f"Discharge at {i_1c / 3} A until 2.0 V")] * 2
    )
    options = {"working electrode": "both", **FULL_CELL_OPTIONS}
    return _simulation(values, options=options, experiment=experiment).solve()


def test_full_cell_conserves_lithium_with_sei_and_oxygen_crossover(full_cell):
    rate, total, algebraic = _time_derivative(full_cell, "Total lithium in all inventories [mol]")
    assert algebraic == 0
    assert np.abs(rate).max() * 3600 < 1e-10 * total[0]
    # both side reactions of the graphite take Li: escaped O2 four per molecule, and the SEI
    escaped_umol_per_g = full_cell["Escaped oxygen [umol.g-1]"].entries[-1]
    mass_g = full_cell["Active powder mass [g]"].entries[0]
    crossover = full_cell["Loss of lithium to oxygen crossover [mol]"].entries[-1]
    assert crossover == pytest.approx(4 * escaped_umol_per_g * 1e-6 * mass_g, rel=1e-3)
    assert full_cell["Loss of lithium to negative SEI [mol]"].entries[-1] > 0


def test_the_electrolyte_oxidation_shuttle_costs_charge_not_lithium(full_cell):
    """Its products are reduced on the graphite with the same total current: the negative
    electrode's side current, integrated over its volume, is minus the positive's oxidation
    current at every time, and no Li inventory holds it (conservation above)."""
    values = _values("LRMO_Sun2025_Ru1_graphite")
    volume = (
        values["Negative electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    oxidation = full_cell["Electrolyte oxidation current [A]"].entries
    a_j = full_cell[
        "X-averaged negative electrode electrolyte oxidation products volumetric interfacial "
        "current density [A.m-3]"
    ].entries
    assert oxidation.max() > 0
    np.testing.assert_allclose(a_j * volume, -oxidation, rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("LRMO_Sun2025_Ru1", {}),
        ("LRMO_Sun2025_Ru1_graphite", {"working electrode": "both", **FULL_CELL_OPTIONS}),
    ],
    ids=["half", "full"],
)
def test_the_spm_conserves_lithium_with_its_double_layers(name, options):
    """The SPM's electrolyte is fixed, so the Li+ its double layers take (the SPMe's and DFN's
    electrolyte gives it up) is an inventory of its own: without it the cell's Li moved by the
    double layers' charge, 9e-4 of it over a C/5 charge of the full cell. With it the
    right-hand side conserves the total (measured: 3e-13 of it per hour), and the inventory is
    not a sum of zeros (the double layers hold 1e-3 of the cell's Li)."""
    values = _values(name)
    i_c5 = values["Nominal cell capacity [A.h]"] / 5
    top = 4.6 if "graphite" in name else 4.8
    experiment = pybamm.Experiment([(f"Charge at {i_c5} A until {top} V", "Rest for 1 hour")])
    solution = _simulation(values, base="SPM", options=options, experiment=experiment).solve()
    rate, total, algebraic = _time_derivative(solution, "Total lithium in all inventories [mol]")
    assert algebraic == 0
    assert np.abs(rate).max() * 3600 < 1e-10 * total[0]
    held = solution["Lithium taken from the electrolyte by the double layers [mol]"].entries
    assert np.abs(held).max() > 1e-4 * total[0]
