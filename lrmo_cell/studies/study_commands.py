"""``lrmo-cell study FILE``: run a study file on Dask; ``lrmo-cell study report RESULTS``."""

from __future__ import annotations

import argparse
import os
import sys
import time

from lrmo_cell.arguments import number


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "study",
        help="run a design-space study file (on Dask), or redraw a study's report",
        description="Run every point of a study file (TOML: base design and/or parameter set, "
        "inputs and their sampling, protocol, outputs) on a Dask LocalCluster (one worker per "
        "core) or an existing scheduler, streaming finished chunks to Parquet parts; the final "
        "table is written atomically. `lrmo-cell study report RESULTS` redraws the Pareto "
        "fronts, heatmaps and Sobol indices from a result table alone.",
    )
    parser.add_argument("file", help="study TOML file (or a name in designs/studies/), or 'report'")
    parser.add_argument("results", nargs="?", help="with 'report': the study's .parquet table")
    parser.add_argument("--out", metavar="FILE|DIR", help="results .parquet (report: a folder)")
    parser.add_argument(
        "--report", metavar="DIR", help="after the run, draw the report into this folder"
    )
    parser.add_argument(
        "--resume", action="store_true", help="finish a stopped run from its kept parts"
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing --out that is not this study's result",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://host:8786"
    )
    parser.add_argument(
        "--workers",
        type=number("--workers", ge=0, le=1024, integer=True),
        help="workers of the LocalCluster (default: one per core; 0 runs in this process)",
    )
    parser.add_argument(
        "--chunk-size",
        type=number("--chunk-size", ge=1, le=10_000_000, integer=True),
        help="points per task and part file (default 1 for model outputs, 200000 otherwise)",
    )
    parser.set_defaults(func=run)


def _refuse_options(args, allowed: set[str], what: str) -> None:
    from lrmo_cell.errors import InputError

    for option in ("report", "resume", "overwrite", "scheduler", "workers", "chunk_size"):
        value = getattr(args, option)
        if option not in allowed and value not in (None, False):
            raise InputError(f"--{option.replace('_', '-')} does not apply to {what}")


def report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lrmo_cell.errors import InputError
    from lrmo_cell.studies.study_report import write_report

    if args.results is None:
        raise InputError("study report needs RESULTS, the .parquet table of a finished study")
    _refuse_options(args, set(), "study report")
    out = str(Path(args.results).with_suffix("")) + "_report" if args.out is None else args.out
    names = write_report(args.results, out)
    print(f"{len(names)} files in {out}: {', '.join(names)}")
    return 0


def run(args: argparse.Namespace) -> int:
    from lrmo_cell.errors import InputError

    if args.file == "report":
        return report(args)
    if args.results is not None:
        raise InputError(
            f"study takes one FILE, got also {args.results!r}; to redraw a report: "
            "lrmo-cell study report RESULTS"
        )
    from pathlib import Path

    from lrmo_cell.files import distinct_outputs, output_dir
    from lrmo_cell.studies.storage import check_table_path
    from lrmo_cell.studies.study import check_out, default_chunk_size, run_study
    from lrmo_cell.studies.study_spec import load_study
    from lrmo_cell.studies.sweep import check_scheduler, make_client

    if args.scheduler and args.workers is not None:
        raise InputError("--workers sizes the LocalCluster; an existing --scheduler has its own")
    study = load_study(args.file)
    out = f"{Path(study.path).stem}.parquet" if args.out is None else args.out
    if Path(out).suffix.lower() != ".parquet":
        raise InputError(f"--out must end in .parquet (the table keeps its study), got {out!r}")
    check_table_path(out)
    if args.report is not None:
        output_dir(args.report, "--report")
        distinct_outputs({"--out": out, "--report": args.report})
    chunk_size = args.chunk_size or default_chunk_size(study)
    check_out(study, out, chunk_size, args.resume, args.overwrite)
    if args.scheduler:
        check_scheduler(args.scheduler, "--scheduler")
    workers = (os.cpu_count() or 1) if args.workers is None else args.workers
    client = None
    if args.scheduler:
        client = make_client(args.scheduler, "--scheduler")
    elif workers > 0:
        client = make_client("local", "--workers", workers)
    start = time.perf_counter()
    try:
        status, kept = run_study(study, out, chunk_size, client, args.resume, args.overwrite)
    except KeyboardInterrupt:
        print(
            f"lrmo-cell study: interrupted; the finished points are kept in {out}.parts: run "
            "the same command with --resume to finish",
            file=sys.stderr,
        )
        return 130
    finally:
        if client is not None:
            cluster = client.cluster if not args.scheduler else None
            client.close()
            if cluster is not None:
                cluster.close()
    seconds = time.perf_counter() - start
    import pyarrow.parquet as pq

    table = pq.read_table(out, columns=["error"]).column("error").to_pylist()
    failed = sum(1 for e in table if e)
    said = {
        "computed": f"written to {out}",
        "resumed": f"{kept} kept from {out}.parts, the rest computed; written to {out}",
        "reused": f"{out} already held this study, reused",
    }[status]
    print(f"{len(table)} points in {seconds:.1f} s, {failed} failed; {said}")
    if args.report:
        from lrmo_cell.studies.study_report import write_report

        names = write_report(out, args.report)
        print(f"report: {len(names)} files in {args.report}")
    return 0
