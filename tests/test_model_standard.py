"""The LRMO model against the properties PyBaMM checks on every lithium-ion model.

PyBaMM's integration tests (``StandardModelTest``, ``StandardOutputTests``) process, discretise
and solve a model, then check its outputs: the voltage is the OCV less the overpotentials, each
overpotential has the sign of the current, concentrations stay in [0, c_max], the electrolyte
keeps its Li, the current is carried through the cell, and the lost Li adds up two ways. Here the
same properties, reasoned for the LRMO model, on the LRMO half (Li metal) and full (graphite, with
SEI) cells, SPMe and DFN: one experiment each from the as-made state, a rest (the "off" case), a
C/5 charge through the TM slope into the oxygen plateau, a rest and a C/5 discharge.
"""

import numpy as np
import pybamm
import pytest

from lrmo_cell.models.cycling import FULL_CELL_OPTIONS, VAR_PTS
from lrmo_cell.models.lrmo import LRMO
from lrmo_cell.parameters import load_parameter_set

F = pybamm.constants.F.value
CELLS = {
    "half": ("LRMO_Sun2025_Ru1", {"working electrode": "positive"}, 4.6),
    "full": (
        "LRMO_Sun2025_Ru1_graphite",
        {"working electrode": "both", **FULL_CELL_OPTIONS},
        4.4,
    ),
}
CASES = [(cell, base) for cell in CELLS for base in ("SPMe", "DFN")]
REST, CHARGE, _, DISCHARGE = range(4)
# a current below this [A.m-2 of particle surface] is no current: 1e-6 of the C/5 current
# density on the particles (~1e-2 A.m-2)
NO_CURRENT = 1e-8


class Run:
    """One solved experiment and what the checks need of it."""

    def __init__(self, cell, base):
        name, options, v_top = CELLS[cell]
        self.cell, self.base = cell, base
        self.values = pybamm.ParameterValues(load_parameter_set(name))
        i_c5 = self.values["Nominal cell capacity [A.h]"] / 5
        experiment = pybamm.Experiment(
            [
                (
                    "Rest for 10 minutes",
                    f"Charge at {i_c5} A until {v_top} V",
                    "Rest for 1 hour",
                    f"Discharge at {i_c5} A for 30 minutes",
                )
            ]
        )
        self.simulation = pybamm.Simulation(
            LRMO(options, base=base),
            parameter_values=self.values,
            experiment=experiment,
            var_pts=VAR_PTS,
            solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
        )
        self.solution = self.simulation.solve()
        self.steps = self.solution.cycles[0].steps
        self.area_m2 = self.values["Electrode height [m]"] * self.values["Electrode width [m]"]

    def __getitem__(self, name):
        return self.solution[name].entries

    def current_density(self, solution):
        return solution["Current [A]"].entries / self.area_m2

    @property
    def full(self):
        return self.cell == "full"


@pytest.fixture(scope="module", params=CASES, ids=[f"{c}-{b}" for c, b in CASES])
def run(request):
    return Run(*request.param)


def test_voltage_is_the_ocv_less_the_overpotentials(run):
    parts = [
        "Bulk open-circuit voltage [V]",
        "Particle concentration overpotential [V]",
        "X-averaged reaction overpotential [V]",
        "X-averaged electrolyte overpotential [V]",
        "X-averaged solid phase ohmic losses [V]",
        "X-averaged SEI film overpotential [V]",
    ]
    voltage = run["Voltage [V]"]
    assert np.abs(voltage - sum(run[p] for p in parts)).max() < 1e-6
    # each whole-cell term is its positive less its negative electrode's
    negative_eta = (
        "X-averaged negative electrode reaction overpotential [V]"
        if run.full
        else "Lithium metal interface reaction overpotential [V]"
    )
    eta = (
        run["X-averaged positive electrode primary reaction overpotential [V]"] - run[negative_eta]
    )
    assert np.abs(run["X-averaged reaction overpotential [V]"] - eta).max() < 1e-12
    ocv = run["Positive electrode primary bulk open-circuit potential [V]"] - (
        run["Negative electrode bulk open-circuit potential [V]"] if run.full else 0
    )
    assert np.abs(run["Bulk open-circuit voltage [V]"] - ocv).max() < 1e-12


def test_the_as_made_cell_rests_at_equilibrium(run):
    """The as-made LRMO is at rest: ten minutes at zero current move neither its potential nor
    its TM couple, and none of its reactions runs."""
    rest = run.steps[REST]
    dphi = rest["X-averaged positive electrode surface potential difference [V]"].entries
    assert np.abs(dphi - dphi[0]).max() < 1e-6
    eta = rest["Positive electrode primary reaction overpotential [V]"].entries
    assert np.abs(eta).max() < 1e-6
    for phase in ("primary", "secondary"):
        j = rest[f"Positive electrode {phase} interfacial current density [A.m-2]"].entries
        assert np.abs(j).max() < NO_CURRENT


@pytest.mark.parametrize("base", ["SPM", "SPMe", "DFN"])
def test_the_as_made_full_cell_rests_ten_hours_at_equilibrium(base):
    """The issue's equilibrium start, on the full cell: a 10 h rest from the as-made state moves
    the voltage by less than 1 mV and every reaction current stays below 1e-6 A/m2. Its fresh
    graphite sits at 2.3 V vs Li, where neither its SEI (PyBaMM's "ec reaction limited" law:
    the solvent's reduction at 0.4 V in series with its diffusion) nor its formation runs.
    Asserted ten thousand times tighter than the issue asks (measured: 2e-9 V, every current below
    3e-12 A/m2; PyBaMM's diffusion-only SEI law ran at 1.3e-5 A/m2 there and moved the voltage
    6.5 mV)."""
    from lrmo_cell.models.cycling import cycling_parameter_values, model_for

    values = cycling_parameter_values("LRMO_Sun2025_Ru1_graphite", base, None)
    model = model_for(values, base=base)
    solution = pybamm.Simulation(
        model, parameter_values=values, experiment=pybamm.Experiment(["Rest for 10 hours"])
    ).solve()
    voltage = solution["Voltage [V]"].entries
    assert np.abs(voltage - voltage[0]).max() < 1e-7
    reactions = [
        name
        for name in model.variables
        if name.startswith(("Positive electrode ", "Negative electrode "))
        and name.endswith(" interfacial current density [A.m-2]")
    ]
    assert "Negative electrode SEI interfacial current density [A.m-2]" in reactions
    for name in reactions:
        assert np.abs(solution[name].entries).max() < 1e-10, name


def test_the_as_made_oxygen_couple_is_frozen_not_at_rest(run):
    """PyBaMM checks a zero overpotential at rest; the as-made oxygen couple has no rest to be
    at. It has no reversible Li and no empty sites (x = u = 1), and its Li2MnO3-like sites, 1.1 V
    below their plateau, can only delithiate, at ~e^-39 of their rate constant, with nothing to
    oppose them: its driving force is that of an oxidation through the rest (it was reported as
    -0.15 V, against the OCP of reversible sites it does not have), while it carries no current
    (``test_the_as_made_cell_rests_at_equilibrium``)."""
    rest = run.steps[REST]
    eta = rest["Positive electrode secondary reaction overpotential [V]"].entries
    assert eta.min() > 0


def _uphill(eta, j):
    """Share of the points where a reaction carries current against its overpotential."""
    running = np.abs(j) > NO_CURRENT
    return np.mean(running & (np.sign(eta) != np.sign(j)))


def test_each_reaction_runs_down_its_overpotential(run):
    """Second law at each interface: oxidation current only above the OCP, reduction only
    below, at every node and time, through rest, charge and discharge (PyBaMM checks the signs
    for a constant current; this is the same property through a whole experiment)."""
    tm = (
        run["Positive electrode primary reaction overpotential [V]"],
        run["Positive electrode primary interfacial current density [A.m-2]"],
    )
    assert _uphill(*tm) == 0
    if run.full:
        graphite = (
            run["Negative electrode reaction overpotential [V]"],
            run["Negative electrode interfacial current density [A.m-2]"],
        )
        assert _uphill(*graphite) == 0
    else:
        # the Li metal strips (oxidation) on discharge
        current = run["Current [A]"]
        li_metal = run["Lithium metal interface reaction overpotential [V]"]
        assert _uphill(li_metal, current) == 0


def test_the_oxygen_couple_runs_down_its_overpotential(run):
    """The oxygen couple's reaction overpotential is the driving force of the whole current it
    carries, the one-way activation on the first-charge plateau included (against the OCP of
    its reversible sites alone it was down to -1.5 V under that oxidation current), so PyBaMM's
    irreversible reaction heat a j eta of the couple is never negative."""
    eta = run["Positive electrode secondary reaction overpotential [V]"]
    j = run["Positive electrode secondary interfacial current density [A.m-2]"]
    assert _uphill(eta, j) == 0


def test_overpotentials_have_the_sign_of_the_current(run):
    """PyBaMM's signs from a rest state: on charge from the as-made rest every loss raises the
    voltage. PyBaMM also checks the discharge, from its rest; here the discharge follows an
    hour at the top of charge during which neither cell comes to rest: the unactivated
    Li2MnO3 sites go on delithiating on their plateau (0.018 A.m-2 as the rest starts, 6e-5 an
    hour on, in the full cell at 4.4 V) and the TM couple with them, so the discharge starts
    with the couples apart (+0.04 V of reaction overpotential) and the check's premise fails."""
    losses = (
        "X-averaged reaction overpotential [V]",
        "X-averaged electrolyte overpotential [V]",
        "X-averaged solid phase ohmic losses [V]",
    )
    charge = run.steps[CHARGE]
    for name in losses:
        assert charge[name].entries.min() > -1e-3


def test_voltage_and_ocv_follow_the_current(run):
    for step, sign in ((CHARGE, 1), (DISCHARGE, -1)):
        solution = run.steps[step]
        for name in ("Voltage [V]", "Bulk open-circuit voltage [V]"):
            values = solution[name].entries
            assert sign * (values[-1] - values[0]) > 0.01
    if not run.full:  # the graphite's SEI grows at rest, and moves the full cell's OCV
        rest = run.steps[REST]["Bulk open-circuit voltage [V]"].entries
        assert np.abs(rest - rest[0]).max() < 1e-6


def test_concentrations_stay_between_empty_and_full(run):
    """Every particle node stays in [0, c_max], to what the solver resolves: its absolute
    tolerance, 1e-8 of the scaled concentration (PyBaMM scales particle concentrations by
    c_max). The as-made oxygen couple is full to the last digit, and an interior node of it
    overshoots by ~3e-12 of c_max while the charge empties the surface."""
    particles = {
        f"Positive {phase} particle concentration [mol.m-3]": run.values[
            f"{phase.capitalize()}: Maximum concentration in positive electrode [mol.m-3]"
        ]
        for phase in ("primary", "secondary")
    }
    if run.full:
        particles["Negative particle concentration [mol.m-3]"] = run.values[
            "Maximum concentration in negative electrode [mol.m-3]"
        ]
    for name, c_max in particles.items():
        c = run[name]
        assert c.min() >= 0
        assert c.max() <= c_max * (1 + 1e-8)
    assert run["Electrolyte concentration [mol.m-3]"].min() > 0


def _double_layer_charge_C(run, domain):
    """Charge [C] the electrode's double layer has taken up since the start: the integral of
    a C_dl d(dphi), PyBaMM's double-layer current, over time (trapezoids; the surface area a
    falls as the host loses active material, so a (dphi - dphi0) would not be it)."""
    Domain = domain.capitalize()
    a = run[f"{Domain} electrode surface area to volume ratio [m-1]"]
    dphi = run[f"{Domain} electrode surface potential difference [V]"]
    c_dl = run.values[f"{Domain} electrode double-layer capacity [F.m-2]"]
    thickness = run.values[f"{Domain} electrode thickness [m]"]
    steps = 0.5 * (a[:, 1:] + a[:, :-1]) * np.diff(dphi, axis=1)
    per_volume = np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(steps, axis=1)], axis=1)
    return thickness * run.area_m2 * c_dl * np.mean(per_volume, axis=0)


def test_the_electrolyte_keeps_its_lithium(run, request):
    """Li+ enters the electrolyte from the reactions alone. In PyBaMM's differential surface
    form a porous electrode's current charges its double layer as well as driving its reactions
    (a Li metal counter electrode has none), so the electrolyte changes by exactly the double
    layers' charge over F: here 2-3 % of its Li, through 43 F per m2 of electrode (0.2 F.m-2 on
    a 1e7 m-1 surface of 125 nm particles)."""
    if (run.cell, run.base) == ("full", "DFN"):
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="model defect inherited from PyBaMM's surface-form DFN (the Li drift of "
                "test_lost_lithium_adds_up_two_ways): the full-cell DFN's electrolyte misses the "
                "double layers' charge by 7.8e-5 of its Li (2.7e-10 mol, the cell's Li drift, 0.5 "
                "% of that charge), with or without electrolyte oxidation; 3e-5 is the bound "
                "(the half-cell DFN misses by 1.3e-5, the SPMe by 3e-6 and 6e-11)",
            )
        )
    n_e = run["Total lithium in electrolyte [mol]"]
    stored = _double_layer_charge_C(run, "positive")
    if run.full:
        stored = stored + _double_layer_charge_C(run, "negative")
    change = n_e - n_e[0]
    assert np.abs(change).max() > 1e-3 * n_e[0]  # the balance is not a sum of zeros
    assert np.abs(change + stored / F).max() < 3e-5 * n_e[0]


def test_the_current_is_carried_through_the_cell(run):
    """Electrode plus electrolyte current is the applied current at every node."""
    for step in run.steps:
        i_cell = run.current_density(step)
        total = (
            step["Electrode current density [A.m-2]"].entries
            + step["Electrolyte current density [A.m-2]"].entries
        )
        assert np.abs(total - i_cell).max() < 1e-9  # A.m-2; the C/5 current is 1.9 A.m-2


def test_potential_differences_are_electrode_less_electrolyte_potential(run):
    for domain in ("positive", "negative") if run.full else ("positive",):
        Domain = domain.capitalize()
        dphi = run[f"{Domain} electrode surface potential difference [V]"]
        phi_s = run[f"{Domain} electrode potential [V]"]
        phi_e = run[f"{Domain} electrolyte potential [V]"]
        assert np.abs(dphi - (phi_s - phi_e)).max() < 1e-9
    if run.full:
        # the negative current collector is the ground
        assert np.abs(run["Negative electrode potential [V]"][0]).max() < 1e-6


def test_lost_lithium_adds_up_two_ways(run, request):
    """PyBaMM's Li shortfall of particles and electrolyte is the Li its side reactions and lost
    active material hold, once the LRMO sinks are counted (escaped O2 reduced on the graphite,
    Li2O2 on RuO2); in a half cell the Li metal's own change, which PyBaMM does not count,
    comes on top. Li is conserved, so the two agree to 1e-8 of the cell's Li (the full-cell
    SPMe to 1e-13)."""
    if (run.cell, run.base) != ("full", "SPMe"):
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="model defect inherited from PyBaMM's surface-form base: the cell's "
                "Li, in the LRMO model's own inventory ('Total lithium in all inventories [mol]') "
                "as in "
                "PyBaMM's count, drifts on the first charge by 9e-12 mol in the half cells (1e-7 "
                "of the cell's Li, 1.5 % of the Li lost; the same at rtol 1e-8) and by 2.7e-10 "
                "mol (3.7e-6 of its Li) in the full-cell DFN, partly coming back at rest, while "
                "the full-cell SPMe conserves it to 5e-18 mol; PyBaMM's own DFN on Chen2020 "
                "with either surface form loses 1.7e-4 of its Li in 20 minutes at 1C (3e-15 "
                "without a surface form)",
            )
        )
    lost = run["Total lithium lost [mol]"]
    held = (
        run["Total lithium lost to side reactions [mol]"]
        + run["Loss of lithium due to loss of active material in positive electrode [mol]"]
    )
    if run.full:
        held = (
            held + run["Loss of lithium due to loss of active material in negative electrode [mol]"]
        )
    else:
        lost = lost - run["Lithium in counter electrode [mol]"]
    total = run["Total lithium [mol]"][0]
    assert np.abs(lost - held).max() < 1e-8 * total
    assert np.abs(held).max() > 1e-5 * total  # something was lost


def test_degradation_modes_are_percentages(run):
    """LAM in [0, 100] %. PyBaMM's LLI counts particles only, so it can fall below zero by the
    Li the double layers moved from the electrolyte into the particles, and no further."""
    for domain in ("positive", "negative") if run.full else ("positive",):
        lam = run[f"Loss of active material in {domain} electrode [%]"]
        assert lam.min() > -1e-12
        assert lam.max() < 100
    if run.full:
        lli = run["Loss of lithium inventory [%]"]
        particles0 = run["Total lithium in particles [mol]"][0]
        stored = _double_layer_charge_C(run, "positive") + _double_layer_charge_C(run, "negative")
        floor = -100 * np.abs(stored).max() / F / particles0
        assert lli.min() > 1.01 * floor
        assert lli.max() < 100


@pytest.mark.parametrize("cell, base", CASES)
def test_processed_model_is_well_posed_with_every_parameter_set(cell, base):
    """PyBaMM's StandardModelTest: after parameter processing no Parameter is left, and the
    discretised model is well posed."""
    name, options, _ = CELLS[cell]
    simulation = pybamm.Simulation(
        LRMO(options, base=base),
        parameter_values=pybamm.ParameterValues(load_parameter_set(name)),
        var_pts=VAR_PTS,
    )
    simulation.build()
    processed = simulation.model_with_set_params
    for equation in [*processed.rhs.values(), *processed.algebraic.values()]:
        assert not equation.has_symbol_of_classes((pybamm.Parameter, pybamm.FunctionParameter))
    simulation.built_model.check_well_posedness(post_discretisation=True)
