"""Galvanostatic experiments: the first charge with its oxygen, the rate test, long cycling, and
the first cycle's irreversible-capacity budget.

Currents are C-rates of 1C = 250 mA per g of active powder (unless the set defines its own),
capacities mAh per g of active powder. Every protocol is a list of ``pybamm.Experiment`` step
strings run by :func:`lrmo_cell.experiments._model.solve`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lrmo_cell.models.cycling import is_full_cell

from . import _inputs
from . import _model as lab

FORMATION_COLUMNS = (
    "voltage_V",
    "charge_mAh_per_g",
    "oxidised_lattice_oxygen_fraction",
    "o2_released_umol_per_g",
    "o2_escaped_umol_per_g",
    "time_s",
)
RATE_COLUMNS = (
    "c_rate",
    "charge_capacity_mAh_per_g",
    "discharge_capacity_mAh_per_g",
    "mean_discharge_voltage_V",
    "coulombic_efficiency",
)


def _window(values, v_min, v_max) -> tuple[float, float]:
    return _inputs.window(v_min, lab.upper_cut_off_V(values) if v_max is None else v_max)


def _cycle(values, charge_c_rate: float, discharge_c_rate: float, v_min, v_max) -> tuple:
    return (
        lab.constant_current("Charge", values, charge_c_rate, v_max),
        lab.constant_current("Discharge", values, discharge_c_rate, v_min),
    )


def formation(
    sample, c_rate: float = 0.1, v_min: float = 2.0, v_max: float | None = None, **options
) -> pd.DataFrame:
    """The first charge of the as-made cell at ``c_rate`` to ``v_max`` [V] (default: the set's
    upper cut-off, 4.8 V for the half cells), one row per solver point: voltage, charge passed
    [mAh/g], oxidised share of the redox-active lattice oxygen, and the O2 released from the
    lattice and escaped for good [umol/g] since the start (the quantities of a first charge with
    gas analysis; DEMS sees the escaped O2). ``v_min`` bounds the run from below. Option
    ``show_progress`` (tqdm bar). Works for the graphite full cell too."""
    values = lab.parameter_values(sample)
    c_rate = _inputs.c_rate("c_rate", c_rate)
    v_min, v_max = _window(values, v_min, v_max)
    charge = lab.constant_current("Charge", values, c_rate, v_max)
    solution = lab.solve(values, [charge], v_min, v_max, **options)
    mass_g = lab.active_powder_mass_g(values)
    released = lab.oxygen_umol_per_g(solution, "released")
    escaped = lab.oxygen_umol_per_g(solution, "escaped")
    discharged = lab.discharged_Ah(solution)
    return pd.DataFrame(
        {
            "voltage_V": lab.voltage_V(solution),
            "charge_mAh_per_g": 1000 * (discharged[0] - discharged) / mass_g,
            "oxidised_lattice_oxygen_fraction": lab.oxidised_lattice_oxygen_fraction(solution),
            "o2_released_umol_per_g": released - released[0],
            "o2_escaped_umol_per_g": escaped - escaped[0],
            "time_s": lab.time_s(solution),
        }
    )


def rate_test(
    sample,
    c_rates=(0.1, 0.2, 0.5, 1, 2, 5),
    formation_c_rate: float = 0.1,
    charge_c_rate: float | None = None,
    v_min: float = 2.0,
    v_max: float | None = None,
    **options,
) -> pd.DataFrame:
    """A formation cycle at ``formation_c_rate``, then one cycle per C-rate (charge at the same
    rate unless ``charge_c_rate`` is given, CC to ``v_max``, CC discharge to ``v_min``); one row
    per C-rate. A rate the cell can no longer complete ends the table."""
    values = lab.parameter_values(sample)
    rates = [_inputs.c_rate("c_rates", r) for r in np.atleast_1d(c_rates)]
    _inputs.check(1 <= len(rates) <= 50, f"c_rates must hold 1 to 50 rates, got {len(rates)}")
    formation_c_rate = _inputs.c_rate("formation_c_rate", formation_c_rate)
    if charge_c_rate is not None:
        charge_c_rate = _inputs.c_rate("charge_c_rate", charge_c_rate)
    v_min, v_max = _window(values, v_min, v_max)
    cycles = [_cycle(values, formation_c_rate, formation_c_rate, v_min, v_max)]
    cycles += [_cycle(values, charge_c_rate or r, r, v_min, v_max) for r in rates]
    solution = lab.solve(values, cycles, v_min, v_max, **options)
    frame = lab.summarise_cycles(solution, [formation_c_rate, *rates], values)
    return frame.iloc[1:][list(RATE_COLUMNS)].reset_index(drop=True)


def cycling(sample, c_rate: float, cycles: int, **options) -> pd.DataFrame:
    """``lrmo_cell.simulate_cycling``: formation, then ``cycles`` cycles at ``c_rate``, one row
    per cycle with its columns (see its docstring for ``options``)."""
    from lrmo_cell.models.cycling import simulate_cycling

    return simulate_cycling(sample, c_rate, cycles, **options)


def first_cycle_budget(
    sample, c_rate: float = 0.1, v_min: float = 2.0, v_max: float | None = None
) -> pd.DataFrame:
    """Where the first cycle's irreversible capacity [mAh/g] goes, for a half cell: the
    charge minus the discharge capacity (cycler view) against the model's own split
    (``lrmo_cell.models.lrmo.budget``: Li sites lost to oxygen loss, Li stranded per couple at
    the cut-off, electrolyte, Li2O2 on RuO2); the closing row is what
    none explains (double layer, solver tolerance). Columns ``item``, ``mAh_per_g``."""
    values = lab.parameter_values(sample)
    _inputs.check(not is_full_cell(values), "first_cycle_budget needs a half-cell set")
    c_rate = _inputs.c_rate("c_rate", c_rate)
    v_min, v_max = _window(values, v_min, v_max)
    solution = lab.solve(values, [_cycle(values, c_rate, c_rate, v_min, v_max)], v_min, v_max)
    row = lab.summarise_cycles(solution, [c_rate], values).iloc[0]
    irreversible = row["charge_capacity_mAh_per_g"] - row["discharge_capacity_mAh_per_g"]

    cycler = [
        ("first charge", row["charge_capacity_mAh_per_g"]),
        ("first discharge", row["discharge_capacity_mAh_per_g"]),
        ("irreversible (charge - discharge)", irreversible),
    ]
    # the model splits the Li the hosts end the cycle without, by its own states
    budget = lab.budget_mAh_per_g(solution, values)
    # the lost sites are counted net of the Li the lost volume keeps, which is shown for itself
    # but is no further part of the sum
    trapped = budget.pop("Li trapped in the densified layer")
    explained = sum(budget.values())
    items = [*budget.items(), ("(Li kept by the lost volume, in the above)", trapped)]
    rows = [*cycler, *items, ("not explained by the above", irreversible - explained)]
    return pd.DataFrame(rows, columns=["item", "mAh_per_g"])
