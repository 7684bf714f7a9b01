"""Calibrate the LRMO parameter sets to the study's calibration table.

    python -m lrmo_cell.models.calibrate [--rounds N] [--stages 1 2 3] [--assume NAME=VALUE]

1. writes the treated sets (Ru-0.5, Ru-1, Ru-3) as patches of the pristine set, through
   ``treatment_parameters`` (their RuCl3 concentrations are the paper's);
2. fits what no published measurement pins (``_free_parameters``, each strictly inside bounds
   from the literature or from physics), in three stages, with scipy.optimize.least_squares:
   - the oxygen couple's rate constant, RuO2's catalysis of it, the share of its Li sites the
     window reaches and the oxygen-loss rate constant: the Ru-1 first discharge, both ICEs and
     both 1C capacities (validation/sun2025_calibration.csv, Sun et al. 2025,
     doi:10.1039/d5ee00430f)
     and the O2 that DEMS sees leave Li-rich oxides on the first charge
     (validation/lrmo_literature_targets.csv). Not the oxygen couple's Li diffusivity: these
     rows do not identify it (from the TM couple's 1e-16 m2/s up they move by under 1.2 mAh/g,
     and fitted it drifted to 0.98 of its search range); the set takes the lowest value they
     allow, the TM couple's (the literature's oxygen couple is the slower);
   - how many TMs settle in the Li layer next to each oxygen vacancy that enters the bulk: the
     voltage decay of untreated LRMO from other studies (validation/lrmo_literature_targets.csv),
     never the study's own rows;
   - the oxygen-vacancy migration rate (how fast fresh oxidisable oxygen reaches the surface):
     both 300-cycle retentions at 1C;
3. writes the fitted values (source "fit: <this command>") and every set's "performance" block.

``--assume NAME=VALUE`` asks what the fit says if an assumption were otherwise: it holds that
parameter, refits the chosen stages around it and prints the fitted values and every target
row, writing nothing (e.g. ``--assume "Irreversible TM migration share per oxygen-redox site
cycled=3e-4" --stages 2`` for how the vacancy path and the Ru-1 decay change when oxygen-redox
cycling also moves TMs for good).
"""

from __future__ import annotations

import argparse
import math
import sys

from lrmo_cell.errors import InputError
from lrmo_cell.parameters.io import (
    SAMPLE_SETS,
    load_parameter_set,
    read_parameter_file,
    write_parameter_file,
)
from lrmo_cell.parameters.treatment import SAMPLE_RUCL3_MG_PER_ML, treatment_parameters
from lrmo_cell.resources import data_dir

from .cycling import simulate_cycling
from .validation import (
    calibration_table,
    compare,
    literature_targets,
    residuals,
    table_metrics,
)

COMMAND = "python -m lrmo_cell.models.calibrate"
PRISTINE = SAMPLE_SETS["pristine"]
PERFORMANCE_C_RATES = (0.1, 0.2, 0.5, 1.0, 2.0)


def treated_set_document(sample: str) -> dict:
    """The patch document of one treated sample, from the pristine set and the treatment map."""
    pristine = load_parameter_set(PRISTINE)
    electrode_m3 = (
        pristine["Positive electrode thickness [m]"]
        * pristine["Electrode height [m]"]
        * pristine["Electrode width [m]"]
    )
    rucl3 = SAMPLE_RUCL3_MG_PER_ML[sample]
    parameters = treatment_parameters(
        rucl3,
        powder_volume_fraction=pristine["Positive electrode powder volume fraction"],
        lrmo_density_kg_per_m3=pristine["LRMO density [kg.m-3]"],
        electrode_volume_m3=electrode_m3,
        particle_radius_m=pristine["Primary: Positive particle radius [m]"],
    )
    parameters["Current function [A]"] = dict(parameters["Nominal cell capacity [A.h]"])
    return {
        "name": SAMPLE_SETS[sample],
        "description": (
            f"LRMO {sample}: the pristine powder stirred in acidic RuCl3 ({rucl3} "
            "mg/mL), washed and sintered (Li-deficient surface layer + RuO2 islands), against Li "
            "metal; Sun et al., Energy Environ. Sci. 18 (2025) 4335, doi:10.1039/d5ee00430f. A "
            f"patch of {PRISTINE} through lrmo_cell.parameters.treatment.treatment_parameters."
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
    """Free parameters: name -> (lower, upper, log10): the bounds of the fit coordinate, the
    parameter's log10 where it spans decades.

    Bounds: the oxygen couple's rate constant from the literature table
    (validation/lrmo_transport_kinetics_literature.md: k_TM / 100 to k_TM); a catalyst's
    enhancement 10 to 100 (shared/lrmo-literature-leads.md item 8); the share of the
    oxygen-redox Li sites the window reaches between one hole per two Li-O-Li oxygens and all
    of them; the oxygen-loss and vacancy rates over decades around the
    first-charge DEMS and a fade within the study's window; between none and three TMs settling
    next to each bulk oxygen vacancy, the three TM neighbours of an oxide ion in the O3 layered
    structure.
    """
    k_tm = math.log10(pristine["Primary: Positive electrode reaction rate constant [A.m-2]"])
    return {
        "Secondary: Positive electrode reaction rate constant [A.m-2]": (k_tm - 2, k_tm, True),
        "RuO2 oxygen-redox catalytic enhancement": (1.0, 2.0, True),
        "Accessible share of the oxygen-redox Li sites": (0.5, 1.0, False),
        "Oxygen release rate constant [s-1]": (-6.0, -1.0, True),
        "Oxygen vacancy migration rate constant [s-1]": (-10.0, -5.0, True),
        "TM migrations per oxygen vacancy": (0.0, 3.0, False),
    }


def _to_fit(value: float, log: bool) -> float:
    return math.log10(value) if log else value


def _from_fit(x: float, log: bool) -> float:
    return 10**x if log else x


# calibration stages: the free parameters of each, the rows they are fitted to, the 1C cycles
STAGES = (
    (
        (
            "Secondary: Positive electrode reaction rate constant [A.m-2]",
            "RuO2 oxygen-redox catalytic enhancement",
            "Accessible share of the oxygen-redox Li sites",
            "Oxygen release rate constant [s-1]",
        ),
        (
            "ru1_first_discharge",
            "pristine_ice",
            "ru1_ice",
            "pristine_1c_capacity",
            "ru1_1c_capacity",
            "pristine_first_charge_o2",
        ),
        1,
    ),
    # TM migration's rate from other studies only (issue: not from the study's own table):
    # the voltage decay of untreated LRMO they report
    (
        ("TM migrations per oxygen vacancy",),
        ("pristine_voltage_decay",),
        300,
    ),
    (
        ("Oxygen vacancy migration rate constant [s-1]",),
        ("pristine_retention_300", "ru1_retention_300"),
        300,
    ),
)


def target_table():
    """The study's calibration rows and the other studies' targets, one table."""
    import pandas as pd

    return pd.concat([calibration_table(), literature_targets()], ignore_index=True)


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

    table = target_table()
    samples = sorted(set(table.set_index("id").loc[list(row_ids), "sample"]))

    def with_x(x):
        trial = dict(values)
        for name, xi in zip(names, x, strict=True):
            trial[name] = _from_fit(xi, free[name][2])
        return trial

    def fun(x):
        metrics = _sample_metrics(samples, with_x(x), cycles)
        # a failed or truncated run leaves NaN; a large finite residual steers the fit away
        res = np.nan_to_num(residuals(table, metrics, row_ids), nan=10.0).tolist()
        print(f"  {np.round(x, 4).tolist()} -> residuals {np.round(res, 3).tolist()}", flush=True)
        return res

    lower, upper, _ = zip(*(free[name] for name in names), strict=True)
    # start strictly inside: a start on a bound has no finite-difference step outward
    margin = 1e-3 * (np.array(upper) - np.array(lower))
    x0 = [_to_fit(values[name], free[name][2]) for name in names]
    x0 = np.clip(x0, np.array(lower) + margin, np.array(upper) - margin)
    result = least_squares(fun, x0, bounds=(lower, upper), diff_step=1e-3, xtol=1e-4, max_nfev=40)
    return with_x(result.x)


# what a fitted value also carries, beyond the rows it is fitted to
FIT_NOTES = {
    "TM migrations per oxygen vacancy": (
        "; jointly with the O-vacancy migration rate, which the retentions set: together they"
        " carry the whole decay, the O-redox-driven irreversible share being assumed nil"
    ),
    "Oxygen vacancy migration rate constant [s-1]": (
        "; the vacancies it moves into the bulk also carry the vacancy-driven part of the voltage"
        " decay (TMMigration)"
    ),
}


def fit_source(name: str, value: float, free: dict) -> str:
    """The source line of a fitted value; a value stuck at its search bound says so, because
    then the data asked for more than the bound allows and the value is not a true optimum."""
    lower, upper, log = free[name]
    x = _to_fit(value, log)
    at_bound = next(
        (
            f"; at the {side} bound {_from_fit(b, log):.3g} of its search interval, not an optimum"
            for side, b in (("lower", lower), ("upper", upper))
            # within 1 % of the interval: a value a few per cent from its bound is on it
            if abs(x - b) < 1e-2 * (upper - lower)
        ),
        "",
    )
    rows = next(row_ids for names, row_ids, _ in STAGES if name in names)
    literature = set(literature_targets()["id"])
    files = [
        f"{path} ({', '.join(r for r in rows if (r in literature) == from_literature)})"
        for path, from_literature in (
            ("validation/sun2025_calibration.csv, doi:10.1039/d5ee00430f", False),
            ("validation/lrmo_literature_targets.csv", True),
        )
        if any((r in literature) == from_literature for r in rows)
    ]
    return f"fit: {COMMAND} (to {'; '.join(files)}){FIT_NOTES.get(name, '')}{at_bound}"


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


def _assumptions(items: list[str], named: dict, free: dict) -> dict[str, float]:
    """``--assume NAME=VALUE`` items as {name: value}: a non-negative number for a parameter of
    the pristine set that the calibration does not fit."""
    assumed = {}
    for item in items:
        name, sep, text = item.rpartition("=")
        if not sep or name not in named or name in free:
            raise InputError(
                f"--assume {item!r}: NAME must be a parameter of {PRISTINE} that no stage fits"
            )
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not math.isfinite(value) or value < 0:
            raise InputError(f"--assume {name}: VALUE must be a finite number >= 0, got {text!r}")
        assumed[name] = value
    return assumed


def _print_table(values: dict) -> None:
    """The fitted values, every target row with them and each sample's table quantities, rows
    or not (both samples, 300 cycles at 1C: Ru-1's voltage decay is no row)."""
    for name, value in values.items():
        print(f"{name} = {value:.4g}")
    table = target_table()
    metrics = _sample_metrics(sorted(set(table["sample"])), values, 300)
    print(compare(table, metrics).to_string(index=False))
    for sample, quantities in metrics.items():
        print(f"{sample}: " + ", ".join(f"{q} {v:.4g}" for q, v in quantities.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=2, help="passes over the fit stages (default 2)"
    )
    parser.add_argument(
        "--stages",
        type=int,
        nargs="+",
        choices=range(1, len(STAGES) + 1),
        default=list(range(1, len(STAGES) + 1)),
        help="the fit stages to run: 1 (first cycle and 1C rows), 2 (TM migration to other "
        "studies' voltage decay), 3 (O-vacancy migration to the 300-cycle retentions)",
    )
    parser.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="hold an assumed parameter of the pristine set at VALUE, refit the stages around "
        "it and print the table rows; writes nothing (repeatable)",
    )
    args = parser.parse_args(argv)
    named = load_parameter_set(PRISTINE)
    free = _free_parameters(named)
    try:
        assumed = _assumptions(args.assume, named, free)
    except InputError as err:
        print(err, file=sys.stderr)
        return 2
    if not assumed:
        write_treated_sets()
    values = {**{name: named[name] for name in free}, **assumed}
    for round_number in range(args.rounds):
        for names, row_ids, cycles in (STAGES[k - 1] for k in args.stages):
            print(f"round {round_number + 1}: fitting {', '.join(names)} to {', '.join(row_ids)}")
            values = fit_stage(names, row_ids, cycles, values, free)
    if assumed:
        _print_table(values)
        return 0
    pristine = read_parameter_file(PRISTINE)
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
