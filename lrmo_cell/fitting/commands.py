"""``lrmo-cell fit gitt`` and ``lrmo-cell fit drt``: measured data in, parameters and a report out.

Heavy modules (pybamm, scipy, pyimpspec, matplotlib) are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path


def register(subparsers) -> None:
    fit = subparsers.add_parser(
        "fit", help="fit parameters to measured data (GITT, EIS/DRT)", description=__doc__
    )
    kinds = fit.add_subparsers(dest="kind", required=True, parser_class=type(fit))

    gitt = kinds.add_parser(
        "gitt",
        help="fit solid diffusivity and exchange-current density to GITT pulses",
        description="Detect the pulses of a GITT file, fit the diffusivity and exchange-current "
        "density of each pulse with a PyBaMM half-cell model, and write a parameter-set patch "
        "(value and 95%% interval per parameter), the per-pulse table (CSV, with the "
        "Weppner-Huggins diffusivity) and the fit over the data (PNG).",
    )
    gitt.add_argument("file", help="CSV (standard columns) or BioLogic .mpr/.mpt")
    gitt.add_argument(
        "--model",
        default="Ru-1",
        help="LRMO sample/set/file the patch is based on, or a PyBaMM half-cell set (Xu2019)",
    )
    gitt.add_argument("--pulses", type=int, help="fit only the first N pulses")
    gitt.add_argument("--out", required=True, help="parameter-set patch to write (.json)")
    gitt.set_defaults(func=_gitt)

    drt = kinds.add_parser(
        "drt",
        help="distribution of relaxation times of an impedance spectrum, with its peaks",
        description="TR-RBF DRT (pyimpspec, lambda by modified GCV), peaks assigned by time "
        "constant (1e-2-10 s charge transfer, 10-100 s diffusion), exchange-current density "
        "from the charge-transfer resistance if --area-m2 is given; writes peaks CSV and PNG.",
    )
    drt.add_argument("file", help="CSV with frequency_Hz, z_real_ohm, z_imag_ohm, or .mpr/.mpt")
    drt.add_argument("--area-m2", type=float, help="electrochemically active area [m2]")
    drt.add_argument("--temperature-k", type=float, default=298.15, help="default 298.15 K")
    drt.add_argument(
        "--drop-inductive-tail",
        action="store_true",
        help="remove lowest-frequency points with positive imaginary part instead of refusing",
    )
    drt.add_argument("--out", required=True, help="peaks table to write (.csv); PNG beside it")
    drt.set_defaults(func=_drt)


def _output(path: str, suffix: str):
    from lrmo_cell.errors import InputError

    out = Path(path)
    if out.suffix.lower() != suffix:
        raise InputError(f"--out must end in {suffix}, got {path!r}")
    if not out.parent.is_dir():
        raise InputError(f"--out folder {str(out.parent)!r} does not exist")
    return out


def _gitt(args: argparse.Namespace) -> int:
    import json

    import pybamm

    from lrmo_cell.errors import InputError
    from lrmo_cell.fitting.gitt import detect_pulses, fit_gitt, half_cell_setup, summarise_fit
    from lrmo_cell.fitting.plots import plot_gitt_fit
    from lrmo_cell.fitting.readers import read_file
    from lrmo_cell.studies.storage import atomic_path

    out = _output(args.out, ".json")
    if args.pulses is not None and args.pulses < 1:
        raise InputError(f"--pulses must be at least 1, got {args.pulses}")
    frame = read_file(args.file)
    pulses = detect_pulses(frame, source=args.file)
    if pulses.empty:
        raise InputError(f"{args.file}: no current pulse between two rests of at least 60 s")
    pulses = pulses.iloc[: args.pulses]
    setup = half_cell_setup(args.model)
    table, fits = fit_gitt(setup, frame, pulses)
    pulses_option = [] if args.pulses is None else ["--pulses", str(args.pulses)]
    command = "lrmo-cell fit gitt " + shlex.join(
        [args.file, "--model", args.model, *pulses_option, "--out", args.out]
    )
    summary = summarise_fit(table, setup.fit_names)
    is_pybamm_set = args.model in pybamm.parameter_sets and not args.model.startswith("LRMO_")
    document = {
        "name": out.stem,
        "description": f"GITT fit of {args.file} ({len(table)} pulses) on {args.model}; "
        "geometric mean over pulses, ci95 spans the pulses and their own intervals.",
        "parameters": {
            name: {"value": entry["value"], "source": f"fit: {command}", "ci95": entry["ci95"]}
            for name, entry in summary.items()
        },
    }
    if not is_pybamm_set:
        from lrmo_cell.parameters import resolve_parameter_file

        document["base"] = resolve_parameter_file(args.model).stem
    pulses_csv = out.with_name(f"{out.stem}_pulses.csv")
    with atomic_path(pulses_csv) as tmp:
        table.to_csv(tmp, index=False)
    plot_gitt_fit(frame, pulses, fits, out.with_name(f"{out.stem}_fit.png"))
    with atomic_path(out) as tmp:
        Path(tmp).write_text(json.dumps(document, indent=2) + "\n")
    for name, entry in summary.items():
        low, high = entry["ci95"]
        print(f"{name}: {entry['value']:.4g} (95%: {low:.3g} to {high:.3g})")
    print(f"wrote {out}, {pulses_csv} and {out.with_name(out.stem + '_fit.png')}")
    return 0


def _drt(args: argparse.Namespace) -> int:
    import numpy as np

    from lrmo_cell.errors import InputError
    from lrmo_cell.fitting.drt import compute_drt, exchange_current_density, find_peaks
    from lrmo_cell.fitting.plots import plot_drt
    from lrmo_cell.fitting.readers import read_file
    from lrmo_cell.studies.storage import atomic_path

    out = _output(args.out, ".csv")
    if args.area_m2 is not None and not args.area_m2 > 0:
        raise InputError(f"--area-m2 must be > 0 m2, got {args.area_m2:g}")
    frame = read_file(args.file)
    drt = compute_drt(frame, args.drop_inductive_tail, source=args.file)
    peaks = find_peaks(drt)
    if args.area_m2 is not None:
        i0 = exchange_current_density(peaks["resistance_ohm"], args.area_m2, args.temperature_k)
        peaks["i0_A_per_m2"] = np.where(peaks["process"] == "charge_transfer", i0, np.nan)
    with atomic_path(out) as tmp:
        peaks.to_csv(tmp, index=False)
    png = out.with_suffix(".png")
    plot_drt(drt, peaks, png)
    print(f"R_inf = {drt.r_inf_ohm:.4g} Ohm, lambda = {drt.lambda_value:.3g} (modified GCV)")
    print(peaks.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"wrote {out} and {png}")
    return 0
