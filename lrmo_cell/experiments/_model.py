"""The virtual lab's one door to the LRMO model.

Every experiment of :mod:`lrmo_cell.experiments` builds its model, loads its parameter set, picks
its solver and reads model variables through this module and nowhere else, so that a rebuilt
positive-electrode model changes one file here. Samples resolve as in
``lrmo_cell.models.cycling`` (``load_parameter_set``: "pristine", "Ru-0.5", "Ru-1", "Ru-3", a set
name such as "LRMO_Sun2025_Ru1_graphite", or a .json file); the mesh and the solver are the
cycling module's, so an experiment and ``simulate_cycling`` see the same numerics.

Per-gram quantities are per gram of active powder (LRMO plus any RuO2 islands, the mass the
study weighs): ``active_powder_mass_g``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pybamm

from lrmo_cell.fitting.drt import FARADAY_C_PER_MOL
from lrmo_cell.models.cycling import (
    VAR_PTS,
    active_powder_mass_g,
    model_for,
    solver_cut_offs,
    summarise_cycles,
)
from lrmo_cell.models.cycling import working_solver as solver_for
from lrmo_cell.parameters import load_parameter_set
from lrmo_cell.parameters.treatment import SPECIFIC_CURRENT_1C_A_PER_KG

# what the experiments take from the model package as it is, through this door
__all__ = ["FARADAY_C_PER_MOL", "active_powder_mass_g", "summarise_cycles"]

# a set may define its own 1C; without it 1C = 250 mA/g (Sun et al. 2025)
SPECIFIC_CURRENT_PARAMETER = "Specific current at 1C [A.kg-1]"


def parameter_values(sample) -> pybamm.ParameterValues:
    """The sample's parameter values: a name or .json file (``load_parameter_set``), a dict of
    values, or ``pybamm.ParameterValues`` (copied). The cell starts at rest: the set's current
    function is zero, so the first point of a voltage-controlled step carries no stray current."""
    if isinstance(sample, pybamm.ParameterValues):
        values = sample.copy()
    elif isinstance(sample, Mapping):
        values = pybamm.ParameterValues(dict(sample))
    else:
        # the lab runs the model, so a set must give every parameter it reads
        values = pybamm.ParameterValues(load_parameter_set(sample, complete=True))
    values["Current function [A]"] = 0.0
    return values


def upper_cut_off_V(values) -> float:
    """The set's upper voltage cut-off [V] (4.8 V for the half cells, 4.6 V for graphite)."""
    return float(values["Upper voltage cut-off [V]"])


def particle_radius_m(values) -> float:
    return float(values["Primary: Positive particle radius [m]"])


def specific_current_A_per_g(values) -> float:
    """1C [A per g of active powder]: the set's own value if it has one, else 250 mA/g."""
    if SPECIFIC_CURRENT_PARAMETER in values:
        return float(values[SPECIFIC_CURRENT_PARAMETER]) / 1000
    return SPECIFIC_CURRENT_1C_A_PER_KG / 1000


def current_A(values, c_rate: float) -> float:
    """Cell current [A] of ``c_rate`` for the set's electrode."""
    return c_rate * specific_current_A_per_g(values) * active_powder_mass_g(values)


# a constant-current step to a voltage limit ends by this many hours at 1C, whatever its
# C-rate (PyBaMM's default step duration, 24 h, would cut a 0.05C LRMO charge short); an LRMO
# first charge takes about 1.3 h at 1C
MAX_STEP_1C_HOURS = 2.0


def constant_current(verb: str, values, c_rate: float, until_V: float) -> str:
    """``"Charge at <I> A for <t> hours or until <V> V"`` (``verb`` "Charge"/"Discharge")."""
    hours = MAX_STEP_1C_HOURS / c_rate
    return f"{verb} at {current_A(values, c_rate)} A for {hours} hours or until {until_V} V"


# PyBaMM's "legacy" experiment mode builds one model per distinct step (a rate test: 12), its
# "unified" mode one model with the step's value as an input: cheaper to build, dearer per
# solver step. Past this many distinct steps the build dominates (rate test 5.3 -> 3.6 s, six
# EIS states 2.1 -> 1.0 s; a GITT, three distinct steps, 1.1 s legacy against 1.9 s unified)
SHARED_MODEL_STEPS = 4


def solve(
    values, cycles: list, v_min: float, v_max: float, *, period_s=None, show_progress=False
) -> pybamm.Solution:
    """Run ``pybamm.Experiment(cycles)`` on the set's model with the cycling module's solver
    (``solver_for``) and mesh; ``period_s`` sets the output spacing of steps that do
    not set their own. A protocol of more than ``SHARED_MODEL_STEPS`` distinct steps runs in
    PyBaMM's unified experiment mode (capacities within 0.15 mAh/g of the legacy mode's)."""
    experiment = pybamm.Experiment(
        cycles, period=None if period_s is None else f"{period_s} seconds"
    )
    simulation = pybamm.Simulation(
        model_for(values),
        parameter_values=solver_cut_offs(values, v_min, v_max),
        experiment=experiment,
        solver=solver_for(),
        var_pts=VAR_PTS,
        experiment_model_mode="unified"
        if len(set(experiment.steps)) > SHARED_MODEL_STEPS
        else "legacy",
    )
    return simulation.solve(showprogress=show_progress)


def open_circuit_voltage_V(values) -> float:
    """Voltage [V] of the cell in its initial (as-made) state at zero current."""
    simulation = pybamm.Simulation(
        model_for(values),
        parameter_values=values,
        solver=solver_for(),
        var_pts=VAR_PTS,
    )
    return float(simulation.solve([0.0, 1.0])["Voltage [V]"].entries[0])


def _has(solution, name: str) -> bool:
    return name in solution.all_models[0].variables


def entries(solution, name: str) -> np.ndarray:
    return np.asarray(solution[name].entries)


def time_s(solution) -> np.ndarray:
    return entries(solution, "Time [s]")


def voltage_V(solution) -> np.ndarray:
    return entries(solution, "Voltage [V]")


def is_skipped(step) -> bool:
    """True for a step PyBaMM skipped as infeasible (its limit already passed at its start)."""
    return isinstance(step, pybamm.EmptySolution)


def final_voltage_V(solution) -> float:
    """Last voltage [V] of a step or cycle; NaN for a skipped step."""
    if is_skipped(solution):
        return float("nan")
    return float(voltage_V(solution)[-1])


def cell_current_A(solution) -> np.ndarray:
    """Cell current [A], PyBaMM's sign: positive on discharge."""
    return entries(solution, "Current [A]")


def discharged_Ah(solution) -> np.ndarray:
    """Charge [A.h] discharged since the start of ``solution`` (negative while charging)."""
    return entries(solution, "Discharge capacity [A.h]")


def join_steps(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table from per-step tables of an experiment: each step's first point repeats its
    predecessor's last (at a time equal to rounding), so it is dropped, as a cycler logs one
    row per time."""
    return pd.concat(
        [frame if k == 0 else frame.iloc[1:] for k, frame in enumerate(frames)], ignore_index=True
    )


def oxidised_lattice_oxygen_fraction(solution) -> np.ndarray:
    """Oxidised share of the oxygen couple's lattice oxygen, 0 to 1."""
    return entries(solution, "X-averaged oxidised lattice oxygen fraction")


def oxygen_umol_per_g(solution, pool: str) -> np.ndarray:
    """Cumulative O2 [umol per g of active powder] of one oxygen pool: "released" (left the
    lattice by any route) or "escaped" (lost for good)."""
    return entries(solution, f"{pool.capitalize()} oxygen [umol.g-1]")


def budget_mAh_per_g(solution, values) -> dict[str, float]:
    """The model's own split of its first cycle's irreversible capacity
    (``lrmo_cell.models.lrmo.budget``): item -> mAh per g of active powder."""
    from lrmo_cell.models.lrmo.budget import first_cycle_budget

    unit = " [mAh.g-1]"
    budget = first_cycle_budget(solution, values)
    return {name.removesuffix(unit): v for name, v in budget.items() if name.endswith(unit)}


def impedance_ohm(
    state: pybamm.Solution, values, frequencies_Hz, current_A: float = 0.0
) -> np.ndarray:
    """Complex impedance [Ohm] at ``frequencies_Hz`` about the last state of ``state``, by
    ``pybamm.EISSimulation`` on a copy of the model started from that state
    (``set_initial_conditions_from``), linearised at the cell current ``current_A`` [A]
    (PyBaMM's sign, positive on discharge; 0: at rest).

    Under a current the state is not stationary; the linearisation about it is the
    frozen-state one of in-situ (operando) EIS, valid where the state drifts slowly against a
    period. PyBaMM's EISSimulation linearises at zero current only (its current is an
    algebraic state whose initial value it sets to 0) and has no option for a bias; the
    nearest public hook is that initial value, ``simulation.model.initial_conditions``, the
    point at which the Jacobian is taken (the current's own equation, I = 0, has the same
    Jacobian row at any I). The state under current already carries most of the operating
    point (the surface potential difference is a state of the differential surface form), so
    the current itself moves only the terms that read it (the densified film's drop, the
    throughput): at 4.5 V on the first charge under 0.2 % above 10 mHz."""
    model = model_for(values).set_initial_conditions_from(state, inplace=False)
    simulation = pybamm.EISSimulation(model, parameter_values=values, var_pts=VAR_PTS)
    if current_A:
        current = simulation.model.variables["Current [A]"]
        simulation.model.initial_conditions[current] = pybamm.Scalar(current_A)
    return np.asarray(simulation.solve(np.asarray(frequencies_Hz, float)).impedance)
