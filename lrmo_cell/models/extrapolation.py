"""Long cycling runs by adaptive inter-cycle extrapolation (in the spirit of Sulzer et al.,
J. Electrochem. Soc. 168 (2021) 120531, doi:10.1149/1945-7111/ac3e48).

Degradation moves a cell's state a little from one cycle to the next, so the state at the end of
each cycle, as a function of the cycle number n, follows a slow ODE dy/dn = F(y), where F(y) is
what one full cycle started from y changes. This module steps that ODE over many cycles at once,
for whichever model the set is for (it reads only the solution's state vector and, once, which
states the built model's equations read):

1. Formation and ``LEAD_CYCLES`` cycles at the cycling rate are simulated in full; the last two
   give the per-cycle change F of every state and how fast F itself changes. One
   ``pybamm.Simulation`` of one cycle, its current an input parameter, is built once and runs
   every cycle of the run (formation, lead and the pairs after each jump) through
   ``solve(starting_solution=...)``: a build costs as much as some 10 cycles.
2. Jump: the slow states move N cycles along F, each component of F going on by its law
   (``_Trend``): one that keeps its sign and shrinks goes on shrinking, never changing sign, by
   the same ratio every cycle (a state relaxing towards a steady value) or as a power of the
   cycle number (a degradation that slows as it goes: a loss of active material, a migration),
   whichever predicted the last measured change better; any other changes linearly
   (second-order Adams-Bashforth). The others keep their value at the end of the last full
   cycle. Two cycles are simulated in full from there: the first lets the fast states settle,
   the second gives the new change F'. They are cycles n + N + 1 and n + N + 2; the second's
   row is its own, the first's is interpolated (see Rows), unless N = 0. (Along F
   alone, Euler's jump overshoots every jump the same way as the fade slows down, 1.4 % in
   retention over 1000 cycles. By the ratio alone, the jumps undershoot pristine's loss of
   active material, whose rate falls ever more slowly, every jump the same way: 0.7 % in
   retention.)
3. Error control, over the two cycles after the jump together: the per-cycle change of a state
   or a column scatters from one cycle to the next at the solver's working tolerance, by where
   the charge's last steps fall against its cut-off (the states that grow only at the top of
   charge most: the full cell's densified layer and active-material loss by a few percent a
   cycle after 100 cycles, in two or three discrete levels; in some stretches every second
   charge ends 80 s late, 0.66 % more capacity and half the layer's growth; at rtol 1e-5 the
   alternation is gone, while the scatter stays some 2 %), and the full simulation scatters
   alike. In the slow states that move one way through a cycle, whose error does not come back
   (active-material fractions, a densified layer), and that some equation of the model reads,
   N/2 |F' - F_assumed| estimates the jump's error (what the trapezoidal rule with F' would
   change), F' the mean change over the two cycles and F_assumed the mean the jump assumed
   over them; it is taken against each state's value plus its scale (``ABSOLUTE_SCALE``, a
   mixed norm as an ODE solver's), as a root mean square. In the discharge capacity and mean
   discharge voltage the two rows' mean is set against the course the jump assumed for it
   from the mean of the two rows before the jump: the columns' error itself, which a single
   cycle's scatter enters once, not N/2 times (against the single cycle's trend, the full
   cell's alternation asked for some 0.3 N of the tolerance and held the steps at 2-3 for 30
   cycles). That course goes on from the mean change per cycle between those pairs over the
   last jump and the one before, by the laws of the states (``_Trend``). A state no
   equation or event reads (charge passed, lithium lost, oxygen that left the electrode) is a
   counter, an integral of the others: its error stays an offset that no later cycle changes
   and no row sees, so it does not shorten the jump (growing from zero, relative to its own
   value, it did: the half cell's Li counter electrode and the full cell's crossover loss set
   most of the steps). Above ``tolerance`` the jump is redone shorter (a jump of none is
   always taken: its rows are all simulated); the next N scales with the cube root of the
   error ratio (the method's error grows as N**3), up to ``max_skip_cycles``.

Slow states, read off each pair of consecutive full cycles: a state is slow when its change per
cycle is at most ``SETTLING_RATIO`` of its scale (its value, or the part of its swing within the
cycle that it returns, whichever is larger), which keeps out states still settling (the unactivated
Li2MnO3 share decaying by e-folds after formation); a state that moves one way by a steady amount
every cycle (a migrated share growing from zero) is slow however large that amount is against its
value. Any other state is slow only when its change is also steady: the last two changes agree to
within ``STEADY_RATIO`` (after a jump, the change over the second cycle and the one the jump
assumed there: the first cycle after it carries the settling of the states held) and, after a jump,
the change has the sign the jump assumed for it. A state that relaxes towards a course the others
set (the oxidisable surface oxygen, between its loss at the top of charge and its refill) is put
off that course by a jump; extrapolated along its way back, it overshoots, and further every jump,
an oscillation that perturbs what it drives (jumped so, the full cell's surface oxygen ended 10-20
times its swing within a cycle off the full simulation's, and the TM migration it drives changed by
20 % from one landing to the next, which kept the steps short). Held, it relaxes back. A state that
swings and ends the cycle at the edge of the range it swept sits at a cut-off or a bound (a full
particle, a hysteresis branch): drifting out of that range unsteadily, its change is solver noise
that a jump would push past the bound; drifting back into the range, it is slow even when unsteady,
as long as its drift is larger than its scatter (the gap between its change and the one before,
or the one the jump assumed): the lithium of a particle full at the end of discharge is part of
the cell's inventory, which no cycle restores, and held it fell behind by the drift of every
cycle jumped (the full cell's mean discharge voltage 0.5 % low after 450 cycles), while a drift
within its scatter is where the cut-off's last step fell, and jumped along it lands far off.

Rows: a simulated cycle has its row as ``simulate_cycling`` makes it (``extrapolated``
False), except the first after a jump; a cycle jumped over gets every column interpolated
linearly in cycle number between the settled cycles around it, with ``extrapolated`` True, and
so does the first cycle after a jump: it starts from held fast states, and its charge settles
them, so its own row is not the cell's (the full cell's charge capacity 0.3 % off and its
Coulombic efficiency 3e-3 off, above 1, where the cell loses 1e-4 per cycle), and interpolated
towards it every row jumped over shared that. After a jump of none (nothing was held or moved)
the first cycle is the cell's own and keeps its row. The frame's ``attrs["simulated_cycles"]``
counts every cycle the run simulated, the two of each jump redone shorter included.
benchmarks/bench_extrapolation.py prints the error against the full simulation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pybamm

from lrmo_cell.errors import InputError

from .cycling import (
    COLUMNS,
    CYCLE_CURRENT,
    _check_inputs,
    cycle_current_a,
    cycling_parameter_values,
    one_cycle_simulation,
    summarise_cycles,
)

# cycles at the cycling rate simulated in full after formation, before the first jump: the two
# last give the first slope, and the first cycles after formation settle fastest (after 3, the
# full cell's capacity trend was still settling: its first jump, of 2 cycles, missed it 5-fold,
# and was redone twice down to none, 3 pairs of cycles for what 2 lead cycles do)
LEAD_CYCLES = 5
# a state whose cycle-end value moves by more than this share of its swing within the cycle, and
# not one way all the cycle, is still settling and is not extrapolated
SETTLING_RATIO = 0.05
# ... and a state whose change over a cycle differs from that over the cycle before by more than
# this share of it is still settling (a pool relaxing back after the jump, a share decaying by
# e-folds, solver noise on a state pinned by a cut-off)
STEADY_RATIO = 0.5
PINNED_RATIO = 1e-3
# a one-way state whose change per cycle is steadier than this share of it moves linearly and
# is extrapolated even when its change is large against its value; one decaying by e-folds (the
# unactivated Li2MnO3 share after formation, 40 % a cycle) is not, as its jump would overshoot
ONE_WAY_STEADY_RATIO = 0.1
# each state's error is taken against its value plus this, in the solver's units of the state
# (the model's ``scale=`` of it): a mixed absolute and relative norm, as an ODE solver's
# tolerances. Against its value alone (a floor of 1e-9), a state growing from zero held the
# steps to a share of its own small value however little it moved the rows: the full cell's
# irreversible TM migration (7e-4 of the sites after 450 cycles, a 0.7 mV shift) and densified
# layer set 17 jumps of at most a third of the cycle number
ABSOLUTE_SCALE = 1.0
# the measured error (benchmarks/bench_extrapolation.py: 1000 cycles of the half cells, 450 of
# the full cell) stays within 0.4 % at this tolerance, as long as the jumps' errors do not add
# up one way; they did while held particles lost the cell's lithium and while the active
# material's loss went on by the ratio law alone (0.5 % and 0.7 %)
DEFAULT_TOLERANCE = 1e-2
# the columns whose per-cycle trend the step size controls
CONTROLLED = ("discharge_capacity_mAh_per_g", "mean_discharge_voltage_V")
DEFAULT_MAX_SKIP_CYCLES = 200
# step-size control: a safety factor under the error-optimal step, and how far one step may
# grow or shrink it, as scipy.integrate.solve_ivp's Runge-Kutta controllers (a growth of at
# most 2 a step had taken 7 jumps to grow from 2 cycles to 200)
SAFETY, GROWTH_MAX, SHRINK_MIN = 0.9, 10.0, 0.2
FIRST_SKIP_CYCLES = 2


def _check_options(tolerance, max_skip_cycles):
    if not (0 < tolerance <= 0.1 and math.isfinite(tolerance)):
        raise InputError(f"extrapolation tolerance must be > 0 and <= 0.1, got {tolerance}")
    if not (int(max_skip_cycles) == max_skip_cycles and 1 <= max_skip_cycles <= 5000):
        raise InputError(
            f"max_skip_cycles must be an integer from 1 to 5000, got {max_skip_cycles}"
        )


def _cycle_states(cycle: pybamm.Solution, n_states: int) -> np.ndarray:
    """Every state the cycle passed through, as columns (steps whose model has other states,
    a CV hold's extra current, are left out)."""
    return np.hstack([y for step in cycle.steps for y in step.all_ys if y.shape[0] == n_states])


class _Cycle:
    """One simulated cycle: its end state, its change and swing, and its summary row."""

    def __init__(self, start, cycle: pybamm.Solution, end, row: dict, row_before: dict):
        states = np.column_stack([start, _cycle_states(cycle, len(end)), end])
        self.end, self.row = end, row
        self.trend = {key: row[key] - row_before[key] for key in CONTROLLED}
        self.low, self.high = states.min(axis=1), states.max(axis=1)
        self.swing = self.high - self.low
        self.slope = end - start


def _slow_states(first: _Cycle, second: _Cycle, assumed: np.ndarray | None = None) -> np.ndarray:
    """The states that drift slowly and steadily over two consecutive cycles (see the module
    docstring); ``assumed``, after a jump, the change over ``second`` that the jump assumed."""
    drift = np.abs(second.slope)
    # what the state returns of its swing within the cycle: nothing for one that only moves one
    # way (a degradation state, a counter), whose change is then set against its value
    excursion = second.swing - drift
    small = drift <= SETTLING_RATIO * np.maximum(np.abs(second.end), excursion)
    # after a jump, against the change the jump assumed: the first cycle after it carries the
    # settling of the states held, not the trend (the full cell's graphite, empty at the end of
    # discharge and losing Li to the SEI, settled by up to 15 times its trend there and was
    # held for it, so the jumps left its Li in place and missed the fade's knee by 3 %)
    change = np.abs(second.slope - (first.slope if assumed is None else assumed))
    steady = change <= STEADY_RATIO * drift
    if assumed is not None:
        # a change against the one the jump assumed: the state overshot the course it relaxes
        # towards (one the others set), and extrapolated along its way back it would overshoot
        # again, further, every jump
        steady &= second.slope * assumed >= 0
    # a state that only moves one way and by the same amount every cycle is what the jump is
    # for, however young: a migrated share growing from zero changes by a large part
    # of its value per cycle for tens of cycles, and held it would keep the voltage from fading
    one_way = (excursion <= drift) & (drift > 0) & (change <= ONE_WAY_STEADY_RATIO * drift)
    # a state that ends the cycle at the edge of the range it swept sits at a cut-off or a bound
    # (a full particle, a hysteresis branch): a drift back into the range is jumped even when
    # unsteady, as long as it is larger than its scatter: held, a particle's lithium (the
    # cell's inventory, which no cycle restores) would fall behind by the drift of every cycle
    # jumped. A drift within its scatter is where the cut-off's last step fell (the full cell's
    # TM couple, full at the end of discharge, moves by +-5e-6 a cycle about a trend of -3e-7:
    # jumped 83 cycles along one such cycle, it landed 17 times its true move off, with the
    # cell's capacity 0.25 % high). Unsteady, a drift out of it is noise, which extrapolated
    # would push the state past the bound
    to_low, to_high = second.end - second.low, second.high - second.end
    pinned = (excursion > drift) & (np.minimum(to_low, to_high) <= PINNED_RATIO * excursion)
    outward = np.where(to_high < to_low, second.slope > 0, second.slope < 0)
    inward_trend = pinned & ~outward & (change <= drift)
    return (small & (steady | inward_trend)) | one_way


def _read_states(sim: pybamm.Simulation) -> np.ndarray:
    """Which states of the model that ends the cycle (its discharge) some equation or event
    reads. A state no equation reads is a counter, an integral of the others (charge passed,
    lithium lost, oxygen that escaped the electrode): an error in it stays an offset of its own,
    which no later cycle changes and no row sees (the rows read such a counter only through
    its change over a cycle)."""
    model = sim.steps_to_built_models[sim.experiment.steps[-1].basic_repr()]
    read = np.zeros(model.concatenated_initial_conditions.shape[0], dtype=bool)
    expressions = [model.concatenated_rhs, model.concatenated_algebraic]
    for expression in expressions + [event.expression for event in model.events]:
        for node in expression.pre_order():
            if isinstance(node, pybamm.StateVector):
                for y_slice in node.y_slices:
                    read[y_slice] = True
    return read


class _Stepper:
    """Runs cycles from any state with one built simulation (``one_cycle_simulation``), for
    formation, the lead cycles and every pair after a jump."""

    def __init__(self, parameter_values, v_min, v_max, charge_mode, base, compiled=False):
        self.sim = one_cycle_simulation(
            parameter_values,
            v_min=v_min,
            v_max=v_max,
            charge_mode=charge_mode,
            base=base,
            compiled=compiled,
        )
        self.parameter_values = parameter_values
        self.n_steps = len(self.sim.experiment.cycles[0])
        self.sim.build_for_experiment()
        self.read = _read_states(self.sim)

    def run(self, solution, rates) -> tuple[pybamm.Solution | None, list[float]]:
        """Cycles at ``rates`` from the end of ``solution`` (None: the model's initial state),
        and the rates of the solution's cycles; it stops at the first cycle the cell cannot
        complete."""
        done = []
        for rate in rates:
            inputs = {CYCLE_CURRENT: cycle_current_a(self.parameter_values, rate)}
            before = 0 if solution is None else len(solution.cycles)
            try:
                longer = self.sim.solve(starting_solution=solution, inputs=inputs)
            except pybamm.SolverError:
                break
            cycles = longer.cycles
            if len(cycles) <= before or cycles[-1] is None or len(cycles[-1].steps) != self.n_steps:
                break
            solution, done = longer, [*done, rate]
        # a starting state that is not an experiment's solution becomes a cycle of its own
        return solution, [rates[0]] * (len(solution.cycles) - len(done)) + done if done else []

    def cycles(self, template: pybamm.Solution, start: np.ndarray, c_rate) -> tuple | None:
        """The solution of two cycles run from state ``start`` (in the models of ``template``'s
        last state) and the two cycles; None if the cell cannot complete them."""
        last = template.last_state
        begin = pybamm.Solution(
            last.all_ts, [start[:, None].copy()], last.all_models, last.all_inputs
        )
        solution, rates = self.run(begin, [c_rate, c_rate])
        if len(rates) != 3:  # the first is the starting state's
            return None
        frame = summarise_cycles(solution, rates, self.parameter_values)
        rows = frame.iloc[1:].to_dict("records")
        if not np.isfinite(frame["discharge_capacity_mAh_per_g"].iloc[1:]).all():
            return None
        cycles = solution.cycles[1:]
        ends = [c.last_state.all_ys[0][:, 0].copy() for c in cycles]
        first = _Cycle(start, cycles[0], ends[0], rows[0], rows[0])
        return solution, first, _Cycle(ends[0], cycles[1], ends[1], rows[1], rows[0])


class _Trend:
    """A per-cycle change measured over cycle ``number`` and how it goes on over the cycles
    after it, from the change measured ``distance`` cycles before. A change that keeps its sign
    and shrinks goes on shrinking without changing sign, by one of two laws: by the same ratio
    every cycle (a state relaxing towards a steady value) or as a power of the cycle number,
    counted from the run's first cycle (a degradation that slows as it goes, as a film's
    parabolic growth: a loss of active material, a migration). ``power`` says which, state by
    state: the one that predicted the measured change better (``power_fits``); the ratio, with
    no history. Any other change goes
    on changing by the same amount every cycle (second-order Adams-Bashforth; from a single
    measurement, it stays). All agree to second order in the jump."""

    def __init__(self, change, before, distance: float, number: float, power=None):
        self.change, self.number = change, number
        if before is None:
            before = change
        self.rate = (change - before) / distance
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = change / before
        self.decaying = (ratio > 0) & (ratio < 1)
        shrink = -np.log(np.where(self.decaying, ratio, 1.0))
        self.decay = shrink / distance
        self.exponent = shrink / math.log(number / (number - distance))
        self.power = np.zeros(change.shape, dtype=bool) if power is None else power

    def _laws(self, cycles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The change over each of the ``cycles`` (counted from the measured one), by the ratio,
        by the power law and linearly, as columns."""
        cycles = np.asarray(cycles, dtype=float)[None, :]
        change = self.change[:, None]
        return (
            change * np.exp(-self.decay[:, None] * cycles),
            change * (1 + cycles / self.number) ** -self.exponent[:, None],
            change + self.rate[:, None] * cycles,
        )

    def _choose(self, ratio, power, linear) -> np.ndarray:
        law = np.where(self.power[:, None], power, ratio)
        return np.where(self.decaying[:, None], law, linear)

    def changes(self, cycles) -> np.ndarray:
        """The change over each of the ``cycles`` (counted from the measured one), as columns."""
        return self._choose(*self._laws(cycles))

    def at(self, cycles: float) -> np.ndarray:
        """The change over the cycle ``cycles`` cycles after the measured one."""
        return self.changes([cycles])[:, 0]

    def over(self, skip: int) -> np.ndarray:
        """The sum of the changes over the ``skip`` cycles after the measured one."""
        return self.changes(np.arange(1, skip + 1)).sum(axis=1)

    def power_fits(self, cycles: float, measured: np.ndarray) -> np.ndarray:
        """Where the power law predicted the change ``measured`` ``cycles`` cycles on better
        than the ratio."""
        ratio, power, _ = self._laws([cycles])
        return np.abs(measured - power[:, 0]) < np.abs(measured - ratio[:, 0])


def _controlled(row: dict) -> np.ndarray:
    """The controlled columns of a row (or of a row's per-cycle change), as an array."""
    return np.array([row[key] for key in CONTROLLED])


class _Slope:
    """The per-cycle change of the states over cycle ``number`` (the second of the pair
    ``first``, ``cycle``) and how it goes on (``_Trend``, from the slope ``before``, measured
    ``distance`` cycles earlier, each change by the law that predicted it better there), and
    the same of the controlled columns, taken as their mean over the pair: a charge that ends
    late every second cycle (the full cell's, in stretches) moves a single row by 0.66 %, and
    the course drawn from single rows on either side of a jump took that swing for a trend
    and missed the next pair by 1-4 % whatever the jump. Their change is the mean over the
    cycles since ``before``'s pair (without it, ``cycle``'s own change), centred on them."""

    def __init__(
        self,
        first: _Cycle,
        cycle: _Cycle,
        number: int,
        before: _Slope | None = None,
        distance=1,
    ):
        self.number = number
        self.states = self._trend(cycle.slope, before and before.states, distance, number)
        self.values = (_controlled(first.row) + _controlled(cycle.row)) / 2
        if before is None:
            secant, self.center = _controlled(cycle.trend), number
        else:
            secant = (self.values - before.values) / distance
            self.center = number - distance / 2
        spacing = self.center - before.center if before else 1
        self.trend = self._trend(secant, before and before.trend, spacing, self.center)
        self.first_slope, self.end, self.swing = first.slope, cycle.end, cycle.swing

    @staticmethod
    def _trend(change, before: _Trend | None, distance, number) -> _Trend:
        if before is None:
            return _Trend(change, None, distance, number)
        power = before.power_fits(distance, change)
        return _Trend(change, before.change, distance, number, power)

    def jump(self, skip: int) -> np.ndarray:
        """The change of the states from the end of this slope's cycle over ``skip`` cycles."""
        return self.states.over(skip)

    def error_ratio(self, skip: int, controlled, new: _Slope, tolerance) -> float:
        """The jump's error estimate relative to ``tolerance``, over the pair of cycles
        simulated after it (``new``'s), whose mean is robust to where each cycle's charge
        happens to end: the largest gap in the controlled columns between their pair mean and
        the course the jump assumed for it from this slope's pair (relative to their value),
        and ``skip / 2`` times the root mean square gap in the ``controlled`` states between
        their mean change over the pair and the one the jump assumed there (relative to their
        value; what the trapezoidal rule with the measured slope would change)."""
        distance = new.number - self.number
        # from the middle of this pair to the middle of the new one: the changes over the
        # cycles in between, the pairs' own by half (trapezoidal)
        offsets = self.number - self.center + np.arange(0, distance + 1)
        changes = self.trend.changes(offsets)
        course = changes.sum(axis=1) - (changes[:, 0] + changes[:, -1]) / 2
        gap = new.values - self.values - course
        columns = float(np.max(np.abs(gap) / np.abs(new.values)))
        states = 0.0
        if controlled.any():
            change = (new.first_slope + new.states.change) / 2
            assumed = (self.states.at(distance - 1) + self.states.at(distance)) / 2
            scale = np.abs(new.end)[controlled] + ABSOLUTE_SCALE
            states = (
                0.5 * skip * float(np.sqrt(np.mean(((change - assumed)[controlled] / scale) ** 2)))
            )
        return max(columns, states) / tolerance


def _one_way(slope: _Slope) -> np.ndarray:
    """The states that move one way through the cycle: the degradation carried there does not
    come back, whereas a state that swings and returns is reset by the cycle."""
    change = np.abs(slope.states.change)
    return slope.swing - change <= change


def _interpolated_rows(first: dict, last: dict, c_rate: float) -> list[dict]:
    numbers = np.arange(first["cycle"] + 1, last["cycle"])
    rows = []
    for number in numbers:
        weight = (number - first["cycle"]) / (last["cycle"] - first["cycle"])
        row = {
            key: (1 - weight) * first[key] + weight * last[key]
            for key in first
            if key not in ("cycle", "c_rate", "extrapolated")
        }
        rows.append({"cycle": int(number), "c_rate": c_rate, **row, "extrapolated": True})
    return rows


def _frame(rows: list[dict], simulated: int) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.attrs["simulated_cycles"] = simulated
    return frame


def simulate_extrapolated(
    sample,
    c_rate: float,
    cycles: int,
    formation_c_rate: float = 0.1,
    formation_cycles: int = 1,
    v_min: float = 2.0,
    v_max: float = 4.8,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    max_skip_cycles: int = DEFAULT_MAX_SKIP_CYCLES,
    charge_mode: str = "CC",
    base: str = "SPMe",
    parameter_overrides: dict | None = None,
    show_progress: bool | None = None,
    compiled: bool = False,
) -> pd.DataFrame:
    """``simulate_cycling`` by adaptive inter-cycle extrapolation (see the module docstring):
    the same rows and columns plus ``extrapolated`` (True for a row whose values are
    interpolated: a cycle jumped over, or the first after a jump, which settles the states held
    across it). ``tolerance`` is the relative error allowed per jump;
    ``max_skip_cycles`` the most cycles one jump skips. ``show_progress`` is
    accepted for ``simulate_cycling``'s signature; the run is short enough to need no bar.
    ``compiled`` as in ``simulate_cycling``."""
    _check_inputs(c_rate, cycles, formation_c_rate, formation_cycles, v_min, v_max, charge_mode)
    _check_options(tolerance, max_skip_cycles)
    parameter_values = cycling_parameter_values(sample, base, parameter_overrides)
    stepper = _Stepper(parameter_values, v_min, v_max, charge_mode, base, compiled)
    # a run too short to jump is simulated in full
    lead = int(cycles) if cycles <= LEAD_CYCLES + 2 else LEAD_CYCLES
    solution, rates = stepper.run(
        None, [formation_c_rate] * int(formation_cycles) + [c_rate] * lead
    )
    if solution is None:
        return pd.DataFrame(columns=[*COLUMNS, "extrapolated"])
    frame = summarise_cycles(solution, rates, parameter_values)
    rows = [{**row, "extrapolated": False} for row in frame.to_dict("records")]
    done = len(rows) - int(formation_cycles)  # cycles at the cycling rate simulated so far
    if done < LEAD_CYCLES or done == cycles:
        return _frame(rows, len(rows))

    ends = [solution.cycles[i].last_state.all_ys[0][:, 0].copy() for i in (-4, -3, -2, -1)]
    lead = [
        _Cycle(ends[i], solution.cycles[i - 3], ends[i + 1], rows[i - 3], rows[i - 4])
        for i in range(3)
    ]
    first, previous = lead[1:]
    slow = _slow_states(first, previous)
    slope = _Slope(first, previous, rows[-1]["cycle"], _Slope(*lead[:2], rows[-2]["cycle"]))
    skip = FIRST_SKIP_CYCLES
    simulated = len(rows)
    while done + 2 <= cycles:
        skip = max(0, min(skip, cycles - done - 2, max_skip_cycles))
        start = previous.end + np.where(slow, slope.jump(skip), 0.0)
        result = stepper.cycles(solution, start, c_rate)
        simulated += 2  # at most two, when the cell fails in them
        if result is None:
            if skip == 0:
                break  # the cell can no longer complete a cycle: the rows end here
            skip //= 2
            continue
        candidate, first, current = result
        # the new slope is measured over the second cycle after the jump
        distance = skip + 2
        now_slow = _slow_states(first, current, slope.states.at(distance))
        new = _Slope(first, current, rows[-1]["cycle"] + distance, slope, distance)
        controlled = slow & now_slow & stepper.read & _one_way(new)
        ratio = slope.error_ratio(skip, controlled, new, tolerance)
        if ratio > 1 and skip > 0:
            skip = int(skip * max(SHRINK_MIN, SAFETY / ratio ** (1 / 3)))
            continue
        first.row["cycle"] = rows[-1]["cycle"] + skip + 1
        current.row["cycle"] = first.row["cycle"] + 1
        if skip:
            # interpolated up to the second cycle after the jump, the first that is settled
            rows += _interpolated_rows(rows[-1], current.row, c_rate)
        else:
            rows += [{**first.row, "extrapolated": False}]
        rows += [{**current.row, "extrapolated": False}]
        done += skip + 2
        solution, previous, slow, slope = candidate, current, now_slow, new
        growth = GROWTH_MAX if ratio == 0 else SAFETY / ratio ** (1 / 3)
        skip = max(1, int(skip * min(GROWTH_MAX, max(SHRINK_MIN, growth))))
    if done + 1 == cycles:
        # one cycle left over: simulated in full
        last, rates = stepper.run(solution, [c_rate])
        if rates:
            row = summarise_cycles(last, rates, parameter_values).iloc[-1].to_dict()
            rows.append({**row, "cycle": rows[-1]["cycle"] + 1, "extrapolated": False})
            simulated += 1
    return _frame(rows, simulated)
