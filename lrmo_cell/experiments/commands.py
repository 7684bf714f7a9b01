"""``lrmo-cell experiment {formation,rate,cv,gitt,eis,cycling} SAMPLE ... --out FILE``: the
virtual lab from the command line, and its predictions section in ``lrmo-cell validate``.

The table goes to ``--out`` (.csv, .parquet or .json by extension, written atomically), the
figure to ``--plot`` (.png); ``--data FILE`` reads a measured file through
``lrmo_cell.fitting.readers``, draws it over the model and prints an RMSE. PyBaMM, pandas and
matplotlib are imported inside the handlers so other commands start fast.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from lrmo_cell.arguments import number
from lrmo_cell.models.commands import add_extrapolation_arguments, extrapolation_options

TABLE_SUFFIXES = (".csv", ".parquet", ".json")
# the ranges the experiments accept (lrmo_cell.experiments._inputs), checked where argparse
# reads them, before any import or model run
_C_RATE = {"gt": 0, "le": 20, "unit": "C"}
_VOLTAGE = {"ge": 1.5, "le": 5.0, "unit": "V"}
_SECONDS = {"gt": 0, "le": 86400, "unit": "s"}


def _floats(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = (math.nan,)
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text[:40]!r}")
    return values


def register(subparsers) -> None:
    """Add ``experiment`` and ``validate`` to the ``lrmo-cell`` parser."""
    experiment = subparsers.add_parser(
        "experiment",
        help="run one of the study's experiments on the LRMO model (the virtual lab)",
        description="Run a lab experiment on the LRMO model and write its table (per gram of "
        "active powder, 1C = 250 mA/g); --data overlays a measured file and prints an RMSE.",
    )
    kinds = experiment.add_subparsers(dest="kind", required=True, parser_class=type(experiment))
    specs = {
        "formation": "first charge with the lattice oxygen oxidised, released and escaped",
        "rate": "rate test: capacity and mean voltage per C-rate after a formation cycle",
        "cv": "cyclic voltammetry and its peaks",
        "gitt": "GITT (the standard measured-data frame) and its Weppner-Huggins table",
        "eis": "impedance spectra at states of charge or discharge (pybamm.EISSimulation)",
        "cycling": "formation, then N cycles: one row per cycle (as lrmo-cell simulate)",
    }
    parsers = {}
    for kind, text in specs.items():
        parser = kinds.add_parser(kind, help=text, description=text[0].upper() + text[1:] + ".")
        parser.add_argument(
            "sample", help="pristine, Ru-0.5, Ru-1, Ru-3, a set name or a parameter set .json"
        )
        parser.add_argument("--out", required=True, help="table to write: .csv, .parquet, .json")
        parser.add_argument("--plot", help="figure to write (.png)")
        parser.add_argument(
            "--data", help="measured file to overlay (CSV in the standard columns, .mpr, .mpt)"
        )
        parser.add_argument(
            "--mass-g",
            type=number("--mass-g", name="mass_g", gt=0, unit="g"),
            help="active mass [g] of the measured electrode (--data)",
        )
        parser.add_argument(
            "--v-min",
            type=number("--v-min", name="v_min", **_VOLTAGE),
            default=2.0,
            help="lower voltage [V] (2.0)",
        )
        parser.add_argument(
            "--v-max",
            type=number("--v-max", name="v_max", **_VOLTAGE),
            help="upper voltage [V] (default: the set's cut-off)",
        )
        parser.set_defaults(func=_run)
        parsers[kind] = parser
    parsers["formation"].add_argument(
        "--c-rate", type=number("--c-rate", name="c_rate", **_C_RATE), default=0.1, help="0.1"
    )
    rate = parsers["rate"]
    rate.add_argument(
        "--c-rates", type=_floats, default=(0.1, 0.2, 0.5, 1, 2, 5), help="e.g. 0.1,0.5,1,2"
    )
    rate.add_argument(
        "--formation-c-rate",
        type=number("--formation-c-rate", name="formation_c_rate", **_C_RATE),
        default=0.1,
        help="default 0.1",
    )
    rate.add_argument(
        "--charge-c-rate",
        type=number("--charge-c-rate", name="charge_c_rate", **_C_RATE),
        help="default: the discharge rate",
    )
    cv = parsers["cv"]
    cv.add_argument(
        "--scan-rate",
        type=number("--scan-rate", name="scan_rate_mV_per_s", gt=0, le=100, unit="mV/s"),
        default=0.1,
        help="mV/s (default 0.1)",
    )
    cv.add_argument(
        "--cycles",
        type=number("--cycles", name="cycles", ge=1, le=100, integer=True),
        default=1,
        help="default 1",
    )
    gitt = parsers["gitt"]
    gitt.add_argument(
        "--pulse-c-rate",
        type=number("--pulse-c-rate", name="pulse_c_rate", **_C_RATE),
        default=0.05,
        help="default 0.05",
    )
    gitt.add_argument(
        "--pulse-s",
        type=number("--pulse-s", name="pulse_s", **_SECONDS),
        default=600.0,
        help="pulse [s] (600)",
    )
    gitt.add_argument(
        "--rest-s",
        type=number("--rest-s", name="rest_s", **_SECONDS),
        default=3600.0,
        help="rest [s] (3600)",
    )
    gitt.add_argument("--direction", choices=("charge", "discharge"), default="charge")
    gitt.add_argument(
        "--pulses",
        type=number("--pulses", name="pulses", ge=1, le=2000, integer=True),
        help="number of pulses (default: to the voltage limit)",
    )
    eis = parsers["eis"]
    eis.add_argument(
        "--voltages",
        type=_floats,
        default=(3.7, 3.9, 4.1, 4.3, 4.5, 4.7),
        help="states [V], comma-separated (default 3.7,3.9,4.1,4.3,4.5,4.7)",
    )
    eis.add_argument("--direction", choices=("charge", "discharge"), default="charge")
    eis.add_argument(
        "--c-rate",
        type=number("--c-rate", name="c_rate", **_C_RATE),
        default=0.1,
        help="rate to the states (0.1)",
    )
    eis.add_argument(
        "--rest-s",
        type=number("--rest-s", name="rest_s", **_SECONDS),
        default=600.0,
        help="rest at each state [s] (600)",
    )
    eis.add_argument(
        "--in-situ",
        action="store_true",
        help="the spectrum under the step's current, without the rest (the study's in-situ "
        "galvanostatic EIS)",
    )
    eis.add_argument(
        "--drt", action="store_true", help="also write the DRT peaks (<out>_drt.<ext>)"
    )
    cycling = parsers["cycling"]
    cycling.add_argument(
        "--c-rate",
        type=number("--c-rate", name="c_rate", **_C_RATE),
        default=1.0,
        help="cycling C-rate (1)",
    )
    cycling.add_argument(
        "--cycles",
        type=number("--cycles", name="cycles", ge=0, le=5000, integer=True),
        default=10,
        help="cycles after formation (10)",
    )
    cycling.add_argument(
        "--formation-c-rate",
        type=number("--formation-c-rate", name="formation_c_rate", **_C_RATE),
        default=0.1,
        help="default 0.1",
    )
    cycling.add_argument(
        "--formation-cycles",
        type=number("--formation-cycles", name="formation_cycles", ge=0, le=100, integer=True),
        default=1,
        help="default 1",
    )
    add_extrapolation_arguments(cycling)
    _add_validate(subparsers)


def _add_validate(subparsers) -> None:
    """``lrmo-cell validate``: the calibration table and the virtual lab's predictions section.

    It lives here, in the command layer, because it runs both the model package's calibration
    report and the lab, which sits above the models."""
    validate = subparsers.add_parser(
        "validate",
        help="run the model against the study's calibration table and write a report",
        description="Run the LRMO model for every row of validation/sun2025_calibration.csv, "
        "then the virtual lab's predictions, write a Markdown report with figures into the "
        "folder (complete or not at all), exit 1 if any row misses its tolerance.",
    )
    validate.add_argument("--out", default="validation_report", help="report folder")
    validate.set_defaults(func=_validate)


def _validate(args) -> int:
    from lrmo_cell.experiments.report import write_report
    from lrmo_cell.files import output_dir, staged_dir

    output_dir(args.out, "--out")
    # the report and its figures replace those in --out only once all of them are written
    with staged_dir(args.out) as staging:
        passed = write_report(staging)
    verdict = "every calibration row" if passed else "not every calibration row (see its table)"
    print(f"wrote {Path(args.out) / 'report.md'}: {verdict} within tolerance")
    return 0 if passed else 1


def write_table(frame, tmp: str, suffix: str) -> None:
    """A table into the file ``tmp`` as .csv, .parquet or .json (records) by ``suffix``."""
    suffix = suffix.lower()
    if suffix == ".csv":
        frame.to_csv(tmp, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_json(tmp, orient="records", indent=1)


def _beside(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.stem}_{tag}{path.suffix}")


def _run(args) -> int:
    from lrmo_cell.errors import InputError
    from lrmo_cell.experiments import _model as lab
    from lrmo_cell.experiments import measured
    from lrmo_cell.files import atomic_paths, distinct_outputs, output_file
    from lrmo_cell.models.cycling import is_full_cell

    if args.mass_g is not None and args.data is None:
        raise InputError("--mass-g is the active mass of the --data electrode; give --data FILE")
    out = output_file(args.out, "--out", TABLE_SUFFIXES)
    plot = None if args.plot is None else output_file(args.plot, "--plot", (".png",))
    drt = _beside(out, "drt") if getattr(args, "drt", False) else None
    distinct_outputs(
        {"--out": out, "--plot": plot, "--drt table": drt},
        [] if args.data is None else [args.data],
    )
    data = None if args.data is None else measured.read(args.data)
    if data is not None:
        measured.check(_COMPARE[args.kind], data, args.mass_g, args.data)
    values = lab.parameter_values(args.sample)
    full_cell = is_full_cell(values)
    progress = {"show_progress": sys.stderr.isatty()}
    v_max = lab.upper_cut_off_V(values) if args.v_max is None else args.v_max
    window = {"v_min": args.v_min, "v_max": v_max}
    run = _RUNNERS[args.kind]
    frame, extra, figure = run(args, window, progress, data, full_cell)
    comparison = None
    if data is not None:
        compare = getattr(measured, f"compare_{_COMPARE[args.kind]}")
        comparison = compare(frame, data, args.mass_g, args.data)
    outputs = [path for path in (out, drt, plot) if path is not None]
    # the table, its DRT table and its figure appear together or not at all
    with atomic_paths(outputs) as temporaries:
        tmp = dict(zip(outputs, temporaries, strict=True))
        write_table(frame, tmp[out], out.suffix)
        if drt is not None:
            write_table(extra["drt"], tmp[drt], drt.suffix)
        if plot is not None:
            fig = figure(None if comparison is None else comparison.measured)
            fig.savefig(tmp[plot], format="png", dpi=130)
    written = [str(path) for path in outputs]
    for table in extra.values():
        if table is not None:
            print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if comparison is not None:
        print(comparison.describe())
    print(f"wrote {', '.join(written)}")
    return 0


def _formation(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import plots

    frame = ex.formation(args.sample, args.c_rate, **window, **progress)
    summary = frame.iloc[[-1]][[c for c in frame.columns if c != "time_s"]]
    return (
        frame,
        {"end of charge": summary},
        lambda m: plots.formation({args.sample: frame}, m, full_cell),
    )


def _rate(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import plots

    frame = ex.rate_test(
        args.sample, args.c_rates, args.formation_c_rate, args.charge_c_rate, **window, **progress
    )
    return frame, {"rates": frame}, lambda m: plots.rate({args.sample: frame}, m)


def _cv(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import plots

    frame = ex.cyclic_voltammetry(
        args.sample, args.scan_rate, cycles=args.cycles, **window, **progress
    )
    peaks = ex.cv_peaks(frame)
    return (
        frame,
        {"peaks": peaks},
        lambda m: plots.voltammogram({args.sample: frame}, {args.sample: peaks}, m, full_cell),
    )


def _gitt(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import _model as lab
    from lrmo_cell.experiments import plots

    frame = ex.gitt(
        args.sample,
        args.pulse_c_rate,
        args.pulse_s,
        args.rest_s,
        args.direction,
        args.pulses,
        **window,
        **progress,
    )
    # Weppner-Huggins reads one electrode's voltage: a full cell's mixes both
    radius = lab.particle_radius_m(lab.parameter_values(args.sample))
    table = None if full_cell else ex.gitt_table(frame, radius)
    tables = None if table is None else {args.sample: table}
    return (
        frame,
        {"pulses": table},
        lambda m: plots.titration({args.sample: frame}, tables, m, full_cell),
    )


def _eis(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import plots

    # a measured spectrum is compared at its own frequencies
    frequencies = None if data is None else data.get("frequency_Hz")
    frame = ex.impedance(
        args.sample,
        args.voltages,
        args.direction,
        None if frequencies is None else frequencies.to_numpy(),
        args.c_rate,
        args.rest_s,
        in_situ=args.in_situ,
        **window,
        **progress,
    )
    peaks = ex.impedance_drt(frame) if args.drt else None
    drt = None if peaks is None else {args.sample: peaks}
    return frame, {"drt": peaks}, lambda m: plots.spectra({args.sample: frame}, drt, m)


def _cycling(args, window, progress, data, full_cell):
    from lrmo_cell import experiments as ex
    from lrmo_cell.experiments import plots

    frame = ex.cycling(
        args.sample,
        args.c_rate,
        args.cycles,
        formation_c_rate=args.formation_c_rate,
        formation_cycles=args.formation_cycles,
        **extrapolation_options(args),
        **window,
        **progress,
    )
    return frame, {"cycles": frame}, lambda m: plots.cycling({args.sample: frame}, m)


_RUNNERS = {
    "formation": _formation,
    "rate": _rate,
    "cv": _cv,
    "gitt": _gitt,
    "eis": _eis,
    "cycling": _cycling,
}
_COMPARE = {
    "formation": "formation",
    "rate": "rate",
    "cv": "cv",
    "gitt": "gitt",
    "eis": "impedance",
    "cycling": "cycling",
}
