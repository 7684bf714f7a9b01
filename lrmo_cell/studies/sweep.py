"""Design-space sweeps: a full grid over any numeric fields, evaluated in vectorised chunks.

The grid is never built whole: chunk ``k`` holds flat indices ``[k c, (k+1) c)`` and maps them to
grid values with ``numpy.unravel_index``, so a sweep of 1e8 points needs memory for one chunk
only. Chunks run in this process or on a ``dask.distributed`` cluster; with an output file every
finished chunk is stored at once (:class:`~lrmo_cell.studies.storage.PartStore`), so an
interrupted sweep resumes where it stopped and the final table appears only when complete.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lrmo_cell.design.core import COMPONENTS, SCALAR_OUTPUTS, Design, check_ranges, evaluate
from lrmo_cell.errors import InputError

#: the output columns of a sweep row (after the varied inputs)
SWEEP_OUTPUTS = SCALAR_OUTPUTS + tuple(f"mass_{c}_g" for c in COMPONENTS)
_VARY = re.compile(r"^\s*([\w.]+)\s*=\s*([^:]+):([^:]+):([^:]+)\s*$")


@dataclass(frozen=True)
class Axis:
    """One varied field and its grid values."""

    field: str
    values: np.ndarray


def parse_vary(text: str, design: Design) -> Axis:
    """``"cathode.loading_mg_per_cm2=15:30:16"`` -> an :class:`Axis` (N values, ends included).

    Integer fields (the layer count) take the distinct whole numbers of that range.
    """
    match = _VARY.match(text)
    if not match:
        raise InputError(
            f"--vary takes FIELD=START:STOP:N (e.g. cathode.porosity=0.2:0.4:5), got {text!r}"
        )
    field, start, stop, count = match.groups()
    try:
        start_f, stop_f, n = float(start), float(stop), int(count)
    except ValueError:
        raise InputError(
            f"--vary {field}: START and STOP must be numbers and N a whole number, "
            f"got {start}:{stop}:{count}"
        ) from None
    if not (math.isfinite(start_f) and math.isfinite(stop_f)):
        raise InputError(f"--vary {field}: START and STOP must be finite, got {start}:{stop}")
    if not 1 <= n <= MAX_AXIS_POINTS:
        raise InputError(
            f"--vary {field}: N must be from 1 to {MAX_AXIS_POINTS:.0e} points, got {n:.4g} "
            f"({_gb(8.0 * n)} for the axis values alone)"
        )
    values = np.linspace(start_f, stop_f, n)
    if field in design.integer_fields:
        values = np.unique(np.round(values))
    check_ranges(design, {field: values}, where="--vary")
    return Axis(field, values)


def grid_shape(axes: list[Axis]) -> tuple[int, ...]:
    return tuple(a.values.size for a in axes)


def chunk_inputs(axes: list[Axis], start: int, stop: int) -> dict[str, np.ndarray]:
    """The varied inputs of flat grid points ``start..stop-1`` (C order, last axis fastest)."""
    index = np.unravel_index(np.arange(start, stop), grid_shape(axes))
    return {a.field: a.values[i] for a, i in zip(axes, index, strict=True)}


def evaluate_chunk(
    design: Design,
    axes: list[Axis],
    start: int,
    stop: int,
    outputs: tuple[str, ...] = SWEEP_OUTPUTS,
) -> dict[str, np.ndarray]:
    """Inputs and outputs of one chunk as columns (the unit of work sent to Dask workers)."""
    inputs = chunk_inputs(axes, start, stop)
    result = evaluate(design, inputs)
    return {**inputs, **{k: result[k] for k in outputs}}


#: most points one --vary axis may have (its values alone are 8 bytes each)
MAX_AXIS_POINTS = 10_000_000
#: most designs a --plot draws (a heatmap of more cells than pixels shows nothing more)
MAX_PLOT_POINTS = 4_000_000
#: bytes per stored number: 8 in Parquet, up to about 24 characters in CSV
_BYTES_PER_VALUE = {".parquet": 8, ".csv": 24}


def _available_memory_bytes() -> int | None:
    """MemAvailable of /proc/meminfo (what can be allocated without swapping), else None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.3g} GB"


def check_size(axes: list[Axis], n_columns: int, out=None) -> int:
    """Refuse, with the figures, a grid whose rows cannot fit where they are to go.

    In memory (no ``out``) a sweep holds every row twice at the end (the chunks and the table
    made from them); with ``out`` it holds one chunk, and the disk holds the parts and the
    final table, which must fit into the folder's free space. Returns the number of designs.
    """
    total = int(np.prod([a.values.size for a in axes], dtype=float))
    if out is None:
        need = 2.0 * total * n_columns * 8
        free = _available_memory_bytes()
        if free is not None and need > free / 2:
            raise InputError(
                f"the grid has {total:.4g} designs, about {_gb(need)} in memory, more than half "
                f"of the {_gb(free)} this machine has free; give --out FILE to stream the rows "
                "to disk, or fewer points"
            )
        return total
    out = Path(out)
    need = 2.0 * total * n_columns * _BYTES_PER_VALUE.get(out.suffix.lower(), 24)
    free = shutil.disk_usage(out.parent).free
    if need > free:
        raise InputError(
            f"--out: the grid has {total:.4g} designs, about {_gb(need)} on disk with its "
            f"parts, but {out.parent} has {_gb(free)} free; sweep fewer points"
        )
    return total


def _manifest(design: Design, axes: list[Axis], chunk_size: int, outputs) -> str:
    """Everything that determines a sweep's rows, as canonical JSON: its identity on disk."""
    return json.dumps(
        {
            "design": design.values,
            "options": design.options,
            "axes": {a.field: a.values.tolist() for a in axes},
            "chunk_size": chunk_size,
            "outputs": list(outputs),
        },
        sort_keys=True,
    )


def _check_sweep(design, axes, chunk_size, outputs) -> list[tuple[int, int]]:
    if not axes:
        raise InputError("sweep needs at least one --vary FIELD=START:STOP:N")
    fields = [a.field for a in axes]
    for field in fields:
        if fields.count(field) > 1:
            raise InputError(f"--vary names {field} twice; give each field one axis")
    if chunk_size < 1:
        raise InputError(f"--chunk-size must be >= 1, got {chunk_size}")
    total = int(np.prod(grid_shape(axes)))
    evaluate_chunk(design, axes, 0, 1, outputs)  # fail fast, before any worker or file
    return [(s, min(s + chunk_size, total)) for s in range(0, total, chunk_size)]


def _chunks(design, axes, bounds, pending, outputs, client):
    """``(k, columns)`` of every pending chunk, in this process or on ``client``'s workers."""
    if client is None:
        for k in pending:
            yield k, evaluate_chunk(design, axes, *bounds[k], outputs)
        return
    from dask.distributed import as_completed

    futures = {
        client.submit(evaluate_chunk, design, axes, *bounds[k], outputs, pure=False): k
        for k in pending
    }
    for future in as_completed(futures):
        yield futures[future], future.result()


def check_out(
    design: Design,
    axes: list[Axis],
    out,
    chunk_size: int,
    overwrite: bool,
    outputs: tuple[str, ...] = SWEEP_OUTPUTS,
) -> None:
    """Refuse an existing ``out`` that is not this very sweep's result, unless ``overwrite``."""
    from lrmo_cell.studies.storage import finished_manifest

    out = Path(out)
    if out.exists() and not overwrite:
        if finished_manifest(out) != _manifest(design, axes, chunk_size, outputs):
            raise InputError(
                f"--out {out} already exists and is not this sweep's result; pass "
                "--overwrite to replace it, or choose another file"
            )


def run_sweep_to_file(
    design: Design,
    axes: list[Axis],
    out,
    chunk_size: int = 200_000,
    client=None,
    outputs: tuple[str, ...] = SWEEP_OUTPUTS,
    overwrite: bool = False,
) -> str:
    """Evaluate the grid into ``out`` (.csv/.parquet) through resumable parts; memory: one chunk.

    Returns what happened: "computed", "resumed" (some parts were there) or "reused" (``out``
    already holds this very sweep: a Parquet file says so in its metadata, a CSV file in
    its record ``.<name>.sweep.json`` beside it). An ``out`` that exists otherwise is refused
    unless ``overwrite``. The output is locked while the sweep runs: an identical sweep started
    meanwhile is refused in one sentence instead of racing it.
    """
    import pandas as pd

    from lrmo_cell.files import locked_dir, remove_stale_temporaries
    from lrmo_cell.studies.storage import PartStore, finished_manifest

    store = PartStore(out)
    bounds = _check_sweep(design, axes, chunk_size, outputs)
    check_size(axes, len(axes) + len(outputs), store.out)
    spec = _manifest(design, axes, chunk_size, outputs)
    with locked_dir(store.folder, f"--out {store.out}"):
        try:
            remove_stale_temporaries(store.out)
            if finished_manifest(store.out) == spec:
                store.discard()
                return "reused"
            check_out(design, axes, store.out, chunk_size, overwrite, outputs)
            store.claim(spec)
            # a run killed after streaming the final table left it complete in the folder
            pending = (
                []
                if store.final.is_file()
                else [k for k in range(len(bounds)) if not store.done(k)]
            )
            for k, columns in _chunks(design, axes, bounds, pending, outputs, client):
                store.write(k, pd.DataFrame(columns))
            store.combine(len(bounds), spec)
        finally:
            # a run refused before it claimed the folder leaves no empty folder behind
            with contextlib.suppress(OSError):
                store.folder.rmdir()
    return "resumed" if len(pending) < len(bounds) else "computed"


def run_sweep(
    design: Design,
    axes: list[Axis],
    out=None,
    chunk_size: int = 200_000,
    client=None,
    outputs: tuple[str, ...] = SWEEP_OUTPUTS,
    overwrite: bool = False,
):
    """Evaluate the full grid of ``axes``; return a DataFrame (and write ``out`` if given).

    ``client`` is a ``dask.distributed.Client`` (chunks run on its workers, results come back
    to be stored here) or None (in-process). The whole table is returned, so it must fit in
    memory; :func:`run_sweep_to_file` writes grids of any size that fits on disk.
    """
    import pandas as pd

    bounds = _check_sweep(design, axes, chunk_size, outputs)
    check_size(axes, len(axes) + len(outputs))
    if out is not None:
        run_sweep_to_file(design, axes, out, chunk_size, client, outputs, overwrite)
        from lrmo_cell.studies.storage import iter_table

        return pd.concat(list(iter_table(out)), ignore_index=True)
    chunks = dict(_chunks(design, axes, bounds, range(len(bounds)), outputs, client))
    # one copy per column: far cheaper than concatenating per-chunk DataFrames
    order = range(len(bounds))
    return pd.DataFrame(
        {name: np.concatenate([chunks[k][name] for k in order]) for name in chunks[0]}
    )


@dataclass
class Summary:
    """What the CLI prints and plots of a sweep, gathered one chunk at a time."""

    rows: int
    minimum: float
    maximum: float
    best: dict
    values: np.ndarray | None  # the metric of every design in grid order, if plotted


def summarise(chunks, axes: list[Axis], metric: str, keep_values: bool) -> Summary:
    """Minimum, maximum and the inputs at the maximum of ``metric`` over DataFrame ``chunks``."""
    rows, low, high, best, kept = 0, np.inf, -np.inf, {}, []
    for frame in chunks:
        y = frame[metric].to_numpy()
        if y.size:
            low = min(low, float(np.nanmin(y)))
            i = int(np.nanargmax(y))
            if y[i] > high:
                high = float(y[i])
                best = {a.field: float(frame[a.field].iloc[i]) for a in axes}
        if keep_values:
            kept.append(y)
        rows += len(frame)
    values = np.concatenate(kept) if keep_values else None
    return Summary(rows, low, high, best, values)


def check_scheduler(spec: str, option: str = "--dask") -> None:
    """Refuse a value of ``option`` that is not 'local' or a scheduler address, and a tcp://
    address where nothing listens (at once, rather than after Dask's 10 s connect timeout)."""
    import socket

    if spec == "local":
        return
    match = re.match(r"^(tcp|tls|ucx|inproc)://(.*)$", spec)
    if not match:
        raise InputError(
            f"{option} must be 'local' or a scheduler address like tcp://host:8786, got {spec!r}"
        )
    if match.group(1) != "tcp":
        return
    host, sep, port = match.group(2).rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(
            f"{option} needs tcp://HOST:PORT with a port from 1 to 65535, got {spec!r}"
        )
    try:
        socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=2).close()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise InputError(f"{option}: no scheduler answers at {spec} ({reason})") from None


def make_client(spec: str, option: str = "--dask", n_workers: int = 2):
    """``"local"`` -> a LocalCluster of ``n_workers`` single-threaded workers on this machine;
    ``"tcp://host:port"`` -> that scheduler."""
    from dask.distributed import Client, LocalCluster

    check_scheduler(spec, option)
    if spec == "local":
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, dashboard_address=None)
        return Client(cluster)
    try:
        return Client(spec, timeout="10s")
    except OSError as err:
        raise InputError(f"{option}: cannot reach the scheduler at {spec}: {err}") from None


def plot_sweep(y: np.ndarray, axes: list[Axis], metric: str, path) -> None:
    """Line plot (one varied field) or heatmap with contours (two) of ``metric``, to PNG.

    ``y`` holds the metric of every design in grid order (last axis fastest)."""
    from matplotlib.figure import Figure

    from lrmo_cell.files import save_png
    from lrmo_cell.plotting import quantity_label

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.subplots()
    if len(axes) == 1:
        ax.plot(axes[0].values, y, marker="o" if y.size <= 30 else None)
        ax.set_xlabel(quantity_label(axes[0].field))
        ax.set_ylabel(quantity_label(metric))
        ax.grid(alpha=0.3)
    else:
        (a, b), z = axes, y.reshape(grid_shape(axes))
        mesh = ax.pcolormesh(b.values, a.values, z, shading="auto", cmap="viridis")
        if min(z.shape) > 2:
            lines = ax.contour(b.values, a.values, z, colors="white", linewidths=0.7)
            ax.clabel(lines, fontsize=7, fmt="%.4g")
        fig.colorbar(mesh, ax=ax, label=quantity_label(metric))
        ax.set_xlabel(quantity_label(b.field))
        ax.set_ylabel(quantity_label(a.field))
    ax.set_title(f"{quantity_label(metric)} over {y.size} designs", fontsize=10)
    fig.tight_layout()
    save_png(fig, path)
