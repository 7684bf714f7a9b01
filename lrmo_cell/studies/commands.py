"""``lrmo-cell sweep``: grids over design fields (in-process or on Dask) and tornado charts."""

from __future__ import annotations

import argparse
import sys

from lrmo_cell.arguments import number


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
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing --out that is not this sweep's result",
    )
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
        type=number("--chunk-size", ge=1, le=10_000_000, integer=True),
        default=200_000,
        help="designs per chunk/part file (default %(default)s)",
    )
    parser.add_argument(
        "--tornado",
        metavar="PNG",
        help="sensitivity of --metric to each input at +/-10%%; prints a table",
    )
    parser.add_argument(
        "--step",
        type=number("--step", gt=0, lt=1),
        help="relative step of --tornado (default 0.1)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time

    from lrmo_cell.design.core import SCALAR_OUTPUTS
    from lrmo_cell.design.schema import load_design, parse_set
    from lrmo_cell.errors import InputError
    from lrmo_cell.files import distinct_outputs, output_file
    from lrmo_cell.studies.storage import check_table_path

    # every output place is checked before any work, so a bad one costs nothing
    if args.out is not None:
        check_table_path(args.out)
    for option in ("plot", "tornado"):
        if getattr(args, option) is not None:
            output_file(getattr(args, option), f"--{option}", (".png",))
    distinct_outputs({"--out": args.out, "--plot": args.plot, "--tornado": args.tornado})
    if args.metric not in SCALAR_OUTPUTS:
        raise InputError(
            f"--metric must be one of {', '.join(SCALAR_OUTPUTS)}, got {args.metric!r}"
        )
    if not args.vary and not args.tornado:
        raise InputError("sweep needs --vary FIELD=START:STOP:N and/or --tornado PNG")
    if args.step is not None and not args.tornado:
        raise InputError("--step is the relative step of --tornado; give --tornado PNG too")
    if args.plot and not args.vary:
        raise InputError("--plot draws a --vary sweep; give --vary FIELD=START:STOP:N")
    design = load_design(args.file, parse_set(args.set))

    from lrmo_cell.studies.sweep import (
        MAX_PLOT_POINTS,
        SWEEP_OUTPUTS,
        check_out,
        check_scheduler,
        check_size,
        make_client,
        parse_vary,
        plot_sweep,
        run_sweep,
        run_sweep_to_file,
        summarise,
    )

    axes = [parse_vary(text, design) for text in args.vary]
    if args.plot and len(axes) > 2:
        raise InputError(f"--plot needs one or two --vary axes, got {len(axes)}")
    if axes:
        total = check_size(axes, len(axes) + len(SWEEP_OUTPUTS), args.out)
        if args.plot and total > MAX_PLOT_POINTS:
            raise InputError(
                f"--plot draws at most {MAX_PLOT_POINTS:.0e} designs, the grid has {total:.4g}"
            )
        if args.out:
            check_out(design, axes, args.out, args.chunk_size, args.overwrite)
    if args.dask:
        check_scheduler(args.dask)
    if args.tornado:
        from lrmo_cell.plotting import quantity_label
        from lrmo_cell.studies.sensitivity import markdown, plot_tornado, tornado

        step = 0.1 if args.step is None else args.step
        rows = tornado(design, args.metric, step)
        plot_tornado(
            rows,
            args.metric,
            args.tornado,
            title=f"{design.name}: {quantity_label(args.metric)} = {rows[0]['base_metric']:.4g}",
            rel=step,
        )
        print(markdown(rows, args.metric, rel=step))
    if not axes:
        return 0

    client = make_client(args.dask) if args.dask else None
    start = time.perf_counter()
    try:
        if args.out:
            try:
                status = run_sweep_to_file(
                    design, axes, args.out, args.chunk_size, client, overwrite=args.overwrite
                )
            except KeyboardInterrupt:
                print(
                    f"lrmo-cell sweep: interrupted; the finished chunks are kept in "
                    f"{args.out}.parts: run the same command again to resume",
                    file=sys.stderr,
                )
                return 130
            from lrmo_cell.studies.storage import iter_table

            # only what the summary reads: memory stays one chunk of three columns
            columns = [*(a.field for a in axes), args.metric]
            chunks = iter_table(args.out, args.chunk_size, columns)
        else:
            status, chunks = "computed", [run_sweep(design, axes, None, args.chunk_size, client)]
        summary = summarise(chunks, axes, args.metric, keep_values=bool(args.plot))
    finally:
        if client is not None:
            client.close()
    seconds = time.perf_counter() - start
    if args.plot:
        plot_sweep(summary.values, axes, args.metric, args.plot)
    where = ", ".join(f"{field} = {value:.4g}" for field, value in summary.best.items())
    written = {
        "computed": f"; written to {args.out}",
        "resumed": f"; resumed from {args.out}.parts, written to {args.out}",
        "reused": f"; {args.out} already held this sweep, reused",
    }
    print(
        f"{summary.rows} designs in {seconds:.2f} s; {args.metric} from {summary.minimum:.4g} "
        f"to {summary.maximum:.4g}; maximum at {where}" + (written[status] if args.out else "")
    )
    return 0
