"""Sweep result files and their resumable folders of parts.

A sweep with ``--out s.parquet`` keeps ``s.parquet.parts/``: its manifest ``sweep.json`` (the
sweep's full specification, written first and atomically) and one ``part-NNNNN.parquet`` per
finished chunk. A rerun of the same sweep resumes from the parts; a folder with another sweep's
manifest, or with parts and no manifest, is refused, so rows of two sweeps are never mixed. The
final table is streamed from the parts one chunk at a time (memory: one chunk) into the parts
folder, the parts go, and the table moves onto ``--out``; the manifest goes last. A kill at any
moment thus leaves the complete result or the resumable folder (see :meth:`PartStore.combine`).
A finished table carries its manifest, so a rerun of the same sweep reuses it: a Parquet file in
its schema metadata, a CSV file (which has no metadata) in a record ``.<name>.sweep.json`` beside
it that names the very file it describes.

``atomic_path`` and ``save_png`` are re-exported here for code written before the file helpers
moved to the ground floor (:mod:`lrmo_cell.files`); new code imports them from there.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from lrmo_cell.errors import InputError
from lrmo_cell.files import atomic_path, new_temporary, output_file, publish, save_png

__all__ = ["TABLE_SUFFIXES", "PartStore", "atomic_path", "check_table_path", "save_png"]

TABLE_SUFFIXES = (".csv", ".parquet")
MANIFEST = "sweep.json"
#: key of the sweep's manifest in a finished Parquet file's schema metadata
METADATA_KEY = b"lrmo_cell.sweep"


def check_table_path(path: str | os.PathLike) -> Path:
    """A sweep output must end in .csv or .parquet and be a writable file place."""
    return output_file(path, "--out", TABLE_SUFFIXES)


def _csv_record(path: Path) -> Path:
    """Where a finished CSV sweep keeps its manifest: a CSV has no metadata of its own."""
    return path.with_name(f".{path.name}.sweep.json")


def _identity(path: Path) -> dict:
    # a rename keeps inode, size and modification time, so the record written for the finished
    # table inside the parts folder still matches once it has moved onto --out, and matches no
    # other file that takes its place later
    stat = path.stat()
    return {"inode": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def finished_manifest(path: str | os.PathLike) -> str | None:
    """The manifest of the finished sweep in ``path``: in a Parquet file's schema metadata, for a
    CSV in its record beside it (``.<name>.sweep.json``), valid only for that very file."""
    path = Path(path)
    if not path.is_file():
        return None
    if path.suffix.lower() == ".csv":
        try:
            record = json.loads(_csv_record(path).read_text())
            return record["manifest"] if record["file"] == _identity(path) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):  # pyarrow raises ArrowInvalid (a ValueError) on non-Parquet
        return None
    value = metadata.get(METADATA_KEY)
    return value.decode() if value is not None else None


def iter_table(path: str | os.PathLike, rows: int = 200_000, columns: list[str] | None = None):
    """A .csv or .parquet table (``columns`` of it, default all) as DataFrames of at most
    ``rows`` rows (memory: one of them)."""
    import pandas as pd

    path = Path(path)
    if path.suffix.lower() == ".csv":
        yield from pd.read_csv(path, chunksize=rows, usecols=columns)
        return
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows, columns=columns):
        yield batch.to_pandas()


class PartStore:
    """A folder ``<out>.parts/`` of ``part-00000.parquet`` files, one per finished chunk."""

    def __init__(self, out: str | os.PathLike):
        self.out = check_table_path(out)
        self.folder = self.out.with_name(self.out.name + ".parts")
        self.manifest = self.folder / MANIFEST

    def part_path(self, index: int) -> Path:
        return self.folder / f"part-{index:05d}.parquet"

    def done(self, index: int) -> bool:
        return self.part_path(index).is_file()

    def _parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet"))

    def claim(self, spec: str) -> None:
        """Tie the folder to the sweep ``spec``: adopt it only if its manifest is this one.

        Call with the folder locked: temporaries inside it are then leftovers of a killed run.
        """
        for stale in self.folder.glob(".*.tmp"):
            stale.unlink()
        if self.manifest.is_file():
            if self.manifest.read_text() != spec:
                raise InputError(
                    f"{self.folder} holds parts of a different sweep; remove it or "
                    "choose another --out"
                )
            return
        if self._parts() or self.final.exists():
            raise InputError(
                f"{self.folder} holds parts but no {MANIFEST}, so nothing tells which sweep they "
                "belong to; remove it or choose another --out"
            )
        with atomic_path(self.manifest) as tmp:
            Path(tmp).write_text(spec)

    def write(self, index: int, frame) -> None:
        with atomic_path(self.part_path(index)) as tmp:
            frame.to_parquet(tmp, index=False)

    @property
    def final(self) -> Path:
        """The complete table inside the folder, before it moves onto ``out``."""
        return self.folder / f"final{self.out.suffix.lower()}"

    def combine(self, n_parts: int, spec: str) -> None:
        """Stream the parts in order into the final table (one part in memory at a time) inside
        the folder, remove the parts, move the table onto ``out``, then remove the manifest and
        the folder.

        Between the move and the folder's removal there are two system calls, so a kill leaves
        the result or the parts folder (with its parts or its final table: a rerun moves that
        into place), and only in those microseconds both; a rerun then finds the result is this
        sweep's and removes the folder.
        """
        if not self.final.is_file():
            tmp = new_temporary(self.out, folder=self.folder)
            try:
                self._stream(n_parts, spec, tmp)
                publish(tmp, self.final)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(tmp)
        for path in self._parts():
            path.unlink()
        if self.out.suffix.lower() == ".csv":
            # written before the move, but naming the finished table's own file: until the move
            # it matches nothing at --out, so an older file there is never taken for this sweep
            record = {"manifest": spec, "file": _identity(self.final)}
            with atomic_path(_csv_record(self.out)) as tmp:
                Path(tmp).write_text(json.dumps(record))
        os.replace(self.final, self.out)
        self.discard()

    def _stream(self, n_parts: int, spec: str, tmp: str) -> None:
        import pandas as pd
        import pyarrow.parquet as pq

        if self.out.suffix.lower() == ".csv":
            with open(tmp, "w", newline="") as stream:
                for i in range(n_parts):
                    part = pd.read_parquet(self.part_path(i))
                    part.to_csv(stream, header=i == 0, index=False)
            return
        writer = None
        try:
            for i in range(n_parts):
                table = pq.read_table(self.part_path(i))
                if writer is None:
                    metadata = {**(table.schema.metadata or {}), METADATA_KEY: spec}
                    writer = pq.ParquetWriter(tmp, table.schema.with_metadata(metadata))
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()

    def discard(self) -> None:
        """Remove the parts, then the manifest, then the folder (the manifest goes last, so a
        folder with parts always says which sweep they are)."""
        for path in [*self._parts(), *self.folder.glob(".*.tmp")]:
            path.unlink()
        for path in (self.final, self.manifest):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()
