"""``lrmo-cell experiment {formation,rate,cv,gitt,eis,cycling} SAMPLE ... --out FILE``: the
virtual lab from the command line, and its predictions section in ``lrmo-cell validate``.

The table goes to ``--out`` (.csv, .parquet or .json by extension, written atomically), the
figure to ``--plot`` (.png); ``--data FILE`` reads a measured file through
``lrmo_cell.fitting.readers``, draws it over the model and prints an RMSE. PyBaMM, pandas and
matplotlib are imported inside the handlers so other commands start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TABLE_SUFFIXES = (".csv", ".parquet", ".json")


def _floats(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated numbers, got {text!r}"
        ) from None
    return values


def register(subparsers) -> None:
    """Add ``experiment`` to the ``lrmo-cell`` parser and the predictions to ``validate``."""
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
            "--mass-g", type=float, help="active mass [g] of the measured electrode (--data)"
        )
        parser.add_argument("--v-min", type=float, default=2.0, help="lower voltage [V] (2.0)")
        parser.add_argument(
            "--v-max", type=float, help="upper voltage [V] (default: the set's cut-off)"
        )
        parser.set_defaults(func=_run)
        parsers[kind] = parser
    parsers["formation"].add_argument("--c-rate", type=float, default=0.1, help="default 0.1")
    rate = parsers["rate"]
    rate.add_argument(
        "--c-rates", type=_floats, default=(0.1, 0.2, 0.5, 1, 2, 5), help="e.g. 0.1,0.5,1,2"
    )
    rate.add_argument("--formation-c-rate", type=float, default=0.1, help="default 0.1")
    rate.add_argument("--charge-c-rate", type=float, help="default: the discharge rate")
    cv = parsers["cv"]
    cv.add_argument("--scan-rate", type=float, default=0.1, help="mV/s (default 0.1)")
    cv.add_argument("--cycles", type=int, default=1, help="default 1")
    gitt = parsers["gitt"]
    gitt.add_argument("--pulse-c-rate", type=float, default=0.05, help="default 0.05")
    gitt.add_argument("--pulse-s", type=float, default=600.0, help="pulse [s] (600)")
    gitt.add_argument("--rest-s", type=float, default=3600.0, help="rest [s] (3600)")
    gitt.add_argument("--direction", default="charge", help="charge (default) or discharge")
    gitt.add_argument("--pulses", type=int, help="number of pulses (default: to the limit)")
    eis = parsers["eis"]
    eis.add_argument(
        "--voltages",
        type=_floats,
        default=(3.7, 3.9, 4.1, 4.3, 4.5, 4.7),
        help="states [V], comma-separated (default 3.7,3.9,4.1,4.3,4.5,4.7)",
    )
    eis.add_argument("--direction", default="charge", help="charge (default) or discharge")
    eis.add_argument("--c-rate", type=float, default=0.1, help="rate to the states (0.1)")
    eis.add_argument("--rest-s", type=float, default=600.0, help="rest at each state [s] (600)")
    eis.add_argument(
        "--drt", action="store_true", help="also write the DRT peaks (<out>_drt.<ext>)"
    )
    cycling = parsers["cycling"]
    cycling.add_argument("--c-rate", type=float, default=1.0, help="cycling C-rate (1)")
    cycling.add_argument("--cycles", type=int, default=10, help="cycles after formation (10)")
    cycling.add_argument("--formation-c-rate", type=float, default=0.1, help="default 0.1")
    cycling.add_argument("--formation-cycles", type=int, default=1, help="default 1")
    _extend_validate(subparsers)


def _extend_validate(subparsers) -> None:
    """``lrmo-cell validate`` (registered by ``lrmo_cell.models.commands``) also writes the
    virtual lab's predictions section. The wiring sits here, in the command layer: the model
    package lies below the experiments and may not import them."""
    validate = subparsers.choices.get("validate")
    if validate is None:
        return
    calibration = validate.get_default("func")

    def calibration_and_predictions(args) -> int:
        from lrmo_cell.experiments.report import write_predictions

        status = calibration(args)
        write_predictions(args.out)
        return status

    validate.set_defaults(func=calibration_and_predictions)


def _path(option: str, value: str | None, suffixes: tuple[str, ...]) -> Path | None:
    from lrmo_cell.errors import InputError

    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() not in suffixes:
        raise InputError(f"{option} must end in {', '.join(suffixes)}, got {value!r}")
    if not path.parent.is_dir():
        raise InputError(f"{option} folder {str(path.parent)!r} does not exist")
    return path


def write_table(frame, path: Path) -> None:
    """A table as .csv, .parquet or .json (records), never half-written."""
    from lrmo_cell.files import atomic_path

    with atomic_path(path) as tmp:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_json(tmp, orient="records", indent=1)


def _beside(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.stem}_{tag}{path.suffix}")


def _run(args) -> int:
    from lrmo_cell.experiments import _model as lab
    from lrmo_cell.experiments import measured

    out = _path("--out", args.out, TABLE_SUFFIXES)
    plot = _path("--plot", args.plot, (".png",))
    data = measured.read(args.data) if args.data else None
    if data is not None:
        measured.check(_COMPARE[args.kind], data, args.mass_g, args.data)
    values = lab.parameter_values(args.sample)
    full_cell = lab.is_full_cell(values)
    progress = {"show_progress": sys.stderr.isatty()}
    v_max = lab.upper_cut_off_V(values) if args.v_max is None else args.v_max
    window = {"v_min": args.v_min, "v_max": v_max}
    run = _RUNNERS[args.kind]
    frame, extra, figure = run(args, window, progress, data, full_cell)
    comparison = None
    if data is not None:
        compare = getattr(measured, f"compare_{_COMPARE[args.kind]}")
        comparison = compare(frame, data, args.mass_g, args.data)
    write_table(frame, out)
    written = [str(out)]
    if extra.get("drt") is not None:
        write_table(extra["drt"], _beside(out, "drt"))
        written.append(str(_beside(out, "drt")))
    if plot is not None:
        from lrmo_cell.files import save_png

        save_png(figure(None if comparison is None else comparison.measured), plot)
        written.append(str(plot))
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
