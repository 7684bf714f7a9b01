"""Galvanostatic cycling of an LRMO cell, summarised one row per cycle.

``simulate_cycling("Ru-1", c_rate=1, cycles=300)`` runs the formation cycles (default one at 0.1C)
and then the cycling protocol with ``pybamm.Experiment`` on the LRMO model, and returns a DataFrame
with one row per cycle (formation included, numbered from 1). Capacities and energies are per gram
of active powder (LRMO plus any RuO2 islands, the mass the study weighs); 1C = 250 mA/g (Sun et al.
2025, doi:10.1039/d5ee00430f).
"""

from __future__ import annotations

import math
import shutil
import sys

import numpy as np
import pandas as pd
import pybamm

from lrmo_cell.errors import InputError
from lrmo_cell.parameters import load_parameter_set
from lrmo_cell.parameters.treatment import SPECIFIC_CURRENT_1C_A_PER_KG

from .lrmo import LRMO

COLUMNS = (
    "cycle",
    "c_rate",
    "charge_capacity_mAh_per_g",
    "discharge_capacity_mAh_per_g",
    "coulombic_efficiency",
    "median_discharge_voltage_V",
    "mean_discharge_voltage_V",
    "discharge_energy_Wh_per_kg",
    "charge_energy_Wh_per_kg",
    "energy_efficiency",
    "oxygen_released_umol_per_g",
)
# coarse meshes keep the state small; tests/test_model_mesh.py checks they are converged
VAR_PTS = {"x_n": 5, "x_s": 5, "x_p": 5, "r_n": 10, "r_p": 10, "r_p_prim": 10, "r_p_sec": 10}
CHARGE_MODES = ("CC", "CCCV")


def active_powder_mass_g(parameter_values: pybamm.ParameterValues) -> float:
    """Mass [g] of active powder (LRMO + RuO2) in the positive electrode."""
    p = parameter_values
    lrmo_kg = (
        p["Positive electrode active material volume fraction"]
        * p["Positive electrode thickness [m]"]
        * p["Electrode height [m]"]
        * p["Electrode width [m]"]
        * p["LRMO density [kg.m-3]"]
    )
    return 1000 * lrmo_kg / (1 - p["RuO2 mass fraction in active powder"])


def _check_inputs(c_rate, cycles, formation_c_rate, formation_cycles, v_min, v_max, charge_mode):
    checks = (
        (c_rate > 0 and math.isfinite(c_rate), f"c_rate must be > 0, got {c_rate}"),
        (
            formation_c_rate > 0 and math.isfinite(formation_c_rate),
            f"formation_c_rate must be > 0, got {formation_c_rate}",
        ),
        (
            int(cycles) == cycles and 0 <= cycles <= 5000,
            f"cycles must be an integer from 0 to 5000, got {cycles}",
        ),
        (
            int(formation_cycles) == formation_cycles and 0 <= formation_cycles <= 100,
            f"formation_cycles must be an integer from 0 to 100, got {formation_cycles}",
        ),
        (cycles + formation_cycles >= 1, "cycles + formation_cycles must be at least 1"),
        (1.5 <= v_min < v_max <= 5.0, f"need 1.5 <= v_min < v_max <= 5.0 V, got {v_min}, {v_max}"),
        (charge_mode in CHARGE_MODES, f"charge_mode must be CC or CCCV, got {charge_mode!r}"),
    )
    for ok, message in checks:
        if not ok:
            raise InputError(message)


# a full cell's graphite grows PyBaMM's SEI, with the set's parameters: O'Kane 2022's solvent
# diffusion through the film in series with the solvent's reduction (PyBaMM's "ec reaction
# limited" law), which a lithiated graphite runs at O'Kane's diffusion limit and the as-made
# cell's fresh graphite, at 2.3 V vs Li, not at all
FULL_CELL_OPTIONS = {"SEI": "ec reaction limited"}


def is_full_cell(parameter_values) -> bool:
    """A set with a graphite negative electrode; else a half cell against Li metal."""
    return "Negative particle radius [m]" in parameter_values


def solver_cut_offs(parameter_values, v_min: float, v_max: float) -> pybamm.ParameterValues:
    """A copy of the set whose voltage cut-offs bound the solver just outside the protocol's
    window [``v_min``, ``v_max``] V: the protocol's own limits end its steps (an as-assembled
    full cell may start below ``v_min``). A half cell starts at its as-made open-circuit
    voltage and every protocol here first charges it, so ``v_max`` must lie above that
    voltage; a full cell starts lower, at the cathode's potential less the graphite's."""
    if not is_full_cell(parameter_values):
        start = parameter_values["As-made open-circuit voltage [V]"]
        if not v_max > start:
            raise InputError(
                f"v_max must be above the as-made cell's open-circuit voltage, {start:g} V for "
                f"this set (the first charge starts there), got {v_max:g} V"
            )
    parameter_values = parameter_values.copy()
    parameter_values.update(
        {
            "Lower voltage cut-off [V]": min(parameter_values["Lower voltage cut-off [V]"], v_min)
            - 0.05,
            "Upper voltage cut-off [V]": v_max + 0.05,
        }
    )
    return parameter_values


def model_for(parameter_values, base: str = "SPMe", model_options: dict | None = None):
    """The LRMO model for a set: a half cell (Li metal) or a full cell (graphite, with
    ``FULL_CELL_OPTIONS``), with any further model ``model_options`` (e.g. ``{"LRMO TM
    dissolution": "none"}``, ``{"SEI": "none"}``). Built afresh on every call (0.15 s), so no
    two simulations share a model a caller may have changed."""
    full_cell = is_full_cell(parameter_values)
    options = {**(FULL_CELL_OPTIONS if full_cell else {}), **(model_options or {})}
    options["working electrode"] = "both" if full_cell else "positive"
    return LRMO(options, base=base)


def working_solver(compiled: bool = False) -> pybamm.BaseSolver:
    """PyBaMM's IDAKLU solver at the working tolerances. The model's states all carry PyBaMM
    scales (fractions, oxygen pools of ~1 mol.m-3), so one absolute tolerance serves them all,
    and it needs no fallback: its Marcus-Hush-Chidsey rates keep every surface's restoring
    force bounded.

    ``compiled``: IDAKLU's "compile" option, which evaluates the model through C code that
    the system compiler builds ahead of time instead of CasADi's virtual machine. The model's
    rates (Marcus-Hush-Chidsey erfc, site powers) make evaluation most of an integration step,
    so 300 cycles at 1C integrate about 4.5 times faster; the build costs 10-20 s the first
    time a model and parameter set are solved, and PyBaMM keeps it on disk
    (``$PYBAMM_CASADI_AOT_CACHE``, default ``$TMPDIR/pybamm_casadi_aot``) for later runs. It
    pays for long runs of one set, not for many short runs of changing parameters (each set
    is a new build), so it is off by default. PyBaMM builds with gcc and, if a build fails,
    falls back to the virtual machine with one warning line in its log; a missing gcc, the
    likely failure, is refused here instead. Its builds are for the machine's own CPU
    (``-march=native``): a cache directory is not to be shared between machines."""
    if compiled and shutil.which("gcc") is None:
        raise InputError("compiled=True needs the C compiler gcc on PATH (none was found)")
    return pybamm.IDAKLUSolver(
        rtol=WORKING_RTOL, atol=WORKING_ATOL, options={"compile": bool(compiled)}
    )


def _cycle_steps(current_a: float, v_min: float, v_max: float, charge_mode: str) -> tuple:
    steps = [f"Charge at {current_a} A until {v_max} V"]
    if charge_mode == "CCCV":
        steps.append(f"Hold at {v_max} V until {current_a / 5} A")
    steps.append(f"Discharge at {current_a} A until {v_min} V")
    return tuple(steps)


# Working tolerances, and the tight ones tests/test_model_checks.py compares them with
WORKING_RTOL, WORKING_ATOL = 1e-4, 1e-6
TIGHT_RTOL, TIGHT_ATOL = 1e-6, 1e-8


def run_experiment(
    parameter_values: pybamm.ParameterValues,
    protocol: list[tuple[float, int]],
    *,
    v_min: float = 2.0,
    v_max: float = 4.8,
    charge_mode: str = "CC",
    base: str = "SPMe",
    show_progress: bool = False,
    var_pts: dict | None = None,
    solver: pybamm.BaseSolver | None = None,
    model_options: dict | None = None,
) -> tuple[pybamm.Solution, list[float]]:
    """Solve ``protocol`` = [(c_rate, n_cycles), ...] and return the solution and cycle C-rates.

    ``var_pts`` refines PyBaMM's mesh points (default ``VAR_PTS``); ``solver`` replaces the
    default ``working_solver()``; ``model_options`` go to the model (``model_for``).
    """
    sim, rates = cycling_simulation(
        parameter_values,
        protocol,
        v_min=v_min,
        v_max=v_max,
        charge_mode=charge_mode,
        base=base,
        var_pts=var_pts,
        solver=solver,
        model_options=model_options,
    )
    return sim.solve(showprogress=show_progress), rates


def cycling_simulation(
    parameter_values,
    protocol,
    *,
    v_min,
    v_max,
    charge_mode,
    base,
    var_pts=None,
    solver=None,
    model_options=None,
) -> tuple[pybamm.Simulation, list[float]]:
    """The unsolved ``pybamm.Simulation`` of ``run_experiment`` and its cycle C-rates (a
    simulation solved again from other states keeps its built models and solver set-up)."""
    cycles, rates = [], []
    for c_rate, n in protocol:
        current = cycle_current_a(parameter_values, c_rate)
        cycles += [_cycle_steps(current, v_min, v_max, charge_mode)] * n
        rates += [c_rate] * n
    sim = _simulation(
        parameter_values,
        pybamm.Experiment(cycles),
        v_min,
        v_max,
        base,
        var_pts,
        solver,
        model_options,
    )
    return sim, rates


def _simulation(
    parameter_values,
    experiment,
    v_min,
    v_max,
    base,
    var_pts=None,
    solver=None,
    model_options=None,
):
    parameter_values = solver_cut_offs(parameter_values, v_min, v_max)
    return pybamm.Simulation(
        model_for(parameter_values, base, model_options),
        parameter_values=parameter_values,
        experiment=experiment,
        solver=solver or working_solver(),
        var_pts={**VAR_PTS, **(var_pts or {})},
        # one model for all the steps of the experiment (PyBaMM's documented "unified" mode):
        # it halves the cost of a build, which dominates short runs and study points
        experiment_model_mode="unified",
    )


#: the input that sets the current [A] of ``one_cycle_simulation``'s cycle
CYCLE_CURRENT = "Cycle current [A]"


def one_cycle_simulation(parameter_values, *, v_min, v_max, charge_mode, base, compiled=False):
    """An unsolved ``pybamm.Simulation`` of one cycle at the current of the input
    ``CYCLE_CURRENT``: built once, it runs cycles at every rate from any state, where
    ``cycling_simulation`` is built again for every protocol (1 s a build). A second cycle in
    the experiment with its own input would double the models built."""
    current = pybamm.InputParameter(CYCLE_CURRENT)
    steps = [pybamm.step.current(-current, termination=f"> {v_max} V")]
    if charge_mode == "CCCV":
        steps.append(
            pybamm.step.voltage(v_max, termination=pybamm.step.CurrentTermination(current / 5))
        )
    steps.append(pybamm.step.current(current, termination=f"< {v_min} V"))
    experiment = pybamm.Experiment([tuple(steps)])
    solver = working_solver(compiled)
    return _simulation(parameter_values, experiment, v_min, v_max, base, solver=solver)


def cycle_current_a(parameter_values, c_rate: float) -> float:
    """The current [A] of a cycle at ``c_rate`` (1C = 250 mA/g of active powder)."""
    return c_rate * SPECIFIC_CURRENT_1C_A_PER_KG * active_powder_mass_g(parameter_values) / 1000


_SUMMARY_VARIABLES = {
    "current": "Current [A]",
    "capacity": "Discharge capacity [A.h]",
    "voltage": "Voltage [V]",
    "released": "Released oxygen [umol.g-1]",
}


def _steps_by_cycle(solution: pybamm.Solution) -> list[list[dict] | None]:
    """The summary variables of every step, cycle by cycle, cut out of one evaluation over the
    whole solution (evaluating them step by step costs a few ms per step)."""
    whole = {key: solution[name].entries for key, name in _SUMMARY_VARIABLES.items()}
    offset, cycles = 0, []
    for cycle in solution.cycles:
        if cycle is None:
            cycles.append(None)
            continue
        steps = []
        for step in cycle.steps:
            end = offset + len(step.t)
            steps.append({key: values[offset:end] for key, values in whole.items()})
            offset = end
        cycles.append(steps)
    return cycles


def _cycle_row(steps, number: int, c_rate: float, mass_g: float) -> dict:
    charge = [s for s in steps if s["current"].mean() < 0]
    discharge = [s for s in steps if s["current"].mean() > 0]
    q_ch = sum(abs(s["capacity"][-1] - s["capacity"][0]) for s in charge)
    # a charge step's capacity falls as it charges, so its energy integral comes out negative
    e_ch = -sum(float(np.trapezoid(s["voltage"], s["capacity"])) for s in charge)
    row = {
        "cycle": number,
        "c_rate": c_rate,
        "charge_capacity_mAh_per_g": 1000 * q_ch / mass_g,
        "charge_energy_Wh_per_kg": 1000 * e_ch / mass_g,
    }
    if discharge:
        step = discharge[-1]
        q = step["capacity"] - step["capacity"][0]
        v = step["voltage"]
        energy_wh = float(np.trapezoid(v, q))
        q_dis = float(q[-1])
        row.update(
            discharge_capacity_mAh_per_g=1000 * q_dis / mass_g,
            coulombic_efficiency=q_dis / q_ch if q_ch > 0 else float("nan"),
            median_discharge_voltage_V=float(np.interp(q_dis / 2, q, v)),
            mean_discharge_voltage_V=energy_wh / q_dis if q_dis > 0 else float("nan"),
            discharge_energy_Wh_per_kg=1000 * energy_wh / mass_g,
            energy_efficiency=energy_wh / e_ch if e_ch > 0 else float("nan"),
        )
    row["oxygen_released_umol_per_g"] = float(steps[-1]["released"][-1] - steps[0]["released"][0])
    return row


def summarise_cycles(
    solution: pybamm.Solution, rates: list[float], parameter_values
) -> pd.DataFrame:
    """One row per cycle of an experiment solution (see ``COLUMNS``)."""
    mass_g = active_powder_mass_g(parameter_values)
    rows = [
        _cycle_row(steps, i + 1, rates[i], mass_g)
        for i, steps in enumerate(_steps_by_cycle(solution))
        if steps is not None
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def cycling_parameter_values(sample, base: str, parameter_overrides: dict | None):
    """The parameter values ``run_cycling`` solves with (``sample`` and ``base`` as there)."""
    if base not in ("SPM", "SPMe", "DFN"):
        raise InputError(f"base must be one of SPM, SPMe, DFN, got {base!r}")
    parameter_values = pybamm.ParameterValues(load_parameter_set(sample))
    if parameter_overrides:
        parameter_values.update(parameter_overrides)
    return parameter_values


def run_cycling(
    sample,
    c_rate: float,
    cycles: int,
    formation_c_rate: float = 0.1,
    formation_cycles: int = 1,
    v_min: float = 2.0,
    v_max: float = 4.8,
    *,
    charge_mode: str = "CC",
    base: str = "SPMe",
    parameter_overrides: dict | None = None,
    show_progress: bool | None = None,
    model_options: dict | None = None,
    compiled: bool = False,
) -> tuple[pd.DataFrame, pybamm.Solution, pybamm.ParameterValues]:
    """``simulate_cycling`` that also returns the PyBaMM solution and parameter values."""
    _check_inputs(c_rate, cycles, formation_c_rate, formation_cycles, v_min, v_max, charge_mode)
    parameter_values = cycling_parameter_values(sample, base, parameter_overrides)
    protocol = [(formation_c_rate, int(formation_cycles)), (c_rate, int(cycles))]
    if show_progress is None:
        # a bar redrawn into a log file or a pipe is noise, not progress
        show_progress = cycles + formation_cycles > 20 and sys.stderr.isatty()
    solution, rates = run_experiment(
        parameter_values,
        [step for step in protocol if step[1] > 0],
        v_min=v_min,
        v_max=v_max,
        charge_mode=charge_mode,
        base=base,
        show_progress=show_progress,
        model_options=model_options,
        solver=working_solver(compiled),
    )
    return summarise_cycles(solution, rates, parameter_values), solution, parameter_values


def simulate_cycling(
    sample,
    c_rate: float,
    cycles: int,
    formation_c_rate: float = 0.1,
    formation_cycles: int = 1,
    v_min: float = 2.0,
    v_max: float = 4.8,
    extrapolate: bool = False,
    **options,
) -> pd.DataFrame:
    """Cycle an LRMO cell and return one row per cycle (formation first, numbered from 1).

    ``sample``: "pristine", "Ru-0.5", "Ru-1", "Ru-3", a parameter set name or a .json file.
    Currents follow 1C = 250 mA/g of active powder; CC (or CCCV, hold to C/5) charge to ``v_max``,
    CC discharge to ``v_min`` [V]. Keyword ``options``: ``charge_mode`` ("CC"/"CCCV"), ``base``
    ("SPMe"/"SPM"/"DFN"), ``parameter_overrides`` (dict), ``show_progress`` (tqdm bar on stderr;
    default for runs over 20 cycles when stderr is a terminal), ``model_options`` (dict of model
    options, e.g. ``{"LRMO TM dissolution": "none"}``), ``compiled`` (the model evaluated by
    compiled C code, ``working_solver``: for long runs). If the cell can no longer
    complete a cycle, the rows end there. ``extrapolate=True`` jumps over cycles by adaptive
    inter-cycle extrapolation (``lrmo_cell.models.extrapolation.simulate_extrapolated``, which
    also takes ``tolerance`` and ``max_skip_cycles``) and adds the boolean column
    ``extrapolated``.
    """
    if extrapolate:
        from .extrapolation import simulate_extrapolated

        return simulate_extrapolated(
            sample, c_rate, cycles, formation_c_rate, formation_cycles, v_min, v_max, **options
        )
    frame, _, _ = run_cycling(
        sample, c_rate, cycles, formation_c_rate, formation_cycles, v_min, v_max, **options
    )
    return frame
