"""``lrmo-cell sweep``: grids over design fields (in-process or on Dask) and tornado charts."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="evaluate a grid of pouch-cell designs, and/or a tornado sensitivity chart",
        description="Vary numeric design fields over a full grid (vectorised, optionally on a "
        "Dask cluster), write the rows to CSV/Parquet and plot them; --tornado ranks every "
        "input by the change of the metric when it moves by +/-10%.",
    )
    parser.add_argument("file", help="design TOML file, or the name of one in designs/")
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="FIELD=START:STOP:N",
        help="a grid axis, N points from START to STOP inclusive (repeatable)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an input before sweeping (repeatable)",
    )
    parser.add_argument("--out", metavar="FILE", help="results .csv or .parquet")
    parser.add_argument("--plot", metavar="PNG", help="line plot (1 axis) or heatmap (2 axes)")
    parser.add_argument(
        "--metric",
        default="specific_energy_Wh_per_kg",
        help="output to plot, summarise and rank (default %(default)s)",
    )
    parser.add_argument(
        "--dask",
        metavar="local|tcp://HOST:PORT",
        help="run chunks on a Dask LocalCluster or an existing scheduler",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=200_000,
        help="designs per chunk/part file (default %(default)s)",
    )
    parser.add_argument(
        "--tornado",
        metavar="PNG",
        help="sensitivity of --metric to each input at +/-10%%; prints a table",
    )
    parser.add_argument(
        "--step", type=float, default=0.1, help="relative step of --tornado (default %(default)s)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time

    from lrmo_cell.design.core import SCALAR_OUTPUTS
    from lrmo_cell.design.schema import load_design, parse_set
    from lrmo_cell.errors import InputError
    from lrmo_cell.studies.storage import check_table_path

    design = load_design(args.file, parse_set(args.set))
    if args.metric not in SCALAR_OUTPUTS:
        raise InputError(
            f"--metric must be one of {', '.join(SCALAR_OUTPUTS)}, got {args.metric!r}"
        )
    if not args.vary and not args.tornado:
        raise InputError("sweep needs --vary FIELD=START:STOP:N and/or --tornado PNG")
    if args.tornado:
        if not 0 < args.step < 1:
            raise InputError(f"--step must be in (0, 1), got {args.step:g}")
        from lrmo_cell.plotting import quantity_label
        from lrmo_cell.studies.sensitivity import markdown, plot_tornado, tornado

        rows = tornado(design, args.metric, args.step)
        plot_tornado(
            rows,
            args.metric,
            args.tornado,
            title=f"{design.name}: {quantity_label(args.metric)} = {rows[0]['base_metric']:.4g}",
        )
        print(markdown(rows, args.metric))
    if not args.vary:
        return 0

    from lrmo_cell.studies.sweep import make_client, parse_vary, plot_sweep, run_sweep

    axes = [parse_vary(text, design) for text in args.vary]
    if args.plot and len(axes) > 2:
        raise InputError(f"--plot needs one or two --vary axes, got {len(axes)}")
    if args.out:
        check_table_path(args.out)
    client = make_client(args.dask) if args.dask else None
    start = time.perf_counter()
    try:
        frame = run_sweep(design, axes, args.out, args.chunk_size, client)
    finally:
        if client is not None:
            client.close()
    seconds = time.perf_counter() - start
    if args.plot:
        plot_sweep(frame, axes, args.metric, args.plot)
    y = frame[args.metric].to_numpy()
    best = frame.iloc[int(y.argmax())]
    where = ", ".join(f"{a.field} = {best[a.field]:.4g}" for a in axes)
    print(
        f"{len(frame)} designs in {seconds:.2f} s; {args.metric} from {y.min():.4g} to "
        f"{y.max():.4g}; maximum at {where}" + (f"; written to {args.out}" if args.out else "")
    )
    return 0
