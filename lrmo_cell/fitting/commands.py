"""``lrmo-cell fit gitt`` and ``lrmo-cell fit drt``: measured data in, parameters and a report out.

Heavy modules (pybamm, scipy, pyimpspec, matplotlib) are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from lrmo_cell.arguments import number


def register(subparsers) -> None:
    fit = subparsers.add_parser(
        "fit",
        help="fit parameters to measured data (GITT, EIS/DRT, per-cycle capacities)",
        description=__doc__,
    )
    kinds = fit.add_subparsers(dest="kind", required=True, parser_class=type(fit))

    gitt = kinds.add_parser(
        "gitt",
        help="fit solid diffusivity and exchange-current density to GITT pulses",
        description="Detect the pulses of a GITT file, fit the diffusivity and exchange-current "
        "density of each pulse with a PyBaMM half-cell model, and write a parameter-set patch "
        "(value and 95% interval per parameter), the per-pulse table (CSV, with the "
        "Weppner-Huggins diffusivity) and the fit over the data (PNG). On an LRMO set the model "
        "replays the whole file, so each pulse starts from the history before it; each pulse "
        "fits the diffusivity of the couple (TM or lattice oxygen) that took its charge, over "
        "the whole 2.0-4.8 V window; the file must start at a rest, and "
        "hold only pulses and rests.",
    )
    gitt.add_argument("file", help="CSV (standard columns) or BioLogic .mpr/.mpt")
    gitt.add_argument(
        "--model",
        default="Ru-1",
        help="LRMO sample/set/file the patch is based on, or a PyBaMM half-cell set (Xu2019)",
    )
    gitt.add_argument(
        "--pulses",
        type=number("--pulses", ge=1, le=100_000, integer=True),
        help="fit only the first N pulses",
    )
    gitt.add_argument(
        "--charge-positive",
        action="store_true",
        help="the CSV's current is positive on charge (many cyclers); it is flipped on read",
    )
    size = gitt.add_mutually_exclusive_group()
    size.add_argument(
        "--mass-g",
        type=number("--mass-g", gt=0, le=10_000, unit="g"),
        help="active powder of the measured electrode [g] (the LRMO with its RuO2, as weighed); "
        "its theoretical capacity follows from the set's density and Li-site concentrations "
        "(LRMO sets)",
    )
    size.add_argument(
        "--capacity-ah",
        type=number("--capacity-ah", gt=0, le=100_000, unit="A.h"),
        help="charge [A.h] that moves the working-electrode stoichiometry by one (theoretical "
        "capacity of the active mass); default: that of the model's electrode",
    )
    gitt.add_argument(
        "--fit-capacity",
        action="store_true",
        help="LRMO sets: fit the electrode's capacity (0.8-1.25 times the one given) with the "
        "diffusivities instead of taking it as given (about ten passes over the pulses)",
    )
    gitt.add_argument("--out", required=True, help="parameter-set patch to write (.json)")
    gitt.set_defaults(func=_gitt)

    cycling = kinds.add_parser(
        "cycling",
        help="fit oxygen-loss/degradation parameters to per-cycle capacity and voltage",
        description="Fit named LRMO parameters (each between 1/100 and 100 times its value in "
        "--model) so that the model, cycled like the data (one 0.1C formation cycle, then "
        "--c-rate), reproduces the measured charge and discharge capacity (and mean discharge "
        "voltage if given) of every cycle; writes a parameter-set patch with 95% intervals, the "
        "measured-vs-model table (CSV) and figure (PNG). By default the fit minimises a quadratic "
        "response surface of the misfit built from a few full runs and refined with full runs "
        "until it stops moving (7 runs instead of 20 for one parameter over 12 cycles); "
        "--no-surrogate runs the full model at every optimiser evaluation.",
    )
    cycling.add_argument(
        "file",
        help="CSV: cycle, charge_capacity_mAh_per_g, discharge_capacity_mAh_per_g "
        "[, mean_discharge_voltage_V], formation cycle first; or a time series (BioLogic "
        ".mpr/.mpt, standard-column CSV) with --mass-g",
    )
    cycling.add_argument(
        "--mass-g",
        type=number("--mass-g", gt=0, le=10_000, unit="g"),
        help="active mass of the measured electrode [g]: a time series is summarised per cycle "
        "in mAh/g with it",
    )
    cycling.add_argument(
        "--charge-positive",
        action="store_true",
        help="a time-series CSV's current is positive on charge (many cyclers); flipped on read",
    )
    cycling.add_argument("--model", default="Ru-1", help="LRMO sample/set/file (default Ru-1)")
    cycling.add_argument(
        "--c-rate",
        type=number("--c-rate", gt=0, le=100, unit="C"),
        default=1.0,
        help="rate after formation",
    )
    cycling.add_argument(
        "--fit",
        action="append",
        required=True,
        metavar="PARAMETER",
        help='parameter to fit, e.g. "Oxygen release rate constant [s-1]" (repeatable)',
    )
    cycling.add_argument(
        "--no-surrogate",
        dest="surrogate",
        action="store_false",
        help="run the full model at every optimiser evaluation (about twice the runs)",
    )
    cycling.add_argument("--out", required=True, help="parameter-set patch to write (.json)")
    cycling.set_defaults(func=_cycling)

    drt = kinds.add_parser(
        "drt",
        help="distribution of relaxation times of an impedance spectrum, with its peaks",
        description="TR-RBF DRT (pyimpspec, lambda by modified GCV), peaks assigned by time "
        "constant (1e-2-10 s charge transfer, 10-100 s diffusion), exchange-current density "
        "from the charge-transfer resistance if --area-m2 is given; writes peaks CSV and PNG.",
    )
    drt.add_argument("file", help="CSV with frequency_Hz, z_real_ohm, z_imag_ohm, or .mpr/.mpt")
    drt.add_argument(
        "--area-m2",
        type=number("--area-m2", gt=0, le=10_000, unit="m2"),
        help="electrochemically active area [m2]",
    )
    drt.add_argument(
        "--temperature-k",
        type=number("--temperature-k", gt=0, le=1000, unit="K"),
        default=298.15,
        help="default 298.15 K",
    )
    drt.add_argument(
        "--drop-inductive-tail",
        action="store_true",
        help="remove lowest-frequency points with positive imaginary part instead of refusing",
    )
    drt.add_argument(
        "--window",
        action="append",
        metavar="PROCESS=LOW:HIGH",
        help="assign peaks with LOW <= tau < HIGH [s] to PROCESS (repeatable; replaces the "
        "study's charge_transfer=0.01:10 and diffusion=10:100)",
    )
    drt.add_argument("--out", required=True, help="peaks table to write (.csv); PNG beside it")
    drt.set_defaults(func=_drt)


def _outputs(path: str, suffix: str, extras: tuple[str, ...], inputs) -> list[Path]:
    """The main output and the files written beside it (``<stem><extra>``), all checked before
    any work: each must be a writable file place, and none may be an input file."""
    from lrmo_cell.files import distinct_outputs, output_file

    out = output_file(path, "--out", (suffix,))
    beside = [out.with_name(out.stem + extra) for extra in extras]
    labels = {"--out": out}
    for extra in beside:
        label = f"--out (the {extra.suffix[1:].upper()} beside it)"
        labels[label] = output_file(extra, label)
    distinct_outputs(labels, inputs)
    return [out, *beside]


def _gitt_model(model: str):
    """The half-cell setup of --model, refused in one sentence unless it is an LRMO set or a
    PyBaMM half-cell set (a full cell has no Li-metal counter electrode to fit against)."""
    import pybamm

    from lrmo_cell.errors import InputError
    from lrmo_cell.fitting.gitt import half_cell_setup

    if model in pybamm.parameter_sets and not model.startswith("LRMO_"):
        values = pybamm.ParameterValues(model)
        if "Exchange-current density for lithium metal electrode [A.m-2]" not in values:
            raise InputError(
                f"--model {model} is not a half-cell set vs Li metal; fit gitt needs an LRMO "
                "sample/set/file or a PyBaMM half-cell set such as Xu2019"
            )
    else:
        from lrmo_cell.parameters import load_parameter_set

        try:
            load_parameter_set(model, complete=True)
        except InputError as err:
            raise InputError(f"--model: {err}") from None
    try:
        return half_cell_setup(model)
    except InputError as err:
        raise InputError(f"--model: {err}") from None


def _gitt(args: argparse.Namespace) -> int:
    import json

    import pybamm

    from lrmo_cell.errors import InputError
    from lrmo_cell.files import atomic_paths
    from lrmo_cell.fitting.capacity import capacity_of_mass_Ah, electrode_capacity_Ah
    from lrmo_cell.fitting.gitt import (
        CAPACITY_SCALE,
        CAPACITY_SCALE_BOUNDS,
        COUPLES,
        TwoCoupleSetup,
        couple_diffusivity_name,
        detect_pulses,
        fit_gitt,
        fit_gitt_two_couples,
        pulse_table,
        referred_to_reference_temperature,
        relaxed_voltage,
        summarise_fit,
        undetermined_pulses,
        weppner_huggins_by_couple,
    )
    from lrmo_cell.fitting.plots import gitt_fit_figure
    from lrmo_cell.fitting.readers import read_file

    out, pulses_csv, png = _outputs(
        args.out, ".json", ("_pulses.csv", "_fit.png"), [args.file, args.model]
    )
    read_options = {"charge_positive": True} if args.charge_positive else {}
    frame = read_file(args.file, kind="timeseries", **read_options)
    pulses = detect_pulses(frame, source=args.file)
    if pulses.empty:
        raise InputError(f"{args.file}: no current pulse between two rests of at least 60 s")
    pulses = pulses.iloc[: args.pulses]
    setup = _gitt_model(args.model)
    if args.fit_capacity and not isinstance(setup, TwoCoupleSetup):
        raise InputError(
            f"--fit-capacity: {args.model} is a one-host set, whose fit takes each pulse's "
            "initial stoichiometry instead; it applies to LRMO sets only"
        )
    model_capacity_Ah = electrode_capacity_Ah(setup.parameter_values)
    if args.mass_g is not None:
        capacity_Ah = capacity_of_mass_Ah(setup.parameter_values, args.mass_g, args.model)
    else:
        capacity_Ah = args.capacity_ah or model_capacity_Ah
    # the model's electrode is driven at the measured C-rate, so that each pulse moves its
    # stoichiometry as far as the measured one moved the cell's
    model_frame = frame.assign(current_A=frame["current_A"] * model_capacity_Ah / capacity_Ah)
    model_pulses = pulses.assign(current_A=pulses["current_A"] * model_capacity_Ah / capacity_Ah)
    stoichiometry = None
    if isinstance(setup, TwoCoupleSetup):
        # each couple's stoichiometry comes from the model's replay; the electrode's columns
        # of the Weppner-Huggins table (one host's) mean nothing here
        wh_table = pulse_table(frame, pulses, capacity_Ah, 0.0, 1.0).drop(
            columns=["stoichiometry_start", "stoichiometry_end", "stoichiometry", "D_WH_m2_per_s"]
        )
        fit_table, fits = fit_gitt_two_couples(
            setup, model_frame, model_pulses, fit_capacity=args.fit_capacity
        )
        table = weppner_huggins_by_couple(wh_table.merge(fit_table, on="pulse"), setup)
        stoichiometry = {couple_diffusivity_name(c): f"{c} stoichiometry" for c in COUPLES}
    else:
        first_ocv = relaxed_voltage(
            frame["time_s"].to_numpy(),
            frame["voltage_V"].to_numpy(),
            int(pulses["i_start"].iloc[0]),
        )
        wh_table = pulse_table(
            frame,
            pulses,
            capacity_Ah,
            setup.stoichiometry_at(first_ocv),
            setup.parameter_values["Positive particle radius [m]"],
        )
        fit_table, fits = fit_gitt(setup, model_frame, model_pulses)
        table = wh_table.merge(fit_table, on="pulse")
    pulses_option = [] if args.pulses is None else ["--pulses", str(args.pulses)]
    if args.capacity_ah is not None:
        pulses_option += ["--capacity-ah", str(args.capacity_ah)]
    if args.mass_g is not None:
        pulses_option += ["--mass-g", str(args.mass_g)]
    if args.charge_positive:
        pulses_option += ["--charge-positive"]
    if args.fit_capacity:
        pulses_option += ["--fit-capacity"]
    command = "lrmo-cell fit gitt " + shlex.join(
        [args.file, "--model", args.model, *pulses_option, "--out", args.out]
    )
    summary = summarise_fit(table, setup.fit_names, stoichiometry)
    if stoichiometry:
        summary = referred_to_reference_temperature(summary, setup.parameter_values)
    is_pybamm_set = args.model in pybamm.parameter_sets and not args.model.startswith("LRMO_")
    document = _patch(
        out,
        None if is_pybamm_set else args.model,
        f"GITT fit of {args.file} ({len(table)} pulses) on {args.model}; the per-pulse values "
        "against mid-pulse stoichiometry (log-linear between pulses, constant beyond; one pulse: "
        "its value), ci95 spans the pulses and their own intervals"
        + (
            "; LRMO: each couple's diffusivity from the pulses it carried, against its own "
            "stoichiometry, the electrode's capacity "
            + (
                f"fitted too ({float(table[CAPACITY_SCALE].iloc[0]):.5g} times the one given)."
                if args.fit_capacity
                else "as given."
            )
            if stoichiometry
            else "."
        ),
        {name: entry.get("table", entry["value"]) for name, entry in summary.items()},
        {name: entry["ci95"] for name, entry in summary.items()},
        command,
    )
    # the three files appear together or not at all
    with atomic_paths([out, pulses_csv, png]) as (tmp_json, tmp_csv, tmp_png):
        table.to_csv(tmp_csv, index=False)
        gitt_fit_figure(frame, pulses, fits).savefig(tmp_png, format="png", dpi=130)
        Path(tmp_json).write_text(json.dumps(document, indent=2) + "\n")
    for name, entry in summary.items():
        low, high = entry["ci95"]
        print(f"{name}: geometric mean {entry['value']:.4g} (95%: {low:.3g} to {high:.3g})")
    if stoichiometry and args.fit_capacity:
        scale = float(table[CAPACITY_SCALE].iloc[0])
        low, high = (
            float(table[f"{CAPACITY_SCALE} ci95 {end}"].iloc[0]) for end in ("low", "high")
        )
        given = (
            "the capacity of --mass-g"
            if args.mass_g is not None
            else "--capacity-ah"
            if args.capacity_ah is not None
            else "the model electrode's capacity"
        )
        print(
            f"electrode capacity from the replay: {scale:.5f} times {given} (95%: "
            f"+/-{(high - low) / 2 / scale:.1e} relative), {scale * capacity_Ah:.4g} Ah"
            + ("" if args.mass_g is None else f", {scale * args.mass_g:.4g} g of active powder")
        )
        if bool(table[f"{CAPACITY_SCALE} at search edge"].iloc[0]) or not high < float("inf"):
            print(
                "warning: the electrode capacity is undetermined (its search ended at the edge "
                f"of its range, {CAPACITY_SCALE_BOUNDS[0]:g}-{CAPACITY_SCALE_BOUNDS[1]:g} "
                "times the one given at most, or its interval is unbounded): check --mass-g or "
                "--capacity-ah, and that --model is the cell's material",
                file=sys.stderr,
            )
    for name, count in undetermined_pulses(table, setup.fit_names).items():
        fitted = int(table[name].notna().sum())
        print(
            f"warning: {name} is undetermined at {count} of its {fitted} pulses (on its search "
            "bound or with an unbounded 95% interval): check the electrode's size (--mass-g, "
            "--capacity-ah) and that the pulses are diffusion-limited",
            file=sys.stderr,
        )
    print(f"wrote {out}, {pulses_csv} and {png}")
    return 0


def _windows(specs: list[str]) -> dict[str, tuple[float, float]]:
    """``["charge_transfer=0.01:10", ...]`` -> {process: (low, high)} [s]."""
    import math

    from lrmo_cell.errors import InputError

    windows = {}
    for spec in specs:
        name, _, bounds = spec.partition("=")
        low, _, high = bounds.partition(":")
        try:
            low_s, high_s = float(low), float(high)
        except ValueError:
            low_s = high_s = float("nan")
        if not name or not 0 < low_s < high_s or not math.isfinite(high_s):
            raise InputError(
                f"--window must read PROCESS=LOW:HIGH with 0 < LOW < HIGH seconds, got {spec!r}"
            )
        if name in windows:
            raise InputError(f"--window names {name} twice; give each process one window")
        # a peak is assigned to the first window holding it: in an overlap, to one of two
        for other, (low, high) in windows.items():
            if low_s < high and low < high_s:
                raise InputError(
                    f"--window {spec} overlaps {other}={low:g}:{high:g}; windows must not overlap"
                )
        windows[name] = (low_s, high_s)
    return windows


def _patch(out: Path, base: str | None, description: str, values, ci95, command) -> dict:
    """A parameter-set patch: fitted values with their 95% intervals and the command as source,
    on top of the LRMO set ``base`` (``None`` for a PyBaMM set, which a patch cannot extend)."""
    from lrmo_cell.parameters import resolve_parameter_file

    document = {
        "name": out.stem,
        "description": description,
        "parameters": {
            name: {"value": value, "source": f"fit: {command}", "ci95": list(ci95[name])}
            for name, value in values.items()
        },
    }
    if base is not None:
        document["base"] = resolve_parameter_file(base).stem
    return document


def _cycling(args: argparse.Namespace) -> int:
    import json

    from lrmo_cell.errors import InputError
    from lrmo_cell.files import atomic_paths
    from lrmo_cell.fitting.cycling import check_cycling, fit_cycling, lrmo_simulator
    from lrmo_cell.fitting.plots import cycling_fit_figure
    from lrmo_cell.fitting.readers import read_cycling_csv
    from lrmo_cell.parameters import load_parameter_set

    out, cycles_csv, png = _outputs(
        args.out, ".json", ("_cycles.csv", "_fit.png"), [args.file, args.model]
    )
    measured = check_cycling(
        read_cycling_csv(args.file, args.mass_g, args.charge_positive), source=args.file
    )
    try:
        values = load_parameter_set(args.model, complete=True)
    except InputError as err:
        raise InputError(f"--model: {err}") from None
    for name in args.fit:
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise InputError(
                f"--fit {name!r} must name a positive numeric parameter of {args.model}"
            )
    guess = {name: float(values[name]) for name in args.fit}
    bounds = {name: (v / 100, v * 100) for name, v in guess.items()}
    simulate = lrmo_simulator(args.model, args.c_rate, measured)
    best, ci95, simulated = fit_cycling(simulate, measured, guess, bounds, args.surrogate)
    fit_options = [item for name in args.fit for item in ("--fit", name)]
    fit_options += [] if args.surrogate else ["--no-surrogate"]
    fit_options += [] if args.mass_g is None else ["--mass-g", f"{args.mass_g:g}"]
    fit_options += ["--charge-positive"] if args.charge_positive else []
    command = "lrmo-cell fit cycling " + shlex.join(
        [
            args.file,
            "--model",
            args.model,
            "--c-rate",
            f"{args.c_rate:g}",
            *fit_options,
            "--out",
            args.out,
        ]
    )
    table = measured.merge(simulated, on="cycle", suffixes=("", "_model"), how="left")
    document = _patch(
        out,
        args.model,
        f"Cycling fit of {args.file} ({len(measured)} cycles) on {args.model}.",
        best,
        ci95,
        command,
    )
    with atomic_paths([out, cycles_csv, png]) as (tmp_json, tmp_csv, tmp_png):
        table.to_csv(tmp_csv, index=False)
        cycling_fit_figure(table).savefig(tmp_png, format="png", dpi=130)
        Path(tmp_json).write_text(json.dumps(document, indent=2) + "\n")
    for name, value in best.items():
        low, high = ci95[name]
        print(f"{name}: {value:.4g} (95%: {low:.3g} to {high:.3g})")
    print(f"wrote {out}, {cycles_csv} and {png}")
    return 0


def _drt(args: argparse.Namespace) -> int:
    import numpy as np

    from lrmo_cell.files import atomic_paths
    from lrmo_cell.fitting.drt import compute_drt, exchange_current_density, find_peaks
    from lrmo_cell.fitting.plots import drt_figure
    from lrmo_cell.fitting.readers import read_file

    out, png = _outputs(args.out, ".csv", (".png",), [args.file])
    windows = _windows(args.window) if args.window else None
    frame = read_file(args.file, kind="impedance")
    drt = compute_drt(frame, args.drop_inductive_tail, source=args.file)
    peaks = find_peaks(drt, windows)
    if args.area_m2 is not None:
        i0 = exchange_current_density(peaks["resistance_ohm"], args.area_m2, args.temperature_k)
        peaks["i0_A_per_m2"] = np.where(peaks["process"] == "charge_transfer", i0, np.nan)
    with atomic_paths([out, png]) as (tmp_csv, tmp_png):
        peaks.to_csv(tmp_csv, index=False)
        drt_figure(drt, peaks).savefig(tmp_png, format="png", dpi=130)
    if drt.inductive_points_dropped:
        print(
            f"left out the {drt.inductive_points_dropped} highest frequencies (Z'' > 0: cell and "
            "lead inductance, which a DRT cannot represent)"
        )
    print(f"R_inf = {drt.r_inf_ohm:.4g} Ohm, lambda = {drt.lambda_value:.3g} (modified GCV)")
    print(peaks.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"wrote {out} and {png}")
    return 0
