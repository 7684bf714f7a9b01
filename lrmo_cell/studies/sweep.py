"""Design-space sweeps: a full grid over any numeric fields, evaluated in vectorised chunks.

The grid is never built whole: chunk ``k`` holds flat indices ``[k c, (k+1) c)`` and maps them to
grid values with ``numpy.unravel_index``, so a sweep of 1e8 points needs memory for one chunk
only. Chunks run in this process or on a ``dask.distributed`` cluster; with an output file every
finished chunk is stored at once (:class:`~lrmo_cell.studies.storage.PartStore`), so an
interrupted sweep resumes where it stopped and the final table appears only when complete.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

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
    if n < 1:
        raise InputError(f"--vary {field}: N must be >= 1, got {n}")
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


def run_sweep(
    design: Design,
    axes: list[Axis],
    out=None,
    chunk_size: int = 200_000,
    client=None,
    outputs: tuple[str, ...] = SWEEP_OUTPUTS,
):
    """Evaluate the full grid of ``axes``; return a DataFrame (and write ``out`` if given).

    ``client`` is a ``dask.distributed.Client`` (chunks run on its workers, results come back
    to be stored here) or None (in-process).
    """
    import pandas as pd

    from lrmo_cell.studies.storage import PartStore

    if not axes:
        raise InputError("sweep needs at least one --vary FIELD=START:STOP:N")
    if len({a.field for a in axes}) != len(axes):
        raise InputError("--vary names a field twice")
    if chunk_size < 1:
        raise InputError(f"--chunk-size must be >= 1, got {chunk_size}")
    total = int(np.prod(grid_shape(axes)))
    bounds = [(s, min(s + chunk_size, total)) for s in range(0, total, chunk_size)]
    evaluate_chunk(design, axes, 0, 1, outputs)  # fail fast, before any worker or file

    store = PartStore(out) if out is not None else None
    if store is not None:
        _claim(store, design, axes, chunk_size)
    pending = [k for k in range(len(bounds)) if store is None or not store.done(k)]
    chunks: dict[int, dict] = {}

    def keep(k, columns):
        if store is not None:
            store.write(k, pd.DataFrame(columns))
        else:
            chunks[k] = columns

    if client is None:
        for k in pending:
            keep(k, evaluate_chunk(design, axes, *bounds[k], outputs))
    else:
        from dask.distributed import as_completed

        futures = {
            client.submit(evaluate_chunk, design, axes, *bounds[k], outputs, pure=False): k
            for k in pending
        }
        for future in as_completed(futures):
            keep(futures[future], future.result())
    if store is not None:
        return store.combine(len(bounds))
    # one copy per column: far cheaper than concatenating per-chunk DataFrames
    order = range(len(bounds))
    return pd.DataFrame(
        {name: np.concatenate([chunks[k][name] for k in order]) for name in chunks[0]}
    )


def _claim(store, design: Design, axes: list[Axis], chunk_size: int) -> None:
    """Tie a parts folder to one sweep, so a resumed run never mixes two different sweeps."""
    spec = json.dumps(
        {
            "design": design.values,
            "options": design.options,
            "axes": {a.field: a.values.tolist() for a in axes},
            "chunk_size": chunk_size,
        },
        sort_keys=True,
    )
    manifest = store.folder / "sweep.json"
    if manifest.is_file():
        if manifest.read_text() != spec:
            raise InputError(
                f"{store.folder} holds parts of a different sweep; remove it or "
                "choose another --out"
            )
        return
    store.folder.mkdir(exist_ok=True)
    manifest.write_text(spec)


def make_client(spec: str):
    """``"local"`` -> a LocalCluster on this machine; ``"tcp://host:port"`` -> that scheduler."""
    from dask.distributed import Client, LocalCluster

    if spec == "local":
        return Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))
    if not re.match(r"^(tcp|tls|ucx|inproc)://", spec):
        raise InputError(
            f"--dask must be 'local' or a scheduler address like tcp://host:8786, got {spec!r}"
        )
    try:
        return Client(spec, timeout="10s")
    except OSError as err:
        raise InputError(f"--dask: cannot reach the scheduler at {spec}: {err}") from None


def plot_sweep(frame, axes: list[Axis], metric: str, path) -> None:
    """Line plot (one varied field) or heatmap with contours (two) of ``metric``, to PNG."""
    from matplotlib.figure import Figure

    from lrmo_cell.plotting import quantity_label
    from lrmo_cell.studies.storage import save_png

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.subplots()
    y = frame[metric].to_numpy()
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
    ax.set_title(f"{quantity_label(metric)} over {len(frame)} designs", fontsize=10)
    fig.tight_layout()
    save_png(fig, path)
