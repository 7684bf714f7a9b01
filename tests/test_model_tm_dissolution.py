"""TM dissolution above 4.6 V and the SEI growth deposited Mn catalyses (``tm_dissolution``).

The Ru-1 || graphite cell with the mechanism on (its full-cell default) and "none": nothing
dissolves below the onset, Li and TM close over every inventory, the Li the catalysed SEI takes
follows the deposited Mn at the rate the parameter set's source states and thickens the
graphite's one SEI film, and "none" (or the mechanism with both its rates at zero) is the cell
without it.
"""

import numpy as np
import pybamm
import pytest

from lrmo_cell.models.cycling import FULL_CELL_OPTIONS, VAR_PTS, run_cycling
from lrmo_cell.models.lrmo import LRMO
from lrmo_cell.models.lrmo.tm_dissolution import DEPOSITED, IN_ELECTROLYTE, LOST, TOTAL_DISSOLVED
from lrmo_cell.parameters import load_parameter_set

SET = "LRMO_Sun2025_Ru1_graphite"
OFF = {"LRMO TM dissolution": "none"}
# the set's sources: 100 Li per deposited Mn per 600 h on fully lithiated graphite, and the Mn
# share of the TMs of Li1.20Mn0.555Ni0.158Co0.080O2 (stoichiometric dissolution)
TURNOVER_PER_S = 100 / (600 * 3600)
MN_SHARE = 0.555 / (0.555 + 0.158 + 0.080)


def _run(cycles, v_min=2.0, v_max=4.6, model_options=None, overrides=None):
    return run_cycling(
        SET,
        1 / 3,
        cycles,
        formation_cycles=1,
        v_min=v_min,
        v_max=v_max,
        model_options=model_options,
        parameter_overrides=overrides,
    )


@pytest.fixture(scope="module")
def cycled():
    """0.1C formation and four C/3 cycles, 2.0-4.6 V, with the mechanism on."""
    return _run(4)


@pytest.fixture(scope="module")
def uncatalysed():
    """The same cycles with the Mn turnover at zero (the Mn still dissolves and deposits)."""
    return _run(4, overrides={"Mn-catalysed SEI rate constant [s-1]": 0.0})


def _relative_drift(solution, name):
    total = solution[name].entries
    return np.abs(total - total[0]).max() / abs(total[0])


def test_no_dissolution_below_the_onset():
    """A cell cycled at C/3 between 3.0 and 4.2 V keeps its positive under 4.33 V vs Li, 0.27 V
    below the 4.6 V onset, where the 0.15 V-per-decade law runs at most 1.6 % of its 4.6 V
    rate: such a cycle dissolves under 2e-7 of the hosts' TMs and under 5 % of what a C/3 cycle
    at 2.0-4.6 V dissolves (measured 7e-8 and 2 %); with its 0.1C formation to 4.2 V, under 2e-5
    (measured 9e-6, against 8e-4 over 450 cycles at 2.0-4.6 V)."""
    _, low, values = _run(1, v_min=3.0, v_max=4.2)
    _, high, _ = _run(1)
    phi = low["X-averaged positive electrode surface potential difference [V]"].entries
    assert phi.max() < 4.33
    volume = (
        values["Positive electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    host_tm = (
        values["Transition metals per lattice oxygen"]
        * values["Lattice oxygen concentration [mol.m-3]"]
        * values["Positive electrode active material volume fraction"]
        * volume
    )

    def dissolved_in(cycle):
        return cycle[TOTAL_DISSOLVED].entries[-1] - cycle[TOTAL_DISSOLVED].entries[0]

    low_cycle, high_cycle = dissolved_in(low.cycles[1]), dissolved_in(high.cycles[1])
    assert 0 <= low_cycle < 2e-7 * host_tm
    assert low_cycle < 0.05 * high_cycle
    assert 0 <= low[TOTAL_DISSOLVED].entries[-1] < 2e-5 * host_tm


def test_lithium_and_tm_close_over_every_inventory(cycled):
    _, solution, _ = cycled
    assert _relative_drift(solution, "Total lithium in all inventories [mol]") < 1e-8
    assert _relative_drift(solution, "Total transition metal in all inventories [mol]") < 1e-8
    dissolved = solution[TOTAL_DISSOLVED].entries
    crossed = solution[IN_ELECTROLYTE].entries + solution[DEPOSITED].entries
    assert dissolved[-1] > 0
    np.testing.assert_allclose(crossed, dissolved, rtol=1e-8, atol=1e-8 * dissolved[-1])
    # deposition (k_dep ~ 0.1 s-1) is fast next to dissolution: nearly all of it is deposited
    assert solution[DEPOSITED].entries[-1] > 0.999 * dissolved[-1]


def test_catalysed_sei_rate_is_the_sourced_turnover_per_deposited_mn(cycled):
    """At every time the negative electrode's Mn-catalysed side current, over F, is 100 Li per
    Mn per 600 h at the graphite's surface lithiation, times the Mn (0.70 of the deposit)."""
    _, solution, values = cycled
    volume = (
        values["Negative electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    a_j = solution[
        "X-averaged negative electrode Mn-catalysed SEI volumetric interfacial current "
        "density [A.m-3]"
    ].entries
    li_rate = -a_j * volume / pybamm.constants.F.value
    x_n = solution["X-averaged negative particle surface stoichiometry"].entries
    expected = TURNOVER_PER_S * x_n * MN_SHARE * solution[DEPOSITED].entries
    assert li_rate.max() > 0
    np.testing.assert_allclose(li_rate, expected, rtol=1e-3, atol=1e-6 * li_rate.max())
    # the record of the catalysed share is that current integrated over time
    t = solution["Time [s]"].entries
    integral = np.concatenate([[0], np.cumsum(np.diff(t) * (li_rate[1:] + li_rate[:-1]) / 2)])
    lost = solution[LOST].entries
    assert lost[-1] == pytest.approx(integral[-1], rel=1e-2)


def test_lithium_lost_grows_with_the_deposited_mn(cycled):
    """The deposit only grows, so does the Li the SEI has taken, and each C/3 cycle loses more
    Li to it than the one before (more Mn to catalyse at a like lithiation)."""
    _, solution, _ = cycled
    deposited = solution[DEPOSITED].entries
    lost = solution[LOST].entries
    scale = lost[-1]
    assert np.diff(deposited).min() > -1e-9 * deposited[-1]
    assert np.diff(lost).min() > -1e-9 * scale
    per_cycle = [cycle[LOST].entries[-1] - cycle[LOST].entries[0] for cycle in solution.cycles]
    c3 = per_cycle[1:]
    assert all(later > earlier for earlier, later in zip(c3, c3[1:], strict=False))
    # and PyBaMM's count of Li lost to side reactions holds it within its SEI's
    side = solution["Total lithium lost to side reactions [mol]"].entries[-1]
    sei = solution["Loss of lithium to negative SEI [mol]"].entries[-1]
    others = (
        solution["Loss of lithium to oxygen crossover [mol]"].entries[-1]
        + solution["Loss of lithium to Li2O2 on RuO2 [mol]"].entries[-1]
        + solution["Loss of lithium to graphite formation SEI [mol]"].entries[-1]
    )
    assert side == pytest.approx(sei + others, rel=1e-9)
    assert lost[-1] < sei


def test_catalysed_products_thicken_the_one_sei_film(cycled, uncatalysed):
    """The catalysed products are part of the graphite's one SEI film:

    - the uncatalysed part of the SEI current still obeys the solvent-diffusion law through the
      whole film, thicker by the catalysed products, j L = -D c F, wherever the graphite is
      lithiated (below 0.12 V vs Li the solvent's reduction is over 1000 times faster than its
      diffusion through the film, PyBaMM's "ec reaction limited" law);
    - against the cell without turnover the SEI holds the catalysed Li less only what that
      growth (rate ~ 1/L) loses in the thicker film: at most the catalysed products' own
      thickness (which only grows) over the initial 5 nm, times that growth (measured 2.3 % of
      it against an 8.1 % bound);
    - the graphite's film overpotential grows in proportion to the film's thickness, and the
      film's resistance, a summary variable per cycle, only grows and gains at most the
      catalysed products' own thickness times the resistivity (measured 0.91 of it)."""
    _, with_mn, values = cycled
    _, without, _ = uncatalysed
    sei = "Loss of lithium to negative SEI [mol]"
    thickness = "X-averaged negative SEI thickness [m]"
    current = "X-averaged negative electrode {}interfacial current density [A.m-2]"
    uncatalysed_current = (
        with_mn[current.format("SEI ")].entries
        - with_mn[current.format("Mn-catalysed SEI ")].entries
    )
    solvent_flux = (
        values["EC diffusivity [m2.s-1]"]
        * values["EC initial concentration in electrolyte [mol.m-3]"]
        * pybamm.constants.F.value
    )
    lithiated = with_mn["X-averaged negative electrode surface potential difference [V]"].entries
    lithiated = lithiated < 0.12
    # measured: within 2e-4 there
    np.testing.assert_allclose(
        (uncatalysed_current * with_mn[thickness].entries)[lithiated], -solvent_flux, rtol=1e-3
    )

    catalysed = with_mn[LOST].entries[-1]
    solvent_limited = without[sei].entries[-1]
    slowdown = catalysed - (with_mn[sei].entries[-1] - solvent_limited)
    negative_area = (
        3
        * values["Negative electrode active material volume fraction"]
        / values["Negative particle radius [m]"]
        * values["Negative electrode thickness [m]"]
        * values["Electrode height [m]"]
        * values["Electrode width [m]"]
    )
    catalysed_film = (
        catalysed
        * values["SEI partial molar volume [m3.mol-1]"]
        / values["Ratio of lithium moles to SEI moles"]
        / negative_area
    )
    assert catalysed > 0.1 * solvent_limited  # a share the comparison resolves
    assert 0 < slowdown < catalysed_film / values["Initial SEI thickness [m]"] * solvent_limited

    def last_cycle_peak(solution):
        cycle = solution.cycles[-1]
        eta = cycle["X-averaged negative electrode SEI film overpotential [V]"].entries
        return np.abs(eta).max(), cycle[thickness].entries[np.abs(eta).argmax()]

    (eta_with, l_with), (eta_without, l_without) = map(last_cycle_peak, (with_mn, without))
    assert eta_with > eta_without
    assert eta_with / eta_without == pytest.approx(l_with / l_without, rel=2e-3)

    # less than the whole catalysed film: the solvent-limited growth it slowed
    film = "X-averaged negative electrode resistance [Ohm.m2]"
    resistance = with_mn.summary_variables[film]
    assert np.all(np.diff(resistance) > 0)
    added = resistance[-1] - without.summary_variables[film][-1]
    most = catalysed_film * values["SEI resistivity [Ohm.m]"]
    assert 0.8 * most < added < most


def test_none_is_the_cell_without_the_mechanism():
    """With both rates at zero the mechanism's cell is the "none" cell's to 1e-6 V over a 0.1C
    first charge to 4.6 V, which takes the positive past the 4.6 V vs Li onset: with the set's
    own rates that charge dissolves more than 1e-5 of the host's TMs (Li1.20Mn0.555Ni0.158
    Co0.080O2, 84.8 g/mol: 9350 umol TM per g), so the comparison covers the dissolving
    range. "none" defines no TM crossover states at all."""
    values = pybamm.ParameterValues(load_parameter_set(SET))
    zero_rates = values.copy()
    zero_rates.update(
        {
            "TM dissolution rate constant at 4.6 V [s-1]": 0.0,
            "Mn-catalysed SEI rate constant [s-1]": 0.0,
        }
    )
    current = values["Nominal cell capacity [A.h]"] / 10
    experiment = pybamm.Experiment([f"Charge at {current} A until 4.6 V"], period="1 minute")
    voltages, dissolved = {}, {}
    for label, options, parameter_values in (
        ("none", OFF, values),
        ("zero rates", {}, zero_rates),
        ("set's rates", {}, values),
    ):
        model = LRMO({"working electrode": "both", **FULL_CELL_OPTIONS, **options})
        solution = pybamm.Simulation(
            model,
            parameter_values=parameter_values,
            experiment=experiment,
            var_pts=VAR_PTS,
            solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10),
        ).solve()
        assert (DEPOSITED in model.variables) == (options != OFF)
        voltages[label] = (solution["Time [s]"].entries, solution["Voltage [V]"].entries)
        if options != OFF:
            dissolved[label] = solution["Dissolved TM [umol.g-1]"].entries[-1]
    assert dissolved["zero rates"] == 0.0
    assert dissolved["set's rates"] > 1e-5 * 9350
    (t_none, v_none), (t, v) = voltages["none"], voltages["zero rates"]
    # the same output times up to the cut-off, which each run meets at its own time
    n = min(len(t), len(t_none)) - 1
    assert np.array_equal(t[:n], t_none[:n])
    np.testing.assert_allclose(v[:n], v_none[:n], rtol=0, atol=1e-6)


def test_half_cells_have_no_tm_dissolution_and_need_none_of_its_parameters():
    half = LRMO({"working electrode": "positive"})
    assert half.lrmo_options["LRMO TM dissolution"] == "none"
    with pytest.raises(pybamm.OptionError, match="half cell"):
        LRMO({"working electrode": "positive", "LRMO TM dissolution": "Mn-catalysed SEI"})
    values = pybamm.ParameterValues(load_parameter_set("LRMO_Sun2025_Ru1"))
    assert "Mn-catalysed SEI rate constant [s-1]" not in values
    solution = pybamm.Simulation(half, parameter_values=values, solver=pybamm.IDAKLUSolver()).solve(
        [0, 600]
    )
    assert solution["Dissolved TM [umol.g-1]"].entries.max() == 0
    full = LRMO({"working electrode": "both", **FULL_CELL_OPTIONS})
    assert full.lrmo_options["LRMO TM dissolution"] == "Mn-catalysed SEI"


def test_the_mechanism_needs_a_growing_sei():
    """The deposited Mn catalyses the graphite's SEI growth: with PyBaMM's "SEI" "none" or
    "constant" on the negative electrode (alone or as a pair's first) the mechanism is off by
    default and refused when asked for; with a growing SEI there it is on."""
    for sei in ("none", "constant", ("none", "solvent-diffusion limited"), ("constant", "none")):
        model = LRMO({"working electrode": "both", "SEI": sei}, build=False)
        assert model.lrmo_options["LRMO TM dissolution"] == "none"
        with pytest.raises(pybamm.OptionError, match="growing SEI"):
            LRMO(
                {"working electrode": "both", "SEI": sei, "LRMO TM dissolution": "Mn-catalysed SEI"}
            )
    growing = LRMO({"working electrode": "both", "SEI": ("solvent-diffusion limited", "none")})
    assert growing.lrmo_options["LRMO TM dissolution"] == "Mn-catalysed SEI"


def test_the_dfn_dissolves_and_loses_what_the_spme_does():
    """In the DFN the dissolution is a rate at every point of the positive electrode. Over a C/3
    cycle the electrode's surface potential is within 0.1 mV from separator to current
    collector (a 20 um positive electrode at C/3), and at 0.15 V per decade
    that moves the rate by 0.15 %: the DFN must close its TM inventory to 1e-8 and dissolve,
    deposit and lose to the catalysed SEI what the SPMe does within 0.5 % (measured 0.03 %)."""
    _, spme, _ = _run(1)
    _, dfn, _ = run_cycling(SET, 1 / 3, 1, formation_cycles=1, v_max=4.6, base="DFN")
    assert _relative_drift(dfn, "Total transition metal in all inventories [mol]") < 1e-8
    rate = dfn["Positive electrode TM dissolution rate [mol.m-3.s-1]"].entries
    assert rate.shape[0] == VAR_PTS["x_p"]  # distributed through the electrode
    for name in (TOTAL_DISSOLVED, DEPOSITED, LOST):
        assert dfn[name].entries[-1] > 0
        assert dfn[name].entries[-1] == pytest.approx(spme[name].entries[-1], rel=5e-3)
