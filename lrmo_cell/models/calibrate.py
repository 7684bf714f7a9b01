"""Calibrate the LRMO parameter sets to the study's calibration table.

    python -m lrmo_cell.models.calibrate [--rounds N]

1. writes the treated sets (Ru-0.5, Ru-1, Ru-3) as patches of the pristine set, through
   ``treatment_parameters`` (their RuCl3 concentrations are the paper's);
2. fits the few free parameters with scipy.optimize, each to the calibration rows it controls
   (validation/sun2025_calibration.csv, Sun et al. 2025, doi:10.1039/d5ee00430f):
   - oxygen-redox capacity, oxygen-loss exchange-current density and oxidisable surface-oxygen
     inventory: Ru-1 first discharge at 0.1C and the pristine and Ru-1 ICE (least squares over the
     formation cycle; the inventory bounds the pristine loss, the rate constant the Ru-1 loss above
     its later onset);
   - oxygen-redox exchange-current density and the resistance of the densified layer per lost
     oxygen: the Ru-1 and pristine 1C capacities (the sluggish anionic redox limits both; the film
     that the pristine formation cycle's oxygen loss leaves behind sets the pristine lower, as the
     study explains);
   - oxygen-vacancy migration rate (how fast fresh oxidisable oxygen reaches the surface, hence
     the oxygen lost per cycle) and the oxygen adsorption sites per mass of RuO2 (how much of a
     charge's released oxygen the catalyst can hold until discharge reduces it back): the
     pristine and Ru-1 300-cycle retentions at 1C;
3. writes the fitted values (source "fit: <this command>") and every set's "performance" block.
"""

from __future__ import annotations

import argparse
import math
import sys

from lrmo_cell.parameters.io import SAMPLE_SETS, read_parameter_file, write_parameter_file
from lrmo_cell.parameters.treatment import SAMPLE_RUCL3_MG_PER_ML, treatment_parameters
from lrmo_cell.resources import data_dir

from .cycling import simulate_cycling
from .validation import calibration_table, residuals, table_metrics

COMMAND = "python -m lrmo_cell.models.calibrate"
PRISTINE = SAMPLE_SETS["pristine"]
PERFORMANCE_C_RATES = (0.1, 0.2, 0.5, 1.0, 2.0)


def _value(document: dict, name: str) -> float:
    return document["parameters"][name]["value"]


def treated_set_document(sample: str) -> dict:
    """The patch document of one treated sample, from the pristine set and the treatment map."""
    pristine = read_parameter_file(PRISTINE)
    electrode_m3 = (
        _value(pristine, "Positive electrode thickness [m]")
        * _value(pristine, "Electrode height [m]")
        * _value(pristine, "Electrode width [m]")
    )
    rucl3 = SAMPLE_RUCL3_MG_PER_ML[sample]
    parameters = treatment_parameters(
        rucl3,
        powder_volume_fraction=_value(pristine, "Positive electrode powder volume fraction"),
        lrmo_density_kg_per_m3=_value(pristine, "LRMO density [kg.m-3]"),
        electrode_volume_m3=electrode_m3,
    )
    parameters["Current function [A]"] = dict(parameters["Nominal cell capacity [A.h]"])
    return {
        "name": SAMPLE_SETS[sample],
        "description": (
            f"LRMO {sample}: the pristine powder stirred in acidic RuCl3 ({rucl3} mg/mL), washed "
            "and sintered (Li-deficient surface layer + RuO2 islands), against Li metal; Sun et "
            "al., Energy Environ. Sci. 18 (2025) 4335, doi:10.1039/d5ee00430f. A patch of "
            f"{PRISTINE} through lrmo_cell.parameters.treatment.treatment_parameters."
        ),
        "base": PRISTINE,
        "parameters": parameters,
    }


def write_treated_sets() -> None:
    """(Re)write the Ru-0.5, Ru-1 and Ru-3 patch files from the treatment map."""
    for sample in ("Ru-0.5", "Ru-1", "Ru-3"):
        document = treated_set_document(sample)
        path = data_dir("parameter_sets") / f"{document['name']}.json"
        if path.exists():
            document["performance"] = read_parameter_file(path).get("performance")
            if document["performance"] is None:
                del document["performance"]
        write_parameter_file(document, path)


def _free_parameters(pristine: dict) -> dict:
    """Free parameters: name -> ((to fit coordinate, from fit coordinate), bounds)."""
    lrmo_mol_per_m3 = _value(pristine, "Lattice oxygen concentration [mol.m-3]") / 2
    log = (lambda v: math.log10(v), lambda x: 10**x)
    return {
        "Oxygen redox capacity [mol.m-3]": (
            (lambda v: v / lrmo_mol_per_m3, lambda x: x * lrmo_mol_per_m3),  # Li per formula unit
            (0.3, 0.9),
        ),
        "Oxygen loss exchange-current density [A.m-2]": (log, (-9.0, -2.0)),
        "Oxidisable surface oxygen [mol.m-2]": (log, (-5.0, -2.5)),
        "Oxygen redox exchange-current density [A.m-2]": (log, (-4.0, -1.0)),
        # a rock-salt/spinel layer (Li conductivity down to ~1e-9 S/m) a quarter O-deficient
        # (~2.5e4 mol/m3 of lost O) has resistivity / lost-O density up to ~4e4 Ohm.m4/mol
        "Densified layer resistance per lost oxygen [Ohm.m4.mol-1]": (log, (1.0, 5.0)),
        "Oxygen vacancy migration rate constant [s-1]": (log, (-9.0, -4.0)),
        # at most one O per RuO2 unit (133 g/mol): 7.5 mol/kg
        "RuO2 oxygen adsorption site density [mol.kg-1]": (log, (-1.0, 0.875)),
    }


# calibration stages: the free parameters of each and the table rows they are fitted to
STAGES = (
    (
        (
            "Oxygen redox capacity [mol.m-3]",
            "Oxygen loss exchange-current density [A.m-2]",
            "Oxidisable surface oxygen [mol.m-2]",
        ),
        ("ru1_first_discharge", "pristine_ice", "ru1_ice"),
        0,
    ),
    (
        (
            "Oxygen redox exchange-current density [A.m-2]",
            "Densified layer resistance per lost oxygen [Ohm.m4.mol-1]",
        ),
        ("pristine_1c_capacity", "ru1_1c_capacity"),
        1,
    ),
    (
        (
            "Oxygen vacancy migration rate constant [s-1]",
            "RuO2 oxygen adsorption site density [mol.kg-1]",
        ),
        ("pristine_retention_300", "ru1_retention_300"),
        300,
    ),
)


def _sample_metrics(samples, values: dict, cycles: int) -> dict:
    return {
        sample: table_metrics(
            simulate_cycling(sample, 1.0, cycles, parameter_overrides=values, show_progress=False),
            retention_cycles=300,
        )
        for sample in samples
    }


def fit_stage(names, row_ids, cycles: int, values: dict, free: dict) -> dict:
    """Fit the parameters ``names`` to the table rows ``row_ids``; returns the updated values."""
    import numpy as np
    from scipy.optimize import least_squares

    table = calibration_table().set_index("id")
    samples = sorted({table.loc[i, "sample"] for i in row_ids})

    def with_x(x):
        trial = dict(values)
        for name, xi in zip(names, x, strict=True):
            trial[name] = free[name][0][1](xi)
        return trial

    def fun(x):
        metrics = _sample_metrics(samples, with_x(x), cycles)
        # a failed or truncated run leaves NaN; a large finite residual steers the fit away
        res = np.nan_to_num(residuals(table.reset_index(), metrics, row_ids), nan=10.0).tolist()
        print(f"  {np.round(x, 4).tolist()} -> residuals {np.round(res, 3).tolist()}", flush=True)
        return res

    x0 = [free[name][0][0](values[name]) for name in names]
    lower, upper = zip(*(free[name][1] for name in names), strict=True)
    x0 = np.clip(x0, lower, upper)
    result = least_squares(fun, x0, bounds=(lower, upper), diff_step=1e-3, xtol=1e-4, max_nfev=40)
    return with_x(result.x)


def fit_source(name: str, value: float, free: dict) -> str:
    """The source line of a fitted value; a value stuck at its search bound says so, because
    then the data asked for more than the bound allows and the value is not a true optimum."""
    (to_fit, from_fit), (lower, upper) = free[name]
    x = to_fit(value)
    at_bound = next(
        (
            f"; at the {side} bound {from_fit(b):.3g} of its search interval, not an optimum"
            for side, b in (("lower", lower), ("upper", upper))
            if abs(x - b) < 1e-3 * (upper - lower)
        ),
        "",
    )
    return (
        f"fit: {COMMAND} (to the rows of validation/sun2025_calibration.csv, "
        f"doi:10.1039/d5ee00430f){at_bound}"
    )


def performance_block(sample: str) -> dict:
    """Discharge capacity and mean voltage after one 0.1C formation cycle at each rate."""
    rates = []
    for c_rate in PERFORMANCE_C_RATES:
        row = simulate_cycling(sample, c_rate, 1, show_progress=False).iloc[-1]
        rates.append(
            {
                "c_rate": c_rate,
                "discharge_capacity_mAh_per_g": round(
                    float(row["discharge_capacity_mAh_per_g"]), 2
                ),
                "mean_discharge_voltage_V": round(float(row["mean_discharge_voltage_V"]), 4),
            }
        )
    return {
        "source": f"{COMMAND} (lrmo_cell.simulate_cycling: 0.1C formation, then one cycle at "
        "each rate, 2.0-4.8 V vs Li)",
        "rates": rates,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=2, help="passes over the fit stages (default 2)"
    )
    args = parser.parse_args(argv)
    write_treated_sets()
    pristine = read_parameter_file(PRISTINE)
    free = _free_parameters(pristine)
    values = {name: _value(pristine, name) for name in free}
    for round_number in range(args.rounds):
        for names, row_ids, cycles in STAGES:
            print(f"round {round_number + 1}: fitting {', '.join(names)} to {', '.join(row_ids)}")
            values = fit_stage(names, row_ids, cycles, values, free)
    for name, value in values.items():
        pristine["parameters"][name] = {
            "value": float(f"{value:.6g}"),
            "source": fit_source(name, value, free),
        }
    write_parameter_file(pristine, data_dir("parameter_sets") / f"{PRISTINE}.json")
    for sample, name in SAMPLE_SETS.items():
        path = data_dir("parameter_sets") / f"{name}.json"
        document = read_parameter_file(path)
        document["performance"] = performance_block(sample)
        write_parameter_file(document, path)
        print(f"{name}: performance {document['performance']['rates']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
